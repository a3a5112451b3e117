package foi

import (
	"testing"

	"foidesk/internal/calendar"
)

func TestEditDraft_BoundsRespondByAndSendKeepsTheChosenDate(t *testing.T) {
	cal := calendar.Default()
	due := cdate("2026-03-23") // 17 March is a bank holiday in Northern Ireland: the bound is 13 March
	today := cdate("2026-03-02")
	c := consultationIn(ConsultationDraft)
	before := c
	for _, by := range []string{"2026-03-02", "2026-03-01", "2026-03-16"} {
		d := cdate(by)
		if err := c.EditDraft(DraftChange{RespondBy: &d}, today, cal, due, DefaultDecisionMarginWorkingDays); !hasFieldError(err, "respond_by") {
			t.Errorf("respond_by %s: %v", by, err)
		}
	}
	empty := " "
	if err := c.EditDraft(DraftChange{Question: &empty}, today, cal, due, 5); !hasFieldError(err, "question") {
		t.Errorf("empty question: %v", err)
	}
	if c.Question != before.Question || !c.RespondBy.IsZero() {
		t.Fatalf("refused edits changed the draft: %+v", c)
	}
	bound, q := cdate("2026-03-13"), " Do you object? "
	if err := c.EditDraft(DraftChange{Question: &q, RespondBy: &bound}, today, cal, due, 5); err != nil ||
		c.Question != "Do you object?" || c.RespondBy != bound {
		t.Fatalf("edit: %v %+v", err, c)
	}
	// Sent later, the chosen date must still lie ahead.
	late := c
	if _, err := late.Send(cdate("2026-03-13"), cal, due, 0, 5); !hasFieldError(err, "respond_by") || late.Status != ConsultationDraft {
		t.Errorf("sent on the chosen date: %v %s", err, late.Status)
	}
	if w, err := c.Send(today, cal, due, 0, 5); err != nil || w != "" || c.RespondBy != bound || c.SentOn != today ||
		c.Status != ConsultationSent {
		t.Fatalf("send: %v %q %+v", err, w, c)
	}
	if err := c.EditDraft(DraftChange{Question: &q}, today, cal, due, 5); ErrorCode(err) != ECONFLICT {
		t.Errorf("edit a sent consultation: %v", err)
	}
	if _, err := c.AttachmentVersion(); ErrorCode(err) != ECONFLICT {
		t.Errorf("attach before representations: %v", err)
	}
	if err := c.SubmitRepresentation(objection(), submittedAt); err != nil {
		t.Fatal(err)
	}
	if v, err := c.AttachmentVersion(); err != nil || v != 1 {
		t.Errorf("attach to version %d: %v", v, err)
	}
}

func TestHiddenFrom_ADraftOnlyToTheConsultedParty(t *testing.T) {
	c := consultationIn(ConsultationDraft)
	owner, consulted := &User{PartyID: c.OwnerPartyID}, &User{PartyID: c.ConsultedPartyID}
	if c.HiddenFrom(owner) || !c.HiddenFrom(consulted) || c.HiddenFrom(nil) {
		t.Error("a draft is hidden from the consulted party only")
	}
	c.Status = ConsultationSent
	if c.HiddenFrom(consulted) {
		t.Error("a sent consultation is hidden from the consulted party")
	}
}

func TestAddMonthsAndTheExchangeReviewRule(t *testing.T) {
	for in, want := range map[string]string{"2025-08-31": "2026-02-28", "2027-08-31": "2028-02-29",
		"2026-01-15": "2026-07-15", "2026-12-31": "2027-06-30"} {
		if got := AddMonths(cdate(in), 6); got != cdate(want) {
			t.Errorf("%s + 6 months = %s, want %s", in, got, want)
		}
	}
	x := NewExchange{Reference: " mou-a6 ", Title: "T", LegalBasis: "L", BusinessOwner: "O",
		StartOn: cdate("2026-01-31"), ReviewOn: cdate("2026-07-31")}
	if err := x.Validate(); err != nil || x.Reference != "MOU-A6" {
		t.Fatalf("valid exchange: %v %+v", err, x)
	}
	x.ReviewOn = cdate("2026-08-01")
	if err := x.Validate(); !hasFieldError(err, "review_on") {
		t.Errorf("review after 6 months: %v", err)
	}
	x.ReviewedOn = cdate("2026-07-01")
	if err := x.Validate(); err != nil {
		t.Errorf("review within 6 months of the last: %v", err)
	}
	x.ReviewOn = cdate("2026-07-01")
	if err := x.Validate(); !hasFieldError(err, "review_on") {
		t.Errorf("review on the day of the last: %v", err)
	}
	// A change that touches no date is not held to the rule.
	old := NewExchange{Reference: "OLD", Title: "T", LegalBasis: "L", BusinessOwner: "O",
		StartOn: cdate("2015-07-01"), ReviewOn: cdate("2016-01-02")} // recorded before the rule was kept
	if err := old.Validate(); !hasFieldError(err, "review_on") {
		t.Fatalf("the old exchange breaks the rule: %v", err)
	}
	title := "Retitled"
	if got, err := (ExchangeChange{Title: &title}).Check(old); err != nil || got.Title != title {
		t.Errorf("retitle an old exchange: %v", err)
	}
	later := cdate("2016-01-31")
	if _, err := (ExchangeChange{ReviewOn: &later}).Check(old); !hasFieldError(err, "review_on") {
		t.Errorf("a new date outside the rule: %v", err)
	}
}
