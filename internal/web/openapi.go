package web

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDocument is the OpenAPI 3.1 description of /api/v1; the tests hold every handler to it.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the OpenAPI document served at /api/v1/openapi.json.
func OpenAPIDocument() []byte { return openAPIDocument }

// handleOpenAPI serves the OpenAPI document; it needs no token.
func handleOpenAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", openAPIDocument)
}

// Route is one registered route, for tests that compare the router with the OpenAPI document.
type Route struct{ Method, Path string }

// Routes returns every route the server registered.
func (s *Server) Routes() []Route {
	var out []Route
	for _, r := range s.engine.Routes() {
		out = append(out, Route{Method: r.Method, Path: r.Path})
	}
	return out
}
