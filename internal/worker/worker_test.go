package worker_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/mail"
	"foidesk/internal/mail/mailtest"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
	"foidesk/internal/worker"
)

func sysCtx() context.Context {
	return foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorSystem})
}

func sender(t testing.TB, srv *mailtest.Server) *mail.SMTPSender {
	t.Helper()
	cfg, err := mail.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	c, err := mail.NewComposer("foidesk@ho.example.gov.uk", "http://127.0.0.1:8080")
	if err != nil {
		t.Fatal(err)
	}
	s := mail.NewSMTPSender(cfg, c)
	t.Cleanup(func() { s.Close() })
	return s
}

var quiet = slog.New(slog.DiscardHandler)

// fastRunner returns a Runner with test-sized intervals.
func fastRunner(d *store.DB, s mail.Sender) *worker.Runner {
	return &worker.Runner{Outbox: d, Sender: s, Log: quiet, Interval: 10 * time.Millisecond, SendTimeout: 5 * time.Second,
		BackoffBase: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond, SweepEvery: 20 * time.Millisecond}
}

// start runs r until the test ends.
func start(t testing.TB, r *worker.Runner) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
}

func enqueue(t testing.TB, d *store.DB, to string) foi.OutboxEntry {
	t.Helper()
	e, err := d.EnqueueTestMessage(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}), to)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func get(t testing.TB, d *store.DB, id int64) foi.OutboxEntry {
	t.Helper()
	e, err := d.OutboxMessage(sysCtx(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// waitStatus waits until message id has the status.
func waitStatus(t testing.TB, d *store.DB, id int64, want foi.OutboxStatus) foi.OutboxEntry {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		e := get(t, d, id)
		if e.Status == want {
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("message %d is %s (attempts %d, last error %q), want %s", id, e.Status, e.Attempts, e.LastError, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRunner_DeliversWithBothPartsAndTheRowsMessageID(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true, Auth: true})
		var queued []foi.OutboxEntry
		for i := range 5 {
			queued = append(queued, enqueue(t, d, fmt.Sprintf("r%d@example.gov.uk", i)))
		}
		start(t, fastRunner(d, sender(t, srv)))
		for _, q := range queued {
			e := waitStatus(t, d, q.ID, foi.OutboxSent)
			if e.Attempts != 1 || e.SentAt == nil {
				t.Fatalf("sent row %+v", e)
			}
		}
		byID := map[string]mailtest.Message{}
		for _, m := range srv.Messages() {
			byID[m.MessageID] = m
		}
		for _, q := range queued {
			m, ok := byID[q.MessageID]
			if !ok {
				t.Fatalf("no message with Message-ID %s", q.MessageID)
			}
			body := string(m.Data)
			if m.To[0] != q.To || !m.TLS || !m.Authed || !strings.Contains(body, "Content-Type: text/plain") ||
				!strings.Contains(body, "Content-Type: text/html") {
				t.Fatalf("message %s: %+v\n%s", q.MessageID, m, body)
			}
		}
		if srv.Count() != 5 {
			t.Fatalf("server got %d messages, want 5", srv.Count())
		}
	})
}

func TestRunner_RetriesA4xxThenSucceeds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.FailNext(451, 421)
		q := enqueue(t, d, "a@example.gov.uk")
		start(t, fastRunner(d, sender(t, srv)))
		e := waitStatus(t, d, q.ID, foi.OutboxSent)
		if e.Attempts != 3 || srv.RcptAttempts() != 3 || srv.Count() != 1 || srv.Messages()[0].MessageID != q.MessageID {
			t.Fatalf("attempts %d, rcpts %d, delivered %d", e.Attempts, srv.RcptAttempts(), srv.Count())
		}
	})
}

func TestRunner_DeadLettersA5xxAtOnceAndAfterMaxAttempts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.Reject("gone@example.gov.uk", 550)
		srv.Reject("busy@example.gov.uk", 452)
		gone := enqueue(t, d, "gone@example.gov.uk")
		busy := enqueue(t, d, "busy@example.gov.uk")
		ok := enqueue(t, d, "ok@example.gov.uk")
		r := fastRunner(d, sender(t, srv))
		r.MaxAttempts = 3
		start(t, r)
		e := waitStatus(t, d, gone.ID, foi.OutboxDead)
		if e.Attempts != 1 || !strings.Contains(e.LastError, "550") {
			t.Fatalf("5xx: %+v", e)
		}
		e = waitStatus(t, d, busy.ID, foi.OutboxDead)
		if e.Attempts != 3 || !strings.Contains(e.LastError, "452") {
			t.Fatalf("4xx until max attempts: %+v", e)
		}
		waitStatus(t, d, ok.ID, foi.OutboxSent)
		if srv.RcptAttempts() != 1+3+1 {
			t.Fatalf("%d RCPTs, want 5", srv.RcptAttempts())
		}
		// An admin retries the dead ones; the 5xx recipient now accepts.
		srv.Reject("gone@example.gov.uk", 0)
		if err := d.RetryOutbox(sysCtx(), gone.ID); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, d, gone.ID, foi.OutboxSent)
	})
}

func TestRunner_SMTPDownThenUpDeliversEverything(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		srv := mailtest.Start(t, mailtest.Options{Auth: true})
		srv.Stop()
		var queued []foi.OutboxEntry
		for i := range 20 {
			queued = append(queued, enqueue(t, d, fmt.Sprintf("r%d@example.gov.uk", i)))
		}
		start(t, fastRunner(d, sender(t, srv)))
		// While the server is down every message fails and waits (connection refused is temporary).
		deadline := time.Now().Add(10 * time.Second)
		for get(t, d, queued[19].ID).Attempts < 2 {
			if time.Now().After(deadline) {
				t.Fatal("no retries while the server was down")
			}
			time.Sleep(10 * time.Millisecond)
		}
		if e := get(t, d, queued[0].ID); e.Status == foi.OutboxDead || !strings.Contains(e.LastError, "connect") {
			t.Fatalf("while down: %+v", e)
		}
		srv.Restart()
		for _, q := range queued {
			waitStatus(t, d, q.ID, foi.OutboxSent)
		}
		counts := srv.ByMessageID()
		for _, q := range queued {
			if counts[q.MessageID] != 1 {
				t.Fatalf("message %s delivered %d times", q.MessageID, counts[q.MessageID])
			}
		}
	})
}

func TestRunner_SweepsAMessageWhoseWorkerDiedAndSendsItWithTheSameMessageID(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		srv := mailtest.Start(t, mailtest.Options{})
		q := enqueue(t, d, "a@example.gov.uk")
		// A worker claims it, then "dies": it never sends nor marks.
		lock := 300 * time.Millisecond
		beforeClaim := time.Now() // the lock runs until at least beforeClaim+lock
		claimed, err := d.ClaimNext(sysCtx(), lock)
		if err != nil || claimed == nil || claimed.ID != q.ID {
			t.Fatalf("claim = %+v, %v", claimed, err)
		}
		start(t, fastRunner(d, sender(t, srv))) // the restarted worker
		e := waitStatus(t, d, q.ID, foi.OutboxSent)
		if time.Since(beforeClaim) < lock {
			t.Fatal("sent before the dead worker's lock expired")
		}
		if e.Attempts != 2 || srv.Count() != 1 || srv.Messages()[0].MessageID != q.MessageID {
			t.Fatalf("attempts %d, delivered %d", e.Attempts, srv.Count())
		}
	})
}

func TestRunner_TwoRunnersOnOnePostgresDeliverEachMessageOnce(t *testing.T) {
	d1 := storetest.OpenPostgres(t)
	srv := mailtest.Start(t, mailtest.Options{TLS: true, Auth: true})
	const n = 300
	for i := range n {
		enqueue(t, d1, fmt.Sprintf("r%03d@example.gov.uk", i))
	}
	// Two runners, each with its own SMTP connections and four senders, claim concurrently on separate
	// PostgreSQL connections of the pool.
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	for range 2 {
		r := fastRunner(d1, sender(t, srv))
		wg.Go(func() { r.Run(ctx) })
	}
	ok := srv.WaitFor(n, 60*time.Second)
	time.Sleep(100 * time.Millisecond) // let any duplicate arrive
	cancel()
	wg.Wait()
	if !ok {
		t.Fatalf("only %d of %d messages arrived", srv.Count(), n)
	}
	counts := srv.ByMessageID()
	if len(counts) != n || srv.Count() != n {
		t.Fatalf("%d messages, %d distinct Message-IDs, want %d each", srv.Count(), len(counts), n)
	}
	for id, c := range counts {
		if c != 1 {
			t.Fatalf("Message-ID %s delivered %d times", id, c)
		}
	}
	sent, _ := d1.ListOutbox(sysCtx(), foi.OutboxSent)
	if len(sent) != n {
		t.Fatalf("%d rows sent, want %d", len(sent), n)
	}
}

func TestRunner_Backoff(t *testing.T) {
	r := &worker.Runner{BackoffBase: time.Second, BackoffMax: 10 * time.Second}
	for attempts, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second,
		4: 8 * time.Second, 5: 10 * time.Second, 30: 10 * time.Second} {
		for range 20 {
			if got := r.Backoff(attempts); got < want/2 || got > want {
				t.Fatalf("Backoff(%d) = %s, want between %s and %s", attempts, got, want/2, want)
			}
		}
	}
}

// funcSender is a mail.Sender (not a mail.Preparer) that records each send and answers with fn.
type funcSender struct {
	mu   sync.Mutex
	seen []foi.OutboundMessage
	fn   func(n int, m foi.OutboundMessage) error // n counts sends from 1
}

func (s *funcSender) Send(ctx context.Context, m foi.OutboundMessage) error {
	s.mu.Lock()
	s.seen = append(s.seen, m)
	n := len(s.seen)
	s.mu.Unlock()
	if s.fn == nil {
		return nil
	}
	return s.fn(n, m)
}

func (s *funcSender) count() map[int64]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int64]int{}
	for _, m := range s.seen {
		out[m.ID]++
	}
	return out
}

func TestRunner_AFailureInABatchRetriesOnlyThatMessage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		srv := mailtest.Start(t, mailtest.Options{})
		var queued []foi.OutboxEntry
		for i := range 6 {
			queued = append(queued, enqueue(t, d, fmt.Sprintf("r%d@example.gov.uk", i)))
		}
		srv.Reject("r2@example.gov.uk", 451)
		srv.Reject("r4@example.gov.uk", 550)
		r := fastRunner(d, sender(t, srv))
		r.BackoffBase, r.BackoffMax = time.Hour, time.Hour
		r.Concurrency, r.BatchSize = 1, 6
		st, err := r.Drain(context.Background())
		if err != nil || st != (worker.Stats{Sent: 4, Retried: 1, Dead: 1}) {
			t.Fatalf("drain = %+v, %v", st, err)
		}
		for i, q := range queued {
			e := get(t, d, q.ID)
			want := foi.OutboxSent
			switch i {
			case 2:
				want = foi.OutboxPending
			case 4:
				want = foi.OutboxDead
			}
			if e.Status != want || e.Attempts != 1 || e.LockedUntil != nil {
				t.Fatalf("message %d: %+v, want %s", i, e, want)
			}
		}
		if e := get(t, d, queued[2].ID); !strings.Contains(e.LastError, "451") || time.Until(e.NextAttemptAt) < 29*time.Minute {
			t.Fatalf("retried message: %+v", e)
		}
		if srv.Count() != 4 || srv.RcptAttempts() != 6 {
			t.Fatalf("delivered %d, rcpts %d", srv.Count(), srv.RcptAttempts())
		}
	})
}

func TestRunner_ReleasesClaimedMessagesItCannotSendWithinTheirLock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		var queued []foi.OutboxEntry
		for i := range 5 {
			queued = append(queued, enqueue(t, d, fmt.Sprintf("r%d@example.gov.uk", i)))
		}
		// The lock covers two sends and the recording (1s + 1s + 15s); the first send takes more than a
		// second, so the lock no longer covers another, and the other four go back to pending.
		s := &funcSender{fn: func(n int, m foi.OutboundMessage) error {
			if n == 1 {
				time.Sleep(1100 * time.Millisecond)
			}
			return nil
		}}
		var claims []int
		r := &worker.Runner{Outbox: &claimSpy{OutboxService: d, sizes: &claims}, Sender: s, Log: quiet,
			Concurrency: 1, BatchSize: 5, SendTimeout: time.Second, LockFor: 17 * time.Second}
		st, err := r.Drain(context.Background())
		if err != nil || st.Sent != 5 {
			t.Fatalf("drain = %+v, %v", st, err)
		}
		// Each message was sent once and counts one attempt: the released ones' first claim was undone.
		for id, n := range s.count() {
			if n != 1 {
				t.Fatalf("message %d sent %d times", id, n)
			}
		}
		for _, q := range queued {
			if e := get(t, d, q.ID); e.Status != foi.OutboxSent || e.Attempts != 1 {
				t.Fatalf("message %d: %+v", q.ID, e)
			}
		}
		var nonEmpty []int
		for _, n := range claims {
			if n > 0 {
				nonEmpty = append(nonEmpty, n)
			}
		}
		if fmt.Sprint(nonEmpty) != "[5 4]" {
			t.Fatalf("claims returned %v messages, want 5 then the 4 released", claims)
		}
	})
}

func TestRunner_ShutdownFinishesTheSendInFlightAndReleasesTheRest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		var queued []foi.OutboxEntry
		for i := range 10 {
			queued = append(queued, enqueue(t, d, fmt.Sprintf("r%d@example.gov.uk", i)))
		}
		ctx, cancel := context.WithCancel(context.Background())
		s := &funcSender{fn: func(n int, m foi.OutboundMessage) error {
			if n == 2 {
				cancel() // shutdown while the second message is on the wire
				time.Sleep(50 * time.Millisecond)
			}
			return nil
		}}
		r := fastRunner(d, s)
		r.Concurrency, r.BatchSize = 1, 4
		st, err := r.Drain(ctx)
		if err != nil || st.Sent != 2 {
			t.Fatalf("drain = %+v, %v", st, err)
		}
		for i, q := range queued {
			e := get(t, d, q.ID)
			want, attempts := foi.OutboxPending, 0
			if i < 2 {
				want, attempts = foi.OutboxSent, 1
			}
			if e.Status != want || e.Attempts != attempts || e.LockedUntil != nil {
				t.Fatalf("message %d: %+v, want %s after %d attempts", i, e, want, attempts)
			}
		}
	})
}

// claimSpy records how many messages each ClaimBatch returned.
type claimSpy struct {
	foi.OutboxService
	mu    sync.Mutex
	sizes *[]int
}

func (c *claimSpy) ClaimBatch(ctx context.Context, lockFor time.Duration, max int) ([]foi.OutboundMessage, time.Time, error) {
	ms, lockedUntil, err := c.OutboxService.ClaimBatch(ctx, lockFor, max)
	c.mu.Lock()
	*c.sizes = append(*c.sizes, len(ms))
	c.mu.Unlock()
	return ms, lockedUntil, err
}
