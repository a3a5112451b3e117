package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
	"foidesk/internal/web"
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

// fuzzFormPaths are the HTML forms FuzzCaseFormPost posts to: the new-case form and a case's status
// (transition), edit, assign and clarification forms; {id} is a real case.
var fuzzFormPaths = []string{"/cases/new", "/cases/{id}/status", "/cases/{id}/edit", "/cases/{id}/assign",
	"/cases/{id}/clarification-sought"}

// formTables are the tables a case form may write (the audit log is checked apart).
var formTables = []string{"cases", "case_events", "requesters", "case_assets", "consultations", "outbox",
	"idempotency_keys", "documents", "responses"}

// FuzzCaseFormPost posts any url-encoded body (after a valid CSRF token) to case forms as a signed-in officer
// on a real SQLite store: the answer is 303 (done, post/redirect/get) or a 4xx page, and after a 4xx nothing was
// written (at most the officer's read of the case audited); never a 5xx or a panic.
func FuzzCaseFormPost(f *testing.F) {
	f.Add(uint8(0), newCaseForm().Encode())
	f.Add(uint8(0), merge(newCaseForm(), date("received_at", "31", "2", "2026"), url.Values{"received_time": {"25:99"}}).Encode())
	f.Add(uint8(0), merge(newCaseForm(), url.Values{"asset_codes": {"no-such-asset"}}).Encode())
	f.Add(uint8(1), "to=in_progress&note=Started")
	f.Add(uint8(1), "to=withdrawn")
	f.Add(uint8(1), "to=nowhere&to=received")
	f.Add(uint8(2), "subject=A+new+subject&request_text=The+request")
	f.Add(uint8(2), "version=-1&subject=%00&request_text=%zz")
	f.Add(uint8(3), "assignee=999999")
	f.Add(uint8(4), merge(date("on", "23", "2", "2026"), url.Values{"note": {"Which years?"}}).Encode())
	f.Add(uint8(4), "on-day=99&on-month=&on-year=99999999999999999999")
	f.Add(uint8(1), "&&=&%&csrf_token=&")
	d, dsn := storetest.OpenSQLiteDSN(f)
	b := newFormBrowser(f, d)
	raw := openRaw(f, "sqlite", dsn)
	caseID := b.mustCreateCase(f)
	f.Fuzz(func(t *testing.T, form uint8, body string) {
		path := strings.ReplaceAll(fuzzFormPaths[int(form)%len(fuzzFormPaths)], "{id}", caseID)
		before, seq := digestTables(t, raw, formTables), auditSeq(t, raw)
		rec := b.post(path, "csrf_token="+url.QueryEscape(b.csrf)+"&"+body)
		switch {
		case rec.Code == http.StatusSeeOther && path != "/cases/new":
			caseID = b.mustCreateCase(t) // the next input starts from a case just received, not a withdrawn one
		case rec.Code == http.StatusSeeOther:
		case rec.Code >= 400 && rec.Code < 500:
			if after := digestTables(t, raw, formTables); !maps.Equal(before, after) {
				t.Fatalf("POST %s %q: %d but the case tables changed", path, body, rec.Code)
			}
			if audited := newAudit(t, raw, seq, b.userID); len(audited) > 0 {
				t.Fatalf("POST %s %q: %d but audited %v", path, body, rec.Code, audited)
			}
		default:
			t.Fatalf("POST %s %q: status %d", path, body, rec.Code)
		}
	})
}

// digestTables returns the digests of these tables' rows.
func digestTables(t testing.TB, raw *sql.DB, tables []string) map[string]string {
	out := map[string]string{}
	for _, table := range tables {
		out[table] = tableDigest(t, raw, table)
	}
	return out
}

// formBrowser is a signed-in officer's browser over a server's handler, without a network: its cookies and
// the session's CSRF token.
type formBrowser struct {
	h       http.Handler
	cookies map[string]string
	csrf    string
	userID  int64
}

var csrfValueRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// newFormBrowser seeds the store, makes an officer and signs them in through the sign-in form.
func newFormBrowser(tb testing.TB, d *store.DB) *formBrowser {
	tb.Helper()
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	if _, err := d.SeedDemo(cli); err != nil {
		tb.Fatal(err)
	}
	u, _, err := d.CreateUser(cli, foi.NewUser{Email: "fuzz@dfe.test", Name: "Fuzz Officer", Role: foi.RoleOfficer,
		PartyCode: "DFE", Password: testPassword})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := web.New(web.Config{Auth: d, Registers: d, Cases: d, Ping: d.Ping, Now: d.Time, Log: quietLog,
		RequestContext: store.WithRequestState})
	if err != nil {
		tb.Fatal(err)
	}
	b := &formBrowser{h: s.Handler(), cookies: map[string]string{}, userID: u.ID}
	b.csrf = b.token(tb)
	if rec := b.post("/", url.Values{"csrf_token": {b.csrf}, "email": {"fuzz@dfe.test"}, "password": {testPassword}}.Encode()); rec.Code != http.StatusSeeOther {
		tb.Fatalf("sign in: %d", rec.Code)
	}
	b.csrf = b.token(tb)
	return b
}

// do sends a request with the browser's cookies and keeps the cookies the answer sets.
func (b *formBrowser) do(req *http.Request) *httptest.ResponseRecorder {
	for name, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		b.cookies[c.Name] = c.Value
	}
	return rec
}

// post posts a url-encoded body.
func (b *formBrowser) post(path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// token returns the CSRF token of the home page's form.
func (b *formBrowser) token(tb testing.TB) string {
	tb.Helper()
	rec := b.do(httptest.NewRequest(http.MethodGet, "/", nil))
	m := csrfValueRE.FindStringSubmatch(rec.Body.String())
	if m == nil {
		tb.Fatalf("no CSRF token on the home page: %d", rec.Code)
	}
	return m[1]
}

// mustCreateCase logs a request through the new-case form and returns its id.
func (b *formBrowser) mustCreateCase(tb testing.TB) string {
	tb.Helper()
	rec := b.post("/cases/new", "csrf_token="+url.QueryEscape(b.csrf)+"&"+newCaseForm().Encode())
	id, ok := strings.CutPrefix(rec.Header().Get("Location"), "/cases/")
	if rec.Code != http.StatusSeeOther || !ok {
		tb.Fatalf("create a case: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	return id
}
