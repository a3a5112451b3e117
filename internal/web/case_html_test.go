package web_test

import (
	"fmt"
	"net/http"
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
		for _, want := range []string{c.Reference, "How the deadline was worked out", "St Patrick", "CID person records", "Requester details"} {
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
