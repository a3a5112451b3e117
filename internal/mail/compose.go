package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"

	"foidesk/internal/foi"

	"gopkg.in/gomail.v2"
)

//go:embed templates/*.txt templates/*.html
var templateFS embed.FS

// templates holds one parsed pair (text with subject, HTML) per template name.
type templateSet struct {
	text *texttemplate.Template // defines "subject" and "text"
	html *htmltemplate.Template // layout.html with this template's "content"
}

var templates = mustParseTemplates()

func mustParseTemplates() map[string]templateSet {
	out := map[string]templateSet{}
	for _, name := range foi.TemplateNames() {
		text := texttemplate.Must(texttemplate.New(name).Option("missingkey=error").
			ParseFS(templateFS, "templates/"+name+".txt"))
		html := htmltemplate.Must(htmltemplate.New("layout.html").Option("missingkey=error").
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
		out[name] = templateSet{text: text, html: html}
	}
	return out
}

// Composer renders outbound messages into complete emails: the sender, the subject and both parts, and the
// message's own Message-ID.
type Composer struct {
	From     string // the From address, e.g. foidesk@department.gov.uk
	FromName string // the From display name; "foidesk" when empty
	BaseURL  string // joined to each message's link path, e.g. https://foidesk.example.gov.uk
}

// NewComposer returns a Composer after checking its settings: an EINVALID error for a From that is not a plain
// address or a base URL that is not an absolute http(s) URL.
func NewComposer(from, baseURL string) (*Composer, error) {
	from = foi.NormalizeEmail(from)
	if !validFrom(from) {
		return nil, foi.Errorf(foi.EINVALID, "mail from %q: want an email address like foidesk@example.gov.uk", from)
	}
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, foi.Errorf(foi.EINVALID, "base URL %q: want an absolute http(s) URL like https://foidesk.example.gov.uk", baseURL)
	}
	return &Composer{From: from, FromName: "foidesk", BaseURL: strings.TrimRight(baseURL, "/")}, nil
}

// validFrom accepts a plain address; unlike foi.ValidEmail it allows an undotted domain (foidesk@localhost).
func validFrom(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " <>,\r\n") && len(s) <= 254
}

// Rendered is a message's subject and its two parts.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// templateData is what the templates see.
type templateData struct {
	Name string            // the recipient's name, may be empty
	D    map[string]string // the message's data fields
	URL  string            // BaseURL + link, "" when the message has no link
}

// Render renders m's template. It returns a permanent *Error for an unknown template or a missing data field.
func (c *Composer) Render(m foi.OutboundMessage) (Rendered, error) {
	set, ok := templates[m.Template]
	if !ok {
		return Rendered{}, permanent("render", fmt.Errorf("unknown email template %q", m.Template))
	}
	data := templateData{Name: m.ToName, D: m.Data, URL: ""}
	if data.D == nil {
		data.D = map[string]string{}
	}
	if m.Link != "" {
		data.URL = c.BaseURL + m.Link
	}
	var subject, text, html bytes.Buffer
	if err := set.text.ExecuteTemplate(&subject, "subject", data); err != nil {
		return Rendered{}, permanent("render", err)
	}
	if err := set.text.ExecuteTemplate(&text, "text", data); err != nil {
		return Rendered{}, permanent("render", err)
	}
	if err := set.html.Execute(&html, data); err != nil {
		return Rendered{}, permanent("render", err)
	}
	return Rendered{
		Subject: strings.Join(strings.Fields(subject.String()), " "),
		Text:    tidyText(text.String()),
		HTML:    html.String(),
	}, nil
}

// tidyText trims each line and collapses runs of blank lines, so templates can be indented freely.
func tidyText(s string) string {
	var out []string
	blank := true
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, line)
		blank = false
	}
	return strings.TrimSpace(strings.Join(out, "\r\n")) + "\r\n"
}

// Message renders m and returns the complete RFC 5322 message (headers, multipart/alternative body with the
// plain-text and HTML parts), with m.MessageID as its Message-ID, and its subject. Errors are permanent.
func (c *Composer) Message(m foi.OutboundMessage) (raw []byte, subject string, err error) {
	r, err := c.Render(m)
	if err != nil {
		return nil, "", err
	}
	if m.MessageID == "" || strings.ContainsAny(m.MessageID, "\r\n") {
		return nil, "", permanent("render", fmt.Errorf("message %d has no valid Message-ID", m.ID))
	}
	msg := gomail.NewMessage(gomail.SetCharset("UTF-8"), gomail.SetEncoding(gomail.QuotedPrintable))
	fromName := c.FromName
	if fromName == "" {
		fromName = "foidesk"
	}
	msg.SetAddressHeader("From", c.From, fromName)
	msg.SetAddressHeader("To", m.To, m.ToName)
	msg.SetHeader("Subject", r.Subject)
	msg.SetHeader("Message-ID", m.MessageID)
	msg.SetHeader("Auto-Submitted", "auto-generated")
	msg.SetHeader("X-Auto-Response-Suppress", "All")
	msg.SetBody("text/plain", r.Text)
	msg.AddAlternative("text/html", r.HTML)
	var buf bytes.Buffer
	// Room for both parts after quoted-printable encoding and the headers, so the buffer grows once.
	buf.Grow(1024 + (len(r.Text)+len(r.HTML))*5/4)
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, "", permanent("render", err)
	}
	return buf.Bytes(), r.Subject, nil
}
