package store

import (
	"context"
	"fmt"
	"io/fs"

	sqlfiles "foidesk/sql"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrate brings the schema up to date with the embedded migrations of the database's engine. On PostgreSQL
// it holds an advisory lock, so instances starting together migrate once.
func (d *DB) Migrate(ctx context.Context) error {
	p, err := d.migrator()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// SchemaVersion returns the version of the newest applied migration.
func (d *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := d.migrator()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

func (d *DB) migrator() (*goose.Provider, error) {
	dir := "migrations/" + string(d.engine)
	fsys, err := fs.Sub(sqlfiles.Migrations, dir)
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if d.engine == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, d.write, fsys, opts...)
}
