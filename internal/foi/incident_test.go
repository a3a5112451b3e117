package foi

import (
	"testing"
	"time"
)

func TestIncident_ClocksDecisionAndClosure(t *testing.T) {
	aware := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	told := aware.Add(time.Hour)
	i := &Incident{ID: 42, AwareAt: aware, Status: IncidentOpen,
		Affected: []IncidentParty{{PartyID: 2, NotifiedAt: &told}, {PartyID: 3}}}
	if IncidentReference(i.ID) != "INC-000042" {
		t.Errorf("reference %q", IncidentReference(i.ID))
	}
	i.Clocks(aware.Add(23 * time.Hour))
	if i.NotifyOverdue || i.ICODecisionLate || i.AllNotified {
		t.Errorf("at 23h: %+v", i)
	}
	i.Clocks(aware.Add(24*time.Hour + time.Second))
	if !i.NotifyOverdue || i.ICODecisionLate {
		t.Errorf("at 24h: %+v", i)
	}
	i.Affected[1].NotifiedAt = &told
	i.Clocks(aware.Add(72*time.Hour + time.Second))
	if i.NotifyOverdue || !i.AllNotified || !i.ICODecisionLate {
		t.Errorf("at 72h: %+v", i)
	}
	now := aware.Add(80 * time.Hour)
	if ErrorCode(i.Close("Done.", now)) != ECONFLICT {
		t.Error("closed without an ICO decision")
	}
	for _, bad := range []ICODecisionInput{{Decision: "maybe", Reasons: "x"}, {Decision: ICONotify},
		{Decision: ICONotNotify, Reasons: "x", NotifiedAt: "2026-03-02T10:00:00Z"},
		{Decision: ICONotify, Reasons: "x", NotifiedAt: "2026-03-01T10:00:00Z"},
		{Decision: ICONotify, Reasons: "x", NotifiedAt: "soon"}} {
		if ErrorCode(i.DecideICO(bad, now)) != EINVALID {
			t.Errorf("%+v accepted", bad)
		}
	}
	if err := i.DecideICO(ICODecisionInput{Decision: ICONotify, Reasons: " Risk. ", NotifiedAt: "2026-03-04T09:00:00+01:00"}, now); err != nil {
		t.Fatal(err)
	}
	if i.ICOReasons != "Risk." || i.ICONotifiedAt == nil || !i.ICONotifiedAt.Equal(time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("decision %+v", i)
	}
	i.Clocks(now)
	if i.ICODecisionLate {
		t.Error("late after the decision")
	}
	if ErrorCode(i.Close(" ", now)) != EINVALID {
		t.Error("closed without a summary")
	}
	if err := i.Close("Contained.", now); err != nil || i.Status != IncidentClosed || i.ClosedAt == nil {
		t.Fatalf("close: %v %+v", err, i)
	}
	if _, err := i.CheckIncidentAction("More."); ErrorCode(err) != ECONFLICT {
		t.Error("action on a closed incident")
	}
}

func TestCanIncident_WhoReadsRecordsAndDecides(t *testing.T) {
	const dfe, ho, moj = 1, 2, 3
	u := func(role Role, party int64) Actor {
		return Actor{User: &User{ID: 9, Role: role, PartyID: party, Active: true}}
	}
	cases := []struct {
		who    Actor
		action Action
		want   string
	}{
		{u(RoleOfficer, dfe), ActionRecordIncident, ""},
		{u(RoleDecisionMaker, dfe), ActionDecideIncident, ""},
		{u(RoleOfficer, dfe), ActionDecideIncident, EFORBIDDEN},
		{u(RoleAuditor, dfe), ActionReadIncident, ""},
		{u(RoleAuditor, dfe), ActionRecordIncident, EFORBIDDEN},
		{u(RoleLiaison, moj), ActionReadIncident, ""},
		{u(RoleLiaison, moj), ActionRecordIncident, EFORBIDDEN},
		{u(RoleOfficer, moj), ActionReadIncident, ENOTFOUND},
		{u(RoleLiaison, dfe), ActionReadIncident, ENOTFOUND},
		{u(RoleAdmin, 0), ActionDecideIncident, ""},
		{Actor{}, ActionReadIncident, EUNAUTHORIZED},
		{Actor{Label: ActorCLI}, ActionRecordIncident, ""},
	}
	for _, c := range cases {
		if got := ErrorCode(CanIncident(c.who, c.action, dfe, []int64{ho, moj})); got != c.want {
			t.Errorf("%+v %s: %q, want %q", c.who.User, c.action, got, c.want)
		}
	}
}
