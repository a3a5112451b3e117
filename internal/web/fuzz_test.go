package web_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"foidesk/internal/store/storetest"
)

// FuzzCaseIntakeBody posts any body to POST /api/v1/cases on a real SQLite store: the answer is 201 (and then
// exactly one more case exists) or a 400/422 problem (and nothing was stored); never a 500.
func FuzzCaseIntakeBody(f *testing.F) {
	for _, b := range []map[string]any{newCaseBody(), newCaseBodyTouching("cid-person-records")} {
		seed, _ := json.Marshal(b)
		f.Add(seed)
	}
	f.Add([]byte(`{"regime":"eir","received_at":"2026-02-30","channel":"oral","requester":{"email":"x"}}`))
	f.Add([]byte(`{"regime":1}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"asset_codes":["nope"],"unknown":true}`))
	d, dsn := storetest.OpenSQLiteDSN(f)
	h, token := intakeServer(f, d)
	raw := openRaw(f, "sqlite", dsn)
	f.Fuzz(func(t *testing.T, body []byte) {
		before := countCases(t, raw)
		req := httptest.NewRequest(http.MethodPost, "/api/v1/cases", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		after := countCases(t, raw)
		switch rec.Code {
		case http.StatusCreated:
			if after != before+1 {
				t.Fatalf("201 but %d cases became %d", before, after)
			}
		case http.StatusBadRequest, http.StatusUnprocessableEntity:
			if after != before {
				t.Fatalf("%d but %d cases became %d", rec.Code, before, after)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("%d answered with %q", rec.Code, ct)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}

// countCases returns how many cases the database holds.
func countCases(t *testing.T, raw *sql.DB) int {
	t.Helper()
	var n int
	if err := raw.QueryRow("SELECT count(*) FROM cases").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
