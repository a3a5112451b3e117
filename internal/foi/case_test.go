package foi_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

// caseDay parses a YYYY-MM-DD date or fails the test.
func caseDay(t *testing.T, s string) calendar.Date {
	t.Helper()
	v, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return v
}

// wantCaseCode fails the test unless err carries the domain code want ("" means nil).
func wantCaseCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := foi.ErrorCode(err); got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
}

// caseFieldNames returns the names of the field errors in err.
func caseFieldNames(err error) []string {
	var names []string
	for _, f := range foi.ErrorFields(err) {
		names = append(names, f.Field)
	}
	return names
}

// wantCaseFields fails the test unless err is EINVALID naming exactly the given fields (in any order).
func wantCaseFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	wantCaseCode(t, err, foi.EINVALID)
	got := caseFieldNames(err)
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("fields = %v, want %v (%v)", got, want, foi.ErrorFields(err))
	}
	for _, f := range foi.ErrorFields(err) {
		if f.Message == "" {
			t.Errorf("field %s has no message", f.Field)
		}
	}
}

// ev builds a clock event.
func ev(t *testing.T, kind foi.ClockEventKind, on string) foi.ClockEvent {
	t.Helper()
	return foi.ClockEvent{Kind: kind, On: caseDay(t, on)}
}

var (
	officer       = &foi.User{ID: 1, Role: foi.RoleOfficer, PartyID: 1, Active: true}
	decisionMaker = &foi.User{ID: 2, Role: foi.RoleDecisionMaker, PartyID: 1, Active: true}
)

// newCase returns an in-progress case received on Mon 2025-01-06 under the regime.
func newCase(t *testing.T, regime calendar.Regime) *foi.Case {
	t.Helper()
	return &foi.Case{Regime: regime, ReceivedOn: caseDay(t, "2025-01-06"), Status: foi.StatusInProgress}
}

// applyAll applies events in order and fails the test on any error.
func applyAll(t *testing.T, c *foi.Case, exemptions []string, actor *foi.User, events ...foi.ClockEvent) {
	t.Helper()
	for _, e := range events {
		if _, _, err := c.ApplyClockEvent(e, actor, exemptions, calendar.Default()); err != nil {
			t.Fatalf("apply %s on %s: %v", e.Kind, e.On, err)
		}
	}
}

// TestClockEventsRecomputeDeadline runs the section 10 vectors of the rules file through ApplyClockEvent and
// the calendar: receipt Mon 2025-01-06, normal day 20 Mon 2025-02-03.
func TestClockEventsRecomputeDeadline(t *testing.T) {
	tests := []struct {
		name          string
		regime        calendar.Regime
		events        []foi.ClockEvent
		exemptions    []string
		wantStatus    foi.Status
		wantDue       string
		wantStatutory string
		wantExtension calendar.Extension
		wantClarified string
		wantFeePauses int
	}{
		{name: "no events", regime: calendar.RegimeFOIA, wantStatus: foi.StatusInProgress,
			wantDue: "2025-02-03", wantStatutory: "2025-02-03"},
		{name: "fees notice 01-15 paid 02-03", regime: calendar.RegimeFOIA,
			events:     []foi.ClockEvent{ev(t, foi.EventFeeNotice, "2025-01-15"), ev(t, foi.EventFeePaid, "2025-02-03")},
			wantStatus: foi.StatusInProgress, wantDue: "2025-02-21", wantStatutory: "2025-02-21", wantFeePauses: 1},
		{name: "clarification received 01-20", regime: calendar.RegimeFOIA,
			events: []foi.ClockEvent{ev(t, foi.EventClarificationSought, "2025-01-08"),
				ev(t, foi.EventClarificationReceived, "2025-01-20")},
			wantStatus: foi.StatusInProgress, wantDue: "2025-02-17", wantStatutory: "2025-02-17", wantClarified: "2025-01-20"},
		{name: "PIT", regime: calendar.RegimeFOIA, exemptions: []string{"s.31(1)(e)"},
			events:     []foi.ClockEvent{ev(t, foi.EventPITExtension, "2025-01-31")},
			wantStatus: foi.StatusInProgress, wantDue: "2025-03-03", wantStatutory: "2025-02-03",
			wantExtension: calendar.ExtensionPIT},
		{name: "EIR reg 7", regime: calendar.RegimeEIR,
			events:     []foi.ClockEvent{ev(t, foi.EventEIRExtension, "2025-02-03")},
			wantStatus: foi.StatusInProgress, wantDue: "2025-03-03", wantStatutory: "2025-02-03",
			wantExtension: calendar.ExtensionEIRComplex},
		{name: "EIR charge paused and paid", regime: calendar.RegimeEIR,
			events:     []foi.ClockEvent{ev(t, foi.EventFeeNotice, "2025-01-15"), ev(t, foi.EventFeePaid, "2025-02-03")},
			wantStatus: foi.StatusInProgress, wantDue: "2025-02-21", wantStatutory: "2025-02-21", wantFeePauses: 1},
		{name: "second clarification round: latest counts", regime: calendar.RegimeFOIA,
			events: []foi.ClockEvent{ev(t, foi.EventClarificationSought, "2025-01-07"),
				ev(t, foi.EventClarificationReceived, "2025-01-10"),
				ev(t, foi.EventClarificationSought, "2025-01-14"),
				ev(t, foi.EventClarificationReceived, "2025-01-20")},
			wantStatus: foi.StatusInProgress, wantDue: "2025-02-17", wantStatutory: "2025-02-17", wantClarified: "2025-01-20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCase(t, tt.regime)
			applyAll(t, c, tt.exemptions, officer, tt.events...)
			if c.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s", c.Status, tt.wantStatus)
			}
			in, err := c.DeadlineInput()
			if err != nil {
				t.Fatal(err)
			}
			if in.Extension != tt.wantExtension && !(tt.wantExtension == "" && in.Extension == calendar.ExtensionNone) {
				t.Errorf("extension = %q, want %q", in.Extension, tt.wantExtension)
			}
			if in.Clarified.String() != tt.wantClarified {
				t.Errorf("clarified = %s, want %s", in.Clarified, tt.wantClarified)
			}
			if len(in.Fees) != tt.wantFeePauses {
				t.Errorf("fees = %v", in.Fees)
			}
			// The caller's path: cal.Deadline(c.DeadlineInput()).
			dl, err := calendar.Default().Deadline(in)
			if err != nil {
				t.Fatal(err)
			}
			if dl.Due.String() != tt.wantDue || dl.StatutoryDue.String() != tt.wantStatutory {
				t.Errorf("calendar: due %s statutory %s, want %s %s", dl.Due, dl.StatutoryDue, tt.wantDue, tt.wantStatutory)
			}
			// The one-call path.
			if _, err := c.Recompute(nil); err != nil {
				t.Fatal(err)
			}
			if c.DueOn.String() != tt.wantDue || c.StatutoryDueOn.String() != tt.wantStatutory || c.Provisional {
				t.Errorf("case: due %s statutory %s provisional %v", c.DueOn, c.StatutoryDueOn, c.Provisional)
			}
		})
	}
}

func TestClockEventStatusesAndStoppedClock(t *testing.T) {
	c := newCase(t, calendar.RegimeFOIA)
	st, alert, err := c.ApplyClockEvent(ev(t, foi.EventFeeNotice, "2025-01-15"), officer, nil, nil)
	if err != nil || st != foi.StatusOnHoldFee || alert != "" || c.Status != foi.StatusOnHoldFee {
		t.Fatalf("fee notice: %s %q %v", st, alert, err)
	}
	dl, err := c.Recompute(nil)
	if err != nil || !dl.Paused || !c.DueOn.IsZero() {
		t.Fatalf("unpaid notice: paused %v due %s err %v", dl.Paused, c.DueOn, err)
	}
	in, _ := c.DeadlineInput()
	if len(in.Fees) != 1 || !in.Fees[0].Paid.IsZero() {
		t.Fatalf("open pause = %v", in.Fees)
	}
	st, _, err = c.ApplyClockEvent(ev(t, foi.EventFeePaid, "2025-02-03"), officer, nil, nil)
	if err != nil || st != foi.StatusInProgress {
		t.Fatalf("fee paid: %s %v", st, err)
	}

	c = newCase(t, calendar.RegimeFOIA)
	st, _, err = c.ApplyClockEvent(ev(t, foi.EventClarificationSought, "2025-01-08"), officer, nil, nil)
	if err != nil || st != foi.StatusAwaitingClarification {
		t.Fatalf("clarification sought: %s %v", st, err)
	}
	if _, err := c.Recompute(nil); err != nil || !c.DueOn.IsZero() || !c.StatutoryDueOn.IsZero() {
		t.Fatalf("awaiting clarification: due %s statutory %s err %v", c.DueOn, c.StatutoryDueOn, err)
	}
	st, _, err = c.ApplyClockEvent(ev(t, foi.EventClarificationReceived, "2025-01-20"), officer, nil, nil)
	if err != nil || st != foi.StatusInProgress {
		t.Fatalf("clarification received: %s %v", st, err)
	}

	// Extensions keep the status.
	for _, s := range []foi.Status{foi.StatusReceived, foi.StatusAwaitingRepresentations, foi.StatusPendingApproval} {
		c := newCase(t, calendar.RegimeFOIA)
		c.Status = s
		st, _, err := c.ApplyClockEvent(ev(t, foi.EventPITExtension, "2025-01-30"), officer, []string{"35(1)(a)"}, nil)
		if err != nil || st != s {
			t.Errorf("PIT from %s: %s %v", s, st, err)
		}
	}
}

func TestClockEventErrors(t *testing.T) {
	notice := ev(t, foi.EventFeeNotice, "2025-01-15")
	sought := ev(t, foi.EventClarificationSought, "2025-01-10")
	pit := ev(t, foi.EventPITExtension, "2025-01-31")
	tests := []struct {
		name       string
		regime     calendar.Regime
		status     foi.Status
		prior      []foi.ClockEvent
		priorEx    []string
		event      foi.ClockEvent
		exemptions []string
		actor      *foi.User
		code       string
		fields     []string
		msg        string // a substring of the message
	}{
		{name: "unknown kind", event: foi.ClockEvent{Kind: "nap", On: caseDay(t, "2025-01-10")},
			code: foi.EINVALID, fields: []string{"kind"}},
		{name: "no date", event: foi.ClockEvent{Kind: foi.EventFeeNotice}, code: foi.EINVALID, fields: []string{"on"}},
		{name: "fee notice before receipt", event: ev(t, foi.EventFeeNotice, "2025-01-05"),
			code: foi.EINVALID, fields: []string{"on"}, msg: "6 January 2025"},
		{name: "until on a fee notice", event: foi.ClockEvent{Kind: foi.EventFeeNotice, On: caseDay(t, "2025-01-10"),
			Until: caseDay(t, "2025-03-10")}, code: foi.EINVALID, fields: []string{"until"}},
		{name: "note too long", event: foi.ClockEvent{Kind: foi.EventFeeNotice, On: caseDay(t, "2025-01-10"),
			Note: strings.Repeat("x", foi.MaxNoteLength+1)}, code: foi.EINVALID, fields: []string{"note"}},
		{name: "closed case", status: foi.StatusResponded, event: notice, code: foi.ECONFLICT},
		{name: "clarification received, none sought", event: ev(t, foi.EventClarificationReceived, "2025-01-20"),
			code: foi.ECONFLICT, msg: "No clarification has been sought"},
		{name: "clarification received before sought", prior: []foi.ClockEvent{sought},
			event: ev(t, foi.EventClarificationReceived, "2025-01-09"), code: foi.EINVALID, fields: []string{"on"}},
		{name: "clarification sought twice", prior: []foi.ClockEvent{sought},
			event: ev(t, foi.EventClarificationSought, "2025-01-12"), code: foi.ECONFLICT},
		{name: "fee paid with no notice", event: ev(t, foi.EventFeePaid, "2025-01-20"), code: foi.ECONFLICT,
			msg: "No fee notice"},
		{name: "fee paid before notice", prior: []foi.ClockEvent{notice},
			event: ev(t, foi.EventFeePaid, "2025-01-14"), code: foi.EINVALID, fields: []string{"on"}},
		{name: "second fee notice while unpaid", prior: []foi.ClockEvent{notice},
			event: ev(t, foi.EventFeeNotice, "2025-01-16"), code: foi.ECONFLICT},
		{name: "fee notice while awaiting clarification: lifecycle", prior: []foi.ClockEvent{sought},
			event: ev(t, foi.EventFeeNotice, "2025-01-16"), code: foi.ECONFLICT, msg: "cannot move to on hold"},
		{name: "PIT under EIR", regime: calendar.RegimeEIR, event: pit, exemptions: []string{"12(4)(e)"},
			code: foi.EINVALID, fields: []string{"kind"}},
		{name: "PIT without exemptions", event: pit, code: foi.EINVALID, fields: []string{"exemptions"}},
		{name: "PIT with only absolute exemptions", event: pit, exemptions: []string{"40(2)", "s.41", "21"},
			code: foi.EINVALID, fields: []string{"exemptions"}},
		{name: "PIT with only a procedural ground", event: pit, exemptions: []string{"12"},
			code: foi.EINVALID, fields: []string{"exemptions"}},
		{name: "PIT with an unknown exemption", event: pit, exemptions: []string{"31(1)(e)", "s.99"},
			code: foi.EINVALID, fields: []string{"exemptions[1]"}},
		{name: "PIT twice", prior: []foi.ClockEvent{pit}, priorEx: []string{"31(1)(e)"},
			event: ev(t, foi.EventPITExtension, "2025-02-03"), exemptions: []string{"31(1)(e)"},
			code: foi.ECONFLICT, msg: "only once"},
		{name: "PIT twice with an earlier estimate, even by a decision-maker", prior: []foi.ClockEvent{pit},
			priorEx: []string{"31(1)(e)"}, actor: decisionMaker, exemptions: []string{"31(1)(e)"},
			event: foi.ClockEvent{Kind: foi.EventPITExtension, On: caseDay(t, "2025-02-20"), Until: caseDay(t, "2025-02-28")},
			code:  foi.ECONFLICT},
		{name: "PIT second beyond day 40 by an officer", prior: []foi.ClockEvent{pit}, priorEx: []string{"31(1)(e)"},
			exemptions: []string{"31(1)(e)"},
			event:      foi.ClockEvent{Kind: foi.EventPITExtension, On: caseDay(t, "2025-02-20"), Until: caseDay(t, "2025-03-17")},
			code:       foi.EFORBIDDEN},
		{name: "PIT estimate beyond day 40 by an officer", exemptions: []string{"31(1)(e)"},
			event: foi.ClockEvent{Kind: foi.EventPITExtension, On: caseDay(t, "2025-01-31"), Until: caseDay(t, "2025-03-04")},
			code:  foi.EFORBIDDEN, msg: "3 March 2025"},
		{name: "PIT estimate by nil actor beyond day 40", exemptions: []string{"31(1)(e)"}, actor: nil,
			event: foi.ClockEvent{Kind: foi.EventPITExtension, On: caseDay(t, "2025-01-31"), Until: caseDay(t, "2025-03-04")},
			code:  foi.EFORBIDDEN},
		{name: "PIT estimate not after day 20", exemptions: []string{"31(1)(e)"},
			event: foi.ClockEvent{Kind: foi.EventPITExtension, On: caseDay(t, "2025-01-31"), Until: caseDay(t, "2025-02-03")},
			code:  foi.EINVALID, fields: []string{"until"}},
		{name: "PIT claimed after day 20", exemptions: []string{"31(1)(e)"}, event: ev(t, foi.EventPITExtension, "2025-02-04"),
			code: foi.EINVALID, fields: []string{"on"}},
		{name: "PIT while the fee is unpaid", prior: []foi.ClockEvent{notice}, exemptions: []string{"31(1)(e)"},
			event: ev(t, foi.EventPITExtension, "2025-01-20"), code: foi.ECONFLICT},
		{name: "PIT while awaiting clarification", prior: []foi.ClockEvent{sought}, exemptions: []string{"31(1)(e)"},
			event: ev(t, foi.EventPITExtension, "2025-01-20"), code: foi.ECONFLICT},
		{name: "EIR extension under FOIA", event: ev(t, foi.EventEIRExtension, "2025-01-20"),
			code: foi.EINVALID, fields: []string{"kind"}},
		{name: "EIR extension twice", regime: calendar.RegimeEIR, prior: []foi.ClockEvent{ev(t, foi.EventEIRExtension, "2025-01-20")},
			event: ev(t, foi.EventEIRExtension, "2025-01-21"), code: foi.ECONFLICT},
		{name: "EIR extension notice after day 20", regime: calendar.RegimeEIR,
			event: ev(t, foi.EventEIRExtension, "2025-02-04"), code: foi.EINVALID, fields: []string{"on"}, msg: "regulation 7(3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regime := tt.regime
			if regime == "" {
				regime = calendar.RegimeFOIA
			}
			c := newCase(t, regime)
			actor := tt.actor
			if actor == nil && !strings.Contains(tt.name, "nil actor") {
				actor = officer
			}
			applyAll(t, c, tt.priorEx, officer, tt.prior...)
			if tt.status != "" {
				c.Status = tt.status
			}
			before, beforeStatus := len(c.Events), c.Status
			st, alert, err := c.ApplyClockEvent(tt.event, actor, tt.exemptions, calendar.Default())
			if tt.fields != nil {
				wantCaseFields(t, err, tt.fields...)
			} else {
				wantCaseCode(t, err, tt.code)
			}
			if tt.msg != "" && !strings.Contains(foi.ErrorMessage(err), tt.msg) {
				t.Errorf("message %q does not mention %q", foi.ErrorMessage(err), tt.msg)
			}
			if st != "" || alert != "" || len(c.Events) != before || c.Status != beforeStatus {
				t.Errorf("case changed on error: %s %q events %d status %s", st, alert, len(c.Events), c.Status)
			}
		})
	}
}

func TestClockEventTransitionDetail(t *testing.T) {
	c := newCase(t, calendar.RegimeFOIA)
	c.Status = foi.StatusPendingApproval
	_, _, err := c.ApplyClockEvent(ev(t, foi.EventFeeNotice, "2025-01-10"), officer, nil, nil)
	var e *foi.Error
	if !errors.As(err, &e) || e.Code != foi.ECONFLICT {
		t.Fatalf("err = %v", err)
	}
	if got := e.Detail["allowed"]; !slices.Equal(got.([]string), []string{"in_progress", "responded", "withdrawn", "lapsed"}) {
		t.Errorf("allowed = %v", got)
	}
}

func TestPITBeyondDay40ByDecisionMaker(t *testing.T) {
	ex := []string{"section 36(2)(b)(i)"}
	// A first extension with an estimate past day 40 (Mon 2025-03-03).
	c := newCase(t, calendar.RegimeFOIA)
	st, alert, err := c.ApplyClockEvent(foi.ClockEvent{Kind: foi.EventPITExtension, On: caseDay(t, "2025-02-03"),
		Until: caseDay(t, "2025-03-17")}, decisionMaker, ex, nil)
	if err != nil || st != foi.StatusInProgress || !strings.Contains(alert, "3 March 2025") {
		t.Fatalf("first: %s %q %v", st, alert, err)
	}
	if _, err := c.Recompute(nil); err != nil || c.DueOn.String() != "2025-03-17" || c.StatutoryDueOn.String() != "2025-02-03" {
		t.Fatalf("due %s statutory %s err %v", c.DueOn, c.StatutoryDueOn, err)
	}

	// A second extension: only a decision-maker, only with a later estimate, with an alert.
	c = newCase(t, calendar.RegimeFOIA)
	applyAll(t, c, ex, officer, ev(t, foi.EventPITExtension, "2025-01-31"))
	_, alert, err = c.ApplyClockEvent(foi.ClockEvent{Kind: foi.EventPITExtension, On: caseDay(t, "2025-02-25"),
		Until: caseDay(t, "2025-03-31"), Note: "  Exceptional: 4,000 pages  "}, decisionMaker, ex, nil)
	if err != nil || alert == "" {
		t.Fatalf("second: %q %v", alert, err)
	}
	if got := c.Events[len(c.Events)-1].Note; got != "Exceptional: 4,000 pages" {
		t.Errorf("note not trimmed: %q", got)
	}
	if got := c.PITEstimate().String(); got != "2025-03-31" {
		t.Errorf("estimate = %s", got)
	}
	if _, err := c.Recompute(nil); err != nil || c.DueOn.String() != "2025-03-31" {
		t.Fatalf("due %s err %v", c.DueOn, err)
	}

	// An estimate inside day 40 needs no decision-maker and becomes the due date.
	c = newCase(t, calendar.RegimeFOIA)
	_, alert, err = c.ApplyClockEvent(foi.ClockEvent{Kind: foi.EventPITExtension, On: caseDay(t, "2025-01-31"),
		Until: caseDay(t, "2025-02-17")}, officer, []string{"43(2)"}, nil)
	if err != nil || alert != "" {
		t.Fatalf("estimate within 40: %q %v", alert, err)
	}
	if _, err := c.Recompute(nil); err != nil || c.DueOn.String() != "2025-02-17" {
		t.Fatalf("due %s err %v", c.DueOn, err)
	}
}

func TestClockEventAlerts(t *testing.T) {
	// A fee notice after day 20 has no effect on the clock.
	c := newCase(t, calendar.RegimeFOIA)
	_, alert, err := c.ApplyClockEvent(ev(t, foi.EventFeeNotice, "2025-02-04"), officer, nil, nil)
	if err != nil || !strings.Contains(alert, "does not stop the clock") {
		t.Fatalf("late fee notice: %q %v", alert, err)
	}
	// A fee paid after the three months of s.9(2).
	_, alert, err = c.ApplyClockEvent(ev(t, foi.EventFeePaid, "2025-05-04"), officer, nil, nil)
	if err != nil || !strings.Contains(alert, "3 May 2025") {
		t.Fatalf("late fee: %q %v", alert, err)
	}
	// On the last day of the three months: no alert.
	c = newCase(t, calendar.RegimeFOIA)
	applyAll(t, c, nil, officer, ev(t, foi.EventFeeNotice, "2025-01-15"))
	if _, alert, err = c.ApplyClockEvent(ev(t, foi.EventFeePaid, "2025-04-14"), officer, nil, nil); err != nil || alert != "" {
		t.Fatalf("fee in time: %q %v", alert, err)
	}
	// An EIR charge paid over 60 working days after the notice (reg 8(5)).
	c = newCase(t, calendar.RegimeEIR)
	applyAll(t, c, nil, officer, ev(t, foi.EventFeeNotice, "2025-01-15"))
	if _, alert, err = c.ApplyClockEvent(ev(t, foi.EventFeePaid, "2025-04-14"), officer, nil, nil); err != nil ||
		!strings.Contains(alert, "regulation 8(5)") {
		t.Fatalf("late EIR charge: %q %v", alert, err)
	}
	// Clarification sought after day 20.
	c = newCase(t, calendar.RegimeFOIA)
	if _, alert, err = c.ApplyClockEvent(ev(t, foi.EventClarificationSought, "2025-02-04"), officer, nil, nil); err != nil || alert == "" {
		t.Fatalf("late clarification: %q %v", alert, err)
	}
}

func TestDeadlineInputRejectsBrokenHistories(t *testing.T) {
	tests := []struct {
		name   string
		events []foi.ClockEvent
	}{
		{"paid without notice", []foi.ClockEvent{ev(t, foi.EventFeePaid, "2025-01-20")}},
		{"two open notices", []foi.ClockEvent{ev(t, foi.EventFeeNotice, "2025-01-10"), ev(t, foi.EventFeeNotice, "2025-01-12")}},
		{"unknown kind", []foi.ClockEvent{{Kind: "nap", On: caseDay(t, "2025-01-10")}}},
	}
	for _, tt := range tests {
		c := newCase(t, calendar.RegimeFOIA)
		c.Events = tt.events
		_, err := c.DeadlineInput()
		wantCaseCode(t, err, foi.EINVALID)
	}
	_, err := (&foi.Case{}).DeadlineInput()
	wantCaseCode(t, err, foi.EINVALID)

	// Events recorded out of date order still pair up by date.
	c := newCase(t, calendar.RegimeFOIA)
	c.Events = []foi.ClockEvent{ev(t, foi.EventFeePaid, "2025-02-03"), ev(t, foi.EventFeeNotice, "2025-01-15")}
	in, err := c.DeadlineInput()
	if err != nil || len(in.Fees) != 1 || in.Fees[0].Notice.String() != "2025-01-15" || in.Fees[0].Paid.String() != "2025-02-03" {
		t.Fatalf("fees = %v, err %v", in.Fees, err)
	}
	// A date outside the calendar is EINVALID from Recompute.
	c = &foi.Case{Regime: calendar.RegimeFOIA, ReceivedOn: caseDay(t, "2011-06-01"), Status: foi.StatusInProgress}
	_, err = c.Recompute(nil)
	wantCaseCode(t, err, foi.EINVALID)
}

func TestClockEventKindLabels(t *testing.T) {
	for _, k := range foi.ClockEventKinds {
		if !k.Valid() || k.Label() == string(k) {
			t.Errorf("%s: valid %v label %q", k, k.Valid(), k.Label())
		}
	}
}
