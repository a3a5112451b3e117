package web

import (
	"net/http"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The read-one register endpoints (any signed-in user) and the process-level exchanges admins create and
// change. They use the foi.RegisterReader and foi.RegisterAdminService the configured services implement (the
// store does); a service without them answers 500.

// exchangeDetailJSON is one exchange with the date of its last review.
type exchangeDetailJSON struct {
	exchangeJSON
	ReviewedOn *string `json:"reviewed_on"`
}

// agreementDetailJSON is an agreement with its version history and its exchanges.
type agreementDetailJSON struct {
	agreementJSON
	Exchanges []exchangeDetailJSON `json:"exchanges"`
}

func toExchangeDetailJSON(x foi.ExchangeRecord) exchangeDetailJSON {
	return exchangeDetailJSON{exchangeJSON: exchangeJSON{Reference: x.Reference, Title: x.Title,
		Agreement: x.AgreementCode, ProviderParty: x.ProviderPartyCode, RecipientParty: x.RecipientPartyCode,
		LegalBasis: x.LegalBasis, BusinessOwner: x.BusinessOwner, StartOn: jsonDate(x.StartOn),
		ReviewOn: jsonDate(x.ReviewOn)}, ReviewedOn: jsonDate(x.ReviewedOn)}
}

// apiAgreementGet answers GET /api/v1/agreements/{code}: the agreement, its version history and its exchanges.
func (s *Server) apiAgreementGet(c *gin.Context) {
	rr, err := s.registerReader()
	if err != nil {
		s.apiError(c, err)
		return
	}
	a, err := rr.FindAgreement(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.apiError(c, err)
		return
	}
	out := agreementDetailJSON{agreementJSON: toAgreementJSON(a.Agreement), Exchanges: []exchangeDetailJSON{}}
	for _, x := range a.Exchanges {
		out.Exchanges = append(out.Exchanges, toExchangeDetailJSON(x))
	}
	c.JSON(http.StatusOK, out)
}

// apiExchangeGet answers GET /api/v1/exchanges/{ref}.
func (s *Server) apiExchangeGet(c *gin.Context) {
	rr, err := s.registerReader()
	if err != nil {
		s.apiError(c, err)
		return
	}
	x, err := rr.FindExchange(c.Request.Context(), c.Param("ref"))
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toExchangeDetailJSON(x))
}

// apiAssetGet answers GET /api/v1/assets/{code}.
func (s *Server) apiAssetGet(c *gin.Context) {
	rr, err := s.registerReader()
	if err != nil {
		s.apiError(c, err)
		return
	}
	a, err := rr.FindAsset(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAssetJSON(a.Asset, a.ProviderPartyCode, a.ExchangeReference))
}

// apiContactGet answers GET /api/v1/contacts/{id}.
func (s *Server) apiContactGet(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	rr, err := s.registerReader()
	if err != nil {
		s.apiError(c, err)
		return
	}
	ct, err := rr.FindContact(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toContactJSON(ct.Contact, ct.PartyCode))
}

// exchangeRequest is the body of POST /api/v1/exchanges and PATCH /api/v1/exchanges/{ref}: dates as
// YYYY-MM-DD. On PATCH only title, legal_basis, business_owner, start_on, review_on and reviewed_on may be
// sent (reviewed_on "" clears it).
type exchangeRequest struct {
	Reference      *string `json:"reference"`
	Agreement      *string `json:"agreement"`
	Title          *string `json:"title"`
	ProviderParty  *string `json:"provider_party"`
	RecipientParty *string `json:"recipient_party"`
	LegalBasis     *string `json:"legal_basis"`
	BusinessOwner  *string `json:"business_owner"`
	StartOn        *string `json:"start_on"`
	ReviewOn       *string `json:"review_on"`
	ReviewedOn     *string `json:"reviewed_on"`
}

// dates parses the request's dates into ch, adding an error for each that is not a date.
func (r exchangeRequest) dates(ch *foi.ExchangeChange, v *foi.Validation) {
	for _, f := range []struct {
		field string
		in    *string
		out   **calendar.Date
	}{{"start_on", r.StartOn, &ch.StartOn}, {"review_on", r.ReviewOn, &ch.ReviewOn}, {"reviewed_on", r.ReviewedOn, &ch.ReviewedOn}} {
		if f.in == nil {
			continue
		}
		var d calendar.Date
		if *f.in != "" {
			var err error
			d, err = calendar.ParseDate(*f.in)
			v.Check(err == nil, f.field, f.field+" must be a date, like 2026-03-31")
		}
		*f.out = &d
	}
}

// change returns the request as a change, and EINVALID naming each date that is not one.
func (r exchangeRequest) change() (foi.ExchangeChange, error) {
	ch := foi.ExchangeChange{Title: r.Title, LegalBasis: r.LegalBasis, BusinessOwner: r.BusinessOwner}
	var v foi.Validation
	r.dates(&ch, &v)
	return ch, v.Err()
}

// str returns *p, or "" for nil.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// apiExchangeCreate answers POST /api/v1/exchanges (admins): 201 with the exchange.
func (s *Server) apiExchangeCreate(c *gin.Context) {
	var req exchangeRequest
	if !s.readRequest(c, &req) {
		return
	}
	ch, err := req.change()
	if err != nil {
		s.apiError(c, err)
		return
	}
	ra, err := s.registerAdmin()
	if err != nil {
		s.apiError(c, err)
		return
	}
	in := ch.Apply(foi.NewExchange{AgreementCode: str(req.Agreement), Reference: str(req.Reference),
		ProviderPartyCode: str(req.ProviderParty), RecipientPartyCode: str(req.RecipientParty)})
	x, err := ra.CreateExchange(c.Request.Context(), in)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("Location", "/api/v1/exchanges/"+x.Reference)
	c.JSON(http.StatusCreated, toExchangeDetailJSON(x))
}

// apiExchangeUpdate answers PATCH /api/v1/exchanges/{ref} (admins): 200 with the exchange as changed. The
// reference, agreement and parties cannot change (422 naming them).
func (s *Server) apiExchangeUpdate(c *gin.Context) {
	var req exchangeRequest
	if !s.readRequest(c, &req) {
		return
	}
	var v foi.Validation
	v.Check(req.Reference == nil, "reference", "The reference of an exchange cannot change")
	v.Check(req.Agreement == nil, "agreement", "The agreement of an exchange cannot change")
	v.Check(req.ProviderParty == nil, "provider_party", "The provider of an exchange cannot change")
	v.Check(req.RecipientParty == nil, "recipient_party", "The recipient of an exchange cannot change")
	ch, err := req.change()
	for _, f := range foi.ErrorFields(err) {
		v.Add(f.Field, f.Message)
	}
	if err := v.Err(); err != nil {
		s.apiError(c, err)
		return
	}
	ra, err := s.registerAdmin()
	if err != nil {
		s.apiError(c, err)
		return
	}
	x, err := ra.UpdateExchange(c.Request.Context(), c.Param("ref"), ch)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toExchangeDetailJSON(x))
}
