package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"foidesk/internal/calendar"
)

var remindCommand = command{
	name:    "remind",
	usage:   "remind [--db DSN] [--date YYYY-MM-DD]",
	summary: "run the reminder scan now (deadline reminders, digests, agreement reviews); safe from cron",
	run:     runRemind,
}

// runRemind runs one reminder scan for --date (today in London by default). Running it twice, or beside the
// server's own scanner, sends nothing twice: the scan takes a database lock and records what it sent.
func runRemind(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("remind")
	dsn := dbFlag(fs, env)
	dateArg := fs.String("date", "", "the day to scan, YYYY-MM-DD (default: today in London)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	today := calendar.LondonDate(time.Now())
	if *dateArg != "" {
		d, err := calendar.ParseDate(*dateArg)
		if err != nil {
			return usagef("--date %q: want a date like 2026-06-05", *dateArg)
		}
		today = d
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	r, err := d.RunReminderScan(cliContext(ctx), today)
	if err != nil {
		return domainError(err)
	}
	if r.Skipped {
		fmt.Fprintf(env.stdout, "Reminder scan for %s skipped: another instance (%s) is scanning.\n", today, r.Holder)
		return nil
	}
	var kinds []string
	for k, n := range r.Reminders {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	if len(kinds) == 0 {
		kinds = []string{"none new"}
	}
	fmt.Fprintf(env.stdout, "Reminder scan for %s: %d open cases looked at; reminders: %s; %d emails and %d digests queued.\n",
		today, r.Cases, strings.Join(kinds, ", "), r.Emails, r.Digests)
	if r.Failed > 0 {
		fmt.Fprintf(env.stdout, "%d records had a date outside the calendar and were skipped.\n", r.Failed)
	}
	return nil
}
