package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// incidentsVia returns the incidents the API shows who.
func (s *apiSite) incidentsVia(who string) []apiIncident {
	s.t.Helper()
	var list struct{ Items []apiIncident }
	if res := s.call(who, http.MethodGet, "/api/v1/incidents", nil, &list); res.StatusCode != http.StatusOK {
		s.t.Fatalf("list incidents: %d", res.StatusCode)
	}
	return list.Items
}

// incidentVia returns one incident as the API shows it to the DFE officer.
func (s *apiSite) incidentVia(id int64) apiIncident {
	s.t.Helper()
	var inc apiIncident
	if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/incidents/%d", id), nil, &inc); res.StatusCode != http.StatusOK {
		s.t.Fatalf("incident %d: %d", id, res.StatusCode)
	}
	return inc
}

// wantPage fails the test unless the response has the status and the page every one of wants.
func wantPage(t *testing.T, what string, res *http.Response, page string, status int, wants ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: %d, want %d", what, res.StatusCode, status)
	}
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("%s: the page lacks %q", what, w)
		}
	}
}

// An officer reports an incident and records an action, a decision-maker records the ICO decision and the
// officer closes it, all through the forms; bad input shows the error summary, keeps what was typed and changes
// nothing; whoever may not act gets the 404 page.
func TestIncidentForms_ReportActDecideAndClose(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.signIn("officer@test.example")
		res, page := s.get("/incidents")
		wantPage(t, "incidents", res, page, http.StatusOK, `href="/incidents/new"`)
		token := s.csrf("/incidents/new")

		// Bad input: no kind, a time that is not one, no affected party.
		res, page = s.post("/incidents/new", url.Values{"csrf_token": {token}, "description": {"A laptop was left on a train."},
			"aware_at-day": {"2"}, "aware_at-month": {"3"}, "aware_at-year": {"2026"}, "aware_at_time": {"25:00"}})
		wantPage(t, "report with bad input", res, page, http.StatusUnprocessableEntity, "govuk-error-summary",
			`href="#kind"`, `href="#aware_at_time"`, `href="#affected_parties"`, "A laptop was left on a train.", `value="25:00"`)
		if got := s.incidentsVia("dfe-officer"); len(got) != 0 {
			t.Fatalf("bad input reported %d incidents", len(got))
		}

		res, _ = s.post("/incidents/new", url.Values{"csrf_token": {token}, "kind": {"data_loss"},
			"description": {"A laptop was left on a train."}, "aware_at-day": {"2"}, "aware_at-month": {"3"},
			"aware_at-year": {"2026"}, "aware_at_time": {"9:00am"}, "affected_parties": {"HO"}})
		got := s.incidentsVia("dfe-officer")
		if res.StatusCode != http.StatusSeeOther || len(got) != 1 || res.Header.Get("Location") != fmt.Sprintf("/incidents/%d", got[0].ID) {
			t.Fatalf("report: %d %s, %d incidents", res.StatusCode, res.Header.Get("Location"), len(got))
		}
		inc := got[0]
		if inc.ReportingParty != "DFE" || inc.DueAt != "2026-03-03T09:00:00Z" || len(inc.AffectedParties) != 1 ||
			inc.AffectedParties[0].Party != "HO" || inc.Description != "A laptop was left on a train." {
			t.Fatalf("reported %+v", inc)
		}
		path := fmt.Sprintf("/incidents/%d", inc.ID)
		res, page = s.get(path)
		wantPage(t, "the reported incident", res, page, http.StatusOK, "reported.", path+"/actions", path+"/close",
			"3 March 2026 at 9am")
		if strings.Contains(page, path+"/ico-decision") {
			t.Error("an officer is offered the ICO decision")
		}

		// The officer may not record the ICO decision.
		if res, _ := s.get(path + "/ico-decision"); res.StatusCode != http.StatusNotFound {
			t.Errorf("officer GET ico-decision: %d", res.StatusCode)
		}
		res, _ = s.post(path+"/ico-decision", url.Values{"csrf_token": {token}, "decision": {"not_notify"}, "reasons": {"Encrypted."}})
		if res.StatusCode != http.StatusNotFound || s.incidentVia(inc.ID).ICODecision != nil {
			t.Errorf("officer POST ico-decision: %d", res.StatusCode)
		}

		// An action: none without a note.
		res, page = s.post(path+"/actions", url.Values{"csrf_token": {token}, "note": {"  "}})
		wantPage(t, "empty action", res, page, http.StatusUnprocessableEntity, `href="#note"`)
		if n := len(s.incidentVia(inc.ID).Actions); n != 0 {
			t.Fatalf("an empty note recorded %d actions", n)
		}
		res, _ = s.post(path+"/actions", url.Values{"csrf_token": {token}, "note": {"The laptop was wiped remotely."}})
		if acts := s.incidentVia(inc.ID).Actions; res.StatusCode != http.StatusSeeOther || len(acts) != 1 || acts[0].Note != "The laptop was wiped remotely." {
			t.Fatalf("action: %d %+v", res.StatusCode, acts)
		}

		// Closing waits for the ICO decision.
		res, page = s.get(path + "/close")
		wantPage(t, "close before the decision", res, page, http.StatusOK, `id="close-needs-decision"`)
		res, page = s.post(path+"/close", url.Values{"csrf_token": {token}, "summary": {"Done."}})
		wantPage(t, "close before the decision", res, page, http.StatusConflict, "govuk-error-summary", "Record the ICO notification decision")
		if st := s.incidentVia(inc.ID).Status; st != "open" {
			t.Fatalf("closed without a decision: %s", st)
		}

		// The decision-maker records it: reasons and a time are needed, the choice is kept.
		s.signIn("dm@dfe.test")
		_, page = s.get(path)
		if !strings.Contains(page, path+"/ico-decision") {
			t.Error("the decision-maker is not offered the ICO decision")
		}
		token = s.csrf(path + "/ico-decision")
		res, page = s.post(path+"/ico-decision", url.Values{"csrf_token": {token}, "decision": {"notify"},
			"notified_at-day": {"2"}, "notified_at-month": {"3"}, "notified_at-year": {"2026"}})
		wantPage(t, "decision with bad input", res, page, http.StatusUnprocessableEntity, `href="#reasons"`,
			`href="#notified_at_time"`, `value="notify" checked`)
		if s.incidentVia(inc.ID).ICODecision != nil {
			t.Fatal("bad input recorded a decision")
		}
		res, _ = s.post(path+"/ico-decision", url.Values{"csrf_token": {token}, "decision": {"notify"}, "reasons": {"Children's data."},
			"notified_at-day": {"2"}, "notified_at-month": {"3"}, "notified_at-year": {"2026"}, "notified_at_time": {"09:30"}})
		if dec := s.incidentVia(inc.ID).ICODecision; res.StatusCode != http.StatusSeeOther || dec == nil || *dec != "notify" {
			t.Fatalf("decision: %d %v", res.StatusCode, dec)
		}
		_, page = s.get(path + "/ico-decision")
		if !strings.Contains(page, "Children&#39;s data.") || !strings.Contains(page, `value="09:30"`) {
			t.Error("the decision form does not start from the recorded decision")
		}

		// The officer closes it; a closed incident takes no more forms.
		s.signIn("officer@test.example")
		token = s.csrf(path + "/close")
		res, page = s.post(path+"/close", url.Values{"csrf_token": {token}})
		wantPage(t, "close without a summary", res, page, http.StatusUnprocessableEntity, `href="#summary"`)
		res, _ = s.post(path+"/close", url.Values{"csrf_token": {token}, "summary": {"Wiped; staff reminded."}})
		if st := s.incidentVia(inc.ID).Status; res.StatusCode != http.StatusSeeOther || st != "closed" {
			t.Fatalf("close: %d %s", res.StatusCode, st)
		}
		_, page = s.get(path)
		if strings.Contains(page, path+"/actions") || !strings.Contains(page, "Wiped; staff reminded.") {
			t.Error("the closed incident still offers its forms, or lacks its closure")
		}
		if res, _ := s.get(path + "/actions"); res.StatusCode != http.StatusNotFound {
			t.Errorf("action form of a closed incident: %d", res.StatusCode)
		}

		// HO's liaison reads it but may not act; DFE's auditor may not report.
		s.signIn("liaison@test.example")
		if res, page := s.get(path); res.StatusCode != http.StatusOK || strings.Contains(page, "/incidents/new") {
			t.Errorf("liaison view: %d", res.StatusCode)
		}
		for _, p := range []string{"/incidents/new", path + "/actions", path + "/close"} {
			if res, _ := s.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("liaison GET %s: %d", p, res.StatusCode)
			}
		}
		res, _ = s.post("/incidents/new", url.Values{"csrf_token": {s.csrf("/incidents")}, "kind": {"data_loss"},
			"description": {"x"}, "aware_at-day": {"2"}, "aware_at-month": {"3"}, "aware_at-year": {"2026"},
			"aware_at_time": {"9:00"}, "affected_parties": {"DFE"}})
		if res.StatusCode != http.StatusNotFound || len(s.incidentsVia("dfe-officer")) != 1 {
			t.Errorf("liaison reports: %d", res.StatusCode)
		}
		s.signIn("aud@dfe.test")
		if res, _ := s.get("/incidents/new"); res.StatusCode != http.StatusNotFound {
			t.Errorf("auditor report form: %d", res.StatusCode)
		}
	})
}

// The case page and the consultation page link to the report form about them; the report names the case or
// the consultation (which holds the case for retention), and a record the user may not see is a 404.
func TestIncidentForms_ReportAboutACaseOrAConsultationFromItsPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		var cc apiCaseConsultations
		if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/consultations", c.ID), nil, &cc); res.StatusCode != http.StatusOK || len(cc.Consultations) != 1 {
			t.Fatalf("case consultations: %d %+v", res.StatusCode, cc)
		}
		k := cc.Consultations[0].ID
		s.signIn("officer@test.example")
		for _, about := range []struct{ page, link, shows, field string }{
			{fmt.Sprintf("/cases/%d", c.ID), fmt.Sprintf("/incidents/new?case=%d", c.ID), "Case " + c.Reference, "case_id"},
			{fmt.Sprintf("/consultations/%d", k), fmt.Sprintf("/incidents/new?consultation=%d", k),
				fmt.Sprintf("Consultation %d: HO consulted by DFE", k), "consultation_id"},
		} {
			res, page := s.get(about.page)
			wantPage(t, about.page, res, page, http.StatusOK, `href="`+strings.ReplaceAll(about.link, "&", "&amp;")+`"`)
			res, page = s.get(about.link)
			wantPage(t, about.link, res, page, http.StatusOK, "About: "+about.shows, `name="`+about.field+`"`)
			form := url.Values{"csrf_token": {s.csrf(about.link)}, "kind": {"wrongful_disclosure"},
				"description": {"Sent to the wrong address."}, "aware_at-day": {"2"}, "aware_at-month": {"3"},
				"aware_at-year": {"2026"}, "aware_at_time": {"9:00am"}, "affected_parties": {"HO"}}
			for _, m := range hiddenRE.FindAllStringSubmatch(page, -1) {
				form.Set(m[1], m[2])
			}
			if res, _ := s.post("/incidents/new", form); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("report about %s: %d", about.page, res.StatusCode)
			}
		}
		got := s.incidentsVia("dfe-officer")
		var cases, consultations int
		for _, inc := range got {
			if inc.CaseID != nil && *inc.CaseID == c.ID {
				cases++
			}
			if inc.ConsultationID != nil && *inc.ConsultationID == k {
				consultations++
			}
		}
		if len(got) != 2 || cases != 1 || consultations != 1 {
			t.Errorf("incidents %+v: %d about the case, %d about the consultation", got, cases, consultations)
		}

		// Another party's officer cannot name DFE's case on the form.
		s.signIn("o@ho.test")
		if res, page := s.get(fmt.Sprintf("/incidents/new?case=%d", c.ID)); res.StatusCode != http.StatusNotFound || strings.Contains(page, c.Reference) {
			t.Errorf("HO officer naming DFE's case: %d", res.StatusCode)
		}
	})
}
