package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestAdminParties_AddRenameAndBadInputChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		_, index := s.get("/admin")
		wantText(t, index, `href="/admin/parties"`)
		_, list := s.get("/admin/parties")
		wantText(t, list, `href="/admin/parties/new"`, `id="party-DFE"`, `id="party-HO"`, `href="/admin/parties/HO"`)

		before := auditEvents(t, d)
		res, body := s.submit("/admin/parties/new", url.Values{"code": {"d-1"}, "name": {"  "}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"code", "name"}, `value="d-1"`)
		res, body = s.submit("/admin/parties/new", url.Values{"code": {"dfe"}, "name": {"Second DfE"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"code"}, `value="Second DfE"`)
		wantText(t, body, "There is already a party with code DFE.")
		if auditEvents(t, d) != before {
			t.Error("a refused party changed something")
		}

		page := s.mustSubmit("/admin/parties/new", url.Values{"code": {" dwp "}, "name": {"Department for Work and Pensions"}},
			"Party Department for Work and Pensions (DWP) added.")
		wantText(t, page, `id="party-DWP"`, "Department for Work and Pensions")
		p, err := d.FindParty(cliContext(), "DWP")
		if err != nil || p.Name != "Department for Work and Pensions" {
			t.Fatalf("stored: %+v %v", p, err)
		}

		_, form := s.get("/admin/parties/DWP")
		wantText(t, form, `value="Department for Work and Pensions"`, `action="/admin/parties/DWP"`)
		if strings.Contains(form, `id="code"`) {
			t.Error("the code can be changed on the edit form")
		}
		before = auditEvents(t, d)
		res, body = s.submit("/admin/parties/DWP", url.Values{"name": {""}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"name"})
		if p, _ := d.FindParty(cliContext(), "DWP"); p.Name != "Department for Work and Pensions" || auditEvents(t, d) != before {
			t.Error("a refused rename changed the party")
		}
		s.mustSubmit("/admin/parties/DWP", url.Values{"name": {"DWP"}}, "Party DWP (DWP) changed.")
		if p, _ := d.FindParty(cliContext(), "DWP"); p.Name != "DWP" {
			t.Errorf("after rename: %+v", p)
		}
		if res, _ := s.get("/admin/parties/NOPE"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown party: %d", res.StatusCode)
		}

		// Nobody but an admin may post.
		s.as("officer@test.example")
		before = auditEvents(t, d)
		if res, _ := s.send("/", "/admin/parties/new", url.Values{"code": {"ZZ"}, "name": {"Sneaky"}}); res.StatusCode != http.StatusNotFound ||
			auditEvents(t, d) != before {
			t.Errorf("officer adds a party: %d", res.StatusCode)
		}
	})
}
