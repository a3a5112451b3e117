package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"foidesk/internal/web"
)

var serveCommand = command{
	name:    "serve",
	usage:   "serve [--addr 127.0.0.1:8080] [--db DSN] [--secure-cookies] [--trusted-proxy CIDR,...] [--max-upload-mb N] [--smtp-url URL] [--mail-from A] [--base-url URL]",
	summary: "migrate, then serve the web UI and API until SIGINT/SIGTERM",
	run:     runServe,
}

func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("serve")
	dsn := dbFlag(fs, env)
	addr := fs.String("addr", envOr(env, "FOIDESK_ADDR", "127.0.0.1:8080"), "address to listen on (env FOIDESK_ADDR)")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (behind a TLS-terminating proxy)")
	proxies := fs.String("trusted-proxy", "", "comma-separated proxy addresses or CIDRs whose X-Forwarded-For is trusted")
	maxUploadMB := fs.Int("max-upload-mb", 20, "largest document upload, in MiB")
	mailf := addMailFlags(fs, env) // outbox worker: --smtp-url, --mail-from, --mail-dir, --base-url (outbox.go)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *maxUploadMB < 1 || *maxUploadMB > 1024 {
		return usagef("--max-upload-mb %d: give a size from 1 to 1024", *maxUploadMB)
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usagef("--addr %q: want host:port, like 127.0.0.1:8080", *addr)
	}
	log := slog.New(slog.NewTextHandler(env.stderr, nil))
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	d.SetLogger(log)
	// --- outbox worker (cmd/foidesk/outbox.go): delivers queued emails until shutdown ---
	stopWorker, err := startOutboxWorker(ctx, d, mailf, *addr, log)
	if err != nil {
		return err
	}
	defer stopWorker()
	// --- end outbox worker ---
	srv, err := web.New(web.Config{Auth: d, Registers: d, Cases: d, Ping: d.Ping, Log: log, SecureCookies: *secure,
		TrustedProxies: splitList(*proxies), MaxUploadBytes: int64(*maxUploadMB) << 20})
	if err != nil {
		return usagef("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 1 << 20}
	log.Info("foidesk serving", "url", "http://"+ln.Addr().String()+"/", "engine", d.Engine())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func envOr(env *cliEnv, key, def string) string {
	if v := env.getenv(key); v != "" {
		return v
	}
	return def
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
