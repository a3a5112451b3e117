package main

import (
	"context"
	"fmt"

	"foidesk/internal/store"
)

var backupCommand = command{
	name:    "backup",
	usage:   "backup [--db FILE] BACKUP-FILE",
	summary: "copy the SQLite database to a new file while serving, and verify the copy's audit chain (PostgreSQL: pg_dump)",
	run:     runBackup,
}

var restoreCommand = command{
	name:    "restore",
	usage:   "restore [--db FILE] [--force] BACKUP-FILE",
	summary: "replace the (stopped) SQLite database with a verified backup (PostgreSQL: pg_restore)",
	run:     runRestore,
}

func runBackup(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("backup")
	dsn := dbFlag(fs, env)
	file, err := parseFlagsAndArg(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return usagef("name the backup file to write, e.g. 'foidesk backup foidesk-2026-11-22.db'")
	}
	if engine, err := store.ParseDSN(*dsn); err == nil && engine == store.Postgres {
		return usagef("%s", store.PostgresBackupAdvice)
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	rep, err := d.Backup(ctx, file)
	if err != nil {
		return domainError(err)
	}
	printBackup(env, "backed up to", rep)
	return nil
}

func runRestore(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("restore")
	dsn := dbFlag(fs, env)
	force := fs.Bool("force", false, "replace an existing database file")
	file, err := parseFlagsAndArg(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return usagef("name the backup file to restore, e.g. 'foidesk restore --db foidesk.db foidesk-2026-11-22.db'")
	}
	rep, err := store.Restore(ctx, file, *dsn, *force)
	if err != nil {
		return domainError(err)
	}
	printBackup(env, "restored to", rep)
	return nil
}

func printBackup(env *cliEnv, what string, rep store.BackupReport) {
	fmt.Fprintf(env.stdout, "%s %s (%d bytes); audit chain intact: %d events, last seq %d\n",
		what, rep.Path, rep.Bytes, rep.Audit.Events, rep.Audit.LastSeq)
}
