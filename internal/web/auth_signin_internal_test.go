package web

import (
	"testing"
	"time"
)

func TestRetryPhrase(t *testing.T) {
	now := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC) // 2pm in London (GMT)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Time{}, ""},
		{now.Add(20 * time.Second), "in 1 minute"},
		{now.Add(14*time.Minute + time.Second), "in 15 minutes"},
		{now.Add(time.Hour), "in 60 minutes"},
		{now.Add(time.Hour + 45*time.Minute), "at 3:45pm"},
		{now.Add(11 * time.Hour), "at 1:00am on 3 March 2026"},
		{time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC), "at 10:30am on 1 July 2026"}, // British Summer Time
	} {
		if got := retryPhrase(tc.at, now); got != tc.want {
			t.Errorf("retryPhrase(%v) = %q, want %q", tc.at, got, tc.want)
		}
	}
}
