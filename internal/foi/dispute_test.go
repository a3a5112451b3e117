package foi

import (
	"slices"
	"testing"

	"foidesk/internal/calendar"
)

func TestDisputeLadder_DatesAndDeadlineWarnings(t *testing.T) {
	cal := calendar.Default()
	type step struct {
		do      string // "open", "escalate", "formal", "resolve"
		on      string
		ends    string
		warning string
	}
	tests := []struct {
		name  string
		due   string
		steps []step
	}{
		{"well inside the deadline", "2026-03-31", []step{
			{"open", "2026-03-02", "2026-03-04", ""},
			{"escalate", "2026-03-04", "2026-03-06", ""},
			// 20 working days skip St Patrick's Day (a bank holiday in Northern Ireland), Good Friday and Easter Monday.
			{"formal", "2026-03-06", "2026-04-08", "The formal-notification period ends 2026-04-08, after the statutory " +
				"deadline 2026-03-31: the response must not wait for it."},
			{"resolve", "2026-03-20", "", ""},
		}},
		{"the brief's example, escalated early", "2026-03-31", []step{
			{"open", "2026-03-09", "2026-03-11", ""},
			{"escalate", "2026-03-10", "2026-03-12", ""},
			{"formal", "2026-03-12", "2026-04-14", "The formal-notification period ends 2026-04-14, after the statutory " +
				"deadline 2026-03-31: the response must not wait for it."},
		}},
		{"late dispute: every step warns", "2026-03-31", []step{
			{"open", "2026-03-30", "2026-04-01", "The business-as-usual period ends 2026-04-01, after the statutory " +
				"deadline 2026-03-31: the response must not wait for it."},
			{"escalate", "2026-03-31", "2026-04-02", "The escalation period ends 2026-04-02, after the statutory " +
				"deadline 2026-03-31: the response must not wait for it."},
			{"resolve", "2026-04-01", "", ""},
		}},
		{"ending on the deadline itself does not warn", "2026-03-31", []step{
			{"open", "2026-03-27", "2026-03-31", ""}, // Friday: Monday, Tuesday
		}},
		{"resolved at the BAU step", "2027-01-20", []step{
			{"open", "2026-12-23", "2026-12-29", ""}, // over Christmas Day and Boxing Day (substitute 28th)
			{"resolve", "2026-12-24", "", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dis Dispute
			due := cdate(tt.due)
			for i, s := range tt.steps {
				var warning string
				var err error
				switch s.do {
				case "open":
					dis, warning, err = OpenDispute(4, cdate(s.on), cal, due)
				case "escalate":
					warning, err = dis.Escalate(cdate(s.on), cal, due)
				case "formal":
					warning, err = dis.FormalNotification(cdate(s.on), cal, due)
				case "resolve":
					err = dis.Resolve(" Settled: disclose with the agreed redactions. ", cdate(s.on))
				}
				if err != nil {
					t.Fatalf("step %d (%s): %v", i, s.do, err)
				}
				if warning != s.warning {
					t.Errorf("step %d (%s): warning %q, want %q", i, s.do, warning, s.warning)
				}
				h := dis.History[len(dis.History)-1]
				if s.do == "resolve" {
					if dis.Step != DisputeResolved || !dis.StepEndsOn.IsZero() || dis.ResolvedOn != cdate(s.on) ||
						dis.Outcome != "Settled: disclose with the agreed redactions." || h.Stage != DisputeResolved {
						t.Errorf("resolved dispute = %+v", dis)
					}
					continue
				}
				if dis.StepEndsOn != cdate(s.ends) || h.EndsOn != cdate(s.ends) || h.StartedOn != cdate(s.on) ||
					h.Warning != s.warning {
					t.Errorf("step %d (%s): ends %s (history %+v), want %s", i, s.do, dis.StepEndsOn, h, s.ends)
				}
			}
			if len(dis.History) != len(tt.steps) || dis.ConsultationID != 4 || dis.OpenedOn != cdate(tt.steps[0].on) {
				t.Errorf("dispute = %+v", dis)
			}
		})
	}
}

func TestDispute_EscalationPeriodIsConfigurable(t *testing.T) {
	cal := calendar.Default()
	dis, _, err := OpenDispute(4, cdate("2026-03-02"), cal, calendar.Date{})
	if err != nil {
		t.Fatal(err)
	}
	dis.EscalationWorkingDays = 5
	if _, err := dis.Escalate(cdate("2026-03-04"), cal, calendar.Date{}); err != nil || dis.StepEndsOn != cdate("2026-03-11") {
		t.Errorf("err %v ends %s, want 2026-03-11", err, dis.StepEndsOn)
	}
	dis2, _, _ := OpenDispute(4, cdate("2026-03-02"), cal, calendar.Date{})
	dis2.EscalationWorkingDays = -1
	if _, err := dis2.Escalate(cdate("2026-03-04"), cal, calendar.Date{}); ErrorCode(err) != EINVALID || dis2.Step != DisputeBAU {
		t.Errorf("negative escalation period: %v", err)
	}
}

func TestDispute_IllegalMoves(t *testing.T) {
	cal := calendar.Default()
	at := func(stage DisputeStage) Dispute {
		dis, _, err := OpenDispute(4, cdate("2026-03-02"), cal, calendar.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if stage == DisputeEscalation || stage == DisputeFormal {
			if _, err := dis.Escalate(cdate("2026-03-03"), cal, calendar.Date{}); err != nil {
				t.Fatal(err)
			}
		}
		if stage == DisputeFormal {
			if _, err := dis.FormalNotification(cdate("2026-03-04"), cal, calendar.Date{}); err != nil {
				t.Fatal(err)
			}
		}
		if stage == DisputeResolved {
			if err := dis.Resolve("Settled.", cdate("2026-03-03")); err != nil {
				t.Fatal(err)
			}
		}
		return dis
	}
	moves := map[DisputeStage]func(dis *Dispute) error{
		DisputeEscalation: func(dis *Dispute) error {
			_, err := dis.Escalate(cdate("2026-03-05"), cal, calendar.Date{})
			return err
		},
		DisputeFormal: func(dis *Dispute) error {
			_, err := dis.FormalNotification(cdate("2026-03-05"), cal, calendar.Date{})
			return err
		},
		DisputeResolved: func(dis *Dispute) error { return dis.Resolve("Settled.", cdate("2026-03-05")) },
	}
	for _, from := range []DisputeStage{DisputeBAU, DisputeEscalation, DisputeFormal, DisputeResolved} {
		allowed := DisputeNextStages(from)
		for to, move := range moves {
			dis := at(from)
			before := len(dis.History)
			err := move(&dis)
			if slices.Contains(allowed, to) {
				if err != nil || dis.Step != to {
					t.Errorf("%s -> %s: err %v, step %s", from, to, err, dis.Step)
				}
				continue
			}
			if ErrorCode(err) != ECONFLICT || dis.Step != from || len(dis.History) != before {
				t.Errorf("%s -> %s: err %v, step %s, want conflict and no change", from, to, err, dis.Step)
				continue
			}
			names := make([]string, len(allowed))
			for i, s := range allowed {
				names[i] = string(s)
			}
			detail := err.(*Error).Detail
			if got := detail["allowed"].([]string); !slices.Equal(got, names) || detail["step"] != string(from) {
				t.Errorf("%s -> %s: detail %v, want allowed %v", from, to, detail, names)
			}
		}
	}
	dis := at(DisputeBAU)
	_, err := dis.FormalNotification(cdate("2026-03-05"), cal, calendar.Date{})
	if want := "A dispute at the business as usual step cannot move to formal notification. It can move to " +
		"escalation or resolved."; ErrorMessage(err) != want {
		t.Errorf("message = %q", ErrorMessage(err))
	}
}

func TestDispute_BadInput(t *testing.T) {
	cal := calendar.Default()
	if _, _, err := OpenDispute(4, calendar.Date{}, cal, calendar.Date{}); ErrorCode(err) != EINVALID {
		t.Errorf("zero date: %v", err)
	}
	if _, _, err := OpenDispute(4, cdate("2099-12-31"), cal, calendar.Date{}); ErrorCode(err) != EINVALID {
		t.Errorf("out of range: %v", err)
	}
	dis, _, _ := OpenDispute(4, cdate("2026-03-04"), cal, calendar.Date{})
	if _, err := dis.Escalate(cdate("2026-03-03"), cal, calendar.Date{}); ErrorCode(err) != EINVALID || dis.Step != DisputeBAU {
		t.Errorf("escalation before the dispute opened: %v", err)
	}
	if err := dis.Resolve("  ", cdate("2026-03-05")); !hasFieldError(err, "outcome") || dis.Step != DisputeBAU {
		t.Errorf("empty outcome: %v", err)
	}
	if err := dis.Resolve("Settled.", cdate("2026-03-03")); !hasFieldError(err, "resolved_on") {
		t.Errorf("resolved before it opened: %v", err)
	}
}

func TestDispute_Overdue(t *testing.T) {
	dis, _, _ := OpenDispute(4, cdate("2026-03-02"), calendar.Default(), calendar.Date{})
	for _, tc := range []struct {
		today string
		want  bool
	}{{"2026-03-03", false}, {"2026-03-04", false}, {"2026-03-05", true}} {
		if got := dis.Overdue(cdate(tc.today)); got != tc.want {
			t.Errorf("Overdue(%s) = %v, want %v", tc.today, got, tc.want)
		}
	}
	_ = dis.Resolve("Settled.", cdate("2026-03-04"))
	if dis.Overdue(cdate("2026-04-01")) {
		t.Error("a resolved dispute is never overdue")
	}
}

func TestDisputeStage_Labels(t *testing.T) {
	for _, s := range DisputeStages {
		if !s.Valid() || s.Label() == string(s) {
			t.Errorf("%s: Valid %v Label %q", s, s.Valid(), s.Label())
		}
	}
	if DisputeStage("x").Valid() || DisputeNextStages("x") != nil || DisputeNextStages(DisputeResolved) != nil {
		t.Error("unknown and resolved stages have no next stages")
	}
	if DisputeDeadlineWarning(DisputeFormal, cdate("2026-04-14"), calendar.Date{}) != "" {
		t.Error("no deadline, no warning")
	}
}
