package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store/storetest"

	"github.com/gin-gonic/gin"
)

// browserUsers are the users the page tour signs in as: every role, and a liaison of the consulted party.
var browserUsers = []struct{ key, email string }{
	{"dfe-officer", "officer@test.example"},
	{"dfe-dm", "dm@dfe.test"},
	{"dfe-auditor", "aud@dfe.test"},
	{"ho-officer", "o@ho.test"},
	{"ho-liaison", "liaison@test.example"},
	{"admin", "admin@test.example"},
}

// tourData makes the cases the page tour needs, so that every page of a case is linked from somewhere: one
// whose HO consultation has representations (with a document and an attached file), one waiting for HO, one
// whose HO consultation is held as a draft, one whose response waits for approval, one responded (with an
// internal review and an ICO complaint), one responded with neither (in the published disclosure log), one
// awaiting clarification, one on hold for a fee, one under the EIR, and disputes at the business-as-usual and
// escalation steps, and an incident.
type tourData struct{ represented, waiting, pending apiCase }

func newTourData(t *testing.T, s *apiSite) tourData {
	t.Helper()
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	if _, _, err := s.db.CreateUser(cli, foi.NewUser{Email: "admin@test.example", Name: "Ann Admin", Role: foi.RoleAdmin, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	var d tourData
	for _, c := range []*apiCase{&d.represented, &d.waiting} {
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
	}
	k := s.caseConsultation(d.represented.ID)
	rep := map[string]any{"position": "object_in_part", "summary": "Names of officers must not be released.",
		"harm": "Officers would be exposed.", "proposed_exemptions": []map[string]string{{"section": "31(1)(e)", "reasons": "Immigration controls."}}}
	if res := s.call("ho-liaison", http.MethodPost, fmt.Sprintf("/api/v1/consultations/%d/representations", k.ID), rep, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("representations: %d", res.StatusCode)
	}
	if res := s.attach("ho-liaison", k.ID, "legal-opinion.pdf", minimalPDF, nil); res.StatusCode != http.StatusCreated {
		t.Fatalf("attach: %d", res.StatusCode)
	}
	var doc apiDoc
	if res := s.upload("dfe-officer", d.represented.ID, "briefing.docx", tinyDOCX(t), &doc); res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	d.pending = s.mustCreateCase("dfe-officer")
	s.mustPost("dfe-officer", fmt.Sprintf("/api/v1/cases/%d/response", d.pending.ID), partialBody())
	var responded apiCase
	for i, steps := range [][]struct {
		path string
		body map[string]any
	}{
		{{"/response", partialBody()}, {"/internal-review", map[string]any{"requested_on": "2026-03-02"}},
			{"/ico-appeal", map[string]any{"complaint_on": "2026-03-02"}}},
		{{"/response", partialBody()}},
		{{"/events", map[string]any{"kind": "clarification_sought", "on": "2026-02-24"}}},
		{{"/events", map[string]any{"kind": "fee_notice", "on": "2026-02-24"}}},
	} {
		c := s.mustCreateCase("dfe-officer")
		if i == 1 {
			responded = c
		}
		for _, st := range steps {
			who := "dfe-officer"
			if st.path == "/response" {
				who = "dfe-dm"
			}
			s.mustPost(who, fmt.Sprintf("/api/v1/cases/%d%s", c.ID, st.path), st.body)
		}
	}
	// A published disclosure-log entry of the responded case, with a released document.
	var entry struct {
		ID int64 `json:"id"`
	}
	var figures apiDoc
	if res := s.upload("dfe-officer", responded.ID, "figures.csv", []byte("year,requests\n2025,1204\n"), &figures); res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	if res := s.call("dfe-dm", http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/disclosure-log", responded.ID), map[string]any{
		"title": "Pupil data requests", "summary": "Asked how often pupil data was requested.",
		"released_text": "Requests in 2025: 1,204.", "document_ids": []int64{figures.ID}}, &entry); res.StatusCode != http.StatusCreated {
		t.Fatalf("propose a disclosure-log entry: %d", res.StatusCode)
	}
	s.mustPost("dfe-dm", fmt.Sprintf("/api/v1/disclosure-log/entries/%d/publish", entry.ID), nil)
	eir := newCaseBody()
	eir["regime"] = "eir"
	s.mustPost("dfe-officer", "/api/v1/cases", eir)
	// Disputes: HO disputes the represented consultation; DFE disputes the waiting one and escalates it; a third
	// consultation has none, so a dispute can be raised on it.
	s.mustPost("ho-liaison", fmt.Sprintf("/api/v1/consultations/%d/disputes", k.ID), map[string]any{"reasons": "We object to the release of officer names."})
	var dispute struct {
		ID int64 `json:"id"`
	}
	w := s.caseConsultation(d.waiting.ID)
	if res := s.call("dfe-officer", http.MethodPost, fmt.Sprintf("/api/v1/consultations/%d/disputes", w.ID), map[string]any{"reasons": "HO has not answered."}, &dispute); res.StatusCode != http.StatusCreated {
		t.Fatalf("raise dispute: %d", res.StatusCode)
	}
	s.mustPost("dfe-officer", fmt.Sprintf("/api/v1/disputes/%d/escalate", dispute.ID), map[string]any{"reasons": "Two days passed."})
	s.mustPost("dfe-officer", "/api/v1/cases", newCaseBodyTouching("cid-person-records"))
	held := newCaseBodyTouching("cid-person-records") // its HO consultation held as a draft, to edit and send
	held["hold_consultations_as_draft"] = true
	s.mustPost("dfe-officer", "/api/v1/cases", held)
	// A legal hold on the waiting case, so that the form lifting it (linked from the case page) is on the tour.
	s.mustPost("dfe-officer", "/api/v1/retention/holds", map[string]any{"case_id": d.waiting.ID, "reasons": "Court case."})
	// An incident touching HO's information, so that its page (linked from /incidents) is on the tour.
	s.mustPost("dfe-dm", "/api/v1/incidents", map[string]any{"kind": "wrongful_disclosure",
		"description": "A pupil list went to the wrong address.", "aware_at": "2026-03-02T09:00:00Z",
		"affected_parties": []string{"HO"}})
	return d
}

// mustPost sends a JSON POST as who and fails the test unless it succeeds.
func (s *apiSite) mustPost(who, path string, body any) {
	s.t.Helper()
	if res := s.call(who, http.MethodPost, path, body, nil); res.StatusCode >= 300 {
		s.t.Fatalf("POST %s as %s: %d", path, who, res.StatusCode)
	}
}

// caseConsultation returns the case's one consultation.
func (s *apiSite) caseConsultation(caseID int64) apiConsultation {
	s.t.Helper()
	var cc apiCaseConsultations
	if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/consultations", caseID), nil, &cc); res.StatusCode != http.StatusOK || len(cc.Consultations) != 1 {
		s.t.Fatalf("case consultations: %d %+v", res.StatusCode, cc)
	}
	return cc.Consultations[0]
}

// pageRoutes returns the patterns of the server's HTML pages: its GET routes outside the API, the static files
// and the health checks.
func pageRoutes(t *testing.T, s *apiSite) []string {
	t.Helper()
	e, ok := s.srv.Config.Handler.(*gin.Engine)
	if !ok {
		t.Fatalf("the handler is a %T, not a gin engine", s.srv.Config.Handler)
	}
	var out []string
	for _, r := range e.Routes() {
		if r.Method != http.MethodGet || strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/static/") ||
			r.Path == "/healthz" || r.Path == "/readyz" {
			continue
		}
		out = append(out, r.Path)
	}
	return out
}

var routeParam = regexp.MustCompile(`:[^/]+|\*.*`)

// siteTour follows the site's links as one user after another. It knows the server's page routes, so it can
// prefer links to pages of a kind it has not seen yet, and check at the end that every kind was reached.
type siteTour struct {
	routes []string
	res    []*regexp.Regexp
	seen   map[string]int  // route -> pages of it visited, by every user
	shot   map[string]bool // routes screenshotted
}

func newSiteTour(routes []string) *siteTour {
	tr := &siteTour{routes: routes, seen: map[string]int{}, shot: map[string]bool{}}
	for _, r := range routes {
		parts := routeParam.Split(r, -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		tr.res = append(tr.res, regexp.MustCompile("^"+strings.Join(parts, "[^/?]+")+`(\?.*)?$`))
	}
	return tr
}

// route returns the route of a site path ("/cases/:id" for "/cases/7?x=1"): of the routes matching it, the one
// with the fewest parameters, as gin prefers "/cases/new" to "/cases/:id"; "" when none matches.
func (tr *siteTour) route(path string) string {
	best, params := "", -1
	for i, re := range tr.res {
		if n := strings.Count(tr.routes[i], ":"); re.MatchString(path) && (params < 0 || n < params) {
			best, params = tr.routes[i], n
		}
	}
	return best
}

// missed returns the routes no user reached.
func (tr *siteTour) missed() []string {
	var out []string
	for _, r := range tr.routes {
		if tr.seen[r] == 0 {
			out = append(out, r)
		}
	}
	return out
}

// The tour's limits: pages one user visits, and pages of one route one user checks with axe (the rest are only
// read for their links).
const (
	tourMaxPages    = 80
	tourAxePerRoute = 2
	tourMaxPerRoute = 12
)

// visit tours the site as the tab's user (signed in or not). It starts from the home page and opens every page
// without a parameter in its path directly (a page no link leads to is still checked; one the user may not see
// answers 404, which is fine there), then follows links breadth first, opening a page of a route no one has
// visited yet whenever there is one. A link must lead to a page that answers 200. It runs axe on this user's
// first page of each route and screenshots the first page of each route.
func (tr *siteTour) visit(b *browser, who string) {
	b.t.Helper()
	queue := []string{"/"}
	queued := map[string]bool{"/": true}
	direct := map[string]bool{} // pages opened by their address, not by a link
	for _, r := range tr.routes {
		if !strings.ContainsAny(r, ":*") && !queued[r] {
			queue, queued[r], direct[r] = append(queue, r), true, true
		}
	}
	mine := map[string]int{} // route -> pages of it this user visited
	hub := map[string]bool{} // routes whose pages led this user to routes it had not seen
	checked := 0
	defer func() { b.t.Logf("%s: %d pages visited, %d checked with axe", who, sum(mine), checked) }()
	for n := 0; len(queue) > 0 && n < tourMaxPages; n++ {
		next := max(0, slices.IndexFunc(queue, func(l string) bool { return tr.seen[tr.route(l)] == 0 }))
		p := queue[next]
		queue = slices.Delete(queue, next, next+1)
		r := tr.route(p)
		tr.seen[r]++
		mine[r]++
		status, final, err := b.tryVisit(p)
		if final != p && err == nil {
			// Redirected (signed out, to sign in): what shows is the page it ended on.
			r = tr.route(final)
			mine[r]++
		}
		switch {
		case err == errDownload:
			continue
		case err != nil && direct[p]:
			continue // not a page: a redirect off the site, say
		case err != nil:
			b.t.Fatalf("%s visiting %s: %v", who, p, err)
		case status >= http.StatusInternalServerError || (status != http.StatusOK && !direct[p]):
			b.t.Errorf("%s: %s answered %d", who, p, status)
			continue
		case status != http.StatusOK:
			continue // a page this user may not see, opened by its address
		}
		if mine[r] <= tourAxePerRoute {
			b.axe(who + " " + p)
			checked++
		}
		if !tr.shot[r] {
			tr.shot[r] = true
			b.screenshot(who + r)
		}
		for _, l := range b.links() {
			lr := tr.route(l)
			path, _, _ := strings.Cut(l, "?")
			// Other queries of a path (filters, sorting, pages of a list) show the same kind of page.
			if queued[l] || queued[path] || strings.HasPrefix(l, "/static/") {
				continue
			}
			queued[path] = true
			if mine[lr] == 0 && !slices.ContainsFunc(queue, func(q string) bool { return tr.route(q) == lr }) {
				hub[r] = true
			}
			queued[l] = true
			queue = append(queue, l)
		}
		// Past its first page, a route is worth visiting again only while its pages lead somewhere new (a case
		// page leads to the forms its state allows); a form is checked once per user.
		queue = slices.DeleteFunc(queue, func(q string) bool {
			qr := tr.route(q)
			return mine[qr] >= tourMaxPerRoute || (mine[qr] > 0 && !hub[qr] && qr != "")
		})
	}
}

func TestBrowser_EveryPagePassesAxeForEveryRole(t *testing.T) {
	// On SQLite only: the tour checks markup, accessibility and links, which do not depend on the engine, and
	// takes minutes; the flow test and every HTTP test of these pages run on both engines.
	d := storetest.OpenSQLite(t)
	s := newAPISite(t, d)
	data := newTourData(t, s)
	routes := pageRoutes(t, s)
	b := newBrowser(t, s.srv.URL)
	tour := newSiteTour(routes)

	// Signed out: the sign-in form, its error summary, and the 404 page.
	if status := b.visit("/"); status != http.StatusOK {
		t.Fatalf("sign-in page: %d", status)
	}
	b.axe("sign-in")
	b.screenshot("signed-out_sign-in")
	b.fill("#email", "officer@test.example")
	b.fill("#password", "not the password")
	if status := b.submit(`main button[type="submit"]`); status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", status)
	}
	if !b.has(".govuk-error-summary a[href='#email']") || !strings.HasPrefix(b.title(), "Error:") {
		t.Error("a failed sign-in shows no error summary linking to the email field")
	}
	b.axe("sign-in with errors")
	b.screenshot("signed-out_sign-in-error")
	b.notFound("signed out", "/no/such/page")
	b.screenshot("signed-out_404")
	tour.visit(b, "signed-out")

	for _, u := range browserUsers {
		b.signIn(u.email)
		tour.visit(b, u.key)
		b.notFound(u.key, "/no/such/page")
	}

	// A page the role may not see is the same 404, not a hint that it exists.
	b.signIn("liaison@test.example")
	b.notFound("ho-liaison", fmt.Sprintf("/cases/%d", data.represented.ID))
	b.signIn("o@ho.test")
	b.notFound("ho-officer", fmt.Sprintf("/cases/%d", data.pending.ID))

	// Every page of the site was reached, by its address or by following links, as some role.
	if missed := tour.missed(); len(missed) > 0 {
		t.Errorf("no role reached these pages, so axe never checked them (link them, or give the tour data they need): %v", missed)
	}
	t.Logf("screenshots of %d kinds of page in %s", len(tour.shot), b.shots)
}

// notFound visits path and checks it is the GOV.UK 404 page, accessible.
func (b *browser) notFound(who, path string) {
	b.t.Helper()
	if status := b.visit(path); status != http.StatusNotFound {
		b.t.Errorf("%s visiting %s: %d, want 404", who, path, status)
	}
	if h := b.text("h1"); h != "Page not found" {
		b.t.Errorf("%s visiting %s: heading %q", who, path, h)
	}
	b.axe(who + " 404 " + path)
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
