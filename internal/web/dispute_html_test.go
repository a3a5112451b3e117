package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

var disputeLinkRE = regexp.MustCompile(`href="(/disputes/\d+)"`)

func TestDisputePages_RaiseEscalateAndResolveThroughTheForms(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		data := newTourData(t, s)
		k := s.caseConsultation(data.represented.ID)
		packPath := fmt.Sprintf("/consultations/%d", k.ID)

		// HO's dispute is at the business-as-usual step; its liaison escalates it, after a try without reasons.
		s.signIn("liaison@test.example")
		_, pack := s.get(packPath)
		m := disputeLinkRE.FindStringSubmatch(pack)
		if m == nil || !strings.Contains(pack, "Business as usual") || strings.Contains(pack, "Raise a dispute") {
			t.Fatalf("the pack does not list the open dispute:\n%s", pack)
		}
		dispute := m[1]
		res, page := s.get(dispute)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "We object to the release of officer names.") ||
			!strings.Contains(page, dispute+"/escalate") || strings.Contains(page, dispute+"/formal-notification") {
			t.Fatalf("dispute page: %d\n%s", res.StatusCode, page)
		}
		token := s.csrf(dispute + "/escalate")
		res, page = s.post(dispute+"/escalate", url.Values{"csrf_token": {token}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#reasons"`) {
			t.Fatalf("escalating without reasons: %d", res.StatusCode)
		}
		if _, page := s.get(dispute); !strings.Contains(page, `id="dispute-stage">Business as usual<`) {
			t.Fatal("bad input moved the dispute")
		}
		res, _ = s.post(dispute+"/escalate", url.Values{"csrf_token": {token}, "reasons": {"No agreement at BAU level."}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != dispute {
			t.Fatalf("escalate: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, page = s.get(dispute)
		for _, want := range []string{"The dispute was escalated to senior management.", `id="dispute-stage">Escalation<`,
			"No agreement at BAU level.", dispute + "/formal-notification"} {
			if !strings.Contains(page, want) {
				t.Errorf("escalated dispute lacks %q", want)
			}
		}

		// The DFE decision-maker records how it ended; the outcome is required.
		s.signIn("dm@dfe.test")
		token = s.csrf(dispute + "/resolve")
		res, page = s.post(dispute+"/resolve", url.Values{"csrf_token": {token}, "reasons": {"Agreed."}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#outcome"`) {
			t.Fatalf("resolving without an outcome: %d", res.StatusCode)
		}
		res, _ = s.post(dispute+"/resolve", url.Values{"csrf_token": {token}, "outcome": {"disclose_in_part"}, "reasons": {"Names redacted."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("resolve: %d", res.StatusCode)
		}
		_, page = s.get(dispute)
		for _, want := range []string{"The dispute was resolved.", "Disclose in part", "Names redacted."} {
			if !strings.Contains(page, want) {
				t.Errorf("resolved dispute lacks %q", want)
			}
		}
		if res, _ := s.get(dispute + "/resolve"); res.StatusCode != http.StatusNotFound {
			t.Errorf("resolving twice: %d", res.StatusCode)
		}

		// With no dispute open, the officer raises one through the form.
		s.signIn("officer@test.example")
		raise := packPath + "/disputes/new"
		res, _ = s.get(raise)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("raise form: %d", res.StatusCode)
		}
		token = s.csrf(raise)
		res, page = s.post(packPath+"/disputes", url.Values{"csrf_token": {token}, "reasons": {" "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#reasons"`) {
			t.Fatalf("raising without reasons: %d", res.StatusCode)
		}
		res, _ = s.post(packPath+"/disputes", url.Values{"csrf_token": {token}, "reasons": {"We disclose the numbers."}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/disputes/") || res.Header.Get("Location") == dispute {
			t.Fatalf("raise: %d %s", res.StatusCode, res.Header.Get("Location"))
		}

		// Another party's officer cannot see the dispute.
		s.signIn("o@ho.test")
		if res, body := s.get(dispute); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
			t.Errorf("HO officer GET %s: %d", dispute, res.StatusCode)
		}
	})
}
