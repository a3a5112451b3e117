package worker

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

// ReminderScanner is what Scanner needs of the store: one reminder scan for a day, under the store's scan
// lock, idempotent per (record, kind, date). store.DB implements it.
type ReminderScanner interface {
	RunReminderScan(ctx context.Context, today calendar.Date) (foi.ReminderScanReport, error)
}

// Defaults of Scanner's settings.
const (
	DefaultScanInterval = 10 * time.Minute
	DefaultScanHour     = 6 // UTC: 06:00 or 07:00 in London, before the working day
)

// Scanner runs the reminder scan once a day on this instance. Every Interval it checks the clock: once the
// UTC hour reaches Hour on a London day it has not yet scanned, it calls Store.RunReminderScan for that day.
// A scan that fails, or that found another instance holding the scan lock, is tried again on the next tick,
// so a dead instance's expired lock is taken over; a second scan of the same day sends nothing new, so many
// instances may each run a Scanner.
type Scanner struct {
	Store    ReminderScanner
	Log      *slog.Logger
	Interval time.Duration    // how often to check the clock (DefaultScanInterval)
	Hour     int              // the UTC hour from which a day's scan runs, 0-23 (DefaultScanHour when negative or above 23)
	Now      func() time.Time // the clock; time.Now when nil

	mu   sync.Mutex
	done calendar.Date // the last day scanned here
}

func (s *Scanner) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Scanner) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Run checks the clock at once and then every Interval until ctx is done, scanning when a day's scan is due.
// It returns an error only for a Scanner without a Store; scan failures are logged and retried.
func (s *Scanner) Run(ctx context.Context) error {
	if s.Store == nil {
		return errors.New("worker: Scanner needs a Store")
	}
	interval := s.Interval
	if interval <= 0 {
		interval = DefaultScanInterval
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		s.Tick(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// Tick runs today's scan if it is due and not yet done on this instance, and reports whether it scanned (a
// scan skipped for another instance's lock counts as not scanned).
func (s *Scanner) Tick(ctx context.Context) bool {
	if s.Store == nil || ctx.Err() != nil {
		return false
	}
	hour := s.Hour
	if hour < 0 || hour > 23 {
		hour = DefaultScanHour
	}
	now := s.now()
	today := calendar.LondonDate(now)
	// Not before Hour UTC, nor in the hour (summer time) when London has already moved to the next day.
	if now.UTC().Hour() < hour || today != calendar.LondonDate(now.UTC().Truncate(24*time.Hour)) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == today {
		return false
	}
	r, err := s.Store.RunReminderScan(systemContext(ctx), today)
	switch {
	case err != nil:
		if ctx.Err() == nil {
			s.log().Error("reminder scan failed; retrying on the next tick", "date", today.String(), "err", err)
		}
		return false
	case r.Skipped:
		s.log().Info("reminder scan: another instance holds the lock", "date", today.String(), "holder", r.Holder)
		return false
	}
	s.done = today
	s.log().Info("reminder scan done", "date", today.String(), "cases", r.Cases, "emails", r.Emails,
		"digests", r.Digests)
	return true
}
