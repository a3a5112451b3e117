package foi

import "context"

// ConsultationFilter narrows a list of consultations. Zero fields do not filter.
type ConsultationFilter struct {
	Status ConsultationStatus // one status
	Open   bool               // only consultations that still block disclosure (draft, sent, representations_received)
}

// ConsultationSummary is one row of a consultation inbox: no case content and no requester data.
type ConsultationSummary struct {
	Consultation
	CaseReference  string
	OwnerPartyCode string
}

// ConsultationDetail is one consultation as its reader may see it: the consultation's state and its pack
// (which by construction carries no requester data).
type ConsultationDetail struct {
	Consultation
	OwnerPartyCode string
	Pack           ConsultationPack
}

// CaseConsultations is what a case's consultations show to its own party: each consultation and what still
// blocks disclosure.
type CaseConsultations struct {
	Consultations []Consultation
	Blockers      []Blocker
}

// ConsultationService runs consultations (MoU 3.2): created and sent when a case touches another party's
// information, answered by the consulted party's liaison, weighed, closed or waived by the case's
// decision-maker. Every method checks permissions with Can and audits what it does.
type ConsultationService interface {
	// CaseConsultations returns a case's consultations and disclosure blockers (ENOTFOUND unless the caller
	// may read the case).
	CaseConsultations(ctx context.Context, caseID int64) (CaseConsultations, error)
	// FindConsultations lists the consultations addressed to the caller's party (a liaison) or those of the
	// caller's party's cases (an officer or decision-maker).
	FindConsultations(ctx context.Context, f ConsultationFilter) ([]ConsultationSummary, error)
	// FindConsultation returns one consultation with its pack, auditing the view (consultation.read).
	FindConsultation(ctx context.Context, id int64) (ConsultationDetail, error)
	// EditConsultationDraft changes a draft's question, information at issue or respond-by date (an officer or
	// decision-maker of the case's party); ifVersion, when not 0, must match.
	EditConsultationDraft(ctx context.Context, id, ifVersion int64, ch DraftChange) (*Consultation, error)
	// SendConsultation sends a draft to the consulted party's business-as-usual FOI contact (an officer or
	// decision-maker of the case's party); ifVersion, when not 0, must match.
	SendConsultation(ctx context.Context, id, ifVersion int64) (*Consultation, error)
	// SubmitRepresentation records the next version of the consulted party's representations.
	SubmitRepresentation(ctx context.Context, id int64, r Representation) (*Consultation, error)
	// ConsiderRepresentations records a decision-maker's consideration of the latest representations.
	ConsiderRepresentations(ctx context.Context, id int64, k Consideration) (*Consultation, error)
	// WaiveConsultation records a decision-maker's waiver with reasons.
	WaiveConsultation(ctx context.Context, id int64, reasons string) (*Consultation, error)
	// CloseConsultation records that a decision-maker proceeds without representations after the respond-by
	// date, a reminder and the escalation.
	CloseConsultation(ctx context.Context, id int64, reasons string) (*Consultation, error)
}
