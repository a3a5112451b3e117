package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"net/url"
	"strings"
	"sync"
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

// templateData is what the templates see.
type templateData struct {
	Name string            // the recipient's name, may be empty
	D    map[string]string // the message's data fields
	URL  string            // BaseURL + link, "" when the message has no link
}

// rendering is one message's templates rendered: the subject, the plain-text part (tidied) and the HTML part.
// Renderings are pooled (see render): the outbox writes every email it sends, and fresh buffers for each, then
// copying them into strings for gomail, were more than half of the garbage of writing one.
type rendering struct {
	subject    string
	text, html bytes.Buffer
	scratch    bytes.Buffer // the text part before tidying, and the subject before its spaces are collapsed
}

// maxPooledRendering is the most buffer space (bytes) a rendering may hold and still go back to the pool, so
// that one long email (a big daily digest) does not keep its buffers alive for good.
const maxPooledRendering = 64 << 10

var renderings = sync.Pool{New: func() any { return new(rendering) }}

// render renders m's templates into a rendering from the pool; give it back with release once its parts are
// written. It returns a permanent *Error for an unknown template or a missing data field.
func (c *Composer) render(m foi.OutboundMessage) (*rendering, error) {
	set, ok := templates[m.Template]
	if !ok {
		return nil, permanent("render", fmt.Errorf("unknown email template %q", m.Template))
	}
	data := templateData{Name: m.ToName, D: m.Data, URL: ""}
	if data.D == nil {
		data.D = map[string]string{}
	}
	if m.Link != "" {
		data.URL = c.BaseURL + m.Link
	}
	r := renderings.Get().(*rendering)
	r.text.Reset()
	r.html.Reset()
	r.scratch.Reset()
	if err := set.text.ExecuteTemplate(&r.scratch, "subject", data); err != nil {
		r.release()
		return nil, permanent("render", err)
	}
	r.subject = strings.Join(strings.Fields(r.scratch.String()), " ")
	r.scratch.Reset()
	if err := set.text.ExecuteTemplate(&r.scratch, "text", data); err != nil {
		r.release()
		return nil, permanent("render", err)
	}
	tidyText(&r.text, r.scratch.Bytes())
	if err := set.html.Execute(&r.html, data); err != nil {
		r.release()
		return nil, permanent("render", err)
	}
	return r, nil
}

// Rendered is a message's subject and its two parts.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// Render renders m's templates: the subject, the plain-text part and the HTML part that Message puts in the
// email. It returns a permanent *Error for an unknown template or a missing data field.
func (c *Composer) Render(m foi.OutboundMessage) (Rendered, error) {
	r, err := c.render(m)
	if err != nil {
		return Rendered{}, err
	}
	defer r.release()
	return Rendered{Subject: r.subject, Text: r.text.String(), HTML: r.html.String()}, nil
}

// release returns r to the pool, unless its buffers have grown past maxPooledRendering.
func (r *rendering) release() {
	if r.text.Cap()+r.html.Cap()+r.scratch.Cap() <= maxPooledRendering {
		renderings.Put(r)
	}
}

// tidyText writes s to w with each line trimmed, blank lines at either end dropped and runs of blank lines
// collapsed into one, so templates can be indented freely; lines end with CRLF.
func tidyText(w *bytes.Buffer, s []byte) {
	w.Grow(len(s) + len(s)/8)
	start := w.Len()
	blankBefore := false
	for line := range bytes.Lines(s) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			blankBefore = w.Len() > start
			continue
		}
		if w.Len() > start {
			w.WriteString("\r\n")
			if blankBefore {
				w.WriteString("\r\n")
			}
		}
		blankBefore = false
		w.Write(line)
	}
	w.WriteString("\r\n")
}

// Message renders m and returns the complete RFC 5322 message (headers, multipart/alternative body with the
// plain-text and HTML parts), with m.MessageID as its Message-ID, and its subject. Errors are permanent.
func (c *Composer) Message(m foi.OutboundMessage) (raw []byte, subject string, err error) {
	if m.MessageID == "" || strings.ContainsAny(m.MessageID, "\r\n") {
		return nil, "", permanent("render", fmt.Errorf("message %d has no valid Message-ID", m.ID))
	}
	r, err := c.render(m)
	if err != nil {
		return nil, "", err
	}
	defer r.release()
	msg := gomail.NewMessage(gomail.SetCharset("UTF-8"), gomail.SetEncoding(gomail.QuotedPrintable))
	fromName := c.FromName
	if fromName == "" {
		fromName = "foidesk"
	}
	msg.SetAddressHeader("From", c.From, fromName)
	msg.SetAddressHeader("To", m.To, m.ToName)
	msg.SetHeader("Subject", r.subject)
	msg.SetHeader("Message-ID", m.MessageID)
	msg.SetHeader("Auto-Submitted", "auto-generated")
	msg.SetHeader("X-Auto-Response-Suppress", "All")
	// The parts go to gomail's encoder straight from the rendering's buffers: as strings (SetBody,
	// AddAlternative) each would be copied twice more. On a new message the first "alternative" is the body.
	msg.AddAlternativeWriter("text/plain", writeBuffer(&r.text))
	msg.AddAlternativeWriter("text/html", writeBuffer(&r.html))
	var buf bytes.Buffer
	// Room for both parts after quoted-printable encoding and the headers, so the buffer grows once.
	buf.Grow(1024 + (r.text.Len()+r.html.Len())*5/4)
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, "", permanent("render", err)
	}
	return buf.Bytes(), r.subject, nil
}

// writeBuffer returns a gomail part writer that writes b's contents.
func writeBuffer(b *bytes.Buffer) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b.Bytes())
		return err
	}
}
