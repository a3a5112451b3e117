package foi

import (
	"fmt"
	"testing"
	"time"
)

func TestThrottleRetryAt(t *testing.T) {
	p := ThrottlePolicy{Window: 15 * time.Minute, AccountLimit: 3}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ago := func(m int) time.Time { return now.Add(-time.Duration(m) * time.Minute) }
	if at := p.RetryAt([]time.Time{ago(1), ago(2)}, 3, now); !at.IsZero() {
		t.Fatalf("under the limit: %v", at)
	}
	// Newest first: the third newest (10 minutes ago) leaves the window in 5 minutes.
	if at := p.RetryAt([]time.Time{ago(1), ago(2), ago(10)}, 3, now); !at.Equal(now.Add(5 * time.Minute)) {
		t.Fatalf("at the limit: %v", at)
	}
	if at := p.RetryAt([]time.Time{ago(1), ago(2), ago(15)}, 3, now); !at.IsZero() {
		t.Fatalf("the oldest has just left the window: %v", at)
	}
	if at := p.RetryAt([]time.Time{ago(1)}, 0, now); !at.IsZero() {
		t.Fatalf("no limit: %v", at)
	}
	err := fmt.Errorf("wrapped: %w", Throttled(now))
	if ErrorCode(err) != ETOOMANY || !RetryAtOf(err).Equal(now) || !RetryAtOf(Errorf(EINVALID, "x")).IsZero() {
		t.Fatal("Throttled/RetryAtOf")
	}
}
