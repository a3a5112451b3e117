package foi_test

import (
	"slices"
	"strings"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

func fields(err error) []string {
	var out []string
	for _, f := range foi.ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestResponsePath_WalksTheLifecycle(t *testing.T) {
	S := func(ss ...foi.Status) []foi.Status { return ss }
	tests := []struct {
		from    foi.Status
		approve bool
		want    []foi.Status
		code    string
	}{
		{foi.StatusReceived, false, S(foi.StatusInProgress, foi.StatusPendingApproval), ""},
		{foi.StatusInProgress, false, S(foi.StatusPendingApproval), ""},
		{foi.StatusAwaitingRepresentations, false, S(foi.StatusPendingApproval), ""},
		{foi.StatusPendingApproval, false, nil, ""},
		{foi.StatusAwaitingClarification, false, nil, foi.ECONFLICT},
		{foi.StatusOnHoldFee, false, nil, foi.ECONFLICT},
		{foi.StatusReceived, true, S(foi.StatusInProgress, foi.StatusPendingApproval, foi.StatusResponded), ""},
		{foi.StatusInProgress, true, S(foi.StatusPendingApproval, foi.StatusResponded), ""},
		{foi.StatusOnHoldFee, true, S(foi.StatusInProgress, foi.StatusPendingApproval, foi.StatusResponded), ""},
		{foi.StatusAwaitingClarification, true, S(foi.StatusInProgress, foi.StatusPendingApproval, foi.StatusResponded), ""},
		{foi.StatusPendingApproval, true, S(foi.StatusResponded), ""},
		{foi.StatusResponded, true, nil, foi.ECONFLICT},
		{foi.StatusWithdrawn, false, nil, foi.ECONFLICT},
	}
	for _, tt := range tests {
		got, err := foi.ResponsePath(tt.from, tt.approve)
		if foi.ErrorCode(err) != tt.code || !slices.Equal(got, tt.want) {
			t.Errorf("ResponsePath(%s, %v) = %v, %v; want %v, %q", tt.from, tt.approve, got, err, tt.want, tt.code)
		}
	}
}

func TestCheckResponseDraft_NamesEachBadField(t *testing.T) {
	foia := &foi.Case{Regime: calendar.RegimeFOIA, Status: foi.StatusInProgress}
	eir := &foi.Case{Regime: calendar.RegimeEIR, Status: foi.StatusInProgress}
	tests := []struct {
		name  string
		c     *foi.Case
		d     foi.ResponseDraft
		field string
	}{
		{"qualified without PIT", foia, foi.ResponseDraft{Outcome: foi.OutcomeWithheldInFull, Exemptions: []string{"31(1)(e)"}}, "public_interest.31(1)(e)"},
		{"EIR refused_cost", eir, foi.ResponseDraft{Outcome: foi.OutcomeRefusedCost}, "outcome"},
		{"withdrawn", foia, foi.ResponseDraft{Outcome: foi.OutcomeWithdrawn}, "outcome"},
		{"unknown exemption", foia, foi.ResponseDraft{Outcome: foi.OutcomeWithheldInFull, Exemptions: []string{"99"}}, "exemptions[0]"},
		{"unknown template", foia, foi.ResponseDraft{Outcome: foi.OutcomeGrantedInFull, Template: "nope"}, "template"},
		{"letter too long", foia, foi.ResponseDraft{Outcome: foi.OutcomeGrantedInFull, Letter: strings.Repeat("x", foi.MaxLetterLength+1)}, "letter"},
	}
	for _, tt := range tests {
		_, err := foi.CheckResponseDraft(tt.c, tt.d)
		if foi.ErrorCode(err) != foi.EINVALID || !slices.Contains(fields(err), tt.field) {
			t.Errorf("%s: %v %v, want EINVALID naming %s", tt.name, err, fields(err), tt.field)
		}
	}

	dec, err := foi.CheckResponseDraft(foia, foi.ResponseDraft{Outcome: foi.OutcomePartiallyWithheld,
		Exemptions:     []string{"s.40(2)", "31(1)(e)"},
		PublicInterest: map[string]foi.PublicInterestTest{"s.31(1)(e)": {Conclusion: " Withhold. "}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := dec.Sections(); !slices.Equal(got, []string{"31(1)(e)", "40(2)"}) {
		t.Errorf("sections in statutory order = %v", got)
	}
	if dec.Exemptions[0].PIT == nil || dec.Exemptions[0].PIT.Conclusion != "Withhold." || dec.Exemptions[1].PIT != nil {
		t.Errorf("PIT recorded for the qualified exemption only: %+v", dec.Exemptions)
	}
}

func TestApprovalAndReturnRules(t *testing.T) {
	pending := &foi.Case{Status: foi.StatusPendingApproval}
	draft := &foi.Response{Status: foi.ResponsePendingApproval}
	if err := foi.CheckApproval(pending, draft); err != nil {
		t.Errorf("approve a pending draft: %v", err)
	}
	if err := foi.CheckApproval(pending, nil); foi.ErrorCode(err) != foi.ECONFLICT {
		t.Errorf("approve nothing: %v", err)
	}
	if err := foi.CheckApproval(&foi.Case{Status: foi.StatusInProgress}, draft); foi.ErrorCode(err) != foi.ECONFLICT {
		t.Errorf("approve a returned draft: %v", err)
	}
	if _, err := foi.CheckReturn(pending, "  "); foi.ErrorCode(err) != foi.EINVALID || fields(err)[0] != "reason" {
		t.Errorf("return without reason: %v", err)
	}
	if r, err := foi.CheckReturn(pending, " Check s.40 "); err != nil || r != "Check s.40" {
		t.Errorf("return: %q %v", r, err)
	}
	if err := foi.CheckLetterComplete("Dear Ada,\nThe fee is [amount].\n"); foi.ErrorCode(err) != foi.EINVALID ||
		!strings.Contains(foi.ErrorMessage(err), "[amount]") {
		t.Errorf("placeholder left: %v", err)
	}
	if err := foi.CheckLetterComplete("Dear Ada,\nSee s.40[2] and [a].\n"); err != nil {
		t.Errorf("no placeholder: %v", err)
	}
	if foi.DeliveryFor(&foi.Requester{Email: "a@example.org"}) != foi.DeliveryEmail || foi.DeliveryFor(&foi.Requester{}) != foi.DeliveryPost {
		t.Error("delivery")
	}
	if foi.DefaultResponseTemplate(foi.OutcomeNCND) != foi.LetterRefusalNotice ||
		foi.DefaultResponseTemplate(foi.OutcomeNotHeld) != foi.LetterFullResponse {
		t.Error("default templates")
	}
}

func TestICOComplaintRules(t *testing.T) {
	d := calendar.NewDate
	if _, err := foi.NewICOAppeal(d(2026, 3, 2), d(2026, 3, 1)); foi.ErrorCode(err) != foi.EINVALID || fields(err)[0] != "complaint_on" {
		t.Errorf("complaint before response: %v", err)
	}
	w := foi.ICOComplaintWarnings(nil, d(2026, 1, 5), nil, d(2026, 3, 2))
	if len(w) != 2 {
		t.Errorf("no review and over six weeks: %v", w)
	}
	rev := &foi.InternalReview{RequestedOn: d(2026, 1, 6), DecidedOn: d(2026, 2, 2), Outcome: foi.ReviewUpheld}
	if w := foi.ICOComplaintWarnings(nil, d(2026, 1, 5), rev, d(2026, 3, 2)); len(w) != 0 {
		t.Errorf("within six weeks of the review decision: %v", w)
	}
	a, _ := foi.NewICOAppeal(d(2026, 1, 5), d(2026, 3, 2))
	if err := a.RecordDecision(d(2026, 6, 1), foi.ICOUpheld); err != nil || a.ComplianceOn != d(2026, 7, 6) {
		t.Errorf("compliance date = %s, %v", a.ComplianceOn, err)
	}
}

func TestPlanRelease_AdvanceNoticeDefaultsShortensWithReasonsAndWarnsWhenLate(t *testing.T) {
	cal := calendar.Default()
	dm := &foi.User{Role: foi.RoleDecisionMaker, PartyID: 1, Active: true}
	officer := &foi.User{Role: foi.RoleOfficer, PartyID: 1, Active: true}
	days := func(n int) *int { return &n }
	fri, due := calendar.NewDate(2026, 3, 27), calendar.NewDate(2026, 3, 31)
	// Friday plus 2 working days is Tuesday, the deadline itself: no warning.
	p, err := foi.PlanRelease(cal, dm, fri, due, true, foi.AdvanceNotice{})
	if err != nil || p.ReleaseOn != due || p.NoticeWorkingDays != 2 || p.Shortened || p.Warning != "" {
		t.Fatalf("default: %+v %v", p, err)
	}
	p, err = foi.PlanRelease(cal, dm, fri, due, true, foi.AdvanceNotice{WorkingDays: days(3)})
	if err != nil || p.ReleaseOn != calendar.NewDate(2026, 4, 1) || !strings.Contains(p.Warning, "2026-03-31") {
		t.Fatalf("longer notice past the deadline: %+v %v", p, err)
	}
	if _, err := foi.PlanRelease(cal, dm, fri, due, true, foi.AdvanceNotice{WorkingDays: days(1)}); !slices.Equal(fields(err), []string{"advance_notice_reasons"}) {
		t.Errorf("shortened without reasons: %v", err)
	}
	if _, err := foi.PlanRelease(cal, officer, fri, due, true, foi.AdvanceNotice{WorkingDays: days(0), Reasons: "Urgent."}); foi.ErrorCode(err) != foi.EFORBIDDEN {
		t.Errorf("an officer shortens: %v", err)
	}
	for _, n := range []int{-1, 21} {
		if _, err := foi.PlanRelease(cal, dm, fri, due, true, foi.AdvanceNotice{WorkingDays: days(n)}); !slices.Equal(fields(err), []string{"advance_notice_working_days"}) {
			t.Errorf("%d days: %v", n, err)
		}
	}
	p, err = foi.PlanRelease(cal, dm, fri, due, true, foi.AdvanceNotice{WorkingDays: days(0), Reasons: " Agreed by phone. "})
	if err != nil || p.ReleaseOn != fri || !p.Shortened || p.Reasons != "Agreed by phone." {
		t.Fatalf("shortened: %+v %v", p, err)
	}
	// Nobody consulted: released at once, nobody to notify.
	p, err = foi.PlanRelease(cal, dm, fri, due, false, foi.AdvanceNotice{})
	if err != nil || p.ReleaseOn != fri || p.NoticeWorkingDays != 0 || p.Warning != "" {
		t.Fatalf("no consultations: %+v %v", p, err)
	}
}
