package store_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// govukWith returns the embedded gov.uk data with one extra bank holiday in all three divisions.
func govukWith(t *testing.T, date, title string) []byte {
	t.Helper()
	b, err := os.ReadFile("../calendar/data/uk-bank-holidays.json")
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]struct {
		Division string           `json:"division"`
		Events   []map[string]any `json:"events"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	for k, div := range file {
		div.Events = append(div.Events, map[string]any{"title": title, "date": date, "notes": "", "bunting": true})
		file[k] = div
	}
	out, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCalendar_ImportChangesDeadlinesForEveryInstanceAndIsAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		ctx := cliCtx()
		receipt := calendar.NewDate(2027, time.June, 1)
		due := func(d *store.DB) calendar.Date {
			t.Helper()
			cal, err := d.Calendar(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			dl, err := cal.Deadline(calendar.DeadlineInput{Received: receipt})
			if err != nil {
				t.Fatal(err)
			}
			return dl.Due
		}
		before := due(d)
		change, err := d.ImportHolidays(ctx, "bank-holidays-2027.json", govukWith(t, "2027-06-14", "Royal wedding"))
		if err != nil {
			t.Fatal(err)
		}
		if len(change.NewNonWorking) != 1 || change.NewNonWorking[0] != calendar.NewDate(2027, time.June, 14) {
			t.Fatalf("change = %+v", change)
		}
		// Receipt Tue 2027-06-01: day 20 is Tue 29 June, and Wed 30 June once 14 June is a holiday.
		if want := calendar.NewDate(2027, time.June, 29); before != want {
			t.Fatalf("before the import: due %s, want %s", before, want)
		}
		if after, want := due(d), calendar.NewDate(2027, time.June, 30); after != want {
			t.Fatalf("after the import: due %s, want %s", after, want)
		}
		rep, err := d.VerifyAudit(context.Background())
		if err != nil || rep.Events == 0 {
			t.Fatalf("audit after import: %+v %v", rep, err)
		}
	})
}

func TestCalendar_BadFileIsRejectedWithTheReasonAndChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		ctx := cliCtx()
		if _, err := d.ImportHolidays(ctx, "a.json", govukWith(t, "2027-06-14", "Royal wedding")); err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string]string{
			"not json":    "<html>",
			"no scotland": `{"england-and-wales":{"division":"england-and-wales","events":[]},"northern-ireland":{"division":"northern-ireland","events":[]}}`,
			"bad date":    strings.Replace(string(govukWith(t, "2027-13-01", "Nonsense")), "", "", 0),
		} {
			_, err := d.ImportHolidays(ctx, name, []byte(data))
			wantCode(t, err, foi.EINVALID)
			if !strings.Contains(err.Error(), name) {
				t.Errorf("%s: error %q does not name the file", name, err)
			}
		}
		cal, err := d.Calendar(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if cal.IsWorkingDay(calendar.NewDate(2027, time.June, 14)) {
			t.Fatal("a rejected import undid the import before it")
		}
	})
}

func TestCalendar_OverridesAddAndCancelDaysAndOnlyAdminsMaySetThem(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		ctx := cliCtx()
		extra := calendar.NewDate(2027, time.September, 20)
		if err := d.SetCalendarOverride(ctx, calendar.Override{Date: extra, Title: "State funeral"}); err != nil {
			t.Fatal(err)
		}
		cal, _ := d.Calendar(context.Background())
		if cal.IsWorkingDay(extra) || !strings.Contains(cal.NonWorkingReason(extra), "State funeral") {
			t.Fatalf("override not in force: %q", cal.NonWorkingReason(extra))
		}
		err := d.SetCalendarOverride(ctx, calendar.Override{Date: calendar.NewDate(2027, time.September, 18), Working: true, Title: "Saturday"})
		wantCode(t, err, foi.EINVALID)
		officer := mustCreateUser(t, d, "o@test.example", foi.RoleOfficer, "DFE")
		err = d.SetCalendarOverride(userCtx(officer), calendar.Override{Date: calendar.NewDate(2027, time.October, 1), Title: "x"})
		wantCode(t, err, foi.EFORBIDDEN)
		if err := d.RemoveCalendarOverride(ctx, extra); err != nil {
			t.Fatal(err)
		}
		cal, _ = d.Calendar(context.Background())
		if !cal.IsWorkingDay(extra) {
			t.Fatal("removed override still in force")
		}
		wantCode(t, d.RemoveCalendarOverride(ctx, extra), foi.ENOTFOUND)
	})
}
