package store_test

import (
	"strconv"
	"strings"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestDisclosureLog_ProposeResolvePublishWithdraw(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.respond(t)
		draft := foi.DisclosureDraft{Title: "Pupil data requests from Ada Requester",
			Summary:      "Asked how often the Home Office asked for pupil data; reply to ada@example.org.",
			ReleasedText: "Requests in 2025: 1,204. Our office is at SW1P 3BT."}

		// Only a decision-maker of the party proposes, and only a sent response.
		_, err := d.ProposeDisclosure(w.officerCtx, c.ID, draft)
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.ProposeDisclosure(w.hoCtx, c.ID, draft)
		wantCode(t, err, foi.ENOTFOUND)
		open := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-25T09:00:00Z"))
		_, err = d.ProposeDisclosure(w.dmCtx, open.ID, draft)
		wantCode(t, err, foi.ECONFLICT)
		_, err = d.ProposeDisclosure(w.dmCtx, c.ID, foi.DisclosureDraft{})
		wantFields(t, err, "title", "summary")

		e, err := d.ProposeDisclosure(w.dmCtx, c.ID, draft)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[foi.PersonalDataKind]string{}
		for _, f := range e.Flags {
			kinds[f.Kind] = f.Field
		}
		if e.Status != foi.DisclosureProposed || len(e.Flags) != 3 || kinds[foi.PDRequesterName] != "title" ||
			kinds[foi.PDEmail] != "summary" || kinds[foi.PDPostcode] != "released_text" || e.Reference != c.Reference {
			t.Fatalf("entry %+v", e)
		}
		_, err = d.ProposeDisclosure(w.dmCtx, c.ID, draft)
		wantCode(t, err, foi.ECONFLICT) // one live entry per case

		// Publication waits for every flag.
		_, err = d.PublishDisclosure(w.dmCtx, e.ID)
		wantCode(t, err, foi.ECONFLICT)
		if list, err := d.PublicDisclosures(cliCtx(), 0); err != nil || len(list) != 0 {
			t.Fatalf("a proposed entry is public: %+v %v", list, err)
		}
		_, err = d.PublicDisclosure(cliCtx(), e.ID)
		wantCode(t, err, foi.ENOTFOUND)

		// Editing the text away drops its flags; the rest are resolved with reasons.
		draft.Title = "Pupil data requests from the Home Office"
		draft.Summary = "Asked how often the Home Office asked for pupil data."
		if e, err = d.EditDisclosure(w.dmCtx, e.ID, e.Version, draft); err != nil || len(e.Flags) != 1 {
			t.Fatalf("edit: %+v %v", e.Flags, err)
		}
		_, err = d.ResolveDisclosureFlag(w.dmCtx, e.ID, 1, "because", "")
		wantFields(t, err, "resolution", "reasons")
		if e, err = d.ResolveDisclosureFlag(w.dmCtx, e.ID, 1, foi.FlagNotPersonal, "The department's own office."); err != nil {
			t.Fatal(err)
		}
		// Editing again keeps the resolution of a flag found again.
		if e, err = d.EditDisclosure(w.dmCtx, e.ID, 0, draft); err != nil || len(e.Unresolved()) != 0 {
			t.Fatalf("re-edit: %+v %v", e.Flags, err)
		}

		// The disclosure gate is checked again at publication: a consultation still open blocks it.
		raw := store.RawDB(d)
		if _, err := raw.Exec(`INSERT INTO consultations (case_id, owner_party_id, consulted_party_id, status, question,
			information_at_issue, contact_email, sent_on, respond_by, reminders_sent, closure_reasons, waiver_reasons,
			version, created_at, updated_at)
			SELECT $1, c.party_id, p.id, 'sent', 'Q', 'I', 'foi@ho.test', '2026-03-02', '2026-03-09', 0, '', '', 1, c.created_at, c.created_at
			FROM cases c, parties p WHERE c.id = $1 AND p.code = 'HO'`, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err = d.PublishDisclosure(w.dmCtx, e.ID)
		var de *foi.Error
		if !asDomainError(err, &de) || de.Code != foi.ECONFLICT || de.Detail["blockers"] == nil {
			t.Fatalf("publish with an open consultation: %v", err)
		}
		if _, err := raw.Exec(`UPDATE consultations SET status = 'waived', waiver_reasons = 'Already published.' WHERE case_id = $1`, c.ID); err != nil {
			t.Fatal(err)
		}
		if e, err = d.PublishDisclosure(w.dmCtx, e.ID); err != nil || e.Status != foi.DisclosurePublished || e.PublishedAt == nil {
			t.Fatalf("publish: %+v %v", e, err)
		}

		// The public sees it without signing in, and never the requester.
		list, err := d.PublicDisclosures(foi.WithActor(cliCtx(), foi.Actor{}), 0)
		if err != nil || len(list) != 1 || list[0].Title != draft.Title || list[0].Reference != c.Reference {
			t.Fatalf("public list %+v %v", list, err)
		}
		for _, text := range []string{list[0].Title, list[0].Summary, list[0].ReleasedText} {
			if strings.Contains(text, "Ada Requester") || strings.Contains(text, "ada@example.org") {
				t.Errorf("the requester is shown: %q", text)
			}
		}

		// Withdrawal needs reasons and leaves an audited tombstone.
		_, err = d.WithdrawDisclosure(w.dmCtx, e.ID, " ")
		wantFields(t, err, "reasons")
		if e, err = d.WithdrawDisclosure(w.dmCtx, e.ID, "Published in error."); err != nil || e.Status != foi.DisclosureWithdrawn {
			t.Fatalf("withdraw: %+v %v", e, err)
		}
		p, err := d.PublicDisclosure(cliCtx(), e.ID)
		if err != nil || !p.Withdrawn || p.Title != "" || p.ReleasedText != "" || p.WithdrawalReasons != "Published in error." {
			t.Fatalf("tombstone %+v %v", p, err)
		}
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'disclosure_log.withdraw' AND record_id = $1`,
			strconv.FormatInt(e.ID, 10)).Scan(&n); err != nil || n != 1 {
			t.Fatalf("withdrawal audited %d times (%v)", n, err)
		}
		_, err = d.WithdrawDisclosure(w.dmCtx, e.ID, "Again.")
		wantCode(t, err, foi.ECONFLICT)

		// A withdrawn entry does not stop a new proposal.
		if _, err := d.ProposeDisclosure(w.dmCtx, c.ID, draft); err != nil {
			t.Fatalf("propose after withdrawal: %v", err)
		}
		if entries, err := d.DisclosureEntries(w.dmCtx); err != nil || len(entries) != 2 {
			t.Fatalf("entries %d %v", len(entries), err)
		}
		_, err = d.DisclosureEntries(w.officerCtx)
		wantCode(t, err, foi.EFORBIDDEN)
	})
}
