package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// The page incident emails link to shows the incident and its clocks to the parties concerned, and is the
// GOV.UK 404 to anyone else.
func TestIncidentPages_ListAndViewForThePartiesConcerned(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
		for _, u := range []foi.NewUser{
			{Email: "dm@dfe.test", Name: "Dee Decider", Role: foi.RoleDecisionMaker, PartyCode: "DFE", Password: testPassword},
			{Email: "o@ho.test", Name: "Hal Officer", Role: foi.RoleOfficer, PartyCode: "HO", Password: testPassword},
		} {
			if _, _, err := d.CreateUser(cli, u); err != nil {
				t.Fatal(err)
			}
		}
		dm, err := d.UserByEmail(cli, "dm@dfe.test")
		if err != nil {
			t.Fatal(err)
		}
		res, err := d.ReportIncident(foi.WithActor(context.Background(), foi.Actor{User: dm}), foi.NewIncident{
			Kind: foi.IncidentWrongfulDisclosure, Description: "A pupil list was emailed to the wrong address.",
			AwareAt: d.Time().Add(-80 * time.Hour).Format(time.RFC3339), AffectedParties: []string{"HO"}})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Incident.ID
		ref := fmt.Sprintf("INC-%06d", id)
		page := fmt.Sprintf("/incidents/%d", id)

		s.signIn("dm@dfe.test")
		if r, body := s.get("/incidents"); r.StatusCode != http.StatusOK || !strings.Contains(body, `href="`+page+`"`) {
			t.Errorf("the list: %d, lacks a link to %s", r.StatusCode, page)
		}
		r, body := s.get(page)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", page, r.StatusCode)
		}
		for _, want := range []string{ref, "A pupil list was emailed to the wrong address.", "No decision yet",
			"72 hours have passed since awareness"} {
			if !strings.Contains(body, want) {
				t.Errorf("the incident page lacks %q", want)
			}
		}
		if strings.Contains(body, "Not yet: no security-incidents contact") {
			t.Errorf("HO has a security-incidents contact, told at once, but the page says it was not told")
		}
		// The affected party's liaison reads it; an officer of that party does not know it exists.
		for email, want := range map[string]int{"liaison@test.example": http.StatusOK, "o@ho.test": http.StatusNotFound} {
			s.client = newClient()
			s.signIn(email)
			if r, _ := s.get(page); r.StatusCode != want {
				t.Errorf("%s reading %s: %d, want %d", email, page, r.StatusCode, want)
			}
		}
	})
}
