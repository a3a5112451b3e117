package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// caseWorld is a seeded database with an officer and a decision-maker of DFE, and an officer and a liaison of HO.
type caseWorld struct {
	d                            *store.DB
	dfeOfficer, dfeDM, hoOfficer *foi.User
	hoLiaison, dfeAuditor        *foi.User
	officerCtx, dmCtx, hoCtx     context.Context
	liaisonCtx, auditorCtx       context.Context
}

// fixedNow is the time every case test runs at: Monday 2 March 2026, 10:00 in London.
var fixedNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newCaseWorld(t *testing.T, d *store.DB) *caseWorld {
	t.Helper()
	d.Now = func() time.Time { return fixedNow }
	mustSeed(t, d)
	w := &caseWorld{d: d,
		dfeOfficer: mustCreateUser(t, d, "o@dfe.test", foi.RoleOfficer, "DFE"),
		dfeDM:      mustCreateUser(t, d, "dm@dfe.test", foi.RoleDecisionMaker, "DFE"),
		hoOfficer:  mustCreateUser(t, d, "o@ho.test", foi.RoleOfficer, "HO"),
		hoLiaison:  mustCreateUser(t, d, "l@ho.test", foi.RoleLiaison, "HO"),
		dfeAuditor: mustCreateUser(t, d, "a@dfe.test", foi.RoleAuditor, "DFE"),
	}
	w.officerCtx, w.dmCtx, w.hoCtx = userCtx(w.dfeOfficer), userCtx(w.dfeDM), userCtx(w.hoOfficer)
	w.liaisonCtx, w.auditorCtx = userCtx(w.hoLiaison), userCtx(w.dfeAuditor)
	return w
}

func newCaseInput(receivedAt string) foi.NewCase {
	return foi.NewCase{Regime: calendar.RegimeFOIA, ReceivedAt: receivedAt, Channel: foi.ChannelEmail,
		Subject:     "Pupil data shared with the Home Office",
		RequestText: "How many requests did the Home Office make to the DfE for pupil data in 2025, and how many addresses were returned?",
		Requester:   foi.Requester{Name: "Ada Requester", Email: "ada@example.org", Type: foi.RequesterMedia}}
}

func (w *caseWorld) mustCreate(t *testing.T, ctx context.Context, in foi.NewCase) *foi.Case {
	t.Helper()
	out, err := w.d.CreateCase(ctx, in, foi.Idempotency{})
	if err != nil {
		t.Fatalf("create case: %v (%v)", err, foi.ErrorFields(err))
	}
	return out.Case
}

func TestCreateCase_NumbersComputesTheDeadlineAndKeepsTheRequester(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		in := newCaseInput("2026-02-20T16:30:00Z")
		in.AssetCodes = []string{"CID-Person-Records"}
		c := w.mustCreate(t, w.officerCtx, in)
		if c.Reference != "DFE-FOI-2026-000001" {
			t.Errorf("reference = %s", c.Reference)
		}
		// Receipt Fri 20 Feb 2026; St Patrick's Day (Tue 17 March) is skipped: day 20 is Mon 23 March... plus one.
		want, _ := calendar.Default().Deadline(calendar.DeadlineInput{Received: calendar.NewDate(2026, 2, 20)})
		if c.DueOn != want.Due || c.DueOn != calendar.NewDate(2026, 3, 23) {
			t.Errorf("due on %s, want %s (calendar says %s)", c.DueOn, calendar.NewDate(2026, 3, 23), want.Due)
		}
		// The request touches HO's asset: HO is consulted at once and the case awaits its representations.
		if c.Status != foi.StatusAwaitingRepresentations || c.AssigneeID != w.dfeOfficer.ID {
			t.Errorf("status %s, assignee %d, version %d", c.Status, c.AssigneeID, c.Version)
		}
		if c.Requester == nil || c.Requester.Email != "ada@example.org" {
			t.Errorf("requester = %+v", c.Requester)
		}
		if len(c.Assets) != 1 || c.Assets[0].Code != "cid-person-records" || c.Assets[0].ProviderParty != "HO" {
			t.Errorf("assets = %+v", c.Assets)
		}
		second := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-01"))
		if second.Reference != "DFE-FOI-2026-000002" {
			t.Errorf("second reference = %s", second.Reference)
		}
		ho := w.mustCreate(t, w.hoCtx, newCaseInput("2026-03-01"))
		if ho.Reference != "HO-FOI-2026-000001" {
			t.Errorf("HO's first reference = %s: numbering is per party", ho.Reference)
		}
	})
}

func TestCreateCase_BadInputNamesEveryFieldAndStoresNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		in := foi.NewCase{Regime: "foi", ReceivedAt: "2026-04-01", Channel: "fax", AssetCodes: []string{"no-such-asset"},
			Requester: foi.Requester{Email: "not an email", Type: "alien"}}
		_, err := d.CreateCase(w.officerCtx, in, foi.Idempotency{})
		wantCode(t, err, foi.EINVALID)
		fields := map[string]bool{}
		for _, f := range foi.ErrorFields(err) {
			fields[f.Field] = true
		}
		for _, f := range []string{"regime", "received_at", "channel", "subject", "request_text", "requester.email", "requester.type"} {
			if !fields[f] {
				t.Errorf("no error for %s in %v", f, foi.ErrorFields(err))
			}
		}
		valid := newCaseInput("2026-03-01")
		valid.AssetCodes = []string{"no-such-asset"}
		_, err = d.CreateCase(w.officerCtx, valid, foi.Idempotency{})
		wantCode(t, err, foi.EINVALID)
		if fe := foi.ErrorFields(err); len(fe) != 1 || fe[0].Field != "asset_codes[0]" {
			t.Errorf("unknown asset: %v", fe)
		}
		future := newCaseInput("2026-03-03")
		_, err = d.CreateCase(w.officerCtx, future, foi.Idempotency{})
		wantCode(t, err, foi.EINVALID)
		page, err := d.FindCases(w.officerCtx, foi.CaseFilter{})
		if err != nil || len(page.Cases) != 0 {
			t.Fatalf("rejected cases were stored: %d, %v", len(page.Cases), err)
		}
		// The reference counter was not consumed by the failures.
		if c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-01")); c.Reference != "DFE-FOI-2026-000001" {
			t.Errorf("after failures the first reference is %s", c.Reference)
		}
	})
}

func TestCreateCase_OnlyOfficersAndDecisionMakersLogRequests(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		for _, ctx := range []context.Context{w.liaisonCtx, w.auditorCtx} {
			_, err := d.CreateCase(ctx, newCaseInput("2026-03-01"), foi.Idempotency{})
			wantCode(t, err, foi.EFORBIDDEN)
		}
		c := w.mustCreate(t, w.dmCtx, newCaseInput("2026-03-01"))
		if c.AssigneeID != 0 {
			t.Errorf("a decision-maker's new case should wait in the team queue, assigned to %d", c.AssigneeID)
		}
	})
}

func TestCreateCase_ReferencesAreGapFreeUnderConcurrency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		const n = 24
		var wg sync.WaitGroup
		refs := make(chan string, n)
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				in := newCaseInput("2026-03-01")
				if i%5 == 0 {
					in.Channel = "fax" // a failure in the middle must not leave a gap
				}
				out, err := d.CreateCase(w.officerCtx, in, foi.Idempotency{})
				if err != nil {
					if foi.ErrorCode(err) != foi.EINVALID {
						errs <- err
					}
					return
				}
				refs <- out.Case.Reference
			}(i)
		}
		wg.Wait()
		close(refs)
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		var got []string
		for r := range refs {
			got = append(got, r)
		}
		sort.Strings(got)
		for i, r := range got {
			if want := fmt.Sprintf("DFE-FOI-2026-%06d", i+1); r != want {
				t.Fatalf("references %v: position %d is %s, want %s", got, i, r, want)
			}
		}
		if len(got) != n-5 {
			t.Fatalf("created %d cases, want %d", len(got), n-5)
		}
	})
}

func TestCreateCase_WarnsOfADuplicateFromTheSameRequester(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		first := w.mustCreate(t, w.officerCtx, newCaseInput("2026-01-12"))
		out, err := d.CreateCase(w.officerCtx, newCaseInput("2026-02-25"), foi.Idempotency{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0], first.Reference) {
			t.Fatalf("warnings = %v", out.Warnings)
		}
		other := newCaseInput("2026-02-26")
		other.RequestText = "Please send me the minutes of the board meetings about school buildings in 2025."
		out, err = d.CreateCase(w.officerCtx, other, foi.Idempotency{})
		if err != nil || len(out.Warnings) != 0 {
			t.Fatalf("a different request was flagged: %v %v", out.Warnings, err)
		}
	})
}

func TestCreateCase_IdempotencyKeyReplaysTheSameCase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		idem := foi.Idempotency{Key: "k-1", RequestHash: "h-1"}
		a, err := d.CreateCase(w.officerCtx, newCaseInput("2026-03-01"), idem)
		if err != nil {
			t.Fatal(err)
		}
		b, err := d.CreateCase(w.officerCtx, newCaseInput("2026-03-01"), idem)
		if err != nil || !b.Replayed || b.Case.ID != a.Case.ID {
			t.Fatalf("replay = %+v, %v", b, err)
		}
		_, err = d.CreateCase(w.officerCtx, newCaseInput("2026-03-01"), foi.Idempotency{Key: "k-1", RequestHash: "other"})
		wantCode(t, err, foi.ECONFLICT)
		page, _ := d.FindCases(w.officerCtx, foi.CaseFilter{})
		if len(page.Cases) != 1 {
			t.Fatalf("cases = %d, want 1", len(page.Cases))
		}
	})
}

func TestFindCase_OtherPartiesAndLiaisonsGetNotFound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-01"))
		for name, ctx := range map[string]context.Context{"HO officer": w.hoCtx, "HO liaison": w.liaisonCtx} {
			_, err := d.FindCaseByID(ctx, c.ID)
			if foi.ErrorCode(err) != foi.ENOTFOUND {
				t.Errorf("%s reading a DFE case: %v", name, err)
			}
			if _, err := d.TransitionCase(ctx, c.ID, 0, foi.StatusWithdrawn, ""); foi.ErrorCode(err) != foi.ENOTFOUND {
				t.Errorf("%s withdrawing a DFE case: %v", name, err)
			}
		}
		if got, err := d.FindCaseByID(w.auditorCtx, c.ID); err != nil || got.ID != c.ID {
			t.Errorf("DFE auditor reading: %v", err)
		}
		if _, err := d.TransitionCase(w.auditorCtx, c.ID, 0, foi.StatusWithdrawn, ""); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Errorf("auditor changing a case: %v", err)
		}
		if _, err := d.FindCaseByID(w.officerCtx, c.ID+1000); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("missing case: %v", err)
		}
	})
}

func TestTransitionCase_FollowsTheLifecycleAndChecksTheVersion(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-01"))
		c, err := d.TransitionCase(w.officerCtx, c.ID, c.Version, foi.StatusInProgress, "started")
		if err != nil || c.Status != foi.StatusInProgress || c.Version != 2 {
			t.Fatalf("to in progress: %+v %v", c, err)
		}
		_, err = d.TransitionCase(w.officerCtx, c.ID, 1, foi.StatusWithdrawn, "")
		wantCode(t, err, foi.EPRECONDITION)
		_, err = d.TransitionCase(w.officerCtx, c.ID, 0, foi.StatusClosed, "")
		wantCode(t, err, foi.ECONFLICT)
		var de *foi.Error
		if !asDomainError(err, &de) || de.Detail["allowed"] == nil {
			t.Errorf("an illegal move must list the allowed ones: %#v", err)
		}
		_, err = d.TransitionCase(w.officerCtx, c.ID, 0, foi.StatusPendingApproval, "")
		wantCode(t, err, foi.ECONFLICT)
		c, err = d.TransitionCase(w.officerCtx, c.ID, 0, foi.StatusWithdrawn, "requester withdrew")
		if err != nil || c.Status != foi.StatusWithdrawn {
			t.Fatalf("withdraw: %v", err)
		}
		page, _ := d.FindCases(w.officerCtx, foi.CaseFilter{Open: boolPtr(true)})
		if len(page.Cases) != 0 {
			t.Fatalf("a withdrawn case is still in the open queue")
		}
	})
}

func TestClockEvents_RecomputeTheDeadline(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-01-05"))
		base := c.DueOn // Mon 5 Jan 2026 + 20 working days = Mon 2 Feb 2026
		if base != calendar.NewDate(2026, 2, 2) {
			t.Fatalf("base due %s", base)
		}
		c, _, err := d.AddClockEvent(w.officerCtx, c.ID, 0, foi.ClockEvent{Kind: foi.EventFeeNotice, On: calendar.NewDate(2026, 1, 14)}, nil)
		if err != nil || c.Status != foi.StatusOnHoldFee || !c.DueOn.IsZero() {
			t.Fatalf("fee notice: status %s due %s %v", c.Status, c.DueOn, err)
		}
		page, _ := d.FindCases(w.officerCtx, foi.CaseFilter{})
		if len(page.Cases) != 1 || !page.Cases[0].DueOn.IsZero() {
			t.Fatalf("queue while paused: %+v", page.Cases)
		}
		c, _, err = d.AddClockEvent(w.officerCtx, c.ID, 0, foi.ClockEvent{Kind: foi.EventFeePaid, On: calendar.NewDate(2026, 2, 2)}, nil)
		if err != nil || c.Status != foi.StatusInProgress {
			t.Fatalf("fee paid: %v", err)
		}
		// 14 Jan to 2 Feb inclusive is 14 working days, disregarded: Mon 2 Feb + 14 = Fri 20 Feb.
		if c.DueOn != calendar.NewDate(2026, 2, 20) {
			t.Fatalf("due after the fee pause = %s", c.DueOn)
		}
		dl, err := d.CaseDeadline(w.officerCtx, c.ID)
		if err != nil || dl.Due != c.DueOn || len(dl.Trace) == 0 {
			t.Fatalf("deadline explanation: %+v %v", dl, err)
		}
		_, _, err = d.AddClockEvent(w.officerCtx, c.ID, 0, foi.ClockEvent{Kind: foi.EventFeePaid, On: calendar.NewDate(2026, 2, 3)}, nil)
		wantCode(t, err, foi.ECONFLICT)
		_, _, err = d.AddClockEvent(w.officerCtx, c.ID, 0, foi.ClockEvent{Kind: foi.EventClarificationSought, On: calendar.NewDate(2026, 3, 9)}, nil)
		wantCode(t, err, foi.EINVALID) // in the future
	})
}

func TestCaseQueue_FiltersAndPagesInDeadlineOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		var ids []int64
		for i := 0; i < 7; i++ {
			in := newCaseInput(calendar.NewDate(2026, 1, 5).AddDays(i * 6).String()) // due 2 Feb to 10 Mar
			in.Subject = fmt.Sprintf("Request %d", i)
			if i == 3 {
				in.Regime, in.Channel, in.Subject = calendar.RegimeEIR, foi.ChannelPhone, "Air quality near schools"
			}
			ids = append(ids, w.mustCreate(t, w.officerCtx, in).ID)
		}
		w.mustCreate(t, w.hoCtx, newCaseInput("2026-01-05"))
		var seen []int64
		cursor := ""
		for pages := 0; ; pages++ {
			page, err := d.FindCases(w.officerCtx, foi.CaseFilter{Limit: 3, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page.Cases {
				seen = append(seen, c.ID)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
		}
		if fmt.Sprint(seen) != fmt.Sprint(ids) {
			t.Fatalf("queue order %v, want %v (by due date; HO's case never listed)", seen, ids)
		}
		for name, tc := range map[string]struct {
			f    foi.CaseFilter
			want int
		}{
			"eir only":        {foi.CaseFilter{Regime: calendar.RegimeEIR}, 1},
			"search":          {foi.CaseFilter{Query: "AIR quality"}, 1},
			"overdue":         {foi.CaseFilter{Overdue: true}, 5},                           // due before Mon 2 March
			"due before":      {foi.CaseFilter{DueBefore: calendar.NewDate(2026, 2, 9)}, 2}, // due 2 and 6 February
			"mine":            {foi.CaseFilter{AssigneeID: w.dfeOfficer.ID}, 7},
			"team queue":      {foi.CaseFilter{Unassigned: true}, 0},
			"another party":   {foi.CaseFilter{Party: "HO"}, 0},
			"status received": {foi.CaseFilter{Status: foi.StatusReceived}, 7},
		} {
			page, err := d.FindCases(w.officerCtx, tc.f)
			if err != nil || len(page.Cases) != tc.want {
				t.Errorf("%s: %d cases, %v; want %d", name, len(page.Cases), err, tc.want)
			}
		}
		for _, bad := range []foi.CaseFilter{{Limit: 201}, {Cursor: "!!"}, {Status: "sleeping"}} {
			_, err := d.FindCases(w.officerCtx, bad)
			wantCode(t, err, foi.EINVALID)
		}
		_, err := d.FindCases(w.liaisonCtx, foi.CaseFilter{})
		wantCode(t, err, foi.EFORBIDDEN)
	})
}

func TestHolidaysChange_RecomputesOpenDeadlinesAndFlagsTheCase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-02")) // due Tue 31 March 2026
		closed := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-02"))
		if _, err := d.TransitionCase(w.officerCtx, closed.ID, 0, foi.StatusWithdrawn, ""); err != nil {
			t.Fatal(err)
		}
		if err := d.SetCalendarOverride(cliCtx(), calendar.Override{Date: calendar.NewDate(2026, 3, 20), Title: "Proclaimed holiday"}); err != nil {
			t.Fatal(err)
		}
		got, err := d.FindCaseByID(w.officerCtx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.DueOn != c.DueOn.AddDays(1) || !strings.Contains(got.DeadlineFlag, c.DueOn.String()) {
			t.Fatalf("after the new holiday: due %s (was %s), flag %q", got.DueOn, c.DueOn, got.DeadlineFlag)
		}
		if w, _ := d.FindCaseByID(w.officerCtx, closed.ID); w.DeadlineFlag != "" {
			t.Fatalf("a closed case was recomputed: %q", w.DeadlineFlag)
		}
		if _, err := d.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func boolPtr(b bool) *bool { return &b }

func asDomainError(err error, target **foi.Error) bool {
	return errors.As(err, target)
}
