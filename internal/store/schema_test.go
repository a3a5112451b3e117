package store_test

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// column is what the parity test compares: a column's name and whether it may be NULL.
type column struct {
	Name    string
	NotNull bool
}

func TestSchemaParity_SQLiteAndPostgresHaveTheSameTablesAndColumns(t *testing.T) {
	lite := schemaOf(t, storetest.OpenSQLite(t))
	pg := schemaOf(t, storetest.OpenPostgres(t))
	if len(lite) == 0 {
		t.Fatal("no tables found in SQLite")
	}
	for table, cols := range pg {
		if _, ok := lite[table]; !ok {
			t.Errorf("table %s is in the PostgreSQL migrations but not the SQLite ones", table)
			continue
		}
		if !reflect.DeepEqual(cols, lite[table]) {
			t.Errorf("table %s differs:\n  postgres: %v\n  sqlite:   %v", table, cols, lite[table])
		}
	}
	for table := range lite {
		if _, ok := pg[table]; !ok {
			t.Errorf("table %s is in the SQLite migrations but not the PostgreSQL ones", table)
		}
	}
}

// sqliteSearchTables are the SQLite-only tables of the case search (migration 00017): the FTS5 table cases_fts
// and the shadow tables FTS5 keeps its index in. Their PostgreSQL twin is an index, not a table.
var sqliteSearchTables = map[string]bool{"cases_fts": true, "cases_fts_data": true, "cases_fts_idx": true,
	"cases_fts_docsize": true, "cases_fts_config": true}

func schemaOf(t *testing.T, d *store.DB) map[string][]column {
	t.Helper()
	raw := store.RawDB(d)
	var query string
	switch d.Engine() {
	case store.SQLite:
		// A PRIMARY KEY column is NOT NULL in PostgreSQL; SQLite reports it only through pk.
		query = `SELECT m.name, p.name, (p."notnull" = 1 OR p.pk > 0)
		         FROM sqlite_master m JOIN pragma_table_info(m.name) p
		         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`
	case store.Postgres:
		query = `SELECT table_name, column_name, is_nullable = 'NO'
		         FROM information_schema.columns
		         WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`
	}
	rows, err := raw.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	schema := map[string][]column{}
	searchTables := map[string]bool{}
	for rows.Next() {
		var table string
		var c column
		if err := rows.Scan(&table, &c.Name, &c.NotNull); err != nil {
			t.Fatal(err)
		}
		if d.Engine() == store.SQLite && sqliteSearchTables[table] {
			searchTables[table] = true
			continue
		}
		schema[table] = append(schema[table], c)
	}
	for _, cols := range schema {
		sort.Slice(cols, func(i, j int) bool { return cols[i].Name < cols[j].Name })
	}
	if err := rows.Err(); err != nil {
		t.Fatal(fmt.Errorf("%s schema: %w", d.Engine(), err))
	}
	if d.Engine() == store.SQLite && len(searchTables) != len(sqliteSearchTables) {
		t.Errorf("SQLite has the search tables %v, want all of %v: update sqliteSearchTables", searchTables, sqliteSearchTables)
	}
	return schema
}
