package store

import (
	"context"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

var _ foi.DashboardService = (*DB)(nil)

// CaseCounts returns the dashboard's counts for the caller, with "due soon" measured in working days by the
// calendar in force. It returns EFORBIDDEN for roles that do not work on cases.
func (d *DB) CaseCounts(ctx context.Context) (foi.CaseCounts, error) {
	actor := foi.ActorFrom(ctx).User
	if actor == nil {
		return foi.CaseCounts{}, foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	if err := foi.Can(actor, foi.ActionReadCase, foi.Scope{OwnerPartyID: actor.PartyID}); err != nil {
		return foi.CaseCounts{}, foi.Errorf(foi.EFORBIDDEN, "Your role does not work on cases.")
	}
	cal, err := d.Calendar(ctx)
	if err != nil {
		return foi.CaseCounts{}, err
	}
	today := calendar.LondonDate(d.now())
	soon, err := cal.AddWorkingDays(today, foi.DueSoonWorkingDays)
	if err != nil {
		return foi.CaseCounts{}, d.internal("due-soon date", err)
	}
	row, err := d.readQueries().CaseDashboardCounts(ctx, db.CaseDashboardCountsParams{UserID: &actor.ID,
		Today: today, Soon: soon, PartyID: actor.PartyID})
	if err != nil {
		return foi.CaseCounts{}, d.internal("count cases", err)
	}
	return foi.CaseCounts{Mine: int(row.Mine), DueSoon: int(row.DueSoon), Overdue: int(row.Overdue),
		AwaitingRepresentations: int(row.Awaiting)}, nil
}
