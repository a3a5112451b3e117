package foi

import (
	"context"
	"time"

	"foidesk/internal/calendar"
)

// CalendarInfo describes the calendar in force for people: where its holiday data came from and its
// overrides.
type CalendarInfo struct {
	Source     string
	ImportedAt *time.Time // nil for the data embedded in the build
	Overrides  []calendar.Override
}

// HolidayChange says what an import of bank holidays changed: the weekdays that stopped and started being
// working days, over the years the new data covers.
type HolidayChange struct {
	Source          string
	First, Last     calendar.Date
	NewNonWorking   []calendar.Date // weekdays that are now holidays
	NoLongerHoliday []calendar.Date // weekdays that are working days again
	CasesMoved      int             // open cases whose deadline moved
}

// CalendarAdminService shows and changes the working-day calendar. The changes are for admins only (anyone
// else gets EFORBIDDEN); each recomputes open deadlines and is audited in its transaction.
type CalendarAdminService interface {
	// Calendar returns the working-day calendar in force.
	Calendar(ctx context.Context) (*calendar.Calendar, error)
	// CalendarInfo returns where the calendar's data came from and its overrides.
	CalendarInfo(ctx context.Context) (CalendarInfo, error)
	// ImportHolidays makes a gov.uk bank-holidays.json file the holiday data in force; EINVALID (leaving the
	// calendar untouched) for a file that is not valid gov.uk data.
	ImportHolidays(ctx context.Context, source string, data []byte) (HolidayChange, error)
	// SetCalendarOverride records a one-off day (an extra bank holiday, or a holiday not taken); EINVALID
	// naming "date" when the calendar rejects it.
	SetCalendarOverride(ctx context.Context, o calendar.Override) error
	// RemoveCalendarOverride deletes the override on a date; ENOTFOUND when there is none.
	RemoveCalendarOverride(ctx context.Context, on calendar.Date) error
}
