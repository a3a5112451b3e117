package foi

import "context"

// ReportService builds the reports: the FOI statistics and the consultation report of a period. Each method
// checks CanReadReports for the party asked for and returns EINVALID for a bad period or an unknown party,
// EFORBIDDEN for a caller who may not read the report and EUNAUTHORIZED without one.
type ReportService interface {
	// Stats returns the Cabinet Office statistics of the cases q.Party (every party the caller may read when
	// "") received in q's period, with statuses as they stand now.
	Stats(ctx context.Context, q ReportQuery) (Stats, error)
	// ConsultationReport returns the consultations sent in q's period between each pair of parties, with
	// disputes opened in it; with q.Party (by default the caller's own party) only the pairs it belongs to. A
	// liaison may read it for their own party (CanReadConsultationReports).
	ConsultationReport(ctx context.Context, q ReportQuery) (ConsultationReport, error)
}
