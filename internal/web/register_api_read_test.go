package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiExchange struct {
	Reference      string  `json:"reference"`
	Agreement      string  `json:"agreement"`
	ProviderParty  string  `json:"provider_party"`
	RecipientParty string  `json:"recipient_party"`
	Title          string  `json:"title"`
	ReviewOn       *string `json:"review_on"`
	ReviewedOn     *string `json:"reviewed_on"`
}

func newExchangeBody() map[string]any {
	return map[string]any{"reference": "MOU-A6-DFE-HO", "agreement": "DFE-HO-MOU", "title": "School census extract",
		"provider_party": "DFE", "recipient_party": "HO", "legal_basis": "Education Act 1996 s.537A",
		"business_owner": "Deputy Director, Data", "start_on": "2026-02-01", "review_on": "2026-08-01"}
}

func TestRegisterAPI_ReadOneEntryOfEachRegister(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newRegisterSite(t, d)
		var ag struct {
			Code      string        `json:"code"`
			Versions  []any         `json:"versions"`
			Exchanges []apiExchange `json:"exchanges"`
		}
		if res := s.call("ho-liaison", http.MethodGet, "/api/v1/agreements/DFE-HO-MOU", nil, &ag); res.StatusCode != http.StatusOK ||
			ag.Code != "DFE-HO-MOU" || len(ag.Versions) == 0 || len(ag.Exchanges) != 2 {
			t.Fatalf("agreement: %d %+v", res.StatusCode, ag)
		}
		var x apiExchange
		if res := s.call("dfe-officer", http.MethodGet, "/api/v1/exchanges/MOU-A5-DFE-HO", nil, &x); res.StatusCode != http.StatusOK ||
			x.ProviderParty != "DFE" || x.RecipientParty != "HO" || x.Agreement != "DFE-HO-MOU" || x.ReviewedOn != nil {
			t.Fatalf("exchange: %d %+v", res.StatusCode, x)
		}
		var a struct {
			Code              string   `json:"code"`
			ExchangeReference string   `json:"exchange_reference"`
			Aliases           []string `json:"aliases"`
		}
		if res := s.call("dfe-dm", http.MethodGet, "/api/v1/assets/cid-person-records", nil, &a); res.StatusCode != http.StatusOK ||
			a.ExchangeReference != "MOU-A5-HO-DFE" || len(a.Aliases) == 0 {
			t.Fatalf("asset: %d %+v", res.StatusCode, a)
		}
		var ct apiContact
		if res := s.call("admin", http.MethodPost, "/api/v1/contacts", newContactBody(), &ct); res.StatusCode != http.StatusCreated {
			t.Fatalf("create contact: %d", res.StatusCode)
		}
		var got apiContact
		if res := s.call("ho-liaison", http.MethodGet, "/api/v1/contacts/"+strconv.FormatInt(ct.ID, 10), nil, &got); res.StatusCode != http.StatusOK ||
			got.ID != ct.ID || got.Party != "HO" || got.Email != ct.Email || got.Tier != "escalation" || !got.Active ||
			len(got.Responsibilities) != 2 {
			t.Fatalf("contact: %d %+v", res.StatusCode, got)
		}
		for _, path := range []string{"/api/v1/agreements/NOPE", "/api/v1/exchanges/NOPE", "/api/v1/assets/nope",
			"/api/v1/contacts/999999"} {
			if res := s.call("dfe-officer", http.MethodGet, path, nil, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, res.StatusCode)
			}
		}
		if res := s.call("dfe-officer", http.MethodGet, "/api/v1/contacts/x", nil, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("contact x: %d, want 404", res.StatusCode)
		}
		if res := s.call("nobody", http.MethodGet, "/api/v1/agreements/DFE-HO-MOU", nil, nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("no token: %d, want 401", res.StatusCode)
		}
	})
}

func TestRegisterAPI_AdminsCreateAndChangeExchangesWithinTheReviewRule(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newRegisterSite(t, d)
		for _, who := range []string{"dfe-officer", "dfe-dm", "ho-liaison"} {
			if res := s.call(who, http.MethodPost, "/api/v1/exchanges", newExchangeBody(), nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s creates: %d, want 403", who, res.StatusCode)
			}
			if res := s.call(who, http.MethodPatch, "/api/v1/exchanges/MOU-A5-DFE-HO", map[string]any{"title": "x"}, nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s changes: %d, want 403", who, res.StatusCode)
			}
		}
		badDates := newExchangeBody()
		badDates["start_on"], badDates["review_on"] = "2026-02-30", "soon"
		lateReview := newExchangeBody()
		lateReview["review_on"] = "2026-08-02"
		sameParty := newExchangeBody()
		sameParty["recipient_party"], sameParty["agreement"] = "DFE", "NOPE"
		for _, tc := range []struct {
			name   string
			body   map[string]any
			fields []string
		}{
			{"bad dates", badDates, []string{"start_on", "review_on"}},
			{"review after 6 months", lateReview, []string{"review_on"}},
			{"same party, unknown agreement", sameParty, []string{"recipient_party", "agreement"}},
			{"empty", map[string]any{}, []string{"reference", "agreement", "title", "provider_party", "recipient_party",
				"legal_basis", "business_owner", "start_on"}},
		} {
			var p apiProblem
			if res := s.call("admin", http.MethodPost, "/api/v1/exchanges", tc.body, &p); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", tc.name, res.StatusCode)
				continue
			}
			got := fieldsOf(p)
			for _, f := range tc.fields {
				if !got[f] {
					t.Errorf("%s: no error for %s in %+v", tc.name, f, p.Errors)
				}
			}
		}
		if res := s.call("admin", http.MethodGet, "/api/v1/exchanges/MOU-A6-DFE-HO", nil, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("a refused exchange exists: %d", res.StatusCode)
		}

		var x apiExchange
		res := s.call("admin", http.MethodPost, "/api/v1/exchanges", newExchangeBody(), &x)
		if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != "/api/v1/exchanges/MOU-A6-DFE-HO" ||
			x.ReviewOn == nil || *x.ReviewOn != "2026-08-01" {
			t.Fatalf("create: %d %+v", res.StatusCode, x)
		}
		if res := s.call("admin", http.MethodPost, "/api/v1/exchanges", newExchangeBody(), nil); res.StatusCode != http.StatusConflict {
			t.Errorf("duplicate: %d, want 409", res.StatusCode)
		}
		// A review is recorded and the next one set within 6 months of it.
		if res := s.call("admin", http.MethodPatch, "/api/v1/exchanges/MOU-A6-DFE-HO",
			map[string]any{"reviewed_on": "2026-07-31", "review_on": "2027-01-31"}, &x); res.StatusCode != http.StatusOK ||
			x.ReviewedOn == nil || *x.ReviewedOn != "2026-07-31" || *x.ReviewOn != "2027-01-31" {
			t.Fatalf("review: %d %+v", res.StatusCode, x)
		}
		for _, body := range []map[string]any{{"review_on": "2027-02-01"}, {"provider_party": "HO"}, {"reviewed_on": "2026-01-01"}} {
			if res := s.call("admin", http.MethodPatch, "/api/v1/exchanges/MOU-A6-DFE-HO", body, nil); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("patch %v: %d, want 422", body, res.StatusCode)
			}
		}
		if res := s.call("admin", http.MethodPatch, "/api/v1/exchanges/NOPE", map[string]any{"title": "x"}, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown exchange: %d, want 404", res.StatusCode)
		}
		var after apiExchange
		s.call("admin", http.MethodGet, "/api/v1/exchanges/MOU-A6-DFE-HO", nil, &after)
		if *after.ReviewOn != "2027-01-31" || *after.ReviewedOn != "2026-07-31" || after.ProviderParty != "DFE" || after.Title != "School census extract" {
			t.Fatalf("refused changes changed the exchange: %+v", after)
		}
	})
}
