package web

import (
	"net/http"
	"time"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// proposedExemptionJSON is an exemption the consulted party proposes.
type proposedExemptionJSON struct {
	Section string `json:"section"`
	Reasons string `json:"reasons"`
}

// proposedRedactionJSON is a passage the consulted party asks to redact.
type proposedRedactionJSON struct {
	DocumentID int64  `json:"document_id"`
	Passage    string `json:"passage"`
	Reasons    string `json:"reasons"`
}

// representationJSON is one version of the consulted party's representations.
type representationJSON struct {
	Version            int                     `json:"version"`
	Position           foi.Position            `json:"position"`
	Summary            string                  `json:"summary"`
	Harm               string                  `json:"harm"`
	ProposedExemptions []proposedExemptionJSON `json:"proposed_exemptions"`
	ProposedRedactions []proposedRedactionJSON `json:"proposed_redactions"`
	SubmittedBy        int64                   `json:"submitted_by"`
	SubmittedAt        time.Time               `json:"submitted_at"`
	Attachments        []attachmentJSON        `json:"attachments"`
}

// considerationJSON is a decision-maker's consideration of the representations.
type considerationJSON struct {
	Outcome               foi.ConsiderationOutcome `json:"outcome"`
	Reasons               string                   `json:"reasons"`
	RepresentationVersion int                      `json:"representation_version"`
	ConsideredBy          int64                    `json:"considered_by"`
	ConsideredAt          time.Time                `json:"considered_at"`
}

// packDocumentJSON is a document's metadata in a consultation pack.
type packDocumentJSON struct {
	DocumentID int64  `json:"document_id"`
	Name       string `json:"name"`
	Version    int64  `json:"version"`
}

// packJSON is what the consulted party reads: never the requester.
type packJSON struct {
	Question           string             `json:"question"`
	RequestText        string             `json:"request_text"`
	InformationAtIssue string             `json:"information_at_issue"`
	DraftResponse      string             `json:"draft_response"`
	Regime             string             `json:"regime"`
	AssetCodes         []string           `json:"asset_codes"`
	Documents          []packDocumentJSON `json:"documents"`
}

// consultationJSON is a consultation as the API shows it. It never carries requester data.
type consultationJSON struct {
	ID                 int64                  `json:"id"`
	CaseID             int64                  `json:"case_id"`
	CaseReference      string                 `json:"case_reference,omitempty"`
	OwnerParty         string                 `json:"owner_party,omitempty"`
	ConsultedParty     string                 `json:"consulted_party"`
	Status             foi.ConsultationStatus `json:"status"`
	Question           string                 `json:"question"`
	InformationAtIssue string                 `json:"information_at_issue"`
	ContactEmail       string                 `json:"contact_email"`
	SentOn             *string                `json:"sent_on"`
	RespondBy          *string                `json:"respond_by"`
	RemindersSent      int                    `json:"reminders_sent"`
	EscalatedOn        *string                `json:"escalated_on"`
	ClosureReasons     string                 `json:"closure_reasons"`
	WaiverReasons      string                 `json:"waiver_reasons"`
	ResolvedOn         *string                `json:"resolved_on"`
	AllowedActions     []string               `json:"allowed_actions"`
	Representations    []representationJSON   `json:"representations"`
	Consideration      *considerationJSON     `json:"consideration"`
	Version            int64                  `json:"version"`
	Pack               *packJSON              `json:"pack,omitempty"`
}

func toConsultationJSON(k *foi.Consultation) consultationJSON {
	out := consultationJSON{ID: k.ID, CaseID: k.CaseID, ConsultedParty: k.ConsultedPartyCode, Status: k.Status,
		Question: k.Question, InformationAtIssue: k.InformationAtIssue, ContactEmail: k.ContactEmail,
		SentOn: jsonDate(k.SentOn), RespondBy: jsonDate(k.RespondBy), RemindersSent: k.RemindersSent,
		EscalatedOn: jsonDate(k.EscalatedOn), ClosureReasons: k.ClosureReasons, WaiverReasons: k.WaiverReasons,
		ResolvedOn: jsonDate(k.ResolvedOn), AllowedActions: foi.ConsultationActions(k.Status),
		Representations: make([]representationJSON, 0, len(k.Representations)), Version: k.Version}
	if out.AllowedActions == nil {
		out.AllowedActions = []string{}
	}
	for _, r := range k.Representations {
		rj := representationJSON{Version: r.Version, Position: r.Position, Summary: r.Summary, Harm: r.Harm,
			ProposedExemptions: []proposedExemptionJSON{}, ProposedRedactions: []proposedRedactionJSON{},
			SubmittedBy: r.SubmittedBy, SubmittedAt: r.SubmittedAt.UTC(), Attachments: toAttachmentsJSON(r.Attachments)}
		for _, e := range r.ProposedExemptions {
			rj.ProposedExemptions = append(rj.ProposedExemptions, proposedExemptionJSON{Section: e.Section, Reasons: e.Reasons})
		}
		for _, d := range r.ProposedRedactions {
			rj.ProposedRedactions = append(rj.ProposedRedactions, proposedRedactionJSON{DocumentID: d.DocumentID,
				Passage: d.Passage, Reasons: d.Reasons})
		}
		out.Representations = append(out.Representations, rj)
	}
	if k.Consideration != nil {
		out.Consideration = &considerationJSON{Outcome: k.Consideration.Outcome, Reasons: k.Consideration.Reasons,
			RepresentationVersion: k.Consideration.RepresentationVersion, ConsideredBy: k.Consideration.ConsideredBy,
			ConsideredAt: k.Consideration.ConsideredAt.UTC()}
	}
	return out
}

// caseConsultationsResponse is the body of GET /api/v1/cases/{id}/consultations.
type caseConsultationsResponse struct {
	Consultations      []consultationJSON `json:"consultations"`
	DisclosureBlockers []foi.Blocker      `json:"disclosure_blockers"`
}

// consultationListResponse is the body of GET /api/v1/consultations.
type consultationListResponse struct {
	Items []consultationJSON `json:"items"`
}

// apiCaseConsultations answers GET /api/v1/cases/{id}/consultations: the case's consultations and what still
// blocks its disclosure (the case's own party only).
func (s *Server) apiCaseConsultations(c *gin.Context) {
	svc, err := s.consultations()
	if err != nil {
		s.apiError(c, err)
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	res, err := svc.CaseConsultations(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	out := toCaseConsultations(res)
	c.JSON(http.StatusOK, out)
}

// toCaseConsultations returns the API's view of a case's consultations and what blocks its disclosure.
func toCaseConsultations(res foi.CaseConsultations) caseConsultationsResponse {
	out := caseConsultationsResponse{Consultations: make([]consultationJSON, 0, len(res.Consultations)),
		DisclosureBlockers: res.Blockers}
	if out.DisclosureBlockers == nil {
		out.DisclosureBlockers = []foi.Blocker{}
	}
	for i := range res.Consultations {
		out.Consultations = append(out.Consultations, toConsultationJSON(&res.Consultations[i]))
	}
	return out
}

// apiConsultationList answers GET /api/v1/consultations[?status=open|<status>]: a liaison's inbox of
// consultations addressed to its party, or an officer's or decision-maker's consultations of its party's cases.
func (s *Server) apiConsultationList(c *gin.Context) {
	svc, err := s.consultations()
	if err != nil {
		s.apiError(c, err)
		return
	}
	var f foi.ConsultationFilter
	switch st := c.Query("status"); st {
	case "":
	case "open":
		f.Open = true
	default:
		f.Status = foi.ConsultationStatus(st)
	}
	items, err := svc.FindConsultations(c.Request.Context(), f)
	if err != nil {
		s.apiError(c, err)
		return
	}
	out := consultationListResponse{Items: make([]consultationJSON, 0, len(items))}
	for i := range items {
		j := toConsultationJSON(&items[i].Consultation)
		j.CaseReference, j.OwnerParty = items[i].CaseReference, items[i].OwnerPartyCode
		out.Items = append(out.Items, j)
	}
	c.JSON(http.StatusOK, out)
}

// apiConsultationGet answers GET /api/v1/consultations/{id}: the consultation with its pack. The view is
// audited; the pack never carries the requester.
func (s *Server) apiConsultationGet(c *gin.Context) {
	svc, err := s.consultations()
	if err != nil {
		s.apiError(c, err)
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	d, err := svc.FindConsultation(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	j := toConsultationJSON(&d.Consultation)
	j.OwnerParty = d.OwnerPartyCode
	p := packJSON{Question: d.Pack.Question, RequestText: d.Pack.RequestText,
		InformationAtIssue: d.Pack.InformationAtIssue, DraftResponse: d.Pack.DraftResponse,
		Regime: string(d.Pack.Regime), AssetCodes: d.Pack.AssetCodes, Documents: []packDocumentJSON{}}
	if p.AssetCodes == nil {
		p.AssetCodes = []string{}
	}
	for _, doc := range d.Pack.Documents {
		p.Documents = append(p.Documents, packDocumentJSON{DocumentID: doc.DocumentID, Name: doc.Name, Version: doc.Version})
	}
	j.Pack = &p
	c.Header("ETag", etag(j.Version))
	c.JSON(http.StatusOK, j)
}

// consultationChange reads the consultation id and the strict JSON body into dst, answering the problem itself
// and returning false when either is bad.
func (s *Server) consultationChange(c *gin.Context, dst any) (foi.ConsultationService, int64, bool) {
	svc, err := s.consultations()
	if err == nil {
		var id int64
		if id, err = pathID(c, "id"); err == nil {
			var body []byte
			if body, err = readBody(c); err == nil {
				if err = decodeJSON(body, dst); err == nil {
					return svc, id, true
				}
			}
		}
	}
	s.apiError(c, err)
	return nil, 0, false
}

// answerConsultation writes the changed consultation, or the problem.
func (s *Server) answerConsultation(c *gin.Context, k *foi.Consultation, err error) {
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("ETag", etag(k.Version))
	c.JSON(http.StatusOK, toConsultationJSON(k))
}

// apiConsultationRepresent answers POST /api/v1/consultations/{id}/representations: a liaison of the
// consulted party submits (a new version of) its representations.
func (s *Server) apiConsultationRepresent(c *gin.Context) {
	var req struct {
		Position           foi.Position            `json:"position"`
		Summary            string                  `json:"summary"`
		Harm               string                  `json:"harm"`
		ProposedExemptions []proposedExemptionJSON `json:"proposed_exemptions"`
		ProposedRedactions []proposedRedactionJSON `json:"proposed_redactions"`
	}
	svc, id, ok := s.consultationChange(c, &req)
	if !ok {
		return
	}
	r := foi.Representation{Position: req.Position, Summary: req.Summary, Harm: req.Harm}
	for _, e := range req.ProposedExemptions {
		r.ProposedExemptions = append(r.ProposedExemptions, foi.ProposedExemption{Section: e.Section, Reasons: e.Reasons})
	}
	for _, d := range req.ProposedRedactions {
		r.ProposedRedactions = append(r.ProposedRedactions, foi.ProposedRedaction{DocumentID: d.DocumentID,
			Passage: d.Passage, Reasons: d.Reasons})
	}
	k, err := svc.SubmitRepresentation(c.Request.Context(), id, r)
	s.answerConsultation(c, k, err)
}

// apiConsultationConsider answers POST /api/v1/consultations/{id}/consideration: a decision-maker of the
// case's party records how the latest representations were weighed.
func (s *Server) apiConsultationConsider(c *gin.Context) {
	var req struct {
		Outcome foi.ConsiderationOutcome `json:"outcome"`
		Reasons string                   `json:"reasons"`
	}
	svc, id, ok := s.consultationChange(c, &req)
	if !ok {
		return
	}
	k, err := svc.ConsiderRepresentations(c.Request.Context(), id, foi.Consideration{Outcome: req.Outcome, Reasons: req.Reasons})
	s.answerConsultation(c, k, err)
}

// reasonsRequest is the body of the waiver and close endpoints.
type reasonsRequest struct {
	Reasons string `json:"reasons"`
}

// apiConsultationWaive answers POST /api/v1/consultations/{id}/waiver: a decision-maker waives the
// consultation with reasons.
func (s *Server) apiConsultationWaive(c *gin.Context) {
	var req reasonsRequest
	svc, id, ok := s.consultationChange(c, &req)
	if !ok {
		return
	}
	k, err := svc.WaiveConsultation(c.Request.Context(), id, req.Reasons)
	s.answerConsultation(c, k, err)
}

// apiConsultationClose answers POST /api/v1/consultations/{id}/close: a decision-maker proceeds without
// representations once respond-by passed with a reminder and the escalation sent.
func (s *Server) apiConsultationClose(c *gin.Context) {
	var req reasonsRequest
	svc, id, ok := s.consultationChange(c, &req)
	if !ok {
		return
	}
	k, err := svc.CloseConsultation(c.Request.Context(), id, req.Reasons)
	s.answerConsultation(c, k, err)
}
