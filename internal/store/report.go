package store

import (
	"context"
	"database/sql"
	"errors"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

var _ foi.ReportService = (*DB)(nil)

// reportParties resolves the party a report asks for: the named one, or when none is named the caller's own
// party (officers, decision-makers, auditors of a party) or every party (admins, the command line), and sets
// query.Party to the one chosen ("" for every party). It checks can (foi.CanReadReportsActor or
// foi.CanReadConsultationReports) for each. It returns EINVALID naming "party" for an unknown code.
func reportParties(ctx context.Context, q *db.Queries, query *foi.ReportQuery, can func(foi.Actor, int64) error) ([]db.Party, error) {
	actor := foi.ActorFrom(ctx)
	var own int64
	if actor.User != nil {
		own = actor.User.PartyID
	}
	// Whoever may read no report at all learns nothing, not even which parties exist.
	if err := can(actor, own); err != nil {
		return nil, err
	}
	code := query.Party
	if code == "" && own != 0 && actor.User.Role != foi.RoleAdmin {
		code = actor.User.PartyCode
	}
	query.Party = code
	if code == "" {
		return q.PartyList(ctx)
	}
	p, err := q.PartyGetByCode(ctx, code)
	if errors.Is(err, sql.ErrNoRows) {
		msg := "There is no party with the code " + code
		return nil, &foi.Error{Code: foi.EINVALID, Message: msg, Fields: []foi.FieldError{{Field: "party", Message: msg}}}
	}
	if err != nil {
		return nil, err
	}
	if err := can(actor, p.ID); err != nil {
		return nil, err
	}
	return []db.Party{p}, nil
}

// Stats returns the FOI statistics of the cases received in q's period by q.Party (see foi.ReportService).
// Each table is counted with GROUP BY in the database, party by party on the (party_id, received_on) index, in
// one read snapshot; foi.ComputeStats builds the tables from the counts.
func (d *DB) Stats(ctx context.Context, q foi.ReportQuery) (foi.Stats, error) {
	if err := q.Validate(); err != nil {
		return foi.Stats{}, err
	}
	cal, err := d.Calendar(ctx)
	if err != nil {
		return foi.Stats{}, err
	}
	var in foi.StatsInput
	err = d.readTx(ctx, func(tx *db.Queries) error {
		parties, err := reportParties(ctx, tx, &q, foi.CanReadReportsActor)
		if err != nil {
			return err
		}
		for _, p := range parties {
			if err := statsInput(ctx, tx, &in, db.ReportCaseGroupsParams{PartyID: p.ID, FromOn: q.From, ToOn: q.To}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return foi.Stats{}, err
	}
	return foi.ComputeStats(cal, q, calendar.LondonDate(d.now()), in), nil
}

// statsInput adds one party's counts to in.
func statsInput(ctx context.Context, tx *db.Queries, in *foi.StatsInput, p db.ReportCaseGroupsParams) error {
	// The cases are counted quarter by quarter (Cabinet Office tables 2 and 4); together they are the period.
	for i, quarter := range foi.Quarters(p.FromOn, p.ToOn) {
		cases, err := tx.ReportCaseGroups(ctx, db.ReportCaseGroupsParams{PartyID: p.PartyID, FromOn: quarter.From, ToOn: quarter.To})
		if err != nil {
			return err
		}
		for _, r := range cases {
			in.Cases = append(in.Cases, foi.StatsCases{Regime: calendar.Regime(r.Regime), Status: foi.Status(r.Status),
				Outcome: foi.Outcome(r.Outcome), Count: int(r.N), Quarter: i, Timing: foi.StatsTiming{Responded: r.Responded == 1,
					HasDeadline: r.HasDeadline == 1, ByStatutory: r.ByStatutory == 1, ByDue: r.ByDue == 1, Extended: r.Extended == 1}})
		}
	}
	sections, err := tx.ReportSectionGroups(ctx, db.ReportSectionGroupsParams(p))
	if err != nil {
		return err
	}
	for _, r := range sections {
		in.Sections = append(in.Sections, foi.StatsSection{Regime: calendar.Regime(r.Regime), Section: r.Section, Count: int(r.N)})
	}
	reviews, err := tx.ReportReviewGroups(ctx, db.ReportReviewGroupsParams(p))
	if err != nil {
		return err
	}
	for _, r := range reviews {
		in.Reviews = append(in.Reviews, foi.StatsOutcomeCount{Outcome: r.Outcome, Count: int(r.N)})
	}
	appeals, err := tx.ReportAppealGroups(ctx, db.ReportAppealGroupsParams(p))
	if err != nil {
		return err
	}
	for _, r := range appeals {
		in.Appeals = append(in.Appeals, foi.StatsOutcomeCount{Outcome: r.Outcome, Tribunal: r.Tribunal, Count: int(r.N)})
	}
	ext, err := tx.ReportExtensionGroups(ctx, db.ReportExtensionGroupsParams(p))
	if err != nil {
		return err
	}
	for _, r := range ext {
		in.Extensions = append(in.Extensions, foi.StatsExtension{Regime: calendar.Regime(r.Regime),
			StatutoryDueOn: r.StatutoryDueOn, DueOn: r.DueOn, Count: int(r.N)})
	}
	return nil
}

// ConsultationReport returns the consultation report of q's period (see foi.ReportService): the consultations
// sent and the disputes opened in it, read in one snapshot, grouped by party pair in foi.
func (d *DB) ConsultationReport(ctx context.Context, q foi.ReportQuery) (foi.ConsultationReport, error) {
	if err := q.Validate(); err != nil {
		return foi.ConsultationReport{}, err
	}
	cal, err := d.Calendar(ctx)
	if err != nil {
		return foi.ConsultationReport{}, err
	}
	var facts []foi.ConsultationFact
	var disputes []foi.DisputeFacts
	err = d.readTx(ctx, func(tx *db.Queries) error {
		if _, err := reportParties(ctx, tx, &q, foi.CanReadConsultationReports); err != nil {
			return err
		}
		rows, err := tx.ReportConsultations(ctx, db.ReportConsultationsParams{FromOn: q.From, ToOn: q.To})
		if err != nil {
			return err
		}
		for _, r := range rows {
			f := foi.ConsultationFact{Owner: r.OwnerCode, Consulted: r.ConsultedCode, Status: foi.ConsultationStatus(r.Status),
				SentOn: r.SentOn, RespondBy: r.RespondBy, Consideration: foi.ConsiderationOutcome(r.Consideration)}
			if r.FirstRepresentedAt != nil {
				f.RepresentedOn = calendar.LondonDate(*r.FirstRepresentedAt)
			}
			facts = append(facts, f)
		}
		groups, err := tx.ReportDisputes(ctx, db.ReportDisputesParams{FromOn: q.From, ToOn: q.To})
		if err != nil {
			return err
		}
		for _, g := range groups {
			disputes = append(disputes, foi.DisputeFacts{Owner: g.OwnerCode, Consulted: g.ConsultedCode,
				Stage: foi.DisputeStage(g.Stage), Outcome: foi.DisputeOutcome(g.Outcome), Count: int(g.N)})
		}
		return nil
	})
	if err != nil {
		return foi.ConsultationReport{}, err
	}
	return foi.ComputeConsultationReport(cal, q, calendar.LondonDate(d.now()), facts, disputes), nil
}
