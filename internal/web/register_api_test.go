package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiContact struct {
	ID               int64    `json:"id"`
	Party            string   `json:"party"`
	Name             string   `json:"name"`
	Email            string   `json:"email"`
	Tier             string   `json:"tier"`
	Responsibilities []string `json:"responsibilities"`
	Active           bool     `json:"active"`
}

type apiRegisters struct {
	Parties []struct {
		Code     string       `json:"code"`
		Contacts []apiContact `json:"contacts"`
	} `json:"parties"`
	Agreements []struct {
		Code     string `json:"code"`
		Status   string `json:"status"`
		Versions []struct {
			Version string `json:"version"`
		} `json:"versions"`
	} `json:"agreements"`
	Assets []struct {
		Code    string   `json:"code"`
		Aliases []string `json:"aliases"`
	} `json:"assets"`
}

// newRegisterSite is an apiSite with an admin token as "admin".
func newRegisterSite(t *testing.T, d *store.DB) *apiSite {
	t.Helper()
	s := newAPISite(t, d)
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	u := foi.NewUser{Email: "admin@test.example", Name: "Ad Min", Role: foi.RoleAdmin, Password: testPassword}
	if _, _, err := d.CreateUser(cli, u); err != nil {
		t.Fatal(err)
	}
	s.tokens["admin"] = s.mustToken(u.Email)
	return s
}

func (s *apiSite) registers(who string) apiRegisters {
	s.t.Helper()
	var r apiRegisters
	if res := s.call(who, http.MethodGet, "/api/v1/registers", nil, &r); res.StatusCode != http.StatusOK {
		s.t.Fatalf("registers: %d", res.StatusCode)
	}
	return r
}

func (r apiRegisters) contacts() int {
	n := 0
	for _, p := range r.Parties {
		n += len(p.Contacts)
	}
	return n
}

func (r apiRegisters) versions(code string) int {
	for _, a := range r.Agreements {
		if a.Code == code {
			return len(a.Versions)
		}
	}
	return -1
}

func newContactBody() map[string]any {
	return map[string]any{"party": "HO", "name": "Harriet Escalation", "email": "Harriet.Escalation@homeoffice.test",
		"tier": "escalation", "responsibilities": []string{"foi", "legal"}}
}

func newVersionBody() map[string]any {
	return map[string]any{"version": "9.1", "issued_on": "2026-02-01", "summary": "Annex 5 refreshed."}
}

func fieldsOf(p apiProblem) map[string]bool {
	got := map[string]bool{}
	for _, e := range p.Errors {
		got[e.Field] = true
	}
	return got
}

func TestRegisterAPI_AnyoneReadsAndAnAdminAddsAContactAndAVersion(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newRegisterSite(t, d)
		before := s.registers("ho-liaison")
		if len(before.Parties) != 2 || len(before.Assets) == 0 || before.versions("DFE-HO-MOU") <= 0 {
			t.Fatalf("registers %+v", before)
		}
		var ct apiContact
		res := s.call("admin", http.MethodPost, "/api/v1/contacts", newContactBody(), &ct)
		if res.StatusCode != http.StatusCreated || ct.ID == 0 || ct.Party != "HO" ||
			ct.Email != "harriet.escalation@homeoffice.test" || !ct.Active {
			t.Fatalf("create contact: %d %+v", res.StatusCode, ct)
		}
		var ag struct {
			Code     string
			Versions []struct{ Version string }
		}
		if res := s.call("admin", http.MethodPost, "/api/v1/agreements/DFE-HO-MOU/versions", newVersionBody(), &ag); res.StatusCode != http.StatusCreated {
			t.Fatalf("add version: %d", res.StatusCode)
		}
		after := s.registers("dfe-officer")
		if after.contacts() != before.contacts()+1 || after.versions("DFE-HO-MOU") != before.versions("DFE-HO-MOU")+1 {
			t.Fatalf("contacts %d -> %d, versions %d -> %d", before.contacts(), after.contacts(),
				before.versions("DFE-HO-MOU"), after.versions("DFE-HO-MOU"))
		}
		// Duplicates conflict; the contact is replaced in place.
		if res := s.call("admin", http.MethodPost, "/api/v1/contacts", newContactBody(), nil); res.StatusCode != http.StatusConflict {
			t.Errorf("duplicate contact: %d, want 409", res.StatusCode)
		}
		if res := s.call("admin", http.MethodPost, "/api/v1/agreements/DFE-HO-MOU/versions", newVersionBody(), nil); res.StatusCode != http.StatusConflict {
			t.Errorf("duplicate version: %d, want 409", res.StatusCode)
		}
		upd := newContactBody()
		upd["active"] = false
		upd["tier"] = "bau"
		var got apiContact
		if res := s.call("admin", http.MethodPut, "/api/v1/contacts/"+strconv.FormatInt(ct.ID, 10), upd, &got); res.StatusCode != http.StatusOK ||
			got.Active || got.Tier != "bau" || got.ID != ct.ID {
			t.Fatalf("replace contact: %d %+v", res.StatusCode, got)
		}
		var agr struct{ Status string }
		if res := s.call("admin", http.MethodPatch, "/api/v1/agreements/DFE-HO-MOU",
			map[string]any{"status": "under_review", "review_on": "2026-12-18"}, &agr); res.StatusCode != http.StatusOK || agr.Status != "under_review" {
			t.Fatalf("patch agreement: %d %+v", res.StatusCode, agr)
		}
		var asset struct {
			Code    string
			Aliases []string
		}
		if res := s.call("admin", http.MethodPost, "/api/v1/assets", map[string]any{"code": "school-census-extract",
			"name": "School census extract", "provider_party": "DFE", "exchange_reference": dfeExchange(t, s),
			"aliases": []string{"census extract", " Census Extract ", ""}}, &asset); res.StatusCode != http.StatusCreated ||
			len(asset.Aliases) != 1 {
			t.Fatalf("create asset: %d %+v", res.StatusCode, asset)
		}
		if res := s.call("admin", http.MethodPut, "/api/v1/assets/school-census-extract/aliases",
			map[string]any{"aliases": []string{"census", "school census"}}, &asset); res.StatusCode != http.StatusOK || len(asset.Aliases) != 2 {
			t.Fatalf("set aliases: %d %+v", res.StatusCode, asset)
		}
	})
}

// dfeExchange returns the reference of an exchange DFE provides.
func dfeExchange(t *testing.T, s *apiSite) string {
	t.Helper()
	var r struct {
		Exchanges []struct {
			Reference     string `json:"reference"`
			ProviderParty string `json:"provider_party"`
		} `json:"exchanges"`
	}
	s.call("admin", http.MethodGet, "/api/v1/registers", nil, &r)
	for _, x := range r.Exchanges {
		if x.ProviderParty == "DFE" {
			return x.Reference
		}
	}
	t.Fatal("no DFE exchange")
	return ""
}

func TestRegisterAPI_NonAdminsGet403AndNothingChanges(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newRegisterSite(t, d)
		before := s.registers("dfe-officer")
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPost, "/api/v1/contacts", newContactBody()},
			{http.MethodPut, "/api/v1/contacts/1", newContactBody()},
			{http.MethodPost, "/api/v1/agreements/DFE-HO-MOU/versions", newVersionBody()},
			{http.MethodPatch, "/api/v1/agreements/DFE-HO-MOU", map[string]any{"status": "terminated"}},
			{http.MethodPost, "/api/v1/assets", map[string]any{"code": "x-y", "name": "X", "provider_party": "DFE", "exchange_reference": "nope"}},
			{http.MethodPut, "/api/v1/assets/npd-pupil-matches/aliases", map[string]any{"aliases": []string{}}},
		} {
			for _, who := range []string{"dfe-officer", "dfe-dm", "ho-liaison"} {
				var p apiProblem
				if res := s.call(who, req.method, req.path, req.body, &p); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s %s: %d, want 403", who, req.method, req.path, res.StatusCode)
				}
			}
		}
		after := s.registers("dfe-officer")
		if after.contacts() != before.contacts() || after.versions("DFE-HO-MOU") != before.versions("DFE-HO-MOU") ||
			after.Agreements[0].Status != before.Agreements[0].Status {
			t.Fatalf("registers changed: %+v -> %+v", before, after)
		}
		if res := s.call("admin", http.MethodPost, "/api/v1/asset-suggestions", map[string]any{"request_text": "pupil data"}, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("admin suggestions: %d, want 403", res.StatusCode)
		}
	})
}

func TestRegisterAPI_BadInputGets422NamingTheField(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newRegisterSite(t, d)
		before := s.registers("admin")
		badEmail := newContactBody()
		badEmail["email"] = "harriet at home office"
		unknownParty := newContactBody()
		unknownParty["party"] = "MOJ"
		for _, tc := range []struct {
			name, method, path string
			body               any
			fields             []string
		}{
			{"invalid email", http.MethodPost, "/api/v1/contacts", badEmail, []string{"email"}},
			{"unknown party", http.MethodPost, "/api/v1/contacts", unknownParty, []string{"party"}},
			{"bad contact", http.MethodPost, "/api/v1/contacts", map[string]any{"party": "HO", "tier": "gold",
				"responsibilities": []string{"cake"}}, []string{"name", "email", "tier", "responsibilities"}},
			{"bad version", http.MethodPost, "/api/v1/agreements/DFE-HO-MOU/versions", map[string]any{"issued_on": "2026-02-31"},
				[]string{"issued_on"}},
			{"bad status", http.MethodPatch, "/api/v1/agreements/DFE-HO-MOU", map[string]any{"status": "paused"}, []string{"status"}},
			{"bad asset", http.MethodPost, "/api/v1/assets", map[string]any{"code": "Pupil Data", "provider_party": "MOJ",
				"exchange_reference": "NOPE-1"}, []string{"code", "name", "provider_party", "exchange_reference"}},
			{"no text", http.MethodPost, "/api/v1/asset-suggestions", map[string]any{"request_text": " "}, []string{"request_text"}},
		} {
			who := "admin"
			if tc.path == "/api/v1/asset-suggestions" {
				who = "dfe-officer"
			}
			var p apiProblem
			res := s.call(who, tc.method, tc.path, tc.body, &p)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %+v, want 422", tc.name, res.StatusCode, p)
				continue
			}
			got := fieldsOf(p)
			for _, f := range tc.fields {
				if !got[f] {
					t.Errorf("%s: no error for %s in %+v", tc.name, f, p.Errors)
				}
			}
		}
		if res := s.call("admin", http.MethodPut, "/api/v1/contacts/999999", newContactBody(), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown contact: %d, want 404", res.StatusCode)
		}
		if res := s.call("admin", http.MethodPost, "/api/v1/agreements/NOPE/versions", newVersionBody(), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown agreement: %d, want 404", res.StatusCode)
		}
		after := s.registers("admin")
		if after.contacts() != before.contacts() || len(after.Assets) != len(before.Assets) {
			t.Fatalf("bad input changed the registers")
		}
	})
}

func TestRegisterAPI_SuggestionsNameTheAssetAndWhetherToConsult(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newRegisterSite(t, d)
		text := "How many requests did the Home Office make to the DfE for pupil data in 2016?"
		for who, consult := range map[string]bool{"ho-officer": true, "dfe-officer": false, "dfe-dm": false} {
			var out struct {
				Items []struct {
					Code                 string   `json:"code"`
					ProviderParty        string   `json:"provider_party"`
					Phrases              []string `json:"phrases"`
					RequiresConsultation bool     `json:"requires_consultation"`
				} `json:"items"`
			}
			if res := s.call(who, http.MethodPost, "/api/v1/asset-suggestions", map[string]any{"request_text": text}, &out); res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", who, res.StatusCode)
			}
			found := false
			for _, it := range out.Items {
				if it.Code == "npd-pupil-matches" {
					found = true
					if it.RequiresConsultation != consult || it.ProviderParty != "DFE" || len(it.Phrases) == 0 {
						t.Errorf("%s: %+v, want requires_consultation %v", who, it, consult)
					}
				}
			}
			if !found {
				t.Errorf("%s: npd-pupil-matches not suggested in %+v", who, out.Items)
			}
		}
		if res := s.call("ho-liaison", http.MethodPost, "/api/v1/asset-suggestions", map[string]any{"request_text": text}, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("liaison: %d, want 403", res.StatusCode)
		}
	})
}
