package foi

import "context"

// DueSoonWorkingDays is how far ahead the dashboard's "due soon" count looks.
const DueSoonWorkingDays = 5

// CaseCounts are the numbers a dashboard shows: the caller's open cases, and their party's open cases due
// within DueSoonWorkingDays working days, overdue, and awaiting representations.
type CaseCounts struct {
	Mine                    int
	DueSoon                 int
	Overdue                 int
	AwaitingRepresentations int
}

// DashboardService gives the dashboard its counts.
type DashboardService interface {
	// CaseCounts returns the caller's counts; EFORBIDDEN for roles that do not work on cases.
	CaseCounts(ctx context.Context) (CaseCounts, error)
}
