package store_test

import (
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// responseSentRow returns the one pending response email in the outbox.
func responseSentRow(t *testing.T, d *store.DB) foi.OutboxEntry {
	t.Helper()
	msgs, err := d.ListOutbox(cliCtx(), foi.OutboxPending)
	if err != nil {
		t.Fatal(err)
	}
	var out []foi.OutboxEntry
	for _, m := range msgs {
		if m.Template == foi.TmplResponseSent {
			out = append(out, m)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d response emails pending, want 1", len(out))
	}
	return out[0]
}

// claimedTemplates claims every due message as the worker does at instant now and returns their templates.
func claimedTemplates(t *testing.T, d *store.DB, now time.Time) map[string]int {
	t.Helper()
	d.Now = func() time.Time { return now }
	msgs, _, err := d.ClaimBatch(systemCtx(), time.Minute, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, m := range msgs {
		got[m.Template]++
	}
	return got
}

func intPtr(n int) *int { return &n }

func TestAdvanceNotice_TheResponseEmailWaitsForTheReleaseDate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		k := onlyConsultation(t, w, c.ID)
		if _, err := d.SubmitRepresentation(w.liaisonCtx, k.ID, foi.Representation{Position: foi.PositionNoObjection,
			Summary: "No objection."}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.ConsiderRepresentations(w.dmCtx, k.ID, foi.Consideration{Outcome: foi.ConsiderationAccepted,
			Reasons: "Nothing to weigh."}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.RecordResponse(w.officerCtx, c.ID, 0, foi.ResponseDraft{Outcome: foi.OutcomeGrantedInFull,
			Letter: "We hold the information you asked for and enclose it."}); err != nil {
			t.Fatal(err)
		}
		for _, days := range []int{-1, 21} {
			_, err := d.ApproveResponseWithNotice(w.dmCtx, c.ID, 0, foi.AdvanceNotice{WorkingDays: intPtr(days)})
			if fields := foi.ErrorFields(err); len(fields) != 1 || fields[0].Field != "advance_notice_working_days" {
				t.Errorf("notice of %d days: %v %v", days, err, fields)
			}
		}
		if n := countAudit(t, d, "consultation.advance_notice"); n != 0 {
			t.Fatalf("a refused approval gave %d advance notices", n)
		}
		res, err := d.ApproveResponse(w.dmCtx, c.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		release := calendar.NewDate(2026, 3, 4) // Monday 2 March plus 2 working days
		if r := res.Response; r.ReleaseOn != release || r.RespondedOn != calendar.NewDate(2026, 3, 2) ||
			r.AdvanceNoticeWorkingDays != 2 || r.AdvanceNoticeReasons != "" || !res.EmailQueued || len(res.Warnings) != 0 ||
			res.Case.Status != foi.StatusResponded {
			t.Fatalf("approved %+v warnings %v", r, res.Warnings)
		}
		stored, err := d.FindResponse(w.officerCtx, c.ID)
		if err != nil || stored.ReleaseOn != release || stored.AdvanceNoticeWorkingDays != 2 {
			t.Fatalf("stored response %+v %v", stored, err)
		}
		// The email is held until the release date starts in London (GMT in March).
		if got := responseSentRow(t, d).NextAttemptAt.UTC(); !got.Equal(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("response email due %s", got)
		}
		// The worker claims the advance notice at once, never the response before its date.
		if got := claimedTemplates(t, d, time.Date(2026, 3, 3, 23, 59, 59, 0, time.UTC)); got[foi.TmplResponseSent] != 0 ||
			got[foi.TmplDisclosureNotice] != 1 {
			t.Errorf("claimed the day before release: %v", got)
		}
		if got := claimedTemplates(t, d, time.Date(2026, 3, 4, 0, 0, 1, 0, time.UTC)); got[foi.TmplResponseSent] != 1 {
			t.Errorf("claimed on the release date: %v", got)
		}
	})
}

func TestAdvanceNotice_ShortenedWithReasonsAndALateReleaseWarns(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		// Received Monday 2 February: due Monday 2 March, today.
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-02T09:00:00Z")))
		if c.DueOn != calendar.NewDate(2026, 3, 2) {
			t.Fatalf("due %s", c.DueOn)
		}
		k := onlyConsultation(t, w, c.ID)
		if _, err := d.WaiveConsultation(w.dmCtx, k.ID, "The figures are already published."); err != nil {
			t.Fatal(err)
		}
		draft := foi.ResponseDraft{Outcome: foi.OutcomeGrantedInFull, Letter: "We enclose the information.",
			Notice: foi.AdvanceNotice{WorkingDays: intPtr(0)}}
		_, err := d.RecordResponse(w.dmCtx, c.ID, 0, draft)
		if fields := foi.ErrorFields(err); len(fields) != 1 || fields[0].Field != "advance_notice_reasons" {
			t.Fatalf("shortened without reasons: %v %v", err, fields)
		}
		// The default notice would release after the deadline: the approval warns (the caller may shorten it).
		late := draft
		late.Notice = foi.AdvanceNotice{}
		w2 := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-02T09:00:00Z")))
		if _, err := d.WaiveConsultation(w.dmCtx, onlyConsultation(t, w, w2.ID).ID, "Already published."); err != nil {
			t.Fatal(err)
		}
		res, err := d.RecordResponse(w.dmCtx, w2.ID, 0, late)
		if err != nil || len(res.Warnings) != 1 || res.Response.ReleaseOn != calendar.NewDate(2026, 3, 4) {
			t.Fatalf("late release: %+v %v", res, err)
		}
		// Shortened to none, with reasons: released today, the email due at once.
		draft.Notice.Reasons = "The deadline is today; HO agreed by phone."
		res, err = d.RecordResponse(w.dmCtx, c.ID, 0, draft)
		if err != nil {
			t.Fatal(err)
		}
		if r := res.Response; r.ReleaseOn != calendar.NewDate(2026, 3, 2) || r.AdvanceNoticeWorkingDays != 0 ||
			r.AdvanceNoticeReasons != draft.Notice.Reasons || len(res.Warnings) != 0 {
			t.Fatalf("shortened %+v %v", r, res.Warnings)
		}
		if got := claimedTemplates(t, d, fixedNow); got[foi.TmplResponseSent] != 1 {
			t.Errorf("claimed at once: %v", got)
		}
		stored, err := d.FindResponse(w.officerCtx, c.ID)
		if err != nil || stored.AdvanceNoticeReasons != draft.Notice.Reasons {
			t.Fatalf("stored %+v %v", stored, err)
		}
	})
}
