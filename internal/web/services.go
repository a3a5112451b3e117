package web

import (
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The services behind the pages and the API. Config names the few that may be set apart (Cases, Registers,
// Consultations, Documents, Disputes); every other service is whichever of them implements it (the store
// implements them all), so that Config needs no field per service.

// serviceOf returns the first candidate that implements S, or an error naming what is missing (a server set up
// without it answers 500).
func serviceOf[S any](what string, candidates ...any) (S, error) {
	for _, c := range candidates {
		if svc, ok := c.(S); ok {
			return svc, nil
		}
	}
	var none S
	return none, errNoService(what)
}

// noServiceError says which service the server was set up without.
type noServiceError string

func (e noServiceError) Error() string {
	return "web: the configured services do not implement " + string(e)
}

func errNoService(what string) error { return noServiceError(what) }

// consultations returns Config.Consultations, or Cases when it runs consultations.
func (s *Server) consultations() (foi.ConsultationService, error) {
	return serviceOf[foi.ConsultationService]("consultations", s.cfg.Consultations, s.cfg.Cases)
}

// disputes returns Config.Disputes, or Cases when it runs the dispute ladder.
func (s *Server) disputes() (foi.DisputeService, error) {
	return serviceOf[foi.DisputeService]("disputes", s.cfg.Disputes, s.cfg.Cases)
}

// documents returns Config.Documents, or Cases when it keeps documents.
func (s *Server) documents() (foi.DocumentService, error) {
	return serviceOf[foi.DocumentService]("documents", s.cfg.Documents, s.cfg.Cases)
}

// attachments returns the service keeping files attached to representations.
func (s *Server) attachments() (foi.RepresentationAttachmentService, error) {
	return serviceOf[foi.RepresentationAttachmentService]("representation attachments", s.cfg.Consultations, s.cfg.Cases)
}

// chaser returns the service that chases consulted parties by hand.
func (s *Server) chaser() (foi.ConsultationChaseService, error) {
	return serviceOf[foi.ConsultationChaseService]("consultation chasers", s.cfg.Consultations, s.cfg.Cases)
}

// parties returns the party administration service.
func (s *Server) parties() (foi.PartyAdminService, error) {
	return serviceOf[foi.PartyAdminService]("parties", s.cfg.Registers, s.cfg.Cases)
}

// registerReader returns the service reading the registers one record at a time.
func (s *Server) registerReader() (foi.RegisterReader, error) {
	return serviceOf[foi.RegisterReader]("register reading", s.cfg.Registers, s.cfg.Cases)
}

// registerAdmin returns the register administration service.
func (s *Server) registerAdmin() (foi.RegisterAdminService, error) {
	return serviceOf[foi.RegisterAdminService]("register administration", s.cfg.Cases)
}

// responses returns the decision and response service.
func (s *Server) responses() (foi.ResponseService, error) {
	return serviceOf[foi.ResponseService]("responses", s.cfg.Cases)
}

// letters returns the letter template service.
func (s *Server) letters() (foi.LetterService, error) {
	return serviceOf[foi.LetterService]("letters", s.cfg.Cases)
}

// incidents returns the incident service (MoU 4.5).
func (s *Server) incidents() (foi.IncidentService, error) {
	return serviceOf[foi.IncidentService]("incidents", s.cfg.Cases)
}

// disclosureLog returns the disclosure log service.
func (s *Server) disclosureLog() (foi.DisclosureLogService, error) {
	return serviceOf[foi.DisclosureLogService]("disclosure log", s.cfg.Cases)
}

// reports returns the statistics and consultation report service.
func (s *Server) reports() (foi.ReportService, error) {
	return serviceOf[foi.ReportService]("reports", s.cfg.Cases)
}

// retention returns the retention, legal hold and destruction service.
func (s *Server) retention() (foi.RetentionService, error) {
	return serviceOf[foi.RetentionService]("retention", s.cfg.Cases)
}

// preferences returns the email preference service.
func (s *Server) preferences() (foi.PreferenceService, error) {
	return serviceOf[foi.PreferenceService]("preferences", s.cfg.Cases)
}

// mayTry answers the refusal and returns false when the caller's role may never take action on its own party's
// records, before anything of the request is read: a role foi refuses learns nothing of the request's shape.
// The service still checks the record itself.
func (s *Server) mayTry(c *gin.Context, action foi.Action) bool {
	a := foi.ActorFrom(c.Request.Context())
	var scope foi.Scope
	if a.User != nil {
		scope.OwnerPartyID = a.User.PartyID
	}
	if err := foi.CanActor(a, action, scope); err != nil {
		s.fail(c, err)
		return false
	}
	return true
}
