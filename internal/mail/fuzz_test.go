package mail

import (
	"net/url"
	"strings"
	"testing"

	"foidesk/internal/foi"
)

// passwordMarker stands in for the password when FuzzParseSMTPURL checks that errors never show it: a
// distinctive value, so finding it in an error can only mean the password leaked. (Searching for the fuzzed
// password itself cannot tell a leak from a coincidence: "xxxxx" is also what url.Redacted shows.)
const passwordMarker = "pw-MARKER-8c1d"

// FuzzParseSMTPURL: any string either parses into a usable configuration or fails with EINVALID, and the
// error never carries the password.
func FuzzParseSMTPURL(f *testing.F) {
	for _, seed := range []string{
		"smtp://user:pass@mail.example.gov.uk:587?from=foi@example.gov.uk",
		"smtps://u:p@127.0.0.1:465", "smtp://host", "smtp://:25", "smtp://u:secret@host:99999",
		"http://host", "smtp://host?starttls=required&helo=foidesk", "smtp://host?insecure_skip_verify=1", "",
		"smtp://:xxxxx@0000?0", // a password equal to the redaction mark
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cfg, err := ParseSMTPURL(raw)
		if err != nil {
			if foi.ErrorCode(err) != foi.EINVALID {
				t.Fatalf("ParseSMTPURL(%q): %v, want EINVALID", raw, err)
			}
			checkPasswordHidden(t, raw)
			return
		}
		if cfg.Host == "" || cfg.Port < 1 || cfg.Port > 65535 {
			t.Fatalf("ParseSMTPURL(%q) = %+v: no host or a bad port", raw, cfg)
		}
		if cfg.ImplicitTLS && cfg.RequireTLS {
			t.Fatalf("ParseSMTPURL(%q) = %+v: implicit TLS and STARTTLS at once", raw, cfg)
		}
	})
}

// checkPasswordHidden re-parses raw, a URL ParseSMTPURL refused, with its password replaced by passwordMarker
// and fails when the marker shows in the error.
func checkPasswordHidden(t *testing.T, raw string) {
	t.Helper()
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.User == nil {
		return
	}
	if _, has := u.User.Password(); !has {
		return
	}
	u.User = url.UserPassword(u.User.Username(), passwordMarker)
	marked := u.String()
	if strings.Count(marked, passwordMarker) != 1 {
		return // the marker is also elsewhere in the URL: finding it in the error would prove nothing
	}
	if _, err := ParseSMTPURL(marked); err != nil && strings.Contains(err.Error(), passwordMarker) {
		t.Fatalf("ParseSMTPURL(%q): the error %q shows the password", marked, err)
	}
}
