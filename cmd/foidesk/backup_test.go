package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"foidesk/internal/store"
)

var backupLine = regexp.MustCompile(`^(backed up|restored) to (.+) \((\d+) bytes\); audit chain intact: (\d+) events, last seq (\d+)\n$`)

// auditCount returns how many audit events the SQLite database at path holds.
func auditCount(t *testing.T, path string) int {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close() // closed at once: restore refuses a database another connection holds
	var n int
	if err := raw.QueryRow("SELECT count(*) FROM audit_events").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCLI_BackupThenRestoreGivesTheSameDatabaseWithAnIntactAuditChain(t *testing.T) {
	db := tempSQLite(t)
	c := cliInvocation{db: db}
	c.run(t, "seed", "demo").wantOK(t, "seed demo")
	c.run(t, "user", "create", "--email", "a@example.gov.uk", "--name", "A", "--role", "admin").wantOK(t, "user create")
	events := auditCount(t, db)

	dir := t.TempDir()
	backup := filepath.Join(dir, "foidesk-backup.db")
	r := c.run(t, "backup", backup)
	r.wantOK(t, "backup")
	if m := backupLine.FindStringSubmatch(r.stdout); m == nil || m[2] != backup || m[4] == "0" {
		t.Fatalf("backup printed %q", r.stdout)
	}
	if got := auditCount(t, backup); got != events {
		t.Errorf("the backup holds %d audit events, the database %d", got, events)
	}
	c.run(t, "backup", backup).wantFail(t, "backup over an existing file", 2, "exists")
	if _, err := os.Stat(backup + ".partial"); !os.IsNotExist(err) {
		t.Errorf("a refused backup left %s.partial: %v", backup, err)
	}

	// Into a new file, then verified in place by audit verify.
	target := filepath.Join(dir, "restored.db")
	r = cliInvocation{db: target}.run(t, "restore", backup)
	r.wantOK(t, "restore into a new file")
	if m := backupLine.FindStringSubmatch(r.stdout); m == nil || m[1] != "restored" || m[2] != target {
		t.Fatalf("restore printed %q", r.stdout)
	}
	cliInvocation{db: target}.run(t, "audit", "verify").wantOK(t, "audit verify of the restored database")
	if got := auditCount(t, target); got != events {
		t.Errorf("the restored database holds %d audit events, want %d", got, events)
	}

	// Over an existing database only with --force.
	cliInvocation{db: db}.run(t, "restore", backup).wantFail(t, "restore over a database without --force", 2, "--force")
	cliInvocation{db: db}.run(t, "restore", "--force", backup).wantOK(t, "restore --force")
	c.run(t, "audit", "verify").wantOK(t, "audit verify after restore --force")
}

func TestCLI_RestoreRefusesABackupWithABrokenAuditChainAndChangesNothing(t *testing.T) {
	db := tempSQLite(t)
	c := cliInvocation{db: db}
	c.run(t, "seed", "demo").wantOK(t, "seed demo")
	backup := filepath.Join(t.TempDir(), "backup.db")
	c.run(t, "backup", backup).wantOK(t, "backup")
	tamper, err := sql.Open("sqlite", backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tamper.Exec("UPDATE audit_events SET actor_label = 'x' WHERE seq = 2"); err != nil {
		t.Fatal(err)
	}
	tamper.Close()
	target := filepath.Join(t.TempDir(), "target.db")
	cliInvocation{db: target}.run(t, "restore", backup).wantFail(t, "restore of a tampered backup", 2, "seq 2")
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("a refused restore created %s: %v", target, err)
	}
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notDB, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	cliInvocation{db: target}.run(t, "restore", notDB).wantFail(t, "restore of a file that is not a database", 2)
}

func TestCLI_RestoreRefusesADatabaseInUse(t *testing.T) {
	db := tempSQLite(t)
	c := cliInvocation{db: db}
	c.run(t, "seed", "demo").wantOK(t, "seed demo")
	backup := filepath.Join(t.TempDir(), "backup.db")
	c.run(t, "backup", backup).wantOK(t, "backup")
	serving, err := store.Open(context.Background(), db) // as a running foidesk would hold it
	if err != nil {
		t.Fatal(err)
	}
	defer serving.Close()
	if err := serving.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.run(t, "restore", "--force", backup).wantFail(t, "restore over a database in use", 2, "in use")
	c.run(t, "audit", "verify").wantOK(t, "audit verify of the untouched database")
}

func TestCLI_BackupAndRestoreOfPostgreSQLPointToPgDump(t *testing.T) {
	pg := cliInvocation{db: "postgres://foidesk@127.0.0.1:1/foidesk"}
	pg.run(t, "backup", filepath.Join(t.TempDir(), "x.db")).wantFail(t, "backup of PostgreSQL", 2, "pg_dump")
	pg.run(t, "restore", "--force", filepath.Join(t.TempDir(), "x.db")).wantFail(t, "restore of PostgreSQL", 2, "pg_restore")
}
