package foi_test

import (
	"strings"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

func TestNewInternalReview(t *testing.T) {
	tests := []struct {
		name                 string
		regime               calendar.Regime
		responded, requested string
		target, longstop     string
		late                 bool
	}{
		// FOIA response 2025-02-03, review requested 2025-03-03: 20 working days (17 March NI skipped).
		{"FOIA", calendar.RegimeFOIA, "2025-02-03", "2025-03-03", "2025-04-01", "2025-05-01", false},
		{"FOIA, empty regime", "", "2025-02-03", "2025-03-03", "2025-04-01", "2025-05-01", false},
		// EIR reg 11: 40 working days both (rules file section 10: decision due Thu 2025-05-01).
		{"EIR", calendar.RegimeEIR, "2025-02-03", "2025-03-03", "2025-05-01", "2025-05-01", false},
		{"same day", calendar.RegimeFOIA, "2025-02-03", "2025-02-03", "2025-03-03", "2025-04-01", false},
		// The 40th working day after the response is still in time; the 41st is late.
		{"40 working days later", calendar.RegimeFOIA, "2025-02-03", "2025-04-01", "2025-05-01", "2025-06-02", false},
		{"41 working days later", calendar.RegimeFOIA, "2025-02-03", "2025-04-02", "2025-05-02", "2025-06-03", true},
		{"EIR late", calendar.RegimeEIR, "2025-02-03", "2025-04-02", "2025-06-03", "2025-06-03", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, warning, err := foi.NewInternalReview(calendar.Default(), tt.regime, caseDay(t, tt.responded), caseDay(t, tt.requested))
			if err != nil {
				t.Fatal(err)
			}
			if r.RequestedOn.String() != tt.requested || r.TargetOn.String() != tt.target || r.LongstopOn.String() != tt.longstop {
				t.Errorf("review = %+v, want target %s longstop %s", r, tt.target, tt.longstop)
			}
			if r.Late != tt.late || (warning != "") != tt.late {
				t.Errorf("late %v warning %q", r.Late, warning)
			}
			if tt.late && !strings.Contains(warning, "41 working days") {
				t.Errorf("warning = %q", warning)
			}
		})
	}
}

func TestNewInternalReviewErrors(t *testing.T) {
	tests := []struct {
		name                 string
		regime               calendar.Regime
		responded, requested calendar.Date
		fields               []string
	}{
		{"requested before the response", calendar.RegimeFOIA, caseDay(t, "2025-02-03"), caseDay(t, "2025-02-02"),
			[]string{"requested_on"}},
		{"no dates", calendar.RegimeFOIA, calendar.Date{}, calendar.Date{}, []string{"responded_on", "requested_on"}},
		{"unknown regime", "dpa", caseDay(t, "2025-02-03"), caseDay(t, "2025-03-03"), []string{"regime"}},
		{"out of range", calendar.RegimeFOIA, caseDay(t, "2099-12-01"), caseDay(t, "2099-12-20"), []string{"requested_on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := foi.NewInternalReview(nil, tt.regime, tt.responded, tt.requested)
			wantCaseFields(t, err, tt.fields...)
		})
	}
}

func TestInternalReviewDecide(t *testing.T) {
	r, _, err := foi.NewInternalReview(nil, calendar.RegimeFOIA, caseDay(t, "2025-02-03"), caseDay(t, "2025-03-03"))
	if err != nil {
		t.Fatal(err)
	}
	wantCaseFields(t, func() error { _, err := r.Decide(caseDay(t, "2025-03-01"), "meh"); return err }(),
		"outcome", "decided_on")
	if w, err := r.Decide(caseDay(t, "2025-05-02"), foi.ReviewUpheldInPart); err != nil || !strings.Contains(w, "1 May 2025") {
		t.Fatalf("late decision: %q %v", w, err)
	}
	if r.Outcome != foi.ReviewUpheldInPart || r.DecidedOn.String() != "2025-05-02" {
		t.Errorf("review = %+v", r)
	}
	_, err = r.Decide(caseDay(t, "2025-05-03"), foi.ReviewOverturned)
	wantCaseCode(t, err, foi.ECONFLICT)

	r2, _, _ := foi.NewInternalReview(nil, calendar.RegimeFOIA, caseDay(t, "2025-02-03"), caseDay(t, "2025-03-03"))
	if w, err := r2.Decide(caseDay(t, "2025-04-01"), foi.ReviewUpheld); err != nil || w != "" {
		t.Fatalf("timely decision: %q %v", w, err)
	}
}

func TestICOAppeal(t *testing.T) {
	if got := foi.ComplianceDate(caseDay(t, "2025-06-02")).String(); got != "2025-07-07" {
		t.Errorf("ComplianceDate = %s", got)
	}
	if got := foi.TribunalAppealBy(caseDay(t, "2025-06-02")).String(); got != "2025-06-30" {
		t.Errorf("TribunalAppealBy = %s", got)
	}
	if got := foi.ICOComplaintWindowEnd(caseDay(t, "2025-02-03")).String(); got != "2025-03-17" {
		t.Errorf("ICOComplaintWindowEnd = %s", got)
	}
	a := foi.ICOAppeal{ComplaintOn: caseDay(t, "2025-03-10")}
	if err := a.RecordDecision(caseDay(t, "2025-12-30"), foi.ICOUpheld); err != nil {
		t.Fatal(err)
	}
	if a.DecisionNoticeOn.String() != "2025-12-30" || a.ComplianceOn.String() != "2026-02-03" || a.Outcome != foi.ICOUpheld {
		t.Errorf("appeal = %+v", a)
	}
	if err := a.RecordDecision(caseDay(t, "2025-12-30"), foi.ICONotUpheld); err != nil || !a.ComplianceOn.IsZero() {
		t.Errorf("not upheld: compliance %s err %v", a.ComplianceOn, err)
	}
	wantCaseFields(t, a.RecordDecision(caseDay(t, "2025-03-09"), "won"), "outcome", "decision_notice_on")
	wantCaseFields(t, a.RecordDecision(calendar.Date{}, foi.ICOUpheld), "decision_notice_on")
}
