// Package worker runs foidesk's background work. Runner delivers the outbox: it claims due messages, sends
// them with a time-out, and marks them sent, or pending again after an exponential backoff with jitter, or
// dead after a permanent failure (an SMTP 5xx reply) or too many attempts. A sweeper returns messages whose
// worker stopped mid-send (their lock expired) to pending. Many Runners may share one database: each message
// is claimed by one at a time (FOR UPDATE SKIP LOCKED on PostgreSQL, the single writer on SQLite), and a
// message sent twice after a crash carries the same Message-ID.
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
			for ctx.Err() == nil {
				m, err := c.Outbox.ClaimNext(ctx, c.LockFor)
				if err == nil && m == nil {
					return
				}
				var outcome *int
				if err == nil {
					outcome, err = c.deliver(ctx, m, &stats)
				}
				mu.Lock()
				if outcome != nil {
					*outcome++
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	return stats, firstErr
}

// deliver sends one claimed message and records the outcome; it returns which counter of stats to bump, and
// an error only when the outcome could not be recorded.
func (c *Runner) deliver(ctx context.Context, m *foi.OutboundMessage, stats *Stats) (*int, error) {
	// A send that has started is finished even when ctx ends, so shutdown does not leave it half done.
	base := context.WithoutCancel(ctx)
	sendCtx, cancel := context.WithTimeout(base, c.SendTimeout)
	sendErr := c.Sender.Send(sendCtx, *m)
	cancel()
	markCtx, cancel := context.WithTimeout(base, 15*time.Second)
	defer cancel()
	log := c.Log.With("outbox_id", m.ID, "message_id", m.MessageID, "template", m.Template, "attempt", m.Attempts)
	switch {
	case sendErr == nil:
		if err := c.Outbox.MarkSent(markCtx, m.ID); err != nil {
			// The message went; its row stays sending until the lock expires and it is sent again with
			// the same Message-ID.
			return nil, err
		}
		log.Debug("email sent")
		return &stats.Sent, nil
	case mail.IsPermanent(sendErr) || m.Attempts >= c.MaxAttempts:
		if err := c.Outbox.MarkFailed(markCtx, m.ID, sendErr, true, time.Time{}); err != nil {
			return nil, err
		}
		log.Warn("email dead-lettered", "err", sendErr, "permanent", mail.IsPermanent(sendErr))
		return &stats.Dead, nil
	default:
		wait := c.Backoff(m.Attempts)
		if err := c.Outbox.MarkFailed(markCtx, m.ID, sendErr, false, c.Now().Add(wait)); err != nil {
			return nil, err
		}
		log.Info("email will be retried", "err", sendErr, "in", wait)
		return &stats.Retried, nil
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
