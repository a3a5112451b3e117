package web_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiDisclosure struct {
	ID              int64  `json:"id"`
	Status          string `json:"status"`
	Reference       string `json:"reference"`
	UnresolvedFlags int    `json:"unresolved_flags"`
	Flags           []struct {
		Seq   int    `json:"seq"`
		Kind  string `json:"kind"`
		Match string `json:"match"`
	} `json:"flags"`
	Version int64 `json:"version"`
}

func TestDisclosureLogAPI_ProposeResolvePublishAndThePublicLog(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		if res := s.call("dfe-dm", http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/response", c.ID), partialBody(), nil); res.StatusCode >= 300 {
			t.Fatalf("respond: %d", res.StatusCode)
		}
		propose := fmt.Sprintf("/api/v1/cases/%d/disclosure-log", c.ID)
		body := map[string]any{"title": "Pupil data requests", "summary": "Asked by Ada Requester; call 07700 900123.",
			"released_text": "Requests in 2025: 1,204.\n\nMatches returned: 310."}
		var p apiProblem
		if res := s.call("dfe-officer", http.MethodPost, propose, body, &p); res.StatusCode != http.StatusForbidden {
			t.Errorf("officer proposes: %d", res.StatusCode)
		}
		var e apiDisclosure
		res := s.call("dfe-dm", http.MethodPost, propose, body, &e)
		if res.StatusCode != http.StatusCreated || e.Status != "proposed" || e.UnresolvedFlags != 2 ||
			res.Header.Get("Location") != fmt.Sprintf("/api/v1/disclosure-log/entries/%d", e.ID) {
			t.Fatalf("propose: %d %+v", res.StatusCode, e)
		}
		entry := fmt.Sprintf("/api/v1/disclosure-log/entries/%d", e.ID)
		if res := s.call("dfe-dm", http.MethodPost, entry+"/publish", nil, &p); res.StatusCode != http.StatusConflict {
			t.Errorf("publish with flags: %d", res.StatusCode)
		}
		// Edit the name and number out (a stale version is refused), which leaves the surname-free text clean.
		body["summary"] = "Asked how often pupil data was requested."
		if res := s.call("dfe-dm", http.MethodPatch, entry, body, &p, "If-Match", `"99"`); res.StatusCode != http.StatusPreconditionFailed {
			t.Errorf("stale edit: %d", res.StatusCode)
		}
		body["title"] = "Pupil data requests (Requester's query)"
		if res := s.call("dfe-dm", http.MethodPatch, entry, body, &e, "If-Match", fmt.Sprintf(`"%d"`, e.Version)); res.StatusCode != http.StatusOK || len(e.Flags) != 1 {
			t.Fatalf("edit: %d %+v", res.StatusCode, e)
		}
		if res := s.call("dfe-dm", http.MethodPost, fmt.Sprintf("%s/flags/%d/resolution", entry, e.Flags[0].Seq),
			map[string]any{"resolution": "maybe", "reasons": ""}, &p); res.StatusCode != http.StatusUnprocessableEntity || len(p.Errors) != 2 {
			t.Errorf("bad resolution: %d %+v", res.StatusCode, p)
		}
		if res := s.call("dfe-dm", http.MethodPost, fmt.Sprintf("%s/flags/%d/resolution", entry, e.Flags[0].Seq),
			map[string]any{"resolution": "not_personal", "reasons": "The word names the role, not a person."}, &e); res.StatusCode != http.StatusOK || e.UnresolvedFlags != 0 {
			t.Fatalf("resolve: %d %+v", res.StatusCode, e)
		}
		if res := s.call("dfe-dm", http.MethodPost, entry+"/publish", nil, &e); res.StatusCode != http.StatusOK || e.Status != "published" {
			t.Fatalf("publish: %d %+v", res.StatusCode, e)
		}

		// The public log, without signing in: HTML, JSON and Atom, never the requester.
		public := newClient()
		for _, path := range []string{"/disclosure-log", fmt.Sprintf("/disclosure-log/%d", e.ID), "/disclosure-log.json", "/disclosure-log.atom"} {
			res, err := public.Get(s.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			text := string(raw)
			if res.StatusCode != http.StatusOK || !strings.Contains(text, c.Reference) || strings.Contains(text, "Ada Requester") ||
				strings.Contains(text, "ada@example.org") {
				t.Errorf("%s: %d\n%s", path, res.StatusCode, text)
			}
			switch {
			case strings.HasSuffix(path, ".json"):
				var doc struct {
					Entries []struct {
						Reference string `json:"reference"`
						Withdrawn bool   `json:"withdrawn"`
					} `json:"entries"`
				}
				if err := json.Unmarshal([]byte(text), &doc); err != nil || len(doc.Entries) != 1 {
					t.Errorf("json: %v %s", err, text)
				}
			case strings.HasSuffix(path, ".atom"):
				var feed struct {
					Entries []struct {
						Title string `xml:"title"`
					} `xml:"entry"`
				}
				if err := xml.Unmarshal([]byte(text), &feed); err != nil || len(feed.Entries) != 1 ||
					!strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
					t.Errorf("atom: %v %s", err, text)
				}
			case path != "/disclosure-log":
				if !strings.Contains(text, "Matches returned: 310.") {
					t.Errorf("entry page lacks the released text:\n%s", text)
				}
			}
		}

		// Withdrawal leaves a tombstone.
		if res := s.call("dfe-dm", http.MethodPost, entry+"/withdraw", map[string]any{"reasons": "Published in error."}, &e); res.StatusCode != http.StatusOK || e.Status != "withdrawn" {
			t.Fatalf("withdraw: %d %+v", res.StatusCode, e)
		}
		_, page := s.get(fmt.Sprintf("/disclosure-log/%d", e.ID))
		if !strings.Contains(page, "This entry was withdrawn") || strings.Contains(page, "Matches returned") {
			t.Errorf("tombstone page:\n%s", page)
		}
		var list struct {
			Items []apiDisclosure `json:"items"`
		}
		if res := s.call("dfe-dm", http.MethodGet, "/api/v1/disclosure-log/entries", nil, &list); res.StatusCode != http.StatusOK || len(list.Items) != 1 {
			t.Errorf("list: %d %+v", res.StatusCode, list)
		}
		if res := s.call("ho-officer", http.MethodGet, entry, nil, &p); res.StatusCode != http.StatusNotFound {
			t.Errorf("another party's entry: %d", res.StatusCode)
		}
		if res, _ := s.get("/disclosure-log/999999"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown public entry: %d", res.StatusCode)
		}
	})
}
