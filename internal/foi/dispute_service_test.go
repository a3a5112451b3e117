package foi

import (
	"testing"

	"foidesk/internal/calendar"
)

func TestDisputeSideOf_AndDecisionDiscloses(t *testing.T) {
	scope := Scope{OwnerPartyID: 1, ConsultedPartyID: 2}
	for _, tc := range []struct {
		role  Role
		party int64
		want  DisputeSide
	}{
		{RoleOfficer, 1, DisputeRaisedByOwner}, {RoleDecisionMaker, 1, DisputeRaisedByOwner},
		{RoleLiaison, 2, DisputeRaisedByConsulted}, {RoleLiaison, 1, ""}, {RoleOfficer, 2, ""},
		{RoleAuditor, 1, ""}, {RoleAdmin, 0, ""},
	} {
		u := &User{Role: tc.role, PartyID: tc.party, Active: true}
		if got := DisputeSideOf(u, scope); got != tc.want {
			t.Errorf("%s of party %d: %q, want %q", tc.role, tc.party, got, tc.want)
		}
	}
	if DisputeSideOf(nil, scope) != "" {
		t.Error("nobody speaks for no side")
	}
	for o, want := range map[Outcome]bool{"": true, OutcomeGrantedInFull: true, OutcomePartiallyWithheld: true,
		OutcomeWithheldInFull: false, OutcomeNCND: false, OutcomeNotHeld: false, OutcomeRefusedCost: false} {
		if DecisionDiscloses(o) != want {
			t.Errorf("DecisionDiscloses(%q) = %v", o, !want)
		}
	}
}

func TestDispute_StepsWithReasonsAndSettle(t *testing.T) {
	cal := calendar.Default()
	dis, _, err := OpenDispute(4, cdate("2026-03-02"), cal, cdate("2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dis.FormalNotificationWithReasons("", cdate("2026-03-03"), cal, calendar.Date{}); ErrorCode(err) != ECONFLICT {
		t.Errorf("formal notification at BAU, even without reasons, is a conflict first: %v", err)
	}
	if _, err := dis.EscalateWithReasons(" ", cdate("2026-03-03"), cal, calendar.Date{}); !hasFieldError(err, "reasons") ||
		dis.Step != DisputeBAU {
		t.Errorf("escalation without reasons: %v", err)
	}
	if _, err := dis.EscalateWithReasons(" No agreement. ", cdate("2026-03-03"), cal, calendar.Date{}); err != nil ||
		dis.Step != DisputeEscalation || dis.History[1].Note != "No agreement." {
		t.Fatalf("escalate: %v %+v", err, dis)
	}
	if _, err := dis.FormalNotificationWithReasons("Still none.", cdate("2026-03-05"), cal, calendar.Date{}); err != nil ||
		dis.History[2].Note != "Still none." {
		t.Fatalf("formal: %v", err)
	}
	if err := dis.Settle("maybe", "", cdate("2026-03-06")); !hasFieldError(err, "outcome") || !hasFieldError(err, "reasons") ||
		dis.Step != DisputeFormal {
		t.Errorf("bad settlement: %v", err)
	}
	if err := dis.Settle(DisputeOutcomeWithhold, " Agreed to withhold. ", cdate("2026-03-06")); err != nil ||
		dis.Step != DisputeResolved || dis.Outcome != "withhold" || dis.OutcomeReasons != "Agreed to withhold." ||
		dis.History[3].Note != "Agreed to withhold." {
		t.Fatalf("settle: %v %+v", err, dis)
	}
	if err := dis.Settle(DisputeOutcomeDisclose, "Again.", cdate("2026-03-07")); ErrorCode(err) != ECONFLICT {
		t.Errorf("settle twice: %v", err)
	}
	if DisputeClockReminder(DisputeFormal) != "dispute_formal_ends" {
		t.Errorf("reminder kind %q", DisputeClockReminder(DisputeFormal))
	}
}

func TestCheckRaiseDispute(t *testing.T) {
	k := Consultation{Status: ConsultationDraft}
	if err := CheckRaiseDispute(&k, "Disagree."); ErrorCode(err) != ECONFLICT {
		t.Errorf("draft: %v", err)
	}
	k.Status = ConsultationWaived
	if err := CheckRaiseDispute(&k, "  "); !hasFieldError(err, "reasons") {
		t.Errorf("no reasons: %v", err)
	}
	if err := CheckRaiseDispute(&k, "The waiver was wrong."); err != nil {
		t.Errorf("a waived consultation can be disputed: %v", err)
	}
}
