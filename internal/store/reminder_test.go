package store_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// reminderDay is the day the reminder tests scan: Friday 5 June 2026.
var reminderDay = calendar.NewDate(2026, time.June, 5)

// setDeadline gives a case an assignee and a due date directly, as the deadline rules would have.
func setDeadline(t *testing.T, d *store.DB, caseID, assignee int64, due calendar.Date) {
	t.Helper()
	if _, err := store.RawDB(d).Exec("UPDATE cases SET due_on = $1, queue_on = $1, assignee_id = $2 WHERE id = $3",
		due, assignee, caseID); err != nil {
		t.Fatalf("set deadline: %v", err)
	}
}

func mustScan(t *testing.T, d *store.DB, today calendar.Date) store.ScanReport {
	t.Helper()
	r, err := d.RunReminderScan(systemCtx(), today)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return r
}

// byKey returns the outbox rows by dedupe key, failing on a key seen twice.
func byKey(t *testing.T, d *store.DB) map[string]foi.OutboxEntry {
	t.Helper()
	out := map[string]foi.OutboxEntry{}
	for _, e := range listAll(t, d, "") {
		if _, dup := out[e.DedupeKey]; dup && e.DedupeKey != "" {
			t.Fatalf("two outbox rows with dedupe key %q", e.DedupeKey)
		}
		out[e.DedupeKey] = e
	}
	return out
}

func countTemplate(t *testing.T, d *store.DB, tmpl, to string) int {
	t.Helper()
	n := 0
	for _, e := range listAll(t, d, "") {
		if e.Template == tmpl && (to == "" || e.To == to) {
			n++
		}
	}
	return n
}

func TestReminderScan_SendsEachDeadlineReminderOnceWithoutCaseContent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		soon := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-02T09:00:00Z"))
		late := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-02T09:00:00Z"))
		far := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-02T09:00:00Z"))
		setDeadline(t, d, soon.ID, w.dfeOfficer.ID, calendar.NewDate(2026, time.June, 12)) // 5 working days
		setDeadline(t, d, late.ID, w.dfeOfficer.ID, calendar.NewDate(2026, time.June, 1))  // overdue
		setDeadline(t, d, far.ID, w.dfeOfficer.ID, calendar.NewDate(2026, time.July, 1))   // not yet

		r := mustScan(t, d, reminderDay)
		if r.Skipped || r.Reminders[foi.ReminderDeadline5] != 1 || r.Reminders[foi.ReminderOverdue] != 1 {
			t.Fatalf("first scan: %+v", r)
		}
		again := mustScan(t, d, reminderDay)
		if again.Skipped || again.Emails != 0 || again.Digests != 0 || len(again.Reminders) != 0 {
			t.Fatalf("second scan of the same day sent again: %+v", again)
		}
		rows := byKey(t, d)
		k5 := fmt.Sprintf("reminder:deadline_5:%d:2026-06-12", soon.ID)
		kOver := fmt.Sprintf("reminder:overdue:%d:2026-06-01", late.ID)
		for _, k := range []string{k5, kOver} {
			e, ok := rows[k]
			if !ok {
				t.Fatalf("no outbox row %q; have %v", k, keys(rows))
			}
			if e.Template != foi.TmplDeadlineReminder || e.To != w.dfeOfficer.Email || !strings.HasPrefix(e.Link, "/cases/") {
				t.Errorf("row %q: %+v", k, e)
			}
			b, _ := json.Marshal(e.Data)
			text := strings.ToLower(string(b))
			for _, forbidden := range []string{"ada", "example.org", "pupil", "home office", "request_text",
				"requester", "subject", strings.ToLower(soon.Reference)} {
				if strings.Contains(text, forbidden) {
					t.Errorf("email data %s carries %q", b, forbidden)
				}
			}
			for k := range e.Data {
				if k != "due_on" && k != "when" {
					t.Errorf("email data has field %q", k)
				}
			}
		}
		if countTemplate(t, d, foi.TmplDeadlineReminder, "") != 2 {
			t.Errorf("want 2 deadline reminders, have %v", keys(rows))
		}
		// The next working days: deadline_5 stays reported, deadline_2 arrives on Wednesday.
		mustScan(t, d, calendar.NewDate(2026, time.June, 8))
		mustScan(t, d, calendar.NewDate(2026, time.June, 10))
		rows = byKey(t, d)
		if _, ok := rows[fmt.Sprintf("reminder:deadline_2:%d:2026-06-12", soon.ID)]; !ok {
			t.Errorf("no deadline_2 reminder: %v", keys(rows))
		}
		if n := countTemplate(t, d, foi.TmplDeadlineReminder, ""); n != 3 {
			t.Errorf("%d deadline reminders after three days, want 3: %v", n, keys(rows))
		}
		var audits int
		if err := store.RawDB(d).QueryRow("SELECT COUNT(*) FROM audit_events WHERE action = 'reminders.scan'").Scan(&audits); err != nil || audits != 4 {
			t.Errorf("reminders.scan audit events = %d, %v; want 4", audits, err)
		}
	})
}

func keys(m map[string]foi.OutboxEntry) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestReminderScan_DigestUsersGetOneDigestAndNoSingleEmails(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		a := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-02T09:00:00Z"))
		b := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-02T09:00:00Z"))
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-02T09:00:00Z"))
		setDeadline(t, d, a.ID, w.dfeOfficer.ID, calendar.NewDate(2026, time.June, 12))
		setDeadline(t, d, b.ID, w.dfeOfficer.ID, calendar.NewDate(2026, time.June, 5))
		setDeadline(t, d, c.ID, w.dfeOfficer.ID, calendar.NewDate(2026, time.May, 1))
		// Another user may not choose for the officer; the officer may.
		wantCode(t, d.SetDigestPreference(w.hoCtx, w.dfeOfficer.ID, true), foi.EFORBIDDEN)
		if err := d.SetDigestPreference(w.officerCtx, w.dfeOfficer.ID, true); err != nil {
			t.Fatalf("set digest: %v", err)
		}
		if on, err := d.DigestPreference(w.officerCtx, w.dfeOfficer.ID); err != nil || !on {
			t.Fatalf("digest preference = %v, %v", on, err)
		}
		r := mustScan(t, d, reminderDay)
		mustScan(t, d, reminderDay)
		if r.Digests != 1 || r.Reminders[foi.ReminderDeadline5] != 1 || r.Reminders[foi.ReminderDeadline0] != 1 ||
			r.Reminders[foi.ReminderOverdue] != 1 {
			t.Fatalf("report: %+v", r)
		}
		if n := countTemplate(t, d, foi.TmplDeadlineReminder, w.dfeOfficer.Email); n != 0 {
			t.Errorf("a digest user got %d single emails", n)
		}
		rows := byKey(t, d)
		e, ok := rows[fmt.Sprintf("digest:%d:2026-06-05", w.dfeOfficer.ID)]
		if !ok || e.Template != foi.TmplDailyDigest || e.To != w.dfeOfficer.Email || e.Link != "/cases?assignee=me" {
			t.Fatalf("digest row: %+v (keys %v)", e, keys(rows))
		}
		if e.Data["due_soon"] != "1" || e.Data["due_today"] != "1" || e.Data["overdue"] != "1" || len(e.Data) != 4 {
			t.Errorf("digest data: %v", e.Data)
		}
		if n := countTemplate(t, d, foi.TmplDailyDigest, ""); n != 1 {
			t.Errorf("%d digests, want 1", n)
		}
		// The next day, the case due today is overdue: a new digest with just that; a second scan sends no more.
		sat := calendar.NewDate(2026, time.June, 6)
		if r := mustScan(t, d, sat); r.Digests != 1 || r.Reminders[foi.ReminderOverdue] != 1 || len(r.Reminders) != 1 {
			t.Errorf("next day: %+v", r)
		}
		if r := mustScan(t, d, sat); r.Digests != 0 {
			t.Errorf("next day again: %+v", r)
		}
		// Switching back to single emails.
		if err := d.SetDigestPreference(cliCtx(), w.dfeOfficer.ID, false); err != nil {
			t.Fatal(err)
		}
		mustScan(t, d, calendar.NewDate(2026, time.June, 10))
		if _, ok := byKey(t, d)[fmt.Sprintf("reminder:deadline_2:%d:2026-06-12", a.ID)]; !ok {
			t.Errorf("no single deadline_2 email after leaving the digest")
		}
	})
}

func TestReminderScan_LockKeepsToOneScannerAndExpiredLocksAreTakenOver(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		var now = fixedNow
		d.Now = func() time.Time { return now }
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-02T09:00:00Z"))
		setDeadline(t, d, c.ID, w.dfeOfficer.ID, calendar.NewDate(2026, time.June, 12))
		ok, _, err := d.AcquireScanLock(systemCtx(), store.ReminderScanLock, "other-instance", time.Hour)
		if err != nil || !ok {
			t.Fatalf("take lock: %v, %v", ok, err)
		}
		r := mustScan(t, d, reminderDay)
		if !r.Skipped || r.Holder != "other-instance" {
			t.Fatalf("scan under a held lock: %+v", r)
		}
		if n := len(listAll(t, d, "")); n != 0 {
			t.Fatalf("a skipped scan enqueued %d emails", n)
		}
		now = now.Add(2 * time.Hour) // the other instance died: its lock expired
		r = mustScan(t, d, reminderDay)
		if r.Skipped || r.Reminders[foi.ReminderDeadline5] != 1 {
			t.Fatalf("scan after the lock expired: %+v", r)
		}
		// The scan released its lock: another holder can take it at once.
		if ok, _, err := d.AcquireScanLock(systemCtx(), store.ReminderScanLock, "next", time.Hour); err != nil || !ok {
			t.Fatalf("lock not released: %v, %v", ok, err)
		}
		wantCode(t, func() error { _, err := d.RunReminderScan(userCtx(w.dfeOfficer), reminderDay); return err }(), foi.EFORBIDDEN)
	})
}

func TestReminderScan_AgreementReviewsRemindTheOwnersOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		newCaseWorld(t, d) // the seeded MoU's review date, 18 December 2016, is long past
		r := mustScan(t, d, reminderDay)
		mustScan(t, d, reminderDay)
		if r.Reminders[foi.ReminderReviewOverdue] != 1 {
			t.Fatalf("report: %+v", r)
		}
		var to []string
		for _, e := range listAll(t, d, "") {
			if e.Template == foi.TmplAgreementReview {
				to = append(to, e.To)
				if e.Data["review_on"] != "Sunday 18 December 2016" || e.Data["agreement"] == "" {
					t.Errorf("agreement email data: %v", e.Data)
				}
			}
		}
		got := strings.Join(to, " ")
		for _, want := range []string{"data.sharing@education.example", "npd.requests@education.example",
			"data.exchange@homeoffice.example", "mou.change.control@homeoffice.example"} {
			if !strings.Contains(got, want) {
				t.Errorf("agreement reminders went to %v, missing %s", to, want)
			}
		}
		if strings.Contains(got, "foi.requests@") || strings.Contains(got, "legal@") || len(to) != 4 {
			t.Errorf("agreement reminders went to %v: only change-control and data-exchange owners", to)
		}
	})
}
