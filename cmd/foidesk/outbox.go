package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/mail"
	"foidesk/internal/store"
	"foidesk/internal/worker"
)

var outboxCommand = command{
	name:    "outbox",
	usage:   "outbox list|retry|test [--status S] [ID|--all-dead] [--to A]",
	summary: "list queued emails, retry dead ones, or queue a test email",
	run:     runOutbox,
}

func runOutbox(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usagef("say what to do: 'outbox list', 'outbox retry ID|--all-dead' or 'outbox test --to ADDR'")
	}
	switch args[0] {
	case "list":
		return runOutboxList(ctx, env, args[1:])
	case "retry":
		return runOutboxRetry(ctx, env, args[1:])
	case "test":
		return runOutboxTest(ctx, env, args[1:])
	}
	return usagef("unknown outbox subcommand %q: use list, retry or test", args[0])
}

func runOutboxList(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("outbox list")
	dsn := dbFlag(fs, env)
	status := fs.String("status", "", "only messages with this status: pending, sending, sent or dead")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *status != "" && !foi.OutboxStatus(*status).Valid() {
		return usagef("--status %q: use pending, sending, sent or dead", *status)
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx = cliContext(ctx)
	entries, err := d.ListOutbox(ctx, foi.OutboxStatus(*status))
	if err != nil {
		return domainError(err)
	}
	counts, err := d.OutboxCounts(ctx)
	if err != nil {
		return err
	}
	var summary []string
	for _, s := range []foi.OutboxStatus{foi.OutboxPending, foi.OutboxSending, foi.OutboxSent, foi.OutboxDead} {
		summary = append(summary, fmt.Sprintf("%s %d", s, counts[s]))
	}
	fmt.Fprintf(env.stdout, "Outbox: %s\n", strings.Join(summary, ", "))
	if len(entries) == 0 {
		fmt.Fprintln(env.stdout, "No messages.")
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tATTEMPTS\tWHEN\tTEMPLATE\tTO\tLAST ERROR")
	for _, e := range entries {
		when := e.NextAttemptAt
		switch {
		case e.Status == foi.OutboxSent && e.SentAt != nil:
			when = *e.SentAt
		case e.Status == foi.OutboxSending && e.LockedUntil != nil:
			when = *e.LockedUntil
		case e.Status == foi.OutboxDead:
			when = e.CreatedAt
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\n", e.ID, e.Status, e.Attempts, when.Format(time.RFC3339),
			e.Template, e.To, oneLine(shorten(e.LastError, 80)))
	}
	return tw.Flush()
}

func runOutboxRetry(ctx context.Context, env *cliEnv, args []string) error {
	var idArg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		idArg, args = args[0], args[1:]
	}
	fs := newFlags("outbox retry")
	dsn := dbFlag(fs, env)
	allDead := fs.Bool("all-dead", false, "retry every dead message")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var id int64
	switch {
	case idArg != "" && *allDead:
		return usagef("give a message ID or --all-dead, not both")
	case idArg == "" && !*allDead:
		return usagef("say which message to retry: 'outbox retry ID' or 'outbox retry --all-dead'")
	case idArg != "":
		n, err := strconv.ParseInt(idArg, 10, 64)
		if err != nil || n <= 0 {
			return usagef("message ID %q: want a positive whole number", idArg)
		}
		id = n
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx = cliContext(ctx)
	if *allDead {
		n, err := d.RetryAllDead(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%d dead messages queued again.\n", n)
		return nil
	}
	if err := d.RetryOutbox(ctx, id); err != nil {
		return domainError(err)
	}
	fmt.Fprintf(env.stdout, "Message %d queued again.\n", id)
	return nil
}

func runOutboxTest(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("outbox test")
	dsn := dbFlag(fs, env)
	to := fs.String("to", "", "the address to send a test email to")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return usagef("--to: say where to send the test email")
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	e, err := d.EnqueueTestMessage(cliContext(ctx), *to)
	if err != nil {
		return domainError(err)
	}
	fmt.Fprintf(env.stdout, "Test email %d to %s queued (Message-ID %s); a running 'foidesk serve' sends it.\n",
		e.ID, e.To, e.MessageID)
	return nil
}

// shorten cuts s to n runes, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// mailFlags are serve's flags for email delivery.
type mailFlags struct {
	smtpURL, from, dir, baseURL *string
}

// addMailFlags adds serve's email flags: --smtp-url, --mail-from, --mail-dir and --base-url.
func addMailFlags(fs *flag.FlagSet, env *cliEnv) *mailFlags {
	return &mailFlags{
		smtpURL: fs.String("smtp-url", env.getenv("FOIDESK_SMTP_URL"),
			"SMTP server, smtp://user:pass@host:587 or smtps://... (env FOIDESK_SMTP_URL); none: write emails to --mail-dir"),
		from:    fs.String("mail-from", envOr(env, "FOIDESK_MAIL_FROM", "foidesk@localhost"), "From address of emails (env FOIDESK_MAIL_FROM)"),
		dir:     fs.String("mail-dir", "./mail-outbox", "folder for emails as .eml files when there is no --smtp-url"),
		baseURL: fs.String("base-url", env.getenv("FOIDESK_BASE_URL"), "public URL of foidesk for links in emails (env FOIDESK_BASE_URL; default http://ADDR)"),
	}
}

// startOutboxWorker starts delivering the outbox in the background: over SMTP when --smtp-url is set, else
// into --mail-dir. It returns a function that stops the worker and waits for its sends in flight. Bad flags
// are usage errors.
func startOutboxWorker(ctx context.Context, d *store.DB, f *mailFlags, addr string, log *slog.Logger) (stop func(), err error) {
	base := *f.baseURL
	if base == "" {
		base = "http://" + addr
	}
	composer, err := mail.NewComposer(*f.from, base)
	if err != nil {
		return nil, usagef("--mail-from/--base-url: %s", foi.ErrorMessage(err))
	}
	var sender mail.Sender
	if *f.smtpURL != "" {
		cfg, err := mail.ParseSMTPURL(*f.smtpURL)
		if err != nil {
			return nil, usagef("--smtp-url: %s", foi.ErrorMessage(err))
		}
		s := mail.NewSMTPSender(cfg, composer)
		defer func() {
			if err != nil {
				s.Close()
			}
		}()
		go func() {
			vctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if err := s.Verify(vctx); err != nil && ctx.Err() == nil {
				log.Warn("cannot reach the SMTP server yet; emails wait in the outbox", "server", cfg.Addr(), "err", err)
			}
		}()
		sender = s
		log.Info("emails go to the SMTP server", "server", cfg.Addr(), "from", s.Composer().From)
	} else {
		s, err := mail.NewLogSender(composer, *f.dir, log)
		if err != nil {
			return nil, usagef("--mail-dir: %v", err)
		}
		sender = s
		log.Info("no --smtp-url: emails are written to a folder", "dir", *f.dir)
	}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	r := &worker.Runner{Outbox: d, Sender: sender, Log: log}
	go func() {
		defer close(done)
		if err := r.Run(wctx); err != nil {
			log.Error("outbox worker stopped", "err", err)
		}
	}()
	// The daily reminder scan: every instance runs a scanner, and the scan's database lock lets one of them
	// scan each day.
	scanDone := make(chan struct{})
	go func() {
		defer close(scanDone)
		if err := (&worker.Scanner{Store: d, Log: log, Hour: -1}).Run(wctx); err != nil && wctx.Err() == nil {
			log.Error("reminder scanner stopped", "err", err)
		}
	}()
	return func() {
		cancel()
		<-done
		<-scanDone
		if s, ok := sender.(*mail.SMTPSender); ok {
			s.Close()
		}
	}, nil
}
