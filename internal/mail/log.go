package mail

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"foidesk/internal/foi"
)

// LogSender "delivers" each message by writing it to a folder as <message-id>.eml (the complete message, as
// it would go over SMTP) and logging one line: for development and for instances without an SMTP server.
// Sending a message again overwrites its file, so the folder holds each message once.
type LogSender struct {
	composer *Composer
	dir      string
	log      *slog.Logger
}

// NewLogSender returns a LogSender writing to dir, which it creates (mode 0700) when missing. It returns an
// error when the folder cannot be created.
func NewLogSender(composer *Composer, dir string, log *slog.Logger) (*LogSender, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail folder: %w", err)
	}
	return &LogSender{composer: composer, dir: dir, log: log}, nil
}

// Send writes m to the folder and logs it. It returns a permanent *Error when m cannot be rendered and a
// temporary one when the file cannot be written.
func (s *LogSender) Send(ctx context.Context, m foi.OutboundMessage) error {
	return s.SendPrepared(ctx, s.Prepare(m))
}

// Prepare renders m for SendPrepared.
func (s *LogSender) Prepare(m foi.OutboundMessage) Prepared { return prepare(s.composer, m) }

// SendPrepared writes a message Prepare rendered, as Send does.
func (s *LogSender) SendPrepared(ctx context.Context, p Prepared) error {
	if p.err != nil {
		return p.err
	}
	m, raw, subject := p.Message, p.raw, p.subject
	path := filepath.Join(s.dir, EMLName(m.MessageID))
	tmp, err := os.CreateTemp(s.dir, ".tmp-*.eml")
	if err != nil {
		return &Error{Op: "write", Err: err}
	}
	_, werr := tmp.Write(raw)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return &Error{Op: "write", Err: werr}
	}
	s.log.InfoContext(ctx, "email written", "to", m.To, "template", m.Template, "subject", subject,
		"message_id", m.MessageID, "file", path)
	return nil
}

// EMLName returns the file name LogSender uses for a Message-ID: the id without its angle brackets, with any
// character that is not safe in a file name replaced by "_", and ".eml".
func EMLName(messageID string) string {
	id := strings.Trim(messageID, "<>")
	id = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '@', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, id)
	if id == "" || id[0] == '.' {
		id = "_" + id
	}
	return id + ".eml"
}
