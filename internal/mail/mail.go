// Package mail delivers foidesk's notifications by email: it renders a message from an embedded template (a
// plain-text and an HTML part, in the plain style of GOV.UK Notify: short paragraphs, one link), builds it with
// gomail, and hands it to a Sender: SMTPSender for a real server, LogSender for a folder of .eml files when
// no server is configured. An email never carries case content, only a notice and a link.
//
// mail imports foi and nothing else of foidesk.
package mail

import (
	"context"
	"errors"
	"net/textproto"

	"foidesk/internal/foi"
)

// Sender delivers one outbound message. A nil error means the receiving server accepted it. An error for which
// IsPermanent reports true will fail again however often it is retried (a 5xx reply to the message, an
// unknown template); any other error is worth retrying (4xx, time-outs, connection refused).
type Sender interface {
	Send(ctx context.Context, m foi.OutboundMessage) error
}

// A Preparer is a Sender that can render a message ahead of sending it, so that a caller sending many renders
// the next message while the current one is on the wire. SendPrepared(ctx, Prepare(m)) does exactly what
// Send(ctx, m) does, errors included; a Prepared goes only to the Sender that prepared it.
type Preparer interface {
	Sender
	Prepare(m foi.OutboundMessage) Prepared
	SendPrepared(ctx context.Context, p Prepared) error
}

// Prepared is a message rendered for sending, or the error rendering it gave (which sending it returns).
type Prepared struct {
	Message foi.OutboundMessage
	raw     []byte
	subject string
	err     error
}

// prepare renders m with c.
func prepare(c *Composer, m foi.OutboundMessage) Prepared {
	raw, subject, err := c.Message(m)
	return Prepared{Message: m, raw: raw, subject: subject, err: err}
}

// Error is a failed delivery attempt: what was being done, the SMTP reply code if the server gave one, and
// whether retrying is pointless.
type Error struct {
	Op        string // "render", "connect", "auth", "mail", "rcpt", "data", ...
	Code      int    // the SMTP reply code, 0 when the server gave none
	Permanent bool
	Err       error
}

// Error returns "op: cause".
func (e *Error) Error() string { return e.Op + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err (or an error it wraps) is a delivery failure that retrying cannot fix.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// permanent returns a permanent *Error.
func permanent(op string, err error) error { return &Error{Op: op, Permanent: true, Err: err} }

// smtpError classifies an error of one SMTP step. A 5xx reply to the message itself (MAIL, RCPT, DATA) is
// permanent; a 5xx at connection, TLS or authentication is a configuration problem that an operator can fix
// without touching the message, so it is retried like a 4xx or a network failure.
func smtpError(op string, err error) error {
	e := &Error{Op: op, Err: err}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		e.Code = tp.Code
		switch op {
		case "mail", "rcpt", "data":
			e.Permanent = tp.Code >= 500 && tp.Code < 600
		}
	}
	return e
}

var (
	_ Preparer = (*SMTPSender)(nil)
	_ Preparer = (*LogSender)(nil)
)
