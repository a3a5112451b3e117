package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"foidesk/internal/foi"
)

// PostgresBackupAdvice is what foidesk says when asked to back up or restore a PostgreSQL database: that is
// pg_dump's job, which also knows the server's version and roles.
const PostgresBackupAdvice = "for PostgreSQL use pg_dump and pg_restore: " +
	"pg_dump --format=custom --file=foidesk.dump \"$FOIDESK_DB\", and to restore into an empty database, " +
	"pg_restore --no-owner --dbname=\"$FOIDESK_DB\" foidesk.dump, then 'foidesk audit verify'"

// BackupReport says what a backup or a restore wrote and that its audit chain is intact.
type BackupReport struct {
	Path  string
	Bytes int64
	Audit AuditReport
}

// Backup writes a consistent copy of a SQLite database to dest while foidesk keeps serving (VACUUM INTO
// through a connection of its own, inside one read transaction, so writers are not held up), then opens the
// copy and verifies its audit chain. dest must not exist; the copy is written beside it and renamed into place
// only once verified, so a failed backup leaves no file that looks like one. Errors: EINVALID on PostgreSQL
// (PostgresBackupAdvice) and when dest exists or its directory does not; ECONFLICT when the copy's audit chain
// is broken (the database itself is then suspect: run 'foidesk audit verify').
func (d *DB) Backup(ctx context.Context, dest string) (BackupReport, error) {
	if d.engine != SQLite {
		return BackupReport{}, foi.Errorf(foi.EINVALID, "%s", PostgresBackupAdvice)
	}
	if err := checkNewFile(dest); err != nil {
		return BackupReport{}, err
	}
	partial := dest + ".partial"
	os.Remove(partial)
	conn, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(d.dsn, "file:")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return BackupReport{}, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", partial); err != nil {
		os.Remove(partial)
		return BackupReport{}, fmt.Errorf("back up to %s: %w", dest, err)
	}
	return publishVerified(ctx, partial, dest)
}

// Restore replaces the SQLite database at target with the backup file src, after checking that src is a
// foidesk database whose audit chain is intact. It refuses to overwrite an existing target unless replace is
// true, and never touches a target that foidesk has open (checkIdle). The copy is verified again before it
// takes the target's place. Errors: EINVALID for PostgreSQL
// targets (PostgresBackupAdvice), a missing src, or an existing target without replace; ECONFLICT for a backup
// whose audit chain is broken; ECONFLICT when the target is in use.
func Restore(ctx context.Context, src, target string, replace bool) (BackupReport, error) {
	if engine, err := ParseDSN(target); err != nil {
		return BackupReport{}, err
	} else if engine != SQLite {
		return BackupReport{}, foi.Errorf(foi.EINVALID, "%s", PostgresBackupAdvice)
	}
	target = strings.TrimPrefix(target, "file:")
	if _, err := os.Stat(src); err != nil {
		return BackupReport{}, foi.Errorf(foi.EINVALID, "backup %q: %v", src, errors.Unwrap(err))
	}
	if _, err := verifyFile(ctx, src); err != nil {
		return BackupReport{}, fmt.Errorf("backup %s: %w", src, err)
	}
	if _, err := os.Stat(target); err == nil {
		if !replace {
			return BackupReport{}, foi.Errorf(foi.EINVALID, "%s exists: give --force to replace it with the backup", target)
		}
		if err := checkIdle(ctx, target); err != nil {
			return BackupReport{}, err
		}
	} else if err := checkNewFile(target); err != nil {
		return BackupReport{}, err
	}
	partial := target + ".partial"
	if err := copyFile(src, partial); err != nil {
		os.Remove(partial)
		return BackupReport{}, err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(partial)
			return BackupReport{}, err
		}
	}
	os.Remove(target)
	return publishVerified(ctx, partial, target)
}

// publishVerified verifies the database file partial and renames it to dest.
func publishVerified(ctx context.Context, partial, dest string) (BackupReport, error) {
	rep, err := verifyFile(ctx, partial)
	if err != nil {
		os.Remove(partial)
		return BackupReport{}, err
	}
	if err := os.Rename(partial, dest); err != nil {
		os.Remove(partial)
		return BackupReport{}, err
	}
	st, err := os.Stat(dest)
	if err != nil {
		return BackupReport{}, err
	}
	return BackupReport{Path: dest, Bytes: st.Size(), Audit: rep}, nil
}

// verifyFile opens a SQLite file and verifies its audit chain. A file that cannot be opened as a foidesk
// database fails with EINVALID.
func verifyFile(ctx context.Context, path string) (AuditReport, error) {
	d, err := Open(ctx, path)
	if err != nil {
		return AuditReport{}, foi.Errorf(foi.EINVALID, "%s is not a foidesk database: %v", path, err)
	}
	defer d.Close()
	var n int
	if err := d.read.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_head'").Scan(&n); err != nil || n == 0 {
		return AuditReport{}, foi.Errorf(foi.EINVALID, "%s is not a foidesk database", path)
	}
	return d.VerifyAudit(ctx)
}

// checkIdle fails with ECONFLICT when another connection (a running foidesk) has the SQLite database at path
// open. It asks SQLite to leave WAL mode, which SQLite allows only when no other connection is open; the file is
// about to be replaced, so the change does not matter.
func checkIdle(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		return err
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode=DELETE").Scan(&mode); err != nil || mode != "delete" {
		return foi.Errorf(foi.ECONFLICT, "%s is in use: stop foidesk before restoring over it", path)
	}
	return nil
}

// checkNewFile fails with EINVALID when path exists or its directory does not.
func checkNewFile(path string) error {
	if _, err := os.Stat(path); err == nil {
		return foi.Errorf(foi.EINVALID, "%s exists: give a new file name", path)
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return foi.Errorf(foi.EINVALID, "directory %q does not exist", filepath.Dir(path))
	}
	return nil
}

// copyFile copies src to a new file dst and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
