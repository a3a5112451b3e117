// Package storetest gives tests a fresh, migrated foidesk database on each engine: a SQLite file in a
// temporary directory, and a PostgreSQL database cloned from a migrated template on the server named by
// FOIDESK_TEST_POSTGRES (make test starts a throwaway one).
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"foidesk/internal/store"
	sqlfiles "foidesk/sql"
)

// PostgresEnv names the variable holding the PostgreSQL server URL tests create their databases on.
const PostgresEnv = "FOIDESK_TEST_POSTGRES"

// EnginesEnv, set to "sqlite", runs only the SQLite half locally (reported as skipped; refused under CI).
const EnginesEnv = "FOIDESK_TEST_ENGINES"

// Run runs fn as two subtests, "sqlite" and "postgres", each with a fresh migrated database.
func Run(t *testing.T, fn func(t *testing.T, d *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, OpenSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, OpenPostgres(t))
	})
}

// OpenSQLite returns a migrated database in a new SQLite file, closed when the test ends.
func OpenSQLite(tb testing.TB) *store.DB {
	tb.Helper()
	d, _ := OpenSQLiteDSN(tb)
	return d
}

// OpenSQLiteDSN is OpenSQLite, also returning the file's path for tests that open their own connection.
func OpenSQLiteDSN(tb testing.TB) (*store.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "foidesk.db")
	return open(tb, path), path
}

// OpenPostgres returns a migrated database on the test PostgreSQL server, dropped when the test ends. Without
// FOIDESK_TEST_POSTGRES it fails the test, never skipping silently.
func OpenPostgres(tb testing.TB) *store.DB {
	tb.Helper()
	d, _ := OpenPostgresDSN(tb)
	return d
}

// OpenPostgresDSN is OpenPostgres, also returning the database's URL for tests that open their own connection.
func OpenPostgresDSN(tb testing.TB) (*store.DB, string) {
	tb.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		if os.Getenv(EnginesEnv) == "sqlite" && os.Getenv("CI") == "" {
			tb.Skipf("PostgreSQL half skipped: %s=sqlite", EnginesEnv)
		}
		tb.Fatalf("%s is not set: run the tests with `make test`, which starts a throwaway PostgreSQL, "+
			"or point %s at a server (postgres://user@host:port/postgres)", PostgresEnv, PostgresEnv)
	}
	tmpl, err := template(server)
	if err != nil {
		tb.Fatalf("prepare PostgreSQL template database: %v", err)
	}
	name := "foidesk_test_" + randomHex(8)
	admin := adminDB(tb, server)
	if _, err := admin.Exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmpl)); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	dsn := withDatabase(server, name)
	d := open(tb, dsn)
	tb.Cleanup(func() {
		d.Close()
		if _, err := admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return d, dsn
}

func open(tb testing.TB, dsn string) *store.DB {
	tb.Helper()
	ctx := context.Background()
	d, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		tb.Fatalf("migrate: %v", err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

var (
	adminOnce sync.Once
	adminPool *sql.DB
	adminErr  error

	templateMu    sync.Mutex
	templateNames = map[string]string{}
)

// adminDB returns a shared connection pool to the server's maintenance database.
func adminDB(tb testing.TB, server string) *sql.DB {
	tb.Helper()
	adminOnce.Do(func() {
		adminPool, adminErr = sql.Open("pgx", server)
		if adminErr == nil {
			adminPool.SetMaxOpenConns(4)
			adminErr = adminPool.Ping()
		}
	})
	if adminErr != nil {
		tb.Fatalf("connect to %s: %v", PostgresEnv, adminErr)
	}
	return adminPool
}

// template returns the name of a template database migrated to the current schema, creating it once. Its
// name carries a hash of the migrations, so a changed schema gets a new template, and a PostgreSQL advisory
// lock keeps test processes running at once from creating it twice.
func template(server string) (string, error) {
	templateMu.Lock()
	defer templateMu.Unlock()
	if name, ok := templateNames[server]; ok {
		return name, nil
	}
	name := "foidesk_tmpl_" + migrationsHash()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(724242)"); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(724242)")
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		building := name + "_build"
		conn.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", building))
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
			return "", err
		}
		d, err := store.Open(ctx, withDatabase(server, building))
		if err != nil {
			return "", err
		}
		err = d.Migrate(ctx)
		d.Close()
		if err != nil {
			return "", err
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
			return "", err
		}
	}
	templateNames[server] = name
	return name, nil
}

// migrationsHash returns a short hash of the PostgreSQL migrations.
func migrationsHash() string {
	h := sha256.New()
	fs.WalkDir(sqlfiles.Migrations, "migrations/postgres", func(path string, de fs.DirEntry, err error) error {
		if err == nil && !de.IsDir() {
			b, _ := fs.ReadFile(sqlfiles.Migrations, path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// withDatabase returns the server URL with its database replaced by name.
func withDatabase(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// AnalyzeLikeProduction leaves the planner statistics a production database of the engine has, so that a
// benchmark measures the plans production runs: on PostgreSQL, ANALYZE (autovacuum keeps statistics current);
// on SQLite, none, because foidesk never runs ANALYZE there. That is deliberate: this SQLite build has STAT4,
// and with sqlite_stat4 samples present every statement whose plan could depend on a bound value is prepared
// again each time it runs (the statement expires on bind), which made intake a fifth slower; the queries are
// written to plan well without statistics (see the CROSS JOIN notes in sql/queries).
func AnalyzeLikeProduction(tb testing.TB, raw *sql.DB, engine string) {
	tb.Helper()
	if engine != "postgres" {
		return
	}
	if _, err := raw.Exec("ANALYZE"); err != nil {
		tb.Fatal(err)
	}
}

// shared holds the databases OpenShared opened, closed by CloseShared.
var shared struct {
	mu      sync.Mutex
	closers []func()
}

// OpenShared returns a migrated database of the engine ("sqlite" or "postgres") that lives until CloseShared,
// which the test binary's TestMain calls after m.Run: for benchmarks that build one large data set and share
// it across top-level benchmarks (a testing.B's own cleanup would close it when the first one ends).
func OpenShared(engine string) (*store.DB, error) {
	d, _, err := OpenSharedDSN(engine)
	return d, err
}

// OpenSharedDSN is OpenShared, also returning the database's dsn (a SQLite file path or a PostgreSQL URL) for
// benchmarks that fill it with their own connection.
func OpenSharedDSN(engine string) (*store.DB, string, error) {
	ctx := context.Background()
	var dsn string
	var drop func()
	switch engine {
	case "sqlite":
		dir, err := os.MkdirTemp("", "foidesk-shared-")
		if err != nil {
			return nil, "", err
		}
		dsn, drop = filepath.Join(dir, "foidesk.db"), func() { os.RemoveAll(dir) }
	case "postgres":
		server := os.Getenv(PostgresEnv)
		if server == "" {
			return nil, "", fmt.Errorf("%s is not set: run the benchmarks with `make bench`", PostgresEnv)
		}
		tmpl, err := template(server)
		if err != nil {
			return nil, "", err
		}
		admin, err := sql.Open("pgx", server)
		if err != nil {
			return nil, "", err
		}
		name := "foidesk_shared_" + randomHex(8)
		if _, err := admin.Exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmpl)); err != nil {
			admin.Close()
			return nil, "", err
		}
		dsn = withDatabase(server, name)
		drop = func() {
			admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
			admin.Close()
		}
	default:
		return nil, "", fmt.Errorf("unknown engine %q", engine)
	}
	d, err := store.Open(ctx, dsn)
	if err == nil {
		if err = d.Migrate(ctx); err != nil {
			d.Close()
		}
	}
	if err != nil {
		drop()
		return nil, "", err
	}
	shared.mu.Lock()
	shared.closers = append(shared.closers, func() { d.Close(); drop() })
	shared.mu.Unlock()
	return d, dsn, nil
}

// CloseShared closes and removes every database OpenShared opened.
func CloseShared() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	for _, c := range shared.closers {
		c()
	}
	shared.closers = nil
}
