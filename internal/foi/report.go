package foi

import (
	"fmt"
	"slices"
	"strings"

	"foidesk/internal/calendar"
)

// MaxReportDays is the longest period a report covers: ten years of receipts.
const MaxReportDays = 3660

// ReportQuery chooses what a report covers: the cases received from From to To (London dates, both included)
// by the party with code Party ("" means every party the caller may report on).
type ReportQuery struct {
	From  calendar.Date
	To    calendar.Date
	Party string
}

// Validate checks the period and normalises the party code to upper case. It returns EINVALID naming "from"
// (missing, or after to), "to" (missing) or "from" again when the period is longer than MaxReportDays.
func (q *ReportQuery) Validate() error {
	var v Validation
	v.Check(!q.From.IsZero(), "from", "Enter the first day of the period, like 2026-01-01")
	v.Check(!q.To.IsZero(), "to", "Enter the last day of the period, like 2026-03-31")
	switch {
	case q.From.IsZero() || q.To.IsZero():
	case q.From.After(q.To):
		v.Add("from", fmt.Sprintf("The period must start on or before its last day (%s)", govDate(q.To)))
	case q.To.Sub(q.From) >= MaxReportDays:
		v.Add("from", fmt.Sprintf("A report covers at most %d days", MaxReportDays))
	}
	q.Party = strings.ToUpper(strings.TrimSpace(q.Party))
	return v.Err()
}

// ReportFormat is a format a report can be downloaded in.
type ReportFormat string

// The report formats.
const (
	ReportJSON ReportFormat = "json"
	ReportCSV  ReportFormat = "csv"
	ReportODS  ReportFormat = "ods"
)

// ReportFormats lists the formats reports are offered in.
var ReportFormats = []ReportFormat{ReportJSON, ReportCSV, ReportODS}

// ParseReportFormat returns the format named by s (case-insensitive), or EINVALID naming "format" when reports
// are not offered in it.
func ParseReportFormat(s string) (ReportFormat, error) {
	f := ReportFormat(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(ReportFormats, f) {
		return f, nil
	}
	return "", invalidField("format", fmt.Sprintf("Choose a format reports are offered in: json, csv or ods (not %q)", s))
}

// ContentType returns the media type of the format.
func (f ReportFormat) ContentType() string {
	switch f {
	case ReportCSV:
		return "text/csv; charset=utf-8"
	case ReportODS:
		return ODSContentType
	}
	return "application/json"
}

// CanReadReports returns nil when actor may read the reports of the party with id partyID (0: every party):
// Can with ActionReadReports. It returns EUNAUTHORIZED without an active actor and EFORBIDDEN otherwise.
func CanReadReports(actor *User, partyID int64) error {
	return Can(actor, ActionReadReports, Scope{OwnerPartyID: partyID})
}

// CanReadReportsActor is CanReadReports for an Actor: the command line and the worker may read every report.
func CanReadReportsActor(a Actor, partyID int64) error {
	return CanActor(a, ActionReadReports, Scope{OwnerPartyID: partyID})
}

// CanReadConsultationReports is CanReadReportsActor for the consultation report (ActionReadConsultationReports).
func CanReadConsultationReports(a Actor, partyID int64) error {
	return CanActor(a, ActionReadConsultationReports, Scope{OwnerPartyID: partyID})
}

// canReadReports is Can's rule for the reports of party partyID (0: every party). Officers, decision-makers
// and auditors read their own party's; admins, and auditors who belong to no party, read any party's and every
// party's together; a party's liaisons read its consultation report too (they answer the consultations it
// measures), and no other.
func canReadReports(actor *User, action Action, partyID int64) error {
	switch {
	case actor.Role == RoleAdmin, actor.Role == RoleAuditor && actor.PartyID == 0:
		return nil
	case action == ActionReadConsultationReports && actor.Role == RoleLiaison && ownParty(actor, partyID):
		return nil
	case !hasRole(actor, RoleOfficer, RoleDecisionMaker, RoleAuditor):
		return Errorf(EFORBIDDEN, "Only officers, decision-makers, auditors and admins can read reports.")
	case !ownParty(actor, partyID):
		return Errorf(EFORBIDDEN, "You can read the reports of your own party (%s) only.", actor.PartyCode)
	}
	return nil
}

// ReportTable is one table of a report, flattened for CSV and ODS: a name (a sheet name, short and unique in
// the report), a title for people, column headings and rows of cells (strings or ints; a nil cell is empty).
type ReportTable struct {
	Name    string
	Title   string
	Columns []string
	Rows    [][]any
}
