package store_test

import (
	"fmt"
	"slices"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// readAllPages reads the whole list of f, page by page through the cursors, and returns the references.
func readAllPages(t *testing.T, d *store.DB, w *caseWorld, f foi.CaseFilter) []string {
	t.Helper()
	var refs []string
	for pages := 0; ; pages++ {
		page, err := d.FindCases(w.officerCtx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Cases {
			refs = append(refs, c.Reference)
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			return refs
		}
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
}

// Sorting orders the whole list, not one page: every order, read page by page, gives every case once, in order.
func TestCaseQueue_SortsTheWholeListAcrossPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		// Logged in an order unlike the order received; one is in progress, so its queue date is not its
		// received date, and the deadline order and the received order differ.
		days := []int{30, 0, 24, 6, 18, 12, 36}
		due, received := map[string]calendar.Date{}, map[string]calendar.Date{}
		var refs []string
		for i, day := range days {
			in := newCaseInput(calendar.NewDate(2026, 1, 5).AddDays(day).String())
			in.Subject = fmt.Sprintf("Request %d", i)
			c := w.mustCreate(t, w.officerCtx, in)
			refs = append(refs, c.Reference)
			due[c.Reference], received[c.Reference] = c.DueOn, c.ReceivedOn
		}
		byDue := slices.Clone(refs)
		slices.SortFunc(byDue, func(a, b string) int { return due[a].Compare(due[b]) })
		byReceived := slices.Clone(refs)
		slices.SortFunc(byReceived, func(a, b string) int { return received[a].Compare(received[b]) })
		if slices.Equal(byReceived, refs) {
			t.Fatal("the cases were logged in the order received: the test would not tell the orders apart")
		}
		reversed := func(s []string) []string { r := slices.Clone(s); slices.Reverse(r); return r }
		for _, tc := range []struct {
			name string
			f    foi.CaseFilter
			want []string
		}{
			{"due", foi.CaseFilter{Limit: 3}, byDue},
			{"due, descending", foi.CaseFilter{Limit: 3, Sort: foi.SortDue, Descending: true}, reversed(byDue)},
			{"received", foi.CaseFilter{Limit: 3, Sort: foi.SortReceived}, byReceived},
			{"received, descending", foi.CaseFilter{Limit: 2, Sort: foi.SortReceived, Descending: true}, reversed(byReceived)},
			{"received, mine and a search", foi.CaseFilter{Limit: 2, Sort: foi.SortReceived, Descending: true,
				AssigneeID: w.dfeOfficer.ID, Query: "request"}, reversed(byReceived)},
		} {
			if got := readAllPages(t, d, w, tc.f); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
		// A cursor belongs to its order, and an unknown order is refused.
		page, err := d.FindCases(w.officerCtx, foi.CaseFilter{Limit: 2, Sort: foi.SortReceived})
		if err != nil || page.NextCursor == "" {
			t.Fatalf("first page: %v", err)
		}
		_, err = d.FindCases(w.officerCtx, foi.CaseFilter{Limit: 2, Cursor: page.NextCursor})
		wantCode(t, err, foi.EINVALID)
		_, err = d.FindCases(w.officerCtx, foi.CaseFilter{Sort: "subject"})
		wantCode(t, err, foi.EINVALID)
	})
}
