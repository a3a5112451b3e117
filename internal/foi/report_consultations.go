package foi

import (
	"cmp"
	"math"
	"slices"

	"foidesk/internal/calendar"
)

// The consultation report (MoU quarterly feedback, s.45 Code Part 3): for each pair of parties, the
// consultations one sent the other in a period, how fast representations came, what is still open or overdue,
// how the representations were weighed and the disputes the pair opened.

// ConsultationFact is one consultation sent in the period, as the report needs it.
type ConsultationFact struct {
	Owner         string // the consulting party's code
	Consulted     string // the consulted party's code
	Status        ConsultationStatus
	SentOn        calendar.Date
	RespondBy     calendar.Date
	RepresentedOn calendar.Date        // the London date of the first representations; zero when none came
	Consideration ConsiderationOutcome // "" until considered
}

// DisputeFacts counts the disputes a pair opened in the period that stand at a stage with an outcome.
type DisputeFacts struct {
	Owner     string
	Consulted string
	Stage     DisputeStage
	Outcome   DisputeOutcome // "" until resolved
	Count     int
}

// Turnaround summarises working days from sending to the first representations.
type Turnaround struct {
	Count  int     // consultations answered with representations
	Median float64 // working days; halves when Count is even
	P90    int     // the 90th percentile, nearest rank
}

// ConsultationPair is the report for consultations Owner sent Consulted.
type ConsultationPair struct {
	Owner      string
	Consulted  string
	Sent       int
	Answered   int // representations received
	OnTime     int // representations received on or before the respond-by date
	Turnaround Turnaround
	Open       int // sent and awaiting representations, or received and awaiting consideration
	Overdue    int // awaiting representations after the respond-by date, on MonitoredOn
	Outcomes   []StatsRow
	Disputes   DisputeSummary
}

// DisputeSummary counts a pair's disputes: opened, still open (by stage) and resolved (by outcome).
type DisputeSummary struct {
	Opened   int
	Open     int
	Stages   []StatsRow // bau, escalation, formal: those still open
	Outcomes []StatsRow // disclose, disclose in part, withhold, withdrawn
}

// ConsultationReport is the consultation report of a period.
type ConsultationReport struct {
	Query       ReportQuery
	MonitoredOn calendar.Date
	Pairs       []ConsultationPair // ordered by owner, then consulted party
	Total       ConsultationPair   // every pair together (Owner and Consulted "")
}

// ComputeConsultationReport builds the report of q from the consultations sent and the disputes opened in the
// period, with cal (nil means calendar.Default()) counting working days and monitoredOn deciding what is
// overdue. When q.Party is set only the pairs it belongs to (as either side) are kept.
func ComputeConsultationReport(cal *calendar.Calendar, q ReportQuery, monitoredOn calendar.Date, facts []ConsultationFact, disputes []DisputeFacts) ConsultationReport {
	if cal == nil {
		cal = calendar.Default()
	}
	type acc struct {
		pair     ConsultationPair
		days     []int
		outcomes map[string]int
		stages   map[string]int
		ended    map[string]int
	}
	pairs := map[[2]string]*acc{}
	get := func(owner, consulted string) *acc {
		k := [2]string{owner, consulted}
		if pairs[k] == nil {
			pairs[k] = &acc{pair: ConsultationPair{Owner: owner, Consulted: consulted}, outcomes: map[string]int{},
				stages: map[string]int{}, ended: map[string]int{}}
		}
		return pairs[k]
	}
	keep := func(owner, consulted string) bool { return q.Party == "" || q.Party == owner || q.Party == consulted }
	total := get("", "")
	for _, f := range facts {
		if !keep(f.Owner, f.Consulted) {
			continue
		}
		for _, a := range []*acc{get(f.Owner, f.Consulted), total} {
			a.pair.Sent++
			if !f.RepresentedOn.IsZero() {
				a.pair.Answered++
				if !f.RespondBy.IsZero() && !f.RepresentedOn.After(f.RespondBy) {
					a.pair.OnTime++
				}
				if d, err := cal.WorkingDaysBetween(f.SentOn, f.RepresentedOn); err == nil {
					a.days = append(a.days, max(d, 0))
				}
			}
			switch f.Status {
			case ConsultationSent:
				a.pair.Open++
				if !f.RespondBy.IsZero() && monitoredOn.After(f.RespondBy) {
					a.pair.Overdue++
				}
			case ConsultationRepresentationsReceived:
				a.pair.Open++
			case ConsultationConsidered:
				a.outcomes[string(f.Consideration)]++
			case ConsultationClosedWithoutRepresentations, ConsultationWaived:
				a.outcomes[string(f.Status)]++
			}
		}
	}
	for _, d := range disputes {
		if !keep(d.Owner, d.Consulted) {
			continue
		}
		for _, a := range []*acc{get(d.Owner, d.Consulted), total} {
			a.pair.Disputes.Opened += d.Count
			if d.Stage == DisputeResolved {
				a.ended[string(d.Outcome)] += d.Count
			} else {
				a.pair.Disputes.Open += d.Count
				a.stages[string(d.Stage)] += d.Count
			}
		}
	}
	r := ConsultationReport{Query: q, MonitoredOn: monitoredOn}
	for k, a := range pairs {
		a.pair.Turnaround = turnaround(a.days)
		a.pair.Outcomes = statsRows(a.outcomes, nil, a.pair.Sent-a.pair.Open, []string{string(ConsiderationAccepted),
			string(ConsiderationPartlyAccepted), string(ConsiderationNotAccepted),
			string(ConsultationClosedWithoutRepresentations), string(ConsultationWaived)}, considerationLabel)
		a.pair.Disputes.Stages = statsRows(a.stages, nil, 0, []string{string(DisputeBAU), string(DisputeEscalation),
			string(DisputeFormal)}, disputeStageLabel)
		a.pair.Disputes.Outcomes = statsRows(a.ended, nil, 0, []string{string(DisputeOutcomeDisclose),
			string(DisputeOutcomeDiscloseInPart), string(DisputeOutcomeWithhold), string(DisputeOutcomeWithdrawn)},
			disputeOutcomeLabel)
		for i := range a.pair.Disputes.Stages {
			a.pair.Disputes.Stages[i].Percent = nil
		}
		for i := range a.pair.Disputes.Outcomes {
			a.pair.Disputes.Outcomes[i].Percent = nil
		}
		if k == [2]string{"", ""} {
			r.Total = a.pair
			continue
		}
		r.Pairs = append(r.Pairs, a.pair)
	}
	slices.SortFunc(r.Pairs, func(a, b ConsultationPair) int {
		return cmp.Or(cmp.Compare(a.Owner, b.Owner), cmp.Compare(a.Consulted, b.Consulted))
	})
	return r
}

// turnaround returns the median and 90th percentile (nearest rank) of days.
func turnaround(days []int) Turnaround {
	t := Turnaround{Count: len(days)}
	if len(days) == 0 {
		return t
	}
	slices.Sort(days)
	n := len(days)
	if n%2 == 1 {
		t.Median = float64(days[n/2])
	} else {
		t.Median = float64(days[n/2-1]+days[n/2]) / 2
	}
	t.P90 = days[int(math.Ceil(0.9*float64(n)))-1]
	return t
}

func considerationLabel(k string) string {
	return map[string]string{
		string(ConsiderationAccepted):                    "Representations accepted",
		string(ConsiderationPartlyAccepted):              "Representations partly accepted",
		string(ConsiderationNotAccepted):                 "Representations not accepted",
		string(ConsultationClosedWithoutRepresentations): "Closed without representations",
		string(ConsultationWaived):                       "Waived",
	}[k]
}

func disputeStageLabel(k string) string {
	return map[string]string{
		string(DisputeBAU):        "Open: business-as-usual contacts",
		string(DisputeEscalation): "Open: escalation contacts",
		string(DisputeFormal):     "Open: formal notification",
	}[k]
}

func disputeOutcomeLabel(k string) string {
	return map[string]string{
		string(DisputeOutcomeDisclose):       "Resolved: disclose",
		string(DisputeOutcomeDiscloseInPart): "Resolved: disclose in part",
		string(DisputeOutcomeWithhold):       "Resolved: withhold",
		string(DisputeOutcomeWithdrawn):      "Resolved: withdrawn",
	}[k]
}

// Tables returns the report as one table of pairs, for CSV and ODS downloads.
func (r ConsultationReport) Tables() []ReportTable {
	t := ReportTable{Name: "Consultations", Title: "Consultations by party pair (" + r.Query.From.String() + " to " +
		r.Query.To.String() + ", open and overdue as at " + r.MonitoredOn.String() + ")",
		Columns: []string{"consulting_party", "consulted_party", "sent", "representations", "on_time",
			"median_working_days", "p90_working_days", "open", "overdue"}}
	var outcomeKeys, disputeKeys []string
	if len(r.Total.Outcomes) > 0 {
		for _, o := range r.Total.Outcomes {
			t.Columns = append(t.Columns, o.Key)
			outcomeKeys = append(outcomeKeys, o.Key)
		}
	}
	t.Columns = append(t.Columns, "disputes_opened", "disputes_open")
	for _, o := range r.Total.Disputes.Outcomes {
		t.Columns = append(t.Columns, "disputes_"+o.Key)
		disputeKeys = append(disputeKeys, o.Key)
	}
	for _, p := range append(slices.Clone(r.Pairs), r.Total) {
		owner, consulted := any(p.Owner), any(p.Consulted)
		if p.Owner == "" {
			owner, consulted = "all", "all"
		}
		row := []any{owner, consulted, p.Sent, p.Answered, p.OnTime, nil, nil, p.Open, p.Overdue}
		if p.Turnaround.Count > 0 {
			row[5], row[6] = p.Turnaround.Median, p.Turnaround.P90
		}
		counts := map[string]int{}
		for _, o := range p.Outcomes {
			counts[o.Key] = o.Count
		}
		for _, k := range outcomeKeys {
			row = append(row, counts[k])
		}
		row = append(row, p.Disputes.Opened, p.Disputes.Open)
		counts = map[string]int{}
		for _, o := range p.Disputes.Outcomes {
			counts[o.Key] = o.Count
		}
		for _, k := range disputeKeys {
			row = append(row, counts[k])
		}
		t.Rows = append(t.Rows, row)
	}
	return []ReportTable{t}
}
