package web

import (
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// chaseRequest is the body of POST /api/v1/consultations/{id}/chase.
type chaseRequest struct {
	Kind foi.ChaseKind `json:"kind"`
}

// apiConsultationChase answers POST /api/v1/consultations/{id}/chase: the case's party sends a reminder or,
// after respond-by, the escalation now, as the daily scan would.
func (s *Server) apiConsultationChase(c *gin.Context) {
	var req chaseRequest
	_, id, ok := s.consultationChange(c, &req)
	if !ok {
		return
	}
	chaser, err := s.chaser()
	if err != nil {
		s.apiError(c, err)
		return
	}
	k, err := chaser.ChaseConsultation(c.Request.Context(), id, req.Kind)
	s.answerConsultation(c, k, err)
}
