package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// calendarCache holds the calendar this instance built, with the calendar_state version it was built at.
type calendarCache struct {
	mu      sync.Mutex
	version int64
	cal     *calendar.Calendar
}

// Calendar returns the working-day calendar in force: the newest imported gov.uk data (or the data embedded
// in the binary when none was imported) with the admin overrides. It is rebuilt only when another import or
// override changed the database's calendar version, so every instance agrees.
func (d *DB) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	q := d.readQueries()
	version, err := q.CalendarVersion(ctx)
	if err != nil {
		return nil, d.internal("read calendar version", err)
	}
	return d.calendarAt(ctx, version)
}

// calendarAt returns the calendar at a calendar version just read, rebuilding it when the cached one is older.
func (d *DB) calendarAt(ctx context.Context, version int64) (*calendar.Calendar, error) {
	q := d.readQueries()
	d.cal.mu.Lock()
	defer d.cal.mu.Unlock()
	if d.cal.cal != nil && d.cal.version == version {
		return d.cal.cal, nil
	}
	holidays, _, err := currentHolidays(ctx, q)
	if err != nil {
		return nil, err
	}
	overrides, err := currentOverrides(ctx, q)
	if err != nil {
		return nil, err
	}
	cal, err := calendar.New(holidays, overrides)
	if err != nil {
		return nil, d.internal("build calendar", err)
	}
	d.cal.version, d.cal.cal = version, cal
	return cal, nil
}

// currentHolidays returns the holidays of the newest import, or the embedded ones, and where they came from.
func currentHolidays(ctx context.Context, q *db.Queries) ([]calendar.Holiday, string, error) {
	imp, err := q.HolidayImportLatest(ctx)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return calendar.EmbeddedHolidays(), "embedded gov.uk data", nil
		}
		return nil, "", err
	}
	hs, err := calendar.ParseGovUK([]byte(imp.Data))
	if err != nil {
		return nil, "", err
	}
	return hs, imp.Source, nil
}

func currentOverrides(ctx context.Context, q *db.Queries) ([]calendar.Override, error) {
	rows, err := q.CalendarOverrideList(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]calendar.Override, len(rows))
	for i, r := range rows {
		out[i] = calendar.Override{Date: r.OnDate, Working: r.Working, Title: r.Title}
	}
	return out, nil
}

// HolidayChange says what an import changed (see foi.HolidayChange).
type HolidayChange = foi.HolidayChange

// ImportHolidays validates a gov.uk bank-holidays.json file and makes it the calendar in force for every
// instance, in one transaction, auditing the days it changes. A bad file returns EINVALID with the reason and
// leaves the calendar untouched. Only an admin (or the command line) may.
func (d *DB) ImportHolidays(ctx context.Context, source string, data []byte) (HolidayChange, error) {
	holidays, err := calendar.ParseGovUK(data)
	if err != nil {
		return HolidayChange{}, foi.Errorf(foi.EINVALID, "%s is not valid gov.uk bank-holiday data: %v", source, err)
	}
	var change HolidayChange
	err = d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageCalendar, foi.Scope{}); err != nil {
			return err
		}
		before, err := calendarIn(ctx, tx.Queries)
		if err != nil {
			return err
		}
		overrides, err := currentOverrides(ctx, tx.Queries)
		if err != nil {
			return err
		}
		after, err := calendar.New(holidays, overrides)
		if err != nil {
			return foi.Errorf(foi.EINVALID, "%s cannot be used with the current overrides: %v", source, err)
		}
		change = diffCalendars(before, after, holidays)
		change.Source = source
		sum := sha256.Sum256(data)
		if _, err := tx.HolidayImportCreate(ctx, db.HolidayImportCreateParams{Source: source,
			Sha256: hex.EncodeToString(sum[:]), Data: string(data), FirstOn: change.First, LastOn: change.Last,
			ImportedBy: tx.actor.AuditLabel(), Now: tx.now}); err != nil {
			return err
		}
		version, err := tx.CalendarBump(ctx)
		if err != nil {
			return err
		}
		if change.CasesMoved, err = tx.recomputeOpenDeadlines(ctx, after, "the bank holidays were updated"); err != nil {
			return err
		}
		tx.audit("calendar.import", "calendar", version, 0, map[string]any{"source": source,
			"sha256": hex.EncodeToString(sum[:]), "first": change.First, "last": change.Last,
			"new_non_working": change.NewNonWorking, "no_longer_holiday": change.NoLongerHoliday})
		return nil
	})
	return change, err
}

// SetCalendarOverride records a one-off day: an extra bank holiday proclaimed after the data was published
// (Working false) or a holiday that will not be taken (Working true). It returns EINVALID when the calendar
// rejects it (for example a weekend made a working day). Only an admin (or the command line) may.
func (d *DB) SetCalendarOverride(ctx context.Context, o calendar.Override) error {
	return d.changeOverrides(ctx, func(tx *Tx, overrides []calendar.Override) ([]calendar.Override, error) {
		kept := overrides[:0:0]
		for _, x := range overrides {
			if x.Date != o.Date {
				kept = append(kept, x)
			}
		}
		kept = append(kept, o)
		if err := tx.CalendarOverrideUpsert(ctx, db.CalendarOverrideUpsertParams{OnDate: o.Date, Working: o.Working,
			Title: o.Title, CreatedBy: tx.actor.AuditLabel(), Now: tx.now}); err != nil {
			return nil, err
		}
		tx.audit("calendar.override.set", "calendar_override", 0, 0, map[string]any{"date": o.Date,
			"working": o.Working, "title": o.Title})
		return kept, nil
	})
}

// RemoveCalendarOverride deletes the override on a date, or returns ENOTFOUND.
func (d *DB) RemoveCalendarOverride(ctx context.Context, on calendar.Date) error {
	return d.changeOverrides(ctx, func(tx *Tx, overrides []calendar.Override) ([]calendar.Override, error) {
		n, err := tx.CalendarOverrideDelete(ctx, on)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, foi.Errorf(foi.ENOTFOUND, "There is no override on %s.", on)
		}
		tx.audit("calendar.override.remove", "calendar_override", 0, 0, map[string]any{"date": on})
		kept := overrides[:0:0]
		for _, x := range overrides {
			if x.Date != on {
				kept = append(kept, x)
			}
		}
		return kept, nil
	})
}

// changeOverrides runs change in a transaction, checks the resulting calendar builds, and bumps the version.
func (d *DB) changeOverrides(ctx context.Context, change func(tx *Tx, overrides []calendar.Override) ([]calendar.Override, error)) error {
	return d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageCalendar, foi.Scope{}); err != nil {
			return err
		}
		holidays, _, err := currentHolidays(ctx, tx.Queries)
		if err != nil {
			return err
		}
		overrides, err := currentOverrides(ctx, tx.Queries)
		if err != nil {
			return err
		}
		next, err := change(tx, overrides)
		if err != nil {
			return err
		}
		cal, err := calendar.New(holidays, next)
		if err != nil {
			return &foi.Error{Code: foi.EINVALID, Message: err.Error(),
				Fields: []foi.FieldError{{Field: "date", Message: err.Error()}}}
		}
		if _, err := tx.CalendarBump(ctx); err != nil {
			return err
		}
		_, err = tx.recomputeOpenDeadlines(ctx, cal, "a one-off day was changed in the calendar")
		return err
	})
}

// CalendarInfo describes the calendar in force for people (see foi.CalendarInfo).
type CalendarInfo = foi.CalendarInfo

// CalendarInfo returns where the calendar's data came from and its overrides.
func (d *DB) CalendarInfo(ctx context.Context) (CalendarInfo, error) {
	q := db.New(d.read)
	var info CalendarInfo
	imp, err := q.HolidayImportLatest(ctx)
	switch foi.ErrorCode(d.mapError(err)) {
	case "":
		info.Source, info.ImportedAt = imp.Source+" (imported by "+imp.ImportedBy+")", &imp.ImportedAt
	case foi.ENOTFOUND:
		info.Source = "gov.uk data embedded in this build"
	default:
		return info, d.internal("read holiday import", err)
	}
	info.Overrides, err = currentOverrides(ctx, q)
	if err != nil {
		return info, d.internal("read overrides", err)
	}
	return info, nil
}

// calendarIn builds the calendar as it stands inside a transaction.
func calendarIn(ctx context.Context, q *db.Queries) (*calendar.Calendar, error) {
	holidays, _, err := currentHolidays(ctx, q)
	if err != nil {
		return nil, err
	}
	overrides, err := currentOverrides(ctx, q)
	if err != nil {
		return nil, err
	}
	return calendar.New(holidays, overrides)
}

// diffCalendars lists the weekdays, over the years the new data covers, whose status differs.
func diffCalendars(before, after *calendar.Calendar, holidays []calendar.Holiday) HolidayChange {
	var ch HolidayChange
	if len(holidays) == 0 {
		return ch
	}
	ch.First = calendar.NewDate(holidays[0].Date.Year(), time.January, 1)
	ch.Last = calendar.NewDate(holidays[len(holidays)-1].Date.Year(), time.December, 31)
	for day := ch.First; !day.After(ch.Last); day = day.AddDays(1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		was, is := before.IsWorkingDay(day), after.IsWorkingDay(day)
		switch {
		case was && !is:
			ch.NewNonWorking = append(ch.NewNonWorking, day)
		case !was && is:
			ch.NoLongerHoliday = append(ch.NoLongerHoliday, day)
		}
	}
	return ch
}
