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

// Every read of case data is audited with the page or endpoint it was read through: the reason it was shown.
func TestAudit_ReadsOfACaseRecordTheEndpointTheyCameThrough(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		if res := s.call("dfe-auditor", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("read: %d", res.StatusCode)
		}
		page, err := d.ListAudit(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}),
			foi.AuditFilter{Action: "case.read", RecordType: "case", RecordID: strconv.FormatInt(c.ID, 10)})
		if err != nil || len(page.Events) != 1 {
			t.Fatalf("case.read events %+v %v", page.Events, err)
		}
		e := page.Events[0]
		if e.ActorLabel != "aud@dfe.test" || !strings.Contains(e.Detail, `"via":"GET /api/v1/cases/:id"`) {
			t.Errorf("case.read event %+v, want the auditor and the endpoint", e)
		}
	})
}
