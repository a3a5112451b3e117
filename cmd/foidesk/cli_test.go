package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
	"foidesk/internal/testcert"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx", to create and tamper with test databases
	_ "modernc.org/sqlite"             // "sqlite", to tamper with the audit log
)

// cliResult is what one run of the CLI produced.
type cliResult struct {
	code           int
	stdout, stderr string
}

// cliInvocation runs the CLI as a process would, but with its streams and environment supplied by the test:
// FOIDESK_DB comes from db, never from the test process.
type cliInvocation struct {
	db    string
	stdin string
}

func (c cliInvocation) run(t *testing.T, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(c.stdin), stdout: &stdout, stderr: &stderr, getenv: func(k string) string {
		if k == "FOIDESK_DB" {
			return c.db
		}
		return ""
	}}
	code := run(context.Background(), env, args)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// wantOK checks the command succeeded without a word on stderr.
func (r cliResult) wantOK(t *testing.T, what string) {
	t.Helper()
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%s: exit %d, stderr %q, stdout %q; want exit 0 and an empty stderr", what, r.code, r.stderr, r.stdout)
	}
}

// wantFail checks the exit code and that stderr is exactly one line containing each of wants.
func (r cliResult) wantFail(t *testing.T, what string, code int, wants ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: exit %d, want %d (stderr %q, stdout %q)", what, r.code, code, r.stderr, r.stdout)
	}
	wantOneLine(t, what, r.stderr)
	for _, w := range wants {
		if !strings.Contains(r.stderr, w) {
			t.Fatalf("%s: stderr %q does not contain %q", what, r.stderr, w)
		}
	}
}

func wantOneLine(t *testing.T, what, s string) {
	t.Helper()
	if !strings.HasSuffix(s, "\n") || strings.Count(s, "\n") != 1 || strings.TrimSpace(s) == "" {
		t.Fatalf("%s: stderr %q is not exactly one line", what, s)
	}
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// tempSQLite returns the path of a SQLite file that does not exist yet, in a fresh directory.
func tempSQLite(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "foidesk.db")
}

// freshPostgres creates an empty database on the FOIDESK_TEST_POSTGRES server and returns its URL; it is
// dropped when the test ends. Without the variable the test fails, except locally (CI unset) with
// FOIDESK_TEST_ENGINES=sqlite, where it is skipped, as in storetest.
func freshPostgres(t *testing.T) string {
	t.Helper()
	server := os.Getenv(storetest.PostgresEnv)
	if server == "" {
		if os.Getenv(storetest.EnginesEnv) == "sqlite" && os.Getenv("CI") == "" {
			t.Skipf("PostgreSQL half skipped: %s=sqlite", storetest.EnginesEnv)
		}
		t.Fatalf("%s is not set: run the tests with scripts/with-postgres.sh or `make test`, or point it at a "+
			"server (postgres://user@host:port/postgres)", storetest.PostgresEnv)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("open %s: %v", storetest.PostgresEnv, err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 8)
	rand.Read(b)
	name := "foidesk_cli_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("parse %s: %v", storetest.PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// rawDB opens the database behind dsn with database/sql, bypassing the store, to tamper with it.
func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres://") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openStore opens the database with the store, to check what the CLI did.
func openStore(t *testing.T, dsn string) *store.DB {
	t.Helper()
	d, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestCLI_HelpListsEveryCommand(t *testing.T) {
	r := cliInvocation{}.run(t, "help")
	r.wantOK(t, "help")
	for _, want := range []string{"serve", "migrate", "seed demo", "user create", "token create", "audit verify",
		"help", "version", "due"} {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(want) + `\b`).MatchString(r.stdout) {
			t.Errorf("help does not list %q:\n%s", want, r.stdout)
		}
	}
	for _, c := range commands {
		if !strings.Contains(r.stdout, c.usage) || !strings.Contains(r.stdout, c.summary) {
			t.Errorf("help does not show %q with its usage and summary", c.name)
		}
	}
}

func TestCLI_NoCommandPrintsHelpOnStderrAndExits2(t *testing.T) {
	r := cliInvocation{}.run(t)
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "Usage: foidesk <command>") {
		t.Fatalf("no arguments: exit %d, stdout %q, stderr %q; want 2 and the help on stderr", r.code, r.stdout, r.stderr)
	}
}

func TestCLI_Version(t *testing.T) {
	r := cliInvocation{}.run(t, "version")
	r.wantOK(t, "version")
	if r.stdout != "foidesk "+version+"\n" {
		t.Fatalf("version printed %q", r.stdout)
	}
	cliInvocation{}.run(t, "version", "--json").wantFail(t, "version --json", 2, "no arguments")
}

func TestCLI_UsageErrorsExit2WithOneLine(t *testing.T) {
	db := tempSQLite(t)
	c := cliInvocation{db: db}
	for _, tc := range []struct {
		args  []string
		wants []string
	}{
		{[]string{"frobnicate"}, []string{`unknown command "frobnicate"`, "foidesk help"}},
		{[]string{"seed"}, []string{"seed demo"}},
		{[]string{"seed", "prod"}, []string{"seed demo"}},
		{[]string{"user"}, []string{"user create"}},
		{[]string{"user", "delete", "--email", "a@b.uk"}, []string{"user create"}},
		{[]string{"token"}, []string{"token create"}},
		{[]string{"audit"}, []string{"audit verify"}},
		{[]string{"audit", "verify", "now"}, []string{`unexpected argument "now"`}},
		{[]string{"migrate", "--dbx", db}, []string{"dbx"}},
		{[]string{"migrate", "-h"}, []string{"foidesk help"}},
		{[]string{"token", "create"}, []string{"--email is required"}},
		{[]string{"token", "create", "--email", "  "}, []string{"--email is required"}},
		{[]string{"serve", "--addr", "8080"}, []string{"--addr", "host:port"}},
		{[]string{"serve", "extra"}, []string{`unexpected argument "extra"`}},
		{[]string{"migrate", "--db", "mysql://x"}, []string{"mysql://x", "postgres://"}},
		{[]string{"migrate", "--db", ""}, []string{"--db is empty"}},
		{[]string{"migrate", "--db", filepath.Join(t.TempDir(), "missing", "foidesk.db")}, []string{"does not exist"}},
	} {
		c.run(t, tc.args...).wantFail(t, strings.Join(tc.args, " "), 2, tc.wants...)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("a usage error created the database %s", db)
	}
}

func TestCLI_MigrateUnreachablePostgresExits1(t *testing.T) {
	r := cliInvocation{}.run(t, "migrate", "--db", "postgres://u:p@127.0.0.1:1/x?connect_timeout=2")
	r.wantFail(t, "migrate on a closed port", 1, "foidesk migrate: ", "cannot reach")
	r = cliInvocation{}.run(t, "migrate", "--db", "postgres://u:s3cretpw@127.0.0.1:1/x?connect_timeout=2")
	r.wantFail(t, "migrate on a closed port", 1, "cannot reach")
	if strings.Contains(r.stderr, "s3cretpw") {
		t.Fatalf("the error leaks the password: %q", r.stderr)
	}
}

func TestCLI_DBFlagDefaultsToFOIDESK_DB(t *testing.T) {
	db := tempSQLite(t)
	cliInvocation{db: db}.run(t, "migrate").wantOK(t, "migrate with FOIDESK_DB")
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("migrate did not use FOIDESK_DB: %v", err)
	}
	// --db beats the environment.
	other := tempSQLite(t)
	cliInvocation{db: db}.run(t, "migrate", "--db", other).wantOK(t, "migrate --db")
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("migrate did not use --db: %v", err)
	}
}

// TestCLI_HappyPath runs the operator's whole first session on both engines.
func TestCLI_HappyPath(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		cliHappyPath(t, tempSQLite(t), "sqlite")
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		cliHappyPath(t, freshPostgres(t), "postgres")
	})
}

func cliHappyPath(t *testing.T, dsn, engine string) {
	c := cliInvocation{db: dsn}

	r := c.run(t, "migrate")
	r.wantOK(t, "migrate")
	if !regexp.MustCompile(`^` + engine + ` database at schema version [1-9][0-9]*\n$`).MatchString(r.stdout) {
		t.Fatalf("migrate printed %q", r.stdout)
	}
	c.run(t, "migrate").wantOK(t, "second migrate")

	// seed demo: the passwords are printed once, and written to a 0600 file.
	pwFile := filepath.Join(t.TempDir(), "demo-passwords")
	r = c.run(t, "seed", "demo", "--passwords-file", pwFile)
	r.wantOK(t, "seed demo")
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if lines[0] != "Demo users (the passwords are shown only this once):" || len(lines) != 11 {
		t.Fatalf("seed demo printed %d lines:\n%s\nwant a heading and 10 users", len(lines), r.stdout)
	}
	demo := map[string]string{} // email -> password
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 4 || !foi.ValidEmail(f[0]) || len(f[3]) < foi.MinPasswordLength {
			t.Fatalf("demo user line %q: want email, role, party, password", l)
		}
		demo[f[0]] = f[3]
	}
	st, err := os.Stat(pwFile)
	if err != nil {
		t.Fatalf("passwords file: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("passwords file mode %v, want 0600", st.Mode().Perm())
	}
	written, _ := os.ReadFile(pwFile)
	if n := strings.Count(string(written), "\n"); n != 10 {
		t.Fatalf("passwords file has %d lines, want 10:\n%s", n, written)
	}
	for email, pw := range demo {
		if !strings.Contains(string(written), email) || !strings.Contains(string(written), pw) {
			t.Fatalf("passwords file lacks %s and its password", email)
		}
	}

	r = c.run(t, "seed", "demo", "--passwords-file", pwFile)
	r.wantOK(t, "second seed demo")
	if !strings.Contains(r.stdout, "unchanged") || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("second seed demo printed %q; want one line saying the passwords are unchanged", r.stdout)
	}
	for _, pw := range demo {
		if strings.Contains(r.stdout, pw) {
			t.Fatalf("second seed demo printed a password again")
		}
	}
	if again, _ := os.ReadFile(pwFile); !bytes.Equal(again, written) {
		t.Fatalf("second seed demo changed the passwords file:\n%s", again)
	}

	// user create with a generated password.
	r = c.run(t, "user", "create", "--email", " New.Officer@Example.GOV.UK ", "--name", "New Officer",
		"--party", "dfe", "--role", "officer")
	r.wantOK(t, "user create")
	out := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if len(out) != 2 || out[0] != "Created new.officer@example.gov.uk (officer, DFE)" || !strings.HasPrefix(out[1], "Password: ") {
		t.Fatalf("user create printed %q", r.stdout)
	}
	generated := strings.TrimPrefix(out[1], "Password: ")
	if len(generated) < foi.MinPasswordLength {
		t.Fatalf("generated password %q is shorter than %d", generated, foi.MinPasswordLength)
	}

	// user create with the password on stdin: nothing secret is printed.
	const chosen = "a long enough passphrase"
	r = cliInvocation{db: dsn, stdin: chosen + "\r\nignored second line\n"}.run(t, "user", "create",
		"--email", "admin2@example.gov.uk", "--name", "Second Admin", "--role", "admin", "--password-stdin")
	r.wantOK(t, "user create --password-stdin")
	if r.stdout != "Created admin2@example.gov.uk (admin)\n" {
		t.Fatalf("user create --password-stdin printed %q", r.stdout)
	}
	cliInvocation{db: dsn, stdin: ""}.run(t, "user", "create", "--email", "x@example.gov.uk", "--name", "X",
		"--role", "admin", "--password-stdin").wantFail(t, "empty stdin", 2, "--password-stdin", "no password")
	cliInvocation{db: dsn, stdin: "short\n"}.run(t, "user", "create", "--email", "x@example.gov.uk", "--name", "X",
		"--role", "admin", "--password-stdin").wantFail(t, "short password on stdin", 2, "--password:")

	// The passwords the CLI reported are the ones that sign in.
	d := openStore(t, dsn)
	ctx := context.Background()
	if _, err := d.Authenticate(ctx, "new.officer@example.gov.uk", generated); err != nil {
		t.Fatalf("sign in with the generated password: %v", err)
	}
	if _, err := d.Authenticate(ctx, "admin2@example.gov.uk", chosen); err != nil {
		t.Fatalf("sign in with the password from stdin: %v", err)
	}
	for email, pw := range demo {
		if _, err := d.Authenticate(ctx, email, pw); err != nil {
			t.Fatalf("sign in as demo user %s: %v", email, err)
		}
		break
	}

	// Bad input to user create: exit 2, one line naming the problem.
	for _, tc := range []struct {
		name  string
		args  []string
		wants []string
	}{
		{"duplicate email", []string{"--email", "NEW.officer@example.gov.uk", "--name", "Dup", "--party", "DFE", "--role", "officer"}, []string{"--email:", "already exists"}},
		{"unknown party", []string{"--email", "u1@example.gov.uk", "--name", "U", "--party", "ZZZ", "--role", "officer"}, []string{"--party:", "ZZZ"}},
		{"bad role", []string{"--email", "u2@example.gov.uk", "--name", "U", "--party", "DFE", "--role", "boss"}, []string{"--role:"}},
		{"bad email", []string{"--email", "not-an-email", "--name", "U", "--party", "DFE", "--role", "officer"}, []string{"--email:"}},
		{"missing party", []string{"--email", "u3@example.gov.uk", "--name", "U", "--role", "liaison"}, []string{"--party:"}},
		{"several problems", []string{"--email", "bad", "--role", "boss"}, []string{"--email:", "--name:", "--role:", "; "}},
		{"unknown flag", []string{"--email", "u4@example.gov.uk", "--name", "U", "--party", "DFE", "--role", "officer", "--admin"}, []string{"-admin"}},
		{"stray argument", []string{"--email", "u5@example.gov.uk", "--name", "U", "--party", "DFE", "--role", "officer", "now"}, []string{`unexpected argument "now"`}},
	} {
		c.run(t, append([]string{"user", "create"}, tc.args...)...).wantFail(t, "user create: "+tc.name, 2,
			append([]string{"foidesk user: "}, tc.wants...)...)
	}
	users, err := d.ListUsers(foi.WithActor(ctx, foi.Actor{Label: foi.ActorCLI}))
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 12 {
		t.Fatalf("%d users after the failed creates, want 12 (10 demo + 2)", len(users))
	}

	// token create: the token is the last line of stdout, and it authenticates.
	r = c.run(t, "token", "create", "--email", "New.Officer@example.gov.uk", "--name", "ci script")
	r.wantOK(t, "token create")
	token := lastLine(r.stdout)
	if !strings.HasPrefix(token, "foi_") || strings.ContainsAny(token, " \t") || len(token) < 20 {
		t.Fatalf("token create: last line %q is not a foi_ token (stdout %q)", token, r.stdout)
	}
	if u, err := d.UserByToken(ctx, token); err != nil || u.Email != "new.officer@example.gov.uk" {
		t.Fatalf("the printed token does not authenticate its user: %v, %v", u, err)
	}
	c.run(t, "token", "create", "--email", "nobody@example.gov.uk").wantFail(t, "token for an unknown email", 2,
		"nobody@example.gov.uk")

	// audit verify: intact, then broken by hand.
	r = c.run(t, "audit", "verify")
	r.wantOK(t, "audit verify")
	m := regexp.MustCompile(`^audit chain intact: (\d+) events, last seq (\d+)\n$`).FindStringSubmatch(r.stdout)
	if m == nil || m[1] != m[2] || m[1] == "0" {
		t.Fatalf("audit verify printed %q", r.stdout)
	}
	raw := rawDB(t, dsn)
	if res, err := raw.Exec("UPDATE audit_events SET actor_label = 'x' WHERE seq = 2"); err != nil {
		t.Fatalf("tamper: %v", err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("tamper changed %d rows", n)
	}
	c.run(t, "audit", "verify").wantFail(t, "audit verify after tampering", 1, "foidesk audit: ", "seq 2")
}

func TestCLI_AuditVerifyCatchesRemovedNewestRows(t *testing.T) {
	db := tempSQLite(t)
	c := cliInvocation{db: db}
	c.run(t, "seed", "demo").wantOK(t, "seed demo")
	c.run(t, "user", "create", "--email", "a@example.gov.uk", "--name", "A", "--role", "admin").wantOK(t, "user create")
	c.run(t, "audit", "verify").wantOK(t, "audit verify")
	raw := rawDB(t, db)
	var last int64
	if err := raw.QueryRow("SELECT MAX(seq) FROM audit_events").Scan(&last); err != nil || last < 2 {
		t.Fatalf("newest seq = %d, %v", last, err)
	}
	if _, err := raw.Exec("DELETE FROM audit_events WHERE seq = ?", last); err != nil {
		t.Fatal(err)
	}
	c.run(t, "audit", "verify").wantFail(t, "audit verify after deleting the newest row", 1,
		fmt.Sprintf("seq %d", last-1), fmt.Sprintf("seq %d", last))
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to log to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// freePort returns a local address that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// servedCLI is a `foidesk serve` running in the test, on its own SQLite file.
type servedCLI struct {
	base           string // http://addr or https://addr
	addr           string
	client         *http.Client
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan int
}

// startServe runs `foidesk serve --addr ADDR args...` and waits until /healthz answers over scheme with client.
func startServe(t *testing.T, scheme string, client *http.Client, args ...string) *servedCLI {
	t.Helper()
	addr := freePort(t)
	s := &servedCLI{base: scheme + "://" + addr, addr: addr, client: client, stdout: &syncBuffer{},
		stderr: &syncBuffer{}, done: make(chan int, 1)}
	db := tempSQLite(t)
	env := &cliEnv{stdin: strings.NewReader(""), stdout: s.stdout, stderr: s.stderr, getenv: func(k string) string {
		if k == "FOIDESK_DB" {
			return db
		}
		return ""
	}}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	t.Cleanup(cancel)
	go func() { s.done <- run(ctx, env, append([]string{"serve", "--addr", addr}, args...)) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case code := <-s.done:
			t.Fatalf("serve exited with %d before answering /healthz; stderr:\n%s", code, s.stderr.String())
		default:
		}
		res, err := s.get("/healthz")
		if err == nil && res.StatusCode == http.StatusOK {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /healthz: %v after 10s; stderr:\n%s", err, s.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// get fetches path and reads the body, which it leaves in the response's Body as a fresh reader.
func (s *servedCLI) get(path string) (*http.Response, error) {
	resp, err := s.client.Get(s.base + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, err
}

// stop cancels serve and returns its exit code.
func (s *servedCLI) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		return code
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not shut down within 20s of cancel")
	}
	return -1
}

func TestCLI_ServeAnswersHealthAndReadinessAndShutsDownOnCancel(t *testing.T) {
	s := startServe(t, "http", &http.Client{Timeout: 2 * time.Second})
	if res, err := s.get("/readyz"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /readyz: %v, %v", res, err)
	}
	if res, _ := s.get("/healthz"); res.Header.Get("Strict-Transport-Security") != "" {
		t.Errorf("HSTS over plain HTTP: %q", res.Header.Get("Strict-Transport-Security"))
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("serve exited %d after cancel, want 0; stderr:\n%s", code, s.stderr.String())
	}
	if _, err := s.get("/healthz"); err == nil {
		t.Fatalf("the server still answers after shutdown")
	}
	if log := s.stderr.String(); !strings.Contains(log, "foidesk serving") || !strings.Contains(log, s.addr) ||
		!strings.Contains(log, "shutting down") {
		t.Errorf("serve log lacks the start or shutdown lines:\n%s", log)
	}
	if s.stdout.String() != "" {
		t.Errorf("serve wrote to stdout: %q", s.stdout.String())
	}
}

func TestCLI_ServeOverTLSSendsHSTSAndRefusesHalfAPair(t *testing.T) {
	cert := testcert.New(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, cert.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, cert.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: cert.Pool, MinVersion: tls.VersionTLS12}}}
	s := startServe(t, "https", client, "--tls-cert", certFile, "--tls-key", keyFile)
	res, err := s.get("/")
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Header.Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=31536000") {
		t.Errorf("HSTS over TLS: %q", got)
	}
	if len(res.Cookies()) == 0 {
		t.Errorf("the sign-in page set no cookie")
	}
	for _, c := range res.Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure over TLS", c.Name)
		}
	}
	if !strings.Contains(s.stderr.String(), "https://"+s.addr) {
		t.Errorf("the log does not give the https URL:\n%s", s.stderr.String())
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("serve exited %d", code)
	}

	c := cliInvocation{db: tempSQLite(t)}
	c.run(t, "serve", "--tls-cert", certFile).wantFail(t, "--tls-cert without --tls-key", 2, "--tls-key")
	c.run(t, "serve", "--tls-cert", keyFile, "--tls-key", certFile).wantFail(t, "a swapped pair", 2, "--tls-cert")
}
