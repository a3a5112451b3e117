// Package web serves foidesk over HTTP with gin: the GOV.UK-styled HTML pages and the JSON API under /api/v1.
// It speaks only to the domain's service interfaces (package foi), never to the database.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"foidesk/internal/calendar"
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
	// Disputes runs the MoU section 8 dispute ladder (issue 5); nil uses Cases when it implements
	// foi.DisputeService.
	Disputes foi.DisputeService
	// MaxUploadBytes is the largest document the API accepts (issue 4); 0 means foi.DefaultMaxDocumentBytes,
	// 20 MiB. An upload is refused while it is read, so a larger one is never held in memory.
	MaxUploadBytes int64
	// Now is the store's clock, so that pages and services agree on what today is (one clock: tests set the
	// store's); nil uses the system clock.
	Now func() time.Time
	// Ping reports whether the database answers; /readyz uses it.
	Ping func(ctx context.Context) error
	Log  *slog.Logger
	// SecureCookies marks cookies Secure and sends Strict-Transport-Security; set when serving over TLS or
	// behind a TLS-terminating proxy.
	SecureCookies bool
	// TrustedProxies lists the proxies whose X-Forwarded-For gives the client address; none by default.
	TrustedProxies []string
	// SignIn is the security around signing in (issue 9: throttling, second factor, revocation, single
	// sign-on); nil uses Auth when it implements foi.SignInService.
	SignIn foi.SignInService
	// MFARequiredRoles must give a second factor after a local password; none when empty (foidesk serve
	// defaults to decision-maker and admin).
	MFARequiredRoles []foi.Role
	// OIDC turns on single sign-on with an OpenID Connect provider when its Issuer is set (oidc.go).
	OIDC OIDCConfig
	// RequestContext, when set, wraps each request's context before anything else runs: foidesk serve passes
	// store.WithRequestState, so that the token check and the service share one read of the cached state.
	RequestContext func(context.Context) context.Context
}

// Server is the HTTP face of foidesk.
type Server struct {
	cfg    Config
	log    *slog.Logger
	pages  *Renderer
	engine *gin.Engine
	oidc   *oidcClient // single sign-on, nil when not configured (oidc.go)
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
	s := &Server{cfg: cfg, log: cfg.Log, pages: pages, engine: e, oidc: newOIDCClient(cfg.OIDC)}
	s.routes()
	return s, nil
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// requestContext gives the request the context Config.RequestContext makes.
func (s *Server) requestContext(c *gin.Context) {
	if s.cfg.RequestContext != nil {
		c.Request = c.Request.WithContext(s.cfg.RequestContext(c.Request.Context()))
	}
	c.Next()
}

// routes registers every route; this table is the map of the service.
func (s *Server) routes() {
	e := s.engine
	e.Use(s.recoverPanics, s.requestContext, s.logRequests, s.securityHeaders)

	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)
	static, _ := fs.Sub(StaticFS(), ".")
	e.GET("/static/*filepath", cacheStatic, gin.WrapH(http.StripPrefix("/static/", http.FileServer(http.FS(static)))))

	html := e.Group("/", s.loadSession, s.checkCSRF)
	html.GET("/", s.handleHome)
	html.POST("/", s.handleSignIn)
	html.POST("/sign-out", s.handleSignOut)
	html.POST("/sign-out-everywhere", s.handleSignOutEverywhere) // auth_sessions.go
	html.POST("/sign-in/code", s.handleMFACode)                  // mfa_html.go: the second factor after a password
	html.POST("/sign-in/enrol", s.handleMFAEnrolForcedConfirm)   // (both forms are the answer to POST /)
	if s.oidc != nil {
		html.GET("/sign-in/oidc", s.handleOIDCStart) // oidc.go: single sign-on, when configured
		html.GET("/sign-in/oidc/callback", s.handleOIDCCallback)
	}
	html.GET("/account/security", s.handleAccountSecurity)
	html.GET("/account/security/mfa", s.handleAccountMFAForm)
	html.POST("/account/security/mfa", s.handleAccountMFAConfirm)
	html.POST("/account/security/mfa/disable", s.handleAccountMFADisable)
	html.GET("/account/email", s.handleAccountEmail) // preferences_html.go: one email per reminder or a daily digest
	html.POST("/account/email", s.handleAccountEmailSave)
	html.GET("/cases", s.handleCaseIndex)
	html.GET("/cases/new", s.handleCaseNew)
	html.POST("/cases/new", s.handleCaseCreate)
	html.GET("/cases/:id", s.handleCaseView)
	for _, form := range []string{"assign", "edit", "status", "clarification-sought", "clarification-received",
		"fee-notice", "fee-paid", "pit-extension", "eir-extension", "response", "response/approve", "response/return",
		"internal-review", "internal-review/decision", "ico-appeal", "ico-appeal/decision", "legal-hold"} {
		html.GET("/cases/:id/"+form, s.handleCaseFormGet(form)) // case_form_html.go: one form per URL
		html.POST("/cases/:id/"+form, s.handleCaseFormPost(form))
	}
	html.GET("/cases/:id/legal-holds/:holdID/release", s.handleCaseHoldReleaseForm) // case_hold_html.go
	html.POST("/cases/:id/legal-holds/:holdID/release", s.handleCaseHoldRelease)
	html.GET("/cases/:id/documents", s.handleCaseFormGet("documents"))
	e.POST("/cases/:id/documents", s.loadSession, s.limitUpload, s.checkCSRF, s.handleDocumentUploadForm)
	html.GET("/cases/:id/documents/:docID", s.handleDocumentDownload)
	html.GET("/cases/:id/letters", s.handleCaseLetters)
	html.GET("/cases/:id/letters/:key", s.handleCaseLetter)
	html.GET("/consultations", s.handleConsultationIndex)
	html.GET("/consultations/:id", s.handleConsultationView)
	html.GET("/consultations/:id/representations", s.handleConsultationHistory)
	html.GET("/consultations/:id/representations/new", s.handleRepresentationForm)
	html.POST("/consultations/:id/representations", s.handleRepresentationSubmit)
	html.GET("/consultations/:id/consideration", s.showDecision(considerationForm))
	html.POST("/consultations/:id/consideration", s.postDecision(considerationForm))
	html.GET("/consultations/:id/waiver", s.showDecision(waiverForm))
	html.POST("/consultations/:id/waiver", s.postDecision(waiverForm))
	html.GET("/consultations/:id/close", s.showDecision(closeForm))
	html.POST("/consultations/:id/close", s.postDecision(closeForm))
	html.GET("/consultations/:id/draft", s.handleDraftForm) // consultation_draft_html.go: the case's party's draft
	html.POST("/consultations/:id/draft", s.handleDraftSave)
	html.GET("/consultations/:id/send", s.handleSendForm)
	html.POST("/consultations/:id/send", s.handleSendSubmit)
	html.GET("/consultations/:id/chase", s.handleChaseForm)
	html.POST("/consultations/:id/chase", s.handleChaseSubmit)
	html.GET("/consultations/:id/attachments/new", s.handleAttachForm) // consultation_attachment_html.go
	e.POST("/consultations/:id/attachments", s.loadSession, s.limitAttachment, s.checkCSRF, s.handleAttachUpload)
	html.GET("/consultations/:id/attachments/:attID", s.handleAttachmentDownload)
	html.GET("/approvals", s.handleApprovals)
	html.GET("/consultations/:id/disputes/new", s.showDecision(raiseDisputeForm))
	html.POST("/consultations/:id/disputes", s.postDecision(raiseDisputeForm))
	html.GET("/disputes/:id", s.handleDisputeView)
	html.GET("/cases/:id/requester", s.handleRequesterView)
	html.GET("/incidents", s.handleIncidentIndex)
	html.GET("/incidents/:id", s.handleIncidentView)
	html.GET("/incidents/new", s.handleIncidentNew) // incident_html_forms.go: report, then one form per step
	html.POST("/incidents/new", s.handleIncidentReport)
	for _, step := range []incidentStepForm{incidentActionStep, incidentICOStep, incidentCloseStep} {
		html.GET("/incidents/:id/"+step.path, s.showIncidentStep(step))
		html.POST("/incidents/:id/"+step.path, s.postIncidentStep(step))
	}
	html.GET("/disputes/:id/escalate", s.showDisputeStep(escalateStep))
	html.POST("/disputes/:id/escalate", s.postDisputeStep(escalateStep))
	html.GET("/disputes/:id/formal-notification", s.showDisputeStep(formalStep))
	html.POST("/disputes/:id/formal-notification", s.postDisputeStep(formalStep))
	html.GET("/disputes/:id/resolve", s.showDisputeStep(resolveStep))
	html.POST("/disputes/:id/resolve", s.postDisputeStep(resolveStep))
	html.GET("/admin", s.handleAdminIndex) // admin_*.go: admins only, 404 for everyone else
	html.GET("/admin/parties", s.handleAdminParties)
	html.GET("/admin/parties/new", s.handleAdminPartyNew)
	html.POST("/admin/parties/new", s.handleAdminPartySave)
	html.GET("/admin/parties/:code", s.handleAdminPartyEdit)
	html.POST("/admin/parties/:code", s.handleAdminPartySave)
	html.GET("/admin/retention", s.handleAdminRetention) // retention_html.go: admins change, auditors read
	html.POST("/admin/retention/schedules/:type", s.handleAdminRetentionSchedule)
	html.POST("/admin/retention/holds", s.handleAdminHoldPlace)
	html.POST("/admin/retention/holds/:id/release", s.handleAdminHoldRelease)
	html.GET("/admin/contacts", s.handleAdminContacts)
	html.GET("/admin/contacts/new", s.handleAdminContactNew)
	html.POST("/admin/contacts/new", s.handleAdminContactSave)
	html.GET("/admin/contacts/:id", s.handleAdminContactEdit)
	html.POST("/admin/contacts/:id", s.handleAdminContactSave)
	html.GET("/admin/agreements", s.handleAdminAgreements)
	html.GET("/admin/agreements/:code", s.handleAdminAgreement)
	html.POST("/admin/agreements/:code", s.handleAdminAgreementUpdate)
	html.POST("/admin/agreements/:code/versions", s.handleAdminAgreementVersion)
	html.GET("/admin/exchanges", s.handleAdminExchanges)
	html.GET("/admin/exchanges/new", s.handleAdminExchangeNew)
	html.POST("/admin/exchanges/new", s.handleAdminExchangeCreate)
	html.GET("/admin/exchanges/:ref", s.handleAdminExchange)
	html.POST("/admin/exchanges/:ref", s.handleAdminExchangeUpdate)
	html.GET("/admin/assets", s.handleAdminAssets)
	html.POST("/admin/assets", s.handleAdminAssetCreate)
	html.GET("/admin/assets/:code", s.handleAdminAsset)
	html.POST("/admin/assets/:code", s.handleAdminAssetAliases)
	html.GET("/admin/users", s.handleAdminUsers)
	html.GET("/admin/users/new", s.handleAdminUserNew)
	html.POST("/admin/users/new", s.handleAdminUserCreate)
	html.POST("/admin/users/:id/active", s.handleAdminUserActive)
	html.GET("/admin/users/:id", s.handleAdminUser)
	html.POST("/admin/users/:id/tokens", s.handleAdminUserToken)
	html.POST("/admin/users/:id/tokens/:tokenID/revoke", s.handleAdminTokenRevoke)
	html.POST("/admin/users/:id/sessions/revoke", s.handleAdminUserSessions) // auth_sessions.go
	html.POST("/admin/users/:id/mfa/reset", s.handleAdminUserMFAReset)
	html.GET("/admin/calendar", s.handleAdminCalendar)
	html.POST("/admin/calendar/import", s.handleAdminCalendarImport)
	html.POST("/admin/calendar/overrides", s.handleAdminCalendarOverride)
	html.POST("/admin/calendar/overrides/remove", s.handleAdminCalendarRemove)
	html.GET("/admin/templates", s.handleAdminTemplates)
	html.GET("/admin/templates/:key", s.handleAdminTemplate)
	html.POST("/admin/templates/:key", s.handleAdminTemplateSave)
	html.GET("/admin/outbox", s.handleAdminOutbox)
	html.POST("/admin/outbox/:id/retry", s.handleAdminOutboxRetry)
	html.GET("/audit", s.handleAudit) // audit_html.go: auditors and admins
	html.GET("/audit/verify", s.handleAuditVerify)

	html.GET("/reports", s.handleReportStats)
	html.GET("/reports/stats/download", s.apiReportStats)
	html.GET("/reports/consultations", s.handleReportConsultations)
	html.GET("/reports/consultations/download", s.apiReportConsultations)
	html.GET("/disclosure-log", s.handleDisclosureLog)
	html.GET("/disclosure-log/:id", s.handleDisclosureLogEntry)
	html.GET("/disclosure-log/:id/documents/:docID", s.handleDisclosureLogDocument)
	html.GET("/cases/:id/disclosure-log", s.handleDisclosurePrepare) // disclosure_log_html_forms.go: decision-makers
	html.POST("/cases/:id/disclosure-log", s.handleDisclosurePropose)
	html.GET("/disclosure-log/entries", s.handleDisclosureEntries)
	html.GET("/disclosure-log/entries/:id", s.handleDisclosureEntry)
	html.POST("/disclosure-log/entries/:id/publish", s.handleDisclosurePublish)
	html.GET("/disclosure-log/entries/:id/flags", s.handleDisclosureFlags)
	html.POST("/disclosure-log/entries/:id/flags/:seq", s.handleDisclosureResolveFlag)
	html.GET("/disclosure-log/entries/:id/withdraw", s.handleDisclosureWithdrawForm)
	html.POST("/disclosure-log/entries/:id/withdraw", s.handleDisclosureWithdraw)
	e.GET("/disclosure-log.json", s.handleDisclosureLogJSON)
	e.GET("/disclosure-log.atom", s.handleDisclosureLogAtom)

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
	api.PATCH("/consultations/:id", s.apiConsultationEdit)
	api.POST("/consultations/:id/send", s.apiConsultationSend)
	api.POST("/consultations/:id/representations", s.apiConsultationRepresent)
	api.POST("/consultations/:id/attachments", s.apiAttachmentUpload)
	api.GET("/consultations/:id/attachments", s.apiAttachmentList)
	api.GET("/consultations/:id/attachments/:attID", s.apiAttachmentDownload)
	api.POST("/consultations/:id/consideration", s.apiConsultationConsider)
	api.POST("/consultations/:id/waiver", s.apiConsultationWaive)
	api.POST("/consultations/:id/close", s.apiConsultationClose)
	api.POST("/consultations/:id/chase", s.apiConsultationChase)
	api.POST("/consultations/:id/disputes", s.apiDisputeRaise)
	api.GET("/consultations/:id/disputes", s.apiConsultationDisputes)
	api.GET("/disputes/:id", s.apiDisputeGet)
	api.POST("/disputes/:id/escalate", s.apiDisputeEscalate)
	api.POST("/disputes/:id/formal-notification", s.apiDisputeFormal)
	api.POST("/disputes/:id/resolve", s.apiDisputeResolve)
	api.GET("/registers", s.apiRegisters)
	api.GET("/parties", s.apiPartyList) // party_api.go
	api.POST("/parties", s.apiPartyCreate)
	api.GET("/parties/:code", s.apiPartyGet)
	api.PATCH("/parties/:code", s.apiPartyUpdate)
	api.POST("/contacts", s.apiContactCreate)
	api.PUT("/contacts/:id", s.apiContactUpdate)
	api.POST("/agreements/:code/versions", s.apiAgreementVersionAdd)
	api.PATCH("/agreements/:code", s.apiAgreementUpdate)
	api.POST("/assets", s.apiAssetCreate)
	api.PUT("/assets/:code/aliases", s.apiAssetAliasesSet)
	api.POST("/asset-suggestions", s.apiAssetSuggestions)
	api.GET("/reports/stats", s.apiReportStats)
	api.GET("/reports/consultations", s.apiReportConsultations)
	api.POST("/cases/:id/disclosure-log", s.apiDisclosurePropose)
	api.GET("/disclosure-log/entries", s.apiDisclosureList)
	api.GET("/disclosure-log/entries/:id", s.apiDisclosureGet)
	api.PATCH("/disclosure-log/entries/:id", s.apiDisclosureEdit)
	api.POST("/disclosure-log/entries/:id/flags/:seq/resolution", s.apiDisclosureResolveFlag)
	api.POST("/disclosure-log/entries/:id/publish", s.apiDisclosurePublish)
	api.POST("/disclosure-log/entries/:id/withdraw", s.apiDisclosureWithdraw)
	api.GET("/agreements/:code", s.apiAgreementGet)
	api.GET("/contacts/:id", s.apiContactGet)
	api.GET("/assets/:code", s.apiAssetGet)
	api.POST("/exchanges", s.apiExchangeCreate)
	api.GET("/exchanges/:ref", s.apiExchangeGet)
	api.PATCH("/exchanges/:ref", s.apiExchangeUpdate)
	api.POST("/incidents", s.apiIncidentReport)
	api.GET("/incidents", s.apiIncidentList)
	api.GET("/incidents/:id", s.apiIncidentGet)
	api.POST("/incidents/:id/actions", s.apiIncidentAction)
	api.POST("/incidents/:id/ico-decision", s.apiIncidentICODecision)
	api.POST("/incidents/:id/close", s.apiIncidentClose)
	api.GET("/retention/schedules", s.apiRetentionSchedules)
	api.PUT("/retention/schedules/:type", s.apiRetentionScheduleSet)
	api.GET("/retention/due", s.apiRetentionDue)
	api.GET("/retention/holds", s.apiLegalHolds)
	api.POST("/retention/holds", s.apiLegalHoldPlace)
	api.POST("/retention/holds/:id/release", s.apiLegalHoldRelease)
	api.GET("/retention/tombstones", s.apiTombstones)

	e.NoRoute(s.loadSession, s.handleNotFound)
}

// now returns the current time by the store's clock (Config.Now).
func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// today returns the London date by the store's clock.
func (s *Server) today() calendar.Date { return calendar.LondonDate(s.now()) }

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

// securityHeaders sets the headers every response carries, and Strict-Transport-Security (a year, with
// subdomains) when foidesk is reached over TLS (SecureCookies).
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	if s.cfg.SecureCookies {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
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
