package foi

import (
	"encoding/json"
	"testing"

	"foidesk/internal/calendar"
)

func TestDisclosureBlockers_OnePerOpenConsultation(t *testing.T) {
	tests := []struct {
		status   ConsultationStatus
		waitsFor string // "" when the status does not block
	}{
		{ConsultationDraft, "sending (still a draft)"},
		{ConsultationSent, "representations from DFE, due 2026-03-09"},
		{ConsultationRepresentationsReceived, "a decision-maker's consideration of DFE's representations"},
		{ConsultationConsidered, ""},
		{ConsultationClosedWithoutRepresentations, ""},
		{ConsultationWaived, ""},
		{"lost", `a known status ("lost" is not one)`},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			c := consultationIn(ConsultationSent)
			c.Status = tt.status
			got := DisclosureBlockers([]Consultation{c})
			err := CheckDisclosureGate([]Consultation{c})
			if tt.waitsFor == "" {
				if got != nil || err != nil {
					t.Fatalf("blockers %v err %v, want clear", got, err)
				}
				return
			}
			want := Blocker{ConsultationID: 9, ConsultedParty: "DFE", Status: tt.status, WaitsFor: tt.waitsFor}
			if len(got) != 1 || got[0] != want {
				t.Fatalf("blockers = %+v, want %+v", got, want)
			}
			if ErrorCode(err) != ECONFLICT || ErrorMessage(err) != GateBlockedMessage {
				t.Fatalf("err = %v", err)
			}
			if b, _ := err.(*Error).Detail["blockers"].([]Blocker); len(b) != 1 || b[0] != want {
				t.Errorf("Detail[blockers] = %v", err.(*Error).Detail["blockers"])
			}
		})
	}
}

func TestCheckDisclosureGate_ListsEveryBlockerAndClearsWhenAllResolved(t *testing.T) {
	sent := consultationIn(ConsultationSent)
	sent.ID, sent.ConsultedPartyCode, sent.RespondBy = 21, "", calendar.Date{}
	received := consultationIn(ConsultationRepresentationsReceived)
	received.ID = 22
	waived := consultationIn(ConsultationWaived)
	all := []Consultation{sent, waived, received}
	err := CheckDisclosureGate(all)
	blockers := err.(*Error).Detail["blockers"].([]Blocker)
	if len(blockers) != 2 || blockers[0].ConsultationID != 21 || blockers[1].ConsultationID != 22 {
		t.Fatalf("blockers = %+v", blockers)
	}
	if blockers[0].WaitsFor != "representations from party 1" || blockers[0].ConsultedParty != "party 1" {
		t.Errorf("fallback label: %+v", blockers[0])
	}
	b, _ := json.Marshal(err.(*Error).Detail)
	want := `{"blockers":[{"consultation_id":21,"consulted_party":"party 1","status":"sent","waits_for":"representations from party 1"},` +
		`{"consultation_id":22,"consulted_party":"DFE","status":"representations_received","waits_for":"a decision-maker's consideration of DFE's representations"}]}`
	if string(b) != want {
		t.Errorf("JSON = %s", b)
	}

	for i := range all {
		all[i] = consultationIn([]ConsultationStatus{ConsultationConsidered, ConsultationWaived,
			ConsultationClosedWithoutRepresentations}[i])
	}
	if err := CheckDisclosureGate(all); err != nil {
		t.Errorf("all resolved: %v", err)
	}
	if err := CheckDisclosureGate(nil); err != nil {
		t.Errorf("no consultations: %v", err)
	}
}

func TestAdvanceNoticeDate(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		release string
		days    int
		want    string
		code    string
	}{
		{"2026-03-11", DefaultAdvanceNoticeWorkingDays, "2026-03-09", ""},
		{"2026-03-09", DefaultAdvanceNoticeWorkingDays, "2026-03-05", ""}, // over a weekend
		{"2026-04-07", DefaultAdvanceNoticeWorkingDays, "2026-04-01", ""}, // over Good Friday and Easter Monday
		{"2026-12-29", DefaultAdvanceNoticeWorkingDays, "2026-12-23", ""}, // over Christmas and Boxing Day (28th)
		{"2026-03-11", 1, "2026-03-10", ""},
		{"2026-03-11", 0, "2026-03-11", ""},
		{"2026-03-11", -1, "", EINVALID},
		{"", 2, "", EINVALID},
		{"2012-01-03", 2, "", EINVALID}, // before the calendar's range
	}
	for _, tt := range tests {
		var release calendar.Date
		if tt.release != "" {
			release = cdate(tt.release)
		}
		got, err := AdvanceNoticeDate(cal, release, tt.days)
		if tt.code != "" {
			if ErrorCode(err) != tt.code {
				t.Errorf("AdvanceNoticeDate(%s, %d) err = %v, want %s", tt.release, tt.days, err, tt.code)
			}
			continue
		}
		if err != nil || got != cdate(tt.want) {
			t.Errorf("AdvanceNoticeDate(%s, %d) = %s, %v; want %s", tt.release, tt.days, got, err, tt.want)
		}
	}
}

func TestCheckAdvanceNotice(t *testing.T) {
	dm := &User{ID: 1, Role: RoleDecisionMaker, PartyID: testPartyHO, Active: true}
	officer := &User{ID: 2, Role: RoleOfficer, PartyID: testPartyHO, Active: true}
	inactive := &User{ID: 3, Role: RoleDecisionMaker, PartyID: testPartyHO}
	tests := []struct {
		name    string
		actor   *User
		days    int
		reasons string
		code    string
	}{
		{"default needs nothing", officer, 2, "", ""},
		{"longer needs nothing", nil, 5, "", ""},
		{"decision-maker shortens with reasons", dm, 1, "Ministerial statement tomorrow.", ""},
		{"decision-maker shortens to zero with reasons", dm, 0, "Urgent.", ""},
		{"decision-maker without reasons", dm, 1, "  ", EINVALID},
		{"officer may not shorten", officer, 1, "Urgent.", EFORBIDDEN},
		{"inactive user", inactive, 1, "Urgent.", EUNAUTHORIZED},
		{"nobody", nil, 1, "Urgent.", EUNAUTHORIZED},
		{"negative", dm, -1, "Urgent.", EINVALID},
	}
	for _, tt := range tests {
		if err := CheckAdvanceNotice(tt.actor, tt.days, tt.reasons); ErrorCode(err) != tt.code {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.code)
		}
	}
	if err := CheckAdvanceNotice(dm, 1, ""); !hasFieldError(err, "reasons") {
		t.Errorf("missing reasons should name the field: %v", err)
	}
}
