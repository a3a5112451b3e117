package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"foidesk/internal/foi"
)

var retentionCommand = command{
	name:    "retention",
	usage:   "retention run [--db DSN] [--dry-run] | retention due --month YYYY-MM [--db DSN]",
	summary: "destroy what the retention schedules say is due (audited tombstones), or list what falls due in a month",
	run:     runRetention,
}

func runRetention(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usagef("say what to do: 'retention run' or 'retention due --month YYYY-MM'")
	}
	switch args[0] {
	case "run":
		return runRetentionRun(ctx, env, args[1:])
	case "due":
		return runRetentionDue(ctx, env, args[1:])
	}
	return usagef("unknown retention command %q: use run or due", args[0])
}

// runRetentionRun destroys (or with --dry-run lists) what is due today and not held, one line each, then the
// held ones and a summary line.
func runRetentionRun(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("retention run")
	dsn := dbFlag(fs, env)
	dry := fs.Bool("dry-run", false, "list what would be destroyed and change nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	run, err := d.RunRetention(cliContext(ctx), *dry)
	if err != nil {
		return domainError(err)
	}
	verb := "destroyed"
	if run.DryRun {
		verb = "would destroy"
	}
	for _, t := range run.Destroyed {
		fmt.Fprintf(env.stdout, "%s %s %s (schedule %s, %d months, due %s)\n", verb, t.CaseReference, t.Scope,
			t.Schedule, t.Months, t.DueOn)
	}
	for _, h := range run.Held {
		fmt.Fprintf(env.stdout, "held %s %s (due %s): %s\n", h.Reference, h.Scope, h.DueOn, strings.Join(h.Holds, "; "))
	}
	fmt.Fprintf(env.stdout, "%s: %d %s, %d held\n", run.Today, len(run.Destroyed), verb, len(run.Held))
	return nil
}

// runRetentionDue lists what falls due in the month, and what is due but held, by due date.
func runRetentionDue(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("retention due")
	dsn := dbFlag(fs, env)
	month := fs.String("month", "", "the month, YYYY-MM")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *month == "" {
		return usagef("--month is required (YYYY-MM)")
	}
	from, to, err := foi.MonthRange(*month)
	if err != nil {
		return domainError(err)
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	due, err := d.RetentionDueBetween(cliContext(ctx), from, to)
	if err != nil {
		return domainError(err)
	}
	writeDue(env.stdout, due)
	return nil
}

// writeDue prints one tab-separated line per destruction: due date, reference, party, scope, schedule and
// the holds ("-" for none).
func writeDue(w io.Writer, due []foi.RetentionDue) {
	fmt.Fprintln(w, "due_on\treference\tparty\tscope\tschedule\tholds")
	for _, d := range due {
		holds := "-"
		if d.Held() {
			holds = strings.Join(d.Holds, "; ")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", d.DueOn, d.Reference, d.PartyCode, d.Scope, d.Schedule, holds)
	}
}
