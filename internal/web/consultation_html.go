package web

import (
	"fmt"
	"net/http"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// consultationsPage is what the consultation list shows: a liaison's inbox of consultations addressed to its
// party, or the consultations an officer's or decision-maker's party sent.
type consultationsPage struct {
	Incoming bool   // the liaison's inbox; otherwise the party's outgoing consultations
	Show     string // "open" or "all"
	Rows     []consultationRow
}

// consultationRow is one line of the list. It carries no case content and no requester data.
type consultationRow struct {
	ID            int64
	CaseReference string
	Party         string // the other party: the owner for a liaison, the consulted party otherwise
	StatusLabel   string
	StatusClass   string
	SentOn        string
	RespondBy     string
	Overdue       bool
}

// consultationStatusClass returns the GOV.UK tag colour for a consultation status.
func consultationStatusClass(s foi.ConsultationStatus) string {
	switch s {
	case foi.ConsultationDraft:
		return "govuk-tag--grey"
	case foi.ConsultationSent:
		return "govuk-tag--blue"
	case foi.ConsultationRepresentationsReceived:
		return "govuk-tag--purple"
	case foi.ConsultationConsidered:
		return "govuk-tag--green"
	}
	return "govuk-tag--grey"
}

// worksOnConsultations reports whether the user's role has a consultation list: liaisons (incoming),
// officers, decision-makers and auditors (their party's outgoing ones).
func worksOnConsultations(u *foi.User) bool {
	switch u.Role {
	case foi.RoleLiaison, foi.RoleOfficer, foi.RoleDecisionMaker, foi.RoleAuditor:
		return true
	}
	return false
}

// handleConsultationIndex shows the consultation list (GET /consultations?show=open|all; open by default).
// Roles without consultations get the 404 page.
func (s *Server) handleConsultationIndex(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	if !worksOnConsultations(u) {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no consultations for this role"))
		return
	}
	svc, err := s.consultations()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &consultationsPage{Incoming: u.Role == foi.RoleLiaison, Show: "open"}
	if c.Query("show") == "all" {
		data.Show = "all"
	}
	items, err := svc.FindConsultations(c.Request.Context(), foi.ConsultationFilter{Open: data.Show == "open"})
	if err != nil {
		s.htmlError(c, err)
		return
	}
	today := s.today()
	for _, k := range items {
		row := consultationRow{ID: k.ID, CaseReference: k.CaseReference, Party: k.ConsultedPartyCode,
			StatusLabel: k.Status.Label(), StatusClass: consultationStatusClass(k.Status),
			SentOn: govukDate(k.SentOn), RespondBy: govukDate(k.RespondBy),
			Overdue: k.Status == foi.ConsultationSent && !k.RespondBy.IsZero() && k.RespondBy.Before(today)}
		if data.Incoming {
			row.Party = k.OwnerPartyCode
		}
		data.Rows = append(data.Rows, row)
	}
	title := "Consultations sent"
	if data.Incoming {
		title = "Consultations for your party"
	}
	p := s.page(c, title)
	p.Nav = "consultations"
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "consultations", p)
}

// consultationDetailView is one consultation as its pages show it: the state, the pack, the representations and
// what the viewer may do. It never carries requester data: the pack has none by construction.
type consultationDetailView struct {
	ID              int64
	CaseID          int64
	OwnerParty      string
	ConsultedParty  string
	StatusLabel     string
	StatusClass     string
	SentOn          string
	RespondBy       string
	RemindersSent   int
	EscalatedOn     string
	ResolvedOn      string
	ClosureReasons  string
	WaiverReasons   string
	Pack            foi.ConsultationPack
	Documents       []packDocumentView
	Representations []representationView // newest first
	Consideration   *considerationView
	// What the viewer may do now.
	CanRepresent, CanConsider, CanWaive, CanClose, CanOpenCase bool
	// A draft, and whether the viewer may edit and send it (consultation_draft_html.go).
	Draft, CanEditDraft bool
	// Chasing by hand (consultation_html_forms.go): whether the viewer may chase the consulted party, the kinds
	// it may send today, why the others cannot be sent, and when the last reminder went.
	CanChase       bool
	ChaseKinds     []Option
	ChaseRefusals  []string
	LastReminderOn string
	// Attaching files to the latest representations (consultation_attachment_html.go).
	CanAttach bool
	// Reporting a data loss or wrongful disclosure about this consultation (incident_html_forms.go, MoU 4.5).
	CanReportIncident bool
	Version           int64               // the consultation's version, which the draft forms post back
	latest            *foi.Representation // the latest version, nil before any
	// The consultation's disputes (MoU section 8), and whether the viewer may raise one now.
	Disputes        []disputeRow
	CanRaiseDispute bool
	status          foi.ConsultationStatus
	scope           foi.Scope
}

// packDocumentView is a pack document with the redactions the authority proposes.
type packDocumentView struct {
	ID         int64
	Name       string
	Version    int64
	Redactions []foi.ProposedRedaction
}

// representationView is one version of the representations.
type representationView struct {
	Version     int
	Position    string
	Summary     string
	Harm        string
	Exemptions  []foi.ProposedExemption
	Redactions  []redactionView
	SubmittedAt string
	Attachments []attachmentView
}

// attachmentView is a file attached to one version of the representations, with the link that downloads it.
type attachmentView struct {
	Name, Type, Size, Uploaded, Href string
}

// redactionView is a proposed redaction with its document's name.
type redactionView struct{ Document, Passage, Reasons string }

// considerationView is the decision-maker's consideration.
type considerationView struct {
	Outcome, Reasons, ConsideredAt string
	Version                        int
}

// loadConsultation reads the consultation of the :id path parameter for the signed-in user (auditing the view)
// and returns it as the pages show it, or shows the 404 or error page and returns nil.
func (s *Server) loadConsultation(c *gin.Context) *consultationDetailView {
	u := s.requireUser(c)
	if u == nil {
		return nil
	}
	svc, err := s.consultations()
	if err == nil {
		var id int64
		if id, err = pathID(c, "id"); err == nil {
			var d foi.ConsultationDetail
			if d, err = svc.FindConsultation(c.Request.Context(), id); err == nil {
				return newConsultationDetailView(u, d, s.today())
			}
		}
	}
	s.htmlError(c, err)
	return nil
}

// newConsultationDetailView returns the pages' view of d for user u on the London date today.
func newConsultationDetailView(u *foi.User, d foi.ConsultationDetail, today calendar.Date) *consultationDetailView {
	k := d.Consultation
	scope := k.Scope()
	v := &consultationDetailView{ID: k.ID, CaseID: k.CaseID, OwnerParty: d.OwnerPartyCode, ConsultedParty: k.ConsultedPartyCode,
		StatusLabel: k.Status.Label(),
		StatusClass: consultationStatusClass(k.Status), SentOn: govukDate(k.SentOn), RespondBy: govukDate(k.RespondBy),
		RemindersSent: k.RemindersSent, EscalatedOn: govukDate(k.EscalatedOn), ResolvedOn: govukDate(k.ResolvedOn),
		ClosureReasons: k.ClosureReasons, WaiverReasons: k.WaiverReasons, Pack: d.Pack, status: k.Status, scope: scope,
		Draft: k.Status == foi.ConsultationDraft, LastReminderOn: govukDate(k.LastReminderOn), Version: k.Version}
	names := map[int64]string{}
	for _, doc := range d.Pack.Documents {
		names[doc.DocumentID] = doc.Name
		v.Documents = append(v.Documents, packDocumentView{ID: doc.DocumentID, Name: doc.Name, Version: doc.Version,
			Redactions: doc.ProposedRedactions})
	}
	if r, ok := k.Latest(); ok {
		v.latest = &r
	}
	for i := len(k.Representations) - 1; i >= 0; i-- {
		r := k.Representations[i]
		rv := representationView{Version: r.Version, Position: r.Position.Label(), Summary: r.Summary, Harm: r.Harm,
			Exemptions: r.ProposedExemptions, SubmittedAt: formatTime(r.SubmittedAt, ""), Attachments: attachmentViews(r.Attachments)}
		for _, red := range r.ProposedRedactions {
			name := names[red.DocumentID]
			if name == "" {
				name = fmt.Sprintf("Document %d", red.DocumentID)
			}
			rv.Redactions = append(rv.Redactions, redactionView{Document: name, Passage: red.Passage, Reasons: red.Reasons})
		}
		v.Representations = append(v.Representations, rv)
	}
	if k.Consideration != nil {
		v.Consideration = &considerationView{Outcome: k.Consideration.Outcome.Label(), Reasons: k.Consideration.Reasons,
			ConsideredAt: formatTime(k.Consideration.ConsideredAt, ""), Version: k.Consideration.RepresentationVersion}
	}
	decides := foi.Can(u, foi.ActionDecideCase, scope) == nil
	v.CanOpenCase = foi.Can(u, foi.ActionReadCase, scope) == nil
	v.CanRepresent = foi.Can(u, foi.ActionRepresent, scope) == nil &&
		(k.Status == foi.ConsultationSent || k.Status == foi.ConsultationRepresentationsReceived)
	v.CanConsider = foi.Can(u, foi.ActionConsider, scope) == nil && k.Status == foi.ConsultationRepresentationsReceived
	v.CanWaive = decides && k.Status.Open()
	v.CanClose = decides && k.Status == foi.ConsultationSent
	works := foi.Can(u, foi.ActionWorkCase, scope) == nil
	v.CanEditDraft = works && v.Draft
	if v.CanChase = works && k.Status == foi.ConsultationSent; v.CanChase {
		v.ChaseKinds, v.ChaseRefusals = chaseKinds(&k, today)
	}
	_, attachErr := k.AttachmentVersion()
	v.CanAttach = foi.Can(u, foi.ActionRepresent, scope) == nil && attachErr == nil
	v.CanReportIncident = canReportIncident(u)
	return v
}

// handleConsultationView shows the consultation pack (GET /consultations/{id}): the question, the request, the
// information at issue, the draft response, the documents with proposed redactions, the latest representations
// and what the viewer may do. Never the requester. The view is audited by the service.
func (s *Server) handleConsultationView(c *gin.Context) {
	v := s.loadConsultation(c)
	if v == nil {
		return
	}
	if err := s.consultationDisputes(c, s.requireUser(c), v); err != nil {
		s.htmlError(c, err)
		return
	}
	p := s.page(c, "Consultation pack")
	p.Nav = "consultations"
	p.Data = v
	s.pages.HTML(c, http.StatusOK, "consultation", p)
}

// handleConsultationHistory shows every version of the representations, newest first
// (GET /consultations/{id}/representations).
func (s *Server) handleConsultationHistory(c *gin.Context) {
	v := s.loadConsultation(c)
	if v == nil {
		return
	}
	p := s.page(c, "Representations")
	p.Nav = "consultations"
	p.Data = v
	s.pages.HTML(c, http.StatusOK, "consultation_history", p)
}

// consultationForm is what the consultation's form pages get: the consultation and the form as typed.
type consultationForm struct {
	*consultationDetailView
	Form *Form
	UI   *reasonsUI // the reasons page's wording
	// The representation form's repeating rows.
	ExemptionRows []formRow
	RedactionRows []redactionRows
	UploadLimit   string // the attachment form's largest file, for people ("20 MiB")
}

// formRow is one row of a repeating group: its index in the input names (0, 1, ...) and its number for people.
type formRow struct{ Index, Number int }

// redactionRows is one pack document's rows of proposed redactions in the representation form.
type redactionRows struct {
	Document packDocumentView
	Rows     []formRow
}

// The representation form's rows: how many empty rows a new form shows, and the most it ever shows.
const (
	emptyFormRows = 3
	maxFormRows   = 50
)
