package web

import (
	"net/http"
	"net/url"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// agreementsPage is what /admin/agreements shows.
type agreementsPage struct{ Agreements []agreementRow }

type agreementRow struct {
	Code, Title, Status, StatusClass, ReviewOn, Version string
	ReviewDue                                           bool
}

// agreementPage is /admin/agreements/{code}: the agreement, its versions and exchanges, and the forms to add a
// version and to change its status or review date.
type agreementPage struct {
	Form      *Form
	Agreement foi.AgreementDetail
	Status    string
	StatusTag string
	ReviewOn  string
	Statuses  []Option
}

var agreementStatusLabels = map[foi.AgreementStatus]string{foi.AgreementDraft: "Draft", foi.AgreementActive: "Active",
	foi.AgreementUnderReview: "Under review", foi.AgreementTerminated: "Terminated"}

func agreementStatusTag(s foi.AgreementStatus) string {
	switch s {
	case foi.AgreementActive:
		return "govuk-tag--green"
	case foi.AgreementUnderReview:
		return "govuk-tag--yellow"
	case foi.AgreementTerminated:
		return "govuk-tag--grey"
	}
	return "govuk-tag--blue"
}

// handleAdminAgreements lists the agreements (GET /admin/agreements).
func (s *Server) handleAdminAgreements(c *gin.Context) {
	reg, ok := s.adminRegisters(c)
	if !ok {
		return
	}
	today := s.today()
	data := &agreementsPage{}
	for _, a := range reg.Agreements {
		row := agreementRow{Code: a.Code, Title: a.Title, Status: agreementStatusLabels[a.Status],
			StatusClass: agreementStatusTag(a.Status), ReviewOn: govukDate(a.ReviewOn),
			ReviewDue: !a.ReviewOn.IsZero() && !a.ReviewOn.After(today)}
		if n := len(a.Versions); n > 0 {
			row.Version = a.Versions[n-1].Version
		}
		data.Agreements = append(data.Agreements, row)
	}
	p := s.adminPage(c, "Agreements")
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "admin_agreements", p)
}

// handleAdminAgreement shows an agreement with its forms (GET /admin/agreements/{code}).
func (s *Server) handleAdminAgreement(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	s.renderAgreement(c, NewForm(nil))
}

// handleAdminAgreementVersion adds a version to an agreement (POST /admin/agreements/{code}/versions).
func (s *Server) handleAdminAgreementVersion(c *gin.Context) {
	s.agreementChange(c, "version", func(ra foi.RegisterAdminService, f *Form) (string, error) {
		v := foi.AgreementVersion{Version: f.Trim("version"), Summary: f.Trim("summary"),
			IssuedOn: f.Date("issued_on", "the date the version was issued", true)}
		if !f.OK() {
			return "", nil
		}
		_, err := ra.AddAgreementVersion(c.Request.Context(), c.Param("code"), v)
		return "Version " + v.Version + " added.", err
	})
}

// handleAdminAgreementUpdate changes an agreement's status and review date (POST /admin/agreements/{code}).
func (s *Server) handleAdminAgreementUpdate(c *gin.Context) {
	s.agreementChange(c, "", func(ra foi.RegisterAdminService, f *Form) (string, error) {
		review := f.Date("review_on", "the review date", false)
		if !f.OK() {
			return "", nil
		}
		_, err := ra.UpdateAgreement(c.Request.Context(), c.Param("code"),
			foi.AgreementChange{Status: foi.AgreementStatus(f.Trim("status")), ReviewOn: &review})
		return "Status and review date saved.", err
	})
}

// agreementChange runs one of the agreement page's forms: change reads the posted form (recording errors on
// it) and calls the service; on success the browser goes back to the agreement with its message.
func (s *Server) agreementChange(c *gin.Context, conflictField string, change func(foi.RegisterAdminService, *Form) (string, error)) {
	ra, ok := serviceFor(s, c, foi.ActionManageRegisters, s.registerAdmin)
	if !ok {
		return
	}
	f := postedForm(c)
	msg, err := change(ra, f)
	if err != nil && !failField(f, err, conflictField) {
		s.htmlError(c, err)
		return
	}
	if !f.OK() {
		s.renderAgreement(c, f)
		return
	}
	s.redirectFlash(c, "/admin/agreements/"+url.PathEscape(c.Param("code")), msg)
}

// renderAgreement shows the agreement page; the status form starts from the agreement as it stands unless the
// user posted it.
func (s *Server) renderAgreement(c *gin.Context, f *Form) {
	rr, err := s.registerReader()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	a, err := rr.FindAgreement(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.htmlError(c, err)
		return
	}
	if _, posted := f.Values["status"]; !posted {
		f.Set("status", string(a.Status))
		f.SetDate("review_on", a.ReviewOn)
	}
	data := &agreementPage{Form: f, Agreement: a, Status: agreementStatusLabels[a.Status],
		StatusTag: agreementStatusTag(a.Status), ReviewOn: govukDate(a.ReviewOn)}
	for _, st := range []foi.AgreementStatus{foi.AgreementDraft, foi.AgreementActive, foi.AgreementUnderReview, foi.AgreementTerminated} {
		data.Statuses = append(data.Statuses, Option{Value: string(st), Label: agreementStatusLabels[st]})
	}
	p := s.adminPage(c, a.Title)
	p.Data = data
	s.renderForm(c, "admin_agreement", p, f)
}

// exchangesPage is what /admin/exchanges shows.
type exchangesPage struct{ Exchanges []exchangeRow }

type exchangeRow struct {
	Reference, Title, Agreement, Provider, Recipient, StartOn, ReviewOn string
	ReviewDue                                                           bool
}

// exchangeFormPage is the form to add or change an exchange.
type exchangeFormPage struct {
	Form                *Form
	New                 bool
	Action              string
	Agreements, Parties []Option
	Exchange            foi.ExchangeRecord // when changing one
}

// handleAdminExchanges lists the process-level exchanges (GET /admin/exchanges).
func (s *Server) handleAdminExchanges(c *gin.Context) {
	reg, ok := s.adminRegisters(c)
	if !ok {
		return
	}
	today := s.today()
	data := &exchangesPage{}
	for _, x := range reg.Exchanges {
		data.Exchanges = append(data.Exchanges, exchangeRow{Reference: x.Reference, Title: x.Title,
			Agreement: agreementCode(reg, x.AgreementID), Provider: reg.PartyCode(x.ProviderPartyID),
			Recipient: reg.PartyCode(x.RecipientPartyID), StartOn: govukDate(x.StartOn), ReviewOn: govukDate(x.ReviewOn),
			ReviewDue: !x.ReviewOn.IsZero() && !x.ReviewOn.After(today)})
	}
	p := s.adminPage(c, "Exchanges")
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "admin_exchanges", p)
}

func agreementCode(reg foi.Registers, id int64) string {
	for _, a := range reg.Agreements {
		if a.ID == id {
			return a.Code
		}
	}
	return ""
}

// handleAdminExchangeNew shows the form to add an exchange (GET /admin/exchanges/new).
func (s *Server) handleAdminExchangeNew(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	s.renderExchangeForm(c, NewForm(url.Values{"agreement": {c.Query("agreement")}}), nil)
}

// handleAdminExchangeCreate adds an exchange (POST /admin/exchanges/new).
func (s *Server) handleAdminExchangeCreate(c *gin.Context) {
	ra, ok := serviceFor(s, c, foi.ActionManageRegisters, s.registerAdmin)
	if !ok {
		return
	}
	f := postedForm(c)
	in := foi.NewExchange{AgreementCode: f.Trim("agreement"), Reference: f.Trim("reference"), Title: f.Get("title"),
		ProviderPartyCode: f.Trim("provider_party"), RecipientPartyCode: f.Trim("recipient_party"),
		LegalBasis: f.Get("legal_basis"), BusinessOwner: f.Get("business_owner"),
		StartOn:    f.Date("start_on", "the date the exchange started", true),
		ReviewOn:   f.Date("review_on", "the date of the next review", true),
		ReviewedOn: f.Date("reviewed_on", "the date of the last review", false)}
	if f.OK() {
		out, err := ra.CreateExchange(c.Request.Context(), in)
		if err == nil {
			s.redirectFlash(c, "/admin/exchanges", "Exchange "+out.Reference+" added.")
			return
		}
		exchangeChoices(f)
		if !failField(f, err, "reference") {
			s.htmlError(c, err)
			return
		}
	}
	exchangeChoices(f)
	s.renderExchangeForm(c, f, nil)
}

// exchangeChoices puts "Select …" messages on the new exchange form's empty drop-downs, ahead of the service's.
func exchangeChoices(f *Form) {
	requireChoice(f, "agreement", "Select the agreement the exchange is made under")
	requireChoice(f, "provider_party", "Select the party that provides the information")
	requireChoice(f, "recipient_party", "Select the party that receives the information")
}

// handleAdminExchange shows the form to change an exchange (GET /admin/exchanges/{ref}).
func (s *Server) handleAdminExchange(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	x, err := s.findExchange(c)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	f := NewForm(url.Values{"title": {x.Title}, "legal_basis": {x.LegalBasis}, "business_owner": {x.BusinessOwner}})
	f.SetDate("start_on", x.StartOn)
	f.SetDate("review_on", x.ReviewOn)
	f.SetDate("reviewed_on", x.ReviewedOn)
	s.renderExchangeForm(c, f, &x)
}

func (s *Server) findExchange(c *gin.Context) (foi.ExchangeRecord, error) {
	rr, err := s.registerReader()
	if err != nil {
		return foi.ExchangeRecord{}, err
	}
	return rr.FindExchange(c.Request.Context(), c.Param("ref"))
}

// handleAdminExchangeUpdate changes an exchange (POST /admin/exchanges/{ref}): its title, legal basis,
// business owner, start and review dates.
func (s *Server) handleAdminExchangeUpdate(c *gin.Context) {
	ra, ok := serviceFor(s, c, foi.ActionManageRegisters, s.registerAdmin)
	if !ok {
		return
	}
	x, err := s.findExchange(c)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	f := postedForm(c)
	title, basis, owner := f.Get("title"), f.Get("legal_basis"), f.Get("business_owner")
	start := f.Date("start_on", "the date the exchange started", true)
	review := f.Date("review_on", "the date of the next review", true)
	reviewed := f.Date("reviewed_on", "the date of the last review", false)
	if f.OK() {
		ch := foi.ExchangeChange{Title: &title, LegalBasis: &basis, BusinessOwner: &owner}
		// Only a changed date is sent, so an exchange recorded before the review rule can still be retitled.
		if start != x.StartOn {
			ch.StartOn = &start
		}
		if review != x.ReviewOn {
			ch.ReviewOn = &review
		}
		if reviewed != x.ReviewedOn {
			ch.ReviewedOn = &reviewed
		}
		if _, err = ra.UpdateExchange(c.Request.Context(), x.Reference, ch); err == nil {
			s.redirectFlash(c, "/admin/exchanges", "Exchange "+x.Reference+" saved.")
			return
		}
		if !f.Fail(err) {
			s.htmlError(c, err)
			return
		}
	}
	s.renderExchangeForm(c, f, &x)
}

// renderExchangeForm shows the exchange form: to add one when x is nil, else to change x.
func (s *Server) renderExchangeForm(c *gin.Context, f *Form, x *foi.ExchangeRecord) {
	reg, err := s.cfg.Registers.Registers(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &exchangeFormPage{Form: f, New: x == nil, Action: "/admin/exchanges/new",
		Parties: partyOptions(reg, "Choose a party"), Agreements: []Option{{Value: "", Label: "Choose an agreement"}}}
	for _, a := range reg.Agreements {
		data.Agreements = append(data.Agreements, Option{Value: a.Code, Label: a.Title + " (" + a.Code + ")"})
	}
	title := "Add an exchange"
	if x != nil {
		data.Exchange, data.Action, title = *x, "/admin/exchanges/"+url.PathEscape(x.Reference), "Change exchange "+x.Reference
	}
	p := s.adminPage(c, title)
	p.Data = data
	s.renderForm(c, "admin_exchange", p, f)
}
