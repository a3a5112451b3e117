package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// The transactional outbox. Store code that records a change owing an email calls tx.enqueue in the same
// transaction, so the email exists exactly when the change does; the worker (package worker) claims, sends and
// marks the rows after commit. Delivery state changes are not audited (one row per attempt would drown the
// log); an admin's retry or test message is.

// outboxListLimit is how many rows ListOutbox returns at most.
const outboxListLimit = 500

// maxLastError is the longest error text kept on a row.
const maxLastError = 1000

var _ foi.OutboxService = (*DB)(nil)

// enqueue validates n and writes it to the outbox as a pending message due now, with a fresh Message-ID. A
// notification whose DedupeKey is already in the outbox is dropped silently (the reminder scan relies on it).
// It returns an EINVALID error for a bad address, template, data field or link.
func (tx *Tx) enqueue(ctx context.Context, n foi.Notification) error {
	_, _, err := tx.enqueueMessage(ctx, n)
	return err
}

// enqueueMessage is enqueue that also returns the Message-ID it chose and whether a row was written (false
// when the dedupe key was already taken).
func (tx *Tx) enqueueMessage(ctx context.Context, n foi.Notification) (messageID string, inserted bool, err error) {
	if err := n.Validate(); err != nil {
		return "", false, err
	}
	data := n.Data
	if data == nil {
		data = map[string]string{}
	}
	b, err := json.Marshal(data)
	if err != nil {
		return "", false, err
	}
	messageID, err = newMessageID()
	if err != nil {
		return "", false, err
	}
	var dedupe *string
	if n.DedupeKey != "" {
		dedupe = &n.DedupeKey
	}
	rows, err := tx.OutboxEnqueue(ctx, db.OutboxEnqueueParams{
		Template: n.Template, RecipientEmail: n.To, RecipientName: n.ToName, Data: string(b), Link: n.Link,
		MessageID: messageID, DedupeKey: dedupe, Now: tx.now,
	})
	if err != nil {
		return "", false, err
	}
	return messageID, rows == 1, nil
}

// newMessageID returns a random RFC 5322 Message-ID, angle brackets included.
func newMessageID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "<" + hex.EncodeToString(b) + "@foidesk>", nil
}

// canManageOutbox checks ActionManageOutbox for the actor in ctx: the worker and the CLI pass, an admin user
// passes, anyone else gets EFORBIDDEN or EUNAUTHORIZED.
func canManageOutbox(ctx context.Context) error {
	return foi.CanActor(foi.ActorFrom(ctx), foi.ActionManageOutbox, foi.Scope{})
}

// maxClaimBatch is the most messages one ClaimBatch returns.
const maxClaimBatch = 1000

// ClaimBatch marks up to max of the oldest due pending messages as sending, all locked until now+lockFor,
// counts the attempt of each, and returns them in due order with the lock's end; none (and a zero time) when
// no message is due. One statement claims the whole batch. On PostgreSQL concurrent claimers skip each
// other's rows (FOR UPDATE SKIP LOCKED); on SQLite the single writer serialises them. It returns EINVALID for
// a lockFor or max that is not positive (max above 1000 is taken as 1000), and EUNAUTHORIZED/EFORBIDDEN for
// an actor without ActionManageOutbox.
func (d *DB) ClaimBatch(ctx context.Context, lockFor time.Duration, max int) ([]foi.OutboundMessage, time.Time, error) {
	if err := canManageOutbox(ctx); err != nil {
		return nil, time.Time{}, err
	}
	if lockFor <= 0 {
		return nil, time.Time{}, foi.Errorf(foi.EINVALID, "lock duration must be positive, got %s", lockFor)
	}
	if max <= 0 {
		return nil, time.Time{}, foi.Errorf(foi.EINVALID, "batch size must be positive, got %d", max)
	}
	max = min(max, maxClaimBatch)
	now := d.now()
	lockedUntil := now.Add(lockFor).Truncate(time.Microsecond)
	rows, err := d.claimOutbox(ctx, now, lockedUntil, max)
	if err != nil {
		return nil, time.Time{}, d.internal("claim outbox messages", err)
	}
	if len(rows) == 0 {
		return nil, time.Time{}, nil
	}
	slices.SortFunc(rows, func(a, b claimedRow) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	out := make([]foi.OutboundMessage, len(rows))
	for i, r := range rows {
		out[i] = foi.OutboundMessage{
			ID: r.ID, Template: r.Template, To: r.RecipientEmail, ToName: r.RecipientName, Link: r.Link,
			MessageID: r.MessageID, Attempts: int(r.Attempts), CreatedAt: r.CreatedAt.UTC(),
		}
		if err := json.Unmarshal([]byte(r.Data), &out[i].Data); err != nil {
			// Cannot happen for rows enqueue wrote; the renderer then fails and the message goes dead.
			d.log.Error("outbox message has malformed data", "id", r.ID, "err", err)
			out[i].Data = nil
		}
	}
	return out, lockedUntil, nil
}

// ClaimNext is ClaimBatch for one message: it returns the oldest due pending message, claimed, or (nil, nil)
// when none is due.
func (d *DB) ClaimNext(ctx context.Context, lockFor time.Duration) (*foi.OutboundMessage, error) {
	ms, _, err := d.ClaimBatch(ctx, lockFor, 1)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	return &ms[0], nil
}

// RecordOutcomes records the outcomes of attempts at claimed messages in one transaction: a message whose
// Err is nil becomes sent; one with an Err becomes dead when Permanent, otherwise pending again from
// NextAttempt, with the error's text as its last error. An outcome for a message that is not sending (for
// example one already marked by another worker after its lock expired) is a no-op. The common case, every
// message sent, is one statement.
func (d *DB) RecordOutcomes(ctx context.Context, outcomes []foi.DeliveryOutcome) error {
	if err := canManageOutbox(ctx); err != nil {
		return err
	}
	if len(outcomes) == 0 {
		return nil
	}
	now := d.now()
	var sent []int64
	var failed []foi.DeliveryOutcome
	for _, o := range outcomes {
		if o.Err == nil {
			sent = append(sent, o.ID)
		} else {
			failed = append(failed, o)
		}
	}
	markSent, err := d.stmt(ctx, stmtMarkSent)
	if err != nil {
		return d.internal("prepare outbox statement", err)
	}
	if len(failed) == 0 {
		if _, err := d.execIDs(ctx, nil, markSent, now, sent); err != nil {
			return d.internal("mark outbox messages sent", err)
		}
		return nil
	}
	sqlTx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return d.internal("begin transaction", err)
	}
	defer sqlTx.Rollback()
	if len(sent) > 0 {
		if _, err := d.execIDs(ctx, sqlTx, markSent, now, sent); err != nil {
			return d.internal("mark outbox messages sent", err)
		}
	}
	q := db.New(sqlTx)
	for _, o := range failed {
		msg := truncateText(o.Err.Error(), maxLastError)
		if o.Permanent {
			_, err = q.OutboxMarkDead(ctx, db.OutboxMarkDeadParams{ID: o.ID, LastError: msg})
		} else {
			_, err = q.OutboxMarkRetry(ctx, db.OutboxMarkRetryParams{ID: o.ID, LastError: msg,
				NextAttemptAt: o.NextAttempt.UTC().Truncate(time.Microsecond)})
		}
		if err != nil {
			return d.internal("mark outbox message failed", err)
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return d.internal("commit outbox outcomes", err)
	}
	return nil
}

// MarkSent records that a claimed message was delivered (RecordOutcomes for one). It is a no-op (nil) when
// the message is not sending, for example when it was already marked by another worker after its lock
// expired.
func (d *DB) MarkSent(ctx context.Context, id int64) error {
	return d.RecordOutcomes(ctx, []foi.DeliveryOutcome{{ID: id}})
}

// MarkFailed records a failed attempt at a claimed message (RecordOutcomes for one): with permanent it becomes
// dead, otherwise pending again from nextAttempt. sendErr's text is kept as the row's last error. It is a
// no-op (nil) when the message is not sending.
func (d *DB) MarkFailed(ctx context.Context, id int64, sendErr error, permanent bool, nextAttempt time.Time) error {
	if sendErr == nil {
		sendErr = errors.New("unknown error")
	}
	return d.RecordOutcomes(ctx, []foi.DeliveryOutcome{{ID: id, Err: sendErr, Permanent: permanent, NextAttempt: nextAttempt}})
}

// ReleaseClaimed returns claimed messages that were not attempted to pending, due as they were before the
// claim, and undoes the claim's attempt count. Only messages still sending under the lock lockedUntil (as
// ClaimBatch returned it) change: a message whose lock expired and that another worker claimed since is left
// alone.
func (d *DB) ReleaseClaimed(ctx context.Context, ids []int64, lockedUntil time.Time) error {
	if err := canManageOutbox(ctx); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	release, err := d.stmt(ctx, stmtRelease)
	if err == nil {
		_, err = d.execIDs(ctx, nil, release, lockedUntil.UTC().Truncate(time.Microsecond), ids)
	}
	if err != nil {
		return d.internal("release outbox messages", err)
	}
	return nil
}

// SweepExpired returns sending messages whose lock has expired (the worker that claimed them stopped) to
// pending, due now, and returns how many it returned. Their Message-ID is unchanged, so a receiver that got
// the first attempt can tell the second is the same email.
func (d *DB) SweepExpired(ctx context.Context) (int, error) {
	if err := canManageOutbox(ctx); err != nil {
		return 0, err
	}
	n, err := db.New(d.write).OutboxSweepExpired(ctx, d.now())
	if err != nil {
		return 0, d.internal("sweep outbox", err)
	}
	return int(n), nil
}

// ListOutbox returns up to 500 outbox messages, newest first, with the given status ("" for all). It returns
// EINVALID for an unknown status, and EUNAUTHORIZED/EFORBIDDEN for an actor who is not an admin.
func (d *DB) ListOutbox(ctx context.Context, status foi.OutboxStatus) ([]foi.OutboxEntry, error) {
	if err := canManageOutbox(ctx); err != nil {
		return nil, err
	}
	if status != "" && !status.Valid() {
		return nil, foi.Errorf(foi.EINVALID, "Unknown outbox status %q: use pending, sending, sent or dead", status)
	}
	var out []foi.OutboxEntry
	err := d.readTx(ctx, func(q *db.Queries) error {
		rows, err := q.OutboxList(ctx, db.OutboxListParams{Status: string(status), MaxRows: outboxListLimit})
		if err != nil {
			return err
		}
		out = make([]foi.OutboxEntry, 0, len(rows))
		for _, r := range rows {
			out = append(out, outboxEntry(r))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OutboxMessage returns one outbox message by id: ENOTFOUND when there is none, EUNAUTHORIZED/EFORBIDDEN for
// an actor who is not an admin.
func (d *DB) OutboxMessage(ctx context.Context, id int64) (foi.OutboxEntry, error) {
	if err := canManageOutbox(ctx); err != nil {
		return foi.OutboxEntry{}, err
	}
	var e foi.OutboxEntry
	err := d.readTx(ctx, func(q *db.Queries) error {
		r, err := q.OutboxGet(ctx, id)
		if err != nil {
			return err
		}
		e = outboxEntry(r)
		return nil
	})
	return e, err
}

// RetryOutbox makes a dead message pending again, due now, with its attempts reset to zero, and audits it
// ("outbox.retry"). It returns ENOTFOUND for no such message, ECONFLICT for a message that is not dead, and
// EUNAUTHORIZED/EFORBIDDEN for an actor who is not an admin.
func (d *DB) RetryOutbox(ctx context.Context, id int64) error {
	if err := canManageOutbox(ctx); err != nil {
		return err
	}
	return d.inTx(ctx, func(tx *Tx) error {
		r, err := tx.OutboxGet(ctx, id)
		if errors.Is(err, sql.ErrNoRows) {
			return foi.Errorf(foi.ENOTFOUND, "No outbox message %d.", id)
		}
		if err != nil {
			return err
		}
		if r.Status != string(foi.OutboxDead) {
			return foi.Errorf(foi.ECONFLICT, "Outbox message %d is %s, not dead: only dead messages can be retried.", id, r.Status)
		}
		return tx.retryDead(ctx, r)
	})
}

// RetryAllDead makes every dead message pending again, as RetryOutbox does for one, and returns how many. Each
// is audited.
func (d *DB) RetryAllDead(ctx context.Context) (int, error) {
	if err := canManageOutbox(ctx); err != nil {
		return 0, err
	}
	var n int
	err := d.inTx(ctx, func(tx *Tx) error {
		ids, err := tx.OutboxDeadIDs(ctx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			r, err := tx.OutboxGet(ctx, id)
			if err != nil {
				return err
			}
			if err := tx.retryDead(ctx, r); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

func (tx *Tx) retryDead(ctx context.Context, r db.Outbox) error {
	if _, err := tx.OutboxRetry(ctx, db.OutboxRetryParams{ID: r.ID, Now: tx.now}); err != nil {
		return err
	}
	tx.audit("outbox.retry", "outbox", r.ID, 0, map[string]any{
		"template": r.Template, "message_id": r.MessageID, "attempts": r.Attempts, "last_error": r.LastError,
	})
	return nil
}

// EnqueueTestMessage puts an smtp_test email to the given address in the outbox, so an admin can check that
// mail is delivered, and audits it ("outbox.test"). It returns the queued message, EINVALID for a bad address
// and EUNAUTHORIZED/EFORBIDDEN for an actor who is not an admin.
func (d *DB) EnqueueTestMessage(ctx context.Context, to string) (foi.OutboxEntry, error) {
	if err := canManageOutbox(ctx); err != nil {
		return foi.OutboxEntry{}, err
	}
	var e foi.OutboxEntry
	err := d.inTx(ctx, func(tx *Tx) error {
		mid, _, err := tx.enqueueMessage(ctx, foi.Notification{Template: foi.TmplSMTPTest, To: to, Link: "/"})
		if err != nil {
			return err
		}
		r, err := tx.OutboxGetByMessageID(ctx, mid)
		if err != nil {
			return err
		}
		e = outboxEntry(r)
		tx.audit("outbox.test", "outbox", r.ID, 0, map[string]any{"to": r.RecipientEmail, "message_id": mid})
		return nil
	})
	return e, err
}

// OutboxCounts returns how many messages the outbox holds in each status (statuses with none are absent).
func (d *DB) OutboxCounts(ctx context.Context) (map[foi.OutboxStatus]int, error) {
	if err := canManageOutbox(ctx); err != nil {
		return nil, err
	}
	out := map[foi.OutboxStatus]int{}
	err := d.readTx(ctx, func(q *db.Queries) error {
		rows, err := q.OutboxCountByStatus(ctx)
		for _, r := range rows {
			out[foi.OutboxStatus(r.Status)] = int(r.N)
		}
		return err
	})
	return out, err
}

func outboxEntry(r db.Outbox) foi.OutboxEntry {
	e := foi.OutboxEntry{
		OutboundMessage: foi.OutboundMessage{
			ID: r.ID, Template: r.Template, To: r.RecipientEmail, ToName: r.RecipientName, Link: r.Link,
			MessageID: r.MessageID, Attempts: int(r.Attempts), CreatedAt: r.CreatedAt.UTC(),
		},
		Status:        foi.OutboxStatus(r.Status),
		NextAttemptAt: r.NextAttemptAt.UTC(),
		LockedUntil:   utcPtr(r.LockedUntil),
		LastError:     r.LastError,
		SentAt:        utcPtr(r.SentAt),
	}
	if r.DedupeKey != nil {
		e.DedupeKey = *r.DedupeKey
	}
	_ = json.Unmarshal([]byte(r.Data), &e.Data)
	return e
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// truncateText cuts s to at most n bytes without splitting a UTF-8 sequence, marking the cut.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "..."
}
