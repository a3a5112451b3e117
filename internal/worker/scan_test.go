package worker

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

// fakeScanStore records the days scanned and answers with the next queued result.
type fakeScanStore struct {
	mu      sync.Mutex
	days    []calendar.Date
	actors  []foi.Actor
	results []error // consumed in order; nil when empty
	skip    bool
}

var errScan = errors.New("database down")

func (f *fakeScanStore) RunReminderScan(ctx context.Context, today calendar.Date) (foi.ReminderScanReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.days = append(f.days, today)
	f.actors = append(f.actors, foi.ActorFrom(ctx))
	var err error
	if len(f.results) > 0 {
		err, f.results = f.results[0], f.results[1:]
	}
	return foi.ReminderScanReport{Date: today, Skipped: f.skip, Holder: "other"}, err
}

func (f *fakeScanStore) calls() []calendar.Date {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]calendar.Date(nil), f.days...)
}

// testClock is a controllable clock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time                { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Set(t time.Time)               { c.mu.Lock(); c.now = t; c.mu.Unlock() }
func at(s string) time.Time                        { t, _ := time.Parse(time.RFC3339, s); return t }
func day(y int, m time.Month, d int) calendar.Date { return calendar.NewDate(y, m, d) }

func TestScanner_ScansOnceADayFromTheHourAndRetriesFailures(t *testing.T) {
	store := &fakeScanStore{results: []error{errScan}}
	clock := &testClock{now: at("2026-06-05T05:59:00Z")}
	s := &Scanner{Store: store, Now: clock.Now, Hour: 6}
	ctx := context.Background()
	if s.Tick(ctx) || len(store.calls()) != 0 {
		t.Fatal("scanned before the hour")
	}
	clock.Set(at("2026-06-05T06:00:00Z"))
	if s.Tick(ctx) {
		t.Fatal("a failed scan counted as done")
	}
	if !s.Tick(ctx) {
		t.Fatal("the failed scan was not retried on the next tick")
	}
	clock.Set(at("2026-06-05T18:00:00Z"))
	if s.Tick(ctx) || s.Tick(ctx) {
		t.Fatal("scanned twice on one day")
	}
	// 23:30 UTC in summer is already the next day in London, but not yet the hour: wait.
	clock.Set(at("2026-06-05T23:30:00Z"))
	if s.Tick(ctx) {
		t.Fatal("scanned the next London day at 00:30 London time")
	}
	clock.Set(at("2026-06-06T06:05:00Z"))
	if !s.Tick(ctx) {
		t.Fatal("no scan on the next day")
	}
	got := store.calls()
	want := []calendar.Date{day(2026, 6, 5), day(2026, 6, 5), day(2026, 6, 6)}
	if len(got) != len(want) {
		t.Fatalf("scanned %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("scanned %v, want %v", got, want)
		}
	}
	for _, a := range store.actors {
		if a.Label != foi.ActorSystem || a.User != nil {
			t.Fatalf("scan ran as %+v, want the system", a)
		}
	}
}

func TestScanner_RetriesWhileAnotherInstanceHoldsTheLock(t *testing.T) {
	store := &fakeScanStore{skip: true}
	clock := &testClock{now: at("2026-06-05T07:00:00Z")}
	s := &Scanner{Store: store, Now: clock.Now}
	if s.Tick(context.Background()) || s.Tick(context.Background()) {
		t.Fatal("a skipped scan counted as done")
	}
	store.mu.Lock()
	store.skip = false
	store.mu.Unlock()
	if !s.Tick(context.Background()) || s.Tick(context.Background()) {
		t.Fatal("want one scan once the lock is free")
	}
	if n := len(store.calls()); n != 3 {
		t.Fatalf("%d scans, want 3", n)
	}
}

func TestScanner_RunTicksUntilCancelled(t *testing.T) {
	if err := (&Scanner{}).Run(context.Background()); err == nil {
		t.Fatal("a Scanner without a Store ran")
	}
	store := &fakeScanStore{}
	clock := &testClock{now: at("2026-06-05T07:00:00Z")}
	s := &Scanner{Store: store, Now: clock.Now, Interval: time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, func() bool { return len(store.calls()) == 1 })
	clock.Set(at("2026-06-06T07:00:00Z"))
	waitFor(t, func() bool { return len(store.calls()) == 2 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when its context was cancelled")
	}
	time.Sleep(5 * time.Millisecond)
	if n := len(store.calls()); n != 2 {
		t.Fatalf("%d scans over two days, want 2", n)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}
