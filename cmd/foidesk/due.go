package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"foidesk/internal/calendar"
)

// dueUsage is the usage line of the due command.
const dueUsage = "due [--db DSN] --received T [--regime foia|eir] [--clarified T] [--fee-notice D --fee-paid D] [--extension none|pit|eir-complex] [--internal-review] [--explain]"

var dueCommand = command{
	name:    "due",
	usage:   dueUsage,
	summary: "print the statutory deadline of a request (T: date or RFC 3339 timestamp)",
	run:     runDue,
}

// runDue prints the operative deadline on the first line of stdout and, with --explain, the trace below it.
// Every bad input is a usage error (exit 2) and prints no date.
func runDue(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("due", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	received := fs.String("received", "", "date or RFC 3339 timestamp the request (or review request) arrived")
	regime := fs.String("regime", string(calendar.RegimeFOIA), "foia or eir")
	clarified := fs.String("clarified", "", "date or RFC 3339 timestamp the clarification arrived")
	feeNotice := fs.String("fee-notice", "", "date the fees notice was given")
	feePaid := fs.String("fee-paid", "", "date the fee was received")
	extension := fs.String("extension", string(calendar.ExtensionNone), "none, pit or eir-complex")
	review := fs.Bool("internal-review", false, "--received is an internal-review request: print the review target")
	explain := fs.Bool("explain", false, "print each step of the computation below the date")
	dsn := fs.String("db", env.getenv("FOIDESK_DB"), "use this database's calendar (imports and overrides) instead of the embedded data (env FOIDESK_DB)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(env.stdout, "Usage: foidesk "+dueUsage)
			fs.SetOutput(env.stdout)
			fs.PrintDefaults()
			return nil
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	if *received == "" {
		return usagef("--received is required (a date YYYY-MM-DD or an RFC 3339 timestamp)")
	}
	recv, err := calendar.ParseReceipt(*received)
	if err != nil {
		return usagef("--received: %v", err)
	}
	reg := calendar.Regime(*regime)
	if reg != calendar.RegimeFOIA && reg != calendar.RegimeEIR {
		return usagef("--regime: unknown regime %q (want foia or eir)", *regime)
	}
	cal, err := dueCalendar(ctx, *dsn)
	if err != nil {
		return err
	}

	if *review {
		for _, name := range []string{"clarified", "fee-notice", "fee-paid", "extension"} {
			if set[name] {
				return usagef("--%s does not apply with --internal-review", name)
			}
		}
		target, longstop, err := cal.ReviewDeadline(reg, recv)
		if err != nil {
			return usagef("%v", err)
		}
		fmt.Fprintln(env.stdout, target)
		if *explain {
			fmt.Fprintf(env.stdout, "%s internal review requested, day 0%s\n", recv, reasonNote(cal, recv))
			if reg == calendar.RegimeEIR {
				fmt.Fprintf(env.stdout, "%s due: day 40, reconsideration decision (EIR reg 11(4))\n", target)
			} else {
				fmt.Fprintf(env.stdout, "%s target: day 20 (s.45 Code of Practice, ICO guidance)\n", target)
				fmt.Fprintf(env.stdout, "%s longstop: day 40 (exceptional or complex cases)\n", longstop)
			}
			if cal.Provisional(recv) || cal.Provisional(longstop) {
				fmt.Fprintln(env.stdout, "provisional: dates past the published bank-holiday data")
			}
		}
		return nil
	}

	in := calendar.DeadlineInput{Regime: reg, Received: recv, Extension: calendar.Extension(*extension)}
	switch in.Extension {
	case calendar.ExtensionNone, calendar.ExtensionPIT, calendar.ExtensionEIRComplex:
	default:
		return usagef("--extension: unknown extension %q (want none, pit or eir-complex)", *extension)
	}
	if *clarified != "" {
		if in.Clarified, err = calendar.ParseReceipt(*clarified); err != nil {
			return usagef("--clarified: %v", err)
		}
	}
	switch {
	case set["fee-notice"] != set["fee-paid"]:
		return usagef("--fee-notice and --fee-paid must be given together")
	case set["fee-notice"]:
		notice, err := calendar.ParseReceipt(*feeNotice)
		if err != nil {
			return usagef("--fee-notice: %v", err)
		}
		paid, err := calendar.ParseReceipt(*feePaid)
		if err != nil {
			return usagef("--fee-paid: %v", err)
		}
		in.Fees = []calendar.FeePause{{Notice: notice, Paid: paid}}
	}
	dl, err := cal.Deadline(in)
	if err != nil {
		if errors.Is(err, calendar.ErrInvalid) {
			return usagef("%v", err)
		}
		return err
	}
	fmt.Fprintln(env.stdout, dl.Due)
	if *explain {
		for _, s := range dl.Trace {
			fmt.Fprintln(env.stdout, s.Text)
		}
		if dl.Provisional {
			fmt.Fprintln(env.stdout, "provisional: dates past the published bank-holiday data")
		}
	}
	return nil
}

// reasonNote describes a non-working day in parentheses, or returns "".
func reasonNote(cal *calendar.Calendar, d calendar.Date) string {
	if r := cal.NonWorkingReason(d); r != "" {
		return " (" + r + ", not a working day)"
	}
	return ""
}

// dueCalendar returns the calendar of the database named by dsn, or the embedded one when dsn is empty.
func dueCalendar(ctx context.Context, dsn string) (*calendar.Calendar, error) {
	if dsn == "" {
		return calendar.Default(), nil
	}
	d, err := openDB(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Calendar(ctx)
}
