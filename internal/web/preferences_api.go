package web

import (
	"net/http"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// preferencesJSON is the signed-in user's email preferences as the API reads and writes them.
type preferencesJSON struct {
	// Digest: reminders arrive as one daily digest instead of one email each.
	Digest bool `json:"digest"`
}

// apiPreferencesGet answers GET /api/v1/me/preferences with the signed-in user's email preferences.
func (s *Server) apiPreferencesGet(c *gin.Context) {
	ps, err := s.preferences()
	if err != nil {
		s.apiError(c, err)
		return
	}
	ctx := c.Request.Context()
	digest, err := ps.DigestPreference(ctx, foi.UserFrom(ctx).ID)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, preferencesJSON{Digest: digest})
}

// apiPreferencesSet answers PUT /api/v1/me/preferences: it sets the signed-in user's email preferences and
// returns them.
func (s *Server) apiPreferencesSet(c *gin.Context) {
	var req struct {
		Digest *bool `json:"digest"`
	}
	body, err := readBody(c)
	if err == nil {
		err = decodeJSON(body, &req)
	}
	if err == nil && req.Digest == nil {
		var v foi.Validation
		v.Add("digest", "Say whether you want a daily digest: true or false")
		err = v.Err()
	}
	if err != nil {
		s.apiError(c, err)
		return
	}
	ps, err := s.preferences()
	if err != nil {
		s.apiError(c, err)
		return
	}
	ctx := c.Request.Context()
	if err := ps.SetDigestPreference(ctx, foi.UserFrom(ctx).ID, *req.Digest); err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, preferencesJSON{Digest: *req.Digest})
}
