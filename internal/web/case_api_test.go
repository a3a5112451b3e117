package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// apiSite is a site with an API token for each of: a DFE officer, a DFE decision-maker, a DFE auditor, an HO
// officer and an HO liaison.
type apiSite struct {
	*site
	tokens map[string]string
}

func newAPISite(t *testing.T, d *store.DB) *apiSite {
	t.Helper()
	d.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }
	s := &apiSite{site: newSite(t, d), tokens: map[string]string{}}
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	for name, u := range map[string]foi.NewUser{
		"dfe-dm":      {Email: "dm@dfe.test", Name: "Dee Decider", Role: foi.RoleDecisionMaker, PartyCode: "DFE"},
		"dfe-auditor": {Email: "aud@dfe.test", Name: "Aud Itor", Role: foi.RoleAuditor, PartyCode: "DFE"},
		"ho-officer":  {Email: "o@ho.test", Name: "Hal Officer", Role: foi.RoleOfficer, PartyCode: "HO"},
	} {
		u.Password = testPassword
		if _, _, err := d.CreateUser(cli, u); err != nil {
			t.Fatal(err)
		}
		s.tokens[name] = s.mustToken(u.Email)
	}
	s.tokens["dfe-officer"] = s.mustToken("officer@test.example")
	s.tokens["ho-liaison"] = s.mustToken("liaison@test.example")
	return s
}

func (s *apiSite) mustToken(email string) string {
	s.t.Helper()
	tok, err := s.db.CreateToken(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}), email, "test")
	if err != nil {
		s.t.Fatal(err)
	}
	return tok
}

// call sends a JSON request as who and decodes a JSON answer into out (when not nil).
func (s *apiSite) call(who, method, path string, body any, out any, headers ...string) *http.Response {
	s.t.Helper()
	h := map[string]string{"Authorization": "Bearer " + s.tokens[who]}
	for i := 0; i+1 < len(headers); i += 2 {
		h[headers[i]] = headers[i+1]
	}
	var reader *strings.Reader
	switch b := body.(type) {
	case nil:
		reader = strings.NewReader("")
	case string:
		reader = strings.NewReader(b)
		h["Content-Type"] = "application/json"
	default:
		raw, _ := json.Marshal(b)
		reader = strings.NewReader(string(raw))
		h["Content-Type"] = "application/json"
	}
	res, text := s.do(method, path, reader, h)
	if out != nil {
		if err := json.Unmarshal([]byte(text), out); err != nil {
			s.t.Fatalf("%s %s: %d, not JSON: %s", method, path, res.StatusCode, text)
		}
	}
	return res
}

type apiCase struct {
	ID                 int64             `json:"id"`
	Reference          string            `json:"reference"`
	Status             string            `json:"status"`
	DueOn              *string           `json:"due_on"`
	Version            int64             `json:"version"`
	Subject            string            `json:"subject"`
	Requester          *json.RawMessage  `json:"requester"`
	AllowedTransitions []string          `json:"allowed_transitions"`
	Warnings           []string          `json:"warnings"`
	Assets             []json.RawMessage `json:"assets"`
}

type apiProblem struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Detail  string `json:"detail"`
	Allowed []string
	Errors  []struct{ Field, Message string } `json:"errors"`
}

func newCaseBody() map[string]any {
	return map[string]any{"regime": "foia", "received_at": "2026-02-20T16:30:00Z", "channel": "email",
		"subject":      "Pupil data shared with the Home Office",
		"request_text": "How many requests did the Home Office make to the DfE for pupil data in 2025?",
		"requester":    map[string]any{"name": "Ada Requester", "email": "ada@example.org", "type": "media"}}
}

// newCaseBodyTouching is newCaseBody for a request that touches an information asset.
func newCaseBodyTouching(asset string) map[string]any {
	b := newCaseBody()
	b["asset_codes"] = []string{asset}
	return b
}

func (s *apiSite) mustCreateCase(who string) apiCase {
	s.t.Helper()
	var c apiCase
	res := s.call(who, http.MethodPost, "/api/v1/cases", newCaseBody(), &c)
	if res.StatusCode != http.StatusCreated {
		s.t.Fatalf("create case: %d", res.StatusCode)
	}
	return c
}

func TestCaseAPI_CreateAnswers201WithReferenceDeadlineAndLocation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var c apiCase
		res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBody(), &c)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("status %d", res.StatusCode)
		}
		if c.Reference != "DFE-FOI-2026-000001" || c.Status != "received" || c.DueOn == nil || *c.DueOn != "2026-03-23" {
			t.Fatalf("created %+v", c)
		}
		if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/cases/%d", c.ID) {
			t.Errorf("Location = %q", loc)
		}
		if res.Header.Get("ETag") != `"1"` {
			t.Errorf("ETag = %q", res.Header.Get("ETag"))
		}
		var got apiCase
		if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &got); res.StatusCode != http.StatusOK || got.Requester == nil {
			t.Fatalf("get: %d %+v", res.StatusCode, got)
		}
	})
}

func TestCaseAPI_BadInputGetsProblemsNamingEachField(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		for _, tc := range []struct {
			name   string
			body   any
			status int
			fields []string
		}{
			{"not json", "{not json", http.StatusBadRequest, nil},
			{"unknown field", `{"regime":"foia","colour":"red"}`, http.StatusUnprocessableEntity, []string{"colour"}},
			{"wrong type", `{"subject": 42}`, http.StatusUnprocessableEntity, []string{"subject"}},
			{"bad values", map[string]any{"regime": "foi", "received_at": "2027-01-01", "channel": "fax",
				"requester": map[string]any{"email": "nope", "type": "alien"}, "asset_codes": []string{"nope"}},
				http.StatusUnprocessableEntity, []string{"regime", "received_at", "channel", "subject", "request_text", "requester.email", "requester.type"}},
		} {
			var p apiProblem
			res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", tc.body, &p)
			if res.StatusCode != tc.status || p.Status != tc.status {
				t.Errorf("%s: status %d (%+v), want %d", tc.name, res.StatusCode, p, tc.status)
				continue
			}
			got := map[string]bool{}
			for _, e := range p.Errors {
				got[e.Field] = true
			}
			for _, f := range tc.fields {
				if !got[f] {
					t.Errorf("%s: no error for %s in %+v", tc.name, f, p.Errors)
				}
			}
		}
		var page struct{ Items []apiCase }
		s.call("dfe-officer", http.MethodGet, "/api/v1/cases", nil, &page)
		if len(page.Items) != 0 {
			t.Fatalf("bad input stored %d cases", len(page.Items))
		}
	})
}

func TestCaseAPI_OtherPartiesAndLiaisonsGet404AndTheAuditorReads(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		for _, who := range []string{"ho-officer", "ho-liaison"} {
			for _, req := range []struct{ method, path string }{{http.MethodGet, path}, {http.MethodGet, path + "/deadline"}} {
				if res := s.call(who, req.method, req.path, nil, nil); res.StatusCode != http.StatusNotFound {
					t.Errorf("%s %s %s: %d, want 404", who, req.method, req.path, res.StatusCode)
				}
			}
			if res := s.call(who, http.MethodPost, path+"/transitions", map[string]any{"to": "withdrawn"}, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s withdrawing: %d, want 404", who, res.StatusCode)
			}
		}
		if res := s.call("dfe-auditor", http.MethodGet, path, nil, nil); res.StatusCode != http.StatusOK {
			t.Errorf("auditor reading: %d", res.StatusCode)
		}
		if res := s.call("dfe-auditor", http.MethodPost, path+"/transitions", map[string]any{"to": "withdrawn"}, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("auditor changing: %d, want 403", res.StatusCode)
		}
		if res := s.call("ho-liaison", http.MethodPost, "/api/v1/cases", newCaseBody(), nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("liaison logging a request: %d, want 403", res.StatusCode)
		}
		var page struct{ Items []apiCase }
		s.call("ho-officer", http.MethodGet, "/api/v1/cases", nil, &page)
		if len(page.Items) != 0 {
			t.Errorf("HO's queue lists DFE's case")
		}
	})
}

func TestCaseAPI_StaleIfMatchGets412AndChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		var updated apiCase
		res := s.call("dfe-officer", http.MethodPatch, path, map[string]any{"subject": "New subject"}, &updated, "If-Match", `"1"`)
		if res.StatusCode != http.StatusOK || updated.Subject != "New subject" || res.Header.Get("ETag") != `"2"` {
			t.Fatalf("patch: %d %+v %s", res.StatusCode, updated, res.Header.Get("ETag"))
		}
		var p apiProblem
		res = s.call("dfe-officer", http.MethodPatch, path, map[string]any{"subject": "Lost update"}, &p, "If-Match", `"1"`)
		if res.StatusCode != http.StatusPreconditionFailed || p.Code != "precondition" {
			t.Fatalf("stale patch: %d %+v", res.StatusCode, p)
		}
		var got apiCase
		s.call("dfe-officer", http.MethodGet, path, nil, &got)
		if got.Subject != "New subject" || got.Version != 2 {
			t.Fatalf("after a stale write: %+v", got)
		}
		if res := s.call("dfe-officer", http.MethodPatch, path, map[string]any{"subject": "x"}, nil, "If-Match", "garbage"); res.StatusCode != http.StatusBadRequest {
			t.Errorf("malformed If-Match: %d", res.StatusCode)
		}
	})
}

func TestCaseAPI_IllegalTransitionGets409WithTheAllowedMoves(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		path := fmt.Sprintf("/api/v1/cases/%d/transitions", c.ID)
		var p struct {
			apiProblem
			Allowed []string `json:"allowed"`
		}
		res := s.call("dfe-officer", http.MethodPost, path, map[string]any{"to": "closed"}, &p)
		if res.StatusCode != http.StatusConflict || len(p.Allowed) == 0 {
			t.Fatalf("received -> closed: %d %+v", res.StatusCode, p)
		}
		var moved apiCase
		if res := s.call("dfe-officer", http.MethodPost, path, map[string]any{"to": "in_progress"}, &moved); res.StatusCode != http.StatusOK || moved.Status != "in_progress" {
			t.Fatalf("received -> in_progress: %d %+v", res.StatusCode, moved)
		}
	})
}

func TestCaseAPI_ClockEventsMoveTheDeadlineAndItExplainsItself(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		var paused apiCase
		res := s.call("dfe-officer", http.MethodPost, path+"/events", map[string]any{"kind": "fee_notice", "on": "2026-02-24"}, &paused)
		if res.StatusCode != http.StatusOK || paused.Status != "on_hold_fee" || paused.DueOn != nil {
			t.Fatalf("fee notice: %d %+v", res.StatusCode, paused)
		}
		var resumed apiCase
		s.call("dfe-officer", http.MethodPost, path+"/events", map[string]any{"kind": "fee_paid", "on": "2026-02-27"}, &resumed)
		if resumed.DueOn == nil || *resumed.DueOn != "2026-03-27" {
			t.Fatalf("fee paid: due %v", resumed.DueOn)
		}
		var dl struct {
			DueOn *string `json:"due_on"`
			Trace []struct{ Date, Kind, Text string }
		}
		s.call("dfe-officer", http.MethodGet, path+"/deadline", nil, &dl)
		joined := ""
		for _, st := range dl.Trace {
			joined += st.Text + "\n"
		}
		if dl.DueOn == nil || *dl.DueOn != "2026-03-27" || !strings.Contains(joined, "St Patrick") {
			t.Fatalf("deadline %v, trace:\n%s", dl.DueOn, joined)
		}
		var p apiProblem
		res = s.call("dfe-officer", http.MethodPost, path+"/events", map[string]any{"kind": "pit_extension", "on": "2026-03-02"}, &p)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("PIT without a qualified exemption: %d %+v", res.StatusCode, p)
		}
	})
}

func TestCaseAPI_QueueFiltersAndPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		for i := 0; i < 5; i++ {
			s.mustCreateCase("dfe-officer")
		}
		var ids []int64
		next := "/api/v1/cases?limit=2"
		for next != "" {
			var page struct {
				Items      []apiCase `json:"items"`
				NextCursor *string   `json:"next_cursor"`
			}
			if res := s.call("dfe-officer", http.MethodGet, next, nil, &page); res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", next, res.StatusCode)
			}
			for _, c := range page.Items {
				ids = append(ids, c.ID)
			}
			next = ""
			if page.NextCursor != nil {
				next = "/api/v1/cases?limit=2&cursor=" + *page.NextCursor
			}
		}
		if len(ids) != 5 {
			t.Fatalf("paged through %d cases, want 5", len(ids))
		}
		for _, q := range []string{"limit=0", "limit=500", "status=asleep", "due_before=tomorrow", "overdue=maybe", "cursor=%21"} {
			var p apiProblem
			if res := s.call("dfe-officer", http.MethodGet, "/api/v1/cases?"+q, nil, &p); res.StatusCode != http.StatusUnprocessableEntity || len(p.Errors) == 0 {
				t.Errorf("?%s: %d %+v", q, res.StatusCode, p)
			}
		}
		var mine struct{ Items []apiCase }
		s.call("dfe-officer", http.MethodGet, "/api/v1/cases?assignee=me&open=true", nil, &mine)
		if len(mine.Items) != 5 {
			t.Errorf("assignee=me: %d", len(mine.Items))
		}
	})
}

func TestCaseAPI_IdempotencyKeyReturnsTheSameCase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var a, b apiCase
		s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBody(), &a, "Idempotency-Key", "intake-42")
		res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBody(), &b, "Idempotency-Key", "intake-42")
		if res.StatusCode != http.StatusCreated || b.ID != a.ID || res.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %d %d vs %d", res.StatusCode, b.ID, a.ID)
		}
		other := newCaseBody()
		other["subject"] = "Something else"
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", other, nil, "Idempotency-Key", "intake-42"); res.StatusCode != http.StatusConflict {
			t.Fatalf("same key, different body: %d", res.StatusCode)
		}
	})
}

func TestCaseAPI_TheCaseShowsItsConsultationsAndWhatBlocksDisclosure(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var c struct {
			ID            int64 `json:"id"`
			Consultations []struct {
				ConsultedParty string `json:"consulted_party"`
				Status         string `json:"status"`
			} `json:"consultations"`
			DisclosureBlockers []struct {
				ConsultedParty string `json:"consulted_party"`
				WaitsFor       string `json:"waits_for"`
			} `json:"disclosure_blockers"`
		}
		s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c)
		if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &c); res.StatusCode != http.StatusOK {
			t.Fatalf("get: %d", res.StatusCode)
		}
		if len(c.Consultations) != 1 || c.Consultations[0].ConsultedParty != "HO" || c.Consultations[0].Status != "sent" {
			t.Fatalf("consultations = %+v", c.Consultations)
		}
		if len(c.DisclosureBlockers) != 1 || !strings.Contains(c.DisclosureBlockers[0].WaitsFor, "HO") {
			t.Fatalf("blockers = %+v", c.DisclosureBlockers)
		}
	})
}
