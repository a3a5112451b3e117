package foi

import (
	"testing"

	"foidesk/internal/calendar"
)

func TestComputeConsultationReport_TurnaroundOpenOverdueOutcomesAndDisputes(t *testing.T) {
	mon := calendar.NewDate(2026, 3, 2) // a Monday
	fact := func(owner, consulted string, status ConsultationStatus, repDays int, outcome ConsiderationOutcome) ConsultationFact {
		f := ConsultationFact{Owner: owner, Consulted: consulted, Status: status, SentOn: mon,
			RespondBy: mon.AddDays(7), Consideration: outcome} // respond by the next Monday: 5 working days
		if repDays >= 0 {
			f.RepresentedOn = mon.AddDays(repDays)
		}
		return f
	}
	facts := []ConsultationFact{
		fact("DFE", "HO", ConsultationConsidered, 1, ConsiderationAccepted),       // 1 working day
		fact("DFE", "HO", ConsultationConsidered, 2, ConsiderationNotAccepted),    // 2
		fact("DFE", "HO", ConsultationRepresentationsReceived, 4, ""),             // 4
		fact("DFE", "HO", ConsultationConsidered, 9, ConsiderationPartlyAccepted), // 7 (over a weekend), late
		fact("DFE", "HO", ConsultationSent, -1, ""),                               // overdue on 2026-03-20
		fact("DFE", "HO", ConsultationClosedWithoutRepresentations, -1, ""),
		fact("HO", "DFE", ConsultationWaived, -1, ""),
		fact("HO", "DFE", ConsultationSent, -1, ""),
		fact("HO", "XYZ", ConsultationSent, -1, ""),
	}
	facts[7].RespondBy = mon.AddDays(30) // not yet due
	disputes := []DisputeFacts{
		{"DFE", "HO", DisputeEscalation, "", 1},
		{"DFE", "HO", DisputeResolved, DisputeOutcomeDiscloseInPart, 2},
	}
	r := ComputeConsultationReport(nil, ReportQuery{}, calendar.NewDate(2026, 3, 20), facts, disputes)
	if len(r.Pairs) != 3 || r.Pairs[0].Owner != "DFE" || r.Pairs[1].Consulted != "DFE" || r.Pairs[2].Consulted != "XYZ" {
		t.Fatalf("pairs %+v", r.Pairs)
	}
	p := r.Pairs[0]
	if p.Sent != 6 || p.Answered != 4 || p.OnTime != 3 || p.Open != 2 || p.Overdue != 1 {
		t.Errorf("DFE->HO: %+v", p)
	}
	if p.Turnaround != (Turnaround{Count: 4, Median: 3, P90: 7}) {
		t.Errorf("turnaround %+v, want median (2+4)/2 = 3 and p90 7", p.Turnaround)
	}
	wantCounts(t, "outcomes", p.Outcomes, map[string]int{"accepted": 1, "not_accepted": 1, "partly_accepted": 1,
		"closed_without_representations": 1})
	if p.Disputes.Opened != 3 || p.Disputes.Open != 1 {
		t.Errorf("disputes %+v", p.Disputes)
	}
	wantCounts(t, "dispute stages", p.Disputes.Stages, map[string]int{"escalation": 1})
	wantCounts(t, "dispute outcomes", p.Disputes.Outcomes, map[string]int{"disclose_in_part": 2})
	if q := r.Pairs[1]; q.Sent != 2 || q.Open != 1 || q.Overdue != 0 || q.Turnaround.Count != 0 {
		t.Errorf("HO->DFE: %+v", q)
	}
	if r.Total.Sent != 9 || r.Total.Overdue != 2 || r.Total.Disputes.Opened != 3 {
		t.Errorf("total %+v", r.Total)
	}

	// A party sees the pairs it belongs to, on either side.
	r = ComputeConsultationReport(nil, ReportQuery{Party: "XYZ"}, calendar.NewDate(2026, 3, 20), facts, disputes)
	if len(r.Pairs) != 1 || r.Total.Sent != 1 || r.Total.Disputes.Opened != 0 {
		t.Errorf("XYZ: %+v", r)
	}
	tables := r.Tables()
	if len(tables) != 1 || len(tables[0].Rows) != 2 || tables[0].Rows[1][0] != "all" {
		t.Errorf("tables %+v", tables)
	}
}

func TestTurnaround_MedianAndNinetiethPercentile(t *testing.T) {
	for _, tc := range []struct {
		days []int
		want Turnaround
	}{
		{nil, Turnaround{}},
		{[]int{5}, Turnaround{Count: 1, Median: 5, P90: 5}},
		{[]int{10, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Turnaround{Count: 10, Median: 5.5, P90: 9}},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, Turnaround{Count: 11, Median: 6, P90: 10}},
	} {
		if got := turnaround(tc.days); got != tc.want {
			t.Errorf("%v: %+v, want %+v", tc.days, got, tc.want)
		}
	}
}

func TestCanReadConsultationReports_LetsTheLiaisonOfThePartyIn(t *testing.T) {
	liaison := Actor{User: &User{Role: RoleLiaison, PartyID: 2, Active: true}}
	if CanReadConsultationReports(liaison, 2) != nil || ErrorCode(CanReadConsultationReports(liaison, 1)) != EFORBIDDEN ||
		ErrorCode(CanReadReportsActor(liaison, 2)) != EFORBIDDEN {
		t.Error("a liaison reads their own party's consultation report and nothing else")
	}
}
