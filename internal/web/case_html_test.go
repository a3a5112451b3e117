package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestCasePages_ListAndShowTheCaseWithItsDeadlineExplained(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		body := s.signIn("officer@test.example")
		if !strings.Contains(body, `href="/cases"`) {
			t.Error("the navigation has no link to the cases")
		}
		for _, want := range []string{"My cases", "Overdue"} {
			if !strings.Contains(body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		res, list := s.get("/cases?assignee=me&open=true")
		if res.StatusCode != http.StatusOK || !strings.Contains(list, c.Reference) || !strings.Contains(list, "23 March 2026") {
			t.Fatalf("case list: %d\n%s", res.StatusCode, list)
		}
		res, page := s.get(fmt.Sprintf("/cases/%d", c.ID))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("case page: %d", res.StatusCode)
		}
		for _, want := range []string{c.Reference, "How the deadline was worked out", "St Patrick", "CID person records", "Show the requester's details"} {
			if !strings.Contains(page, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
		res, bad := s.get("/cases?status=asleep")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad, "govuk-error-summary") {
			t.Errorf("bad filter: %d", res.StatusCode)
		}
	})
}

func TestCasePages_AnotherPartysCaseIsAGOVUK404(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		s.signIn("liaison@test.example")
		res, body := s.get(fmt.Sprintf("/cases/%d", c.ID))
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
			t.Fatalf("HO liaison opening a DFE case: %d", res.StatusCode)
		}
		if strings.Contains(body, c.Reference) || strings.Contains(body, "Ada Requester") {
			t.Fatal("the 404 page leaks the case")
		}
	})
}

func TestCasePages_SignedOutVisitorsAreSentToSignIn(t *testing.T) {
	s := newSite(t, storetest.OpenSQLite(t))
	res, _ := s.get("/cases/1")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/?next=") {
		t.Fatalf("signed out: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestCaseList_FiltersTagsSortingAndPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var refs []string
		for i, subject := range []string{"Bravo", "alpha", "Charlie"} {
			b := newCaseBody()
			b["subject"] = subject
			b["received_at"] = []string{"2026-02-18", "2026-02-20", "2026-02-19"}[i] // logged out of order
			var c apiCase
			if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", b, &c); res.StatusCode != http.StatusCreated {
				t.Fatalf("create: %d", res.StatusCode)
			}
			refs = append(refs, c.Reference)
		}
		s.as("officer@test.example")
		res, page := s.get("/cases")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "moj-filter-layout") || !strings.Contains(page, `id="case-list"`) {
			t.Fatalf("list: %d", res.StatusCode)
		}
		// Sorting by the date received, by link, orders the whole list: two to a page, newest first (alpha, then
		// Charlie); Bravo, received first, is alone on the second page.
		res, page = s.get("/cases?sort=received&order=asc")
		if !strings.Contains(page, `aria-sort="ascending"`) || !strings.Contains(page, "order=desc&amp;sort=received") ||
			strings.Contains(page, "sort=subject") || strings.Contains(page, "sort=reference") {
			t.Error("the sorted column does not offer the other order, or an unsortable column offers a sort")
		}
		res, page = s.get("/cases?sort=received&order=desc&limit=2")
		if i, j := strings.Index(page, ">"+refs[1]+"<"), strings.Index(page, ">"+refs[2]+"<"); res.StatusCode != http.StatusOK || i < 0 || !(i < j) ||
			strings.Contains(page, ">"+refs[0]+"<") {
			t.Fatalf("newest first, first page: %d %d %d", res.StatusCode, i, j)
		}
		sortedNext := regexp.MustCompile(`href="(/cases\?[^"]*cursor=[^"]*)" rel="next"`).FindStringSubmatch(page)
		if sortedNext == nil {
			t.Fatal("no next page")
		}
		_, page = s.get(strings.ReplaceAll(sortedNext[1], "&amp;", "&"))
		if !strings.Contains(page, ">"+refs[0]+"<") || strings.Contains(page, ">"+refs[1]+"<") {
			t.Error("newest first, second page")
		}
		for _, bad := range []string{"/cases?sort=subject", "/cases?sort=received&order=sideways"} {
			if res, page := s.get(bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "govuk-error-summary") {
				t.Errorf("%s: %d", bad, res.StatusCode)
			}
		}
		// Filters show as tags that remove them; the date input filters the due date.
		_, page = s.get("/cases?status=received&q=Bravo&due_before-day=31&due_before-month=12&due_before-year=2026")
		if !strings.Contains(page, ">Bravo<") || strings.Contains(page, ">alpha<") || !strings.Contains(page, "moj-filter__tag") ||
			!strings.Contains(page, "On or before 31 December 2026") || !strings.Contains(page, `value="31"`) {
			t.Errorf("filtered list:\n%s", page[strings.Index(page, "moj-filter__selected"):][:600])
		}
		_, page = s.get("/cases?due_before=2026-01-01")
		if !strings.Contains(page, `id="no-cases"`) {
			t.Error("a due date before every deadline still lists cases")
		}
		// Pages: one case a page, next page and back to the first.
		_, page = s.get("/cases?limit=1")
		next := regexp.MustCompile(`href="(/cases\?[^"]*cursor=[^"]*)" rel="next"`).FindStringSubmatch(page)
		if next == nil {
			t.Fatal("no next page")
		}
		res, page2 := s.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		if res.StatusCode != http.StatusOK || !strings.Contains(page2, `rel="prev"`) || page2 == page {
			t.Errorf("next page: %d", res.StatusCode)
		}
		// A bad filter shows the error summary linking to its field and lists nothing.
		res, bad := s.get("/cases?due_before-day=31&due_before-month=2&due_before-year=2026")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errorSummary(bad), `href="#due_before-day"`) {
			t.Errorf("bad due date: %d", res.StatusCode)
		}
		// The team queue: cases nobody is assigned to (a decision-maker's requests go there).
		queued := s.mustCreateCase("dfe-dm")
		_, page = s.get("/cases?assignee=none&open=true")
		if !strings.Contains(page, queued.Reference) || strings.Contains(page, refs[0]) || !strings.Contains(page, "Nobody (team queue)</a>") {
			t.Errorf("team queue %v %v %v", strings.Contains(page, queued.Reference), strings.Contains(page, refs[0]), strings.Contains(page, "Nobody (team queue)</a>"))
		}
	})
}

func TestDashboard_CountsLinkToTheFilteredLists(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.mustCreateCase("dfe-officer")
		body := s.as("officer@test.example").dashboard()
		for _, href := range []string{`href="/cases?assignee=me&amp;open=true"`, `href="/cases?due_soon=true&amp;open=true"`,
			`href="/cases?overdue=true"`, `href="/cases?status=awaiting_representations"`, `href="/cases?assignee=none&amp;open=true"`} {
			if !strings.Contains(body, href) {
				t.Errorf("dashboard lacks %s", href)
			}
		}
		res, page := s.get("/cases?due_soon=true&open=true")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "moj-filter__tag") {
			t.Errorf("due soon: %d", res.StatusCode)
		}
	})
}

// dashboard returns the signed-in user's dashboard.
func (s *apiSite) dashboard() string {
	s.t.Helper()
	_, body := s.get("/")
	return body
}
