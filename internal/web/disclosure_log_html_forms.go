package web

import (
	"fmt"
	"net/http"
	"strconv"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The disclosure-log management pages (issue 7), for the decision-makers of a party: prepare a responded
// case's entry (GET/POST /cases/{id}/disclosure-log, which proposes it or, while it is proposed, edits it), the
// party's entries (GET /disclosure-log/entries), one entry with its publish button
// (/disclosure-log/entries/{id}, POST .../publish), its personal-data flags with a form to resolve each
// (/disclosure-log/entries/{id}/flags, POST .../flags/{seq}) and the withdrawal (.../withdraw). Everyone else
// gets the 404 page. Publishing passes the disclosure gate and the personal-data check in the service.

// disclosurePrepareView is what the entry form shows.
type disclosurePrepareView struct {
	CaseID    int64
	Reference string
	Subject   string
	Entry     *foi.DisclosureEntry // the proposed entry being edited; nil for a new proposal
	Documents []Option             // the case's documents, by id
	Form      *Form
}

// disclosureEntriesView is what GET /disclosure-log/entries shows.
type disclosureEntriesView struct {
	Entries []foi.DisclosureEntry
}

// disclosureEntryView is an entry as its staff page and its flags page show it.
type disclosureEntryView struct {
	Entry      foi.DisclosureEntry
	Unresolved int
	Form       *Form
	FlagSeq    int // the flag whose form the Form holds, 0 for none
}

// flagResolutionOptions are the radios of a flag's form.
func flagResolutionOptions() []Option {
	return []Option{
		{Value: string(foi.FlagNotPersonal), Label: "It is not personal data", Hint: "It is not about a living person, for example an office's phone number"},
		{Value: string(foi.FlagPublicRole), Label: "A public official in their public role"},
		{Value: string(foi.FlagConsent), Label: "The person agreed to its publication"},
	}
}

// disclosureFieldLabel returns an entry's text field for people ("Released text").
func disclosureFieldLabel(field string) string {
	switch field {
	case "title":
		return "Title"
	case "summary":
		return "Summary"
	case "released_text":
		return "Released text"
	}
	return field
}

// flagResolutionLabel returns a resolution for people.
func flagResolutionLabel(r foi.FlagResolution) string {
	for _, o := range flagResolutionOptions() {
		if o.Value == string(r) {
			return o.Label
		}
	}
	return string(r)
}

func init() {
	templateFuncs["flagResolutions"] = flagResolutionOptions
	templateFuncs["disclosureFieldLabel"] = disclosureFieldLabel
	templateFuncs["flagResolutionLabel"] = flagResolutionLabel
}

// canManageDisclosures reports whether u manages the disclosure log of their party (its decision-makers).
func canManageDisclosures(u *foi.User) bool {
	return u.PartyID != 0 && foi.CanManageDisclosureLog(foi.Actor{User: u}, u.PartyID) == nil
}

// notFoundPage is the error that shows the 404 page.
func notFoundPage() error { return foi.Errorf(foi.ENOTFOUND, "no such page") }

// loadDisclosurePrepare reads the case of the :id path parameter and its live entry for the entry form, or
// shows the 404 or error page and returns nil. The 404 also when the viewer may not manage the case's party's
// log.
func (s *Server) loadDisclosurePrepare(c *gin.Context) (foi.DisclosureLogService, *disclosurePrepareView) {
	u := s.requireUser(c)
	if u == nil {
		return nil, nil
	}
	ctx := c.Request.Context()
	ds, err := s.disclosureLog()
	if err == nil {
		var id int64
		if id, err = caseIDParam(c); err == nil {
			var cs *foi.Case
			if cs, err = s.cfg.Cases.FindCaseByID(ctx, id); err == nil {
				if foi.CanManageDisclosureLog(foi.Actor{User: u}, cs.PartyID) != nil {
					err = notFoundPage()
				} else {
					v := &disclosurePrepareView{CaseID: cs.ID, Reference: cs.Reference, Subject: cs.Subject, Form: NewForm(nil)}
					if err = s.disclosurePrepareParts(c, ds, v); err == nil {
						return ds, v
					}
				}
			}
		}
	}
	s.htmlError(c, err)
	return nil, nil
}

// disclosurePrepareParts finds the case's live entry and lists its documents for the entry form.
func (s *Server) disclosurePrepareParts(c *gin.Context, ds foi.DisclosureLogService, v *disclosurePrepareView) error {
	ctx := c.Request.Context()
	entries, err := ds.DisclosureEntries(ctx)
	if err != nil {
		return err
	}
	for i := range entries {
		if e := &entries[i]; e.CaseID == v.CaseID && e.Status != foi.DisclosureWithdrawn {
			v.Entry = e
			break
		}
	}
	docs, err := s.documents()
	if err != nil {
		return err
	}
	list, err := docs.ListDocuments(ctx, v.CaseID)
	if err != nil {
		return err
	}
	for _, d := range list {
		v.Documents = append(v.Documents, Option{Value: strconv.FormatInt(d.ID, 10),
			Label: fmt.Sprintf("%s (version %d)", d.Name, d.Version), Hint: d.ContentType + ", " + humanSize(d.Size)})
	}
	return nil
}

// handleDisclosurePrepare shows the entry form of a case (GET /cases/{id}/disclosure-log): empty but for the
// case's subject as the title, or the proposed entry to edit; a published entry's page instead.
func (s *Server) handleDisclosurePrepare(c *gin.Context) {
	_, v := s.loadDisclosurePrepare(c)
	if v == nil {
		return
	}
	if e := v.Entry; e != nil && e.Status != foi.DisclosureProposed {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/disclosure-log/entries/%d", e.ID))
		return
	}
	f := v.Form
	if e := v.Entry; e != nil {
		f.Set("title", e.Title)
		f.Set("summary", e.Summary)
		f.Set("released_text", e.ReleasedText)
		f.Set("version", strconv.FormatInt(e.Version, 10))
		for _, d := range e.Documents {
			f.Values.Add("document_ids", strconv.FormatInt(d.ID, 10))
		}
	} else {
		f.Set("title", v.Subject)
	}
	s.renderDisclosurePrepare(c, v)
}

// handleDisclosurePropose proposes the case's entry, or saves the edit of its proposed entry (POST
// /cases/{id}/disclosure-log), and sends the browser to the entry, with a banner counting the personal-data
// flags to resolve; bad input, the disclosure gate or a stale form shows the form again with the error summary.
func (s *Server) handleDisclosurePropose(c *gin.Context) {
	ds, v := s.loadDisclosurePrepare(c)
	if v == nil {
		return
	}
	if e := v.Entry; e != nil && e.Status != foi.DisclosureProposed {
		s.htmlError(c, notFoundPage())
		return
	}
	f := postedForm(c)
	v.Form = f
	d := foi.DisclosureDraft{Title: f.Get("title"), Summary: f.Get("summary"), ReleasedText: f.Get("released_text")}
	for _, raw := range f.All("document_ids") {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			f.AddError("document_ids", "Select the documents from the list")
			continue
		}
		d.DocumentIDs = append(d.DocumentIDs, id)
	}
	var e foi.DisclosureEntry
	err := d.Validate()
	if err == nil && f.OK() {
		if v.Entry == nil {
			e, err = ds.ProposeDisclosure(c.Request.Context(), v.CaseID, d)
		} else {
			version, _ := strconv.ParseInt(f.Trim("version"), 10, 64)
			e, err = ds.EditDisclosure(c.Request.Context(), v.Entry.ID, version, d)
		}
	}
	if err == nil && f.OK() {
		msg := "Entry saved. It is not published yet."
		if n := len(e.Unresolved()); n > 0 {
			msg = fmt.Sprintf("Entry saved. The personal-data check raised %d %s to resolve before it can be published.",
				n, plural(n, "flag", "flags"))
		}
		s.redirectFlash(c, fmt.Sprintf("/disclosure-log/entries/%d", e.ID), msg)
		return
	}
	if err != nil && !f.Fail(err) {
		s.htmlError(c, err)
		return
	}
	s.renderDisclosurePrepare(c, v)
}

func (s *Server) renderDisclosurePrepare(c *gin.Context, v *disclosurePrepareView) {
	title := "Prepare the disclosure-log entry"
	if v.Entry != nil {
		title = "Edit the disclosure-log entry"
	}
	s.renderFormPage(c, "disclosure_log_prepare", title, "cases", v, v.Form)
}

// handleDisclosureEntries lists the party's entries, every status (GET /disclosure-log/entries), to its
// decision-makers; the 404 page for everyone else.
func (s *Server) handleDisclosureEntries(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	ds, err := s.disclosureLog()
	if err == nil && !canManageDisclosures(u) {
		err = notFoundPage()
	}
	var list []foi.DisclosureEntry
	if err == nil {
		list, err = ds.DisclosureEntries(c.Request.Context())
	}
	if err != nil {
		s.htmlError(c, err)
		return
	}
	p := s.page(c, "Disclosure-log entries")
	p.Data = &disclosureEntriesView{Entries: list}
	s.pages.HTML(c, http.StatusOK, "disclosure_log_entries", p)
}

// loadDisclosureEntry reads the entry of the :id path parameter for its decision-makers, or shows the 404 or
// error page and returns nil.
func (s *Server) loadDisclosureEntry(c *gin.Context) (foi.DisclosureLogService, *disclosureEntryView) {
	if s.requireUser(c) == nil {
		return nil, nil
	}
	ds, err := s.disclosureLog()
	if err == nil {
		var id int64
		if id, err = pathID(c, "id"); err == nil {
			var e foi.DisclosureEntry
			if e, err = ds.DisclosureEntry(c.Request.Context(), id); err == nil {
				return ds, &disclosureEntryView{Entry: e, Unresolved: len(e.Unresolved()), Form: NewForm(nil)}
			}
		}
	}
	s.htmlError(c, err)
	return nil, nil
}

// handleDisclosureEntry shows one entry to its party's decision-makers (GET /disclosure-log/entries/{id}): its
// texts, documents and flags, with the publish button, the edit link or the withdraw link its status allows.
func (s *Server) handleDisclosureEntry(c *gin.Context) {
	if _, v := s.loadDisclosureEntry(c); v != nil {
		s.renderDisclosureEntry(c, "disclosure_log_manage", v)
	}
}

func (s *Server) renderDisclosureEntry(c *gin.Context, page string, v *disclosureEntryView) {
	title := v.Entry.Reference
	if page == "disclosure_log_flags" {
		title = "Personal-data flags"
	}
	s.renderFormPage(c, page, title, "", v, v.Form)
}

// handleDisclosurePublish publishes a proposed entry (POST /disclosure-log/entries/{id}/publish): the browser
// goes back to the entry with a banner, or the entry shows what still blocks (flags, the disclosure gate).
func (s *Server) handleDisclosurePublish(c *gin.Context) {
	ds, v := s.loadDisclosureEntry(c)
	if v == nil {
		return
	}
	v.Form = postedForm(c)
	if _, err := ds.PublishDisclosure(c.Request.Context(), v.Entry.ID); err != nil {
		if !v.Form.Fail(err) {
			s.htmlError(c, err)
			return
		}
		s.renderDisclosureEntry(c, "disclosure_log_manage", v)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/disclosure-log/entries/%d", v.Entry.ID), "Published on the disclosure log.")
}

// handleDisclosureFlags lists an entry's personal-data flags, with a form to resolve each unresolved one while
// the entry is proposed (GET /disclosure-log/entries/{id}/flags).
func (s *Server) handleDisclosureFlags(c *gin.Context) {
	if _, v := s.loadDisclosureEntry(c); v != nil {
		s.renderDisclosureEntry(c, "disclosure_log_flags", v)
	}
}

// handleDisclosureResolveFlag records why flag seq may be published (POST
// /disclosure-log/entries/{id}/flags/{seq}) and goes back to the flags, or to the entry once none is left;
// bad input shows the flags again with the error summary on that flag's form.
func (s *Server) handleDisclosureResolveFlag(c *gin.Context) {
	ds, v := s.loadDisclosureEntry(c)
	if v == nil {
		return
	}
	seq, err := strconv.Atoi(c.Param("seq"))
	if err != nil || seq <= 0 {
		s.htmlError(c, notFoundPage())
		return
	}
	f := postedForm(c)
	suffix := "-" + strconv.Itoa(seq)
	f.Alias("resolution", "resolution"+suffix).Alias("reasons", "reasons"+suffix)
	v.Form, v.FlagSeq = f, seq
	e, err := ds.ResolveDisclosureFlag(c.Request.Context(), v.Entry.ID, seq,
		foi.FlagResolution(f.Trim("resolution"+suffix)), f.Get("reasons"+suffix))
	if err != nil {
		if !f.Fail(err) {
			s.htmlError(c, err)
			return
		}
		s.renderDisclosureEntry(c, "disclosure_log_flags", v)
		return
	}
	msg, next := fmt.Sprintf("Flag %d resolved.", seq), fmt.Sprintf("/disclosure-log/entries/%d/flags", e.ID)
	if len(e.Unresolved()) == 0 {
		msg, next = msg+" Every flag is resolved: the entry can be published.", fmt.Sprintf("/disclosure-log/entries/%d", e.ID)
	}
	s.redirectFlash(c, next, msg)
}

// loadWithdrawal reads a published entry for the withdraw form; the 404 page when it is not published.
func (s *Server) loadWithdrawal(c *gin.Context) (foi.DisclosureLogService, *disclosureEntryView) {
	ds, v := s.loadDisclosureEntry(c)
	if v != nil && v.Entry.Status != foi.DisclosurePublished {
		s.htmlError(c, notFoundPage())
		return nil, nil
	}
	return ds, v
}

// handleDisclosureWithdrawForm shows the withdraw form of a published entry (GET
// /disclosure-log/entries/{id}/withdraw).
func (s *Server) handleDisclosureWithdrawForm(c *gin.Context) {
	if _, v := s.loadWithdrawal(c); v != nil {
		s.renderWithdrawal(c, v)
	}
}

// handleDisclosureWithdraw withdraws a published entry with reasons, leaving a tombstone on the public log
// (POST /disclosure-log/entries/{id}/withdraw).
func (s *Server) handleDisclosureWithdraw(c *gin.Context) {
	ds, v := s.loadWithdrawal(c)
	if v == nil {
		return
	}
	v.Form = postedForm(c)
	if _, err := ds.WithdrawDisclosure(c.Request.Context(), v.Entry.ID, v.Form.Get("reasons")); err != nil {
		if !v.Form.Fail(err) {
			s.htmlError(c, err)
			return
		}
		s.renderWithdrawal(c, v)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/disclosure-log/entries/%d", v.Entry.ID),
		"Entry withdrawn. The public log shows when and why.")
}

func (s *Server) renderWithdrawal(c *gin.Context, v *disclosureEntryView) {
	s.renderFormPage(c, "disclosure_log_withdraw", "Withdraw the entry", "", v, v.Form)
}
