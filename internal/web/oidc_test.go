package web_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
	"foidesk/internal/web"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// testIdP is a small OpenID Connect provider: discovery, JWKS, an authorize endpoint that signs in whoever
// the test says at once, and a token endpoint that checks the client, the code and its PKCE verifier and
// issues an RS256-signed ID token.
type testIdP struct {
	t        *testing.T
	srv      *httptest.Server
	key      *rsa.PrivateKey
	clientID string
	secret   string

	mu            sync.Mutex
	email         string // who signs in at the provider
	emailVerified bool
	nonceOverride string // when set, the ID token carries this nonce instead of the one asked for
	codes         map[string]idpCode
}

type idpCode struct{ nonce, challenge, redirect string }

func newTestIdP(t *testing.T) *testIdP {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &testIdP{t: t, key: key, clientID: "foidesk-test", secret: "s3cret", emailVerified: true, codes: map[string]idpCode{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *testIdP) signInAs(email string, verified bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.email, p.emailVerified = email, verified
}

func (p *testIdP) discovery(w http.ResponseWriter, r *http.Request) {
	u := p.srv.URL
	json.NewEncoder(w).Encode(map[string]any{"issuer": u, "authorization_endpoint": u + "/authorize",
		"token_endpoint": u + "/token", "jwks_uri": u + "/jwks", "response_types_supported": []string{"code"},
		"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported": []string{"S256"}})
}

func (p *testIdP) jwks(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

func (p *testIdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.clientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" || !strings.Contains(q.Get("scope"), "openid") {
		http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	code := base64.RawURLEncoding.EncodeToString([]byte(time.Now().String()))
	p.mu.Lock()
	p.codes[code] = idpCode{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	p.mu.Unlock()
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
}

func (p *testIdP) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p.mu.Lock()
	c, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	email, verified, nonce := p.email, p.emailVerified, c.nonce
	if p.nonceOverride != "" {
		nonce = p.nonceOverride
	}
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if id != p.clientID || secret != p.secret || !found || r.PostForm.Get("grant_type") != "authorization_code" ||
		r.PostForm.Get("redirect_uri") != c.redirect || base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid_grant"}`))
		return
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: p.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		p.t.Error(err)
		return
	}
	now := time.Now()
	idToken, err := jwt.Signed(signer).Claims(jwt.Claims{Issuer: p.srv.URL, Subject: "sub-" + email,
		Audience: jwt.Audience{p.clientID}, IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(5 * time.Minute))}).
		Claims(map[string]any{"nonce": nonce, "email": email, "email_verified": verified}).Serialize()
	if err != nil {
		p.t.Error(err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + email, "token_type": "Bearer", "expires_in": 300, "id_token": idToken})
}

// ssoSignIn follows the whole redirect flow from the sign-in page's button with a browser-like client and
// returns the final response and body.
func ssoSignIn(t *testing.T, s *site, next string) (*http.Response, string) {
	t.Helper()
	_, body := s.get("/")
	if !strings.Contains(body, "Sign in with your organisation account") {
		t.Fatal("the sign-in page lacks the single sign-on button")
	}
	follow := &http.Client{Jar: s.client.Jar}
	res, err := follow.Get(s.srv.URL + "/sign-in/oidc?next=" + url.QueryEscape(next))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestOIDC_SignsInTheActiveAccountWithTheVerifiedEmailAndNobodyElse(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		idp := newTestIdP(t)
		s := newSite(t, d).withConfig(func(c *web.Config) {
			c.MFARequiredRoles = foi.DefaultMFARoles
			c.OIDC = web.OIDCConfig{Issuer: idp.srv.URL, ClientID: idp.clientID, ClientSecret: idp.secret}
		})
		addUser(t, d, "dm@test.example", foi.RoleDecisionMaker, "DFE")

		// A decision-maker signs in through the provider (whose job their second factor is) and lands where
		// they were going.
		idp.signInAs("DM@test.example", true)
		res, body := ssoSignIn(t, s, "/cases")
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/cases" || sessionCookie(s) == "" {
			t.Fatalf("sso sign-in: %d at %s", res.StatusCode, res.Request.URL)
		}
		if _, body = s.get("/"); !strings.Contains(body, "Dashboard") {
			t.Fatal("not signed in after single sign-on")
		}
		if auditCount(t, d, "signin.sso") != 1 || auditCount(t, d, "session.create") == 0 {
			t.Fatal("single sign-on not audited")
		}

		for _, tc := range []struct {
			name, email string
			verified    bool
			want        string
		}{
			{"no account", "stranger@test.example", true, "There is no active foidesk account for stranger@test.example"},
			{"email not verified", "officer@test.example", false, "did not confirm who you are"},
		} {
			s.client = newClient()
			idp.signInAs(tc.email, tc.verified)
			res, body := ssoSignIn(t, s, "/")
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, tc.want) || sessionCookie(s) != "" {
				t.Errorf("%s: %d, signed in %v", tc.name, res.StatusCode, sessionCookie(s) != "")
			}
		}
		// A token whose nonce is not this sign-in's is refused.
		s.client = newClient()
		idp.signInAs("officer@test.example", true)
		idp.mu.Lock()
		idp.nonceOverride = "replayed"
		idp.mu.Unlock()
		if res, _ := ssoSignIn(t, s, "/"); res.StatusCode != http.StatusForbidden || sessionCookie(s) != "" {
			t.Errorf("wrong nonce: %d", res.StatusCode)
		}
		idp.mu.Lock()
		idp.nonceOverride = ""
		idp.mu.Unlock()
		// A callback with a state this browser did not start is refused (login CSRF).
		s.client = newClient()
		res, _ = s.get("/sign-in/oidc/callback?code=x&state=forged")
		if res.StatusCode != http.StatusBadRequest || sessionCookie(s) != "" {
			t.Errorf("forged state: %d", res.StatusCode)
		}
		// A disabled account is refused too.
		officer, _ := d.Authenticate(t.Context(), "officer@test.example", testPassword)
		if _, err := d.SetUserActive(foi.WithActor(t.Context(), foi.Actor{Label: foi.ActorCLI}), officer.ID, false); err != nil {
			t.Fatal(err)
		}
		s.client = newClient()
		if res, body := ssoSignIn(t, s, "/"); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "no active foidesk account") {
			t.Errorf("disabled account: %d", res.StatusCode)
		}
		if n := auditCount(t, d, "signin.sso_refused"); n != 2 {
			t.Errorf("refusals audited %d times, want 2", n)
		}
	})
}

func TestOIDC_OffWithoutAnIssuer(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		if _, body := s.get("/"); strings.Contains(body, "organisation account") {
			t.Fatal("single sign-on button shown without a provider")
		}
		if res, _ := s.get("/sign-in/oidc"); res.StatusCode != http.StatusNotFound {
			t.Fatalf("sign-in/oidc without a provider: %d", res.StatusCode)
		}
	})
}
