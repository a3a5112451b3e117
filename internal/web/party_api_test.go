package web_test

import (
	"net/http"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiParty struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func TestPartyAPI_AdminsAddAndRenameEveryoneReadsBadInputIs422DuplicateIs409(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		if _, _, err := d.CreateUser(cliContext(), foi.NewUser{Email: "admin@test.example", Name: "Ann Admin",
			Role: foi.RoleAdmin, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		s.tokens["admin"] = s.mustToken("admin@test.example")

		var p apiProblem
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/parties", map[string]any{"code": "DWP", "name": "DWP"}, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("officer creates: %d", res.StatusCode)
		}
		p = apiProblem{}
		if res := s.call("admin", http.MethodPost, "/api/v1/parties", map[string]any{"code": "d-1", "name": " "}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 2 || p.Errors[0].Field != "code" || p.Errors[1].Field != "name" {
			t.Fatalf("bad party: %d %v", res.StatusCode, fieldsOf(p))
		}
		if res := s.call("admin", http.MethodPost, "/api/v1/parties", map[string]any{"code": "DWP", "colour": "red"}, &p); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unknown field: %d", res.StatusCode)
		}
		var made apiParty
		res := s.call("admin", http.MethodPost, "/api/v1/parties", map[string]any{"code": "dwp", "name": "Department for Work and Pensions"}, &made)
		if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != "/api/v1/parties/DWP" || made.Code != "DWP" {
			t.Fatalf("create: %d %q %+v", res.StatusCode, res.Header.Get("Location"), made)
		}
		p = apiProblem{}
		if res := s.call("admin", http.MethodPost, "/api/v1/parties", map[string]any{"code": "DWP", "name": "Again"}, &p); res.StatusCode != http.StatusConflict {
			t.Fatalf("duplicate: %d", res.StatusCode)
		}

		// Anyone signed in reads them; nobody else.
		var list struct{ Items []apiParty }
		if res := s.call("ho-liaison", http.MethodGet, "/api/v1/parties", nil, &list); res.StatusCode != http.StatusOK ||
			len(list.Items) != 3 || list.Items[1] != (apiParty{"DWP", "Department for Work and Pensions"}) {
			t.Fatalf("list: %d %+v", res.StatusCode, list)
		}
		var one apiParty
		if res := s.call("dfe-auditor", http.MethodGet, "/api/v1/parties/dwp", nil, &one); res.StatusCode != http.StatusOK || one.Code != "DWP" {
			t.Fatalf("get: %d %+v", res.StatusCode, one)
		}
		if res := s.call("dfe-auditor", http.MethodGet, "/api/v1/parties/NOPE", nil, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("get unknown: %d", res.StatusCode)
		}
		if res := s.call("nobody", http.MethodGet, "/api/v1/parties", nil, &p); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("no token: %d", res.StatusCode)
		}

		// Renaming: admins only, the code never changes.
		if res := s.call("dfe-dm", http.MethodPatch, "/api/v1/parties/DWP", map[string]any{"name": "X"}, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("dm renames: %d", res.StatusCode)
		}
		p = apiProblem{}
		if res := s.call("admin", http.MethodPatch, "/api/v1/parties/DWP", map[string]any{"code": "DWX", "name": "X"}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 1 || p.Errors[0].Field != "code" {
			t.Fatalf("code change: %d %v", res.StatusCode, fieldsOf(p))
		}
		p = apiProblem{}
		if res := s.call("admin", http.MethodPatch, "/api/v1/parties/DWP", map[string]any{"name": ""}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 1 || p.Errors[0].Field != "name" {
			t.Fatalf("empty name: %d %v", res.StatusCode, fieldsOf(p))
		}
		if res := s.call("admin", http.MethodPatch, "/api/v1/parties/NOPE", map[string]any{"name": "Nobody"}, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("rename unknown: %d", res.StatusCode)
		}
		if res := s.call("admin", http.MethodPatch, "/api/v1/parties/dwp", map[string]any{"name": "DWP"}, &one); res.StatusCode != http.StatusOK ||
			one != (apiParty{"DWP", "DWP"}) {
			t.Fatalf("rename: %d %+v", res.StatusCode, one)
		}
		if res := s.call("admin", http.MethodGet, "/api/v1/parties/DWP", nil, &one); res.StatusCode != http.StatusOK || one.Name != "DWP" {
			t.Fatalf("after rename: %+v", one)
		}
		if n := auditCount(t, d, "register.party.create"); n != 1 {
			t.Errorf("creates audited %d times", n)
		}
		if n := auditCount(t, d, "register.party.update"); n != 1 {
			t.Errorf("renames audited %d times", n)
		}
	})
}
