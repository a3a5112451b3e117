package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestBackup_CopiesSQLiteWhileOpenAndPointsPostgreSQLToPgDump(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		dest := filepath.Join(t.TempDir(), "backup.db")
		rep, err := d.Backup(context.Background(), dest)
		if d.Engine() == store.Postgres {
			if foi.ErrorCode(err) != foi.EINVALID || foi.ErrorMessage(err) != store.PostgresBackupAdvice {
				t.Fatalf("backup of PostgreSQL: %v", err)
			}
			if _, err := os.Stat(dest); !os.IsNotExist(err) {
				t.Errorf("a refused backup wrote %s", dest)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		live, err := d.VerifyAudit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if rep.Path != dest || rep.Bytes == 0 || rep.Audit != live {
			t.Errorf("backup report %+v, live chain %+v", rep, live)
		}
		copyDB, err := store.Open(context.Background(), dest)
		if err != nil {
			t.Fatal(err)
		}
		defer copyDB.Close()
		if got, err := copyDB.VerifyAudit(context.Background()); err != nil || got != live {
			t.Errorf("the copy's chain %+v %v, want %+v", got, err, live)
		}
		if _, err := d.Backup(context.Background(), dest); foi.ErrorCode(err) != foi.EINVALID {
			t.Errorf("backup over an existing file: %v", err)
		}
	})
}
