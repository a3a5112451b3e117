package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// bodyCheckedFirst are the endpoints that answer a malformed request (an empty body, a missing query) with
// 400 or 422 before asking who asks, so that a role foi refuses learns the request's shape before being
// refused (it changes nothing either way). Every other endpoint refuses by who asks first; this list may only
// shrink.
var bodyCheckedFirst = []string{
	"PATCH /api/v1/disclosure-log/entries/:id",   // the draft checked before the entry's party
	"POST /api/v1/cases/:id/disclosure-log",      // the draft checked before the case's party
	"POST /api/v1/cases/:id/documents",           // another party's officer: the upload is read before the case's party
	"POST /api/v1/consultations/:id/attachments", // as documents
	"POST /api/v1/retention/holds",               // another party's officer: the body names the case to refuse on
}

// Every API endpoint, asked by every role with an empty body and the ids of real records, answers with a
// decision (2xx, or a 4xx problem naming why) and never a server error; when foi refuses the role, the answer
// is 403 or 404 (400 or 422 for bodyCheckedFirst) and the database is exactly as before, whatever the body
// (role_matrix_access_test.go asks again with well-formed requests and checks which of 403 and 404).
func TestRoleMatrix_EveryEndpointAnswersEveryRoleWithoutAServerError(t *testing.T) {
	forEngines(t, func(t *testing.T, engine string) {
		w := newMatrixWorld(t, engine)
		asked, deviated := 0, map[string]bool{}
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
			for _, who := range w.rolesRefusedFirst(rule) {
				refused := rule(w, w.users[who]) != nil
				var before snapshot
				if refused {
					before = w.snapshot(t)
				}
				got := w.request(who, r.Method, path, matrixInput{})
				asked++
				switch {
				case got >= 500:
					t.Errorf("%s %s as %s: %d", r.Method, path, who, got)
				case refused && (got == http.StatusBadRequest || got == http.StatusUnprocessableEntity) &&
					slices.Contains(bodyCheckedFirst, r.Method+" "+r.Path):
					deviated[r.Method+" "+r.Path] = true
				case refused && got != http.StatusForbidden && got != http.StatusNotFound:
					t.Errorf("%s %s as %s: %d, but foi refuses it: check who asks before the body", r.Method, path, who, got)
				}
				if refused {
					w.checkUnchanged(t, before, who, fmt.Sprintf("%s %s as %s was refused (%d) but", r.Method, path, who, got))
				}
			}
		}
		for _, route := range bodyCheckedFirst {
			if !deviated[route] {
				t.Errorf("%s now refuses an empty body by who asks: remove it from bodyCheckedFirst", route)
			}
		}
		if asked < 60*len(matrixRoles) {
			t.Errorf("only %d requests: the route table lost its API", asked)
		}
		t.Logf("%d requests to %d endpoints as %d roles", asked, asked/len(matrixRoles), len(matrixRoles))
	})
}
