package web_test

import (
	"net/http"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestReportPages_StatsWithChartsDownloadsAndBadPeriods(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.mustCreateCase("dfe-officer")
		s.mustCreateCase("dfe-officer")
		s.signIn("dm@dfe.test")

		res, page := s.get("/reports")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `id="report-period"`) || strings.Contains(page, "<svg") {
			t.Fatalf("empty form: %d", res.StatusCode)
		}
		const period = "from-day=1&from-month=1&from-year=2026&to-day=31&to-month=3&to-year=2026"
		res, page = s.get("/reports?" + period)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("stats page: %d\n%s", res.StatusCode, page)
		}
		for _, want := range []string{`role="img"`, `id="chart-timeliness"`, `id="chart-outcomes"`, "DFE: 2026-01-01 to 2026-03-31",
			"<dd class=\"govuk-summary-list__value\">2 (0 under the EIR)</dd>", "Not yet processed: 2", "<th scope=\"row\" class=\"govuk-table__header\">2026 Q1</th>",
			`href="/reports/stats/download?format=csv&amp;from=2026-01-01&amp;to=2026-03-31"`} {
			if !strings.Contains(page, want) {
				t.Errorf("stats page lacks %q", want)
			}
		}
		res, csv := s.get("/reports/stats/download?from=2026-01-01&to=2026-03-31&format=csv")
		if res.StatusCode != http.StatusOK || !strings.Contains(csv, "total,Requests received,2") {
			t.Errorf("download: %d\n%s", res.StatusCode, csv)
		}

		res, page = s.get("/reports?from-day=1&from-month=4&from-year=2026&to-day=31&to-month=3&to-year=2026")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "govuk-error-summary") {
			t.Errorf("from after to: %d", res.StatusCode)
		}
		res, _ = s.get("/reports?" + period + "&party=NOPE")
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unknown party: %d", res.StatusCode)
		}

		res, page = s.get("/reports/consultations?" + period)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `id="chart-sent"`) || !strings.Contains(page, "No consultations were sent") {
			t.Errorf("consultations page: %d", res.StatusCode)
		}

		// Signed out, the pages ask for a sign-in; a liaison may not read the statistics.
		out := &site{t: t, db: d, srv: s.srv, client: newClient()}
		if res, _ := out.get("/reports?" + period); res.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out: %d", res.StatusCode)
		}
		liaison := &site{t: t, db: d, srv: s.srv, client: newClient()}
		liaison.signIn("liaison@test.example")
		if res, _ := liaison.get("/reports?" + period); res.StatusCode != http.StatusNotFound {
			t.Errorf("liaison: %d", res.StatusCode)
		}
	})
}
