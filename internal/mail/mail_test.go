package mail_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
	fmail "foidesk/internal/mail"
	"foidesk/internal/mail/mailtest"
)

func composer(t *testing.T) *fmail.Composer {
	t.Helper()
	c, err := fmail.NewComposer("foidesk@ho.example.gov.uk", "https://foidesk.example.gov.uk/")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// startSender starts a test SMTP server with opts and returns it, the parsed URL of it and a sender to it.
func startSender(t *testing.T, opts mailtest.Options) (*mailtest.Server, fmail.SMTPConfig, *fmail.SMTPSender) {
	t.Helper()
	srv := mailtest.Start(t, opts)
	cfg, err := fmail.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	s := fmail.NewSMTPSender(cfg, composer(t))
	t.Cleanup(func() { s.Close() })
	return srv, cfg, s
}

// bothWays runs test as a subtest against a server that offers PIPELINING and one that does not.
func bothWays(t *testing.T, test func(t *testing.T, opts mailtest.Options)) {
	for _, pipelining := range []bool{true, false} {
		t.Run(fmt.Sprintf("pipelining=%v", pipelining), func(t *testing.T) {
			test(t, mailtest.Options{NoPipelining: !pipelining})
		})
	}
}

func message(id int64, to string) foi.OutboundMessage {
	return foi.OutboundMessage{
		ID: id, Template: foi.TmplConsultationSent, To: to, ToName: "Dee Liaison",
		Data: map[string]string{"case_reference": "HO-FOI-2026-000123", "from_party": "Home Office",
			"respond_by": "Friday 12 June 2026"},
		Link: "/consultations/12", MessageID: "<0123456789abcdef@foidesk>", Attempts: 1,
	}
}

func TestParseSMTPURL(t *testing.T) {
	good := map[string]fmail.SMTPConfig{
		"smtp://mail.example.gov.uk": {Host: "mail.example.gov.uk", Port: 587},
		"smtp://u%40x:p%3Ass@mail.example.gov.uk:2525?from=noreply@example.gov.uk&starttls=required": {
			Host: "mail.example.gov.uk", Port: 2525, Username: "u@x", Password: "p:ss",
			From: "noreply@example.gov.uk", RequireTLS: true},
		"smtps://u:p@mail.example.gov.uk": {Host: "mail.example.gov.uk", Port: 465, Username: "u", Password: "p",
			ImplicitTLS: true},
		"smtp://127.0.0.1:25?insecure_skip_verify=1&helo=foidesk.example": {Host: "127.0.0.1", Port: 25,
			InsecureSkipVerify: true, HeloName: "foidesk.example"},
	}
	for raw, want := range good {
		got, err := fmail.ParseSMTPURL(raw)
		if err != nil || got != want {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	for _, raw := range []string{"", "http://mail.example", "smtp://", "smtp://h:99999", "smtp://h/path",
		"smtp://h?from=nobody", "smtp://h?starttls=maybe", "smtp://h?tls=1", "smtp://u:hunter2@h?bogus=1",
		"smtps://h?starttls=required"} {
		_, err := fmail.ParseSMTPURL(raw)
		if foi.ErrorCode(err) != foi.EINVALID {
			t.Errorf("ParseSMTPURL(%q): err = %v, want EINVALID", raw, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseSMTPURL(%q): the error shows the password: %v", raw, err)
		}
	}
}

func TestNewComposer_ChecksSettings(t *testing.T) {
	if _, err := fmail.NewComposer("foidesk@localhost", "http://127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]string{{"not-an-address", "http://x"}, {"a@b.c", "ftp://x"}, {"a@b.c", "/relative"}} {
		if _, err := fmail.NewComposer(c[0], c[1]); foi.ErrorCode(err) != foi.EINVALID {
			t.Errorf("NewComposer(%q, %q) = %v, want EINVALID", c[0], c[1], err)
		}
	}
}

// sample returns data for every field a template may carry.
func sample(name string) map[string]string {
	d := map[string]string{}
	for _, k := range foi.NotificationTemplates[name] {
		d[k] = "VALUE-" + k
	}
	return d
}

func TestRender_EveryTemplateHasSubjectTextAndHTMLWithOneLink(t *testing.T) {
	c := composer(t)
	for _, name := range foi.TemplateNames() {
		for _, toName := range []string{"", "Dee <Liaison> & Co"} {
			link := "/x/1"
			if foi.NoLinkTemplates[name] {
				link = ""
			}
			r, err := c.Render(foi.OutboundMessage{Template: name, To: "a@example.gov.uk", ToName: toName,
				Data: sample(name), Link: link, MessageID: "<m@foidesk>"})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			url := "https://foidesk.example.gov.uk/x/1"
			for part, s := range map[string]string{"subject": r.Subject, "text": r.Text, "html": r.HTML} {
				if strings.Contains(s, "<no value>") || s == "" {
					t.Errorf("%s %s: %q", name, part, s)
				}
			}
			if foi.NoLinkTemplates[name] {
				if strings.Contains(r.HTML, "href=") || strings.Contains(r.Text, "https://") {
					t.Errorf("%s goes outside the organisation and must carry no link:\n%s\n%s", name, r.Text, r.HTML)
				}
			} else if !strings.Contains(r.Text, url) || strings.Count(r.HTML, "href=") != 1 ||
				!strings.Contains(r.HTML, `href="`+url+`"`) {
				t.Errorf("%s: the link %s is not there exactly once:\n%s\n%s", name, url, r.Text, r.HTML)
			}
			for _, k := range foi.NotificationTemplates[name] {
				if !strings.Contains(r.Text+r.Subject, "VALUE-"+k) {
					t.Errorf("%s: field %s is not used in the text", name, k)
				}
			}
			if toName != "" && !strings.Contains(r.HTML, "Dee &lt;Liaison&gt; &amp; Co") {
				t.Errorf("%s: the name is not escaped in HTML:\n%s", name, r.HTML)
			}
		}
	}
	_, err := c.Render(foi.OutboundMessage{Template: "nope", MessageID: "<m@foidesk>"})
	if !fmail.IsPermanent(err) {
		t.Fatalf("unknown template: %v, want a permanent error", err)
	}
	_, err = c.Render(foi.OutboundMessage{Template: foi.TmplConsultationSent, Link: "/", MessageID: "<m@foidesk>"})
	if !fmail.IsPermanent(err) {
		t.Fatalf("missing data: %v, want a permanent error", err)
	}
}

// parts returns the text/plain and text/html bodies of a multipart/alternative message.
func parts(t *testing.T, raw []byte) (hdr mail.Header, text, html string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", m.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p) // multipart decodes quoted-printable
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
	return m.Header, text, html
}

func TestSMTPSender_DeliversOverSTARTTLSWithAuth(t *testing.T) {
	srv, _, s := startSender(t, mailtest.Options{TLS: true, Auth: true})
	ctx := context.Background()
	if err := s.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		m := message(int64(i), "dee@dfe.example.gov.uk")
		m.MessageID = "<" + strings.Repeat("ab", i+1) + "@foidesk>"
		if err := s.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.Messages()
	if len(got) != 3 {
		t.Fatalf("server got %d messages", len(got))
	}
	m := got[0]
	if !m.TLS || !m.Authed || m.From != "foidesk@ho.example.gov.uk" || len(m.To) != 1 || m.To[0] != "dee@dfe.example.gov.uk" {
		t.Fatalf("envelope/session: %+v", m)
	}
	hdr, text, html := parts(t, m.Data)
	if hdr.Get("Message-ID") != "<ab@foidesk>" || got[2].MessageID != "<ababab@foidesk>" {
		t.Fatalf("Message-ID %q", hdr.Get("Message-ID"))
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(hdr.Get("Subject"))
	if subject != "FOI consultation HO-FOI-2026-000123: representations due by Friday 12 June 2026" {
		t.Fatalf("Subject %q", subject)
	}
	if to, _ := mail.ParseAddress(hdr.Get("To")); to == nil || to.Name != "Dee Liaison" {
		t.Fatalf("To %q", hdr.Get("To"))
	}
	if !strings.Contains(text, "Hello Dee Liaison,") || !strings.Contains(text, "https://foidesk.example.gov.uk/consultations/12") {
		t.Fatalf("text part:\n%s", text)
	}
	if !strings.Contains(html, `<a href="https://foidesk.example.gov.uk/consultations/12"`) {
		t.Fatalf("html part:\n%s", html)
	}
	if hdr.Get("Auto-Submitted") != "auto-generated" || hdr.Get("Date") == "" {
		t.Fatalf("headers %v", hdr)
	}
}

// TestSMTPSender_ClassifiesRepliesAndKeepsTheConnection runs against a server that offers PIPELINING (MAIL,
// RCPT and DATA sent together, RFC 2920) and one that does not (one command at a time): a 4xx is temporary,
// a 5xx permanent, and after either the connection is still in step, so the next message goes over it.
func TestSMTPSender_ClassifiesRepliesAndKeepsTheConnection(t *testing.T) {
	bothWays(t, func(t *testing.T, opts mailtest.Options) {
		opts.Auth = true
		srv, cfg, s := startSender(t, opts)
		if got := offersPipelining(t, srv); got == opts.NoPipelining {
			t.Fatalf("the server offers PIPELINING: %v, want %v", got, !opts.NoPipelining)
		}
		sessionsBefore := srv.Sessions()
		ctx := context.Background()

		srv.FailNext(451)
		err := s.Send(ctx, message(1, "a@example.gov.uk"))
		var me *fmail.Error
		if !errors.As(err, &me) || me.Code != 451 || me.Op != "rcpt" || fmail.IsPermanent(err) {
			t.Fatalf("4xx: %v, want a temporary error with code 451 at rcpt", err)
		}
		srv.Reject("gone@example.gov.uk", 550)
		err = s.Send(ctx, message(2, "gone@example.gov.uk"))
		if !errors.As(err, &me) || me.Code != 550 || me.Op != "rcpt" || !fmail.IsPermanent(err) {
			t.Fatalf("5xx: %v, want a permanent error with code 550 at rcpt", err)
		}
		if err := s.Send(ctx, message(3, "a@example.gov.uk")); err != nil {
			t.Fatalf("after rejections: %v", err)
		}
		if srv.Count() != 1 || srv.Messages()[0].To[0] != "a@example.gov.uk" {
			t.Fatalf("server got %d messages, want the one to a@example.gov.uk", srv.Count())
		}
		if n := srv.Sessions() - sessionsBefore; n != 1 {
			t.Fatalf("%d connections, want 1: a refusal must leave the connection fit for the next message", n)
		}

		// Wrong credentials are a configuration problem: retried, not dead-lettered.
		bad := cfg
		bad.Password = "wrong"
		err = fmail.NewSMTPSender(bad, composer(t)).Send(ctx, message(4, "a@example.gov.uk"))
		if err == nil || fmail.IsPermanent(err) {
			t.Fatalf("bad auth: %v, want a temporary error", err)
		}
	})
}

// TestSMTPSender_RefusesAnAddressThatWouldInjectACommand: a recipient with a line break never reaches the
// server as a command of its own, pipelined or not, and nothing is delivered.
func TestSMTPSender_RefusesAnAddressThatWouldInjectACommand(t *testing.T) {
	bothWays(t, func(t *testing.T, opts mailtest.Options) {
		srv, _, s := startSender(t, opts)
		err := s.Send(context.Background(), message(1, "a@example.gov.uk>\r\nRCPT TO:<evil@example.com"))
		if err == nil || !strings.Contains(err.Error(), "CR or LF") {
			t.Fatalf("got %v, want an error about CR or LF", err)
		}
		if srv.Count() != 0 || srv.RcptAttempts() != 0 {
			t.Fatalf("the server saw %d RCPTs and took %d messages, want none", srv.RcptAttempts(), srv.Count())
		}
		if err := s.Send(context.Background(), message(2, "a@example.gov.uk")); err != nil {
			t.Fatalf("the next message: %v", err)
		}
	})
}

// offersPipelining reports whether srv lists PIPELINING in its EHLO reply.
func offersPipelining(t *testing.T, srv *mailtest.Server) bool {
	t.Helper()
	c, err := smtp.Dial(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		t.Fatal(err)
	}
	ok, _ := c.Extension("PIPELINING")
	return ok
}

func TestSMTPSender_ServerDownThenBackUp(t *testing.T) {
	srv, _, s := startSender(t, mailtest.Options{})
	ctx := context.Background()
	if err := s.Send(ctx, message(1, "a@example.gov.uk")); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	err := s.Send(ctx, message(2, "a@example.gov.uk"))
	if err == nil || fmail.IsPermanent(err) {
		t.Fatalf("server down: %v, want a temporary error", err)
	}
	srv.Restart()
	// The kept connection died with the old server: the sender notices and dials again.
	if err := s.Send(ctx, message(3, "a@example.gov.uk")); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if srv.Count() != 2 {
		t.Fatalf("server got %d messages, want 2", srv.Count())
	}
}

// TestSMTPSender_DialsAgainWhenTheServerClosedAKeptConnection: a server that closes an idle connection (with
// 421, as go-smtp does) costs the next message nothing; it goes over a fresh connection, pipelined or not.
func TestSMTPSender_DialsAgainWhenTheServerClosedAKeptConnection(t *testing.T) {
	bothWays(t, func(t *testing.T, opts mailtest.Options) {
		opts.IdleTimeout = 50 * time.Millisecond
		srv, _, s := startSender(t, opts)
		ctx := context.Background()
		if err := s.Send(ctx, message(1, "a@example.gov.uk")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // the server says 421 and closes the kept connection
		if err := s.Send(ctx, message(2, "b@example.gov.uk")); err != nil {
			t.Fatalf("after the server closed the kept connection: %v", err)
		}
		if srv.Count() != 2 || srv.Sessions() != 2 {
			t.Fatalf("%d messages over %d connections, want 2 over 2", srv.Count(), srv.Sessions())
		}
	})
}

func TestSMTPSender_TimesOutOnASilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // accept, never greet
		}
	}()
	cfg, _ := fmail.ParseSMTPURL("smtp://" + ln.Addr().String())
	s := fmail.NewSMTPSender(cfg, composer(t))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, message(1, "a@example.gov.uk"))
	if err == nil || fmail.IsPermanent(err) || time.Since(start) > 2*time.Second {
		t.Fatalf("silent server: %v after %s, want a temporary error within the timeout", err, time.Since(start))
	}
}

func TestLogSender_WritesOneEMLPerMessageID(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	var logBuf bytes.Buffer
	s, err := fmail.NewLogSender(composer(t), dir, slog.New(slog.NewTextHandler(&logBuf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m := message(1, "a@example.gov.uk")
	for range 2 { // a second attempt overwrites the same file
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "0123456789abcdef@foidesk.eml" {
		t.Fatalf("files %v", entries)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	hdr, text, _ := parts(t, raw)
	if hdr.Get("Message-ID") != m.MessageID || !strings.Contains(text, "HO-FOI-2026-000123") {
		t.Fatalf("eml:\n%s", raw)
	}
	if !strings.Contains(logBuf.String(), "message_id=<0123456789abcdef@foidesk>") {
		t.Fatalf("log: %s", logBuf.String())
	}
	if got := fmail.EMLName("<../../etc/passwd>"); strings.Contains(got, "/") || strings.HasPrefix(got, ".") {
		t.Fatalf("EMLName let a path through: %q", got)
	}
}
