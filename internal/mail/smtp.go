package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"foidesk/internal/foi"
)

// SMTPConfig is how to reach an SMTP server, as parsed from an smtp:// or smtps:// URL.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // "" for no authentication
	Password string
	// ImplicitTLS is set by smtps://: TLS from the first byte (port 465). Otherwise STARTTLS is used when the
	// server offers it, and required when RequireTLS is set (?starttls=required).
	ImplicitTLS bool
	RequireTLS  bool
	From        string // ?from=: the From address, overriding the separate setting
	HeloName    string // ?helo=: the name given in EHLO; "localhost" when empty
	// InsecureSkipVerify (?insecure_skip_verify=1) accepts any server certificate: for tests only.
	InsecureSkipVerify bool
}

// ParseSMTPURL parses smtp://user:pass@host:port?from=... (STARTTLS when offered; default port 587) or
// smtps://user:pass@host:port (implicit TLS; default port 465). Query parameters: from, helo,
// starttls=required|opportunistic (starttls=required on smtp:// only), insecure_skip_verify=1. It returns an
// EINVALID error naming what is wrong; the password never appears in it.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	var cfg SMTPConfig
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return cfg, foi.Errorf(foi.EINVALID, "SMTP URL is malformed: want smtp://user:password@host:587")
	}
	shown := u.Redacted()
	switch u.Scheme {
	case "smtp":
		cfg.Port = 587
	case "smtps":
		cfg.ImplicitTLS = true
		cfg.Port = 465
	default:
		return cfg, foi.Errorf(foi.EINVALID, "SMTP URL %q: the scheme must be smtp:// or smtps://", shown)
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return cfg, foi.Errorf(foi.EINVALID, "SMTP URL %q has no host", shown)
	}
	if p := u.Port(); p != "" {
		cfg.Port, err = strconv.Atoi(p)
		if err != nil || cfg.Port < 1 || cfg.Port > 65535 {
			return cfg, foi.Errorf(foi.EINVALID, "SMTP URL %q: bad port %q", shown, p)
		}
	}
	if u.Path != "" && u.Path != "/" {
		return cfg, foi.Errorf(foi.EINVALID, "SMTP URL %q: unexpected path %q", shown, u.Path)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k, vs := range q {
		v := vs[len(vs)-1]
		switch k {
		case "from":
			cfg.From = foi.NormalizeEmail(v)
			if !validFrom(cfg.From) {
				return cfg, foi.Errorf(foi.EINVALID, "SMTP URL %q: from=%q is not an email address", shown, v)
			}
		case "helo":
			cfg.HeloName = v
		case "starttls":
			switch v {
			case "required":
				if cfg.ImplicitTLS {
					return cfg, foi.Errorf(foi.EINVALID, "SMTP URL %q: starttls applies to smtp:// only; smtps:// is TLS from the first byte", shown)
				}
				cfg.RequireTLS = true
			case "opportunistic", "":
			default:
				return cfg, foi.Errorf(foi.EINVALID, "SMTP URL %q: starttls must be required or opportunistic", shown)
			}
		case "insecure_skip_verify":
			cfg.InsecureSkipVerify = v == "1" || v == "true"
		default:
			return cfg, foi.Errorf(foi.EINVALID, "SMTP URL %q: unknown parameter %q (known: from, helo, starttls, insecure_skip_verify)", shown, k)
		}
	}
	return cfg, nil
}

// Addr returns host:port.
func (c SMTPConfig) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// SMTPSender delivers messages to an SMTP server. gomail builds each message (see Composer); the transport is
// net/smtp over a connection whose deadline follows the context, because gomail.v2's Dialer has no time-out
// or cancellation. Connections are kept open between messages (up to MaxIdle, for up to IdleTimeout), so a
// busy outbox does not pay for a TLS handshake and AUTH per email. When the server offers PIPELINING (RFC
// 2920), MAIL, RCPT and DATA go together and each email takes two round trips instead of four. Safe for
// concurrent use.
type SMTPSender struct {
	cfg      SMTPConfig
	composer *Composer
	tls      *tls.Config

	// MaxIdle is how many open connections are kept for reuse; IdleTimeout how long one may stay unused.
	MaxIdle     int
	IdleTimeout time.Duration
	// DefaultTimeout bounds one Send whose context has no deadline.
	DefaultTimeout time.Duration

	mu   sync.Mutex
	idle []*smtpConn
}

// NewSMTPSender returns a sender for cfg. The envelope and header From is cfg.From when the URL named one,
// else composer.From.
func NewSMTPSender(cfg SMTPConfig, composer *Composer) *SMTPSender {
	if cfg.From != "" {
		c := *composer
		c.From = cfg.From
		composer = &c
	}
	return &SMTPSender{
		cfg:      cfg,
		composer: composer,
		tls: &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12,
			InsecureSkipVerify: cfg.InsecureSkipVerify}, // #nosec G402 -- only when the URL asks, for tests
		MaxIdle:        4,
		IdleTimeout:    30 * time.Second,
		DefaultTimeout: time.Minute,
	}
}

// Composer returns the composer the sender renders messages with.
func (s *SMTPSender) Composer() *Composer { return s.composer }

// smtpConn is one open, authenticated SMTP session.
type smtpConn struct {
	conn     net.Conn
	c        *smtp.Client
	lastUsed time.Time
	// pipelining: the server offers PIPELINING (RFC 2920), so deliver sends MAIL, RCPT and DATA together.
	pipelining bool
	// mailParams is what net/smtp adds to MAIL FROM for this server (BODY=8BITMIME, SMTPUTF8), so that a
	// pipelined MAIL is the same command.
	mailParams string
}

func (sc *smtpConn) close() {
	sc.conn.SetDeadline(time.Now().Add(time.Second))
	sc.c.Quit()
	sc.conn.Close()
}

// Send renders m and delivers it to the server. It returns a permanent *Error for a message that cannot be
// rendered or that the server rejects with a 5xx reply, and a temporary *Error for anything else (4xx, time-out,
// connection refused, TLS or authentication failure).
func (s *SMTPSender) Send(ctx context.Context, m foi.OutboundMessage) error {
	return s.SendPrepared(ctx, s.Prepare(m))
}

// Prepare renders m for SendPrepared.
func (s *SMTPSender) Prepare(m foi.OutboundMessage) Prepared { return prepare(s.composer, m) }

// SendPrepared delivers a message Prepare rendered, as Send does.
func (s *SMTPSender) SendPrepared(ctx context.Context, p Prepared) error {
	if p.err != nil {
		return p.err
	}
	m, raw := p.Message, p.raw
	if _, ok := ctx.Deadline(); !ok && s.DefaultTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.DefaultTimeout)
		defer cancel()
	}
	for {
		sc, reused, err := s.get(ctx)
		if err != nil {
			return err
		}
		op, err := s.deliver(ctx, sc, m.To, raw)
		if err == nil {
			s.put(sc)
			return nil
		}
		// A kept connection the server has since closed fails at MAIL without having sent anything:
		// try again on a fresh one.
		if reused && op == "mail" && staleConn(err) {
			sc.conn.Close()
			continue
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !isReply(err) {
			err = fmt.Errorf("%w (%v)", ctxErr, err)
		}
		if isReply(err) && op != "data-write" && s.reset(ctx, sc) == nil {
			s.put(sc)
		} else {
			sc.conn.Close()
		}
		return smtpError(op, err)
	}
}

// deliver runs one mail transaction on sc and returns the step that failed.
func (s *SMTPSender) deliver(ctx context.Context, sc *smtpConn, to string, raw []byte) (op string, err error) {
	deadline, _ := ctx.Deadline()
	sc.conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { sc.conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if sc.pipelining {
		return s.deliverPipelined(sc, to, raw)
	}
	if err := sc.c.Mail(s.composer.From); err != nil {
		return "mail", err
	}
	if err := sc.c.Rcpt(to); err != nil {
		return "rcpt", err
	}
	w, err := sc.c.Data()
	if err != nil {
		return "data", err
	}
	if _, err := w.Write(raw); err != nil {
		return "data-write", err
	}
	if err := w.Close(); err != nil {
		if isReply(err) {
			return "data", err
		}
		return "data-write", err
	}
	return "", nil
}

// errLineBreak refuses an address that would end the command it is in and start another, as net/smtp does.
var errLineBreak = errors.New("smtp: an address must not contain CR or LF")

// deliverPipelined runs one mail transaction on sc in two round trips instead of four (RFC 2920): MAIL, RCPT
// and DATA go in one write and their three replies are read together, then the message and its final reply.
// Every reply of the group is read, so after a refusal the connection is in step for RSET and the next
// message; the step reported is the first that failed.
func (s *SMTPSender) deliverPipelined(sc *smtpConn, to string, raw []byte) (op string, err error) {
	from := s.composer.From
	if strings.ContainsAny(from, "\r\n") {
		return "mail", errLineBreak
	}
	if strings.ContainsAny(to, "\r\n") {
		return "rcpt", errLineBreak
	}
	t := sc.c.Text
	t.W.WriteString("MAIL FROM:<" + from + ">" + sc.mailParams + "\r\nRCPT TO:<" + to + ">\r\nDATA\r\n")
	if err := t.W.Flush(); err != nil {
		return "mail", err
	}
	dataAccepted := false
	for _, step := range [...]struct {
		op   string
		code int
	}{{"mail", 250}, {"rcpt", 25}, {"data", 354}} {
		_, _, replyErr := t.ReadResponse(step.code)
		switch {
		case replyErr == nil:
			dataAccepted = step.op == "data"
		case !isReply(replyErr): // the connection broke: the caller closes it
			if err != nil {
				return op, err // the reply before says why (421: the server is closing a kept connection)
			}
			return step.op, replyErr
		case err == nil:
			op, err = step.op, replyErr
		}
	}
	if err != nil {
		if dataAccepted {
			// Not with a server that keeps RFC 2920, which refuses DATA when MAIL or RCPT was refused: one
			// that asks for the message anyway is not in step for another, so the connection is not kept.
			sc.conn.Close()
		}
		return op, err
	}
	w := t.DotWriter()
	if _, err := w.Write(raw); err != nil {
		return "data-write", err
	}
	if err := w.Close(); err != nil {
		return "data-write", err
	}
	if _, _, err := t.ReadResponse(250); err != nil {
		if isReply(err) {
			return "data", err
		}
		return "data-write", err
	}
	return "", nil
}

// reset ends a failed transaction so the connection can be reused.
func (s *SMTPSender) reset(ctx context.Context, sc *smtpConn) error {
	deadline, _ := ctx.Deadline()
	if deadline.IsZero() || time.Until(deadline) < time.Second {
		deadline = time.Now().Add(5 * time.Second)
	}
	sc.conn.SetDeadline(deadline)
	return sc.c.Reset()
}

// isReply reports whether err is a reply from the server (as opposed to a network failure).
func isReply(err error) bool {
	var tp *textproto.Error
	return errors.As(err, &tp)
}

// staleConn reports whether err means a kept connection had been closed by the server.
func staleConn(err error) bool {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code == 421 // service closing transmission channel
	}
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// get returns a kept connection, or dials a new one.
func (s *SMTPSender) get(ctx context.Context) (sc *smtpConn, reused bool, err error) {
	s.mu.Lock()
	for len(s.idle) > 0 {
		sc = s.idle[len(s.idle)-1]
		s.idle = s.idle[:len(s.idle)-1]
		if time.Since(sc.lastUsed) < s.IdleTimeout {
			s.mu.Unlock()
			return sc, true, nil
		}
		go sc.close()
	}
	s.mu.Unlock()
	sc, err = s.dial(ctx)
	return sc, false, err
}

// put keeps sc for reuse, or closes it when enough are kept.
func (s *SMTPSender) put(sc *smtpConn) {
	sc.lastUsed = time.Now()
	sc.conn.SetDeadline(time.Time{})
	s.mu.Lock()
	if len(s.idle) < s.MaxIdle {
		s.idle = append(s.idle, sc)
		sc = nil
	}
	s.mu.Unlock()
	if sc != nil {
		sc.close()
	}
}

// dial connects, says EHLO, starts TLS and authenticates.
func (s *SMTPSender) dial(ctx context.Context) (*smtpConn, error) {
	dialer := net.Dialer{Timeout: 15 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", s.cfg.Addr())
	if err != nil {
		return nil, &Error{Op: "connect", Err: err}
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if s.cfg.ImplicitTLS {
		tc := tls.Client(conn, s.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, &Error{Op: "tls", Err: err}
		}
		conn = tc
	}
	fail := func(op string, err error) (*smtpConn, error) {
		conn.Close()
		return nil, smtpError(op, err)
	}
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return fail("greeting", err)
	}
	helo := s.cfg.HeloName
	if helo == "" {
		helo = "localhost"
	}
	if err := c.Hello(helo); err != nil {
		return fail("ehlo", err)
	}
	if !s.cfg.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tls); err != nil {
				return fail("starttls", err)
			}
		} else if s.cfg.RequireTLS {
			return fail("starttls", errors.New("the server does not offer STARTTLS and the SMTP URL requires it"))
		}
	}
	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return fail("auth", errors.New("the server does not offer AUTH (is STARTTLS needed first?)"))
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fail("auth", err)
		}
	}
	sc := &smtpConn{conn: conn, c: c}
	sc.pipelining, _ = c.Extension("PIPELINING")
	for _, ext := range [...]struct{ name, param string }{{"8BITMIME", " BODY=8BITMIME"}, {"SMTPUTF8", " SMTPUTF8"}} {
		if ok, _ := c.Extension(ext.name); ok {
			sc.mailParams += ext.param
		}
	}
	return sc, nil
}

// Verify connects, authenticates and keeps the connection for the next message: a start-up check of the
// configuration. It returns the same errors as Send.
func (s *SMTPSender) Verify(ctx context.Context) error {
	sc, _, err := s.get(ctx)
	if err != nil {
		return err
	}
	if err := sc.c.Noop(); err != nil {
		sc.conn.Close()
		return smtpError("noop", err)
	}
	s.put(sc)
	return nil
}

// Close closes the kept connections.
func (s *SMTPSender) Close() error {
	s.mu.Lock()
	idle := s.idle
	s.idle = nil
	s.mu.Unlock()
	for _, sc := range idle {
		sc.close()
	}
	return nil
}
