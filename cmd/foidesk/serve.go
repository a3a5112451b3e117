package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/web"
)

var serveCommand = command{
	name:    "serve",
	usage:   "serve [--addr 127.0.0.1:8080] [--db DSN] [--tls-cert FILE --tls-key FILE] [--key-file FILE] [--secure-cookies] [--trusted-proxy CIDR,...] [--max-upload-mb N] [--smtp-url URL] [--mail-from A] [--base-url URL] [--session-idle 30m] [--session-max 12h] [--mfa-required-roles decision-maker,admin] [--oidc-issuer URL --oidc-client-id ID --oidc-client-secret S]",
	summary: "migrate, then serve the web UI and API until SIGINT/SIGTERM",
	run:     runServe,
}

func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("serve")
	dsn := dbFlag(fs, env)
	addr := fs.String("addr", envOr(env, "FOIDESK_ADDR", "127.0.0.1:8080"), "address to listen on (env FOIDESK_ADDR)")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure and send HSTS (behind a TLS-terminating proxy)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this PEM certificate (chain) file; needs --tls-key")
	tlsKey := fs.String("tls-key", "", "the PEM private key of --tls-cert")
	proxies := fs.String("trusted-proxy", "", "comma-separated proxy addresses or CIDRs whose X-Forwarded-For is trusted")
	maxUploadMB := fs.Int("max-upload-mb", 20, "largest document upload, in MiB")
	keyFile := keyFileFlag(fs, env)
	mailf := addMailFlags(fs, env)     // outbox worker: --smtp-url, --mail-from, --mail-dir, --base-url (outbox.go)
	signinf := addSignInFlags(fs, env) // sessions, second factor, single sign-on (below)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *maxUploadMB < 1 || *maxUploadMB > 1024 {
		return usagef("--max-upload-mb %d: give a size from 1 to 1024", *maxUploadMB)
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usagef("--addr %q: want host:port, like 127.0.0.1:8080", *addr)
	}
	tlsConfig, err := loadTLS(*tlsCert, *tlsKey)
	if err != nil {
		return err
	}
	if tlsConfig != nil {
		*secure = true
	}
	log := slog.New(slog.NewTextHandler(env.stderr, nil))
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	d.SetLogger(log)
	if err := useKeys(ctx, d, *keyFile); err != nil {
		return err
	}
	if n, err := d.SealSecrets(cliContext(ctx)); err != nil {
		return fmt.Errorf("seal second-factor secrets: %w", err)
	} else if n > 0 {
		log.Info("second-factor secrets moved to the active key", "count", n)
	}
	if *keyFile == "" {
		log.Warn("documents are stored unencrypted: give --key-file (see 'foidesk keys generate')")
	}
	signin, err := signinf.apply(d, *mailf.baseURL)
	if err != nil {
		return err
	}
	// --- outbox worker (cmd/foidesk/outbox.go): delivers queued emails until shutdown ---
	stopWorker, err := startOutboxWorker(ctx, d, mailf, *addr, log)
	if err != nil {
		return err
	}
	defer stopWorker()
	// --- end outbox worker ---
	srv, err := web.New(web.Config{Auth: d, Registers: d, Cases: d, Ping: d.Ping, Now: d.Time, Log: log, RequestContext: store.WithRequestState, SecureCookies: *secure,
		TrustedProxies: splitList(*proxies), MaxUploadBytes: int64(*maxUploadMB) << 20,
		MFARequiredRoles: signin.roles, OIDC: signin.oidc})
	if err != nil {
		return usagef("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	scheme := "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 1 << 20}
	log.Info("foidesk serving", "url", scheme+"://"+ln.Addr().String()+"/", "engine", d.Engine())
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

// loadTLS returns the TLS configuration for --tls-cert and --tls-key (TLS 1.2 at least), nil when neither is
// given, and a usage error when only one is or the pair does not load.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, usagef("--tls-cert and --tls-key go together: give both or neither")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, usagef("--tls-cert/--tls-key: %v", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
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

// signInFlags are serve's sign-in security flags (issue 9).
type signInFlags struct {
	idle, max                                *time.Duration
	mfaRoles                                 *string
	oidcIssuer, oidcID, oidcSecret, oidcBack *string
}

// signInSettings is what signInFlags.apply returns for the web server.
type signInSettings struct {
	roles []foi.Role
	oidc  web.OIDCConfig
}

// addSignInFlags adds --session-idle, --session-max, --mfa-required-roles and the --oidc-* flags, each with an
// environment variable.
func addSignInFlags(fs *flag.FlagSet, env *cliEnv) *signInFlags {
	dur := func(key string, def time.Duration) time.Duration {
		if d, err := time.ParseDuration(env.getenv(key)); err == nil {
			return d
		}
		return def
	}
	return &signInFlags{
		idle: fs.Duration("session-idle", dur("FOIDESK_SESSION_IDLE", store.SessionLifetime), "sign a web session out after this long unused (env FOIDESK_SESSION_IDLE)"),
		max:  fs.Duration("session-max", dur("FOIDESK_SESSION_MAX", store.SessionMaxLifetime), "sign a web session out this long after sign-in, however busy (env FOIDESK_SESSION_MAX)"),
		mfaRoles: fs.String("mfa-required-roles", envOr(env, "FOIDESK_MFA_REQUIRED_ROLES", "decision-maker,admin"),
			"roles that must use an authenticator app with a password, or none (env FOIDESK_MFA_REQUIRED_ROLES)"),
		oidcIssuer: fs.String("oidc-issuer", env.getenv("FOIDESK_OIDC_ISSUER"), "OpenID Connect issuer URL for single sign-on (env FOIDESK_OIDC_ISSUER)"),
		oidcID:     fs.String("oidc-client-id", env.getenv("FOIDESK_OIDC_CLIENT_ID"), "OpenID Connect client id (env FOIDESK_OIDC_CLIENT_ID)"),
		oidcSecret: fs.String("oidc-client-secret", env.getenv("FOIDESK_OIDC_CLIENT_SECRET"), "OpenID Connect client secret (env FOIDESK_OIDC_CLIENT_SECRET)"),
		oidcBack: fs.String("oidc-redirect-url", env.getenv("FOIDESK_OIDC_REDIRECT_URL"),
			"callback URL registered with the provider (env FOIDESK_OIDC_REDIRECT_URL; default BASE-URL/sign-in/oidc/callback)"),
	}
}

// apply checks the flags, sets the database's session limits and returns the web server's settings.
func (f *signInFlags) apply(d *store.DB, baseURL string) (signInSettings, error) {
	var out signInSettings
	if *f.idle < time.Minute || *f.max < *f.idle {
		return out, usagef("--session-idle %v --session-max %v: want an idle timeout of a minute or more, and a maximum no shorter", *f.idle, *f.max)
	}
	d.SetSessionLimits(*f.idle, *f.max)
	roles, err := foi.ParseRoles(*f.mfaRoles)
	if err != nil {
		return out, usagef("--mfa-required-roles: %s", foi.ErrorMessage(err))
	}
	out.roles = roles
	if *f.oidcIssuer == "" {
		return out, nil
	}
	if *f.oidcID == "" {
		return out, usagef("--oidc-issuer needs --oidc-client-id (and usually --oidc-client-secret)")
	}
	if u, err := url.Parse(*f.oidcIssuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return out, usagef("--oidc-issuer %q: want an https:// URL", *f.oidcIssuer)
	}
	back := *f.oidcBack
	if back == "" && baseURL != "" {
		back = strings.TrimSuffix(baseURL, "/") + "/sign-in/oidc/callback"
	}
	out.oidc = web.OIDCConfig{Issuer: *f.oidcIssuer, ClientID: *f.oidcID, ClientSecret: *f.oidcSecret, RedirectURL: back}
	return out, nil
}
