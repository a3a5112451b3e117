// Package store is the only package of foidesk that speaks SQL. It implements the domain's services on SQLite
// (embedded, the default) and PostgreSQL with one body of sqlc-generated queries. Every public method runs in
// one transaction: it loads, applies the pure rules of package foi, writes, appends the audit events and
// commits.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"foidesk/internal/crypt"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Engine names a database engine.
type Engine string

// The engines foidesk runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DefaultDSN is the database foidesk uses when none is named: a SQLite file in the working directory.
const DefaultDSN = "./foidesk.db"

// DB is an open foidesk database.
type DB struct {
	engine Engine
	dsn    string
	write  *sql.DB // writing transactions; on SQLite a single connection (one writer)
	read   *sql.DB // reads; the same pool as write on PostgreSQL
	log    *slog.Logger
	cal    calendarCache
	tokens tokenCache    // API tokens at one auth version (state.go)
	regs   registerCache // assets and contacts at one registers version (state.go)

	// Prepared queries, one set per pool, made on first use (after migration) and reused by every
	// transaction on the same connection: SQLite would otherwise parse each statement on every call.
	prepMu    sync.Mutex
	prepWrite *db.Queries
	prepRead  *db.Queries
	stmts     stmtCache      // the outbox worker's prepared statements (dialect.go)
	signin    signinConfig   // session limits and sign-in throttle (session.go)
	keys      *crypt.Keyring // seals documents at rest (document_key.go); nil stores them in plain

	// Now returns the current time; tests replace it to control the clock. Each transaction reads it once.
	Now func() time.Time
}

// Open connects to the database named by dsn: a postgres:// (or postgresql://) URL, or a path to a SQLite
// file (created when missing). It does not migrate. It returns an EINVALID error for a malformed dsn and an
// error saying why when the database cannot be reached.
func Open(ctx context.Context, dsn string) (*DB, error) {
	engine, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	d := &DB{engine: engine, dsn: dsn, log: slog.Default(), Now: defaultNow}
	switch engine {
	case Postgres:
		d.write, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, foi.Errorf(foi.EINVALID, "--db: %v", err)
		}
		d.write.SetMaxOpenConns(20)
		d.write.SetMaxIdleConns(20)
		d.write.SetConnMaxIdleTime(5 * time.Minute)
		d.read = d.write
	case SQLite:
		if err := openSQLite(d, dsn); err != nil {
			return nil, err
		}
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.write.PingContext(pingCtx); err != nil {
		d.Close()
		return nil, fmt.Errorf("cannot reach the %s database: %s", engine, redact(err.Error(), dsn))
	}
	return d, nil
}

// ParseDSN returns the engine a dsn names, or an EINVALID error when it names neither.
func ParseDSN(dsn string) (Engine, error) {
	dsn = strings.TrimSpace(dsn)
	switch {
	case dsn == "":
		return "", foi.Errorf(foi.EINVALID, "--db is empty: give a SQLite file path or a postgres:// URL")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil || u.Host == "" {
			return "", foi.Errorf(foi.EINVALID, "--db %q is not a valid postgres:// URL (want postgres://user:password@host:5432/dbname)", redactDSN(dsn))
		}
		return Postgres, nil
	case strings.Contains(dsn, "://"):
		return "", foi.Errorf(foi.EINVALID, "--db %q: only postgres:// URLs and SQLite file paths are supported", redactDSN(dsn))
	case strings.ContainsAny(dsn, "?#"):
		return "", foi.Errorf(foi.EINVALID, "--db %q: a SQLite path cannot contain '?' or '#'", dsn)
	}
	return SQLite, nil
}

// openSQLite opens the file with WAL, foreign keys and a busy timeout: one writing connection that takes the
// write lock at BEGIN, and a pool of read-only connections.
func openSQLite(d *DB, path string) error {
	path = strings.TrimPrefix(path, "file:")
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return foi.Errorf(foi.EINVALID, "--db %q: directory %q does not exist", path, dir)
		}
	}
	pragmas := "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	var err error
	d.write, err = sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return err
	}
	d.write.SetMaxOpenConns(1)
	d.write.SetConnMaxIdleTime(0)
	// The write connection creates the file and switches it to WAL before readers open it.
	if err := d.write.Ping(); err != nil {
		d.write.Close()
		return fmt.Errorf("cannot open SQLite database %q: %v", path, err)
	}
	d.read, err = sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		d.write.Close()
		return err
	}
	d.read.SetMaxOpenConns(8)
	d.read.SetMaxIdleConns(8) // keep connections, and the statements prepared on them
	return nil
}

// userinfoRE matches the user-and-password part of a URL, even one that does not parse.
var userinfoRE = regexp.MustCompile(`(://[^:/@]*):[^@/]*@`)

// redactDSN returns dsn with any password replaced by xxxxx.
func redactDSN(dsn string) string {
	return userinfoRE.ReplaceAllString(dsn, "${1}:xxxxx@")
}

// redact removes dsn's password from a driver's message, wherever the message quotes the dsn or its
// user-and-password part; it never rewrites other text, so a short password cannot be guessed from the result.
func redact(msg, dsn string) string {
	msg = strings.ReplaceAll(msg, dsn, redactDSN(dsn))
	if m := userinfoRE.FindString(dsn); m != "" {
		msg = strings.ReplaceAll(msg, m, userinfoRE.ReplaceAllString(m, "${1}:xxxxx@"))
	}
	return msg
}

func defaultNow() time.Time { return time.Now() }

// Engine returns which engine the database runs on.
func (d *DB) Engine() Engine { return d.engine }

// SetLogger sets the logger for internal errors.
func (d *DB) SetLogger(l *slog.Logger) { d.log = l }

// Ping reports whether the database answers.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close closes the database's connections.
func (d *DB) Close() error {
	d.closeStmts()
	d.closePrepared()
	var err error
	if d.read != nil && d.read != d.write {
		err = d.read.Close()
	}
	if d.write != nil {
		err = errors.Join(err, d.write.Close())
	}
	return err
}

// now returns the current time in UTC at microsecond precision, which both engines store exactly.
func (d *DB) now() time.Time {
	return d.Now().UTC().Truncate(time.Microsecond)
}

// Time returns the current time by the store's clock (Now): the one clock the web pages, the worker and the
// services share.
func (d *DB) Time() time.Time { return d.now() }

// Tx is one writing transaction: the generated queries, the time it runs at, the actor, and the audit
// events it will append when it commits.
type Tx struct {
	*db.Queries
	tx      *sql.Tx
	engine  Engine
	now     time.Time
	actor   foi.Actor
	pending []foi.AuditEvent
	regs    *registerView // the register cache, when the service read the versions first (state.go)
}

// inTx runs fn in a writing transaction and commits it, together with the audit events fn recorded, when fn
// returns nil; otherwise it rolls back and returns fn's error.
func (d *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	// Prepare (on first use) before BEGIN: on SQLite the transaction holds the pool's only connection.
	queries := d.writeQueries()
	sqlTx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return d.internal("begin transaction", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{Queries: queries.WithTx(sqlTx), tx: sqlTx, engine: d.engine, now: d.now(), actor: foi.ActorFrom(ctx)}
	if err := fn(tx); err != nil {
		return d.mapError(err)
	}
	if err := tx.flushAudit(ctx); err != nil {
		return d.internal("append audit events", err)
	}
	if err := sqlTx.Commit(); err != nil {
		return d.mapError(err)
	}
	return nil
}

// readTx runs fn in a read-only snapshot of the database.
func (d *DB) readTx(ctx context.Context, fn func(q *db.Queries) error) error {
	queries := d.readQueries()
	sqlTx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: d.engine == Postgres})
	if err != nil {
		return d.internal("begin read", err)
	}
	defer sqlTx.Rollback()
	if err := fn(queries.WithTx(sqlTx)); err != nil {
		return d.mapError(err)
	}
	return sqlTx.Commit()
}

// internal wraps an unexpected error with what was being done; it reaches people as "Internal error.".
func (d *DB) internal(doing string, err error) error {
	return fmt.Errorf("%s: %w", doing, err)
}

// The store implements the domain's services.
var (
	_ foi.AuthService     = (*DB)(nil)
	_ foi.RegisterService = (*DB)(nil)
)
