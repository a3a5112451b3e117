package foi

import (
	"slices"
	"testing"

	"foidesk/internal/calendar"
)

func TestRetentionDueFor_CountsFromTheRightEventAndCarriesTheHolds(t *testing.T) {
	closed := calendar.NewDate(2026, 1, 31)
	on := func(ds []RetentionDue) []string {
		var out []string
		for _, d := range ds {
			out = append(out, string(d.Scope)+" "+string(d.Schedule)+" "+d.DueOn.String())
		}
		return out
	}
	base := RetentionCase{CaseID: 1, Reference: "DFE-FOI-2026-000001", ClosedOn: closed}
	if got := on(RetentionDueFor(base, nil)); !slices.Equal(got, []string{"case_file case_file 2029-01-31"}) {
		t.Errorf("defaults: %v", got)
	}
	// A decided review counts from its decision; requester details go a year after closure when enabled.
	c := base
	c.ReviewDecidedOn = calendar.NewDate(2026, 2, 27)
	req := []RetentionSchedule{{RecordType: RetentionRequesterDetails, Months: 13, Enabled: true}}
	if got := on(RetentionDueFor(c, req)); !slices.Equal(got, []string{"requester_details requester_details 2027-02-28",
		"case_file case_file 2029-02-27"}) {
		t.Errorf("review and requester: %v", got)
	}
	// An appeal: six years from the ICO's decision; requester details already gone are not due again.
	c = base
	c.AppealExists, c.AppealDecidedOn, c.RequesterDestroyed = true, calendar.NewDate(2026, 9, 30), true
	if got := on(RetentionDueFor(c, req)); !slices.Equal(got, []string{"case_file case_file_after_appeal 2032-09-30"}) {
		t.Errorf("appeal: %v", got)
	}
	// Requester details due no earlier than the file go with the file.
	late := []RetentionSchedule{{RecordType: RetentionRequesterDetails, Months: 40, Enabled: true}}
	if got := on(RetentionDueFor(base, late)); !slices.Equal(got, []string{"case_file case_file 2029-01-31"}) {
		t.Errorf("late requester: %v", got)
	}
	// A disabled file schedule destroys nothing; a destroyed file or an open case is never due.
	off := []RetentionSchedule{{RecordType: RetentionCaseFile, Months: 36, Enabled: false}}
	if got := RetentionDueFor(base, off); len(got) != 0 {
		t.Errorf("disabled: %v", got)
	}
	c = base
	c.FileDestroyed = true
	if got := RetentionDueFor(c, nil); len(got) != 0 {
		t.Errorf("destroyed: %v", got)
	}
	if got := RetentionDueFor(RetentionCase{CaseID: 2}, nil); len(got) != 0 {
		t.Errorf("open: %v", got)
	}
	// Holds: an open review or appeal, an open incident, a manual hold.
	c = base
	c.ReviewOpen, c.AppealOpen, c.OpenIncidents = true, true, []int64{7}
	c.Holds = []LegalHold{{ID: 3, Reasons: "Litigation."}}
	got := RetentionDueFor(c, nil)
	want := []string{"an internal review is open", "an ICO appeal is open", "incident 7 is open", "legal hold 3: Litigation."}
	if len(got) != 1 || !got[0].Held() || !slices.Equal(got[0].Holds, want) {
		t.Errorf("holds: %+v", got)
	}
}

func TestRetentionSchedule_ValidateAndMonthRange(t *testing.T) {
	for _, s := range []RetentionSchedule{{RecordType: "emails", Months: 12}, {RecordType: RetentionCaseFile, Months: 0},
		{RecordType: RetentionCaseFile, Months: 1201}} {
		if ErrorCode(s.Validate()) != EINVALID {
			t.Errorf("%+v accepted", s)
		}
	}
	ok := RetentionSchedule{RecordType: RetentionCaseFile, Months: 1200}
	if err := ok.Validate(); err != nil {
		t.Error(err)
	}
	from, to, err := MonthRange("2028-02")
	if err != nil || from != calendar.NewDate(2028, 2, 1) || to != calendar.NewDate(2028, 2, 29) {
		t.Errorf("month: %v %v %v", from, to, err)
	}
	for _, bad := range []string{"", "2028-2", "2028-13", "March", "2028-02-01"} {
		if _, _, err := MonthRange(bad); ErrorCode(err) != EINVALID {
			t.Errorf("%q accepted", bad)
		}
	}
}
