// Package web serves foidesk over HTTP with gin: the GOV.UK-styled HTML pages and the JSON API under /api/v1.
// It speaks only to the domain's service interfaces (package foi), never to the database.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// Config is what a Server needs: the services it calls and how it is deployed.
type Config struct {
	Auth      foi.AuthService
	Registers foi.RegisterService
	Cases     foi.CaseService
	// Documents keeps case documents (issue 4); nil uses Cases when it implements foi.DocumentService.
	Documents foi.DocumentService
	// Consultations runs consultations (issue 5); nil uses Cases when it implements foi.ConsultationService.
	Consultations foi.ConsultationService
	// MaxUploadBytes is the largest document the API accepts (issue 4); 0 means foi.DefaultMaxDocumentBytes,
	// 20 MiB. An upload is refused while it is read, so a larger one is never held in memory.
	MaxUploadBytes int64
	// Ping reports whether the database answers; /readyz uses it.
	Ping func(ctx context.Context) error
	Log  *slog.Logger
	// SecureCookies marks cookies Secure; set when serving over TLS or behind a TLS-terminating proxy.
	SecureCookies bool
	// TrustedProxies lists the proxies whose X-Forwarded-For gives the client address; none by default.
	TrustedProxies []string
}

// Server is the HTTP face of foidesk.
type Server struct {
	cfg    Config
	log    *slog.Logger
	pages  *Renderer
	engine *gin.Engine
}

// New returns a server with every route registered. It fails when a template does not parse or the trusted
// proxies are not addresses.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	pages, err := NewRenderer()
	if err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	e.HandleMethodNotAllowed = false
	e.RedirectTrailingSlash = true
	s := &Server{cfg: cfg, log: cfg.Log, pages: pages, engine: e}
	s.routes()
	return s, nil
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// routes registers every route; this table is the map of the service.
func (s *Server) routes() {
	e := s.engine
	e.Use(s.recoverPanics, s.logRequests, securityHeaders)

	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)
	static, _ := fs.Sub(StaticFS(), ".")
	e.GET("/static/*filepath", cacheStatic, gin.WrapH(http.StripPrefix("/static/", http.FileServer(http.FS(static)))))

	html := e.Group("/", s.loadSession, s.checkCSRF)
	html.GET("/", s.handleHome)
	html.POST("/", s.handleSignIn)
	html.POST("/sign-out", s.handleSignOut)
	html.GET("/cases", s.handleCaseIndex)
	html.GET("/cases/:id", s.handleCaseView)

	e.GET("/api/v1/openapi.json", handleOpenAPI)
	api := e.Group("/api/v1", s.authenticateAPI)
	api.GET("/me", s.apiMe)
	api.GET("/me/preferences", s.apiPreferencesGet)
	api.PUT("/me/preferences", s.apiPreferencesSet)
	api.POST("/cases", s.apiCaseCreate)
	api.GET("/cases", s.apiCaseList)
	api.GET("/cases/:id", s.apiCaseGet)
	api.PATCH("/cases/:id", s.apiCaseUpdate)
	api.POST("/cases/:id/transitions", s.apiCaseTransition)
	api.POST("/cases/:id/events", s.apiCaseEvent)
	api.GET("/cases/:id/deadline", s.apiCaseDeadline)
	api.POST("/cases/:id/response", s.apiResponseRecord)
	api.GET("/cases/:id/response", s.apiResponseGet)
	api.POST("/cases/:id/response/approve", s.apiResponseApprove)
	api.POST("/cases/:id/response/return", s.apiResponseReturn)
	api.POST("/cases/:id/letters/:key", s.apiCaseLetter)
	api.GET("/letter-templates", s.apiLetterTemplates)
	api.PUT("/letter-templates/:key", s.apiLetterTemplateSet)
	api.POST("/cases/:id/internal-review", s.apiInternalReviewRequest)
	api.POST("/cases/:id/internal-review/decision", s.apiInternalReviewDecide)
	api.GET("/cases/:id/internal-review", s.apiInternalReviewGet)
	api.POST("/cases/:id/ico-appeal", s.apiICOAppealRecord)
	api.POST("/cases/:id/ico-appeal/decision", s.apiICOAppealDecide)
	api.GET("/cases/:id/ico-appeal", s.apiICOAppealGet)
	api.POST("/cases/:id/documents", s.apiDocumentUpload)
	api.GET("/cases/:id/documents", s.apiDocumentList)
	api.GET("/cases/:id/documents/:docID", s.apiDocumentDownload)
	api.GET("/cases/:id/consultations", s.apiCaseConsultations)
	api.GET("/consultations", s.apiConsultationList)
	api.GET("/consultations/:id", s.apiConsultationGet)
	api.POST("/consultations/:id/representations", s.apiConsultationRepresent)
	api.POST("/consultations/:id/consideration", s.apiConsultationConsider)
	api.POST("/consultations/:id/waiver", s.apiConsultationWaive)
	api.POST("/consultations/:id/close", s.apiConsultationClose)
	api.GET("/registers", s.apiRegisters)
	api.POST("/contacts", s.apiContactCreate)
	api.PUT("/contacts/:id", s.apiContactUpdate)
	api.POST("/agreements/:code/versions", s.apiAgreementVersionAdd)
	api.PATCH("/agreements/:code", s.apiAgreementUpdate)
	api.POST("/assets", s.apiAssetCreate)
	api.PUT("/assets/:code/aliases", s.apiAssetAliasesSet)
	api.POST("/asset-suggestions", s.apiAssetSuggestions)

	e.NoRoute(s.loadSession, s.handleNotFound)
}

// handleHealthz answers 200 while the process is up.
func (s *Server) handleHealthz(c *gin.Context) {
	c.String(http.StatusOK, "ok\n")
}

// handleReadyz answers 200 when the database answers within two seconds, 503 otherwise.
func (s *Server) handleReadyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if s.cfg.Ping != nil {
		if err := s.cfg.Ping(ctx); err != nil {
			s.log.Warn("readyz: database not reachable", "err", err)
			c.String(http.StatusServiceUnavailable, "database unreachable\n")
			return
		}
	}
	c.String(http.StatusOK, "ready\n")
}

// logRequests writes one structured log line per request.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	if c.Request.URL.Path == "/healthz" || c.Request.URL.Path == "/readyz" {
		return
	}
	s.log.Info("http", "method", c.Request.Method, "path", c.Request.URL.Path, "status", c.Writer.Status(),
		"duration_ms", time.Since(start).Milliseconds(), "ip", c.ClientIP())
}

// recoverPanics turns a panic into a logged internal error.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "path", c.Request.URL.Path, "panic", r)
			s.fail(c, foi.Errorf(foi.EINTERNAL, "panic"))
			c.Abort()
		}
	}()
	c.Next()
}

// securityHeaders sets the headers every response carries.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	c.Next()
}

// cacheStatic lets browsers keep static assets for a day.
func cacheStatic(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=86400")
	c.Next()
}
