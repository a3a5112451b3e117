package web

import (
	"html/template"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func init() { gin.SetMode(gin.TestMode) }

// render renders page name with p through a gin test context and returns the recorder.
func render(t *testing.T, r *Renderer, status int, name string, p *Page) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
	r.HTML(c, status, name, p)
	return w
}

func newRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := NewRenderer()
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	return r
}

func officer() *PageUser {
	return &PageUser{
		Name: "Ada Officer", Email: "ada@example.gov.uk", Role: "officer", RoleLabel: "FOI officer",
		PartyCode: "DFE", PartyName: "Department for Education",
		NavItems: []NavItem{
			{Key: "home", Label: "Home", Href: "/"},
			{Key: "cases", Label: "Cases", Href: "/cases"},
			{Key: "consultations", Label: "Consultations", Href: "/consultations"},
		},
	}
}

// mustContain fails for each want that body lacks.
func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
}

func mustNotContain(t *testing.T, body string, bads ...string) {
	t.Helper()
	for _, b := range bads {
		if strings.Contains(body, b) {
			t.Errorf("body has %q", b)
		}
	}
}

// landmarks are in every page.
var landmarks = []string{
	"<!DOCTYPE html>",
	`<html lang="en" class="govuk-template govuk-template--rebranded">`,
	`<body class="govuk-template__body">`,
	`<script src="/static/js-enabled.js"></script>`,
	`<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>`,
	`<header class="govuk-header" data-module="govuk-header">`,
	`<span class="govuk-header__logotype-text app-header__name">foidesk</span>`,
	`govuk-phase-banner`,
	`<main class="govuk-main-wrapper" id="main-content">`,
	`<footer class="govuk-footer">`,
	`<link rel="stylesheet" href="/static/dist/govuk-frontend.min.css">`,
	`<link rel="stylesheet" href="/static/dist/moj-frontend.min.css">`,
	`<link rel="stylesheet" href="/static/app.css">`,
	`<script type="module" src="/static/app.js"></script>`,
	"</html>",
}

// signedInOnly appears only when a user is signed in.
var signedInOnly = []string{
	`class="govuk-service-navigation"`,
	`govuk-service-navigation__list`,
	`moj-identity-bar`,
	`action="/sign-out"`,
}

func TestNewRendererParsesEveryPage(t *testing.T) {
	r := newRenderer(t)
	for _, name := range []string{"signin", "dashboard", "notfound", "error", "toomany"} {
		if !r.Has(name) {
			t.Errorf("no page %q", name)
		}
	}
}

func TestPagesHaveLandmarks(t *testing.T) {
	r := newRenderer(t)
	cases := []struct {
		name   string
		status int
		page   *Page
		title  string
	}{
		{"signin", http.StatusOK, &Page{CSRFToken: "tok"}, "Sign in to foidesk"},
		{"dashboard", http.StatusOK, &Page{User: officer(), Nav: "home", CSRFToken: "tok"}, "Dashboard"},
		{"notfound", http.StatusNotFound, &Page{}, "Page not found"},
		{"error", http.StatusInternalServerError, &Page{}, "Sorry, there is a problem with the service"},
		{"toomany", http.StatusTooManyRequests, &Page{Data: "in 15 minutes"}, "Too many sign-in attempts"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := render(t, r, tc.status, tc.name, tc.page)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d", w.Code, tc.status)
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			body := w.Body.String()
			mustContain(t, body, landmarks...)
			mustContain(t, body, "<title>"+tc.title+" – foidesk</title>", `<h1 class="govuk-heading-l">`+tc.title+"</h1>")
			if n := strings.Count(body, "<h1"); n != 1 {
				t.Errorf("%d h1 elements, want 1", n)
			}
			mustNotContain(t, body, "<no value>", "style=", "<style", "ZgotmplZ")
			// No inline script: every <script> has a src.
			for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
				if !strings.Contains(m, ` src="`) {
					t.Errorf("inline script %s", m)
				}
			}
			if tc.page.User == nil {
				mustNotContain(t, body, signedInOnly...)
			} else {
				mustContain(t, body, signedInOnly...)
			}
		})
	}
}

func TestTitleOverridesDefault(t *testing.T) {
	w := render(t, newRenderer(t), http.StatusOK, "notfound", &Page{Title: "Case not found"})
	mustContain(t, w.Body.String(), "<title>Case not found – foidesk</title>", ">Case not found</h1>")
}

func TestSignInForm(t *testing.T) {
	r := newRenderer(t)
	w := render(t, r, http.StatusOK, "signin", &Page{CSRFToken: "tok-123", Data: map[string]string{"Next": "/cases/7"}})
	body := w.Body.String()
	mustContain(t, body,
		`<form method="post" action="/" novalidate>`,
		`<input type="hidden" name="csrf_token" value="tok-123">`,
		`<input type="hidden" name="next" value="/cases/7">`,
		`id="email" name="email" type="email"`, `spellcheck="false" autocomplete="username"`,
		`id="password" name="password" type="password"`, `autocomplete="current-password"`,
		`<label class="govuk-label govuk-label--s" for="email">`,
		`<button type="submit" class="govuk-button"`,
	)
	mustNotContain(t, body, "govuk-error-summary", "govuk-error-message", "govuk-form-group--error", "Error: ")

	// No Data at all: the next field is still there, empty.
	w = render(t, r, http.StatusOK, "signin", &Page{CSRFToken: "tok"})
	mustContain(t, w.Body.String(), `<input type="hidden" name="next" value="">`)
}

func TestSignInErrors(t *testing.T) {
	p := &Page{
		CSRFToken: "tok",
		Errors: []FieldError{
			{Field: "email", Message: "Enter an email address in the correct format, like name@example.com"},
			{Field: "password", Message: "Enter your password"},
		},
		Form: map[string]string{"email": `ada"<x>@example`, "password": "must-not-echo"},
	}
	body := render(t, newRenderer(t), http.StatusUnprocessableEntity, "signin", p).Body.String()
	mustContain(t, body,
		"<title>Error: Sign in to foidesk – foidesk</title>",
		`<div class="govuk-error-summary" data-module="govuk-error-summary">`,
		`<h2 class="govuk-error-summary__title">There is a problem</h2>`,
		`<li><a href="#email">Enter an email address in the correct format, like name@example.com</a></li>`,
		`<li><a href="#password">Enter your password</a></li>`,
		`<p id="email-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter an email address in the correct format, like name@example.com</p>`,
		`<p id="password-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter your password</p>`,
		`aria-describedby="email-error"`, `aria-describedby="password-error"`,
		`govuk-input govuk-input--error" id="email"`,
		`value="ada&#34;&lt;x&gt;@example"`, // re-shown, escaped
	)
	mustNotContain(t, body, "must-not-echo", `<x>`)
	if n := strings.Count(body, "govuk-form-group--error"); n != 2 {
		t.Errorf("%d error form groups, want 2", n)
	}
	// The summary comes before the form, inside main.
	if s, f := strings.Index(body, "govuk-error-summary"), strings.Index(body, "<form method=\"post\" action=\"/\""); s < strings.Index(body, `id="main-content"`) || s > f {
		t.Errorf("error summary not at the top of main")
	}
	// The inline message sits in the email field's group, between its label and its input.
	label, msg, input := strings.Index(body, `for="email"`), strings.Index(body, `id="email-error"`), strings.Index(body, `id="email" name="email"`)
	if label >= msg || msg >= input {
		t.Errorf("email error message not between label (%d) and input (%d): %d", label, input, msg)
	}
}

func TestErrorWithoutField(t *testing.T) {
	body := render(t, newRenderer(t), http.StatusOK, "signin", &Page{Errors: []FieldError{{Message: "Something broke"}}}).Body.String()
	mustContain(t, body, "<li>Something broke</li>")
	mustNotContain(t, body, `href="#"`)
}

func TestSignedInLayout(t *testing.T) {
	p := &Page{User: officer(), Nav: "cases", CSRFToken: "tok-9", Flash: "Case FOI-2026-0001 created"}
	body := render(t, newRenderer(t), http.StatusOK, "dashboard", p).Body.String()
	mustContain(t, body,
		// Navigation with the current item marked.
		`<a class="govuk-service-navigation__link" href="/cases" aria-current="page"><strong class="govuk-service-navigation__active-fallback">Cases</strong></a>`,
		`<a class="govuk-service-navigation__link" href="/consultations">Consultations</a>`,
		`<a class="govuk-service-navigation__link" href="/">Home</a>`,
		// Identity bar and sign-out form.
		`<strong>Ada Officer</strong>, FOI officer, Department for Education (DFE)`,
		`<form method="post" action="/sign-out"`,
		`<input type="hidden" name="csrf_token" value="tok-9">`,
		`>Sign out</button>`,
		// Flash.
		`govuk-notification-banner--success`,
		`<p class="govuk-notification-banner__heading">Case FOI-2026-0001 created</p>`,
	)
	if n := strings.Count(body, `aria-current="page"`); n != 1 {
		t.Errorf("%d current items, want 1", n)
	}
}

func TestAdminWithoutParty(t *testing.T) {
	u := &PageUser{Name: "Root", Role: "admin", RoleLabel: "Admin", NavItems: []NavItem{{Key: "admin", Label: "Admin", Href: "/admin"}}}
	body := render(t, newRenderer(t), http.StatusOK, "dashboard", &Page{User: u, Nav: "admin"}).Body.String()
	mustContain(t, body, "<strong>Root</strong>, Admin</span>", `<dd class="govuk-summary-list__value">None</dd>`)
	mustNotContain(t, body, "Your work")
}

func TestSignedInWithoutNavItems(t *testing.T) {
	body := render(t, newRenderer(t), http.StatusOK, "dashboard", &Page{User: &PageUser{Name: "X"}}).Body.String()
	mustNotContain(t, body, "govuk-service-navigation__list")
	mustContain(t, body, "moj-identity-bar", `action="/sign-out"`)
}

func TestDashboardCounts(t *testing.T) {
	r := newRenderer(t)
	data := map[string]int{"My cases": 12, "Due in the next 5 working days": 3, "Overdue": 1}
	body := render(t, r, http.StatusOK, "dashboard", &Page{User: officer(), Nav: "home", Data: data}).Body.String()
	mustContain(t, body, `<h2 class="govuk-heading-m">Your work</h2>`, "Department for Education (DFE)</dd>", "FOI officer</dd>")
	for key, want := range map[string]string{
		"My cases":                       ">12</strong>",
		"Due in the next 5 working days": ">3</strong>",
		"Overdue":                        `govuk-tag--red app-count">1</strong>`,
		"Awaiting representations":       `govuk-tag--grey app-count">0</strong>`, // missing key: 0
	} {
		i := strings.Index(body, `<dt class="govuk-summary-list__key">`+key+`</dt>`)
		if i < 0 {
			t.Errorf("no row %q", key)
			continue
		}
		if j := strings.Index(body[i:], "</strong>"); j < 0 || !strings.Contains(body[i:i+j+len("</strong>")], want) {
			t.Errorf("row %q lacks %q", key, want)
		}
	}
	// Other integer maps work too.
	body = render(t, r, http.StatusOK, "dashboard", &Page{User: officer(), Data: map[string]any{"Overdue": int64(4)}}).Body.String()
	mustContain(t, body, `govuk-tag--red app-count">4</strong>`)
}

func TestTooManyWithoutWhen(t *testing.T) {
	body := render(t, newRenderer(t), http.StatusTooManyRequests, "toomany", &Page{}).Body.String()
	mustContain(t, body, "You can try to sign in again later.")
	body = render(t, newRenderer(t), http.StatusTooManyRequests, "toomany", &Page{Data: "in 15 minutes"}).Body.String()
	mustContain(t, body, "You can try to sign in again in 15 minutes.")
}

func TestErrorReference(t *testing.T) {
	body := render(t, newRenderer(t), http.StatusInternalServerError, "error", &Page{Data: map[string]string{"Reference": "req-42"}}).Body.String()
	mustContain(t, body, "Give them this reference: <strong>req-42</strong>.")
}

func TestUnknownPageAndNilPage(t *testing.T) {
	r := newRenderer(t)
	w := render(t, r, http.StatusOK, "no-such-page", &Page{})
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "<html") {
		t.Errorf("unknown page: %d %q", w.Code, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("unknown page Content-Type %q", ct)
	}
	w = render(t, r, http.StatusNotFound, "notfound", nil)
	if w.Code != http.StatusNotFound {
		t.Errorf("nil page: status %d", w.Code)
	}
}

func TestExecutionErrorGivesPlain500(t *testing.T) {
	r := newRenderer(t)
	// A page that fails at execution: it calls a template nobody defined.
	r.pages["broken"] = template.Must(template.New(layoutFile).Parse(`<html>{{template "nope" .}}</html>`))
	w := render(t, r, http.StatusOK, "broken", &Page{})
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "<html") {
		t.Errorf("broken page: %d %q", w.Code, w.Body.String())
	}
}

func TestDateFuncs(t *testing.T) {
	summer := time.Date(2026, 7, 1, 13, 5, 0, 0, time.UTC) // 2:05pm in London (BST)
	winter := time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC)  // midnight in London (GMT)
	f := templateFuncs
	for _, tc := range []struct {
		fn, want string
		arg      any
	}{
		{"date", "1 July 2026", summer},
		{"dateShort", "9 Jan 2026", winter},
		{"isoDate", "2026-07-01", &summer},
		{"dateTime", "1 July 2026 at 2:05pm", summer},
		{"dateTime", "9 January 2026 at midnight", winter},
		{"dateTime", "9 January 2026 at midday", winter.Add(12 * time.Hour)},
		{"dateTime", "9 January 2026 at 3pm", winter.Add(15 * time.Hour)},
		{"date", "", time.Time{}},
		{"date", "", (*time.Time)(nil)},
		{"date", "", "not a time"},
	} {
		if got := f[tc.fn].(func(any) string)(tc.arg); got != tc.want {
			t.Errorf("%s(%v) = %q, want %q", tc.fn, tc.arg, got, tc.want)
		}
	}
}

func TestHelperFuncs(t *testing.T) {
	errs := []FieldError{{"email", "Bad email"}, {"email", "Second"}, {"", "General"}}
	if got := templateFuncs["fieldError"].(func([]FieldError, string) string)(errs, "email"); got != "Bad email" {
		t.Errorf("fieldError = %q", got)
	}
	if templateFuncs["hasError"].(func([]FieldError, string) bool)(errs, "password") {
		t.Error("hasError(password) = true")
	}
	if got := templateFuncs["formValue"].(func(map[string]string, string) string)(nil, "x"); got != "" {
		t.Errorf("formValue(nil) = %q", got)
	}
	type data struct{ Next string }
	ds := templateFuncs["dataString"].(func(any, string) string)
	if ds(data{Next: "/a"}, "Next") != "/a" || ds(&data{Next: "/b"}, "Next") != "/b" || ds(nil, "Next") != "" || ds("str", "Next") != "" {
		t.Error("dataString")
	}
	if countOf(map[string]uint{"n": 2}, "n") != 2 || countOf(map[string]string{"n": "2"}, "n") != 0 || countOf(nil, "n") != 0 {
		t.Error("countOf")
	}
	plural := templateFuncs["plural"].(func(any, string, string) string)
	if plural(1, "case", "cases") != "case" || plural(int64(0), "case", "cases") != "cases" {
		t.Error("plural")
	}
}

func TestStaticFS(t *testing.T) {
	fsys := StaticFS()
	for _, name := range []string{"README.md", "app.js", "app.css", "js-enabled.js"} {
		if _, err := fs.Stat(fsys, name); err != nil {
			t.Errorf("static %s: %v", name, err)
		}
	}
	// The built assets are there when scripts/build-assets.sh has run; without them the layout's links break.
	if _, err := fs.Stat(fsys, "dist"); err != nil {
		t.Skip("internal/web/static/dist not built: run npm ci && bash scripts/build-assets.sh")
	}
	for _, name := range []string{
		"dist/govuk-frontend.min.css", "dist/govuk-frontend.min.js", "dist/moj-frontend.min.css", "dist/moj-frontend.min.js",
		"dist/assets/rebrand/images/favicon.ico", "dist/assets/rebrand/images/favicon.svg", "dist/assets/rebrand/images/govuk-icon-mask.svg",
		"dist/assets/rebrand/images/govuk-icon-180.png", "dist/assets/rebrand/manifest.json",
	} {
		if _, err := fs.Stat(fsys, name); err != nil {
			t.Errorf("static %s: %v", name, err)
		}
	}
}

// Every /static/ URL the layout names is a file of StaticFS (when the assets are built).
func TestLayoutStaticLinksResolve(t *testing.T) {
	fsys := StaticFS()
	if _, err := fs.Stat(fsys, "dist"); err != nil {
		t.Skip("internal/web/static/dist not built")
	}
	body := render(t, newRenderer(t), http.StatusOK, "dashboard", &Page{User: officer()}).Body.String()
	urls := regexp.MustCompile(`(?:href|src)="/static/([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(urls) < 5 {
		t.Fatalf("only %d static links", len(urls))
	}
	for _, m := range urls {
		if _, err := fs.Stat(fsys, m[1]); err != nil {
			t.Errorf("layout links /static/%s: %v", m[1], err)
		}
	}
}
