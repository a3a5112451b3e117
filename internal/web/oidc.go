package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"foidesk/internal/foi"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"
)

// OIDCConfig turns on single sign-on with an OpenID Connect provider (Microsoft Entra ID, Google, Okta,
// Keycloak...). The provider must send a verified email (email_verified true) in the ID token; it maps to an
// active foidesk account with that email, and nobody else gets in. The provider is also responsible for the
// second factor of the people who sign in this way.
type OIDCConfig struct {
	Issuer       string // the provider's issuer URL; empty turns single sign-on off
	ClientID     string
	ClientSecret string
	// RedirectURL is the callback registered with the provider, like https://foidesk.example/sign-in/oidc/callback;
	// empty derives it from the request's host.
	RedirectURL string
	// HTTPClient makes the calls to the provider (discovery, keys, token); nil uses http.DefaultClient.
	HTTPClient *http.Client
}

// oidcCookie carries the state, nonce, PKCE verifier and next path of one sign-in between the redirect to the
// provider and its callback.
const oidcCookie = "foidesk_oidc"

// oidcClient discovers the provider on first use (and again after a failure), so foidesk starts even when the
// provider is briefly unreachable.
type oidcClient struct {
	cfg      OIDCConfig
	mu       sync.Mutex
	provider *oidc.Provider
}

// newOIDCClient returns the single sign-on client for cfg, or nil when cfg names no issuer.
func newOIDCClient(cfg OIDCConfig) *oidcClient {
	if cfg.Issuer == "" {
		return nil
	}
	return &oidcClient{cfg: cfg}
}

// context returns ctx carrying the configured HTTP client for go-oidc and oauth2.
func (o *oidcClient) context(ctx context.Context) context.Context {
	if o.cfg.HTTPClient == nil {
		return ctx
	}
	return context.WithValue(oidc.ClientContext(ctx, o.cfg.HTTPClient), oauth2.HTTPClient, o.cfg.HTTPClient)
}

// discover returns the provider, fetching its discovery document the first time.
func (o *oidcClient) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	// Discovery outlives this request: the provider keeps the context for fetching keys later.
	p, err := oidc.NewProvider(o.context(context.WithoutCancel(ctx)), o.cfg.Issuer)
	if err != nil {
		return nil, err
	}
	o.provider = p
	return p, nil
}

// oauth returns the OAuth 2.0 configuration for this request.
func (o *oidcClient) oauth(c *gin.Context, p *oidc.Provider, secure bool) *oauth2.Config {
	redirect := o.cfg.RedirectURL
	if redirect == "" {
		scheme := "http"
		if secure || c.Request.TLS != nil {
			scheme = "https"
		}
		redirect = scheme + "://" + c.Request.Host + "/sign-in/oidc/callback"
	}
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: redirect,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// handleOIDCStart sends the browser to the provider with a fresh state, nonce and PKCE challenge
// (GET /sign-in/oidc?next=/path).
func (s *Server) handleOIDCStart(c *gin.Context) {
	p, err := s.oidc.discover(c.Request.Context())
	if err != nil {
		s.log.Error("oidc discovery", "issuer", s.oidc.cfg.Issuer, "err", err)
		s.ssoRefused(c, http.StatusBadGateway, "Your organisation's sign-in service is not answering. Try again later, or sign in with your email address and password.")
		return
	}
	state, nonce, verifier := randomValue(), randomValue(), oauth2.GenerateVerifier()
	next := safeNext(c.Query("next"))
	s.setCookie(c, oidcCookie, strings.Join([]string{state, nonce, verifier, next}, " "), 600)
	to := s.oidc.oauth(c, p, s.cfg.SecureCookies).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
	c.Redirect(http.StatusSeeOther, to)
}

// handleOIDCCallback finishes single sign-on (GET /sign-in/oidc/callback): it checks the state, redeems the
// code with the PKCE verifier, verifies the ID token's signature, issuer, audience, expiry and nonce, and
// signs in the active foidesk account with the token's verified email. Anyone else gets an error page.
func (s *Server) handleOIDCCallback(c *gin.Context) {
	raw, _ := c.Cookie(oidcCookie)
	s.clearCookie(c, oidcCookie)
	parts := strings.Split(raw, " ")
	if len(parts) != 4 || subtle.ConstantTimeCompare([]byte(parts[0]), []byte(c.Query("state"))) != 1 {
		s.ssoRefused(c, http.StatusBadRequest, "Your sign-in could not be completed: it took too long or was started elsewhere. Start again.")
		return
	}
	nonce, verifier, next := parts[1], parts[2], safeNext(parts[3])
	if e := c.Query("error"); e != "" {
		s.log.Warn("oidc provider refused", "error", e, "description", c.Query("error_description"))
		s.ssoRefused(c, http.StatusForbidden, "Your organisation's sign-in service did not sign you in.")
		return
	}
	email, err := s.oidcEmail(c, nonce, verifier)
	if err != nil {
		s.log.Warn("oidc sign-in failed", "err", err, "ip", c.ClientIP())
		s.ssoRefused(c, http.StatusForbidden, "Your organisation's sign-in service did not confirm who you are.")
		return
	}
	user, err := s.signIn().SSOUser(c.Request.Context(), email, s.oidc.cfg.Issuer)
	if foi.ErrorCode(err) == foi.EUNAUTHORIZED {
		s.ssoRefused(c, http.StatusForbidden, "There is no active foidesk account for "+email+". Ask your foidesk administrator to add you.")
		return
	}
	if err != nil {
		s.htmlError(c, err)
		return
	}
	s.startSession(c, user, next)
}

// oidcEmail redeems the callback's code and returns the verified email of its ID token.
func (s *Server) oidcEmail(c *gin.Context, nonce, verifier string) (string, error) {
	ctx := s.oidc.context(c.Request.Context())
	p, err := s.oidc.discover(ctx)
	if err != nil {
		return "", err
	}
	tok, err := s.oidc.oauth(c, p, s.cfg.SecureCookies).Exchange(ctx, c.Query("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return "", err
	}
	rawID, ok := tok.Extra("id_token").(string)
	if !ok {
		return "", foi.Errorf(foi.EUNAUTHORIZED, "no id_token in the token response")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.oidc.cfg.ClientID}).Verify(ctx, rawID)
	if err != nil {
		return "", err
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return "", foi.Errorf(foi.EUNAUTHORIZED, "the ID token's nonce does not match")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		return "", err
	}
	if claims.Email == "" || !claims.EmailVerified {
		return "", foi.Errorf(foi.EUNAUTHORIZED, "the ID token has no verified email")
	}
	return foi.NormalizeEmail(claims.Email), nil
}

// ssoRefused shows why single sign-on did not sign the browser in.
func (s *Server) ssoRefused(c *gin.Context, status int, message string) {
	p := s.page(c, "You cannot sign in")
	p.Data = message
	s.pages.HTML(c, status, "mfa_refused", p)
	c.Abort()
}

// signInData is the sign-in page's Data: the path to go to afterwards, and "SSO" set when single sign-on is on.
func (s *Server) signInData(next string) map[string]string {
	d := map[string]string{"Next": next}
	if s.oidc != nil {
		d["SSO"] = "/sign-in/oidc?next=" + url.QueryEscape(next)
	}
	return d
}

// randomValue returns 32 random bytes, base64url-encoded.
func randomValue() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
