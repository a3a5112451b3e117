package web

import (
	"testing"
	"time"

	"foidesk/internal/foi"
)

func TestTombstoneViews_ShowTheNewestHundredAndSayWhenOlderAreLeftOut(t *testing.T) {
	var ts []foi.Tombstone
	for i := range maxTombstonesShown + 1 {
		ts = append(ts, foi.Tombstone{CaseID: int64(i + 1), Scope: foi.DestroyCaseFile, Schedule: foi.RetentionCaseFile,
			Months: 1, DestroyedAt: time.Date(2026, 4, 3, 10, 0, 0, 0, time.UTC),
			Destroyed: map[string]int64{"documents": 2, "consultation_requests": 1}})
	}
	views, capped := tombstoneViews(ts[:maxTombstonesShown])
	if capped || len(views) != maxTombstonesShown {
		t.Fatalf("%d tombstones: %d shown, capped %v", maxTombstonesShown, len(views), capped)
	}
	views, capped = tombstoneViews(ts)
	if !capped || len(views) != maxTombstonesShown || views[0].CaseID != 1 {
		t.Fatalf("%d tombstones: %d shown from case %d, capped %v", len(ts), len(views), views[0].CaseID, capped)
	}
	if v := views[0]; v.Scope != "Case file" || v.Schedule != "Case files (1 month)" ||
		v.Counted != "1 consultation requests, 2 documents" {
		t.Errorf("view %+v", v)
	}
	if got := destroyedCounts(nil); got != "Nothing left to remove" {
		t.Errorf("no counts: %q", got)
	}
}
