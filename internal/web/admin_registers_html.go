package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// contactsPage is what /admin/contacts shows: each party with its contacts.
type contactsPage struct{ Parties []partyContactsView }

type partyContactsView struct {
	Code, Name string
	Contacts   []contactView
}

type contactView struct {
	ID                                  int64
	Name, Email, Tier, Responsibilities string
	Active                              bool
}

// contactFormPage is the form to add or change a contact.
type contactFormPage struct {
	Form                      *Form
	Action                    string // where the form posts
	Parties, Tiers, Resps, On []Option
	New                       bool
}

// handleAdminContacts lists the parties and their contacts (GET /admin/contacts).
func (s *Server) handleAdminContacts(c *gin.Context) {
	reg, ok := s.adminRegisters(c)
	if !ok {
		return
	}
	data := &contactsPage{}
	for _, p := range reg.Parties {
		pv := partyContactsView{Code: p.Code, Name: p.Name}
		for _, ct := range reg.Contacts {
			if ct.PartyID != p.ID {
				continue
			}
			resps := make([]string, len(ct.Responsibilities))
			for i, r := range ct.Responsibilities {
				resps[i] = responsibilityLabel(r)
			}
			pv.Contacts = append(pv.Contacts, contactView{ID: ct.ID, Name: ct.Name, Email: ct.Email,
				Tier: tierLabel(ct.Tier), Responsibilities: strings.Join(resps, ", "), Active: ct.Active})
		}
		data.Parties = append(data.Parties, pv)
	}
	p := s.adminPage(c, "Parties and contacts")
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "admin_contacts", p)
}

// responsibilityLabel names a responsibility for people: "FOI requests", "Security incidents".
func responsibilityLabel(r foi.Responsibility) string {
	if r == foi.RespFOI {
		return "FOI requests"
	}
	l := strings.ReplaceAll(string(r), "-", " ")
	return strings.ToUpper(l[:1]) + l[1:]
}

func tierLabel(t foi.Tier) string {
	if t == foi.TierEscalation {
		return "Escalation"
	}
	return "Business as usual"
}

// handleAdminContactNew shows the form to add a contact (GET /admin/contacts/new).
func (s *Server) handleAdminContactNew(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	f := NewForm(url.Values{"tier": {string(foi.TierBAU)}, "active": {"true"}, "party": {c.Query("party")}})
	s.renderContactForm(c, f, "/admin/contacts/new", true)
}

// handleAdminContactEdit shows the form to change a contact (GET /admin/contacts/{id}).
func (s *Server) handleAdminContactEdit(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	ct, err := s.findContact(c)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	f := NewForm(url.Values{"party": {ct.PartyCode}, "name": {ct.Name}, "email": {ct.Email}, "tier": {string(ct.Tier)}})
	for _, r := range ct.Responsibilities {
		f.Values.Add("responsibilities", string(r))
	}
	if ct.Active {
		f.Set("active", "true")
	}
	s.renderContactForm(c, f, c.Request.URL.Path, false)
}

// findContact returns the contact whose id is in the path; ENOTFOUND for a bad id.
func (s *Server) findContact(c *gin.Context) (foi.ContactRecord, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return foi.ContactRecord{}, foi.Errorf(foi.ENOTFOUND, "no such contact")
	}
	rr, err := s.registerReader()
	if err != nil {
		return foi.ContactRecord{}, err
	}
	return rr.FindContact(c.Request.Context(), id)
}

// handleAdminContactSave adds (POST /admin/contacts/new) or changes (POST /admin/contacts/{id}) a contact and
// goes back to the list, or shows the form again with what is wrong.
func (s *Server) handleAdminContactSave(c *gin.Context) {
	ra, ok := serviceFor(s, c, foi.ActionManageRegisters, s.registerAdmin)
	if !ok {
		return
	}
	f := postedForm(c)
	in := foi.NewContact{PartyCode: f.Trim("party"), Contact: foi.Contact{Name: f.Get("name"), Email: f.Get("email"),
		Tier: foi.Tier(f.Trim("tier")), Active: f.Get("active") == "true"}}
	for _, r := range f.All("responsibilities") {
		in.Contact.Responsibilities = append(in.Contact.Responsibilities, foi.Responsibility(r))
	}
	isNew := c.Param("id") == ""
	var out foi.ContactRecord
	var err error
	if isNew {
		out, err = ra.CreateContact(c.Request.Context(), in)
	} else {
		var id int64
		if id, err = strconv.ParseInt(c.Param("id"), 10, 64); err != nil {
			err = foi.Errorf(foi.ENOTFOUND, "no such contact")
		} else {
			out, err = ra.UpdateContact(c.Request.Context(), id, in)
		}
	}
	if err != nil {
		requireChoice(f, "party", "Select the party the contact belongs to")
		if failField(f, err, "email") {
			s.renderContactForm(c, f, c.Request.URL.Path, isNew)
			return
		}
		s.htmlError(c, err)
		return
	}
	verb := "changed"
	if isNew {
		verb = "added"
	}
	s.redirectFlash(c, "/admin/contacts", fmt.Sprintf("Contact %s (%s) %s for %s.", out.Name, out.Email, verb, out.PartyCode))
}

// renderContactForm shows the contact form with its choices.
func (s *Server) renderContactForm(c *gin.Context, f *Form, action string, isNew bool) {
	reg, err := s.cfg.Registers.Registers(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &contactFormPage{Form: f, Action: action, New: isNew, Parties: partyOptions(reg, "Choose a party"),
		Tiers: []Option{{Value: string(foi.TierBAU), Label: "Business as usual",
			Hint: "Receives consultations and reminders"}, {Value: string(foi.TierEscalation), Label: "Escalation",
			Hint: "Receives chasers once a consultation is overdue, and disputes"}},
		On: []Option{{Value: "true", Label: "Active: foidesk sends this contact notifications"}}}
	for _, r := range foi.Responsibilities {
		data.Resps = append(data.Resps, Option{Value: string(r), Label: responsibilityLabel(r)})
	}
	title := "Change a contact"
	if isNew {
		title = "Add a contact"
	}
	p := s.adminPage(c, title)
	p.Data = data
	s.renderForm(c, "admin_contact", p, f)
}

// partyOptions returns a select's options for the parties, by code, after a first empty option.
func partyOptions(reg foi.Registers, first string) []Option {
	out := []Option{{Value: "", Label: first}}
	for _, p := range reg.Parties {
		out = append(out, Option{Value: p.Code, Label: p.Name + " (" + p.Code + ")"})
	}
	return out
}

// assetsPage is what /admin/assets shows.
type assetsPage struct {
	Assets             []assetView
	Form               *Form // the new asset form
	Parties, Exchanges []Option
}

type assetView struct {
	Code, Name, Provider, Exchange, Description string
	Aliases                                     []string
}

// handleAdminAssets lists the information assets with a form to add one (GET /admin/assets).
func (s *Server) handleAdminAssets(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	s.renderAssets(c, NewForm(nil))
}

// handleAdminAssetCreate adds an information asset (POST /admin/assets).
func (s *Server) handleAdminAssetCreate(c *gin.Context) {
	ra, ok := serviceFor(s, c, foi.ActionManageRegisters, s.registerAdmin)
	if !ok {
		return
	}
	f := postedForm(c)
	out, err := ra.CreateAsset(c.Request.Context(), foi.NewAsset{Code: f.Trim("code"), Name: f.Trim("name"),
		ProviderPartyCode: f.Trim("provider_party"), ExchangeReference: f.Trim("exchange_reference"),
		Description: f.Trim("description"), Aliases: lines(f.Get("aliases"))})
	if err != nil {
		requireChoice(f, "provider_party", "Select the party that provides the asset")
		requireChoice(f, "exchange_reference", "Select the exchange the asset is provided under")
		if failField(f, err, "code") {
			s.renderAssets(c, f)
			return
		}
		s.htmlError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/assets", "Information asset "+out.Name+" ("+out.Code+") added.")
}

// renderAssets shows the asset list and the new asset form.
func (s *Server) renderAssets(c *gin.Context, f *Form) {
	reg, err := s.cfg.Registers.Registers(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &assetsPage{Form: f, Parties: partyOptions(reg, "Choose a party"),
		Exchanges: []Option{{Value: "", Label: "Choose an exchange"}}}
	for _, x := range reg.Exchanges {
		data.Exchanges = append(data.Exchanges, Option{Value: x.Reference, Label: x.Reference + ": " + x.Title})
	}
	for _, a := range reg.Assets {
		data.Assets = append(data.Assets, assetView{Code: a.Code, Name: a.Name, Provider: reg.PartyCode(a.ProviderPartyID),
			Exchange: exchangeRef(reg, a.ExchangeID), Description: a.Description, Aliases: a.Aliases})
	}
	p := s.adminPage(c, "Information assets")
	p.Data = data
	s.renderForm(c, "admin_assets", p, f)
}

// exchangeRef returns the reference of the exchange with this id, or "".
func exchangeRef(reg foi.Registers, id int64) string {
	for _, x := range reg.Exchanges {
		if x.ID == id {
			return x.Reference
		}
	}
	return ""
}

// lines returns the non-empty lines of s, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// assetAliasesPage is the form to change an asset's aliases.
type assetAliasesPage struct {
	Form  *Form
	Asset foi.AssetRecord
}

// handleAdminAsset shows the form to change an asset's aliases (GET /admin/assets/{code}).
func (s *Server) handleAdminAsset(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	a, err := s.findAsset(c)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	s.renderAssetAliases(c, a, NewForm(url.Values{"aliases": {strings.Join(a.Aliases, "\n")}}))
}

func (s *Server) findAsset(c *gin.Context) (foi.AssetRecord, error) {
	rr, err := s.registerReader()
	if err != nil {
		return foi.AssetRecord{}, err
	}
	return rr.FindAsset(c.Request.Context(), c.Param("code"))
}

// handleAdminAssetAliases replaces an asset's aliases (POST /admin/assets/{code}).
func (s *Server) handleAdminAssetAliases(c *gin.Context) {
	ra, ok := serviceFor(s, c, foi.ActionManageRegisters, s.registerAdmin)
	if !ok {
		return
	}
	a, err := s.findAsset(c)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	f := postedForm(c)
	if _, err := ra.SetAssetAliases(c.Request.Context(), a.Code, lines(f.Get("aliases"))); err != nil {
		if f.Fail(err) {
			s.renderAssetAliases(c, a, f)
			return
		}
		s.htmlError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/assets", "Aliases of "+a.Name+" saved.")
}

func (s *Server) renderAssetAliases(c *gin.Context, a foi.AssetRecord, f *Form) {
	p := s.adminPage(c, "Aliases of "+a.Name)
	p.Data = &assetAliasesPage{Form: f, Asset: a}
	s.renderForm(c, "admin_asset", p, f)
}
