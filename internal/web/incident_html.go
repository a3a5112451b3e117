package web

import (
	"net/http"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// incidentsPage is what GET /incidents shows: the incidents the viewer may read, newest first.
type incidentsPage struct {
	Incidents []foi.Incident
	Status    string // the status filter: "", "open" or "closed"
	CanReport bool   // the viewer may report an incident (the "Report an incident" button)
}

// incidentPage is what GET /incidents/{id} shows.
type incidentPage struct {
	Incident  foi.Incident
	Reference string
	CanRecord bool // the incident is open and the viewer may add actions and close it
	CanDecide bool // the incident is open and the viewer may record the ICO decision
}

// handleIncidentIndex lists the incidents the viewer may read (GET /incidents), open ones first by default:
// the reporting party's staff see theirs, an affected party's liaisons and auditors those that concern it.
func (s *Server) handleIncidentIndex(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	svc, err := s.incidents()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &incidentsPage{Status: c.Query("status"), CanReport: canReportIncident(u)}
	if data.Status != "" && data.Status != string(foi.IncidentOpen) && data.Status != string(foi.IncidentClosed) {
		data.Status = ""
	}
	data.Incidents, err = svc.ListIncidents(c.Request.Context(), foi.IncidentFilter{Status: foi.IncidentStatus(data.Status)})
	if err != nil {
		s.htmlError(c, err)
		return
	}
	p := s.page(c, "Incidents")
	p.Nav = "incidents"
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "incidents", p)
}

// handleIncidentView shows one incident with its 24-hour and 72-hour clocks, the parties told, the actions log,
// the ICO decision and the closure, with links to the forms the viewer may use (GET /incidents/{id}); the page
// incident emails link to. Viewing it is audited by the service; another party's incident is the GOV.UK 404.
func (s *Server) handleIncidentView(c *gin.Context) {
	u, svc, in := s.loadIncident(c)
	if svc == nil {
		return
	}
	p := s.page(c, "Incident "+foi.IncidentReference(in.ID))
	p.Nav = "incidents"
	v := &incidentPage{Incident: in, Reference: foi.IncidentReference(in.ID)}
	incidentPageActions(u, v)
	p.Data = v
	s.pages.HTML(c, http.StatusOK, "incident", p)
}

// loadIncident returns the signed-in user, the incident service and the incident of the path as the user may
// read it (the service audits the view); otherwise it shows the sign-in redirect, the 404 or the error page and
// returns a nil service.
func (s *Server) loadIncident(c *gin.Context) (*foi.User, foi.IncidentService, foi.Incident) {
	u := s.requireUser(c)
	if u == nil {
		return nil, nil, foi.Incident{}
	}
	svc, err := s.incidents()
	if err == nil {
		var id int64
		if id, err = pathID(c, "id"); err == nil {
			var in foi.Incident
			if in, err = svc.FindIncident(c.Request.Context(), id); err == nil {
				return u, svc, in
			}
		}
	}
	s.htmlError(c, err)
	return nil, nil, foi.Incident{}
}

// canSeeIncidents reports whether u has an incidents page: everyone of a party, and admins.
func canSeeIncidents(u *foi.User) bool { return u.PartyID != 0 || u.Role == foi.RoleAdmin }
