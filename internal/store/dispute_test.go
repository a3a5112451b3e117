package store_test

import (
	"slices"
	"sort"
	"strconv"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// The contacts the MoU names for a dispute between DFE (the case's party) and HO (consulted), from the seed.
var (
	disputeBAU        = []string{"foi.requests@education.example", "foi.requests@homeoffice.example"}
	disputeEscalation = []string{"head.foi@education.example", "head.information.rights@homeoffice.example"}
)

// disputeEmails returns the sorted recipients of the pending outbox rows of template tmpl linking to the
// dispute, after checking each carries only the template's fields.
func disputeEmails(t *testing.T, d *store.DB, tmpl string, disputeID int64) []string {
	t.Helper()
	msgs, err := d.ListOutbox(cliCtx(), foi.OutboxPending)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range msgs {
		if m.Template != tmpl || m.Link != "/disputes/"+strconv.FormatInt(disputeID, 10) {
			continue
		}
		for k := range m.Data {
			if !slices.Contains(foi.NotificationTemplates[tmpl], k) {
				t.Errorf("%s carries %q", tmpl, k)
			}
		}
		if m.Data["case_reference"] == "" || m.Data["owner_party"] != "DFE" || m.Data["consulted_party"] != "HO" {
			t.Errorf("%s data %v", tmpl, m.Data)
		}
		to = append(to, m.To)
	}
	sort.Strings(to)
	return to
}

// objectedAndConsidered creates a DFE case touching HO's information with a draft that discloses, has HO object
// in part and the DFE decision-maker record outcome, and returns the case and its consultation.
func objectedAndConsidered(t *testing.T, w *caseWorld, outcome foi.ConsiderationOutcome) (*foi.Case, foi.Consultation) {
	t.Helper()
	c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
	k := onlyConsultation(t, w, c.ID)
	if _, err := w.d.RecordResponse(w.officerCtx, c.ID, 0, foi.ResponseDraft{Outcome: foi.OutcomeGrantedInFull,
		Letter: "We hold the information you asked for and enclose it."}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.SubmitRepresentation(w.liaisonCtx, k.ID, foi.Representation{Position: foi.PositionObjectInPart,
		Summary: "Disclosure would reveal methods.", Harm: "Prejudice to immigration controls."}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.ConsiderRepresentations(w.dmCtx, k.ID, foi.Consideration{Outcome: outcome,
		Reasons: "The public interest favours disclosure."}); err != nil {
		t.Fatal(err)
	}
	return c, k
}

func TestDisputes_TheLadderFromConsiderationToOutcome(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c, k := objectedAndConsidered(t, w, foi.ConsiderationPartlyAccepted)
		if c.DueOn != calendar.NewDate(2026, 3, 23) {
			t.Fatalf("case due %s", c.DueOn)
		}
		// The consideration opened the dispute at business as usual, in its own transaction, and told the BAU
		// FOI contacts of both parties.
		list, err := d.ConsultationDisputes(w.liaisonCtx, k.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("disputes %+v %v", list, err)
		}
		dis := list[0]
		if dis.Step != foi.DisputeBAU || dis.RaisedBy != foi.DisputeRaisedAutomatically || dis.OpenedOn != calendar.NewDate(2026, 3, 2) ||
			dis.StepEndsOn != calendar.NewDate(2026, 3, 4) || dis.Warning != "" || dis.CaseReference != c.Reference ||
			len(dis.History) != 1 || dis.History[0].By != 0 || dis.Reasons == "" {
			t.Fatalf("opened dispute %+v", dis)
		}
		if got := disputeEmails(t, d, foi.TmplDisputeStep, dis.ID); !slices.Equal(got, disputeBAU) {
			t.Errorf("opening told %v, want %v", got, disputeBAU)
		}
		if n := countAudit(t, d, "dispute.open"); n != 1 {
			t.Errorf("dispute.open audited %d times", n)
		}

		// One open dispute per consultation; the wrong party learns nothing; illegal steps name the allowed ones.
		_, err = d.RaiseDispute(w.liaisonCtx, k.ID, "We still object.")
		var fe *foi.Error
		if foi.ErrorCode(err) != foi.ECONFLICT || !asDomainError(err, &fe) || fe.Detail["dispute_id"] != dis.ID {
			t.Errorf("second dispute: %v", err)
		}
		if _, err := d.EscalateDispute(w.hoCtx, dis.ID, "Escalate."); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("HO officer escalates: %v", err)
		}
		if _, err := d.FindDispute(w.hoCtx, dis.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("HO officer reads: %v", err)
		}
		if _, err := d.EscalateDispute(w.auditorCtx, dis.ID, "Escalate."); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Errorf("auditor escalates: %v", err)
		}
		_, err = d.GiveFormalNotification(w.officerCtx, dis.ID, "Formal.")
		if foi.ErrorCode(err) != foi.ECONFLICT || !asDomainError(err, &fe) ||
			!slices.Equal(fe.Detail["allowed"].([]string), []string{"escalation", "resolved"}) {
			t.Errorf("formal notification at BAU: %v", err)
		}

		// The day the BAU clock ends the scan reminds the BAU contacts, once.
		at(d, calendar.NewDate(2026, 3, 4))
		kind := foi.DisputeClockReminder(foi.DisputeBAU)
		if r := mustScan(t, d, calendar.NewDate(2026, 3, 4)); r.Reminders[kind] != 1 {
			t.Errorf("first scan: %+v", r)
		}
		if r := mustScan(t, d, calendar.NewDate(2026, 3, 4)); r.Reminders[kind] != 0 {
			t.Errorf("second scan reminded again: %+v", r)
		}
		if got := disputeEmails(t, d, foi.TmplDisputeClock, dis.ID); !slices.Equal(got, disputeBAU) {
			t.Errorf("clock reminder went to %v, want %v", got, disputeBAU)
		}

		// HO escalates with an explanation: the escalation contacts of both parties hear.
		at(d, calendar.NewDate(2026, 3, 5))
		if _, err := d.EscalateDispute(w.liaisonCtx, dis.ID, "  "); foi.ErrorCode(err) != foi.EINVALID ||
			foi.ErrorFields(err)[0].Field != "reasons" {
			t.Errorf("escalation without an explanation: %v", err)
		}
		res, err := d.EscalateDispute(w.liaisonCtx, dis.ID, "No agreement at working level.")
		if err != nil {
			t.Fatal(err)
		}
		if res.Dispute.Step != foi.DisputeEscalation || res.Dispute.StepEndsOn != calendar.NewDate(2026, 3, 9) ||
			res.Warning != "" || !slices.Equal(sorted(res.Notified), disputeEscalation) || len(res.Unnotified) != 0 ||
			res.Dispute.History[1].By != w.hoLiaison.ID || res.Dispute.History[1].Note != "No agreement at working level." {
			t.Fatalf("escalated %+v", res)
		}
		if got := disputeEmails(t, d, foi.TmplDisputeStep, dis.ID); len(got) != 4 {
			t.Errorf("step emails after the escalation: %v", got)
		}

		// A formal notification on 16 March runs 20 working days past Easter: after the case's deadline, so the
		// answer, the dispute and the case's disputes all warn.
		at(d, calendar.NewDate(2026, 3, 16))
		res, err = d.GiveFormalNotification(w.officerCtx, dis.ID, "Senior management could not agree.")
		if err != nil {
			t.Fatal(err)
		}
		ends, err := calendar.Default().AddWorkingDays(calendar.NewDate(2026, 3, 16), foi.DisputeFormalWorkingDays)
		if err != nil {
			t.Fatal(err)
		}
		want := foi.DisputeDeadlineWarning(foi.DisputeFormal, ends, c.DueOn)
		if res.Dispute.Step != foi.DisputeFormal || res.Dispute.StepEndsOn != ends || want == "" || res.Warning != want ||
			res.Dispute.Warning != want || res.Dispute.History[2].Warning != want {
			t.Fatalf("formal notification %+v, want warning %q", res, want)
		}
		onCase, err := d.CaseDisputes(w.officerCtx, c.ID)
		if err != nil || len(onCase) != 1 || onCase[0].Warning != want {
			t.Fatalf("case disputes %+v %v", onCase, err)
		}
		if _, err := d.CaseDisputes(w.liaisonCtx, c.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("liaison lists the case's disputes: %v", err)
		}

		// The outcome: not an officer's to record; a known outcome and reasons; once.
		at(d, calendar.NewDate(2026, 3, 18))
		if _, err := d.ResolveDispute(w.officerCtx, dis.ID, foi.DisputeOutcomeDiscloseInPart, "Agreed."); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Errorf("officer resolves: %v", err)
		}
		_, err = d.ResolveDispute(w.dmCtx, dis.ID, "maybe", "")
		if fields := foi.ErrorFields(err); foi.ErrorCode(err) != foi.EINVALID || len(fields) != 2 {
			t.Errorf("bad outcome and reasons: %v %v", err, fields)
		}
		res, err = d.ResolveDispute(w.dmCtx, dis.ID, foi.DisputeOutcomeDiscloseInPart, "Agreed redactions of the methods.")
		if err != nil {
			t.Fatal(err)
		}
		if res.Dispute.Step != foi.DisputeResolved || res.Dispute.Outcome != "disclose_in_part" ||
			res.Dispute.ResolvedOn != calendar.NewDate(2026, 3, 18) || res.Dispute.Warning != "" ||
			len(res.Dispute.Allowed()) != 0 || len(res.Dispute.History) != 4 {
			t.Fatalf("resolved %+v", res.Dispute)
		}
		if got := disputeEmails(t, d, foi.TmplDisputeResolved, dis.ID); !slices.Equal(got, disputeEscalation) {
			t.Errorf("resolution told %v, want %v", got, disputeEscalation)
		}
		if _, err := d.ResolveDispute(w.dmCtx, dis.ID, foi.DisputeOutcomeDisclose, "Again."); foi.ErrorCode(err) != foi.ECONFLICT {
			t.Errorf("resolve twice: %v", err)
		}
		for action, n := range map[string]int{"dispute.escalate": 1, "dispute.formal_notification": 1, "dispute.resolve": 1,
			"dispute.clock": 1} {
			if got := countAudit(t, d, action); got != n {
				t.Errorf("%s audited %d times, want %d", action, got, n)
			}
		}
		// A resolved dispute is not reminded; a new one may be raised, by either side.
		if r := mustScan(t, d, calendar.NewDate(2026, 4, 20)); r.Reminders[foi.DisputeClockReminder(foi.DisputeFormal)] != 0 {
			t.Errorf("a resolved dispute was reminded: %+v", r)
		}
		again, err := d.RaiseDispute(w.liaisonCtx, k.ID, "The redactions were not applied as agreed.")
		if err != nil || again.Dispute.RaisedBy != foi.DisputeRaisedByConsulted || again.Dispute.ID == dis.ID {
			t.Fatalf("raise again: %+v %v", again, err)
		}
	})
}

func sorted(ss []string) []string {
	out := slices.Clone(ss)
	sort.Strings(out)
	return out
}

func TestDisputes_OnlyWhenTheObjectionIsNotAcceptedAndRaisedByEitherSide(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c, k := objectedAndConsidered(t, w, foi.ConsiderationAccepted)
		if list, err := d.CaseDisputes(w.officerCtx, c.ID); err != nil || len(list) != 0 {
			t.Fatalf("an accepted objection opened a dispute: %+v %v", list, err)
		}
		// Raised by hand: a DFE officer may; reasons are required; a third party's liaison learns nothing.
		if _, err := d.RaiseDispute(w.officerCtx, k.ID, " "); foi.ErrorCode(err) != foi.EINVALID {
			t.Errorf("no reasons: %v", err)
		}
		if _, err := d.RaiseDispute(w.auditorCtx, k.ID, "Disagree."); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Errorf("auditor raises: %v", err)
		}
		if _, err := d.RaiseDispute(w.hoCtx, k.ID, "Disagree."); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("HO officer raises: %v", err)
		}
		res, err := d.RaiseDispute(w.officerCtx, k.ID, "HO asks for more than the harm supports.")
		if err != nil {
			t.Fatal(err)
		}
		if res.Dispute.RaisedBy != foi.DisputeRaisedByOwner || res.Dispute.RaisedByPartyID != w.dfeOfficer.PartyID ||
			res.Dispute.History[0].By != w.dfeOfficer.ID || !slices.Equal(sorted(res.Notified), disputeBAU) {
			t.Fatalf("raised %+v", res)
		}
		// A party with no escalation contact is named, and the step still goes ahead.
		if _, err := store.RawDB(d).Exec("UPDATE contacts SET active = $1 WHERE tier = $2 AND party_id = (SELECT id FROM parties WHERE code = $3)",
			false, "escalation", "HO"); err != nil {
			t.Fatal(err)
		}
		got, err := d.EscalateDispute(w.dmCtx, res.Dispute.ID, "Working level cannot agree.")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Notified, []string{"head.foi@education.example"}) || len(got.Unnotified) != 1 ||
			got.Unnotified[0] != "HO has no active escalation contact" {
			t.Errorf("escalation without HO contacts: %+v %+v", got.Notified, got.Unnotified)
		}
	})
}
