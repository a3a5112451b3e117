package main

import (
	"context"
	"strings"
	"testing"

	"foidesk/internal/foi"
)

func TestCLI_RemindRunsOneScanAndIsIdempotent(t *testing.T) {
	dsn := tempSQLite(t)
	cli := cliInvocation{db: dsn}
	r := cli.run(t, "remind", "--date", "2026-06-05")
	r.wantOK(t, "remind on an empty database")
	if !strings.Contains(r.stdout, "Reminder scan for 2026-06-05") || !strings.Contains(r.stdout, "none new") {
		t.Fatalf("remind said %q", r.stdout)
	}
	cli.run(t, "seed", "demo").wantOK(t, "seed demo")
	// The seeded MoU's review date is long past: its change-control and data-exchange owners are reminded.
	r = cli.run(t, "remind", "--db", dsn, "--date", "2026-06-05")
	r.wantOK(t, "remind")
	if !strings.Contains(r.stdout, "review_overdue 1") {
		t.Fatalf("remind said %q", r.stdout)
	}
	r = cli.run(t, "remind", "--date", "2026-06-05")
	r.wantOK(t, "remind again")
	if !strings.Contains(r.stdout, "none new") || !strings.Contains(r.stdout, "0 emails") {
		t.Fatalf("second remind said %q", r.stdout)
	}
	d := openStore(t, dsn)
	ctx := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	es, err := d.ListOutbox(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Template == foi.TmplAgreementReview {
			n++
		}
	}
	if n == 0 || n != len(es) {
		t.Fatalf("outbox holds %d agreement reminders of %d messages", n, len(es))
	}
	cli.run(t, "remind", "--date", "5 June").wantFail(t, "bad date", 2, "--date")
	cli.run(t, "remind", "extra").wantFail(t, "extra argument", 2, "extra")
}
