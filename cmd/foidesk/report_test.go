package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
)

// reportDB returns a migrated, seeded database (SQLite, then PostgreSQL) with two DFE requests and one HO
// request received in February 2026.
func reportDB(t *testing.T, dsn string) {
	t.Helper()
	cliInvocation{db: dsn}.run(t, "seed", "demo").wantOK(t, "seed demo")
	d := openStore(t, dsn)
	d.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	for i, party := range []string{"DFE", "DFE", "HO"} {
		u, _, err := d.CreateUser(cli, foi.NewUser{Email: "officer" + string(rune('a'+i)) + "@test.example", Name: "Officer",
			Role: foi.RoleOfficer, PartyCode: party, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.CreateCase(foi.WithActor(context.Background(), foi.Actor{User: &u}), foi.NewCase{Regime: "foia",
			ReceivedAt: "2026-02-0" + string(rune('2'+i)), Channel: "email", Subject: "Statistics",
			RequestText: "Please send the statistics.", Requester: foi.Requester{Name: "R", Email: "r@example.org", Type: "public"}},
			foi.Idempotency{})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestCLI_ReportStats(t *testing.T) {
	for _, dsn := range []string{tempSQLite(t), freshPostgres(t)} {
		reportDB(t, dsn)
		c := cliInvocation{db: dsn}

		r := c.run(t, "report", "stats", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "json")
		r.wantOK(t, "report stats json")
		var doc struct {
			Party    *string             `json:"party"`
			Received struct{ Total int } `json:"received"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Party != nil || doc.Received.Total != 3 {
			t.Fatalf("every party: %+v %v\n%s", doc, err, r.stdout)
		}
		r = c.run(t, "report", "stats", "--from", "2026-01-01", "--to", "2026-03-31", "--party", "dfe")
		r.wantOK(t, "report stats csv")
		if !strings.Contains(r.stdout, "total,Requests received,2\n") || !strings.Contains(r.stdout, "Party,DFE\n") {
			t.Errorf("csv:\n%s", r.stdout)
		}
		out := filepath.Join(t.TempDir(), "stats.ods")
		c.run(t, "report", "stats", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "ods", "--out", out).wantOK(t, "ods")
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if z, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil || z.File[0].Name != "mimetype" {
			t.Fatalf("ods: %v", err)
		}

		for _, bad := range []struct {
			args []string
			want string
		}{
			{[]string{"--from", "2026-04-01", "--to", "2026-03-31"}, "--from"},
			{[]string{"--from", "2026-01-01"}, "--to is required"},
			{[]string{"--from", "1/1/2026", "--to", "2026-03-31"}, "--from"},
			{[]string{"--from", "2026-01-01", "--to", "2026-03-31", "--format", "xlsx"}, "--format"},
			{[]string{"--from", "2026-01-01", "--to", "2026-03-31", "--party", "NOPE"}, "--party"},
		} {
			c.run(t, append([]string{"report", "stats"}, bad.args...)...).wantFail(t, strings.Join(bad.args, " "), 2, bad.want)
		}
		c.run(t, "report", "nonsense").wantFail(t, "unknown report", 2, "nonsense")

		r = c.run(t, "report", "consultations", "--from", "2026-01-01", "--to", "2026-03-31", "--party", "HO")
		r.wantOK(t, "report consultations")
		if !strings.Contains(r.stdout, "consulting_party,consulted_party,sent") || !strings.Contains(r.stdout, "\nall,all,0,") {
			t.Errorf("consultations csv:\n%s", r.stdout)
		}
		c.run(t, "report", "consultations", "--from", "2026-01-01", "--to", "2026-03-31", "--party", "ZZ").
			wantFail(t, "unknown party", 2, "--party")
	}
}
