package web_test

import (
	"net/http"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestPreferencesAPI_UserSetsTheirOwnDigest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var p struct {
			Digest bool `json:"digest"`
		}
		if res := s.call("dfe-dm", http.MethodGet, "/api/v1/me/preferences", nil, &p); res.StatusCode != http.StatusOK || p.Digest {
			t.Fatalf("default: %d %+v", res.StatusCode, p)
		}
		if res := s.call("dfe-dm", http.MethodPut, "/api/v1/me/preferences", map[string]any{"digest": true}, &p); res.StatusCode != http.StatusOK || !p.Digest {
			t.Fatalf("set: %d %+v", res.StatusCode, p)
		}
		p.Digest = false
		if res := s.call("dfe-dm", http.MethodGet, "/api/v1/me/preferences", nil, &p); res.StatusCode != http.StatusOK || !p.Digest {
			t.Fatalf("after set: %d %+v", res.StatusCode, p)
		}
		// Another user's preference is their own.
		if res := s.call("ho-officer", http.MethodGet, "/api/v1/me/preferences", nil, &p); res.StatusCode != http.StatusOK || p.Digest {
			t.Fatalf("other user: %d %+v", res.StatusCode, p)
		}
		var prob apiProblem
		if res := s.call("dfe-dm", http.MethodPut, "/api/v1/me/preferences", map[string]any{}, &prob); res.StatusCode != http.StatusUnprocessableEntity ||
			len(prob.Errors) != 1 || prob.Errors[0].Field != "digest" {
			t.Fatalf("missing digest: %d %+v", res.StatusCode, prob)
		}
		if res := s.call("nobody", http.MethodGet, "/api/v1/me/preferences", nil, &prob); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("no token: %d", res.StatusCode)
		}
	})
}
