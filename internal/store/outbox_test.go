package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func systemCtx() context.Context {
	return foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorSystem})
}

func note(to string) foi.Notification {
	return foi.Notification{
		Template: foi.TmplConsultationSent, To: to, ToName: "Liaison",
		Data: map[string]string{"case_reference": "HO-FOI-2026-000123", "from_party": "Home Office",
			"respond_by": "Friday 12 June 2026"},
		Link: "/consultations/12",
	}
}

func mustEnqueue(t *testing.T, d *store.DB, ns ...foi.Notification) {
	t.Helper()
	if err := store.EnqueueInTx(systemCtx(), d, nil, ns...); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

func listAll(t *testing.T, d *store.DB, status foi.OutboxStatus) []foi.OutboxEntry {
	t.Helper()
	es, err := d.ListOutbox(systemCtx(), status)
	if err != nil {
		t.Fatalf("list outbox: %v", err)
	}
	return es
}

// fixedClock sets the store's clock to a fixed instant and returns a function that moves it.
func fixedClock(d *store.DB) func(time.Duration) {
	var mu sync.Mutex
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	return func(by time.Duration) { mu.Lock(); now = now.Add(by); mu.Unlock() }
}

func TestOutbox_EnqueueIsPartOfTheTransaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		boom := errors.New("the change failed")
		err := store.EnqueueInTx(systemCtx(), d, boom, note("a@example.gov.uk"), note("b@example.gov.uk"))
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the transaction's error", err)
		}
		if es := listAll(t, d, ""); len(es) != 0 {
			t.Fatalf("a rolled-back transaction left %d outbox rows", len(es))
		}
		mustEnqueue(t, d, note("A@Example.gov.uk "))
		es := listAll(t, d, "")
		if len(es) != 1 {
			t.Fatalf("got %d rows, want 1", len(es))
		}
		e := es[0]
		if e.Status != foi.OutboxPending || e.Attempts != 0 || e.To != "a@example.gov.uk" ||
			e.Link != "/consultations/12" || e.Data["case_reference"] != "HO-FOI-2026-000123" ||
			!strings.HasPrefix(e.MessageID, "<") || !strings.HasSuffix(e.MessageID, "@foidesk>") ||
			e.LockedUntil != nil || e.SentAt != nil {
			t.Fatalf("unexpected row: %+v", e)
		}
	})
}

func TestOutbox_EnqueueValidates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		bad := map[string]foi.Notification{
			"to":       {Template: foi.TmplSMTPTest, To: "not an address", Link: "/"},
			"template": {Template: "case_contents", To: "a@example.gov.uk", Link: "/"},
			"data": {Template: foi.TmplSMTPTest, To: "a@example.gov.uk", Link: "/",
				Data: map[string]string{"requester_name": "Jane"}},
			"link":    {Template: foi.TmplSMTPTest, To: "a@example.gov.uk", Link: "https://evil.example/"},
			"to_name": {Template: foi.TmplSMTPTest, To: "a@example.gov.uk", Link: "/", ToName: "x\r\nBcc: y@example.com"},
		}
		for field, n := range bad {
			err := store.EnqueueInTx(systemCtx(), d, nil, n)
			wantCode(t, err, foi.EINVALID)
			if fs := foi.ErrorFields(err); len(fs) == 0 || fs[0].Field != field {
				t.Errorf("%s: fields = %+v", field, fs)
			}
		}
		if es := listAll(t, d, ""); len(es) != 0 {
			t.Fatalf("invalid notifications left %d rows", len(es))
		}
	})
}

func TestOutbox_ClaimReturnsEachDueRowOnceInOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		advance := fixedClock(d)
		ctx := systemCtx()
		for i := range 3 {
			mustEnqueue(t, d, note(fmt.Sprintf("r%d@example.gov.uk", i)))
			advance(time.Second)
		}
		var got []string
		for {
			m, err := d.ClaimNext(ctx, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if m == nil {
				break
			}
			if m.Attempts != 1 || m.Data["from_party"] != "Home Office" || m.MessageID == "" {
				t.Fatalf("claimed %+v", m)
			}
			got = append(got, m.To)
		}
		want := []string{"r0@example.gov.uk", "r1@example.gov.uk", "r2@example.gov.uk"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("claimed %v, want %v", got, want)
		}
		if n := len(listAll(t, d, foi.OutboxSending)); n != 3 {
			t.Fatalf("%d sending, want 3", n)
		}

		// A temporary failure waits for its next attempt; a later claim counts a second attempt.
		es := listAll(t, d, foi.OutboxSending)
		first := es[len(es)-1]
		if err := d.MarkFailed(ctx, first.ID, errors.New("421 try later"), false, d.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if m, err := d.ClaimNext(ctx, time.Minute); err != nil || m != nil {
			t.Fatalf("claimed %+v, %v before the next attempt is due", m, err)
		}
		advance(time.Hour)
		m, err := d.ClaimNext(ctx, time.Minute)
		if err != nil || m == nil || m.ID != first.ID || m.Attempts != 2 || m.MessageID != first.MessageID {
			t.Fatalf("re-claim = %+v, %v", m, err)
		}
		if err := d.MarkSent(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		// Marking a message that is no longer sending changes nothing.
		if err := d.MarkFailed(ctx, m.ID, errors.New("late"), true, time.Time{}); err != nil {
			t.Fatal(err)
		}
		e, err := d.OutboxMessage(ctx, m.ID)
		if err != nil || e.Status != foi.OutboxSent || e.SentAt == nil || e.LockedUntil != nil || e.LastError != "" {
			t.Fatalf("after MarkSent: %+v, %v", e, err)
		}
	})
}

func TestOutbox_ConcurrentClaimersNeverShareARow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		const messages, workers = 200, 8
		ns := make([]foi.Notification, messages)
		for i := range ns {
			ns[i] = note(fmt.Sprintf("r%03d@example.gov.uk", i))
		}
		mustEnqueue(t, d, ns...)
		ctx := systemCtx()
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		errc := make(chan error, workers)
		for range workers {
			wg.Go(func() {
				for {
					m, err := d.ClaimNext(ctx, time.Minute)
					if err != nil {
						errc <- err
						return
					}
					if m == nil {
						return
					}
					mu.Lock()
					seen[m.ID]++
					mu.Unlock()
					if err := d.MarkSent(ctx, m.ID); err != nil {
						errc <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		if len(seen) != messages {
			t.Fatalf("claimed %d distinct messages, want %d", len(seen), messages)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("message %d claimed %d times", id, n)
			}
		}
		if n := len(listAll(t, d, foi.OutboxSent)); n != messages {
			t.Fatalf("%d sent, want %d", n, messages)
		}
	})
}

func TestOutbox_SweeperReturnsExpiredLocks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		advance := fixedClock(d)
		ctx := systemCtx()
		mustEnqueue(t, d, note("a@example.gov.uk"), note("b@example.gov.uk"))
		dead, _ := d.ClaimNext(ctx, time.Minute)     // its worker "dies"
		alive, _ := d.ClaimNext(ctx, 10*time.Minute) // still within its lock
		if dead == nil || alive == nil {
			t.Fatal("nothing claimed")
		}
		if n, err := d.SweepExpired(ctx); err != nil || n != 0 {
			t.Fatalf("sweep before expiry = %d, %v", n, err)
		}
		advance(time.Minute) // locked_until <= now: expired
		if n, err := d.SweepExpired(ctx); err != nil || n != 1 {
			t.Fatalf("sweep after expiry = %d, %v", n, err)
		}
		again, err := d.ClaimNext(ctx, time.Minute)
		if err != nil || again == nil || again.ID != dead.ID || again.MessageID != dead.MessageID || again.Attempts != 2 {
			t.Fatalf("re-claim = %+v, %v; want message %d again with the same Message-ID", again, err, dead.ID)
		}
		if m, _ := d.ClaimNext(ctx, time.Minute); m != nil {
			t.Fatalf("claimed %d, which is still locked", m.ID)
		}
	})
}

func TestOutbox_DedupeKeyMakesASecondEnqueueANoOp(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		n := note("a@example.gov.uk")
		n.DedupeKey = "consultation:12:reminder:2026-06-10"
		mustEnqueue(t, d, n)
		mustEnqueue(t, d, n, n)
		other := note("a@example.gov.uk")
		other.DedupeKey = "consultation:12:reminder:2026-06-11"
		mustEnqueue(t, d, other, note("a@example.gov.uk"), note("a@example.gov.uk"))
		es := listAll(t, d, "")
		if len(es) != 4 {
			t.Fatalf("%d rows, want 4 (one per dedupe key, and the two without a key)", len(es))
		}
		keys := []string{}
		for _, e := range es {
			keys = append(keys, e.DedupeKey)
		}
		sort.Strings(keys)
		if fmt.Sprint(keys) != "[  consultation:12:reminder:2026-06-10 consultation:12:reminder:2026-06-11]" {
			t.Fatalf("keys %q", keys)
		}
	})
}

func TestOutbox_DeadLetterRetryIsAuditedAndAdminOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		ctx := systemCtx()
		mustEnqueue(t, d, note("a@example.gov.uk"), note("b@example.gov.uk"), note("c@example.gov.uk"))
		for range 2 {
			m, _ := d.ClaimNext(ctx, time.Minute)
			if err := d.MarkFailed(ctx, m.ID, errors.New("550 no such user"), true, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
		deadRows := listAll(t, d, foi.OutboxDead)
		if len(deadRows) != 2 || deadRows[0].LastError != "550 no such user" {
			t.Fatalf("dead = %+v", deadRows)
		}
		pending := listAll(t, d, foi.OutboxPending)[0]

		officer := mustCreateUser(t, d, "officer@example.gov.uk", foi.RoleOfficer, "HO")
		admin := mustCreateUser(t, d, "admin2@example.gov.uk", foi.RoleAdmin, "")
		_, err := d.ListOutbox(userCtx(officer), "")
		wantCode(t, err, foi.EFORBIDDEN)
		wantCode(t, d.RetryOutbox(userCtx(officer), deadRows[0].ID), foi.EFORBIDDEN)
		_, err = d.ClaimNext(context.Background(), time.Minute)
		wantCode(t, err, foi.EUNAUTHORIZED)
		_, err = d.ListOutbox(ctx, "stuck")
		wantCode(t, err, foi.EINVALID)

		wantCode(t, d.RetryOutbox(userCtx(admin), pending.ID), foi.ECONFLICT)
		wantCode(t, d.RetryOutbox(userCtx(admin), 999999), foi.ENOTFOUND)
		if err := d.RetryOutbox(userCtx(admin), deadRows[0].ID); err != nil {
			t.Fatal(err)
		}
		e, _ := d.OutboxMessage(ctx, deadRows[0].ID)
		if e.Status != foi.OutboxPending || e.Attempts != 0 {
			t.Fatalf("after retry: %+v", e)
		}
		n, err := d.RetryAllDead(cliCtx())
		if err != nil || n != 1 {
			t.Fatalf("retry all = %d, %v", n, err)
		}
		if len(listAll(t, d, foi.OutboxDead)) != 0 || len(listAll(t, d, foi.OutboxPending)) != 3 {
			t.Fatal("dead messages left after retry")
		}
		counts, err := d.OutboxCounts(ctx)
		if err != nil || counts[foi.OutboxPending] != 3 {
			t.Fatalf("counts = %v, %v", counts, err)
		}
		raw := store.RawDB(d)
		var audited int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'outbox.retry'`).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 2 {
			t.Fatalf("%d outbox.retry audit events, want 2", audited)
		}
		if _, err := d.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestOutbox_EnqueueTestMessage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		e, err := d.EnqueueTestMessage(cliCtx(), "Ops@Example.gov.uk")
		if err != nil {
			t.Fatal(err)
		}
		if e.Template != foi.TmplSMTPTest || e.To != "ops@example.gov.uk" || e.Status != foi.OutboxPending || e.ID == 0 {
			t.Fatalf("queued %+v", e)
		}
		_, err = d.EnqueueTestMessage(cliCtx(), "nope")
		wantCode(t, err, foi.EINVALID)
	})
}

func TestOutbox_ClaimBatchTakesTheOldestDueRowsInOrderUnderOneLock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		advance := fixedClock(d)
		ctx := systemCtx()
		for i := range 5 {
			mustEnqueue(t, d, note(fmt.Sprintf("r%d@example.gov.uk", i)))
			advance(time.Second)
		}
		// The oldest becomes due later than the others after a failed attempt.
		first, _ := d.ClaimNext(ctx, time.Minute)
		if err := d.MarkFailed(ctx, first.ID, errors.New("421 later"), false, d.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		_, _, err := d.ClaimBatch(ctx, time.Minute, 0)
		wantCode(t, err, foi.EINVALID)
		_, _, err = d.ClaimBatch(ctx, 0, 3)
		wantCode(t, err, foi.EINVALID)
		_, _, err = d.ClaimBatch(context.Background(), time.Minute, 3)
		wantCode(t, err, foi.EUNAUTHORIZED)

		ms, lockedUntil, err := d.ClaimBatch(ctx, time.Minute, 3)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			if m.Attempts != 1 || m.Data["from_party"] != "Home Office" || m.MessageID == "" {
				t.Fatalf("claimed %+v", m)
			}
			got = append(got, m.To)
		}
		if fmt.Sprint(got) != "[r1@example.gov.uk r2@example.gov.uk r3@example.gov.uk]" {
			t.Fatalf("claimed %v", got)
		}
		if want := d.Now().Add(time.Minute); !lockedUntil.Equal(want) {
			t.Fatalf("locked until %s, want %s", lockedUntil, want)
		}
		for _, e := range listAll(t, d, foi.OutboxSending) {
			if e.LockedUntil == nil || !e.LockedUntil.Equal(lockedUntil) {
				t.Fatalf("sending row %d locked until %v, want %s", e.ID, e.LockedUntil, lockedUntil)
			}
		}
		// Only r4 is left due; then nothing.
		ms, _, err = d.ClaimBatch(ctx, time.Minute, 3)
		if err != nil || len(ms) != 1 || ms[0].To != "r4@example.gov.uk" {
			t.Fatalf("second claim = %+v, %v", ms, err)
		}
		ms, lockedUntil, err = d.ClaimBatch(ctx, time.Minute, 3)
		if err != nil || len(ms) != 0 || !lockedUntil.IsZero() {
			t.Fatalf("empty claim = %+v, %s, %v", ms, lockedUntil, err)
		}
	})
}

func TestOutbox_RecordOutcomesMarksEachMessageByItsOwnOutcome(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		fixedClock(d)
		ctx := systemCtx()
		mustEnqueue(t, d, note("sent@example.gov.uk"), note("retry@example.gov.uk"), note("dead@example.gov.uk"),
			note("sent2@example.gov.uk"))
		ms, _, err := d.ClaimBatch(ctx, time.Minute, 10)
		if err != nil || len(ms) != 4 {
			t.Fatalf("claim = %d, %v", len(ms), err)
		}
		next := d.Now().Add(time.Hour)
		outcomes := []foi.DeliveryOutcome{
			{ID: ms[0].ID},
			{ID: ms[1].ID, Err: errors.New("451 try later"), NextAttempt: next},
			{ID: ms[2].ID, Err: errors.New("550 no such user"), Permanent: true},
			{ID: ms[3].ID},
		}
		if err := d.RecordOutcomes(ctx, outcomes); err != nil {
			t.Fatal(err)
		}
		want := map[int64]foi.OutboxStatus{ms[0].ID: foi.OutboxSent, ms[1].ID: foi.OutboxPending,
			ms[2].ID: foi.OutboxDead, ms[3].ID: foi.OutboxSent}
		for id, st := range want {
			e, err := d.OutboxMessage(ctx, id)
			if err != nil || e.Status != st || e.LockedUntil != nil || e.Attempts != 1 {
				t.Fatalf("message %d: %+v, %v; want %s", id, e, err, st)
			}
			switch st {
			case foi.OutboxSent:
				if e.SentAt == nil || e.LastError != "" {
					t.Fatalf("sent %+v", e)
				}
			case foi.OutboxPending:
				if !e.NextAttemptAt.Equal(next) || e.LastError != "451 try later" {
					t.Fatalf("retry %+v", e)
				}
			case foi.OutboxDead:
				if e.LastError != "550 no such user" {
					t.Fatalf("dead %+v", e)
				}
			}
		}
		// Recording again changes nothing: none of them is sending any more.
		if err := d.RecordOutcomes(ctx, []foi.DeliveryOutcome{{ID: ms[1].ID}, {ID: ms[2].ID}}); err != nil {
			t.Fatal(err)
		}
		if n := len(listAll(t, d, foi.OutboxSent)); n != 2 {
			t.Fatalf("%d sent, want 2", n)
		}
		wantCode(t, d.RecordOutcomes(context.Background(), outcomes), foi.EUNAUTHORIZED)
	})
}

func TestOutbox_ReleaseClaimedUndoesTheClaimOnlyUnderItsOwnLock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		advance := fixedClock(d)
		ctx := systemCtx()
		mustEnqueue(t, d, note("a@example.gov.uk"), note("b@example.gov.uk"), note("c@example.gov.uk"))
		before := listAll(t, d, foi.OutboxPending)
		ms, lockedUntil, err := d.ClaimBatch(ctx, time.Minute, 3)
		if err != nil || len(ms) != 3 {
			t.Fatalf("claim = %d, %v", len(ms), err)
		}
		// a is released by its claimer; b's lock expires, and another worker sweeps and claims it again.
		advance(time.Second)
		if err := d.ReleaseClaimed(ctx, []int64{ms[0].ID}, lockedUntil); err != nil {
			t.Fatal(err)
		}
		e, _ := d.OutboxMessage(ctx, ms[0].ID)
		var was foi.OutboxEntry
		for _, b := range before {
			if b.ID == ms[0].ID {
				was = b
			}
		}
		if e.Status != foi.OutboxPending || e.Attempts != 0 || e.LockedUntil != nil || !e.NextAttemptAt.Equal(was.NextAttemptAt) {
			t.Fatalf("released %+v, was %+v", e, was)
		}
		advance(time.Minute)
		if n, err := d.SweepExpired(ctx); err != nil || n != 2 {
			t.Fatalf("sweep = %d, %v", n, err)
		}
		again, otherLock, err := d.ClaimBatch(ctx, time.Minute, 3)
		if err != nil || len(again) != 3 {
			t.Fatalf("re-claim = %d, %v", len(again), err)
		}
		// The first claimer, late, releases b and c under its old lock: nothing changes.
		if err := d.ReleaseClaimed(ctx, []int64{ms[1].ID, ms[2].ID}, lockedUntil); err != nil {
			t.Fatal(err)
		}
		if n := len(listAll(t, d, foi.OutboxSending)); n != 3 {
			t.Fatalf("%d sending after a stale release, want 3", n)
		}
		if err := d.ReleaseClaimed(ctx, []int64{ms[1].ID, ms[2].ID}, otherLock); err != nil {
			t.Fatal(err)
		}
		if n := len(listAll(t, d, foi.OutboxPending)); n != 2 {
			t.Fatalf("%d pending after the owner's release, want 2", n)
		}
		wantCode(t, d.ReleaseClaimed(context.Background(), []int64{ms[0].ID}, otherLock), foi.EUNAUTHORIZED)
	})
}
