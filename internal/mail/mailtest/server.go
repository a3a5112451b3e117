// Package mailtest runs a real SMTP server on loopback for tests: github.com/emersion/go-smtp with a backend
// that records every message (or, for benchmarks, only counts them), AUTH PLAIN, STARTTLS with a certificate
// generated at start, and replies of 4xx or 5xx on demand. It can hide PIPELINING and close idle connections
// early, and can be stopped and started again on the same address.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"foidesk/internal/testcert"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options chooses what the server offers.
type Options struct {
	TLS  bool // offer STARTTLS (and AUTH only after it)
	Auth bool // require AUTH PLAIN as User/Password
	// CountOnly counts the accepted messages but keeps none (Messages returns none), for benchmarks: the
	// server runs in the test's own process, so messages it kept would grow the heap every collection
	// of the code under test has to scan.
	CountOnly bool
	// NoPipelining hides PIPELINING from the EHLO reply, so that a client's way with servers that do not
	// offer it can be tested. Not with TLS, whose replies cannot be rewritten.
	NoPipelining bool
	// IdleTimeout is how long the server waits for a command before it replies 421 and closes the
	// connection; 30 s when zero.
	IdleTimeout time.Duration
}

// The credentials the server accepts when Options.Auth is set.
const (
	User     = "foidesk"
	Password = "s3cret-test-password"
)

// Message is one message the server accepted.
type Message struct {
	From      string
	To        []string
	Data      []byte
	MessageID string // the Message-ID header
	Header    mail.Header
	Authed    bool // the session had authenticated
	TLS       bool // the session was encrypted
}

// Server is a running test SMTP server.
type Server struct {
	tb   testing.TB
	opts Options
	addr string
	tls  *tls.Config

	mu       sync.Mutex
	srv      *smtp.Server
	ln       net.Listener
	msgs     []Message
	accepted int
	sessions int            // connections the server accepted
	failNext []int          // codes for the next RCPTs, consumed in order
	reject   map[string]int // recipient -> code, every time
	rcpts    int
	notify   chan struct{}
}

// Start starts a server on 127.0.0.1 on a free port; it is stopped when the test ends.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.NoPipelining && opts.TLS {
		tb.Fatal("mailtest: NoPipelining cannot be combined with TLS")
	}
	s := &Server{tb: tb, opts: opts, reject: map[string]int{}, notify: make(chan struct{}, 1)}
	if opts.TLS {
		s.tls = selfSigned(tb)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	tb.Cleanup(s.Stop)
	return s
}

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.sessions++
		s.mu.Unlock()
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "mailtest.local"
	srv.TLSConfig = s.tls
	srv.AllowInsecureAuth = !s.opts.TLS
	srv.ReadTimeout = s.opts.IdleTimeout
	if srv.ReadTimeout == 0 {
		srv.ReadTimeout = 30 * time.Second
	}
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.ErrorLog = discardLogger{}
	s.mu.Lock()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	if s.opts.NoPipelining {
		ln = withoutPipelining{ln}
	}
	go srv.Serve(ln)
}

// Addr returns host:port.
func (s *Server) Addr() string { return s.addr }

// URL returns an smtp:// URL for the server, with the credentials when it requires AUTH, STARTTLS required
// when it offers it, and the test certificate accepted.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.opts.Auth {
		u.User = url.UserPassword(User, Password)
	}
	q := url.Values{}
	if s.opts.TLS {
		q.Set("starttls", "required")
		q.Set("insecure_skip_verify", "1")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Stop closes the listener and every open connection; the address stays reserved for Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// Close the listener too: Serve may not have registered it with the server yet.
		ln.Close()
		srv.Close()
	}
}

// Restart listens again on the same address after Stop.
func (s *Server) Restart() {
	s.tb.Helper()
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.tb.Fatalf("mailtest: listen again on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

// FailNext makes the next len(codes) RCPT commands fail with these reply codes (4xx or 5xx), in order.
func (s *Server) FailNext(codes ...int) {
	s.mu.Lock()
	s.failNext = append(s.failNext, codes...)
	s.mu.Unlock()
}

// Reject makes every RCPT to addr fail with code.
func (s *Server) Reject(addr string, code int) {
	s.mu.Lock()
	s.reject[strings.ToLower(addr)] = code
	s.mu.Unlock()
}

// Messages returns a copy of the accepted messages, in order; none with Options.CountOnly.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Count returns how many messages were accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// Sessions returns how many connections the server has accepted, across restarts.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// RcptAttempts returns how many RCPT commands the server has seen, accepted or not.
func (s *Server) RcptAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpts
}

// WaitFor waits until at least n messages were accepted and reports whether they were before the timeout.
func (s *Server) WaitFor(n int, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for {
		if s.Count() >= n {
			return true
		}
		select {
		case <-s.notify:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			return s.Count() >= n
		}
	}
}

// ByMessageID counts the accepted messages per Message-ID.
func (s *Server) ByMessageID() map[string]int {
	out := map[string]int{}
	for _, m := range s.Messages() {
		out[m.MessageID]++
	}
	return out
}

type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string {
	if !ss.s.opts.Auth {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != User || password != Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Invalid credentials"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.Auth && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s := ss.s
	s.mu.Lock()
	s.rcpts++
	code := s.reject[strings.ToLower(to)]
	if code == 0 && len(s.failNext) > 0 {
		code = s.failNext[0]
		s.failNext = s.failNext[1:]
	}
	s.mu.Unlock()
	if code != 0 {
		enh := smtp.EnhancedCode{code / 100, 0, 0}
		return &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: fmt.Sprintf("mailtest says %d", code)}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: ss.from, To: ss.to, Data: b, Authed: ss.authed}
	if _, ok := ss.conn.TLSConnectionState(); ok {
		m.TLS = true
	}
	if pm, err := mail.ReadMessage(bytes.NewReader(b)); err == nil {
		m.Header = pm.Header
		m.MessageID = pm.Header.Get("Message-ID")
	}
	s := ss.s
	s.mu.Lock()
	s.accepted++
	if !s.opts.CountOnly {
		s.msgs = append(s.msgs, m)
	}
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

// selfSigned returns a TLS config with a certificate for 127.0.0.1 and localhost, valid for a day.
func selfSigned(tb testing.TB) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{testcert.New(tb).TLS}, MinVersion: tls.VersionTLS12}
}

// withoutPipelining is a listener whose connections drop the PIPELINING line from what the server writes
// (its EHLO reply lists it on a line of its own, never the last).
type withoutPipelining struct{ net.Listener }

func (l withoutPipelining) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return pipeliningHidden{c}, nil
}

type pipeliningHidden struct{ net.Conn }

func (c pipeliningHidden) Write(p []byte) (int, error) {
	if _, err := c.Conn.Write(bytes.Replace(p, []byte("250-PIPELINING\r\n"), nil, 1)); err != nil {
		return 0, err
	}
	return len(p), nil
}
