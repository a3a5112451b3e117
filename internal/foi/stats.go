package foi

import (
	"cmp"
	"math"
	"slices"

	"foidesk/internal/calendar"
)

// The FOI statistics of a period reproduce the Cabinet Office's quarterly tables (uk-foi-rules.md section 7):
// requests received (EIR separately), status at the time of monitoring, timeliness, initial outcomes, the
// share granted in full, why information was withheld, exemptions by section, internal reviews, ICO appeals and
// PIT extension durations. ComputeStats builds them from counts the store takes with GROUP BY, so a quarter of
// a large database is never loaded case by case.

// StatsTiming is how a case's response date compares with its deadlines. The store compares the dates in SQL
// (the same comparisons as TimingOf) so that cases can be counted in groups.
type StatsTiming struct {
	Responded   bool // a response date is recorded
	HasDeadline bool // a statutory deadline (day 20) is recorded
	ByStatutory bool // responded on or before day 20
	ByDue       bool // responded on or before the deadline in force (later than day 20 with an extension)
	Extended    bool // the deadline in force is later than day 20: a PIT extension or EIR reg 7
}

// TimingOf returns the timing of a case from its response date, its statutory deadline (day 20) and the
// deadline in force; zero dates mean "none".
func TimingOf(respondedOn, statutoryDueOn, dueOn calendar.Date) StatsTiming {
	t := StatsTiming{Responded: !respondedOn.IsZero(), HasDeadline: !statutoryDueOn.IsZero()}
	if t.HasDeadline && !dueOn.IsZero() {
		t.Extended = dueOn.After(statutoryDueOn)
	}
	if t.Responded && t.HasDeadline {
		t.ByStatutory = !respondedOn.After(statutoryDueOn)
		t.ByDue = !dueOn.IsZero() && !respondedOn.After(dueOn)
	}
	return t
}

// Timeliness is how a processed request was answered, in the Cabinet Office's terms.
type Timeliness string

// The timeliness classes.
const (
	TimelinessMet        Timeliness = "met"                 // within 20 working days
	TimelinessExtended   Timeliness = "permitted_extension" // later, but within a PIT or reg 7 extension
	TimelinessExceeded   Timeliness = "exceeded"            // late
	TimelinessNoDeadline Timeliness = "no_deadline"         // no statutory deadline recorded (imported cases)
)

// Class returns the timeliness of a processed case.
func (t StatsTiming) Class() Timeliness {
	switch {
	case !t.HasDeadline:
		return TimelinessNoDeadline
	case t.ByStatutory:
		return TimelinessMet
	case t.Extended && t.ByDue:
		return TimelinessExtended
	}
	return TimelinessExceeded
}

// StatsCases counts the cases of a period that share a regime, status, outcome and timing.
type StatsCases struct {
	Regime  calendar.Regime
	Status  Status
	Outcome Outcome // "" when none is recorded
	Timing  StatsTiming
	Count   int
	Quarter int // the index in Quarters(period) of the quarter they were received in
}

// StatsSection counts the cases of a regime whose response cited a section (or EIR regulation).
type StatsSection struct {
	Regime  calendar.Regime
	Section string
	Count   int
}

// StatsOutcomeCount counts internal reviews or ICO appeals with an outcome ("" while undecided).
type StatsOutcomeCount struct {
	Outcome  string
	Tribunal bool // ICO appeals only: appealed on to the First-tier Tribunal
	Count    int
}

// StatsExtension counts extended cases of a regime with the same statutory deadline and deadline in force.
type StatsExtension struct {
	Regime         calendar.Regime
	StatutoryDueOn calendar.Date
	DueOn          calendar.Date
	Count          int
}

// StatsInput is what the store counts for a period: the cases, the sections cited by processed responses, the
// internal reviews and ICO appeals of those cases, and the extended deadlines.
type StatsInput struct {
	Cases      []StatsCases
	Sections   []StatsSection
	Reviews    []StatsOutcomeCount
	Appeals    []StatsOutcomeCount
	Extensions []StatsExtension
}

// Percent is a share: Num of Den. Its value is undefined when Den is 0.
type Percent struct {
	Num, Den int
}

// Value returns the share in per cent, rounded to one decimal place, and false when Den is 0.
func (p Percent) Value() (float64, bool) {
	if p.Den == 0 {
		return 0, false
	}
	return math.Round(float64(p.Num)*1000/float64(p.Den)) / 10, true
}

// StatsRow is one line of a statistics table: a key for machines, a label for people, a count and, where the
// table has one, a share.
type StatsRow struct {
	Key     string
	Label   string
	Count   int
	Percent *Percent
}

// Status-at-monitoring categories (Cabinet Office table 1).
const (
	MonitorProcessed    = "processed"
	MonitorNotProcessed = "not_yet_processed"
	MonitorOnHoldFee    = "on_hold_fee"
	MonitorOnHoldOther  = "on_hold_other"
	MonitorLapsed       = "lapsed"
	MonitorWithdrawn    = "withdrawn"
)

// Initial-outcome categories besides the Outcomes.
const (
	OutcomeKeyNotYetProcessed = "not_yet_processed" // open and not on hold
	OutcomeKeyOnHold          = "on_hold"           // fee or clarification awaited
	OutcomeKeyNotRecorded     = "not_recorded"      // processed with no outcome recorded (imported cases)
)

// Stats are the FOI statistics of a period.
type Stats struct {
	Query       ReportQuery
	MonitoredOn calendar.Date // the date the statuses were read: the report's own date

	Received     int
	ReceivedFOIA int
	ReceivedEIR  int

	Status []StatsRow // processed, not yet processed, on hold (fee, other), lapsed, withdrawn

	Processed  int        // requests with a response (responded or closed)
	Timeliness []StatsRow // met, permitted extension, exceeded, no deadline; shares of Processed
	InTime     Percent    // met or permitted extension, of Processed with a deadline

	Outcomes                 []StatsRow // initial outcomes, shares of Resolvable where resolvable
	Resolvable               int
	GrantedInFull            Percent // of Resolvable
	WithheldInFull           Percent // of Resolvable (withheld in full, s.12, s.14 and NCND)
	GrantedExcludingSections Percent // of Resolvable less the s.12 and s.14 refusals

	Withheld int        // withheld in full or in part
	Reasons  []StatsRow // cost limit (s.12), vexatious or repeated (s.14), exemptions: shares of Withheld

	Sections []StatsSectionRow // exemptions and exceptions cited, most used first

	Reviews         []StatsRow // upheld, upheld in part, overturned, pending
	ReviewsReceived int

	Appeals         []StatsRow // ICO decisions by outcome, and pending
	AppealsReceived int
	Tribunal        int // appealed on to the First-tier Tribunal

	Extensions []StatsRow // PIT extensions by working days added; EIR reg 7 extensions

	Quarters []StatsQuarter // received and in time, quarter by quarter
}

// StatsSectionRow is one exemption or exception with how many responses cited it.
type StatsSectionRow struct {
	Regime   calendar.Regime
	Section  string
	Citation string // "s.40(2)", "reg 12(5)(a)"
	Name     string
	Count    int
}

// monitoringStatus returns the status-at-monitoring category of a case status.
func monitoringStatus(s Status) string {
	switch s {
	case StatusResponded, StatusClosed:
		return MonitorProcessed
	case StatusOnHoldFee:
		return MonitorOnHoldFee
	case StatusAwaitingClarification:
		return MonitorOnHoldOther
	case StatusLapsed:
		return MonitorLapsed
	case StatusWithdrawn:
		return MonitorWithdrawn
	}
	return MonitorNotProcessed
}

// initialOutcome returns the initial-outcome key of a case: its outcome when processed, withdrawn or lapsed by
// status, and otherwise not yet processed or on hold.
func initialOutcome(c StatsCases) string {
	switch monitoringStatus(c.Status) {
	case MonitorProcessed:
		if c.Outcome == "" {
			return OutcomeKeyNotRecorded
		}
		return string(c.Outcome)
	case MonitorWithdrawn:
		return string(OutcomeWithdrawn)
	case MonitorLapsed:
		return string(OutcomeLapsed)
	case MonitorOnHoldFee, MonitorOnHoldOther:
		return OutcomeKeyOnHold
	}
	return OutcomeKeyNotYetProcessed
}

// withholds reports whether an outcome withholds information in full or in part.
func withholds(o Outcome) bool {
	switch o {
	case OutcomePartiallyWithheld, OutcomeWithheldInFull, OutcomeRefusedCost, OutcomeRefusedVexatious, OutcomeNCND:
		return true
	}
	return false
}

// ExtensionBands are the PIT extension duration bands, in working days added to the 20: up to 10, 11 to 20,
// more than 20 (beyond day 40, which the ICO expects only exceptionally).
var ExtensionBands = []struct {
	Key   string
	Label string
	Max   int // the band holds extensions of at most Max working days; 0: no limit
}{
	{"pit_1_10", "PIT extension of 1 to 10 working days", 10},
	{"pit_11_20", "PIT extension of 11 to 20 working days", 20},
	{"pit_over_20", "PIT extension of more than 20 working days", 0},
}

// ComputeStats builds the statistics of q from the store's counts, with cal (nil means calendar.Default())
// measuring extensions in working days; monitoredOn is the date the statuses were read. It never fails:
// a share with nothing to divide by is left undefined (Percent.Den 0).
func ComputeStats(cal *calendar.Calendar, q ReportQuery, monitoredOn calendar.Date, in StatsInput) Stats {
	if cal == nil {
		cal = calendar.Default()
	}
	s := Stats{Query: q, MonitoredOn: monitoredOn}
	status := map[string]int{}
	timeliness := map[Timeliness]int{}
	outcomes := map[string]int{}
	for _, c := range in.Cases {
		s.Received += c.Count
		if c.Regime == calendar.RegimeEIR {
			s.ReceivedEIR += c.Count
		} else {
			s.ReceivedFOIA += c.Count
		}
		m := monitoringStatus(c.Status)
		status[m] += c.Count
		if m == MonitorProcessed {
			s.Processed += c.Count
			timeliness[c.Timing.Class()] += c.Count
		}
		outcomes[initialOutcome(c)] += c.Count
	}
	s.Status = statsRows(status, nil, 0, []string{MonitorProcessed, MonitorNotProcessed, MonitorOnHoldFee,
		MonitorOnHoldOther, MonitorLapsed, MonitorWithdrawn}, monitorLabel)

	s.Timeliness = statsRows(map[string]int{string(TimelinessMet): timeliness[TimelinessMet],
		string(TimelinessExtended): timeliness[TimelinessExtended], string(TimelinessExceeded): timeliness[TimelinessExceeded],
		string(TimelinessNoDeadline): timeliness[TimelinessNoDeadline]}, nil, s.Processed,
		[]string{string(TimelinessMet), string(TimelinessExtended), string(TimelinessExceeded), string(TimelinessNoDeadline)},
		timelinessLabel)
	s.InTime = Percent{timeliness[TimelinessMet] + timeliness[TimelinessExtended], s.Processed - timeliness[TimelinessNoDeadline]}

	computeOutcomes(&s, outcomes)
	s.Sections = sectionRows(in.Sections)
	computeReviews(&s, in.Reviews, in.Appeals)
	s.Extensions = extensionRows(cal, in.Extensions)
	s.Quarters = quarterRows(Quarters(q.From, q.To), in.Cases)
	return s
}

// computeOutcomes fills the initial outcomes, the shares granted and withheld in full, and the reasons for
// withholding.
func computeOutcomes(s *Stats, outcomes map[string]int) {
	resolvable := outcomes[OutcomeKeyNotYetProcessed]
	for _, o := range Outcomes {
		if o.Resolvable() {
			resolvable += outcomes[string(o)]
		}
		if withholds(o) {
			s.Withheld += outcomes[string(o)]
		}
	}
	s.Resolvable = resolvable
	keys := []string{OutcomeKeyNotYetProcessed}
	isResolvable := map[string]bool{OutcomeKeyNotYetProcessed: true}
	for _, o := range Outcomes {
		keys = append(keys, string(o))
		isResolvable[string(o)] = o.Resolvable()
	}
	keys = append(keys, OutcomeKeyOnHold, OutcomeKeyNotRecorded)
	s.Outcomes = statsRows(outcomes, isResolvable, resolvable, keys, outcomeLabel)

	granted := outcomes[string(OutcomeGrantedInFull)]
	procedural := outcomes[string(OutcomeRefusedCost)] + outcomes[string(OutcomeRefusedVexatious)]
	s.GrantedInFull = Percent{granted, resolvable}
	s.WithheldInFull = Percent{outcomes[string(OutcomeWithheldInFull)] + procedural + outcomes[string(OutcomeNCND)], resolvable}
	s.GrantedExcludingSections = Percent{granted, resolvable - procedural}
	s.Reasons = statsRows(map[string]int{
		"cost_limit": outcomes[string(OutcomeRefusedCost)],
		"vexatious":  outcomes[string(OutcomeRefusedVexatious)],
		"exemptions": s.Withheld - procedural,
	}, nil, s.Withheld, []string{"cost_limit", "vexatious", "exemptions"}, reasonLabel)
}

// computeReviews fills the internal review and ICO appeal tables.
func computeReviews(s *Stats, reviews, appeals []StatsOutcomeCount) {
	counts := map[string]int{}
	for _, r := range reviews {
		s.ReviewsReceived += r.Count
		counts[cmp.Or(r.Outcome, "pending")] += r.Count
	}
	s.Reviews = statsRows(counts, nil, s.ReviewsReceived, append(slices.Clone(ReviewOutcomes), "pending"), reviewLabel)
	counts = map[string]int{}
	for _, a := range appeals {
		s.AppealsReceived += a.Count
		counts[cmp.Or(a.Outcome, "pending")] += a.Count
		if a.Tribunal {
			s.Tribunal += a.Count
		}
	}
	s.Appeals = statsRows(counts, nil, s.AppealsReceived, append(slices.Clone(ICOOutcomes), "pending"), appealLabel)
}

// sectionRows names the sections cited and orders them most used first, then by regime and section. The
// procedural refusals (s.12, s.14) are left out: Reasons counts them.
func sectionRows(in []StatsSection) []StatsSectionRow {
	merged := map[[2]string]int{}
	for _, sc := range in {
		regime := sc.Regime
		if regime == "" {
			regime = calendar.RegimeFOIA
		}
		section := sc.Section
		if e, err := LookupExemption(regime, section); err == nil {
			if e.Procedural {
				continue
			}
			section = e.Section
		}
		merged[[2]string{string(regime), section}] += sc.Count
	}
	rows := make([]StatsSectionRow, 0, len(merged))
	for k, n := range merged {
		r := StatsSectionRow{Regime: calendar.Regime(k[0]), Section: k[1], Citation: k[1], Count: n}
		if e, err := LookupExemption(r.Regime, r.Section); err == nil {
			r.Citation, r.Name = e.Citation(), e.Name
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b StatsSectionRow) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Regime, b.Regime), cmp.Compare(a.Section, b.Section))
	})
	return rows
}

// extensionRows counts FOIA PIT extensions by the working days they add to day 20, and EIR reg 7 extensions.
func extensionRows(cal *calendar.Calendar, in []StatsExtension) []StatsRow {
	counts := map[string]int{}
	total := 0
	for _, e := range in {
		total += e.Count
		if e.Regime == calendar.RegimeEIR {
			counts["eir_reg7"] += e.Count
			continue
		}
		days, err := cal.WorkingDaysBetween(e.StatutoryDueOn, e.DueOn)
		if err != nil { // outside the calendar: count it by calendar days, which are never fewer
			days = e.DueOn.Sub(e.StatutoryDueOn)
		}
		for _, b := range ExtensionBands {
			if b.Max == 0 || days <= b.Max {
				counts[b.Key] += e.Count
				break
			}
		}
	}
	keys := []string{}
	for _, b := range ExtensionBands {
		keys = append(keys, b.Key)
	}
	return statsRows(counts, nil, total, append(keys, "eir_reg7"), extensionLabel)
}

// statsRows returns one row per key, in order, with its count and, when den is not 0, its share of den (only
// for the keys shareable marks, when shareable is not nil).
func statsRows(counts map[string]int, shareable map[string]bool, den int, keys []string, label func(string) string) []StatsRow {
	rows := make([]StatsRow, 0, len(keys))
	for _, k := range keys {
		r := StatsRow{Key: k, Label: label(k), Count: counts[k]}
		if shareable == nil || shareable[k] {
			r.Percent = &Percent{counts[k], den}
		}
		rows = append(rows, r)
	}
	return rows
}

func monitorLabel(k string) string {
	return map[string]string{
		MonitorProcessed:    "Processed (initial response sent)",
		MonitorNotProcessed: "Not yet processed",
		MonitorOnHoldFee:    "On hold – fee charged",
		MonitorOnHoldOther:  "On hold – other (awaiting clarification)",
		MonitorLapsed:       "Lapsed",
		MonitorWithdrawn:    "Withdrawn",
	}[k]
}

func timelinessLabel(k string) string {
	return map[string]string{
		string(TimelinessMet):        "Met deadline (within 20 working days)",
		string(TimelinessExtended):   "Permitted extension to deadline",
		string(TimelinessExceeded):   "Deadline exceeded",
		string(TimelinessNoDeadline): "No deadline recorded",
	}[k]
}

func outcomeLabel(k string) string {
	switch k {
	case OutcomeKeyNotYetProcessed:
		return "Not yet processed"
	case OutcomeKeyOnHold:
		return "On hold"
	case OutcomeKeyNotRecorded:
		return "Processed, outcome not recorded"
	}
	return Outcome(k).Label()
}

func reasonLabel(k string) string {
	return map[string]string{
		"cost_limit": "Cost limit (s.12)",
		"vexatious":  "Vexatious or repeated (s.14)",
		"exemptions": "Exemptions or exceptions",
	}[k]
}

func reviewLabel(k string) string {
	return map[string]string{
		ReviewUpheld:       "Original decision upheld in full",
		ReviewUpheldInPart: "Upheld in part",
		ReviewOverturned:   "Overturned",
		"pending":          "Not yet decided",
	}[k]
}

func appealLabel(k string) string {
	return map[string]string{
		ICOUpheld:       "Complaint upheld",
		ICOPartlyUpheld: "Complaint partly upheld",
		ICONotUpheld:    "Complaint not upheld",
		ICOResolved:     "Resolved informally",
		ICOWithdrawn:    "Withdrawn by the complainant",
		"pending":       "Not yet decided",
	}[k]
}

func extensionLabel(k string) string {
	for _, b := range ExtensionBands {
		if b.Key == k {
			return b.Label
		}
	}
	return "EIR extension (regulation 7)"
}
