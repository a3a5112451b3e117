// Package worker runs foidesk's background work. Runner delivers the outbox: it claims due messages in batches,
// sends them one by one with a time-out over kept-open SMTP connections, and marks each sent, or pending again
// after an exponential backoff with jitter, or dead after a permanent failure (an SMTP 5xx reply) or too many
// attempts; the outcomes of a batch are recorded together, and claiming, rendering and recording overlap the
// sending. A sweeper returns messages whose worker stopped mid-send (their lock expired) to pending. Many
// Runners may share one database: each message is claimed by one at a time (FOR UPDATE SKIP LOCKED on
// PostgreSQL, the single writer on SQLite), and a message sent twice after a crash carries the same
// Message-ID.
//
// worker imports foi and mail, never store: cmd/foidesk wires the store in as the foi.OutboxService.
package worker

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/mail"
)

// Defaults of Runner's settings.
const (
	DefaultInterval    = time.Second
	DefaultConcurrency = 4
	// DefaultBatchSize: one claim and one recording serve this many messages. 100 rather than 32 spreads them
	// over three times as many (on PostgreSQL, BenchmarkOutboxDelivery went from 70-80% of raw to 73-82%); a
	// lane still sends a batch's messages only while their lock has room (see lane), and records every second.
	DefaultBatchSize   = 100
	DefaultSendTimeout = 30 * time.Second
	DefaultMaxAttempts = 8
	DefaultBackoffBase = time.Minute
	DefaultBackoffMax  = time.Hour
	DefaultSweepEvery  = time.Minute
)

// Runner delivers outbox messages. Set Outbox and Sender; every other field has a default when zero.
type Runner struct {
	Outbox foi.OutboxService
	Sender mail.Sender
	Log    *slog.Logger

	Interval    time.Duration // how often to look for due messages (DefaultInterval)
	Concurrency int           // messages sent at once by this runner (DefaultConcurrency)
	// BatchSize is how many due messages each of the Concurrency senders claims at once (DefaultBatchSize);
	// it sends them one after the other over its kept-open SMTP connection and records their outcomes
	// together. 1 claims and records one message at a time.
	BatchSize   int
	SendTimeout time.Duration // the longest one send may take (DefaultSendTimeout)
	// LockFor is how long a claimed message stays reserved for this runner; after it, the sweeper of any
	// runner may hand it to another. It must be longer than SendTimeout; by default twice it plus a minute.
	LockFor     time.Duration
	MaxAttempts int           // attempts before a message goes dead (DefaultMaxAttempts)
	BackoffBase time.Duration // the wait after the first failed attempt, doubled each time (DefaultBackoffBase)
	BackoffMax  time.Duration // the longest wait between attempts (DefaultBackoffMax)
	SweepEvery  time.Duration // how often to sweep expired locks (DefaultSweepEvery)
	// Now is the clock for the next attempt's time; time.Now when nil. Give it the store's clock in tests.
	Now func() time.Time
}

// withDefaults returns a copy of r with every zero setting at its default.
func (r *Runner) withDefaults() Runner {
	c := *r
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Interval <= 0 {
		c.Interval = DefaultInterval
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.BatchSize <= 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.SendTimeout <= 0 {
		c.SendTimeout = DefaultSendTimeout
	}
	if c.LockFor <= c.SendTimeout {
		c.LockFor = 2*c.SendTimeout + time.Minute
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = DefaultBackoffBase
	}
	if c.BackoffMax <= 0 {
		c.BackoffMax = DefaultBackoffMax
	}
	if c.SweepEvery <= 0 {
		c.SweepEvery = DefaultSweepEvery
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// systemContext returns ctx acting as the background worker.
func systemContext(ctx context.Context) context.Context {
	return foi.WithActor(ctx, foi.Actor{Label: foi.ActorSystem})
}

// Run delivers due messages every Interval and sweeps expired locks every SweepEvery until ctx is done. Sends
// in flight when ctx ends are finished (each within SendTimeout) and recorded before Run returns. It returns
// an error only for a Runner without Outbox or Sender; failures of the database or the mail server are logged
// and retried on the next tick.
func (r *Runner) Run(ctx context.Context) error {
	if r.Outbox == nil || r.Sender == nil {
		return errors.New("worker: Runner needs an Outbox and a Sender")
	}
	c := r.withDefaults()
	ctx = systemContext(ctx)
	ticker := time.NewTicker(c.Interval)
	defer ticker.Stop()
	var lastSweep time.Time
	for {
		if time.Since(lastSweep) >= c.SweepEvery {
			lastSweep = time.Now()
			if n, err := c.Outbox.SweepExpired(ctx); err != nil {
				if ctx.Err() == nil {
					c.Log.Error("outbox sweep failed", "err", err)
				}
			} else if n > 0 {
				c.Log.Warn("outbox: returned messages whose worker stopped mid-send", "count", n)
			}
		}
		if _, err := c.drain(ctx); err != nil && ctx.Err() == nil {
			c.Log.Error("outbox delivery failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// Stats counts what one Drain did.
type Stats struct {
	Sent    int // delivered
	Retried int // failed, to be tried again later
	Dead    int // given up
}

// Drain claims and sends due messages with Concurrency senders until none is due, and returns what it did. It
// returns the first error of the outbox (the database), after the other senders finished their messages.
func (r *Runner) Drain(ctx context.Context) (Stats, error) {
	if r.Outbox == nil || r.Sender == nil {
		return Stats{}, errors.New("worker: Runner needs an Outbox and a Sender")
	}
	c := r.withDefaults()
	return c.drain(systemContext(ctx))
}

func (c *Runner) drain(ctx context.Context) (Stats, error) {
	var (
		mu       sync.Mutex
		stats    Stats
		firstErr error
		wg       sync.WaitGroup
	)
	for range c.Concurrency {
		wg.Go(func() {
			s, err := c.lane(ctx)
			mu.Lock()
			stats.Sent += s.Sent
			stats.Retried += s.Retried
			stats.Dead += s.Dead
			if err != nil && firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return stats, firstErr
}

// recordTimeout bounds recording outcomes, or releasing messages, in the database.
const recordTimeout = 15 * time.Second

// recordEvery is how long an outcome may wait to be recorded with the rest of its batch. A message that was
// sent but not yet recorded when its worker stops is sent again (with the same Message-ID) after its lock
// expires, so this bounds what a crash re-sends when the mail server is slow; when it is fast a whole batch
// is recorded at once.
const recordEvery = time.Second

// batch is a claimed batch of messages, rendered when the Sender is a mail.Preparer.
type batch struct {
	msgs        []foi.OutboundMessage
	prepared    []mail.Prepared // nil when the Sender cannot prepare
	lockedUntil time.Time       // the lock in the database, which identifies the claim
	lockEnds    time.Time       // by the local clock, no later than lockedUntil
	ahead       bool            // claimed while the batch before was being sent
	err         error
}

// lane is one of the Concurrency senders: it claims batches of up to BatchSize messages and sends them one
// after the other over one kept-open SMTP connection, until none is due, ctx ends, or the outbox fails. While
// it sends a batch, it claims and renders the next and records the outcomes of the one before, so that the
// database and the rendering stay off the path of the mail; it never sends two messages at once. It returns
// what it did and the first error of the outbox.
//
// Every message of a batch is locked until LockFor after its claim. A message is sent only while the lock
// still covers a whole send and the recording after it (the first message of a batch claimed just now is
// sent regardless, as a single claim was), so that no outcome is recorded after the lock expired and the
// sweeper could hand the message to another worker. Messages not sent for that reason, or because ctx ended,
// are released to pending at once, their attempt undone.
func (c *Runner) lane(ctx context.Context) (Stats, error) {
	// A send that has started is finished and recorded even when ctx ends, so shutdown does not leave it
	// half done.
	base := context.WithoutCancel(ctx)
	rec := &recorder{c: c, base: base}
	// With a lock too short for two sends, claim one message at a time and never ahead.
	size, ahead := c.BatchSize, true
	if c.LockFor < 2*c.SendTimeout+recordTimeout {
		size, ahead = 1, false
	}
	var err error
	var next <-chan batch
	if ctx.Err() == nil {
		next = c.claimAsync(ctx, size, false)
	}
	for next != nil {
		b := <-next
		next = nil
		if b.err != nil {
			err = b.err
			break
		}
		if len(b.msgs) == 0 {
			if b.ahead && ctx.Err() == nil {
				// Claimed ahead while the batch before was still claimed: messages that batch released
				// may be due again, so look once more before stopping.
				next = c.claimAsync(ctx, size, false)
				continue
			}
			break
		}
		if ahead && ctx.Err() == nil {
			next = c.claimAsync(ctx, size, true)
		}
		if err = c.sendBatch(ctx, b, rec); err != nil {
			break
		}
		if !ahead && ctx.Err() == nil {
			next = c.claimAsync(ctx, size, false)
		}
	}
	if next != nil { // claimed ahead, not to be sent
		if b := <-next; b.err == nil && len(b.msgs) > 0 {
			err = errors.Join(err, c.release(base, b, b.msgs))
		}
	}
	err = errors.Join(err, rec.wait())
	return rec.stats, err
}

// claimAsync claims a batch of up to size messages, and renders it when the Sender can, in a goroutine; the
// channel receives it.
func (c *Runner) claimAsync(ctx context.Context, size int, ahead bool) <-chan batch {
	ch := make(chan batch, 1)
	go func() {
		// Not cancelled with ctx: a claim cut short could have claimed rows without returning them, which
		// would then wait for their lock to expire; a claim that completes is released at once instead.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
		defer cancel()
		claimedAt := time.Now()
		msgs, lockedUntil, err := c.Outbox.ClaimBatch(cctx, c.LockFor, size)
		b := batch{msgs: msgs, lockedUntil: lockedUntil, lockEnds: claimedAt.Add(c.LockFor), ahead: ahead, err: err}
		if p, ok := c.Sender.(mail.Preparer); ok && err == nil && len(msgs) > 0 {
			b.prepared = make([]mail.Prepared, len(msgs))
			for i, m := range msgs {
				b.prepared[i] = p.Prepare(m)
			}
		}
		ch <- b
	}()
	return ch
}

// sendBatch sends the messages of b one after the other and hands their outcomes to rec; it releases those it
// does not send. It returns an error of the outbox.
func (c *Runner) sendBatch(ctx context.Context, b batch, rec *recorder) error {
	var (
		msgs     = make([]foi.OutboundMessage, 0, len(b.msgs))
		outcomes = make([]foi.DeliveryOutcome, 0, len(b.msgs))
		oldest   time.Time
		err      error
	)
	flush := func() {
		if len(outcomes) > 0 && err == nil {
			err = rec.record(msgs, outcomes)
			msgs, outcomes = nil, nil
		}
	}
	i := 0
	for ; i < len(b.msgs) && err == nil; i++ {
		if ctx.Err() != nil || (i > 0 || b.ahead) && time.Until(b.lockEnds) < c.SendTimeout+recordTimeout {
			break
		}
		if len(outcomes) > 0 && time.Since(oldest) >= recordEvery {
			if flush(); err != nil {
				// The outbox failed: the rest stay claimed until their lock expires and are swept back.
				return err
			}
		}
		m := b.msgs[i]
		sendCtx, cancel := context.WithTimeout(rec.base, c.SendTimeout)
		var sendErr error
		if b.prepared != nil {
			sendErr = c.Sender.(mail.Preparer).SendPrepared(sendCtx, b.prepared[i])
		} else {
			sendErr = c.Sender.Send(sendCtx, m)
		}
		cancel()
		if len(outcomes) == 0 {
			oldest = time.Now()
		}
		msgs = append(msgs, m)
		outcomes = append(outcomes, c.outcome(m, sendErr))
	}
	if flush(); err != nil {
		return err
	}
	if i < len(b.msgs) {
		return c.release(rec.base, b, b.msgs[i:])
	}
	return nil
}

// release returns msgs of b, claimed but not sent, to pending.
func (c *Runner) release(base context.Context, b batch, msgs []foi.OutboundMessage) error {
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	ctx, cancel := context.WithTimeout(base, recordTimeout)
	defer cancel()
	// Should this fail, the messages are swept back to pending when their lock expires.
	return c.Outbox.ReleaseClaimed(ctx, ids, b.lockedUntil)
}

// recorder records outcomes in the background, one recording at a time, and counts and logs them once they
// are recorded.
type recorder struct {
	c     *Runner
	base  context.Context
	done  chan error // the recording in flight; nil when none is
	stats Stats      // of recorded outcomes; read it after wait
}

// record waits for the recording in flight, then starts recording outcomes (of msgs, in the same order). It
// returns the error of the recording it waited for, and then records nothing: those messages stay sending
// until their lock expires and are sent again with the same Message-ID.
func (r *recorder) record(msgs []foi.OutboundMessage, outcomes []foi.DeliveryOutcome) error {
	if err := r.wait(); err != nil {
		return err
	}
	done := make(chan error, 1)
	r.done = done
	go func() {
		ctx, cancel := context.WithTimeout(r.base, recordTimeout)
		err := r.c.Outbox.RecordOutcomes(ctx, outcomes)
		cancel()
		if err == nil {
			r.c.logOutcomes(r.base, msgs, outcomes, &r.stats)
		}
		done <- err
	}()
	return nil
}

// wait waits for the recording in flight and returns its error.
func (r *recorder) wait() error {
	if r.done == nil {
		return nil
	}
	err := <-r.done
	r.done = nil
	return err
}

// outcome classifies the result of sending m.
func (c *Runner) outcome(m foi.OutboundMessage, sendErr error) foi.DeliveryOutcome {
	o := foi.DeliveryOutcome{ID: m.ID, Err: sendErr}
	switch {
	case sendErr == nil:
	case mail.IsPermanent(sendErr) || m.Attempts >= c.MaxAttempts:
		o.Permanent = true
	default:
		o.NextAttempt = c.Now().Add(c.Backoff(m.Attempts))
	}
	return o
}

// logOutcomes logs and counts recorded outcomes; outcomes[i] is that of msgs[i].
func (c *Runner) logOutcomes(ctx context.Context, msgs []foi.OutboundMessage, outcomes []foi.DeliveryOutcome, stats *Stats) {
	debug := c.Log.Enabled(ctx, slog.LevelDebug)
	for i, o := range outcomes {
		m := msgs[i]
		logger := func() *slog.Logger {
			return c.Log.With("outbox_id", m.ID, "message_id", m.MessageID, "template", m.Template, "attempt", m.Attempts)
		}
		switch {
		case o.Err == nil:
			stats.Sent++
			if debug {
				logger().Debug("email sent")
			}
		case o.Permanent:
			stats.Dead++
			logger().Warn("email dead-lettered", "err", o.Err, "permanent", mail.IsPermanent(o.Err))
		default:
			stats.Retried++
			logger().Info("email will be retried", "err", o.Err, "in", o.NextAttempt.Sub(c.Now()).Round(time.Millisecond))
		}
	}
}

// Backoff returns the wait after the given number of failed attempts: BackoffBase doubled for each attempt
// after the first, at most BackoffMax, with "equal jitter" (between half and all of it) so that messages that
// failed together do not retry together.
func (r *Runner) Backoff(attempts int) time.Duration {
	c := r.withDefaults()
	d := c.BackoffBase
	for i := 1; i < attempts && d < c.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, c.BackoffMax)
	half := d / 2
	return half + rand.N(d-half+1)
}
