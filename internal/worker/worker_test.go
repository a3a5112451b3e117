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
