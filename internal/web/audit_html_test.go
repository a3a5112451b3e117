package web_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestAuditPage_AnAuditorSeesTheirPartysEventsAndTheAdminAll(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		dfe := s.mustCreateCase("dfe-officer")
		ho := s.mustCreateCase("ho-officer")
		dfeRow := fmt.Sprintf(`href="/cases/%d">case %d</a>`, dfe.ID, dfe.ID)
		hoRow := fmt.Sprintf(`href="/cases/%d">case %d</a>`, ho.ID, ho.ID)

		res, page := s.get("/audit?action=case.create")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `href="/audit" aria-current="page"`) {
			t.Fatalf("admin: %d", res.StatusCode)
		}
		// The admin reads every party's events but opens no case, so the rows name the cases without links.
		wantText(t, page, fmt.Sprintf("case %d", dfe.ID), fmt.Sprintf("case %d", ho.ID), "officer@test.example")
		if strings.Contains(page, dfeRow) || strings.Contains(page, hoRow) {
			t.Error("the admin's audit log links to cases the admin cannot open")
		}

		s.as("aud@dfe.test")
		_, page = s.get("/audit?action=case")
		wantText(t, page, dfeRow, "Check the audit chain")
		if strings.Contains(page, hoRow) {
			t.Error("the DFE auditor sees HO's case events")
		}
		_, page = s.get("/audit?party=HO")
		if strings.Contains(page, hoRow) || !strings.Contains(page, "No events match these filters.") {
			t.Error("the DFE auditor asking for HO's events sees some")
		}
		_, page = s.get(fmt.Sprintf("/audit?record_type=case&record_id=%d&actor=OFFICER@test.example", dfe.ID))
		wantText(t, page, dfeRow, "case.create")
		if strings.Contains(page, "aud@dfe.test") {
			t.Error("the actor filter lets other actors' events through")
		}

		res, page = s.get("/audit/verify")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "The audit chain is intact") {
			t.Errorf("verify: %d", res.StatusCode)
		}

		for _, who := range []string{"officer@test.example", "dm@dfe.test", "liaison@test.example", "o@ho.test"} {
			s.as(who)
			for _, path := range []string{"/audit", "/audit/verify", "/audit?action=case"} {
				if res, body := s.get(path); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
					t.Errorf("%s GET %s: %d, want 404", who, path, res.StatusCode)
				}
			}
		}
	})
}

func TestAuditPage_PagesAndRefusesBadFiltersKeepingThem(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		for i := 0; auditEvents(t, d) <= foi.DefaultAuditPage+5; i++ {
			if _, err := d.CreateToken(cliContext(), "officer@test.example", fmt.Sprintf("pad %d", i)); err != nil {
				t.Fatal(err)
			}
		}
		_, page := s.get("/audit")
		next := between(page, `<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="`, `"`)
		if next == "" || strings.Contains(page, "Newest events") {
			t.Fatal("the first page has no link to older events")
		}
		first := between(page, `id="event-`, `"`)
		res, older := s.get(html.UnescapeString(next))
		if res.StatusCode != http.StatusOK || !strings.Contains(older, "Newest events") || strings.Contains(older, `id="event-`+first+`"`) {
			t.Errorf("older page: %d, repeats event %s or has no way back", res.StatusCode, first)
		}

		res, page = s.get("/audit?actor=kept%40example.org&from-day=31&from-month=2&from-year=2026")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errorSummary(page), `href="#from-day"`) {
			t.Fatalf("impossible date: %d\n%s", res.StatusCode, errorSummary(page))
		}
		wantText(t, page, `value="kept@example.org"`, `value="31"`)
		res, page = s.get("/audit?from-day=2&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errorSummary(page), `href="#to-day"`) {
			t.Errorf("range ending before it starts: %d\n%s", res.StatusCode, errorSummary(page))
		}
		res, page = s.get("/audit?party=NOPE")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errorSummary(page), `href="#party"`) {
			t.Errorf("unknown party: %d\n%s", res.StatusCode, errorSummary(page))
		}
	})
}

// between returns the text of s after the first start and before the next end, or "".
func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}
