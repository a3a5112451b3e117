package web

import (
	"net/http"
	"strconv"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The register endpoints (issue 5): any signed-in user reads the registers, admins change contacts, agreements
// and assets, officers and decision-makers ask which assets a request text touches. The writes and suggestions
// use the foi.RegisterAdminService the configured case service also implements (the store does), so Config
// needs no new field; a case service without it answers 500.

// contactJSON is a contact as the API shows it.
type contactJSON struct {
	ID               int64                `json:"id"`
	Party            string               `json:"party"`
	Name             string               `json:"name"`
	Email            string               `json:"email"`
	Tier             foi.Tier             `json:"tier"`
	Responsibilities []foi.Responsibility `json:"responsibilities"`
	Active           bool                 `json:"active"`
}

// partyJSON is a party with its contacts.
type partyJSON struct {
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	Contacts []contactJSON `json:"contacts"`
}

type agreementVersionJSON struct {
	Version  string  `json:"version"`
	IssuedOn *string `json:"issued_on"`
	Summary  string  `json:"summary"`
}

// agreementJSON is an agreement with its version history.
type agreementJSON struct {
	Code     string                 `json:"code"`
	Title    string                 `json:"title"`
	Status   foi.AgreementStatus    `json:"status"`
	ReviewOn *string                `json:"review_on"`
	Versions []agreementVersionJSON `json:"versions"`
}

// exchangeJSON is an exchange as the API shows it.
type exchangeJSON struct {
	Reference      string  `json:"reference"`
	Title          string  `json:"title"`
	Agreement      string  `json:"agreement"`
	ProviderParty  string  `json:"provider_party"`
	RecipientParty string  `json:"recipient_party"`
	LegalBasis     string  `json:"legal_basis"`
	BusinessOwner  string  `json:"business_owner"`
	StartOn        *string `json:"start_on"`
	ReviewOn       *string `json:"review_on"`
}

// assetJSON is an information asset with its aliases.
type assetJSON struct {
	Code              string   `json:"code"`
	Name              string   `json:"name"`
	ProviderParty     string   `json:"provider_party"`
	ExchangeReference string   `json:"exchange_reference"`
	Description       string   `json:"description"`
	Aliases           []string `json:"aliases"`
}

// registersJSON is the answer to GET /api/v1/registers.
type registersJSON struct {
	Parties    []partyJSON     `json:"parties"`
	Agreements []agreementJSON `json:"agreements"`
	Exchanges  []exchangeJSON  `json:"exchanges"`
	Assets     []assetJSON     `json:"assets"`
}

func toContactJSON(c foi.Contact, party string) contactJSON {
	resp := c.Responsibilities
	if resp == nil {
		resp = []foi.Responsibility{}
	}
	return contactJSON{ID: c.ID, Party: party, Name: c.Name, Email: c.Email, Tier: c.Tier, Responsibilities: resp,
		Active: c.Active}
}

func toAgreementJSON(a foi.Agreement) agreementJSON {
	out := agreementJSON{Code: a.Code, Title: a.Title, Status: a.Status, ReviewOn: jsonDate(a.ReviewOn),
		Versions: []agreementVersionJSON{}}
	for _, v := range a.Versions {
		out.Versions = append(out.Versions, agreementVersionJSON{Version: v.Version, IssuedOn: jsonDate(v.IssuedOn),
			Summary: v.Summary})
	}
	return out
}

func toAssetJSON(a foi.Asset, provider, exchange string) assetJSON {
	aliases := a.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	return assetJSON{Code: a.Code, Name: a.Name, ProviderParty: provider, ExchangeReference: exchange,
		Description: a.Description, Aliases: aliases}
}

// apiRegisters answers GET /api/v1/registers: parties with contacts, agreements with versions, exchanges and
// assets with aliases.
func (s *Server) apiRegisters(c *gin.Context) {
	r, err := s.cfg.Registers.Registers(c.Request.Context())
	if err != nil {
		s.apiError(c, err)
		return
	}
	out := registersJSON{Parties: []partyJSON{}, Agreements: []agreementJSON{}, Exchanges: []exchangeJSON{},
		Assets: []assetJSON{}}
	for _, p := range r.Parties {
		pj := partyJSON{Code: p.Code, Name: p.Name, Contacts: []contactJSON{}}
		for _, ct := range r.Contacts {
			if ct.PartyID == p.ID {
				pj.Contacts = append(pj.Contacts, toContactJSON(ct, p.Code))
			}
		}
		out.Parties = append(out.Parties, pj)
	}
	agreementCode := map[int64]string{}
	for _, a := range r.Agreements {
		agreementCode[a.ID] = a.Code
		out.Agreements = append(out.Agreements, toAgreementJSON(a))
	}
	exchangeRef := map[int64]string{}
	for _, x := range r.Exchanges {
		exchangeRef[x.ID] = x.Reference
		out.Exchanges = append(out.Exchanges, exchangeJSON{Reference: x.Reference, Title: x.Title,
			Agreement: agreementCode[x.AgreementID], ProviderParty: r.PartyCode(x.ProviderPartyID),
			RecipientParty: r.PartyCode(x.RecipientPartyID), LegalBasis: x.LegalBasis, BusinessOwner: x.BusinessOwner,
			StartOn: jsonDate(x.StartOn), ReviewOn: jsonDate(x.ReviewOn)})
	}
	for _, a := range r.Assets {
		out.Assets = append(out.Assets, toAssetJSON(a, r.PartyCode(a.ProviderPartyID), exchangeRef[a.ExchangeID]))
	}
	c.JSON(http.StatusOK, out)
}

// readRequest reads a strict JSON body into dst, answering the problem itself when it cannot.
func (s *Server) readRequest(c *gin.Context, dst any) bool {
	body, err := readBody(c)
	if err == nil {
		err = decodeJSON(body, dst)
	}
	if err != nil {
		s.apiError(c, err)
		return false
	}
	return true
}

// contactRequest is the body of POST /api/v1/contacts and PUT /api/v1/contacts/{id}.
type contactRequest struct {
	Party            string   `json:"party"`
	Name             string   `json:"name"`
	Email            string   `json:"email"`
	Tier             string   `json:"tier"`
	Responsibilities []string `json:"responsibilities"`
	Active           *bool    `json:"active"`
}

func (r contactRequest) toNewContact() foi.NewContact {
	resp := make([]foi.Responsibility, len(r.Responsibilities))
	for i, x := range r.Responsibilities {
		resp[i] = foi.Responsibility(x)
	}
	active := r.Active == nil || *r.Active
	return foi.NewContact{PartyCode: r.Party, Contact: foi.Contact{Name: r.Name, Email: r.Email, Tier: foi.Tier(r.Tier),
		Responsibilities: resp, Active: active}}
}

// apiContactCreate answers POST /api/v1/contacts (admins): 201 with the contact.
func (s *Server) apiContactCreate(c *gin.Context) {
	var req contactRequest
	if !s.readRequest(c, &req) {
		return
	}
	ra, err := s.registerAdmin()
	if err != nil {
		s.apiError(c, err)
		return
	}
	ct, err := ra.CreateContact(c.Request.Context(), req.toNewContact())
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("Location", "/api/v1/contacts/"+strconv.FormatInt(ct.ID, 10))
	c.JSON(http.StatusCreated, toContactJSON(ct.Contact, ct.PartyCode))
}

// apiContactUpdate answers PUT /api/v1/contacts/{id} (admins): 200 with the contact as replaced.
func (s *Server) apiContactUpdate(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	var req contactRequest
	if !s.readRequest(c, &req) {
		return
	}
	ra, err := s.registerAdmin()
	if err != nil {
		s.apiError(c, err)
		return
	}
	ct, err := ra.UpdateContact(c.Request.Context(), id, req.toNewContact())
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toContactJSON(ct.Contact, ct.PartyCode))
}

// apiAgreementVersionAdd answers POST /api/v1/agreements/{code}/versions (admins): 201 with the agreement.
func (s *Server) apiAgreementVersionAdd(c *gin.Context) {
	var req struct {
		Version  string `json:"version"`
		IssuedOn string `json:"issued_on"`
		Summary  string `json:"summary"`
	}
	if !s.readRequest(c, &req) {
		return
	}
	var v foi.Validation
	var issued calendar.Date
	if req.IssuedOn != "" {
		d, err := calendar.ParseDate(req.IssuedOn)
		v.Check(err == nil, "issued_on", "issued_on must be a date, like 2026-03-31")
		issued = d
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
	a, err := ra.AddAgreementVersion(c.Request.Context(), c.Param("code"),
		foi.AgreementVersion{Version: req.Version, IssuedOn: issued, Summary: req.Summary})
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("Location", "/api/v1/agreements/"+a.Code)
	c.JSON(http.StatusCreated, toAgreementJSON(a))
}

// apiAgreementUpdate answers PATCH /api/v1/agreements/{code} (admins): status and review_on, each optional;
// review_on "" clears the review date.
func (s *Server) apiAgreementUpdate(c *gin.Context) {
	var req struct {
		Status   string  `json:"status"`
		ReviewOn *string `json:"review_on"`
	}
	if !s.readRequest(c, &req) {
		return
	}
	ch := foi.AgreementChange{Status: foi.AgreementStatus(req.Status)}
	var v foi.Validation
	if req.ReviewOn != nil {
		var d calendar.Date
		if *req.ReviewOn != "" {
			var err error
			d, err = calendar.ParseDate(*req.ReviewOn)
			v.Check(err == nil, "review_on", "review_on must be a date, like 2026-03-31")
		}
		ch.ReviewOn = &d
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
	a, err := ra.UpdateAgreement(c.Request.Context(), c.Param("code"), ch)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAgreementJSON(a))
}

// apiAssetCreate answers POST /api/v1/assets (admins): 201 with the asset.
func (s *Server) apiAssetCreate(c *gin.Context) {
	var req struct {
		Code              string   `json:"code"`
		Name              string   `json:"name"`
		ProviderParty     string   `json:"provider_party"`
		ExchangeReference string   `json:"exchange_reference"`
		Description       string   `json:"description"`
		Aliases           []string `json:"aliases"`
	}
	if !s.readRequest(c, &req) {
		return
	}
	ra, err := s.registerAdmin()
	if err != nil {
		s.apiError(c, err)
		return
	}
	a, err := ra.CreateAsset(c.Request.Context(), foi.NewAsset{Code: req.Code, Name: req.Name,
		ProviderPartyCode: req.ProviderParty, ExchangeReference: req.ExchangeReference, Description: req.Description,
		Aliases: req.Aliases})
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("Location", "/api/v1/assets/"+a.Code)
	c.JSON(http.StatusCreated, toAssetJSON(a.Asset, a.ProviderPartyCode, a.ExchangeReference))
}

// apiAssetAliasesSet answers PUT /api/v1/assets/{code}/aliases (admins): the body {"aliases": [...]} replaces
// the asset's aliases.
func (s *Server) apiAssetAliasesSet(c *gin.Context) {
	var req struct {
		Aliases *[]string `json:"aliases"`
	}
	// Who asks first: a role that may not change the registers learns nothing of the request's shape.
	if err := foi.CanActor(foi.ActorFrom(c.Request.Context()), foi.ActionManageRegisters, foi.Scope{}); err != nil {
		s.apiError(c, err)
		return
	}
	if !s.readRequest(c, &req) {
		return
	}
	if req.Aliases == nil { // a body without the list must not clear the asset's aliases
		s.apiError(c, invalidField("aliases", "Give the asset's aliases as a list, [] for none"))
		return
	}
	ra, err := s.registerAdmin()
	if err != nil {
		s.apiError(c, err)
		return
	}
	a, err := ra.SetAssetAliases(c.Request.Context(), c.Param("code"), *req.Aliases)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAssetJSON(a.Asset, a.ProviderPartyCode, a.ExchangeReference))
}

// assetSuggestionJSON is one suggested asset.
type assetSuggestionJSON struct {
	Code                 string   `json:"code"`
	Name                 string   `json:"name"`
	ProviderParty        string   `json:"provider_party"`
	Phrases              []string `json:"phrases"`
	RequiresConsultation bool     `json:"requires_consultation"`
}

// apiAssetSuggestions answers POST /api/v1/asset-suggestions (officers and decision-makers): the assets whose
// names, codes or aliases appear in request_text, for the officer to confirm as the case's asset_codes.
func (s *Server) apiAssetSuggestions(c *gin.Context) {
	var req struct {
		RequestText string `json:"request_text"`
	}
	if !s.readRequest(c, &req) {
		return
	}
	ra, err := s.registerAdmin()
	if err != nil {
		s.apiError(c, err)
		return
	}
	res, err := ra.SuggestAssets(c.Request.Context(), req.RequestText)
	if err != nil {
		s.apiError(c, err)
		return
	}
	r := foi.Registers{Parties: res.Parties}
	out := struct {
		Items []assetSuggestionJSON `json:"items"`
	}{Items: []assetSuggestionJSON{}}
	for _, sg := range res.Suggestions {
		phrases := sg.Phrases
		if phrases == nil {
			phrases = []string{}
		}
		out.Items = append(out.Items, assetSuggestionJSON{Code: sg.Code, Name: sg.Name,
			ProviderParty: r.PartyCode(sg.ProviderPartyID), Phrases: phrases, RequiresConsultation: sg.RequiresConsultation})
	}
	c.JSON(http.StatusOK, out)
}
