package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// withdrawnCase logs a DFE case and withdraws it today (2 March 2026), so its schedules start running.
func (s *apiSite) withdrawnCase() int64 {
	s.t.Helper()
	c := s.mustCreateCase("dfe-officer")
	if res := s.call("dfe-officer", http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/transitions", c.ID),
		map[string]any{"to": "withdrawn", "note": "Withdrawn by the requester."}, nil); res.StatusCode != http.StatusOK {
		s.t.Fatalf("withdraw: %d", res.StatusCode)
	}
	return c.ID
}

// caseFileMonths returns the stored period of the case file schedule.
func caseFileMonths(t *testing.T, d *store.DB) int {
	t.Helper()
	list, err := d.RetentionSchedules(cliContext())
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range list {
		if sc.RecordType == foi.RetentionCaseFile {
			return sc.Months
		}
	}
	t.Fatal("no case file schedule")
	return 0
}

// activeHolds returns the active legal holds.
func activeHolds(t *testing.T, d *store.DB) []foi.LegalHold {
	t.Helper()
	list, err := d.LegalHolds(cliContext())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// retentionChanges counts the audit events of retention changes (showing the page audits its due report).
func retentionChanges(t *testing.T, d *store.DB) int {
	t.Helper()
	return auditCount(t, d, "retention.schedule") + auditCount(t, d, "retention.hold") +
		auditCount(t, d, "retention.hold_release")
}

func TestRetentionPage_SchedulesHoldsAndNextMonthBadInputChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		ids := []int64{s.withdrawnCase(), s.withdrawnCase()}
		const path = "/admin/retention"
		_, index := s.get("/admin")
		wantText(t, index, `href="/admin/retention"`)
		res, page := s.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET: %d", res.StatusCode)
		}
		wantText(t, page, "Case files after an ICO appeal", "36 months after closure of the case",
			`id="months_case_file" name="months_case_file" type="text" value="36"`, "No legal holds are in place.",
			"Due from 1 April 2026 to 30 April 2026", "Nothing falls due next month.")

		// Bad periods: the error summary links to the schedule's input, what was typed stays, nothing changes.
		before := retentionChanges(t, d)
		schedule := path + "/schedules/case_file"
		for _, months := range []string{"three", "0", "1201"} {
			res, body := s.send(path, schedule, url.Values{"months_case_file": {months}, "enabled_case_file": {"true"}})
			wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"months_case_file"},
				`name="months_case_file" type="text" value="`+months+`"`)
		}
		if caseFileMonths(t, d) != 36 || retentionChanges(t, d) != before {
			t.Fatal("a refused schedule changed something")
		}
		if res, _ := s.send(path, path+"/schedules/everything", url.Values{"months_everything": {"1"}}); res.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown schedule: %d", res.StatusCode)
		}

		// One month after closure: both cases fall due on 2 April 2026.
		page = s.mustSend(path, schedule, url.Values{"months_case_file": {"1"}, "enabled_case_file": {"true"}},
			"Case files: kept 1 month after closure of the case; the schedule applies.")
		if caseFileMonths(t, d) != 1 {
			t.Fatal("the schedule did not change")
		}
		due := page[strings.Index(page, `id="due-table"`):]
		if strings.Count(due, "2 April 2026") != 2 || strings.Count(due, "Not held") != 2 {
			t.Fatalf("next month's report:\n%s", due)
		}

		// Holds: bad input is refused and changes nothing.
		before = retentionChanges(t, d)
		res, body := s.send(path, path+"/holds", url.Values{"case_id": {"forty-two"}, "hold_reasons": {" "}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"case_id", "hold_reasons"}, `value="forty-two"`)
		res, body = s.send(path, path+"/holds", url.Values{"case_id": {"999999"}, "hold_reasons": {"Litigation pending"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"case_id"}, "Litigation pending")
		if len(activeHolds(t, d)) != 0 || retentionChanges(t, d) != before {
			t.Fatal("a refused hold changed something")
		}
		held := strconv.FormatInt(ids[1], 10)
		page = s.mustSend(path, path+"/holds", url.Values{"case_id": {held}, "hold_reasons": {"Litigation pending"}},
			"placed on DFE-FOI-2026-")
		holds := activeHolds(t, d)
		if len(holds) != 1 || holds[0].CaseID != ids[1] || holds[0].Reasons != "Litigation pending" {
			t.Fatalf("holds: %+v", holds)
		}
		hold := strconv.FormatInt(holds[0].ID, 10)
		due = page[strings.Index(page, `id="due-table"`):]
		wantText(t, page, `id="hold-`+hold+`"`, `action="/admin/retention/holds/`+hold+`/release"`)
		wantText(t, due, "legal hold "+hold+": Litigation pending", "Not held")

		// Lifting needs reasons.
		release := path + "/holds/" + hold + "/release"
		before = retentionChanges(t, d)
		res, body = s.send(path, release, url.Values{"release_reasons_" + hold: {""}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"release_reasons_" + hold})
		if len(activeHolds(t, d)) != 1 || retentionChanges(t, d) != before {
			t.Fatal("a refused release changed something")
		}
		page = s.mustSend(path, release, url.Values{"release_reasons_" + hold: {"Litigation settled"}}, "Legal hold "+hold+" on DFE-FOI-2026-")
		wantText(t, page, "No legal holds are in place.")
		if len(activeHolds(t, d)) != 0 {
			t.Fatal("the hold is still active")
		}
		res, body = s.send(path, release, url.Values{"release_reasons_" + hold: {"Again"}})
		wantRefused(t, res, body, http.StatusConflict, nil)

		// An auditor reads the page without its forms; a liaison does not see it; neither may post.
		s.as("aud@dfe.test")
		res, page = s.get(path)
		if res.StatusCode != http.StatusOK || strings.Contains(page, `action="/admin/retention/`) || strings.Contains(page, `id="hold-form"`) {
			t.Fatalf("auditor: %d, forms shown: %v", res.StatusCode, strings.Contains(page, "<form method=\"post\" action=\"/admin/retention"))
		}
		wantText(t, page, "1 month after closure of the case", `href="/admin/retention" aria-current="page"`)
		s.as("dm@dfe.test")
		if _, home := s.get("/"); !strings.Contains(home, `href="/admin/retention"`) {
			t.Error("a decision-maker has no link to the retention page")
		}
		if res, _ := s.get(path); res.StatusCode != http.StatusOK {
			t.Errorf("decision-maker: %d", res.StatusCode)
		}
		s.as("aud@dfe.test")
		before = retentionChanges(t, d)
		if res, _ := s.send("/", schedule, url.Values{"months_case_file": {"99"}}); res.StatusCode != http.StatusNotFound ||
			caseFileMonths(t, d) != 1 || retentionChanges(t, d) != before {
			t.Fatalf("auditor changes a schedule: %d", res.StatusCode)
		}
		s.as("liaison@test.example")
		if _, home := s.get("/"); strings.Contains(home, `href="/admin/retention"`) {
			t.Error("a liaison has a link to the retention page")
		}
		if res, _ := s.get(path); res.StatusCode != http.StatusNotFound {
			t.Fatalf("liaison: %d", res.StatusCode)
		}
	})
}

func TestCaseForms_TheCasePartyPlacesALegalHoldWithReasons(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		s.as("officer@test.example")
		path := fmt.Sprintf("/cases/%d/legal-hold", c.ID)
		_, page := s.get(fmt.Sprintf("/cases/%d", c.ID))
		wantText(t, page, `href="`+path+`"`)

		s.mustRefuse(path, url.Values{"reasons": {"   "}}, http.StatusUnprocessableEntity, []string{"reasons"})
		if holds := activeHolds(t, d); len(holds) != 0 {
			t.Fatalf("a hold without reasons was placed: %+v", holds)
		}
		s.mustSubmit(path, url.Values{"reasons": {"The requester has issued proceedings."}}, "Legal hold")
		holds := activeHolds(t, d)
		if len(holds) != 1 || holds[0].CaseID != c.ID || holds[0].Reasons != "The requester has issued proceedings." {
			t.Fatalf("holds after the form: %+v", holds)
		}
		if n := auditCount(t, d, "retention.hold"); n != 1 {
			t.Errorf("retention.hold audited %d times", n)
		}

		// Another party's officer and a liaison get the 404 page, and nothing is held.
		for _, who := range []string{"o@ho.test", "liaison@test.example"} {
			other := s.as(who)
			res, _ := other.post(path, url.Values{"csrf_token": {other.csrf("/")}, "reasons": {"Not mine to hold."}})
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s posting the hold form: %d", who, res.StatusCode)
			}
		}
		if holds := activeHolds(t, d); len(holds) != 1 {
			t.Errorf("refused posts placed holds: %+v", holds)
		}
	})
}

func TestRetentionPage_ShowsWhatWasDestroyedNewestFirst(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		const path = "/admin/retention"
		_, page := s.get(path)
		wantText(t, page, `id="destroyed-table"`, "Nothing has been destroyed yet.")

		// Two cases withdrawn on 2 March 2026, kept one month; the second is held through the first run.
		first, second := s.withdrawnCase(), s.withdrawnCase()
		s.mustSend(path, path+"/schedules/case_file", url.Values{"months_case_file": {"1"}, "enabled_case_file": {"true"}}, "Case files: kept 1 month")
		s.mustSend(path, path+"/holds", url.Values{"case_id": {strconv.FormatInt(second, 10)}, "hold_reasons": {"Litigation pending"}}, "placed on")
		hold := activeHolds(t, d)[0].ID
		now := d.Now
		run := func(day int) foi.RetentionRun {
			t.Helper()
			d.Now = func() time.Time { return time.Date(2026, 4, day, 10, 0, 0, 0, time.UTC) }
			defer func() { d.Now = now }()
			out, err := d.RunRetention(cliContext(), false)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		one := run(3)
		if len(one.Destroyed) != 1 || one.Destroyed[0].CaseID != first {
			t.Fatalf("first run: %+v", one.Destroyed)
		}
		if _, err := d.ReleaseLegalHold(cliContext(), hold, "Litigation settled"); err != nil {
			t.Fatal(err)
		}
		two := run(4)
		if len(two.Destroyed) != 1 || two.Destroyed[0].CaseID != second {
			t.Fatalf("second run: %+v", two.Destroyed)
		}

		for _, who := range []string{"admin@test.example", "aud@dfe.test", "dm@dfe.test"} {
			s.as(who)
			res, page := s.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", who, res.StatusCode)
			}
			table := page[strings.Index(page, `id="destroyed-table"`):]
			table = table[:strings.Index(table, "</table>")]
			a := strings.Index(table, fmt.Sprintf("%s (case %d)", one.Destroyed[0].CaseReference, first))
			b := strings.Index(table, fmt.Sprintf("%s (case %d)", two.Destroyed[0].CaseReference, second))
			if a < 0 || b < 0 || b > a {
				t.Fatalf("%s: the destructions are missing or oldest first:\n%s", who, table)
			}
			wantText(t, table, "Every destruction, newest first", "Case file", "Case files (1 month)", "3 April 2026",
				"4 April 2026")
			for kind, n := range one.Destroyed[0].Destroyed {
				wantText(t, table, fmt.Sprintf("%d %s", n, strings.ReplaceAll(kind, "_", " ")))
			}
		}
	})
}

func TestCasePage_TheCasePartyLiftsALegalHoldWithReasons(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c, other := s.mustCreateCase("dfe-officer"), s.mustCreateCase("dfe-officer")
		s.as("officer@test.example")
		casePath := fmt.Sprintf("/cases/%d", c.ID)
		_, page := s.get(casePath)
		if strings.Contains(page, `id="legal-holds"`) {
			t.Fatal("a case without holds shows a holds section")
		}
		s.mustSubmit(casePath+"/legal-hold", url.Values{"reasons": {"The requester has issued proceedings."}}, "Legal hold")
		s.mustSubmit(fmt.Sprintf("/cases/%d/legal-hold", other.ID), url.Values{"reasons": {"Another matter."}}, "Legal hold")
		var hold, otherHold int64
		for _, h := range activeHolds(t, d) {
			if h.CaseID == c.ID {
				hold = h.ID
			} else {
				otherHold = h.ID
			}
		}
		release := fmt.Sprintf("%s/legal-holds/%d/release", casePath, hold)
		_, page = s.get(casePath)
		wantText(t, page, `id="legal-holds"`, "The requester has issued proceedings.", `href="`+release+`"`, "by officer@test.example")

		// Empty reasons: the error summary, nothing lifted.
		s.mustRefuse(release, url.Values{"reasons": {"  "}}, http.StatusUnprocessableEntity, []string{"reasons"})
		if len(activeHolds(t, d)) != 2 || auditCount(t, d, "retention.hold_release") != 0 {
			t.Fatal("a release without reasons changed something")
		}
		// A hold of another case, through this case's address, is not found.
		if res, _ := s.get(fmt.Sprintf("%s/legal-holds/%d/release", casePath, otherHold)); res.StatusCode != http.StatusNotFound {
			t.Errorf("another case's hold: %d", res.StatusCode)
		}

		// The party's auditor sees the hold without the link; the auditor, another party's officer and a liaison
		// get the 404 page for the form, and lift nothing.
		s.as("aud@dfe.test")
		_, page = s.get(casePath)
		wantText(t, page, "The requester has issued proceedings.")
		if strings.Contains(page, release) {
			t.Error("the auditor is offered to lift the hold")
		}
		for _, who := range []string{"aud@dfe.test", "o@ho.test", "liaison@test.example"} {
			other := s.as(who)
			if res, _ := other.get(release); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s opening the release form: %d", who, res.StatusCode)
			}
			res, _ := other.post(release, url.Values{"csrf_token": {other.csrf("/")}, "reasons": {"Not mine to lift."}})
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s posting the release form: %d", who, res.StatusCode)
			}
		}
		if len(activeHolds(t, d)) != 2 || auditCount(t, d, "retention.hold_release") != 0 {
			t.Fatal("a refused release changed something")
		}

		// A decision-maker of the party lifts it; the case page no longer shows it and the form is gone.
		s.as("dm@dfe.test")
		page = s.mustSubmit(release, url.Values{"reasons": {"The proceedings have ended."}},
			fmt.Sprintf("Legal hold %d on %s lifted", hold, c.Reference))
		if strings.Contains(page, `id="legal-holds"`) {
			t.Error("the lifted hold is still shown")
		}
		holds := activeHolds(t, d)
		if len(holds) != 1 || holds[0].ID != otherHold || auditCount(t, d, "retention.hold_release") != 1 {
			t.Fatalf("after the release: %+v", holds)
		}
		if res, _ := s.get(release); res.StatusCode != http.StatusNotFound {
			t.Errorf("the form of a lifted hold: %d", res.StatusCode)
		}
	})
}
