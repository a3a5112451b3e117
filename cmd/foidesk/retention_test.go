package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
)

// retentionDB seeds dsn with one DFE case withdrawn on 2 March 2022, whose file fell due on 2 March 2025.
func retentionDB(t *testing.T, dsn string) int64 {
	t.Helper()
	cliInvocation{db: dsn}.run(t, "seed", "demo").wantOK(t, "seed demo")
	d := openStore(t, dsn)
	d.Now = func() time.Time { return time.Date(2022, 3, 2, 10, 0, 0, 0, time.UTC) }
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	u, _, err := d.CreateUser(cli, foi.NewUser{Email: "officer@test.example", Name: "Officer", Role: foi.RoleOfficer,
		PartyCode: "DFE", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := foi.WithActor(context.Background(), foi.Actor{User: &u})
	out, err := d.CreateCase(ctx, foi.NewCase{Regime: "foia", ReceivedAt: "2022-03-01", Channel: "email",
		Subject: "Statistics", RequestText: "Please send the statistics.",
		Requester: foi.Requester{Name: "Ada Requester", Email: "ada@example.org", Type: "public"}}, foi.Idempotency{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.TransitionCase(ctx, out.Case.ID, 0, foi.StatusWithdrawn, "Withdrawn."); err != nil {
		t.Fatal(err)
	}
	return out.Case.ID
}

func TestCLI_RetentionDueAndRun(t *testing.T) {
	for _, dsn := range []string{tempSQLite(t), freshPostgres(t)} {
		id := retentionDB(t, dsn)
		c := cliInvocation{db: dsn}
		c.run(t, "retention", "due").wantFail(t, "due without month", 2, "--month is required")
		c.run(t, "retention", "due", "--month", "March").wantFail(t, "bad month", 2, "YYYY-MM")
		c.run(t, "retention", "purge").wantFail(t, "unknown", 2, "use run or due")

		r := c.run(t, "retention", "due", "--month", "2025-03")
		r.wantOK(t, "due")
		if !strings.Contains(r.stdout, "2025-03-02\tDFE-FOI-2022-000001\tDFE\tcase_file\tcase_file\t-\n") {
			t.Errorf("due:\n%s", r.stdout)
		}
		r = c.run(t, "retention", "run", "--dry-run")
		r.wantOK(t, "dry run")
		if !strings.Contains(r.stdout, "would destroy DFE-FOI-2022-000001 case_file (schedule case_file, 36 months, due 2025-03-02)") {
			t.Errorf("dry run:\n%s", r.stdout)
		}
		d := openStore(t, dsn)
		cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
		if k, err := d.FindCaseByID(cli, id); err != nil || k.Requester.Name != "Ada Requester" {
			t.Fatalf("dry run destroyed: %+v %v", k, err)
		}
		r = c.run(t, "retention", "run")
		r.wantOK(t, "run")
		if !strings.Contains(r.stdout, "destroyed DFE-FOI-2022-000001 case_file") || !strings.Contains(r.stdout, ": 1 destroyed, 0 held") {
			t.Errorf("run:\n%s", r.stdout)
		}
		if k, err := d.FindCaseByID(cli, id); err != nil || k.Requester.Name != "" || k.RequestText != "" || k.Status != foi.StatusWithdrawn {
			t.Fatalf("not destroyed: %+v %v", k, err)
		}
		r = c.run(t, "retention", "run")
		r.wantOK(t, "second run")
		if !strings.Contains(r.stdout, ": 0 destroyed, 0 held") {
			t.Errorf("second run:\n%s", r.stdout)
		}
	}
}
