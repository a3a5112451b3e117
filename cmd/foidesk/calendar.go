package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"foidesk/internal/calendar"
)

var calendarCommand = command{
	name:    "calendar",
	usage:   "calendar import FILE | override --date D (--title T | --working) | remove --date D | show [--year Y]",
	summary: "manage the working-day calendar: import gov.uk bank holidays, add one-off days, list non-working days",
	run:     runCalendar,
}

func runCalendar(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usagef("say what to do: calendar import FILE, calendar override, calendar remove or calendar show")
	}
	switch args[0] {
	case "import":
		return calendarImport(ctx, env, args[1:])
	case "override":
		return calendarOverride(ctx, env, args[1:])
	case "remove":
		return calendarRemove(ctx, env, args[1:])
	case "show":
		return calendarShow(ctx, env, args[1:])
	}
	return usagef("unknown calendar action %q (want import, override, remove or show)", args[0])
}

func calendarImport(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("calendar import")
	dsn := dbFlag(fs, env)
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if file == "" {
		return usagef("name the gov.uk bank-holidays.json file to import")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return usagef("cannot read %s: %v", file, err)
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	change, err := d.ImportHolidays(cliContext(ctx), filepath.Base(file), data)
	if err != nil {
		return domainError(err)
	}
	fmt.Fprintf(env.stdout, "Imported %s: bank holidays for %d to %d are now in force.\n", filepath.Base(file),
		change.First.Year(), change.Last.Year())
	for _, day := range change.NewNonWorking {
		fmt.Fprintf(env.stdout, "  new non-working day: %s\n", day)
	}
	for _, day := range change.NoLongerHoliday {
		fmt.Fprintf(env.stdout, "  now a working day:   %s\n", day)
	}
	if len(change.NewNonWorking)+len(change.NoLongerHoliday) == 0 {
		fmt.Fprintln(env.stdout, "  no working day changed.")
	}
	fmt.Fprintf(env.stdout, "Open cases whose deadline moved (flagged and audited): %d\n", change.CasesMoved)
	return nil
}

func calendarOverride(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("calendar override")
	dsn := dbFlag(fs, env)
	date := fs.String("date", "", "the day, YYYY-MM-DD")
	title := fs.String("title", "", "name of the extra bank holiday, e.g. \"State funeral\"")
	working := fs.Bool("working", false, "the day is a working day after all (a holiday that is not taken)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	day, err := calendar.ParseDate(*date)
	if err != nil {
		return usagef("--date: %v", err)
	}
	if *title == "" && !*working {
		return usagef("give --title for an extra bank holiday, or --working for a holiday that is not taken")
	}
	if *working && *title == "" {
		*title = "Working day by admin decision"
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.SetCalendarOverride(cliContext(ctx), calendar.Override{Date: day, Working: *working, Title: *title}); err != nil {
		return domainError(err)
	}
	kind := "non-working"
	if *working {
		kind = "working"
	}
	fmt.Fprintf(env.stdout, "%s is now a %s day (%s).\n", day, kind, *title)
	return nil
}

func calendarRemove(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("calendar remove")
	dsn := dbFlag(fs, env)
	date := fs.String("date", "", "the day whose override to remove, YYYY-MM-DD")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	day, err := calendar.ParseDate(*date)
	if err != nil {
		return usagef("--date: %v", err)
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.RemoveCalendarOverride(cliContext(ctx), day); err != nil {
		return domainError(err)
	}
	fmt.Fprintf(env.stdout, "Removed the override on %s.\n", day)
	return nil
}

func calendarShow(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("calendar show")
	dsn := dbFlag(fs, env)
	year := fs.Int("year", 0, "the year to list (default: this year)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *year == 0 {
		*year = time.Now().Year()
	}
	if *year < 2012 || *year > 2099 {
		return usagef("--year %d is outside the supported calendar (2012 to 2099)", *year)
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	cal, err := d.Calendar(ctx)
	if err != nil {
		return err
	}
	info, err := d.CalendarInfo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Calendar data: %s\n", info.Source)
	first := calendar.NewDate(*year, time.January, 1)
	if cal.Provisional(first) {
		fmt.Fprintf(env.stdout, "%d is past the published data: its holidays are computed from the rules (provisional).\n", *year)
	}
	fmt.Fprintf(env.stdout, "Weekdays that are not working days in %d:\n", *year)
	for day := first; day.Year() == *year; day = day.AddDays(1) {
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday && !cal.IsWorkingDay(day) {
			fmt.Fprintf(env.stdout, "  %s %s %s\n", day, day.Weekday().String()[:3], cal.NonWorkingReason(day))
		}
	}
	return nil
}
