package store_test

import (
	"context"
	"fmt"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// consultationSentTo counts the consultation_sent emails queued for consultation id.
func consultationSentTo(t *testing.T, d *store.DB, link string) int {
	t.Helper()
	msgs, err := d.ListOutbox(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}), foi.OutboxPending)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Template == foi.TmplConsultationSent && m.Link == link {
			n++
		}
	}
	return n
}

func TestConsultationDrafts_HeldEditedWithinTheBoundThenSent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		in := withHOAsset(newCaseInput("2026-02-20T16:30:00Z"))
		in.HoldConsultations = true
		c := w.mustCreate(t, w.officerCtx, in)
		k := onlyConsultation(t, w, c.ID)
		link := fmt.Sprintf("/consultations/%d", k.ID)
		if k.Status != foi.ConsultationDraft || k.ContactEmail != "" || !k.RespondBy.IsZero() || !k.SentOn.IsZero() ||
			c.Status != foi.StatusAwaitingRepresentations {
			t.Fatalf("held consultation %+v, case %s", k, c.Status)
		}
		if got, _ := d.CaseConsultations(w.officerCtx, c.ID); len(got.Blockers) != 1 {
			t.Errorf("a draft does not block: %+v", got.Blockers)
		}
		if n := consultationSentTo(t, d, link); n != 0 {
			t.Errorf("a held consultation queued %d emails", n)
		}
		// The consulted party does not know of a draft.
		if _, err := d.FindConsultation(w.liaisonCtx, k.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("liaison reads a draft: %v", err)
		}
		if inbox, err := d.FindConsultations(w.liaisonCtx, foi.ConsultationFilter{}); err != nil || len(inbox) != 0 {
			t.Errorf("liaison's inbox holds a draft: %+v %v", inbox, err)
		}

		cal := calendar.Default()
		limit, err := cal.SubtractWorkingDays(c.DueOn, foi.DefaultDecisionMarginWorkingDays)
		if err != nil {
			t.Fatal(err)
		}
		today := calendar.LondonDate(fixedNow)
		empty, question, info := " ", "Do you object to disclosing the counts?", "Counts of matches, 2025"
		tooLate := limit.AddDays(1)
		for _, tc := range []struct {
			name string
			ctx  context.Context
			ver  int64
			ch   foi.DraftChange
			code string
		}{
			{"liaison", w.liaisonCtx, 0, foi.DraftChange{Question: &question}, foi.ENOTFOUND},
			{"HO officer", w.hoCtx, 0, foi.DraftChange{Question: &question}, foi.ENOTFOUND},
			{"auditor", w.auditorCtx, 0, foi.DraftChange{Question: &question}, foi.EFORBIDDEN},
			{"stale version", w.officerCtx, k.Version + 1, foi.DraftChange{Question: &question}, foi.EPRECONDITION},
			{"empty question", w.officerCtx, 0, foi.DraftChange{Question: &empty}, foi.EINVALID},
			{"after the bound", w.officerCtx, 0, foi.DraftChange{RespondBy: &tooLate}, foi.EINVALID},
			{"today", w.officerCtx, 0, foi.DraftChange{RespondBy: &today}, foi.EINVALID},
		} {
			_, err := d.EditConsultationDraft(tc.ctx, k.ID, tc.ver, tc.ch)
			if foi.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if _, err := d.EditConsultationDraft(w.officerCtx, k.ID, 0, foi.DraftChange{RespondBy: &tooLate}); len(foi.ErrorFields(err)) != 1 ||
			foi.ErrorFields(err)[0].Field != "respond_by" {
			t.Errorf("after the bound: %v", foi.ErrorFields(err))
		}
		if got := onlyConsultation(t, w, c.ID); got.Version != k.Version || got.Question != k.Question || !got.RespondBy.IsZero() {
			t.Fatalf("refused edits changed the draft: %+v", got)
		}

		edited, err := d.EditConsultationDraft(w.officerCtx, k.ID, k.Version, foi.DraftChange{Question: &question,
			InformationAtIssue: &info, RespondBy: &limit})
		if err != nil || edited.Question != question || edited.InformationAtIssue != info || edited.RespondBy != limit ||
			edited.Status != foi.ConsultationDraft || edited.Version != k.Version+1 {
			t.Fatalf("edit: %+v, %v", edited, err)
		}
		if _, err := d.SendConsultation(w.auditorCtx, k.ID, 0); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Errorf("auditor sends: %v", err)
		}
		if _, err := d.SendConsultation(w.liaisonCtx, k.ID, 0); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("liaison sends: %v", err)
		}
		if _, err := d.SendConsultation(w.officerCtx, k.ID, k.Version); foi.ErrorCode(err) != foi.EPRECONDITION {
			t.Errorf("stale send: %v", err)
		}
		if n := consultationSentTo(t, d, link); n != 0 {
			t.Fatalf("refused sends queued %d emails", n)
		}
		sent, err := d.SendConsultation(w.dmCtx, k.ID, edited.Version)
		if err != nil || sent.Status != foi.ConsultationSent || sent.SentOn != today || sent.RespondBy != limit ||
			sent.ContactEmail != "foi.requests@homeoffice.example" || sent.Question != question {
			t.Fatalf("send: %+v, %v", sent, err)
		}
		if n := consultationSentTo(t, d, link); n != 1 {
			t.Errorf("send queued %d emails, want 1", n)
		}
		if _, err := d.SendConsultation(w.officerCtx, k.ID, 0); foi.ErrorCode(err) != foi.ECONFLICT {
			t.Errorf("sent twice: %v", err)
		}
		if _, err := d.EditConsultationDraft(w.officerCtx, k.ID, 0, foi.DraftChange{Question: &question}); foi.ErrorCode(err) != foi.ECONFLICT {
			t.Errorf("edit after sending: %v", err)
		}
		if detail, err := d.FindConsultation(w.liaisonCtx, k.ID); err != nil || detail.Pack.Question != question {
			t.Errorf("liaison reads the sent pack: %+v %v", detail.Pack, err)
		}
		for action, want := range map[string]int{"consultation.draft.edit": 1, "consultation.send": 1} {
			if n := countAudit(t, d, action); n != want {
				t.Errorf("%s: %d events, want %d", action, n, want)
			}
		}
	})
}

func TestConsultationDrafts_HeldOnUpdateAndUnsendableWithoutAnFOIContact(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))
		codes := []string{"cid-person-records"}
		if _, err := d.UpdateCase(w.officerCtx, c.ID, 0, foi.CaseUpdate{AssetCodes: &codes, HoldConsultations: true}); err != nil {
			t.Fatal(err)
		}
		k := onlyConsultation(t, w, c.ID)
		if k.Status != foi.ConsultationDraft {
			t.Fatalf("consultation %s, want draft", k.Status)
		}
		// HO's business-as-usual FOI contact is made inactive: there is nobody to send to.
		admin := userCtx(mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, ""))
		r, err := d.Registers(admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, ct := range r.Contacts {
			if ct.Email == "foi.requests@homeoffice.example" {
				ct.Active = false
				if _, err := d.UpdateContact(admin, ct.ID, foi.NewContact{PartyCode: "HO", Contact: ct}); err != nil {
					t.Fatal(err)
				}
			}
		}
		_, err = d.SendConsultation(w.officerCtx, k.ID, 0)
		if foi.ErrorCode(err) != foi.EINVALID || len(foi.ErrorFields(err)) == 0 || foi.ErrorFields(err)[0].Field != "contact_email" {
			t.Fatalf("send without a contact: %v %v", err, foi.ErrorFields(err))
		}
		if got := onlyConsultation(t, w, k.CaseID); got.Status != foi.ConsultationDraft || got.Version != k.Version {
			t.Fatalf("a refused send changed the draft: %+v", got)
		}
	})
}
