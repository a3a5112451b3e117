package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// The reminder scan: once a day (worker.Scanner, or `foidesk remind` from cron) it takes a named lock in the
// database so one instance scans at a time, works out in one transaction which reminders each open case and
// each agreement under review owes today (package foi's rules), records each in reminders_sent and enqueues
// its email in the outbox, then releases the lock. Every reminder is identified by (kind, record, date) in
// reminders_sent and its email by a dedupe key in the outbox, so scanning twice, or on many instances, sends
// once. Emails carry a notice, a date and a link, never case content or requester data.

// ScanReport says what one reminder scan did.
type ScanReport = foi.ReminderScanReport

// ReminderScanLock is the name of the scan's row in scan_locks.
const ReminderScanLock = "reminders"

// reminderLockFor is how long a scan holds its lock; a scan that dies mid-way leaves a lock that another
// instance takes over once it has expired.
const reminderLockFor = 15 * time.Minute

// Record types of reminders_sent.
const (
	reminderCase      = "case"
	reminderAgreement = "agreement"
	// reminderConsultation: a consultation chaser (foi.ConsultationChaser), due_on its respond-by date.
	reminderConsultation = "consultation"
)

// digestLink is where a digest leads: the signed-in user's own cases.
const digestLink = "/cases?assignee=me"

// lockHolder names this process in scan_locks: host, process id and a random suffix, so two DB handles in one
// process are different holders too.
func lockHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// AcquireScanLock takes the named scan lock for holder until now+lockFor, taking over a lock that has
// expired. It returns ok=false and the live holder when another holder has it. It is exported for tests and
// for future scans (consultation chasers); RunReminderScan takes its own.
func (d *DB) AcquireScanLock(ctx context.Context, name, holder string, lockFor time.Duration) (ok bool, current string, err error) {
	now := d.now()
	rows, err := db.New(d.write).ScanLockAcquire(ctx, db.ScanLockAcquireParams{
		Name: name, Holder: holder, ExpiresAt: now.Add(lockFor), Now: now,
	})
	if err != nil {
		return false, "", d.internal("take scan lock", err)
	}
	if len(rows) == 1 {
		return true, holder, nil
	}
	l, err := db.New(d.read).ScanLockGet(ctx, name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, "", d.internal("read scan lock", err)
	}
	return false, l.Holder, nil
}

// ReleaseScanLock releases the named lock if holder still holds it.
func (d *DB) ReleaseScanLock(ctx context.Context, name, holder string) error {
	if _, err := db.New(d.write).ScanLockRelease(ctx, db.ScanLockReleaseParams{Name: name, Holder: holder}); err != nil {
		return d.internal("release scan lock", err)
	}
	return nil
}

// RunReminderScan sends the reminders owed on today, under the "reminders" scan lock. When another instance
// holds a live lock it returns a report with Skipped and the holder, and no error. Otherwise, in one
// transaction, for every open case with an active assignee and a deadline it works out the reminder due
// (foi.DeadlineReminder) and, when that (kind, case, deadline) was not reported before, enqueues one
// deadline_reminder email (dedupe key reminder:<kind>:<case>:<due_on>) to the assignee, or, for a user who
// chose the daily digest, counts it in that user's one daily_digest of the day (digest:<user>:<date>). A
// digest user whose digest of today was already sent gets the new reminders in tomorrow's. Agreements in force
// whose review date is within 20 working days or past remind the active contacts of their parties who are
// responsible for change control or data exchange (escalation tier first), once per (agreement, review date,
// kind). Sent consultations still awaiting representations are chased and escalated (see
// scanConsultationChasers), and open disputes whose step's clock ends remind the step's contacts
// (scanDisputeClocks). The scan appends one "reminders.scan" audit event with the counts and the
// chasers it could not send. It returns
// EUNAUTHORIZED/EFORBIDDEN for an actor other than the system, the CLI or an admin.
func (d *DB) RunReminderScan(ctx context.Context, today calendar.Date) (ScanReport, error) {
	report := ScanReport{Date: today, Reminders: map[foi.ReminderKind]int{}}
	if err := canManageOutbox(ctx); err != nil {
		return report, err
	}
	if today.IsZero() {
		return report, foi.Errorf(foi.EINVALID, "The scan needs a date.")
	}
	holder := lockHolder()
	ok, current, err := d.AcquireScanLock(ctx, ReminderScanLock, holder, reminderLockFor)
	if err != nil {
		return report, err
	}
	if !ok {
		report.Skipped, report.Holder = true, current
		return report, nil
	}
	report.Holder = holder
	defer func() {
		// Release even when ctx was cancelled: a lock left behind would stall scans until it expires.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := d.ReleaseScanLock(rctx, ReminderScanLock, holder); err != nil {
			d.log.Error("release reminder scan lock", "err", err)
		}
	}()
	cal, err := d.Calendar(ctx)
	if err != nil {
		return report, err
	}
	err = d.inTx(ctx, func(tx *Tx) error {
		r := ScanReport{Date: today, Holder: holder, Reminders: map[foi.ReminderKind]int{}}
		if err := tx.scanCaseDeadlines(ctx, cal, today, &r); err != nil {
			return err
		}
		if err := tx.scanAgreementReviews(ctx, cal, today, &r); err != nil {
			return err
		}
		if err := tx.scanConsultationChasers(ctx, cal, today, &r); err != nil {
			return err
		}
		if err := tx.scanDisputeClocks(ctx, today, &r); err != nil {
			return err
		}
		if err := tx.scanIncidentsAndRetention(ctx, today, &r); err != nil {
			return err
		}
		counts := map[string]int{}
		for k, n := range r.Reminders {
			counts[string(k)] = n
		}
		tx.audit("reminders.scan", "reminders", 0, 0, map[string]any{
			"date": today.String(), "cases": r.Cases, "reminders": counts, "emails": r.Emails,
			"digests": r.Digests, "failed": r.Failed, "consultations": r.Consultations, "unsent": r.Unsent,
		})
		report = r
		return nil
	})
	return report, err
}

// digestCounts gathers one digest user's new reminders of the day.
type digestCounts struct {
	email, name string
	soon, today int
	overdue     int
	pending     []db.ReminderSentRecordParams // recorded only once the digest is enqueued
}

// scanCaseDeadlines sends the deadline reminders of open cases.
func (tx *Tx) scanCaseDeadlines(ctx context.Context, cal *calendar.Calendar, today calendar.Date, r *ScanReport) error {
	digestIDs, err := tx.UserPreferenceDigestUserIDs(ctx)
	if err != nil {
		return err
	}
	digestUsers := make(map[int64]*digestCounts, len(digestIDs))
	for _, id := range digestIDs {
		digestUsers[id] = nil
	}
	cases, err := tx.ReminderCases(ctx)
	if err != nil {
		return err
	}
	var digestOrder []int64
	for _, c := range cases {
		if c.AssigneeID == nil {
			continue
		}
		r.Cases++
		kind, err := foi.DeadlineReminder(cal, today, c.DueOn)
		if err != nil {
			r.Failed++
			continue
		}
		if kind == "" {
			continue
		}
		rec := db.ReminderSentRecordParams{Kind: string(kind), RecordType: reminderCase, RecordID: c.ID,
			DueOn: c.DueOn, SentOn: today}
		userID := *c.AssigneeID
		if dc, digest := digestUsers[userID]; digest {
			n, err := tx.ReminderSentHas(ctx, db.ReminderSentHasParams{Kind: rec.Kind, RecordType: rec.RecordType,
				RecordID: rec.RecordID, DueOn: rec.DueOn})
			if err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if dc == nil {
				dc = &digestCounts{email: c.Email, name: c.Name}
				digestUsers[userID] = dc
				digestOrder = append(digestOrder, userID)
			}
			switch kind {
			case foi.ReminderOverdue:
				dc.overdue++
			case foi.ReminderDeadline0:
				dc.today++
			default:
				dc.soon++
			}
			dc.pending = append(dc.pending, rec)
			continue
		}
		n, err := tx.ReminderSentRecord(ctx, rec)
		if err != nil {
			return err
		}
		if n == 0 {
			continue // reported before
		}
		r.Reminders[kind]++
		_, inserted, err := tx.enqueueMessage(ctx, foi.Notification{
			Template: foi.TmplDeadlineReminder, To: c.Email, ToName: c.Name,
			Data:      map[string]string{"due_on": longDate(c.DueOn), "when": kind.Phrase()},
			Link:      "/cases/" + strconv.FormatInt(c.ID, 10),
			DedupeKey: foi.ReminderDedupeKey(kind, c.ID, c.DueOn, ""),
		})
		if err != nil {
			return err
		}
		if inserted {
			r.Emails++
		}
	}
	for _, userID := range digestOrder {
		dc := digestUsers[userID]
		_, inserted, err := tx.enqueueMessage(ctx, foi.Notification{
			Template: foi.TmplDailyDigest, To: dc.email, ToName: dc.name,
			Data: map[string]string{"date": longDate(today), "due_soon": strconv.Itoa(dc.soon),
				"due_today": strconv.Itoa(dc.today), "overdue": strconv.Itoa(dc.overdue)},
			Link:      digestLink,
			DedupeKey: foi.DigestDedupeKey(userID, today),
		})
		if err != nil {
			return err
		}
		if !inserted {
			continue // today's digest went out already: these reminders go in tomorrow's
		}
		r.Digests++
		for _, rec := range dc.pending {
			if _, err := tx.ReminderSentRecord(ctx, rec); err != nil {
				return err
			}
			r.Reminders[foi.ReminderKind(rec.Kind)]++
		}
	}
	return nil
}

// scanAgreementReviews reminds agreement owners of review dates.
func (tx *Tx) scanAgreementReviews(ctx context.Context, cal *calendar.Calendar, today calendar.Date, r *ScanReport) error {
	rows, err := tx.ReminderAgreementContacts(ctx)
	if err != nil {
		return err
	}
	decided := map[int64]foi.ReminderKind{} // agreement -> kind to send now ("" when none)
	for _, c := range rows {
		if !ownsAgreement(c.Responsibilities) {
			continue
		}
		kind, seen := decided[c.AgreementID]
		if !seen {
			k, err := foi.ReviewReminder(cal, today, c.ReviewOn)
			if err != nil {
				r.Failed++
			}
			if k != "" {
				n, err := tx.ReminderSentRecord(ctx, db.ReminderSentRecordParams{Kind: string(k),
					RecordType: reminderAgreement, RecordID: c.AgreementID, DueOn: c.ReviewOn, SentOn: today})
				if err != nil {
					return err
				}
				if n == 0 {
					k = "" // reported before
				} else {
					r.Reminders[k]++
				}
			}
			decided[c.AgreementID], kind = k, k
		}
		if kind == "" {
			continue
		}
		_, inserted, err := tx.enqueueMessage(ctx, foi.Notification{
			Template: foi.TmplAgreementReview, To: c.Email, ToName: c.Name,
			Data: map[string]string{"agreement": c.Code, "review_on": longDate(c.ReviewOn),
				"when": kind.Phrase()},
			Link:      "/",
			DedupeKey: foi.ReminderDedupeKey(kind, c.AgreementID, c.ReviewOn, foi.NormalizeEmail(c.Email)),
		})
		if err != nil {
			return err
		}
		if inserted {
			r.Emails++
		}
	}
	return nil
}

// ownsAgreement reports whether a contact's comma-separated responsibilities make them an owner of the
// agreement's review: change control or data exchange.
func ownsAgreement(responsibilities string) bool {
	for _, s := range strings.Split(responsibilities, ",") {
		switch foi.Responsibility(strings.TrimSpace(s)) {
		case foi.RespChangeControl, foi.RespDataExchange:
			return true
		}
	}
	return false
}

// scanConsultationChasers chases sent consultations still awaiting representations (foi.ConsultationChaser):
// chaser_2 and chaser_0 go to the consulted party's BAU FOI contact (falling back to the address the
// consultation went to) and count as reminders on the consultation (foi.Consultation.RecordReminder); the
// escalation goes to the party's escalation-tier FOI contact (falling back to any active escalation contact),
// tells the case's assignee, and records the escalation (RecordEscalation). Each (kind, consultation,
// respond-by) is recorded once in reminders_sent (record_type 'consultation') and each email carries a
// foi.ChaserDedupeKey, so scanning twice sends once. A chaser with nobody to send it to is listed in r.Unsent
// and not recorded, so the next scan tries again; an escalation whose case has no active assignee still goes,
// and the missing officer is listed in r.Unsent.
func (tx *Tx) scanConsultationChasers(ctx context.Context, cal *calendar.Calendar, today calendar.Date, r *ScanReport) error {
	rows, err := tx.ConsultationChaserList(ctx)
	if err != nil {
		return err
	}
	for _, row := range rows {
		r.Consultations++
		kind, err := foi.ConsultationChaser(cal, today, row.SentOn, row.RespondBy)
		if err != nil {
			r.Failed++
			continue
		}
		if kind == "" || (kind == foi.ChaserEscalation && !row.EscalatedOn.IsZero()) {
			continue
		}
		n, err := tx.ReminderSentHas(ctx, db.ReminderSentHasParams{Kind: string(kind), RecordType: reminderConsultation,
			RecordID: row.ID, DueOn: row.RespondBy})
		if err != nil {
			return err
		}
		if n > 0 {
			continue // chased before
		}
		k, err := tx.loadConsultation(ctx, row.ID)
		if err != nil {
			return err
		}
		if kind == foi.ChaserEscalation {
			err = k.RecordEscalation(today)
		} else {
			err = k.RecordReminder(today)
		}
		if code := foi.ErrorCode(err); code == foi.ECONFLICT || code == foi.EPRECONDITION {
			continue // it changed since the list was read (representations arrived, say): nothing to chase
		} else if err != nil {
			return err
		}
		emails, unsent, err := tx.sendChaser(ctx, row, k, kind, today, foi.ChaserDedupeKey(kind, row.ID, row.RespondBy, ""))
		var nobody noChaserContact
		if errors.As(err, &nobody) {
			unsent = []string{nobody.why} // not recorded, so the next scan tries again
		} else if err != nil {
			return err
		}
		for _, why := range unsent {
			r.Unsent = append(r.Unsent, fmt.Sprintf("consultation %d: %s: %s", row.ID, kind, why))
		}
		if nobody.why != "" {
			continue
		}
		if _, err := tx.ReminderSentRecord(ctx, db.ReminderSentRecordParams{Kind: string(kind),
			RecordType: reminderConsultation, RecordID: row.ID, DueOn: row.RespondBy, SentOn: today}); err != nil {
			return err
		}
		r.Reminders[kind]++
		r.Emails += emails
	}
	return nil
}

// noChaserContact is sendChaser's error when the consulted party has nobody to receive the chaser.
type noChaserContact struct{ why string }

func (e noChaserContact) Error() string { return e.why }

// sendChaser sends chaser kind for consultation k (row is its ConsultationChaserList row), which the caller
// has just recorded on k (RecordReminder, RecordEscalation or Chase): the reminders go to the consulted
// party's BAU FOI contact (falling back to the address the consultation went to), the escalation to its
// escalation-tier contact, and tells the case's assignee. It writes k, queues the emails (dedupe keys from
// dedupe), audits consultation.chase, and returns how many emails it queued and why any could not go (the
// assignee to tell). When the consulted party has nobody to receive it, nothing is written or queued and the
// error is a noChaserContact naming why.
func (tx *Tx) sendChaser(ctx context.Context, row db.ConsultationChaserListRow, k *foi.Consultation,
	kind foi.ReminderKind, today calendar.Date, dedupe string) (emails int, unsent []string, err error) {
	var to *db.Contact
	if kind == foi.ChaserEscalation {
		to, err = tx.escalationContact(ctx, row.ConsultedPartyID)
	} else {
		to, err = tx.foiContact(ctx, row.ConsultedPartyID)
		if to == nil && err == nil && row.ContactEmail != "" {
			to = &db.Contact{Email: row.ContactEmail}
		}
	}
	if err != nil {
		return 0, nil, err
	}
	if to == nil {
		tier := "business-as-usual FOI"
		if kind == foi.ChaserEscalation {
			tier = "escalation"
		}
		return 0, nil, noChaserContact{"the consulted party " + row.ConsultedPartyCode + " has no active " + tier + " contact"}
	}
	if err := tx.writeConsultation(ctx, k); err != nil {
		return 0, nil, err
	}
	tmpl, data := foi.TmplConsultationChaser, map[string]string{"case_reference": row.CaseReference,
		"from_party": row.OwnerPartyCode, "respond_by": longDate(row.RespondBy),
		"when": foi.ChaseWords(kind, today, row.RespondBy)}
	if kind == foi.ChaserEscalation {
		tmpl = foi.TmplConsultationEscalation
		delete(data, "when")
	}
	link := "/consultations/" + strconv.FormatInt(row.ID, 10)
	_, inserted, err := tx.enqueueMessage(ctx, foi.Notification{Template: tmpl, To: to.Email, ToName: to.Name,
		Data: data, Link: link, DedupeKey: dedupe})
	if err != nil {
		return 0, nil, err
	}
	if inserted {
		emails++
	}
	detail := map[string]any{"kind": kind, "respond_by": row.RespondBy.String(), "to": foi.NormalizeEmail(to.Email)}
	if kind == foi.ChaserEscalation {
		officer := ""
		if row.AssigneeID != nil && row.AssigneeActive != nil && *row.AssigneeActive && row.AssigneeEmail != nil {
			officer = *row.AssigneeEmail
			_, inserted, err := tx.enqueueMessage(ctx, foi.Notification{Template: foi.TmplConsultationOverdueOfficer,
				To: officer, ToName: nameOf(row.AssigneeName),
				Data: map[string]string{"case_reference": row.CaseReference,
					"consulted_party": row.ConsultedPartyCode, "respond_by": longDate(row.RespondBy)},
				Link:      "/cases/" + strconv.FormatInt(row.CaseID, 10),
				DedupeKey: dedupe + ":officer"})
			if err != nil {
				return 0, nil, err
			}
			if inserted {
				emails++
			}
		} else {
			unsent = append(unsent, "the case has no active assignee to tell")
		}
		detail["officer"] = officer
	}
	tx.audit("consultation.chase", "consultation", row.ID, row.OwnerPartyID, detail)
	return emails, unsent, nil
}

// escalationContact returns the party's first active escalation-tier contact responsible for FOI, else its
// first active escalation-tier contact, or nil when it has none.
func (tx *Tx) escalationContact(ctx context.Context, partyID int64) (*db.Contact, error) {
	rows, err := tx.ContactListByParty(ctx, partyID)
	if err != nil {
		return nil, err
	}
	var fallback *db.Contact
	for i, c := range rows {
		if !c.Active || foi.Tier(c.Tier) != foi.TierEscalation {
			continue
		}
		if slices.Contains(splitResponsibilities(c.Responsibilities), foi.RespFOI) {
			return &rows[i], nil
		}
		if fallback == nil {
			fallback = &rows[i]
		}
	}
	return fallback, nil
}

// nameOf returns *s, or "" for nil.
func nameOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// longDate formats a date as emails show it: "Friday 12 June 2026".
func longDate(d calendar.Date) string {
	return d.Time().Format("Monday 2 January 2006")
}

var _ foi.PreferenceService = (*DB)(nil)

// canSetPreferences allows the user themself, an admin, and the CLI; EFORBIDDEN for anyone else and
// EUNAUTHORIZED without an actor.
func canSetPreferences(ctx context.Context, userID int64) error {
	a := foi.ActorFrom(ctx)
	switch {
	case a.User != nil && (a.User.ID == userID || a.User.Role == foi.RoleAdmin):
		return nil
	case a.User == nil && a.Label == foi.ActorCLI:
		return nil
	case a.User == nil && a.Label == "":
		return foi.Errorf(foi.EUNAUTHORIZED, "Sign in to see or change email preferences.")
	}
	return foi.Errorf(foi.EFORBIDDEN, "You can only see or change your own email preferences.")
}

// SetDigestPreference sets whether the user receives their reminders as one daily digest instead of one email
// each, and audits it ("preferences.update"). Only the user themself, an admin or the CLI may set it: others
// get EFORBIDDEN (EUNAUTHORIZED without an actor). ENOTFOUND for no such user.
func (d *DB) SetDigestPreference(ctx context.Context, userID int64, digest bool) error {
	if err := canSetPreferences(ctx, userID); err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.UserGet(ctx, userID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return foi.Errorf(foi.ENOTFOUND, "No user %d.", userID)
			}
			return err
		}
		if err := tx.UserPreferenceSetDigest(ctx, db.UserPreferenceSetDigestParams{UserID: userID, Digest: digest,
			Now: tx.now}); err != nil {
			return err
		}
		tx.audit("preferences.update", "user", userID, 0, map[string]any{"digest": digest})
		return nil
	})
}

// DigestPreference reports whether the user chose the daily digest (false when they never chose). The same
// actors as SetDigestPreference may read it.
func (d *DB) DigestPreference(ctx context.Context, userID int64) (bool, error) {
	if err := canSetPreferences(ctx, userID); err != nil {
		return false, err
	}
	p, err := d.readQueries().UserPreferenceGet(ctx, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, d.internal("read preferences", err)
	}
	return p.Digest, nil
}
