package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// partialDraft withholds part under a qualified exemption (with its public interest test) and an absolute one.
func partialDraft() foi.ResponseDraft {
	return foi.ResponseDraft{Outcome: foi.OutcomePartiallyWithheld, Exemptions: []string{"40(2)", "s.31(1)(e)"},
		PublicInterest: map[string]foi.PublicInterestTest{"31(1)(e)": {FavourDisclosure: "Transparency.",
			FavourWithholding: "Immigration controls.", Conclusion: "The balance favours withholding."}}}
}

// responseEmails returns the outbox rows of the response email.
func responseEmails(t *testing.T, d *store.DB) []foi.OutboxEntry {
	t.Helper()
	es, err := d.ListOutbox(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorSystem}), "")
	if err != nil {
		t.Fatal(err)
	}
	var out []foi.OutboxEntry
	for _, e := range es {
		if e.Template == foi.TmplResponseSent {
			out = append(out, e)
		}
	}
	return out
}

func errFields(err error) []string {
	var out []string
	for _, f := range foi.ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestResponse_OfficerDraftsDecisionMakerApprovesAndTheEmailIsQueued(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))

		res, err := d.RecordResponse(w.officerCtx, c.ID, c.Version, partialDraft())
		if err != nil {
			t.Fatalf("draft: %v %v", err, foi.ErrorFields(err))
		}
		// received -> in_progress -> pending_approval, in one write.
		if res.Case.Status != foi.StatusPendingApproval || res.Case.Version != c.Version+1 || res.EmailQueued {
			t.Fatalf("after the draft: %s v%d queued=%v", res.Case.Status, res.Case.Version, res.EmailQueued)
		}
		if res.Case.Outcome != foi.OutcomePartiallyWithheld || res.Response.Status != foi.ResponsePendingApproval {
			t.Errorf("outcome %s, response %s", res.Case.Outcome, res.Response.Status)
		}
		letter := res.Response.Letter
		for _, want := range []string{"s.31(1)(e)", "s.40(2)", "The balance favours withholding.", "Department for Education",
			"DFE-FOI-2026-000001", "Dear Ada Requester", "Information Commissioner"} {
			if !strings.Contains(letter, want) {
				t.Errorf("the rendered refusal notice lacks %q:\n%s", want, letter)
			}
		}
		if n := len(responseEmails(t, d)); n != 0 {
			t.Fatalf("%d emails queued by a draft", n)
		}

		// An officer cannot approve; another party cannot even see the case.
		_, err = d.ApproveResponse(w.officerCtx, c.ID, 0)
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.ApproveResponse(w.hoCtx, c.ID, 0)
		wantCode(t, err, foi.ENOTFOUND)
		_, err = d.FindResponse(w.liaisonCtx, c.ID)
		wantCode(t, err, foi.ENOTFOUND)
		_, err = d.ApproveResponse(w.dmCtx, c.ID, c.Version) // stale If-Match
		wantCode(t, err, foi.EPRECONDITION)

		res, err = d.ApproveResponse(w.dmCtx, c.ID, res.Case.Version)
		if err != nil {
			t.Fatalf("approve: %v", err)
		}
		if res.Case.Status != foi.StatusResponded || !res.EmailQueued || res.Response.Status != foi.ResponseApproved ||
			res.Response.ApprovedBy != w.dfeDM.ID || res.Response.Delivery != foi.DeliveryEmail {
			t.Fatalf("after approval: %s queued=%v %+v", res.Case.Status, res.EmailQueued, res.Response)
		}
		emails := responseEmails(t, d)
		if len(emails) != 1 || emails[0].To != "ada@example.org" || emails[0].Data["letter"] != letter ||
			emails[0].Data["case_reference"] != c.Reference {
			t.Fatalf("response emails = %+v", emails)
		}
		for k := range emails[0].Data {
			if !slices.Contains(foi.NotificationTemplates[foi.TmplResponseSent], k) {
				t.Errorf("the email carries %s", k)
			}
		}
		got, err := d.FindResponse(w.auditorCtx, c.ID)
		if err != nil || got.Status != foi.ResponseApproved || got.RespondedOn != calendar.NewDate(2026, 3, 2) ||
			got.DraftedBy != w.dfeOfficer.ID || len(got.Exemptions) != 2 || got.Exemptions[0].Section != "31(1)(e)" ||
			got.Exemptions[0].PIT == nil || got.Exemptions[1].PIT != nil {
			t.Fatalf("find: %+v %v", got, err)
		}
		_, err = d.ApproveResponse(w.dmCtx, c.ID, 0)
		wantCode(t, err, foi.ECONFLICT)
		_, err = d.RecordResponse(w.dmCtx, c.ID, 0, partialDraft())
		wantCode(t, err, foi.ECONFLICT)
	})
}

func TestResponse_DecisionMakerApprovesAtOnceFromInProgress(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))
		c, err := d.TransitionCase(w.officerCtx, c.ID, 0, foi.StatusInProgress, "")
		if err != nil {
			t.Fatal(err)
		}
		// The default full response leaves notes to complete: approving it as is would send them.
		_, err = d.RecordResponse(w.dmCtx, c.ID, 0, foi.ResponseDraft{Outcome: foi.OutcomeGrantedInFull})
		wantCode(t, err, foi.EINVALID)
		if f := errFields(err); len(f) != 1 || f[0] != "letter" {
			t.Errorf("fields %v", f)
		}
		res, err := d.RecordResponse(w.dmCtx, c.ID, c.Version, foi.ResponseDraft{Outcome: foi.OutcomeGrantedInFull,
			Letter: "Dear Ada,\n\nHere is the information.\n"})
		if err != nil {
			t.Fatalf("approve at once: %v %v", err, foi.ErrorFields(err))
		}
		if res.Case.Status != foi.StatusResponded || !res.EmailQueued || res.Response.Status != foi.ResponseApproved {
			t.Fatalf("%s queued=%v %s", res.Case.Status, res.EmailQueued, res.Response.Status)
		}
		if n := len(responseEmails(t, d)); n != 1 {
			t.Fatalf("%d response emails", n)
		}
	})
}

func TestResponse_BadDecisionsAre422AndStoreNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))
		_, err := d.RecordResponse(w.officerCtx, c.ID, 0, foi.ResponseDraft{Outcome: foi.OutcomeWithheldInFull,
			Exemptions: []string{"31(1)(e)"}})
		wantCode(t, err, foi.EINVALID)
		if f := errFields(err); !slices.Contains(f, "public_interest.31(1)(e)") {
			t.Errorf("fields %v", f)
		}
		_, err = d.FindResponse(w.officerCtx, c.ID)
		wantCode(t, err, foi.ENOTFOUND)
		if got, _ := d.FindCaseByID(w.officerCtx, c.ID); got.Status != foi.StatusReceived || got.Version != c.Version {
			t.Errorf("the case changed: %s v%d", got.Status, got.Version)
		}

		in := newCaseInput("2026-02-20T16:30:00Z")
		in.Regime = calendar.RegimeEIR
		e := w.mustCreate(t, w.officerCtx, in)
		_, err = d.RecordResponse(w.dmCtx, e.ID, 0, foi.ResponseDraft{Outcome: foi.OutcomeRefusedCost})
		wantCode(t, err, foi.EINVALID)
		if f := errFields(err); len(f) != 1 || f[0] != "outcome" {
			t.Errorf("fields %v", f)
		}
		_, err = d.RecordResponse(w.hoCtx, c.ID, 0, partialDraft())
		wantCode(t, err, foi.ENOTFOUND)
		_, err = d.RecordResponse(w.auditorCtx, c.ID, 0, partialDraft())
		wantCode(t, err, foi.EFORBIDDEN)
	})
}

func TestResponse_ReturnAndPostalDelivery(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		in := newCaseInput("2026-02-20T16:30:00Z")
		in.Channel, in.Requester.Email, in.Requester.Address = foi.ChannelPost, "", "1 High Street, Leeds"
		c := w.mustCreate(t, w.officerCtx, in)
		if _, err := d.RecordResponse(w.officerCtx, c.ID, 0, partialDraft()); err != nil {
			t.Fatal(err)
		}
		_, err := d.ReturnResponse(w.dmCtx, c.ID, 0, " ")
		wantCode(t, err, foi.EINVALID)
		_, err = d.ReturnResponse(w.officerCtx, c.ID, 0, "Check")
		wantCode(t, err, foi.EFORBIDDEN)
		res, err := d.ReturnResponse(w.dmCtx, c.ID, 0, "Explain the s.31 harm more fully.")
		if err != nil || res.Case.Status != foi.StatusInProgress {
			t.Fatalf("return: %v", err)
		}
		got, err := d.FindResponse(w.officerCtx, c.ID)
		if err != nil || got.Status != foi.ResponseReturned || got.ReturnReason != "Explain the s.31 harm more fully." ||
			got.ReturnedBy != "dm@dfe.test" {
			t.Fatalf("returned draft: %+v %v", got, err)
		}
		_, err = d.ApproveResponse(w.dmCtx, c.ID, 0)
		wantCode(t, err, foi.ECONFLICT)

		// Redrafted and approved: no email address, so the letter goes by post and nothing is queued.
		if _, err := d.RecordResponse(w.officerCtx, c.ID, 0, partialDraft()); err != nil {
			t.Fatal(err)
		}
		res, err = d.ApproveResponse(w.dmCtx, c.ID, 0)
		if err != nil || res.EmailQueued || res.Response.Delivery != foi.DeliveryPost || res.Case.Status != foi.StatusResponded {
			t.Fatalf("postal approval: %+v %v", res, err)
		}
		if n := len(responseEmails(t, d)); n != 0 {
			t.Fatalf("%d emails for a postal requester", n)
		}
	})
}

// respond records and approves a response to a new case, so the case is responded on 2 March 2026.
func (w *caseWorld) respond(t *testing.T) *foi.Case {
	t.Helper()
	c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))
	res, err := w.d.RecordResponse(w.dmCtx, c.ID, 0, partialDraft())
	if err != nil {
		t.Fatal(err)
	}
	return res.Case
}

func TestInternalReview_TargetsDecisionAndLateWarning(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		open := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))
		_, err := d.RequestInternalReview(w.officerCtx, open.ID, 0, calendar.NewDate(2026, 3, 2))
		wantCode(t, err, foi.ECONFLICT)

		c := w.respond(t)
		_, err = d.RequestInternalReview(w.officerCtx, c.ID, 0, calendar.NewDate(2026, 3, 3))
		wantCode(t, err, foi.EINVALID) // in the future
		res, err := d.RequestInternalReview(w.officerCtx, c.ID, c.Version, calendar.NewDate(2026, 3, 2))
		if err != nil {
			t.Fatal(err)
		}
		// 20 working days (St Patrick's Day skipped) and 40 (Good Friday and Easter Monday too).
		if r := res.Review; r.TargetOn != calendar.NewDate(2026, 3, 31) || r.LongstopOn != calendar.NewDate(2026, 4, 30) ||
			r.Late || len(res.Warnings) != 0 || res.Case.Version != c.Version+1 {
			t.Fatalf("review = %+v %v", res, res.Warnings)
		}
		_, err = d.RequestInternalReview(w.officerCtx, c.ID, 0, calendar.NewDate(2026, 3, 2))
		wantCode(t, err, foi.ECONFLICT)
		_, err = d.DecideInternalReview(w.officerCtx, c.ID, 0, calendar.NewDate(2026, 3, 2), foi.ReviewUpheld)
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.DecideInternalReview(w.dmCtx, c.ID, 0, calendar.NewDate(2026, 3, 2), "maybe")
		wantCode(t, err, foi.EINVALID)
		dec, err := d.DecideInternalReview(w.dmCtx, c.ID, 0, calendar.NewDate(2026, 3, 2), foi.ReviewUpheldInPart)
		if err != nil || dec.Review.Outcome != foi.ReviewUpheldInPart {
			t.Fatalf("decide: %+v %v", dec, err)
		}
		got, err := d.FindInternalReview(w.auditorCtx, c.ID)
		if err != nil || got.DecidedOn != calendar.NewDate(2026, 3, 2) || got.TargetOn != res.Review.TargetOn {
			t.Fatalf("find: %+v %v", got, err)
		}
		_, err = d.FindInternalReview(w.hoCtx, c.ID)
		wantCode(t, err, foi.ENOTFOUND)

		// Three months on, a review of a fresh response is late: recorded, with a warning.
		late := w.respond(t)
		d.Now = func() time.Time { return fixedNow.AddDate(0, 3, 0) }
		res, err = d.RequestInternalReview(w.officerCtx, late.ID, 0, calendar.NewDate(2026, 6, 1))
		if err != nil || !res.Review.Late || len(res.Warnings) != 1 {
			t.Fatalf("late review: %+v %v", res, err)
		}
	})
}

func TestICOAppeal_ComplianceDateIsNoticePlus35Days(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.respond(t)
		_, err := d.RecordICODecision(w.officerCtx, c.ID, 0, calendar.NewDate(2026, 3, 2), foi.ICOUpheld, false)
		wantCode(t, err, foi.ECONFLICT)
		d.Now = func() time.Time { return fixedNow.AddDate(0, 3, 0) }
		res, err := d.RecordICOComplaint(w.officerCtx, c.ID, 0, calendar.NewDate(2026, 5, 1))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != 2 { // no internal review; over six weeks after the response
			t.Errorf("warnings = %v", res.Warnings)
		}
		_, err = d.RecordICOComplaint(w.officerCtx, c.ID, 0, calendar.NewDate(2026, 5, 1))
		wantCode(t, err, foi.ECONFLICT)
		_, err = d.RecordICODecision(w.officerCtx, c.ID, 0, calendar.NewDate(2026, 4, 1), foi.ICOUpheld, false)
		wantCode(t, err, foi.EINVALID) // before the complaint
		dec, err := d.RecordICODecision(w.officerCtx, c.ID, 0, calendar.NewDate(2026, 6, 1), foi.ICOUpheld, true)
		if err != nil || dec.Appeal.ComplianceOn != calendar.NewDate(2026, 7, 6) || !dec.Appeal.Tribunal {
			t.Fatalf("decision: %+v %v", dec, err)
		}
		got, err := d.FindICOAppeal(w.officerCtx, c.ID)
		if err != nil || got.ComplianceOn != calendar.NewDate(2026, 7, 6) || got.Outcome != foi.ICOUpheld {
			t.Fatalf("find: %+v %v", got, err)
		}
		_, err = d.RecordICOComplaint(w.hoCtx, c.ID, 0, calendar.NewDate(2026, 5, 1))
		wantCode(t, err, foi.ENOTFOUND)
	})
}

func TestLetterTemplates_AdminEditsOverrideDefaultsAndRenderForCases(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		admin := userCtx(mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, ""))
		ts, err := d.LetterTemplates(w.officerCtx)
		if err != nil || len(ts) != len(foi.LetterKeys) || ts[0].Custom {
			t.Fatalf("templates: %d %v", len(ts), err)
		}
		_, err = d.SetLetterTemplate(w.officerCtx, foi.LetterAcknowledgement, "", "Hi")
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.SetLetterTemplate(admin, foi.LetterAcknowledgement, "", "Dear {{.Nobody}}")
		wantCode(t, err, foi.EINVALID)
		_, err = d.SetLetterTemplate(admin, "nope", "", "Hi")
		wantCode(t, err, foi.ENOTFOUND)
		t1, err := d.SetLetterTemplate(admin, foi.LetterAcknowledgement, "", "Received {{.Reference}} on {{.ReceivedOn}}, signed {{.OfficerName}}.")
		if err != nil || !t1.Custom || t1.Title != "Acknowledgement of your request" {
			t.Fatalf("set: %+v %v", t1, err)
		}
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))
		l, err := d.RenderCaseLetter(w.officerCtx, c.ID, foi.LetterAcknowledgement)
		if err != nil || l.Text != "Received DFE-FOI-2026-000001 on 20 February 2026, signed Test officer.\n" {
			t.Fatalf("render: %q %v", l.Text, err)
		}
		_, err = d.RenderCaseLetter(w.auditorCtx, c.ID, foi.LetterAcknowledgement)
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.RenderCaseLetter(w.hoCtx, c.ID, foi.LetterAcknowledgement)
		wantCode(t, err, foi.ENOTFOUND)
		_, err = d.RenderCaseLetter(w.officerCtx, c.ID, "nope")
		wantCode(t, err, foi.ENOTFOUND)
	})
}
