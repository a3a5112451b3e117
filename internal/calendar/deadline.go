package calendar

import (
	"fmt"
	"slices"
)

// Regime is the access regime a request is handled under.
type Regime string

// The regimes. The empty Regime is taken as RegimeFOIA.
const (
	RegimeFOIA Regime = "foia" // Freedom of Information Act 2000
	RegimeEIR  Regime = "eir"  // Environmental Information Regulations 2004
)

// Extension is a lawful extension of the time for compliance.
type Extension string

// The extensions. The empty Extension is taken as ExtensionNone.
const (
	ExtensionNone       Extension = "none"
	ExtensionPIT        Extension = "pit"         // FOIA s.10(3) public interest test: ICO-normal target day 40
	ExtensionEIRComplex Extension = "eir-complex" // EIR reg 7(1) complex and voluminous: day 40
)

// FeePause is a fees notice (FOIA s.9, EIR reg 8): the working days from Notice to Paid, both inclusive, are
// disregarded. A zero Paid means the fee is still unpaid and the clock is stopped open-ended.
type FeePause struct {
	Notice Date
	Paid   Date
}

// DeadlineInput is everything that moves a request's statutory clock.
type DeadlineInput struct {
	Regime    Regime     // "" means RegimeFOIA
	Received  Date       // the Europe/London date the request arrived (see LondonDate); required
	Clarified Date       // the date the latest s.1(3) / reg 9 clarification arrived; zero when none
	Fees      []FeePause // fee notices, in any order
	Extension Extension  // "" means ExtensionNone
}

// Step is one line of a Deadline's trace. Kind is one of "receipt", "clarification", "fee-pause", "extension",
// "skipped" (a non-working day not counted) and "due"; Text is a human sentence that starts with the date.
type Step struct {
	Date Date
	Kind string
	Text string
}

// Deadline is a computed statutory clock.
type Deadline struct {
	Receipt      Date   // the date of receipt used, day 0: the clarification date when clarified
	StatutoryDue Date   // day 20 (FOIA s.10(1) / EIR reg 5(2)) after fee pauses; with PIT, the s.17 notice date; zero while Paused
	Due          Date   // the operative deadline: StatutoryDue, or day 40 for PIT / EIR reg 7; zero while Paused
	Paused       bool   // an unpaid fee notice has stopped the clock, so there is no deadline yet
	Provisional  bool   // some date used lies in a year past the published bank-holiday data
	Trace        []Step // in date order: receipt, events, each non-working day skipped, extension notice, due
}

const (
	statutoryDays = 20
	extendedDays  = 40
)

// Deadline computes the statutory clock of a request: day 0 is the date of receipt (the clarification date when
// clarified), which may be a non-working day, and the deadline is the 20th working day after it, with the working
// days of each fee pause (notice to payment, inclusive) disregarded; a fee notice given after the deadline has no
// effect. With ExtensionPIT (FOIA only) or ExtensionEIRComplex (EIR only) Due is the 40th such day. The error
// wraps ErrInvalid for: no date of receipt, an unknown regime or extension, PIT under EIR, eir-complex under
// FOIA, a clarification before receipt, a fee notice before receipt or with no date, a fee paid before its
// notice; it also wraps ErrOutOfRange when any date, or the deadline, lies outside Range.
func (c *Calendar) Deadline(in DeadlineInput) (Deadline, error) {
	regime, ext := in.Regime, in.Extension
	if regime == "" {
		regime = RegimeFOIA
	}
	if ext == "" {
		ext = ExtensionNone
	}
	switch regime {
	case RegimeFOIA, RegimeEIR:
	default:
		return Deadline{}, invalidf("unknown regime %q (want foia or eir)", string(in.Regime))
	}
	switch ext {
	case ExtensionNone:
	case ExtensionPIT:
		if regime == RegimeEIR {
			return Deadline{}, invalidf("there is no public interest test extension under the EIR (use eir-complex for reg 7)")
		}
	case ExtensionEIRComplex:
		if regime == RegimeFOIA {
			return Deadline{}, invalidf("the eir-complex extension (EIR reg 7) does not apply under FOIA")
		}
	default:
		return Deadline{}, invalidf("unknown extension %q (want none, pit or eir-complex)", string(in.Extension))
	}
	if in.Received.IsZero() {
		return Deadline{}, invalidf("the date of receipt is required")
	}
	if _, ok := c.index(in.Received); !ok {
		return Deadline{}, rangeErr("date of receipt", in.Received)
	}
	receipt := in.Received
	if !in.Clarified.IsZero() {
		if _, ok := c.index(in.Clarified); !ok {
			return Deadline{}, rangeErr("clarification date", in.Clarified)
		}
		if in.Clarified.Before(in.Received) {
			return Deadline{}, invalidf("clarification %s is before the request was received (%s)", in.Clarified, in.Received)
		}
		receipt = in.Clarified
	}
	fees := slices.Clone(in.Fees)
	for i, f := range fees {
		n := i + 1
		if f.Notice.IsZero() {
			return Deadline{}, invalidf("fee notice %d has no date", n)
		}
		if _, ok := c.index(f.Notice); !ok {
			return Deadline{}, rangeErr(fmt.Sprintf("fee notice %d", n), f.Notice)
		}
		if f.Notice.Before(in.Received) {
			return Deadline{}, invalidf("fee notice %d (%s) is before the request was received (%s)", n, f.Notice, in.Received)
		}
		if !f.Paid.IsZero() {
			if _, ok := c.index(f.Paid); !ok {
				return Deadline{}, rangeErr(fmt.Sprintf("fee payment %d", n), f.Paid)
			}
			if f.Paid.Before(f.Notice) {
				return Deadline{}, invalidf("fee %d was paid (%s) before its notice was given (%s)", n, f.Paid, f.Notice)
			}
		}
	}
	slices.SortStableFunc(fees, func(a, b FeePause) int { return a.Notice.Compare(b.Notice) })

	target := statutoryDays
	if ext != ExtensionNone {
		target = extendedDays
	}
	statutory, err := c.runClock(receipt, statutoryDays, fees, nil)
	if err != nil {
		return Deadline{}, err
	}
	var trace []Step
	due, err := c.runClock(receipt, target, fees, &trace)
	if err != nil {
		return Deadline{}, err
	}

	out := Deadline{Receipt: receipt, StatutoryDue: statutory.due, Due: due.due, Paused: due.paused}
	if statutory.paused {
		out.StatutoryDue = Date{}
	}

	// Receipt and clarification.
	if receipt != in.Received {
		trace = append(trace,
			Step{in.Received, "receipt", in.Received.String() + " request received (superseded by the clarification)"},
			Step{receipt, "clarification", receipt.String() + " clarification received: new date of receipt, day 0" + dayNote(c, receipt)})
	} else {
		trace = append(trace, Step{receipt, "receipt", receipt.String() + " date of receipt, day 0" + dayNote(c, receipt)})
	}

	// Non-working days skipped between receipt and the deadline (or the open-ended pause), outside pauses.
	end := due.due
	if due.paused {
		end = due.stoppedAt
	}
	trace = append(trace, c.skipped(receipt, end, due.windows)...)

	if !due.paused {
		regimeNote := "FOIA s.10(1)"
		if regime == RegimeEIR {
			regimeNote = "EIR reg 5(2)"
		}
		switch ext {
		case ExtensionPIT:
			if !statutory.paused {
				trace = append(trace, Step{statutory.due, "extension", statutory.due.String() +
					" day 20: s.17(1) refusal notice, with the s.17(2) estimate for the public interest decision, due (FOIA s.10(3) extension)"})
			}
			trace = append(trace, Step{due.due, "due", due.due.String() + " due: day 40, public interest decision (ICO normal maximum under s.10(3))"})
		case ExtensionEIRComplex:
			if !statutory.paused {
				trace = append(trace, Step{statutory.due, "extension", statutory.due.String() +
					" day 20: reg 7(3) notice of the extension (complex and voluminous) due"})
			}
			trace = append(trace, Step{due.due, "due", due.due.String() + " due: day 40 (EIR reg 7(1))"})
		default:
			trace = append(trace, Step{due.due, "due", due.due.String() + " due: day 20 (" + regimeNote + ")"})
		}
	}
	order := map[string]int{"receipt": 0, "clarification": 1, "fee-pause": 2, "skipped": 3, "extension": 4, "due": 5}
	slices.SortStableFunc(trace, func(a, b Step) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return order[a.Kind] - order[b.Kind]
	})
	out.Trace = trace

	// Provisional years lie outside one contiguous run of published years, so checking the earliest and latest
	// dates used covers every day in between.
	lo, hi := in.Received, receipt
	for _, f := range fees {
		hi = later(hi, later(f.Notice, f.Paid))
	}
	hi = later(hi, later(out.Due, out.StatutoryDue))
	out.Provisional = c.Provisional(lo) || c.Provisional(hi)
	return out, nil
}

func later(a, b Date) Date {
	if b.After(a) {
		return b
	}
	return a
}

// dayNote describes a non-working date of receipt.
func dayNote(c *Calendar, d Date) string {
	if r := c.NonWorkingReason(d); r != "" {
		return " (" + r + ", not a working day)"
	}
	return ""
}

// clockRun is the outcome of running the clock to a target number of working days.
type clockRun struct {
	due       Date      // the target day (zero when paused)
	paused    bool      // stopped by an unpaid fee notice before the target
	stoppedAt Date      // the notice date of that unpaid fee
	windows   [][2]Date // the effective pause windows [notice, paid]
}

// runClock counts target working days after receipt, disregarding the working days of each fee pause (sorted by
// notice). A pause whose notice comes after the target day is reached has no effect. When trace is not nil the
// fee steps are appended to it.
func (c *Calendar) runClock(receipt Date, target int, fees []FeePause, trace *[]Step) (clockRun, error) {
	var run clockRun
	cur, remaining := receipt, target
	emit := func(d Date, text string) {
		if trace != nil {
			*trace = append(*trace, Step{d, "fee-pause", d.String() + " " + text})
		}
	}
	for _, f := range fees {
		if f.Notice.After(cur) {
			// Working days counted from cur up to the day before the notice.
			w, err := c.WorkingDaysBetween(cur, f.Notice.AddDays(-1))
			if err != nil {
				return run, err
			}
			if w >= remaining {
				emit(f.Notice, fmt.Sprintf("fee notice given after day %d: no effect on the deadline", target))
				continue
			}
			remaining -= w
			cur = f.Notice
		}
		// The pause runs from the notice (or the point the clock had reached, if the notice came earlier: before a
		// clarification, or inside another pause) to the payment.
		elapsed := target - remaining
		if f.Paid.IsZero() {
			emit(f.Notice, fmt.Sprintf("fee notice given: clock stopped after day %d of %d; the fee is unpaid, so there is no deadline until it is paid", elapsed, target))
			run.paused, run.stoppedAt = true, later(f.Notice, cur)
			return run, nil
		}
		if !f.Paid.After(cur) && f.Notice.Before(cur) {
			emit(f.Notice, fmt.Sprintf("fee notice (paid %s) lies wholly before the clock restarted: no effect", f.Paid))
			continue
		}
		emit(f.Notice, fmt.Sprintf("fee notice given: clock stopped after day %d of %d", elapsed, target))
		emit(f.Paid, fmt.Sprintf("fee received: clock restarts, %d working days remain", remaining))
		run.windows = append(run.windows, [2]Date{f.Notice, f.Paid})
		cur = later(cur, f.Paid)
	}
	due, err := c.AddWorkingDays(cur, remaining)
	if err != nil {
		return run, outOfRangef("the deadline falls after the supported range (ends %s)", spanLast)
	}
	run.due = due
	return run, nil
}

// skipped lists the non-working days in (from, to) that lie outside every pause window, one Step per day except
// that a plain Saturday-Sunday weekend is one Step.
func (c *Calendar) skipped(from, to Date, windows [][2]Date) []Step {
	var steps []Step
	inWindow := func(d Date) bool {
		for _, w := range windows {
			if !d.Before(w[0]) && !d.After(w[1]) {
				return true
			}
		}
		return false
	}
	for d := from.AddDays(1); d.Before(to); d = d.AddDays(1) {
		r := c.NonWorkingReason(d)
		if r == "" || inWindow(d) {
			continue
		}
		next := d.AddDays(1)
		if r == "Saturday" && next.Before(to) && c.NonWorkingReason(next) == "Sunday" && !inWindow(next) {
			steps = append(steps, Step{d, "skipped", d.String() + " to " + next.String() + " weekend"})
			d = next
			continue
		}
		steps = append(steps, Step{d, "skipped", d.String() + " " + r})
	}
	return steps
}

// ReviewDeadline returns the internal-review deadlines for a review requested on the given date: under FOIA (the
// s.45 Code and ICO guidance) the target is 20 working days and the longstop 40; under EIR reg 11(4) both are 40
// working days. An empty regime means FOIA. The error wraps ErrInvalid for an unknown regime or a zero date, and
// also ErrOutOfRange when a date lies outside Range.
func (c *Calendar) ReviewDeadline(regime Regime, requested Date) (target, longstop Date, err error) {
	targetDays := statutoryDays
	switch regime {
	case RegimeFOIA, "":
	case RegimeEIR:
		targetDays = extendedDays
	default:
		return Date{}, Date{}, invalidf("unknown regime %q (want foia or eir)", string(regime))
	}
	if _, ok := c.index(requested); !ok {
		return Date{}, Date{}, rangeErr("review request date", requested)
	}
	if target, err = c.AddWorkingDays(requested, targetDays); err != nil {
		return Date{}, Date{}, err
	}
	if longstop, err = c.AddWorkingDays(requested, extendedDays); err != nil {
		return Date{}, Date{}, err
	}
	return target, longstop, nil
}

// RespondBy returns the date by which a consultee asked on sent should answer: workingDays working days after
// sent, but no later than marginWorkingDays working days before the case's deadline caseDue (ignored when zero),
// and never before sent itself. Callers normally pass a margin of 5. The error wraps ErrInvalid for a zero sent
// date or a negative count, and also ErrOutOfRange when a date lies outside Range.
func (c *Calendar) RespondBy(sent Date, workingDays int, caseDue Date, marginWorkingDays int) (Date, error) {
	if workingDays < 0 || marginWorkingDays < 0 {
		return Date{}, invalidf("working days (%d) and margin (%d) must not be negative", workingDays, marginWorkingDays)
	}
	by, err := c.AddWorkingDays(sent, workingDays)
	if err != nil {
		return Date{}, err
	}
	if !caseDue.IsZero() {
		limit, err := c.SubtractWorkingDays(caseDue, marginWorkingDays)
		if err != nil {
			return Date{}, err
		}
		if limit.Before(by) {
			by = limit
		}
	}
	if by.Before(sent) {
		by = sent
	}
	return by, nil
}
