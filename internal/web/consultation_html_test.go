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

// requesterWords are the requester's details in newCaseBody: no consultation page may show any of them.
var requesterWords = []string{"Ada Requester", "ada@example.org"}

func TestConsultationPages_LiaisonReadsThePackAndRepresentsThroughTheForm(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var c apiCase
		s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c)
		var doc apiDoc
		if res := s.upload("dfe-officer", c.ID, "briefing.docx", tinyDOCX(t), &doc); res.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d", res.StatusCode)
		}
		k := s.caseConsultation(c.ID)
		packPath := fmt.Sprintf("/consultations/%d", k.ID)

		s.signIn("liaison@test.example")
		res, inbox := s.get("/consultations")
		if res.StatusCode != http.StatusOK || !strings.Contains(inbox, packPath) || !strings.Contains(inbox, c.Reference) ||
			!strings.Contains(inbox, ">Sent<") {
			t.Fatalf("inbox: %d\n%s", res.StatusCode, inbox)
		}
		res, pack := s.get(packPath)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("pack: %d", res.StatusCode)
		}
		for _, want := range []string{"Consultation from DFE to HO", "How many requests did the Home Office make", "briefing.docx",
			"Submit representations", "has not sent representations yet"} {
			if !strings.Contains(pack, want) {
				t.Errorf("pack lacks %q", want)
			}
		}
		for _, page := range []string{pack, inbox} {
			for _, w := range requesterWords {
				if strings.Contains(page, w) {
					t.Errorf("a liaison's page shows the requester's %q", w)
				}
			}
		}
		if strings.Contains(pack, fmt.Sprintf(`href="/cases/%d"`, c.ID)) {
			t.Error("the pack links a liaison to the case")
		}

		form := packPath + "/representations/new"
		res, page := s.get(form)
		if res.StatusCode != http.StatusOK || strings.Count(page, `app-form-row" id="exemption-`) != 3 {
			t.Fatalf("form: %d, %d exemption rows", res.StatusCode, strings.Count(page, `app-form-row" id="exemption-`))
		}
		token := s.csrf(form)
		redaction := fmt.Sprintf("redaction-%d-0-", doc.ID)
		typed := url.Values{"csrf_token": {token}, "position": {"object_in_part"}, "summary": {"Officer names."},
			"exemption-rows": {"3"}, "exemption-0-section": {"99(9)"}, "exemption-0-reasons": {""},
			fmt.Sprintf("redaction-%d-rows", doc.ID): {"3"}, redaction + "passage": {"page 2"}, redaction + "reasons": {"Names."}}

		// "Add another" shows a fourth empty row and keeps what was typed, saving nothing.
		add := cloneValues(typed)
		add.Set("action", "add-exemption")
		res, page = s.post(packPath+"/representations", add)
		if res.StatusCode != http.StatusOK || strings.Count(page, `app-form-row" id="exemption-`) != 4 || !strings.Contains(page, `value="99(9)"`) ||
			strings.Contains(page, "govuk-error-summary") {
			t.Fatalf("add another: %d, %d rows", res.StatusCode, strings.Count(page, `app-form-row" id="exemption-`))
		}

		// Bad input: the error summary links to each bad field, what was typed stays, nothing changes.
		typed.Set("action", "submit")
		res, page = s.post(packPath+"/representations", typed)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad representations: %d", res.StatusCode)
		}
		for _, want := range []string{"govuk-error-summary", `href="#exemption-0-section"`, `href="#exemption-0-reasons"`,
			`value="99(9)"`, "Officer names.", `<title>Error: `} {
			if !strings.Contains(page, want) {
				t.Errorf("error page lacks %q", want)
			}
		}
		if got := s.caseConsultation(c.ID); got.Status != "sent" || len(got.Representations) != 0 {
			t.Fatalf("bad input changed the consultation: %+v", got)
		}

		typed.Set("exemption-0-section", "31(1)(e)")
		typed.Set("exemption-0-reasons", "Immigration controls.")
		res, _ = s.post(packPath+"/representations", typed)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != packPath {
			t.Fatalf("representations: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, pack = s.get(packPath)
		for _, want := range []string{"Your representations (version 1) were sent to DFE", "Version 1: Objects in part",
			"Section 31(1)(e)", "briefing.docx</strong>: “page 2”", "Revise your representations"} {
			if !strings.Contains(pack, want) {
				t.Errorf("pack after representing lacks %q", want)
			}
		}
		// A revision starts from the latest version, and every version stays in the history.
		_, page = s.get(form)
		if !strings.Contains(page, `value="31(1)(e)"`) || !strings.Contains(page, "Officer names.") {
			t.Error("the revision form does not start from the latest version")
		}
		typed.Set("position", "object_in_full")
		typed.Set("summary", "Everything.")
		if res, _ := s.post(packPath+"/representations", typed); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("revision: %d", res.StatusCode)
		}
		_, history := s.get(packPath + "/representations")
		for _, want := range []string{"Version 2: Objects in full", "Version 1: Objects in part", "Officer names.", "Everything."} {
			if !strings.Contains(history, want) {
				t.Errorf("history lacks %q", want)
			}
		}
		if strings.Index(history, "Version 2") > strings.Index(history, "Version 1") {
			t.Error("the history is not newest first")
		}
		// The liaison may not consider, waive or close.
		for _, p := range []string{"/consideration", "/waiver", "/close"} {
			if res, _ := s.get(packPath + p); res.StatusCode != http.StatusNotFound {
				t.Errorf("liaison GET %s: %d", p, res.StatusCode)
			}
		}
	})
}

func TestConsultationPages_DecisionMakerConsidersWaivesAndSeesTheApprovalsQueue(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		data := newTourData(t, s)
		k := s.caseConsultation(data.represented.ID)
		waiting := s.caseConsultation(data.waiting.ID)
		packPath := fmt.Sprintf("/consultations/%d", k.ID)

		s.signIn("dm@dfe.test")
		res, list := s.get("/consultations?show=all")
		if res.StatusCode != http.StatusOK || !strings.Contains(list, packPath) || !strings.Contains(list, "Representations received") {
			t.Fatalf("outgoing list: %d", res.StatusCode)
		}
		_, pack := s.get(packPath)
		for _, want := range []string{"Consider the representations", "Waive the consultation", fmt.Sprintf(`href="/cases/%d"`, data.represented.ID)} {
			if !strings.Contains(pack, want) {
				t.Errorf("the decision-maker's pack lacks %q", want)
			}
		}
		res, page := s.get(packPath + "/consideration")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `id="side-representations"`) || !strings.Contains(page, `id="side-draft"`) ||
			!strings.Contains(page, "Names of officers must not be released.") {
			t.Fatalf("consideration page: %d", res.StatusCode)
		}
		token := s.csrf(packPath + "/consideration")
		res, page = s.post(packPath+"/consideration", url.Values{"csrf_token": {token}, "reasons": {"  "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#outcome"`) || !strings.Contains(page, `href="#reasons"`) {
			t.Fatalf("empty consideration: %d", res.StatusCode)
		}
		if got := s.caseConsultation(data.represented.ID); got.Status != "representations_received" {
			t.Fatalf("bad input changed the consultation: %s", got.Status)
		}
		res, _ = s.post(packPath+"/consideration", url.Values{"csrf_token": {token}, "outcome": {"partly_accepted"},
			"reasons": {"Names redacted; the numbers go out."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("consideration: %d", res.StatusCode)
		}
		_, pack = s.get(packPath)
		for _, want := range []string{"Your consideration of the representations was recorded.", "Partly accepted", "Names redacted; the numbers go out."} {
			if !strings.Contains(pack, want) {
				t.Errorf("pack after consideration lacks %q", want)
			}
		}
		if res, _ := s.get(packPath + "/consideration"); res.StatusCode != http.StatusNotFound {
			t.Errorf("considering twice: %d", res.StatusCode)
		}

		// Closing before the respond-by date is refused with the reason; the waiver needs reasons.
		wPath := fmt.Sprintf("/consultations/%d", waiting.ID)
		res, page = s.post(wPath+"/close", url.Values{"csrf_token": {token}, "reasons": {"No answer."}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(page, "govuk-error-summary") {
			t.Fatalf("early close: %d", res.StatusCode)
		}
		res, page = s.post(wPath+"/waiver", url.Values{"csrf_token": {token}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#reasons"`) {
			t.Fatalf("waiver without reasons: %d", res.StatusCode)
		}
		if res, _ := s.post(wPath+"/waiver", url.Values{"csrf_token": {token}, "reasons": {"Already published."}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("waiver: %d", res.StatusCode)
		}
		if _, pack := s.get(wPath); !strings.Contains(pack, "Already published.") || !strings.Contains(pack, ">Waived<") {
			t.Error("the waived consultation does not show its reasons")
		}

		res, queue := s.get("/approvals")
		if res.StatusCode != http.StatusOK || !strings.Contains(queue, data.pending.Reference) || strings.Contains(queue, data.waiting.Reference) {
			t.Fatalf("approvals: %d\n%s", res.StatusCode, queue)
		}
	})
}

func TestConsultationPages_OtherRolesGetTheGOVUK404(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		data := newTourData(t, s)
		k := s.caseConsultation(data.represented.ID)
		packPath := fmt.Sprintf("/consultations/%d", k.ID)
		for _, tc := range []struct {
			email string
			paths []string
		}{
			{"officer@test.example", []string{"/approvals", packPath + "/consideration", packPath + "/waiver", packPath + "/representations/new"}},
			{"o@ho.test", []string{packPath, "/approvals"}},
			{"admin@test.example", []string{"/consultations", packPath}},
			{"aud@dfe.test", []string{packPath + "/consideration", "/approvals"}},
		} {
			s.signIn(tc.email)
			for _, p := range tc.paths {
				if res, body := s.get(p); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
					t.Errorf("%s GET %s: %d", tc.email, p, res.StatusCode)
				}
			}
		}
		s.signIn("officer@test.example")
		res, body := s.post(packPath+"/representations", url.Values{"csrf_token": {s.csrf("/")}, "position": {"no_objection"}, "summary": {"x"}})
		if res.StatusCode != http.StatusNotFound || strings.Contains(body, "govuk-error-summary") {
			t.Errorf("officer posting representations: %d", res.StatusCode)
		}
	})
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
