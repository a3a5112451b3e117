package store_test

import (
	"fmt"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// TestCaseSearch_FindsEveryWordAsASubstringThroughTheIndex searches the case list by words: each must be in
// the subject or request text as a substring, in any letter case, whatever characters the user typed
// (quotes and FTS operators are plain text), combined with the other filters, the pages and the party, and
// following a change of the text. On SQLite each search runs twice: through the list of the few cases the
// trigram index finds, and, the words counted as common, testing the cases in the queue's order.
func TestCaseSearch_FindsEveryWordAsASubstringThroughTheIndex(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		create := func(received, subject, text string, regime calendar.Regime) int64 {
			in := newCaseInput(received)
			in.Subject, in.RequestText, in.Regime = subject, text, regime
			return w.mustCreate(t, w.officerCtx, in).ID
		}
		a := create("2026-02-02", "Pupil Premium spending", "Figures for each school by year.", calendar.RegimeFOIA)
		b := create("2026-02-03", "Quoted operators", `He typed "NEAR(x y)" OR * and 5% of_it.`, calendar.RegimeFOIA)
		c := create("2026-02-04", "IT budget", "Spend by supplier.", calendar.RegimeFOIA)
		e := create("2026-02-05", "Pupil premium eligibility", "Environmental information.", calendar.RegimeEIR)
		in := newCaseInput("2026-02-02")
		in.Subject = "Pupil premium"
		ho := w.mustCreate(t, w.hoCtx, in).ID

		type search struct {
			name string
			f    foi.CaseFilter
			want []int64 // in deadline order
		}
		check := func(t *testing.T, searches []search) {
			t.Helper()
			run := func(how string) {
				for _, s := range searches {
					page, err := d.FindCases(w.officerCtx, s.f)
					if err != nil {
						t.Fatalf("%s %s: %v", how, s.name, err)
					}
					var got []int64
					for _, c := range page.Cases {
						got = append(got, c.ID)
					}
					if fmt.Sprint(got) != fmt.Sprint(s.want) {
						t.Errorf("%s %s (q=%q): cases %v, want %v", how, s.name, s.f.Query, got, s.want)
					}
				}
			}
			run("through the index:")
			if d.Engine() == store.SQLite {
				restore := store.SetCaseSearchFew(0)
				run("walking the queue:")
				restore()
			}
		}
		q := func(query string) foi.CaseFilter { return foi.CaseFilter{Query: query} }
		check(t, []search{
			{"one word", q("pupil"), []int64{a, e}},
			{"any letter case, any order", q("PREMIUM   pupil"), []int64{a, e}},
			{"substrings", q("upil prem"), []int64{a, e}},
			{"words in subject and request text", q("premium figures"), []int64{a}},
			{"every word must match", q("pupil budget"), nil},
			{"a word no case has", q("pupil premiums"), nil},
			{"two letters", q("BY"), []int64{a, c}},
			{"two letters and a long word", q("by supplier"), []int64{c}},
			{"a quote", q(`"`), []int64{b}},
			{"a star", q("*"), []int64{b}},
			{"a percent sign is not a wildcard", q("%"), []int64{b}},
			{"an underscore is not a wildcard", q("f_i"), []int64{b}},
			{"FTS operators are text", q(`"NEAR(x`), []int64{b}},
			{"OR is a word", q("OR *"), []int64{b}},
			{"a phrase typed with its quotes", q(`"near(x y)"`), []int64{b}},
			{"a percent in a word", q("5%"), []int64{b}},
			{"a backslash", q(`\`), nil},
			{"with the regime", foi.CaseFilter{Query: "pupil", Regime: calendar.RegimeEIR}, []int64{e}},
			{"with the assignee", foi.CaseFilter{Query: "pupil", AssigneeID: w.dfeOfficer.ID}, []int64{a, e}},
			{"another party's", foi.CaseFilter{Query: "pupil", Party: "HO"}, nil},
			{"a page of one", foi.CaseFilter{Query: "pupil", Limit: 1}, []int64{a}},
		})
		for _, engine := range []string{"index", "queue"} {
			if engine == "queue" {
				if d.Engine() != store.SQLite {
					break
				}
				defer store.SetCaseSearchFew(0)()
			}
			first, err := d.FindCases(w.officerCtx, foi.CaseFilter{Query: "pupil", Limit: 1})
			if err != nil || first.NextCursor == "" {
				t.Fatalf("%s: first page %+v, %v: want a cursor", engine, first, err)
			}
			next, err := d.FindCases(w.officerCtx, foi.CaseFilter{Query: "pupil", Limit: 1, Cursor: first.NextCursor})
			if err != nil || len(next.Cases) != 1 || next.Cases[0].ID != e || next.NextCursor != "" {
				t.Fatalf("%s: second page %+v, %v: want case %d alone", engine, next, err, e)
			}
		}
		page, err := d.FindCases(w.hoCtx, foi.CaseFilter{Query: "PUPIL"})
		if err != nil || len(page.Cases) != 1 || page.Cases[0].ID != ho {
			t.Fatalf("HO's search: %+v, %v: want HO's case %d alone", page, err, ho)
		}

		subject, text := "Free school meals", "Pupil numbers by school."
		if _, err := d.UpdateCase(w.officerCtx, a, 0, foi.CaseUpdate{Subject: &subject}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.UpdateCase(w.officerCtx, c, 0, foi.CaseUpdate{RequestText: &text}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.TransitionCase(w.officerCtx, b, 0, foi.StatusInProgress, ""); err != nil {
			t.Fatal(err) // a change that leaves the text alone
		}
		check(t, []search{
			{"the new subject", q("meals"), []int64{a}},
			{"not the old one", q("premium"), []int64{e}},
			{"the new request text", q("pupil"), []int64{c, e}},
			{"not the old one", q("supplier"), nil},
			{"a case whose text did not change", q("near("), []int64{b}},
		})
	})
}
