package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
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

// site is a foidesk server on a real database, and a browser-like client with a cookie jar that does not
// follow redirects.
type site struct {
	t      *testing.T
	db     *store.DB
	srv    *httptest.Server
	client *http.Client
}

const testPassword = "correct horse battery"

// quietLog discards the request log, which would drown test output.
var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func newSite(t *testing.T, d *store.DB) *site {
	t.Helper()
	s, err := web.New(web.Config{Auth: d, Registers: d, Cases: d, Ping: d.Ping, Now: d.Time, Log: quietLog,
		RequestContext: store.WithRequestState})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	if _, err := d.SeedDemo(cli); err != nil {
		t.Fatal(err)
	}
	for _, u := range []foi.NewUser{
		{Email: "officer@test.example", Name: "Olive Officer", Role: foi.RoleOfficer, PartyCode: "DFE", Password: testPassword},
		{Email: "liaison@test.example", Name: "Lee Liaison", Role: foi.RoleLiaison, PartyCode: "HO", Password: testPassword},
	} {
		if _, _, err := d.CreateUser(cli, u); err != nil {
			t.Fatal(err)
		}
	}
	return &site{t: t, db: d, srv: srv, client: newClient()}
}

func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// get fetches path and returns the response with its body read.
func (s *site) get(path string) (*http.Response, string) {
	s.t.Helper()
	return s.do(http.MethodGet, path, nil, nil)
}

func (s *site) post(path string, form url.Values) (*http.Response, string) {
	s.t.Helper()
	return s.do(http.MethodPost, path, strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// do sends a request; every /api/v1 exchange is checked against the OpenAPI document.
func (s *site) do(method, path string, body io.Reader, headers map[string]string) (*http.Response, string) {
	s.t.Helper()
	var reqBody []byte
	if body != nil {
		reqBody, _ = io.ReadAll(body)
	}
	req, err := http.NewRequest(method, s.srv.URL+path, bytes.NewReader(reqBody))
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if strings.HasPrefix(path, "/api/v1/") && path != "/api/v1/openapi.json" {
		checkAgainstOpenAPI(s.t, req, reqBody, res, b)
	}
	return res, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf returns the CSRF token of the form on the page at path.
func (s *site) csrf(path string) string {
	s.t.Helper()
	_, body := s.get(path)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("no csrf_token on %s", path)
	}
	return m[1]
}

// signIn signs in through the form and returns the dashboard's HTML.
func (s *site) signIn(email string) string {
	s.t.Helper()
	res, _ := s.post("/", url.Values{"csrf_token": {s.csrf("/")}, "email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		s.t.Fatalf("sign in as %s: %d to %q", email, res.StatusCode, res.Header.Get("Location"))
	}
	res, body := s.get("/")
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("dashboard: %d", res.StatusCode)
	}
	return body
}

func TestSignIn_ShowsTheDashboardAndSignsOut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		res, body := s.get("/")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Sign in to foidesk") {
			t.Fatalf("signed-out home: %d", res.StatusCode)
		}
		body = s.signIn("officer@test.example")
		for _, want := range []string{"Dashboard", "Olive Officer", "FOI officer", "DFE", "Awaiting representations"} {
			if !strings.Contains(body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		res, _ = s.post("/sign-out", url.Values{"csrf_token": {s.csrf("/")}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out: %d", res.StatusCode)
		}
		if _, body := s.get("/"); !strings.Contains(body, "Sign in to foidesk") {
			t.Fatal("still signed in after signing out")
		}
	})
}

func TestSignIn_BadInputShowsTheErrorSummaryAndKeepsTheEmail(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		res, body := s.post("/", url.Values{"csrf_token": {s.csrf("/")}, "email": {"officer@test.example"}, "password": {"wrong password"}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", res.StatusCode)
		}
		for _, want := range []string{"govuk-error-summary", `href="#email"`, "Enter a correct email address and password", `value="officer@test.example"`} {
			if !strings.Contains(body, want) {
				t.Errorf("error page lacks %q", want)
			}
		}
		res, body = s.post("/", url.Values{"csrf_token": {s.csrf("/")}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#password"`) {
			t.Fatalf("empty form: %d", res.StatusCode)
		}
	})
}

func TestCSRF_FormsWithoutTheTokenAreRefused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		res, _ := s.post("/", url.Values{"email": {"officer@test.example"}, "password": {testPassword}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("sign-in without token: %d", res.StatusCode)
		}
		s.signIn("officer@test.example")
		res, _ = s.post("/sign-out", url.Values{"csrf_token": {"forged"}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("sign-out with a forged token: %d", res.StatusCode)
		}
		if _, body := s.get("/"); !strings.Contains(body, "Dashboard") {
			t.Fatal("a forged sign-out ended the session")
		}
	})
}

func TestSignIn_NeverRedirectsOffSiteAndReplacesAnyEarlierSession(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		for _, next := range []string{"//evil.example/x", "https://evil.example/", `/\evil.example`} {
			res, _ := s.post("/", url.Values{"csrf_token": {s.csrf("/")}, "email": {"officer@test.example"},
				"password": {testPassword}, "next": {next}})
			if loc := res.Header.Get("Location"); loc != "/" {
				t.Fatalf("next=%q redirected to %q", next, loc)
			}
		}
		first := sessionCookie(s)
		s.signIn("liaison@test.example")
		if second := sessionCookie(s); second == "" || second == first {
			t.Fatal("signing in again kept the earlier session id")
		}
		if _, err := d.SessionBySecret(context.Background(), first); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Fatalf("the earlier session still works: %v", err)
		}
	})
}

func sessionCookie(s *site) string {
	u, _ := url.Parse(s.srv.URL)
	for _, c := range s.client.Jar.Cookies(u) {
		if c.Name == "foidesk_session" {
			return c.Value
		}
	}
	return ""
}

func TestAPI_MeNeedsABearerTokenAndAnswersProblemJSON(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
		token, err := d.CreateToken(cli, "liaison@test.example", "test")
		if err != nil {
			t.Fatal(err)
		}
		res, body := s.do(http.MethodGet, "/api/v1/me", nil, map[string]string{"Authorization": "Bearer " + token})
		var me struct{ Email, Role, Party string }
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &me) != nil {
			t.Fatalf("me: %d %s", res.StatusCode, body)
		}
		if me.Email != "liaison@test.example" || me.Role != "liaison" || me.Party != "HO" {
			t.Fatalf("me = %+v", me)
		}
		for _, tc := range []struct {
			path, auth string
			status     int
			code       string
		}{
			{"/api/v1/me", "", http.StatusUnauthorized, "unauthorized"},
			{"/api/v1/me", "Bearer foi_not-a-token", http.StatusUnauthorized, "unauthorized"},
			{"/api/v1/nothing-here", "Bearer " + token, http.StatusNotFound, "not_found"},
		} {
			res, body := s.do(http.MethodGet, tc.path, nil, map[string]string{"Authorization": tc.auth})
			var p struct {
				Type, Title, Code, Detail string
				Status                    int
			}
			if err := json.Unmarshal([]byte(body), &p); err != nil {
				t.Fatalf("%s: not JSON: %s", tc.path, body)
			}
			if res.StatusCode != tc.status || p.Status != tc.status || p.Code != tc.code || p.Detail == "" {
				t.Errorf("%s with %q: %d %+v", tc.path, tc.auth, res.StatusCode, p)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: content type %q", tc.path, ct)
			}
		}
	})
}

func TestPages_UnknownURLGetsTheGOVUK404AndHeadersAreSet(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		res, body := s.get("/no/such/page")
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
			t.Fatalf("unknown page: %d", res.StatusCode)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if res.Header.Get(h) == "" {
				t.Errorf("missing header %s", h)
			}
		}
		if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP allows inline code: %s", csp)
		}
	})
}

func TestHealth_ReadyzFollowsTheDatabase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		if res, _ := s.get("/healthz"); res.StatusCode != http.StatusOK {
			t.Fatalf("healthz: %d", res.StatusCode)
		}
		if res, _ := s.get("/readyz"); res.StatusCode != http.StatusOK {
			t.Fatalf("readyz: %d", res.StatusCode)
		}
		d.Close()
		if res, _ := s.get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("readyz with the database closed: %d", res.StatusCode)
		}
		if res, _ := s.get("/healthz"); res.StatusCode != http.StatusOK {
			t.Fatalf("healthz with the database closed: %d", res.StatusCode)
		}
	})
}
