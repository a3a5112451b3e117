package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"

	"github.com/gin-gonic/gin"
)

// accessRule says whether a user may use a route: nil when they may, otherwise the refusal, which foi decides
// (foi.Can, foi.CanActor and the helpers built on them): the matrix never decides a permission itself.
type accessRule func(w *matrixWorld, u *foi.User) error

// scopeKind names whose record a route's ids point at.
type scopeKind int

const (
	noScope           scopeKind = iota
	caseScope                   // the matrix's case, received by DFE
	consultationScope           // its consultation of HO (and the disputes and incident between the two)
)

// can is the rule of foi.Can for action on the record of kind k.
func can(action foi.Action, k scopeKind) accessRule {
	return func(w *matrixWorld, u *foi.User) error { return foi.Can(u, action, w.scope(k)) }
}

// signedIn lets every active user: the route shows or changes the user's own things, or lists only what the
// user may read.
func signedIn(_ *matrixWorld, u *foi.User) error {
	return foi.Can(u, foi.ActionViewDashboard, foi.Scope{})
}

// incidentRule is foi.CanIncident for the matrix's incident, reported by DFE and affecting HO.
func incidentRule(action foi.Action) accessRule {
	return func(w *matrixWorld, u *foi.User) error {
		return foi.CanIncident(foi.Actor{User: u}, action, w.dfe, []int64{w.ho})
	}
}

// disclosureRule is foi.CanManageDisclosureLog for DFE's entries.
func disclosureRule(w *matrixWorld, u *foi.User) error {
	return foi.CanManageDisclosureLog(foi.Actor{User: u}, w.dfe)
}

// ownReports is foi.Can for reports of the user's own party (what the report routes show without a ?party=).
func ownReports(action foi.Action) accessRule {
	return func(_ *matrixWorld, u *foi.User) error {
		return foi.Can(u, action, foi.Scope{OwnerPartyID: u.PartyID})
	}
}

// anyReports lets whoever may read some report of their own party: the reports page lists those they may.
func anyReports(w *matrixWorld, u *foi.User) error {
	if err := ownReports(foi.ActionReadConsultationReports)(w, u); err == nil {
		return nil
	}
	return ownReports(foi.ActionReadReports)(w, u)
}

// partyList is a list of the user's own party's records: the user may list them when foi.Can allows action on
// a record of their own party (on either side of it, for consultations). A list does not hide that it exists,
// so its refusal is EFORBIDDEN.
func partyList(action foi.Action) accessRule {
	return func(_ *matrixWorld, u *foi.User) error {
		err := foi.Can(u, action, foi.Scope{OwnerPartyID: u.PartyID})
		if err != nil && action == foi.ActionReadConsultation {
			err = foi.Can(u, action, foi.Scope{ConsultedPartyID: u.PartyID})
		}
		if err != nil {
			return foi.Errorf(foi.EFORBIDDEN, "%s", err.Error())
		}
		return nil
	}
}

// disclosureList is foi.CanManageDisclosureLog for the user's own party, refused with EFORBIDDEN as lists are.
func disclosureList(_ *matrixWorld, u *foi.User) error {
	if err := foi.CanManageDisclosureLog(foi.Actor{User: u}, u.PartyID); err != nil {
		return foi.Errorf(foi.EFORBIDDEN, "%s", err.Error())
	}
	return nil
}

// apiAccess is who may use each API endpoint. An endpoint missing here fails the matrix: a new route must say
// which permission guards it.
var apiAccess = map[string]accessRule{
	"GET /api/v1/me":             signedIn,
	"GET /api/v1/me/preferences": signedIn,
	"PUT /api/v1/me/preferences": signedIn,

	"POST /api/v1/cases":                              can(foi.ActionCreateCase, noScope),
	"GET /api/v1/cases":                               partyList(foi.ActionReadCase),
	"GET /api/v1/cases/:id":                           can(foi.ActionReadCase, caseScope),
	"PATCH /api/v1/cases/:id":                         can(foi.ActionWorkCase, caseScope),
	"POST /api/v1/cases/:id/transitions":              can(foi.ActionWorkCase, caseScope),
	"POST /api/v1/cases/:id/events":                   can(foi.ActionWorkCase, caseScope),
	"GET /api/v1/cases/:id/deadline":                  can(foi.ActionReadCase, caseScope),
	"POST /api/v1/cases/:id/response":                 can(foi.ActionWorkCase, caseScope),
	"GET /api/v1/cases/:id/response":                  can(foi.ActionReadCase, caseScope),
	"POST /api/v1/cases/:id/response/approve":         can(foi.ActionDecideCase, caseScope),
	"POST /api/v1/cases/:id/response/return":          can(foi.ActionDecideCase, caseScope),
	"POST /api/v1/cases/:id/letters/:key":             can(foi.ActionWorkCase, caseScope),
	"POST /api/v1/cases/:id/internal-review":          can(foi.ActionWorkCase, caseScope),
	"POST /api/v1/cases/:id/internal-review/decision": can(foi.ActionDecideCase, caseScope),
	"GET /api/v1/cases/:id/internal-review":           can(foi.ActionReadCase, caseScope),
	"POST /api/v1/cases/:id/ico-appeal":               can(foi.ActionWorkCase, caseScope),
	"POST /api/v1/cases/:id/ico-appeal/decision":      can(foi.ActionWorkCase, caseScope),
	"GET /api/v1/cases/:id/ico-appeal":                can(foi.ActionReadCase, caseScope),
	"POST /api/v1/cases/:id/documents":                can(foi.ActionWorkCase, caseScope),
	"GET /api/v1/cases/:id/documents":                 can(foi.ActionReadCase, caseScope),
	"GET /api/v1/cases/:id/documents/:docID":          can(foi.ActionReadCase, caseScope),
	"GET /api/v1/cases/:id/consultations":             can(foi.ActionReadCase, caseScope),
	"GET /api/v1/letter-templates":                    signedIn,
	"PUT /api/v1/letter-templates/:key":               can(foi.ActionManageRegisters, noScope),

	"GET /api/v1/consultations":                        partyList(foi.ActionReadConsultation),
	"GET /api/v1/consultations/:id":                    can(foi.ActionReadConsultation, consultationScope),
	"PATCH /api/v1/consultations/:id":                  can(foi.ActionWorkCase, consultationScope),
	"POST /api/v1/consultations/:id/send":              can(foi.ActionWorkCase, consultationScope),
	"POST /api/v1/consultations/:id/representations":   can(foi.ActionRepresent, consultationScope),
	"POST /api/v1/consultations/:id/attachments":       can(foi.ActionRepresent, consultationScope),
	"GET /api/v1/consultations/:id/attachments":        can(foi.ActionReadConsultation, consultationScope),
	"GET /api/v1/consultations/:id/attachments/:attID": can(foi.ActionReadConsultation, consultationScope),
	"POST /api/v1/consultations/:id/consideration":     can(foi.ActionConsider, consultationScope),
	"POST /api/v1/consultations/:id/waiver":            can(foi.ActionDecideCase, consultationScope),
	"POST /api/v1/consultations/:id/close":             can(foi.ActionDecideCase, consultationScope),
	"POST /api/v1/consultations/:id/chase":             can(foi.ActionWorkCase, consultationScope),
	"POST /api/v1/consultations/:id/disputes":          can(foi.ActionDispute, consultationScope),
	"GET /api/v1/consultations/:id/disputes":           can(foi.ActionReadConsultation, consultationScope),
	"GET /api/v1/disputes/:id":                         can(foi.ActionReadConsultation, consultationScope),
	"POST /api/v1/disputes/:id/escalate":               can(foi.ActionDispute, consultationScope),
	"POST /api/v1/disputes/:id/formal-notification":    can(foi.ActionDispute, consultationScope),
	"POST /api/v1/disputes/:id/resolve":                can(foi.ActionResolveDispute, consultationScope),

	"GET /api/v1/registers":                  can(foi.ActionViewRegisters, noScope),
	"GET /api/v1/parties":                    can(foi.ActionViewRegisters, noScope),
	"POST /api/v1/parties":                   can(foi.ActionManageRegisters, noScope),
	"GET /api/v1/parties/:code":              can(foi.ActionViewRegisters, noScope),
	"PATCH /api/v1/parties/:code":            can(foi.ActionManageRegisters, noScope),
	"POST /api/v1/contacts":                  can(foi.ActionManageRegisters, noScope),
	"PUT /api/v1/contacts/:id":               can(foi.ActionManageRegisters, noScope),
	"GET /api/v1/contacts/:id":               can(foi.ActionViewRegisters, noScope),
	"POST /api/v1/agreements/:code/versions": can(foi.ActionManageRegisters, noScope),
	"PATCH /api/v1/agreements/:code":         can(foi.ActionManageRegisters, noScope),
	"GET /api/v1/agreements/:code":           can(foi.ActionViewRegisters, noScope),
	"POST /api/v1/assets":                    can(foi.ActionManageRegisters, noScope),
	"PUT /api/v1/assets/:code/aliases":       can(foi.ActionManageRegisters, noScope),
	"GET /api/v1/assets/:code":               can(foi.ActionViewRegisters, noScope),
	"POST /api/v1/asset-suggestions":         can(foi.ActionCreateCase, noScope),
	"POST /api/v1/exchanges":                 can(foi.ActionManageRegisters, noScope),
	"GET /api/v1/exchanges/:ref":             can(foi.ActionViewRegisters, noScope),
	"PATCH /api/v1/exchanges/:ref":           can(foi.ActionManageRegisters, noScope),

	"GET /api/v1/reports/stats":                                     ownReports(foi.ActionReadReports),
	"GET /api/v1/reports/consultations":                             ownReports(foi.ActionReadConsultationReports),
	"POST /api/v1/cases/:id/disclosure-log":                         disclosureRule,
	"GET /api/v1/disclosure-log/entries":                            disclosureList,
	"GET /api/v1/disclosure-log/entries/:id":                        disclosureRule,
	"PATCH /api/v1/disclosure-log/entries/:id":                      disclosureRule,
	"POST /api/v1/disclosure-log/entries/:id/flags/:seq/resolution": disclosureRule,
	"POST /api/v1/disclosure-log/entries/:id/publish":               disclosureRule,
	"POST /api/v1/disclosure-log/entries/:id/withdraw":              disclosureRule,

	"POST /api/v1/incidents":                  partyList(foi.ActionRecordIncident),
	"GET /api/v1/incidents":                   signedIn,
	"GET /api/v1/incidents/:id":               incidentRule(foi.ActionReadIncident),
	"POST /api/v1/incidents/:id/actions":      incidentRule(foi.ActionRecordIncident),
	"POST /api/v1/incidents/:id/ico-decision": incidentRule(foi.ActionDecideIncident),
	"POST /api/v1/incidents/:id/close":        incidentRule(foi.ActionRecordIncident),

	"GET /api/v1/retention/schedules":          can(foi.ActionReadRetention, noScope),
	"PUT /api/v1/retention/schedules/:type":    can(foi.ActionManageRetention, noScope),
	"GET /api/v1/retention/due":                can(foi.ActionReadRetention, noScope),
	"GET /api/v1/retention/holds":              can(foi.ActionReadRetention, noScope),
	"POST /api/v1/retention/holds":             can(foi.ActionHoldCase, caseScope),
	"POST /api/v1/retention/holds/:id/release": can(foi.ActionHoldCase, caseScope),
	"GET /api/v1/retention/tombstones":         can(foi.ActionReadRetention, noScope),
}

// matrixInput is what the matrix sends to a route beyond its path: an empty JSON object unless matrixInputs
// says more.
type matrixInput struct {
	query string // added to the path
	body  any    // a JSON body
	file  []byte // a multipart upload of this file instead
}

// matrixInputs are the requests that need more than an empty body to be well-formed, so that a refusal can
// only be about who asks: the uploads, the record a new record belongs to, a required query.
func (w *matrixWorld) matrixInputs() map[string]matrixInput {
	// The summary keeps the phone number, so that the entry keeps the flag the matrix resolves after editing it.
	draft := map[string]any{"title": "School places", "summary": "Asked by a parent on 07700 900123 about school places.",
		"released_text": "None held."}
	return map[string]matrixInput{
		"GET /api/v1/reports/stats":                  {query: "?from=2026-01-01&to=2026-03-31"},
		"GET /api/v1/reports/consultations":          {query: "?from=2026-01-01&to=2026-03-31"},
		"GET /api/v1/retention/due":                  {query: "?month=2026-03"},
		"PUT /api/v1/assets/:code/aliases":           {body: map[string]any{"aliases": []string{"person records"}}},
		"POST /api/v1/cases/:id/disclosure-log":      {body: draft},
		"PATCH /api/v1/disclosure-log/entries/:id":   {body: draft},
		"POST /api/v1/cases/:id/documents":           {file: minimalPDF},
		"POST /api/v1/consultations/:id/attachments": {file: minimalPDF},
		"POST /api/v1/retention/holds":               {body: map[string]any{"case_id": w.caseID}},
	}
}

// htmlAccess is who may use each page and form outside the API. A route missing here (and from htmlSkipped)
// fails the page matrix.
var htmlAccess = map[string]accessRule{
	"GET /cases/:id/disclosure-log":               disclosureRule,
	"POST /cases/:id/disclosure-log":              disclosureRule,
	"GET /consultations/:id/draft":                can(foi.ActionWorkCase, consultationScope),
	"POST /consultations/:id/draft":               can(foi.ActionWorkCase, consultationScope),
	"GET /consultations/:id/send":                 can(foi.ActionWorkCase, consultationScope),
	"POST /consultations/:id/send":                can(foi.ActionWorkCase, consultationScope),
	"GET /consultations/:id/chase":                can(foi.ActionWorkCase, consultationScope),
	"POST /consultations/:id/chase":               can(foi.ActionWorkCase, consultationScope),
	"GET /consultations/:id/attachments/new":      can(foi.ActionRepresent, consultationScope),
	"POST /consultations/:id/attachments":         can(foi.ActionRepresent, consultationScope),
	"GET /consultations/:id/attachments/:attID":   can(foi.ActionReadConsultation, consultationScope),
	"GET /incidents/new":                          partyList(foi.ActionRecordIncident),
	"POST /incidents/new":                         partyList(foi.ActionRecordIncident),
	"GET /incidents/:id/actions":                  incidentRule(foi.ActionRecordIncident),
	"POST /incidents/:id/actions":                 incidentRule(foi.ActionRecordIncident),
	"GET /incidents/:id/close":                    incidentRule(foi.ActionRecordIncident),
	"POST /incidents/:id/close":                   incidentRule(foi.ActionRecordIncident),
	"GET /incidents/:id/ico-decision":             incidentRule(foi.ActionDecideIncident),
	"POST /incidents/:id/ico-decision":            incidentRule(foi.ActionDecideIncident),
	"GET /disclosure-log/entries":                 disclosureList,
	"GET /disclosure-log/entries/:id":             disclosureRule,
	"POST /disclosure-log/entries/:id/publish":    disclosureRule,
	"GET /disclosure-log/entries/:id/flags":       disclosureRule,
	"POST /disclosure-log/entries/:id/flags/:seq": disclosureRule,
	"GET /disclosure-log/entries/:id/withdraw":    disclosureRule,
	"POST /disclosure-log/entries/:id/withdraw":   disclosureRule,
	"GET /admin/retention":                        can(foi.ActionReadRetention, noScope),
	"POST /admin/retention/schedules/:type":       can(foi.ActionManageRetention, noScope),
	// The retention page asks foi.Can without a case (admin_html.go requireAllowed), so only admins hold cases
	// there, while the API lets a party's officers and decision-makers hold its cases.
	"POST /admin/retention/holds":                 can(foi.ActionHoldCase, noScope),
	"POST /admin/retention/holds/:id/release":     can(foi.ActionHoldCase, noScope),
	"GET /account/security":                       signedIn,
	"GET /account/security/mfa":                   signedIn,
	"POST /account/security/mfa":                  signedIn,
	"GET /account/email":                          signedIn,
	"POST /account/email":                         signedIn,
	"GET /cases":                                  partyList(foi.ActionReadCase),
	"GET /cases/new":                              can(foi.ActionCreateCase, noScope),
	"POST /cases/new":                             can(foi.ActionCreateCase, noScope),
	"GET /cases/:id":                              can(foi.ActionReadCase, caseScope),
	"GET /cases/:id/requester":                    can(foi.ActionReadCase, caseScope),
	"GET /cases/:id/documents":                    can(foi.ActionWorkCase, caseScope),
	"POST /cases/:id/documents":                   can(foi.ActionWorkCase, caseScope),
	"GET /cases/:id/documents/:docID":             can(foi.ActionReadCase, caseScope),
	"GET /cases/:id/letters":                      can(foi.ActionWorkCase, caseScope),
	"GET /cases/:id/letters/:key":                 can(foi.ActionWorkCase, caseScope),
	"GET /cases/:id/legal-holds/:holdID/release":  can(foi.ActionWorkCase, caseScope),
	"POST /cases/:id/legal-holds/:holdID/release": can(foi.ActionWorkCase, caseScope),
	"GET /approvals":                              partyList(foi.ActionDecideCase),

	"GET /consultations":                         partyList(foi.ActionReadConsultation),
	"GET /consultations/:id":                     can(foi.ActionReadConsultation, consultationScope),
	"GET /consultations/:id/representations":     can(foi.ActionReadConsultation, consultationScope),
	"GET /consultations/:id/representations/new": can(foi.ActionRepresent, consultationScope),
	"POST /consultations/:id/representations":    can(foi.ActionRepresent, consultationScope),
	"GET /consultations/:id/consideration":       can(foi.ActionConsider, consultationScope),
	"POST /consultations/:id/consideration":      can(foi.ActionConsider, consultationScope),
	"GET /consultations/:id/waiver":              can(foi.ActionDecideCase, consultationScope),
	"POST /consultations/:id/waiver":             can(foi.ActionDecideCase, consultationScope),
	"GET /consultations/:id/close":               can(foi.ActionDecideCase, consultationScope),
	"POST /consultations/:id/close":              can(foi.ActionDecideCase, consultationScope),
	"GET /consultations/:id/disputes/new":        can(foi.ActionDispute, consultationScope),
	"POST /consultations/:id/disputes":           can(foi.ActionDispute, consultationScope),
	"GET /disputes/:id":                          can(foi.ActionReadConsultation, consultationScope),
	"GET /disputes/:id/escalate":                 can(foi.ActionDispute, consultationScope),
	"POST /disputes/:id/escalate":                can(foi.ActionDispute, consultationScope),
	"GET /disputes/:id/formal-notification":      can(foi.ActionDispute, consultationScope),
	"POST /disputes/:id/formal-notification":     can(foi.ActionDispute, consultationScope),
	"GET /disputes/:id/resolve":                  can(foi.ActionResolveDispute, consultationScope),
	"POST /disputes/:id/resolve":                 can(foi.ActionResolveDispute, consultationScope),
	"GET /incidents":                             signedIn,
	"GET /incidents/:id":                         incidentRule(foi.ActionReadIncident),
	"GET /audit":                                 can(foi.ActionReadAudit, noScope),
	"GET /audit/verify":                          can(foi.ActionReadAudit, noScope),
	"GET /reports":                               anyReports,
	"GET /reports/stats/download":                ownReports(foi.ActionReadReports),
	"GET /reports/consultations":                 ownReports(foi.ActionReadConsultationReports),
	"GET /reports/consultations/download":        ownReports(foi.ActionReadConsultationReports),
}

// caseForms are the one-form-per-URL pages of a case (case_form_html.go) and the permission each needs.
var caseForms = map[string]foi.Action{
	"assign": foi.ActionWorkCase, "edit": foi.ActionWorkCase, "status": foi.ActionWorkCase,
	"clarification-sought": foi.ActionWorkCase, "clarification-received": foi.ActionWorkCase,
	"fee-notice": foi.ActionWorkCase, "fee-paid": foi.ActionWorkCase, "pit-extension": foi.ActionWorkCase,
	"eir-extension": foi.ActionWorkCase, "response": foi.ActionWorkCase, "response/approve": foi.ActionDecideCase,
	"response/return": foi.ActionDecideCase, "internal-review": foi.ActionWorkCase,
	"internal-review/decision": foi.ActionDecideCase, "ico-appeal": foi.ActionWorkCase,
	"ico-appeal/decision": foi.ActionWorkCase,
	"legal-hold":          foi.ActionWorkCase, // the case's officers and decision-makers; admins use /admin/retention
}

// htmlRule returns the rule of a page or form: htmlAccess, a case form, or an admin page (admins only).
func htmlRule(method, path string) (accessRule, bool) {
	if r, ok := htmlAccess[method+" "+path]; ok {
		return r, true
	}
	if form, ok := strings.CutPrefix(path, "/cases/:id/"); ok {
		if a, ok := caseForms[form]; ok {
			return can(a, caseScope), true
		}
	}
	if path == "/admin" || strings.HasPrefix(path, "/admin/") {
		return can(foi.ActionManageRegisters, noScope), true
	}
	return nil, false
}

// htmlInputs are the pages and forms that need more than the CSRF token to be well-formed.
var htmlInputs = map[string]struct {
	query string
	form  map[string]string
}{
	"GET /reports/stats/download":           {query: "?from=2026-01-01&to=2026-03-31"},
	"GET /reports/consultations/download":   {query: "?from=2026-01-01&to=2026-03-31"},
	"POST /admin/calendar/overrides/remove": {form: map[string]string{"date": "2026-12-29"}},
}

// htmlSkipped are the routes the page matrix does not ask: every visitor may use them signed in or not (home,
// the public disclosure log, static files, health checks), or they act on the visitor's own session and would
// sign the matrix out.
var htmlSkipped = []string{"GET /", "POST /", "POST /sign-out", "POST /sign-out-everywhere", "POST /sign-in/code",
	"POST /sign-in/enrol", "GET /sign-in/oidc", "GET /sign-in/oidc/callback", "POST /account/security/mfa/disable",
	"GET /healthz", "GET /readyz", "GET /static/*filepath", "GET /disclosure-log", "GET /disclosure-log/:id",
	"GET /disclosure-log/:id/documents/:docID", "GET /disclosure-log.json", "GET /disclosure-log.atom"}

// matrixRoles are the roles the matrix asks as (the keys of browserUsers).
var matrixRoles = []string{"dfe-officer", "dfe-dm", "dfe-auditor", "ho-officer", "ho-liaison", "admin"}

// matrixWorld is the page tour's data plus one of every record a route's ids can point at, the users behind
// each role, a signed-in browser for each, and a connection of its own for fingerprinting the database.
type matrixWorld struct {
	*apiSite
	raw      *sql.DB
	engine   string
	users    map[string]*foi.User
	browsers map[string]*http.Client
	csrf     map[string]string
	dfe, ho  int64
	caseID   int64
	ids      map[string]string // the real record each route parameter names, by the route's pattern up to it
	at       map[string]string // the record a route's :id names instead, by the route, where its state matters
}

// newMatrixWorld returns the matrix's world on a new database of the engine: the page tour's data and more
// (addRecords), every role signed in through the API and a browser.
func newMatrixWorld(t *testing.T, engine string) *matrixWorld {
	t.Helper()
	var d *store.DB
	var dsn string
	if engine == "sqlite" {
		d, dsn = storetest.OpenSQLiteDSN(t)
	} else {
		d, dsn = storetest.OpenPostgresDSN(t)
	}
	s := newAPISite(t, d)
	data := newTourData(t, s)
	s.tokens["admin"] = s.mustToken("admin@test.example")
	w := &matrixWorld{apiSite: s, raw: openRaw(t, engine, dsn), engine: engine, users: map[string]*foi.User{},
		browsers: map[string]*http.Client{}, csrf: map[string]string{}}
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	for _, u := range browserUsers {
		user, err := d.UserByEmail(cli, u.email)
		if err != nil {
			t.Fatal(err)
		}
		w.users[u.key] = user
		s.as(u.email)
		w.browsers[u.key], w.csrf[u.key] = s.client, s.site.csrf("/")
	}
	w.dfe, w.ho = w.users["dfe-officer"].PartyID, w.users["ho-liaison"].PartyID
	w.addRecords(t, d, data)
	w.recordIDs(t, data)
	return w
}

// query returns the one value a query of the database answers, as text.
func (w *matrixWorld) query(t *testing.T, query string, args ...any) string {
	t.Helper()
	var v any
	if err := w.raw.QueryRow(query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

// addRecords adds what the tour lacks for the routes to name: a calendar override, a case document, a
// representation attachment, a flagged disclosure-log entry, a draft consultation, a legal hold and a spare
// user with a token.
func (w *matrixWorld) addRecords(t *testing.T, d *store.DB, data tourData) {
	t.Helper()
	s := w.apiSite
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	if err := d.SetCalendarOverride(cli, calendar.Override{Date: calendar.NewDate(2026, 12, 29), Working: false, Title: "Office closed"}); err != nil {
		t.Fatal(err)
	}
	// The case: the tour's responded case with an internal review and an ICO complaint, and a document.
	fmt.Sscan(w.query(t, "SELECT MIN(case_id) FROM ico_appeals"), &w.caseID)
	if res := s.upload("dfe-officer", w.caseID, "briefing.pdf", minimalPDF, nil); res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	k := s.caseConsultation(data.represented.ID)
	if res := s.attach("ho-liaison", k.ID, "opinion.pdf", minimalPDF, nil); res.StatusCode != http.StatusCreated {
		t.Fatalf("attach: %d", res.StatusCode)
	}
	// A proposed disclosure-log entry whose summary names a phone number, so that it has a flag to resolve.
	flagged := s.mustCreateCase("dfe-officer")
	s.mustPost("dfe-dm", fmt.Sprintf("/api/v1/cases/%d/response", flagged.ID), partialBody())
	s.mustPost("dfe-dm", fmt.Sprintf("/api/v1/cases/%d/disclosure-log", flagged.ID), map[string]any{
		"title": "School places", "summary": "Asked by a parent on 07700 900123 about school places.",
		"released_text": "Places in 2025: 1,204."})
	// A consultation held as a draft, for the draft and send forms.
	held := newCaseBodyTouching("cid-person-records")
	held["hold_consultations_as_draft"] = true
	if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", held, nil); res.StatusCode != http.StatusCreated {
		t.Fatalf("create a case held as draft: %d", res.StatusCode)
	}
	s.mustPost("dfe-officer", "/api/v1/retention/holds", map[string]any{"case_id": data.waiting.ID, "reasons": "Court case."})
	// A user for the admin pages to act on, so that deactivating them does not sign a role out.
	if _, _, err := d.CreateUser(cli, foi.NewUser{Email: "spare@test.example", Name: "Sam Spare", Role: foi.RoleOfficer, PartyCode: "DFE", Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	s.mustToken("spare@test.example")
}

// recordIDs fills w.ids and w.at with the ids of real records.
func (w *matrixWorld) recordIDs(t *testing.T, data tourData) {
	t.Helper()
	q := func(query string, args ...any) string { return w.query(t, query, args...) }
	k := w.caseConsultation(data.represented.ID)
	published := q("SELECT MIN(id) FROM disclosure_log_entries WHERE status = 'published'")
	entry := q("SELECT MIN(id) FROM disclosure_log_entries WHERE status = 'proposed'")
	spare := q("SELECT id FROM users WHERE email = 'spare@test.example'")
	caseID := fmt.Sprint(w.caseID)
	w.ids = map[string]string{
		"/cases/:id":                             caseID,
		"/cases/:id/documents/:docID":            q("SELECT MAX(id) FROM documents WHERE case_id = $1", w.caseID),
		"/cases/:id/letters/:key":                "acknowledgement",
		"/letter-templates/:key":                 "acknowledgement",
		"/templates/:key":                        "acknowledgement",
		"/consultations/:id":                     fmt.Sprint(k.ID),
		"/consultations/:id/attachments/:attID":  q("SELECT MIN(id) FROM representation_attachments"),
		"/disputes/:id":                          q("SELECT MIN(id) FROM disputes WHERE consultation_id = $1", k.ID),
		"/incidents/:id":                         q("SELECT MIN(id) FROM incidents"),
		"/disclosure-log/entries/:id":            entry,
		"/disclosure-log/entries/:id/flags/:seq": q("SELECT MIN(seq) FROM disclosure_log_flags WHERE entry_id = $1", entry),
		"/disclosure-log/:id":                    published,
		"/disclosure-log/:id/documents/:docID":   q("SELECT MIN(document_id) FROM disclosure_log_documents WHERE entry_id = $1", published),
		"/contacts/:id":                          q("SELECT MIN(id) FROM contacts"),
		"/parties/:code":                         "HO",
		"/agreements/:code":                      q("SELECT MIN(code) FROM agreements"),
		"/assets/:code":                          "cid-person-records",
		"/exchanges/:ref":                        q("SELECT MIN(reference) FROM exchanges"),
		"/retention/schedules/:type":             "case_file",
		"/retention/holds/:id":                   q("SELECT MIN(id) FROM legal_holds"),
		"/cases/:id/legal-holds/:holdID":         q("SELECT MIN(id) FROM legal_holds"),
		"/users/:id":                             spare,
		"/users/:id/tokens/:tokenID":             q("SELECT MIN(id) FROM api_tokens WHERE user_id = $1", spare),
		"/outbox/:id":                            q("SELECT MIN(id) FROM outbox"),
	}
	// The forms a record's state decides are asked of a record in a state that shows them: the consultation
	// waiting for HO (closable, chasable), the one without a dispute, the draft, the escalated dispute, the
	// published entry.
	waiting := fmt.Sprint(w.caseConsultation(data.waiting.ID).ID)
	w.at = map[string]string{
		"/consultations/:id/close":             waiting,
		"/consultations/:id/chase":             waiting,
		"/consultations/:id/disputes/new":      q("SELECT MIN(id) FROM consultations WHERE id NOT IN (SELECT consultation_id FROM disputes) AND status = 'sent'"),
		"/consultations/:id/draft":             q("SELECT MIN(id) FROM consultations WHERE status = 'draft'"),
		"/disputes/:id/formal-notification":    q("SELECT MIN(id) FROM disputes WHERE consultation_id = $1", waiting),
		"/disclosure-log/entries/:id/withdraw": published,
		// The legal hold is on the waiting case (addRecords).
		"/cases/:id/legal-holds/:holdID/release": q("SELECT case_id FROM legal_holds WHERE id = $1", w.ids["/cases/:id/legal-holds/:holdID"]),
	}
	w.at["/consultations/:id/disputes"] = w.at["/consultations/:id/disputes/new"]
	w.at["/consultations/:id/send"] = w.at["/consultations/:id/draft"]
}

// scope returns the foi.Scope of the records of kind k.
func (w *matrixWorld) scope(k scopeKind) foi.Scope {
	switch k {
	case caseScope:
		return foi.Scope{OwnerPartyID: w.dfe}
	case consultationScope:
		return foi.Scope{OwnerPartyID: w.dfe, ConsultedPartyID: w.ho}
	}
	return foi.Scope{}
}

// fill returns a route pattern with the ids of real records: each parameter is looked up in w.ids by the
// pattern up to it, without /api/v1 or /admin ("/consultations/:id/attachments/:attID").
func (w *matrixWorld) fill(t *testing.T, pattern string) string {
	t.Helper()
	prefix := "/api/v1"
	if !strings.HasPrefix(pattern, prefix+"/") {
		prefix = "/admin"
	}
	rest, cut := strings.CutPrefix(pattern, prefix+"/")
	if !cut {
		prefix, rest = "", strings.TrimPrefix(pattern, "/")
	}
	parts := strings.Split(rest, "/")
	out := slices.Clone(parts)
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") {
			continue
		}
		key := "/" + strings.Join(parts[:i+1], "/")
		v, ok := w.ids[key]
		if at, state := w.at[pattern]; state && p == ":id" {
			v, ok = at, true
		}
		if !ok {
			t.Errorf("%s: no record for %s: add one to newMatrixWorld", pattern, key)
			v = "0"
		}
		out[i] = v
	}
	return prefix + "/" + strings.Join(out, "/")
}

// routes returns the server's routes, in a stable order.
func (w *matrixWorld) routes(t *testing.T) []gin.RouteInfo {
	t.Helper()
	e, ok := w.srv.Config.Handler.(*gin.Engine)
	if !ok {
		t.Fatalf("the handler is a %T", w.srv.Config.Handler)
	}
	rs := e.Routes()
	slices.SortFunc(rs, func(a, b gin.RouteInfo) int { return strings.Compare(a.Path+" "+a.Method, b.Path+" "+b.Method) })
	return rs
}

// volatileTables change when a request is only authenticated (a token's or session's last use, a failed
// sign-in counted), not when anything is done. The audit log is checked apart (see newAudit).
var volatileTables = []string{"api_tokens", "sessions", "goose_db_version", "signin_failures", "audit_events", "audit_head"}

// readActions are the audit actions of reads: every read of a record is audited, so a request refused after
// reading what the user may read (a case an auditor may see, before refusing its change form) appends one.
var readActions = []string{"case.read", "case.history.read", "consultation.read", "dispute.read", "dispute.list",
	"incident.read", "requester.read", "response.read", "case.internal_review.read", "case.ico_appeal.read",
	"disclosure_log.view", "retention.due"}

// auditSeq returns the newest audit event's sequence number.
func auditSeq(t testing.TB, raw *sql.DB) int64 {
	t.Helper()
	var seq int64
	if err := raw.QueryRow("SELECT COALESCE(MAX(seq), 0) FROM audit_events").Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

// newAudit returns the audit events after seq other than reads by the user with id userID, as "action detail".
func newAudit(t testing.TB, raw *sql.DB, seq, userID int64) []string {
	t.Helper()
	rows, err := raw.Query("SELECT action, actor_id, detail FROM audit_events WHERE seq > $1 ORDER BY seq", seq)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var action, detail string
		var actor int64
		if err := rows.Scan(&action, &actor, &detail); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(readActions, action) || actor != userID {
			out = append(out, action+" "+detail)
		}
	}
	return out
}

// fingerprint returns a digest of every table's rows, by table: any write shows as a changed digest.
func (w *matrixWorld) fingerprint(t *testing.T) map[string]string {
	t.Helper()
	list := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if w.engine != "sqlite" {
		list = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	rows, err := w.raw.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(volatileTables, name) {
			tables = append(tables, name)
		}
	}
	rows.Close()
	out := map[string]string{}
	for _, table := range tables {
		out[table] = tableDigest(t, w.raw, table)
	}
	return out
}

// tableDigest returns the SHA-256 of a table's rows, in a stable order.
func tableDigest(t testing.TB, raw *sql.DB, table string) string {
	t.Helper()
	rows, err := raw.Query("SELECT * FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%q", vals))
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

// changedTables returns the tables whose digests differ.
func changedTables(before, after map[string]string) []string {
	var out []string
	for table, d := range after {
		if before[table] != d {
			out = append(out, table)
		}
	}
	slices.Sort(out)
	return out
}

// rolesRefusedFirst returns the matrix's roles, those the rule refuses first, so that nothing an allowed role
// changes can hide a refusal.
func (w *matrixWorld) rolesRefusedFirst(rule accessRule) []string {
	roles := slices.Clone(matrixRoles)
	allowed := func(who string) int {
		if rule(w, w.users[who]) == nil {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(roles, func(a, b string) int { return allowed(a) - allowed(b) })
	return roles
}

// ask makes one request of the matrix as who, checks its answer against the rule and returns its status: an
// allowed role gets an answer about the request (or 404 when movedOn: an allowed role before it changed the
// record so that this request no longer applies, like a draft already sent); a refused role gets the status of foi's refusal (or any of 403 and 404 when html,
// as the pages answer 404 for every refusal that would otherwise tell a record exists) and the database is
// exactly as before.
func (w *matrixWorld) ask(t *testing.T, rule accessRule, who, method, path string, html, movedOn bool, send func() int) int {
	t.Helper()
	refusal := rule(w, w.users[who])
	want := wantStatus(refusal)
	var before snapshot
	if want != 0 {
		before = w.snapshot(t)
	}
	got := send()
	switch {
	case want == 0 && !allowedAnswer(got) && !(movedOn && got == http.StatusNotFound):
		t.Errorf("%s %s as %s: %d, want an answer about the request (foi allows it)", method, path, who, got)
	case want != 0 && html && got != http.StatusNotFound && got != http.StatusForbidden:
		t.Errorf("%s %s as %s: %d, want 404 or 403 (%v)", method, path, who, got, refusal)
	case want != 0 && !html && got != want:
		t.Errorf("%s %s as %s: %d, want %d (%v)", method, path, who, got, want, refusal)
	}
	if want != 0 {
		w.checkUnchanged(t, before, who, fmt.Sprintf("%s %s as %s was refused (%d) but", method, path, who, got))
	}
	return got
}

// snapshot is the database before a request: its tables' digests and the newest audit event.
type snapshot struct {
	tables map[string]string
	seq    int64
}

func (w *matrixWorld) snapshot(t *testing.T) snapshot {
	return snapshot{w.fingerprint(t), auditSeq(t, w.raw)}
}

// checkUnchanged fails the test, saying what, when a table changed since before or something other than a
// read by who was audited.
func (w *matrixWorld) checkUnchanged(t *testing.T, before snapshot, who, what string) {
	t.Helper()
	if changed := changedTables(before.tables, w.fingerprint(t)); len(changed) > 0 {
		t.Errorf("%s changed %v", what, changed)
	}
	if audited := newAudit(t, w.raw, before.seq, w.users[who].ID); len(audited) > 0 {
		t.Errorf("%s audited %v", what, audited)
	}
}

// changes reports whether an answer of an allowed role to a request of method changed something.
func changes(method string, status int) bool {
	return method != http.MethodGet && status >= 200 && status < 400
}

// Every API endpoint, asked by every role with the ids of real records and a well-formed request, answers as
// foi's permission rules say: a role foi allows gets an answer about the request (2xx, or a 4xx about the body
// or the record's state); a role foi refuses gets the refusal's status (404 where it may not know the record
// exists, 403 where it may see it but not do this), and the database is then exactly as before.
func TestRoleMatrix_EveryEndpointAllowsAndRefusesAsFoiCanSays(t *testing.T) {
	forEngines(t, func(t *testing.T, engine string) {
		w := newMatrixWorld(t, engine)
		inputs := w.matrixInputs()
		asked := 0
		for _, r := range w.routes(t) {
			if !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/v1/openapi.json" {
				continue
			}
			rule, ok := apiAccess[r.Method+" "+r.Path]
			if !ok {
				t.Errorf("%s %s has no access rule: add it to apiAccess", r.Method, r.Path)
				continue
			}
			path := w.fill(t, r.Path)
			in := inputs[r.Method+" "+r.Path]
			movedOn := false
			for _, who := range w.rolesRefusedFirst(rule) {
				got := w.ask(t, rule, who, r.Method, path, false, movedOn, func() int { return w.request(who, r.Method, path, in) })
				movedOn = movedOn || changes(r.Method, got) && rule(w, w.users[who]) == nil
				asked++
			}
		}
		if asked < 60*len(matrixRoles) {
			t.Errorf("only %d requests: the route table lost its API", asked)
		}
	})
}

// Every page and form, fetched and posted (with the session's CSRF token and nothing else) by every role signed
// in, answers as foi's permission rules say; a refused post changes nothing.
func TestRoleMatrix_EveryPageAndFormAllowsAndRefusesAsFoiCanSays(t *testing.T) {
	forEngines(t, func(t *testing.T, engine string) {
		w := newMatrixWorld(t, engine)
		asked := 0
		for _, r := range w.routes(t) {
			key := r.Method + " " + r.Path
			if strings.HasPrefix(r.Path, "/api/v1/") || slices.Contains(htmlSkipped, key) {
				continue
			}
			rule, ok := htmlRule(r.Method, r.Path)
			if !ok {
				t.Errorf("%s has no access rule: add it to htmlAccess (or htmlSkipped)", key)
				continue
			}
			path := w.fill(t, r.Path)
			in := htmlInputs[key]
			movedOn := false
			for _, who := range w.rolesRefusedFirst(rule) {
				got := w.ask(t, rule, who, r.Method, path, true, movedOn, func() int {
					w.client = w.browsers[who]
					if r.Method == http.MethodGet {
						res, _ := w.get(path + in.query)
						return res.StatusCode
					}
					form := url.Values{"csrf_token": {w.csrf[who]}}
					for k, v := range in.form {
						form.Set(k, v)
					}
					res, _ := w.post(path, form)
					return res.StatusCode
				})
				movedOn = movedOn || changes(r.Method, got) && rule(w, w.users[who]) == nil
				asked++
			}
		}
		if asked < 80*len(matrixRoles) {
			t.Errorf("only %d requests: the route table lost its pages", asked)
		}
	})
}

// forEngines runs fn on each engine, as storetest.Run does, for tests that open their database themselves.
func forEngines(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) { fn(t, engine) })
	}
}

// wantStatus returns the status foi's refusal maps to (404 for ENOTFOUND, 403 otherwise), or 0 when allowed.
func wantStatus(err error) int {
	switch {
	case err == nil:
		return 0
	case foi.ErrorCode(err) == foi.ENOTFOUND:
		return http.StatusNotFound
	}
	return http.StatusForbidden
}

// allowedAnswer reports whether status answers a request the user may make: done, or refused for what it
// asked (a bad body, a wrong state, a stale version), never for who asked.
func allowedAnswer(status int) bool {
	switch status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired,
		http.StatusUnprocessableEntity, http.StatusUnsupportedMediaType, http.StatusRequestEntityTooLarge:
		return true
	}
	return status >= 200 && status < 400
}

// request makes the matrix's request to path as who, with the API token, and returns the status.
func (w *matrixWorld) request(who, method, path string, in matrixInput) int {
	w.t.Helper()
	if in.file != nil {
		ct, body := multipartBody(w.t, "opinion.pdf", in.file)
		res, _ := w.do(method, path+in.query, bytes.NewReader(body),
			map[string]string{"Authorization": "Bearer " + w.tokens[who], "Content-Type": ct})
		return res.StatusCode
	}
	body := in.body
	if body == nil && method != http.MethodGet {
		body = map[string]any{}
	}
	return w.call(who, method, path+in.query, body, nil).StatusCode
}
