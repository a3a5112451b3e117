package mail

import (
	"strings"
	"testing"

	"foidesk/internal/foi"
)

// FuzzParseSMTPURL: any string either parses into a usable configuration or fails with EINVALID, and the
// error never carries the password.
func FuzzParseSMTPURL(f *testing.F) {
	for _, seed := range []string{
		"smtp://user:pass@mail.example.gov.uk:587?from=foi@example.gov.uk",
		"smtps://u:p@127.0.0.1:465", "smtp://host", "smtp://:25", "smtp://u:secret@host:99999",
		"http://host", "smtp://host?starttls=required&helo=foidesk", "smtp://host?insecure_skip_verify=1", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cfg, err := ParseSMTPURL(raw)
		if err != nil {
			if foi.ErrorCode(err) != foi.EINVALID {
				t.Fatalf("ParseSMTPURL(%q): %v, want EINVALID", raw, err)
			}
			if cfg.Password != "" && len(cfg.Password) > 3 && strings.Contains(err.Error(), cfg.Password) {
				t.Fatalf("the error %q shows the password", err)
			}
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
