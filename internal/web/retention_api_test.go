package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiRetentionDue struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Items []struct {
		CaseID    int64    `json:"case_id"`
		Reference string   `json:"reference"`
		Scope     string   `json:"scope"`
		DueOn     string   `json:"due_on"`
		Held      bool     `json:"held"`
		Holds     []string `json:"holds"`
	} `json:"items"`
}

func TestRetentionAPI_SchedulesHoldsDueReportAndTombstones(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
		if _, _, err := d.CreateUser(cli, foi.NewUser{Email: "admin@test.example", Name: "Ann Admin", Role: foi.RoleAdmin,
			Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		s.tokens["admin"] = s.mustToken("admin@test.example")

		// Two cases withdrawn on 2 March 2026; one is held.
		var ids []int64
		for range 2 {
			c := s.mustCreateCase("dfe-officer")
			var out apiCase
			if res := s.call("dfe-officer", http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/transitions", c.ID),
				map[string]any{"to": "withdrawn", "note": "Withdrawn by the requester."}, &out); res.StatusCode != http.StatusOK {
				t.Fatalf("withdraw: %d", res.StatusCode)
			}
			ids = append(ids, c.ID)
		}

		// Schedules: everyone with the role reads them, only admins change them.
		var list struct {
			Items []struct {
				RecordType string `json:"record_type"`
				Months     int    `json:"months"`
				Enabled    bool   `json:"enabled"`
			} `json:"items"`
		}
		if res := s.call("dfe-auditor", http.MethodGet, "/api/v1/retention/schedules", nil, &list); res.StatusCode != http.StatusOK ||
			len(list.Items) != 3 || list.Items[0].Months != 36 || list.Items[2].Enabled {
			t.Fatalf("schedules: %d %+v", res.StatusCode, list)
		}
		var p apiProblem
		if res := s.call("ho-liaison", http.MethodGet, "/api/v1/retention/schedules", nil, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("liaison reads schedules: %d", res.StatusCode)
		}
		if res := s.call("dfe-dm", http.MethodPut, "/api/v1/retention/schedules/case_file", map[string]any{"months": 24, "enabled": true}, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("dm sets: %d", res.StatusCode)
		}
		if res := s.call("admin", http.MethodPut, "/api/v1/retention/schedules/case_file", map[string]any{"months": 0, "enabled": true}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 1 || p.Errors[0].Field != "months" {
			t.Fatalf("bad months: %d %+v", res.StatusCode, p)
		}
		if res := s.call("admin", http.MethodPut, "/api/v1/retention/schedules/case_file", map[string]any{"months": 24, "enabled": true}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("admin sets: %d", res.StatusCode)
		}

		// A hold on the second case, by the case's party only.
		if res := s.call("ho-officer", http.MethodPost, "/api/v1/retention/holds", map[string]any{"case_id": ids[1], "reasons": "x"}, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("HO holds DFE's case: %d", res.StatusCode)
		}
		var hold struct {
			ID int64 `json:"id"`
		}
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/retention/holds", map[string]any{"case_id": ids[1], "reasons": "Court case."}, &hold); res.StatusCode != http.StatusCreated {
			t.Fatalf("hold: %d", res.StatusCode)
		}

		// What falls due in March 2028: both case files, the second held.
		var due apiRetentionDue
		if res := s.call("dfe-dm", http.MethodGet, "/api/v1/retention/due?month=2028-03", nil, &due); res.StatusCode != http.StatusOK ||
			due.From != "2028-03-01" || due.To != "2028-03-31" || len(due.Items) != 2 || due.Items[0].DueOn != "2028-03-02" ||
			due.Items[0].Held || !due.Items[1].Held || len(due.Items[1].Holds) != 1 {
			t.Fatalf("due: %d %+v", res.StatusCode, due)
		}
		if res := s.call("dfe-dm", http.MethodGet, "/api/v1/retention/due?month=March", nil, &p); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad month: %d", res.StatusCode)
		}

		// The daily run in March 2028 destroys the first; the tombstone says so.
		d.Now = func() time.Time { return time.Date(2028, 3, 3, 6, 0, 0, 0, time.UTC) }
		if _, err := d.RunRetention(cli, false); err != nil {
			t.Fatal(err)
		}
		var stones struct {
			Items []struct {
				CaseID    int64            `json:"case_id"`
				Scope     string           `json:"scope"`
				Schedule  string           `json:"schedule"`
				Months    int              `json:"months"`
				Destroyed map[string]int64 `json:"destroyed"`
			} `json:"items"`
		}
		if res := s.call("dfe-auditor", http.MethodGet, "/api/v1/retention/tombstones", nil, &stones); res.StatusCode != http.StatusOK ||
			len(stones.Items) != 1 || stones.Items[0].CaseID != ids[0] || stones.Items[0].Months != 24 ||
			stones.Items[0].Schedule != "case_file" || stones.Items[0].Destroyed["requester"] != 1 {
			t.Fatalf("tombstones: %d %+v", res.StatusCode, stones)
		}
		var kase apiCase
		if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", ids[0]), nil, &kase); res.StatusCode != http.StatusOK ||
			kase.Subject != "Destroyed under the retention schedule" || kase.Status != "withdrawn" {
			t.Fatalf("destroyed case: %d %+v", res.StatusCode, kase)
		}

		// Releasing the hold (with reasons) lets the next run take the second.
		path := fmt.Sprintf("/api/v1/retention/holds/%d/release", hold.ID)
		if res := s.call("dfe-officer", http.MethodPost, path, map[string]any{"reasons": ""}, &p); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("release without reasons: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, path, map[string]any{"reasons": "Court case over."}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("release: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, path, map[string]any{"reasons": "Again."}, &p); res.StatusCode != http.StatusConflict {
			t.Fatalf("release twice: %d", res.StatusCode)
		}
		var holds struct{ Items []any }
		if res := s.call("dfe-auditor", http.MethodGet, "/api/v1/retention/holds", nil, &holds); res.StatusCode != http.StatusOK || len(holds.Items) != 0 {
			t.Fatalf("holds: %d %+v", res.StatusCode, holds)
		}
		run, err := d.RunRetention(cli, false)
		if err != nil || len(run.Destroyed) != 1 || run.Destroyed[0].CaseID != ids[1] {
			t.Fatalf("second run: %+v %v", run, err)
		}
	})
}
