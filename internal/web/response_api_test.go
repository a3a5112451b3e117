package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiResponse struct {
	Status       string  `json:"status"`
	Outcome      string  `json:"outcome"`
	Letter       string  `json:"letter"`
	Delivery     string  `json:"delivery"`
	EmailQueued  bool    `json:"email_queued"`
	CaseStatus   string  `json:"case_status"`
	CaseVersion  int64   `json:"case_version"`
	RespondedOn  *string `json:"responded_on"`
	Exemptions   []struct{ Section, Citation string }
	Returned     *struct{ Reason string }
	Warnings     []string `json:"warnings"`
	DeliveryNote string   `json:"delivery_note"`
}

func partialBody() map[string]any {
	return map[string]any{"outcome": "partially_withheld", "exemptions": []string{"40(2)", "31(1)(e)"},
		"public_interest": map[string]any{"31(1)(e)": map[string]any{"favour_disclosure": "Transparency.",
			"favour_withholding": "Immigration controls.", "conclusion": "Withhold."}}}
}

func TestResponseAPI_DraftApproveAndRoles(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		path := fmt.Sprintf("/api/v1/cases/%d/response", c.ID)

		var p apiProblem
		bad := map[string]any{"outcome": "withheld_in_full", "exemptions": []string{"31(1)(e)"}}
		if res := s.call("dfe-officer", http.MethodPost, path, bad, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 1 || p.Errors[0].Field != "public_interest.31(1)(e)" {
			t.Fatalf("no PIT: %d %+v", res.StatusCode, p)
		}
		if res := s.call("dfe-officer", http.MethodGet, path, nil, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("no response yet: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, path, partialBody(), nil, "If-Match", `"9"`); res.StatusCode != http.StatusPreconditionFailed {
			t.Fatalf("stale If-Match: %d", res.StatusCode)
		}
		var r apiResponse
		res := s.call("dfe-officer", http.MethodPost, path, partialBody(), &r, "If-Match", etagOf(c.Version))
		if res.StatusCode != http.StatusOK || r.Status != "pending_approval" || r.CaseStatus != "pending_approval" ||
			r.Delivery != "email" || r.EmailQueued || len(r.Exemptions) != 2 || r.Exemptions[0].Citation != "s.31(1)(e)" ||
			!strings.Contains(r.Letter, "s.40(2)") || res.Header.Get("ETag") != etagOf(r.CaseVersion) {
			t.Fatalf("draft: %d %+v", res.StatusCode, r)
		}
		for _, who := range []string{"ho-officer", "ho-liaison"} {
			if res := s.call(who, http.MethodGet, path, nil, &p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s sees the response: %d", who, res.StatusCode)
			}
			if res := s.call(who, http.MethodPost, path+"/approve", nil, &p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s approves: %d", who, res.StatusCode)
			}
		}
		if res := s.call("dfe-officer", http.MethodPost, path+"/approve", nil, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("officer approves: %d", res.StatusCode)
		}
		if res := s.call("dfe-auditor", http.MethodGet, path, nil, &r); res.StatusCode != http.StatusOK || r.Status != "pending_approval" {
			t.Fatalf("auditor reads: %d", res.StatusCode)
		}
		res = s.call("dfe-dm", http.MethodPost, path+"/approve", nil, &r, "If-Match", etagOf(r.CaseVersion))
		if res.StatusCode != http.StatusOK || r.Status != "approved" || r.CaseStatus != "responded" || !r.EmailQueued ||
			r.RespondedOn == nil || *r.RespondedOn != "2026-03-02" {
			t.Fatalf("approve: %d %+v", res.StatusCode, r)
		}
		if res := s.call("dfe-dm", http.MethodPost, path+"/approve", "{}", &p); res.StatusCode != http.StatusConflict {
			t.Fatalf("approve twice: %d", res.StatusCode)
		}
	})
}

func TestResponseAPI_DecisionMakerRespondsAtOnceAndReturns(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		path := fmt.Sprintf("/api/v1/cases/%d/response", c.ID)
		var r apiResponse
		var p apiProblem
		if res := s.call("dfe-dm", http.MethodPost, path, map[string]any{"outcome": "granted_in_full"}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			p.Errors[0].Field != "letter" {
			t.Fatalf("placeholders left: %d %+v", res.StatusCode, p)
		}
		body := map[string]any{"outcome": "granted_in_full", "letter": "Dear Ada,\n\nHere it is.\n"}
		if res := s.call("dfe-dm", http.MethodPost, path, body, &r); res.StatusCode != http.StatusOK || r.CaseStatus != "responded" ||
			!r.EmailQueued || r.Letter != "Dear Ada,\n\nHere it is." {
			t.Fatalf("respond at once: %d %+v", res.StatusCode, r)
		}

		c2 := s.mustCreateCase("dfe-officer")
		path2 := fmt.Sprintf("/api/v1/cases/%d/response", c2.ID)
		s.call("dfe-officer", http.MethodPost, path2, partialBody(), &r)
		if res := s.call("dfe-officer", http.MethodPost, path2+"/return", map[string]any{"reason": "No"}, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("officer returns: %d", res.StatusCode)
		}
		if res := s.call("dfe-dm", http.MethodPost, path2+"/return", map[string]any{"reason": ""}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			p.Errors[0].Field != "reason" {
			t.Fatalf("no reason: %d %+v", res.StatusCode, p)
		}
		if res := s.call("dfe-dm", http.MethodPost, path2+"/return", map[string]any{"reason": "Explain the harm."}, &r); res.StatusCode != http.StatusOK ||
			r.CaseStatus != "in_progress" || r.Status != "returned" || r.Returned == nil || r.Returned.Reason != "Explain the harm." {
			t.Fatalf("return: %d %+v", res.StatusCode, r)
		}
		if res := s.call("dfe-officer", http.MethodGet, path2, nil, &r); res.StatusCode != http.StatusOK || r.Returned == nil {
			t.Fatalf("get returned: %d %+v", res.StatusCode, r)
		}
	})
}

func TestLetterAPI_TemplatesAndCaseLetters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
		if _, _, err := d.CreateUser(cli, foi.NewUser{Email: "admin@test.example", Name: "Ann Admin", Role: foi.RoleAdmin, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		s.tokens["admin"] = s.mustToken("admin@test.example")
		var list struct {
			Items []struct {
				Key    string `json:"key"`
				Custom bool   `json:"custom"`
			} `json:"items"`
		}
		if res := s.call("ho-liaison", http.MethodGet, "/api/v1/letter-templates", nil, &list); res.StatusCode != http.StatusOK || len(list.Items) != 6 {
			t.Fatalf("list: %d %+v", res.StatusCode, list)
		}
		var p apiProblem
		put := "/api/v1/letter-templates/acknowledgement"
		if res := s.call("dfe-officer", http.MethodPut, put, map[string]any{"body": "Hi"}, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("officer edits: %d", res.StatusCode)
		}
		if res := s.call("admin", http.MethodPut, put, map[string]any{"body": "Dear {{.RequesterName}"}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			p.Errors[0].Field != "body" || !strings.Contains(p.Errors[0].Message, "does not parse") {
			t.Fatalf("broken template: %d %+v", res.StatusCode, p)
		}
		if res := s.call("admin", http.MethodPut, "/api/v1/letter-templates/nope", map[string]any{"body": "Hi"}, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown key: %d", res.StatusCode)
		}
		var tmpl struct {
			Custom bool   `json:"custom"`
			Title  string `json:"title"`
		}
		if res := s.call("admin", http.MethodPut, put, map[string]any{"title": "Thanks", "body": "We got {{.Reference}}."}, &tmpl); res.StatusCode != http.StatusOK ||
			!tmpl.Custom || tmpl.Title != "Thanks" {
			t.Fatalf("set: %d %+v", res.StatusCode, tmpl)
		}
		c := s.mustCreateCase("dfe-officer")
		var l struct {
			Text         string   `json:"text"`
			Placeholders []string `json:"placeholders"`
		}
		lp := fmt.Sprintf("/api/v1/cases/%d/letters/", c.ID)
		if res := s.call("dfe-officer", http.MethodPost, lp+"acknowledgement", nil, &l); res.StatusCode != http.StatusOK || l.Text != "We got "+c.Reference+".\n" {
			t.Fatalf("render: %d %+v", res.StatusCode, l)
		}
		if res := s.call("dfe-officer", http.MethodPost, lp+"fee_notice", nil, &l); res.StatusCode != http.StatusOK || len(l.Placeholders) == 0 {
			t.Fatalf("fee notice: %d %+v", res.StatusCode, l)
		}
		if res := s.call("dfe-auditor", http.MethodPost, lp+"fee_notice", nil, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("auditor renders: %d", res.StatusCode)
		}
		if res := s.call("ho-officer", http.MethodPost, lp+"fee_notice", nil, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("other party renders: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, lp+"nope", nil, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown letter: %d", res.StatusCode)
		}
	})
}

func TestReviewAndAppealAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		base := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		var p apiProblem
		if res := s.call("dfe-officer", http.MethodPost, base+"/internal-review", map[string]any{"requested_on": "2026-03-02"}, &p); res.StatusCode != http.StatusConflict {
			t.Fatalf("review of an open case: %d", res.StatusCode)
		}
		var r apiResponse
		s.call("dfe-dm", http.MethodPost, base+"/response", partialBody(), &r)
		if r.CaseStatus != "responded" {
			t.Fatalf("not responded: %+v", r)
		}
		if res := s.call("dfe-officer", http.MethodGet, base+"/internal-review", nil, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("no review yet: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, base+"/internal-review", map[string]any{"requested_on": "2 March"}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			p.Errors[0].Field != "requested_on" {
			t.Fatalf("bad date: %d %+v", res.StatusCode, p)
		}
		var rev struct {
			TargetOn    *string  `json:"target_on"`
			LongstopOn  *string  `json:"longstop_on"`
			Outcome     *string  `json:"outcome"`
			Warnings    []string `json:"warnings"`
			CaseVersion int64    `json:"case_version"`
		}
		if res := s.call("ho-officer", http.MethodPost, base+"/internal-review", map[string]any{"requested_on": "2026-03-02"}, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("other party: %d", res.StatusCode)
		}
		res := s.call("dfe-officer", http.MethodPost, base+"/internal-review", map[string]any{"requested_on": "2026-03-02"}, &rev, "If-Match", etagOf(r.CaseVersion))
		if res.StatusCode != http.StatusCreated || *rev.TargetOn != "2026-03-31" || *rev.LongstopOn != "2026-04-30" ||
			res.Header.Get("Location") != base+"/internal-review" {
			t.Fatalf("request review: %d %+v", res.StatusCode, rev)
		}
		dec := map[string]any{"decided_on": "2026-03-02", "outcome": "overturned"}
		if res := s.call("dfe-officer", http.MethodPost, base+"/internal-review/decision", dec, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("officer decides: %d", res.StatusCode)
		}
		if res := s.call("dfe-dm", http.MethodPost, base+"/internal-review/decision", dec, &rev); res.StatusCode != http.StatusOK || *rev.Outcome != "overturned" {
			t.Fatalf("decide: %d %+v", res.StatusCode, rev)
		}
		if res := s.call("dfe-auditor", http.MethodGet, base+"/internal-review", nil, &rev); res.StatusCode != http.StatusOK || *rev.Outcome != "overturned" {
			t.Fatalf("get review: %d", res.StatusCode)
		}

		var a struct {
			ComplianceOn     *string  `json:"compliance_on"`
			TribunalAppealBy *string  `json:"tribunal_appeal_by"`
			Tribunal         bool     `json:"tribunal"`
			Warnings         []string `json:"warnings"`
		}
		if res := s.call("dfe-officer", http.MethodGet, base+"/ico-appeal", nil, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("no appeal yet: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, base+"/ico-appeal/decision", map[string]any{"decision_notice_on": "2026-03-02", "outcome": "upheld"}, &p); res.StatusCode != http.StatusConflict {
			t.Fatalf("decision without complaint: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, base+"/ico-appeal", map[string]any{"complaint_on": "2026-03-02"}, &a); res.StatusCode != http.StatusCreated {
			t.Fatalf("complaint: %d", res.StatusCode)
		}
		if res := s.call("ho-liaison", http.MethodGet, base+"/ico-appeal", nil, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("liaison sees the appeal: %d", res.StatusCode)
		}
		res = s.call("dfe-officer", http.MethodPost, base+"/ico-appeal/decision",
			map[string]any{"decision_notice_on": "2026-03-02", "outcome": "upheld", "tribunal": true}, &a)
		if res.StatusCode != http.StatusOK || *a.ComplianceOn != "2026-04-06" || *a.TribunalAppealBy != "2026-03-30" || !a.Tribunal {
			t.Fatalf("ICO decision: %d %+v", res.StatusCode, a)
		}
		if res := s.call("dfe-officer", http.MethodGet, base+"/ico-appeal", nil, &a); res.StatusCode != http.StatusOK || *a.ComplianceOn != "2026-04-06" {
			t.Fatalf("get appeal: %d", res.StatusCode)
		}
	})
}

func etagOf(v int64) string { return fmt.Sprintf(`"%d"`, v) }
