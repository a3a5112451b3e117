package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// Need-to-know: the case page does not carry the requester's identity; it is one link away, and every look
// at it is audited with the page it came from.
func TestRequesterPage_HiddenFromTheCasePageRevealedOnDemandAndAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer") // requester Ada Requester, ada@example.org
		s.signIn("officer@test.example")
		res, body := s.get(fmt.Sprintf("/cases/%d", c.ID))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("case page: %d", res.StatusCode)
		}
		if strings.Contains(body, "ada@example.org") || strings.Contains(body, "Ada Requester") {
			t.Errorf("the case page shows the requester")
		}
		link := fmt.Sprintf(`href="/cases/%d/requester"`, c.ID)
		if !strings.Contains(body, link) {
			t.Fatalf("the case page has no %s", link)
		}
		res, body = s.get(fmt.Sprintf("/cases/%d/requester", c.ID))
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "ada@example.org") || !strings.Contains(body, "Ada Requester") {
			t.Fatalf("requester page: %d", res.StatusCode)
		}
		page, err := d.ListAudit(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}),
			foi.AuditFilter{Action: "requester.read", RecordID: strconv.FormatInt(c.ID, 10)})
		if err != nil || len(page.Events) != 1 || page.Events[0].ActorLabel != "officer@test.example" ||
			!strings.Contains(page.Events[0].Detail, `"via":"GET /cases/:id/requester"`) {
			t.Fatalf("requester.read audit: %+v %v", page.Events, err)
		}

		// A liaison of the consulted party never sees the requester.
		s.client = newClient()
		s.signIn("liaison@test.example")
		if res, _ := s.get(fmt.Sprintf("/cases/%d/requester", c.ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("liaison: %d, want 404", res.StatusCode)
		}
	})
}
