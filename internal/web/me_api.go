package web

import (
	"net/http"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// meResponse is the signed-in user as the API shows them.
type meResponse struct {
	ID        int64    `json:"id"`
	Email     string   `json:"email"`
	Name      string   `json:"name"`
	Role      foi.Role `json:"role"`
	PartyCode string   `json:"party,omitempty"`
}

// apiMe answers GET /api/v1/me with the token's user.
func (s *Server) apiMe(c *gin.Context) {
	u := foi.UserFrom(c.Request.Context())
	c.JSON(http.StatusOK, meResponse{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, PartyCode: u.PartyCode})
}
