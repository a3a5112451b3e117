package store_test

import (
	"strings"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// withHOAsset is newCaseInput touching HO's cid-person-records.
func withHOAsset(in foi.NewCase) foi.NewCase {
	in.AssetCodes = []string{"cid-person-records"}
	return in
}

func TestConsultations_CreatedAndSentWithTheCaseAndTheGateHoldsUntilConsidered(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		// Created already awaiting representations, in one write.
		if c.Status != foi.StatusAwaitingRepresentations || c.Version != 1 {
			t.Errorf("case status %s version %d", c.Status, c.Version)
		}
		got, err := d.CaseConsultations(w.officerCtx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Consultations) != 1 || len(got.Blockers) != 1 {
			t.Fatalf("consultations %+v", got)
		}
		k := got.Consultations[0]
		if k.ConsultedPartyCode != "HO" || k.Status != foi.ConsultationSent || k.SentOn != calendar.NewDate(2026, 3, 2) ||
			k.RespondBy != calendar.NewDate(2026, 3, 9) || k.ContactEmail != "foi.requests@homeoffice.example" || k.Regime != calendar.RegimeFOIA {
			t.Fatalf("consultation %+v", k)
		}
		if n := countAudit(t, d, "consultation.create"); n != 1 {
			t.Errorf("consultation.create audited %d times", n)
		}
		// Other parties' users cannot list the case's consultations.
		if _, err := d.CaseConsultations(w.liaisonCtx, c.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("liaison lists the case's consultations: %v", err)
		}

		// The liaison reads the pack (audited), without the requester.
		detail, err := d.FindConsultation(w.liaisonCtx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if detail.Pack.RequestText == "" || strings.Contains(detail.Pack.RequestText, "Ada") || detail.OwnerPartyCode != "DFE" {
			t.Errorf("pack %+v", detail.Pack)
		}
		if n := countAudit(t, d, "consultation.read"); n != 1 {
			t.Errorf("consultation.read audited %d times", n)
		}
		if _, err := d.FindConsultation(w.hoCtx, k.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("HO officer reads the pack: %v", err)
		}
		// A liaison of a third party (inserted behind the store's back: the registers have no party API yet)
		// cannot know the consultation exists.
		if _, err := store.RawDB(d).Exec("INSERT INTO parties (code, name, created_at) VALUES ($1, $2, $3)",
			"MOJ", "Ministry of Justice", fixedNow); err != nil {
			t.Fatal(err)
		}
		mojCtx := userCtx(mustCreateUser(t, d, "l@moj.test", foi.RoleLiaison, "MOJ"))
		if _, err := d.FindConsultation(mojCtx, k.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("third party's liaison reads the pack: %v", err)
		}
		if _, err := d.SubmitRepresentation(mojCtx, k.ID, foi.Representation{Position: foi.PositionNoObjection,
			Summary: "None."}); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("third party's liaison represents: %v", err)
		}
		if inbox, err := d.FindConsultations(mojCtx, foi.ConsultationFilter{}); err != nil || len(inbox) != 0 {
			t.Errorf("third party's inbox: %+v %v", inbox, err)
		}

		// Two versions of representations are kept.
		r := foi.Representation{Position: foi.PositionNoObjection, Summary: "No objection."}
		if _, err := d.SubmitRepresentation(w.liaisonCtx, k.ID, r); err != nil {
			t.Fatal(err)
		}
		r = foi.Representation{Position: foi.PositionObjectInPart, Summary: "On reflection, in part.", Harm: "Methods.",
			ProposedExemptions: []foi.ProposedExemption{{Section: "s.31(1)(e)", Reasons: "Immigration controls."}}}
		k2, err := d.SubmitRepresentation(w.liaisonCtx, k.ID, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(k2.Representations) != 2 || k2.Representations[1].Version != 2 ||
			len(k2.Representations[1].ProposedExemptions) != 1 || k2.Representations[1].ProposedExemptions[0].Section != "31(1)(e)" ||
			k2.Status != foi.ConsultationRepresentationsReceived {
			t.Fatalf("after two versions %+v", k2)
		}
		if _, err := d.SubmitRepresentation(w.officerCtx, k.ID, r); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Errorf("owner's officer represents: %v", err)
		}

		// The gate, inside the approval: ECONFLICT with the blockers.
		dec := foi.ResponseDraft{Outcome: foi.OutcomeGrantedInFull, Letter: "We hold the information you asked for and enclose it."}
		if _, err := d.RecordResponse(w.officerCtx, c.ID, 0, dec); err != nil {
			t.Fatalf("draft: %v %v", err, foi.ErrorFields(err))
		}
		_, err = d.ApproveResponse(w.dmCtx, c.ID, 0)
		var fe *foi.Error
		if foi.ErrorCode(err) != foi.ECONFLICT || !asDomainError(err, &fe) || len(fe.Detail["blockers"].([]foi.Blocker)) != 1 {
			t.Fatalf("approve while blocked: %v", err)
		}
		if after, _ := d.FindCaseByID(w.officerCtx, c.ID); after.Status != foi.StatusPendingApproval {
			t.Errorf("the refused approval changed the case: %s", after.Status)
		}
		if n := countAudit(t, d, "consultation.advance_notice"); n != 0 {
			t.Errorf("a refused approval gave %d advance notices", n)
		}

		k3, err := d.ConsiderRepresentations(w.dmCtx, k.ID, foi.Consideration{Outcome: foi.ConsiderationNotAccepted,
			Reasons: "The public interest favours disclosure."})
		if err != nil {
			t.Fatal(err)
		}
		if k3.Consideration == nil || k3.Consideration.RepresentationVersion != 2 || k3.Status != foi.ConsultationConsidered {
			t.Fatalf("considered %+v", k3)
		}
		if res, err := d.ApproveResponse(w.dmCtx, c.ID, 0); err != nil || res.Case.Status != foi.StatusResponded {
			t.Fatalf("approve after consideration: %v", err)
		}
		if n := countAudit(t, d, "consultation.advance_notice"); n != 1 {
			t.Errorf("advance notices audited %d times, want 1", n)
		}
	})
}

func TestConsultations_UpdateCaseAddsOneConsultationAndCloseNeedsTheTimeout(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))
		codes := []string{"cid-person-records"}
		for i := 0; i < 2; i++ {
			updated, err := d.UpdateCase(w.officerCtx, c.ID, 0, foi.CaseUpdate{AssetCodes: &codes})
			if err != nil {
				t.Fatal(err)
			}
			if updated.Status != foi.StatusAwaitingRepresentations {
				t.Errorf("status %s", updated.Status)
			}
		}
		got, err := d.CaseConsultations(w.officerCtx, c.ID)
		if err != nil || len(got.Consultations) != 1 {
			t.Fatalf("consultations %+v %v", got, err)
		}
		id := got.Consultations[0].ID
		_, err = d.CloseConsultation(w.dmCtx, id, "No answer.")
		var fe *foi.Error
		if foi.ErrorCode(err) != foi.ECONFLICT || !asDomainError(err, &fe) {
			t.Fatalf("close before respond-by: %v", err)
		}
		if missing, _ := fe.Detail["missing"].([]string); len(missing) != 3 {
			t.Errorf("missing %v", fe.Detail["missing"])
		}
		if _, err := d.WaiveConsultation(w.officerCtx, id, "Published."); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Errorf("officer waives: %v", err)
		}
		if _, err := d.WaiveConsultation(w.dmCtx, id, ""); foi.ErrorCode(err) != foi.EINVALID {
			t.Errorf("waiver without reasons: %v", err)
		}
		k, err := d.WaiveConsultation(w.dmCtx, id, "Already published.")
		if err != nil || k.Status != foi.ConsultationWaived || k.ResolvedOn != calendar.NewDate(2026, 3, 2) {
			t.Fatalf("waive: %+v %v", k, err)
		}
		open, err := d.FindConsultations(w.liaisonCtx, foi.ConsultationFilter{Open: true})
		if err != nil || len(open) != 0 {
			t.Errorf("open inbox after the waiver: %+v %v", open, err)
		}
		all, err := d.FindConsultations(w.liaisonCtx, foi.ConsultationFilter{})
		if err != nil || len(all) != 1 || all[0].CaseReference != c.Reference || all[0].OwnerPartyCode != "DFE" {
			t.Errorf("inbox %+v %v", all, err)
		}
	})
}
