package mail

import (
	"bytes"
	"testing"

	"foidesk/internal/foi"
)

func TestTidyTextTrimsLinesAndCollapsesBlankRuns(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "\r\n"},
		{"\n \n\t\n", "\r\n"},
		{"one", "one\r\n"},
		{"\n\n  Hello Ann,  \n\n\n\t This is\n   a test.\n\n  \nfoidesk\n\n", "Hello Ann,\r\n\r\nThis is\r\na test.\r\n\r\nfoidesk\r\n"},
		{"a\r\nb\r\n\r\n\r\nc", "a\r\nb\r\n\r\nc\r\n"},
	} {
		var b bytes.Buffer
		b.WriteString("kept:")
		if tidyText(&b, []byte(tc.in)); b.String() != "kept:"+tc.want {
			t.Errorf("tidyText(%q) wrote %q, want %q after what the buffer held", tc.in, b.String(), "kept:"+tc.want)
		}
	}
}

// BenchmarkComposerMessage measures writing one email (the templates, then gomail's multipart message), which
// the outbox does for every message it sends.
func BenchmarkComposerMessage(b *testing.B) {
	c, err := NewComposer("foidesk@example.gov.uk", "https://foidesk.example.gov.uk")
	if err != nil {
		b.Fatal(err)
	}
	m := foi.OutboundMessage{
		ID: 1, Template: foi.TmplConsultationSent, To: "liaison@example.gov.uk", ToName: "Ann Liaison", Link: "/consultations/7",
		MessageID: "<0123456789abcdef@foidesk>",
		Data:      map[string]string{"case_reference": "FOI-2026-00042", "from_party": "Department for Education", "respond_by": "7 December 2026"},
	}
	for b.Loop() {
		if _, _, err := c.Message(m); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMessageCarriesNothingOfTheMessageBefore(t *testing.T) {
	c, err := NewComposer("foidesk@example.gov.uk", "https://foidesk.example.gov.uk")
	if err != nil {
		t.Fatal(err)
	}
	first := foi.OutboundMessage{ID: 1, Template: foi.TmplConsultationSent, To: "a@example.gov.uk",
		Link: "/consultations/7", MessageID: "<1@foidesk>",
		Data: map[string]string{"case_reference": "FOI-FIRST-1", "from_party": "Party One", "respond_by": "1 May 2026"}}
	if _, _, err := c.Message(first); err != nil {
		t.Fatal(err)
	}
	raw, subject, err := c.Message(foi.OutboundMessage{ID: 2, Template: foi.TmplSMTPTest, To: "b@example.gov.uk",
		Link: "/", MessageID: "<2@foidesk>"})
	if err != nil {
		t.Fatal(err)
	}
	if subject != "foidesk test email" {
		t.Errorf("subject %q, want the test email's own", subject)
	}
	for _, leftover := range []string{"FOI-FIRST-1", "Party One", "consultations/7"} {
		if bytes.Contains(raw, []byte(leftover)) {
			t.Errorf("the second message carries %q from the first:\n%s", leftover, raw)
		}
	}
}
