package store_test

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// genCase is one generated case with everything the statistics read.
type genCase struct {
	party                     string
	regime                    calendar.Regime
	received                  calendar.Date
	status                    foi.Status
	outcome                   foi.Outcome // recorded on the case ("" none); drafts of open cases have one too
	statutory, due, responded calendar.Date
	sections                  []string
	review, appeal            string // "-" none, "" undecided, else the outcome
	tribunal                  bool
}

// statsPeriod is the period the generated cases are reported over; they are received over twice as long.
var statsFrom, statsTo = calendar.NewDate(2026, 1, 1), calendar.NewDate(2026, 3, 31)

// generateStatsCases returns n cases of DFE and HO received from 2026-01-01 over 180 days, every status,
// outcome, timing, extension, review and appeal mixed by a seeded generator.
func generateStatsCases(n int) []genCase {
	r := rand.New(rand.NewPCG(8, 2026))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	out := make([]genCase, 0, n)
	for i := 0; i < n; i++ {
		c := genCase{party: pick("DFE", "DFE", "HO"), regime: calendar.RegimeFOIA,
			received: statsFrom.AddDays(r.IntN(180)), status: foi.Statuses[r.IntN(len(foi.Statuses))],
			review: "-", appeal: "-"}
		if r.IntN(5) == 0 {
			c.regime = calendar.RegimeEIR
		}
		if c.status != foi.StatusAwaitingClarification && r.IntN(12) != 0 { // a few imported cases have no deadline
			c.statutory = c.received.AddDays(28)
			c.due = c.statutory
			if r.IntN(4) == 0 {
				c.due = c.statutory.AddDays([]int{7, 14, 28, 42}[r.IntN(4)])
			}
		}
		if c.status != foi.StatusReceived && r.IntN(3) != 0 {
			c.outcome = foi.Outcomes[r.IntN(len(foi.Outcomes))]
			if c.regime == calendar.RegimeEIR && (c.outcome == foi.OutcomeRefusedCost || c.outcome == foi.OutcomeRefusedVexatious) {
				c.outcome = foi.OutcomeWithheldInFull // the EIR have no s.12 or s.14
			}
		}
		switch c.outcome {
		case foi.OutcomeRefusedCost:
			c.sections = []string{"12"}
		case foi.OutcomeRefusedVexatious:
			c.sections = []string{pick("14(1)", "14(2)")}
		case foi.OutcomePartiallyWithheld, foi.OutcomeWithheldInFull, foi.OutcomeNCND:
			if c.regime == calendar.RegimeEIR {
				c.sections = []string{pick("12(5)(a)", "13")}
			} else {
				c.sections = []string{pick("40(2)", "43(2)", "31(1)(a)")}
				if r.IntN(2) == 0 && c.sections[0] != "40(2)" {
					c.sections = append(c.sections, "40(2)")
				}
			}
		}
		if c.status == foi.StatusResponded || c.status == foi.StatusClosed {
			c.responded = c.received.AddDays(20 + r.IntN(60))
			if r.IntN(4) == 0 {
				c.review = pick("", foi.ReviewUpheld, foi.ReviewUpheldInPart, foi.ReviewOverturned)
			}
			if r.IntN(6) == 0 {
				c.appeal = pick("", foi.ICOUpheld, foi.ICONotUpheld, foi.ICOResolved)
				c.tribunal = r.IntN(3) == 0
			}
		}
		out = append(out, c)
	}
	return out
}

// insertStatsCases writes the generated cases behind the store's back, as imports and years of work would.
func insertStatsCases(t *testing.T, d *store.DB, cases []genCase, createdBy int64) {
	t.Helper()
	raw := store.RawDB(d)
	parties := map[string]int64{}
	for _, code := range []string{"DFE", "HO"} {
		var id int64
		if err := raw.QueryRow("SELECT id FROM parties WHERE code = $1", code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		parties[code] = id
	}
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	nullable := func(d calendar.Date) any {
		if d.IsZero() {
			return nil
		}
		return d
	}
	for i, c := range cases {
		var outcome any
		if c.outcome != "" {
			outcome = string(c.outcome)
		}
		var id int64
		err := tx.QueryRow(`INSERT INTO cases (party_id, reference, regime, received_at, received_on, channel, subject,
			request_text, status, is_open, queue_on, due_on, statutory_due_on, deadline_provisional, deadline_flag,
			outcome, responded_on, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, 'email', 'Generated', 'Generated request', $6, $7, $8, $9, $10, FALSE, '',
			$11, $12, 1, $13, $4, $4) RETURNING id`,
			parties[c.party], "STATS-"+strconv.Itoa(i), string(c.regime), c.received.Time(), c.received,
			string(c.status), c.status.Open(), c.received.AddDays(28), nullable(c.due), nullable(c.statutory),
			outcome, nullable(c.responded), createdBy).Scan(&id)
		if err != nil {
			t.Fatalf("insert case %d: %v", i, err)
		}
		for _, s := range c.sections {
			if _, err := tx.Exec(`INSERT INTO response_exemptions (case_id, section, favour_disclosure, favour_withholding,
				conclusion) VALUES ($1, $2, '', '', '')`, id, s); err != nil {
				t.Fatal(err)
			}
		}
		if c.review != "-" {
			var outcome any
			if c.review != "" {
				outcome = c.review
			}
			if _, err := tx.Exec(`INSERT INTO internal_reviews (case_id, requested_on, target_on, longstop_on, late, outcome)
				VALUES ($1, $2, $2, $2, FALSE, $3)`, id, c.responded.AddDays(5), outcome); err != nil {
				t.Fatal(err)
			}
		}
		if c.appeal != "-" {
			var outcome any
			if c.appeal != "" {
				outcome = c.appeal
			}
			if _, err := tx.Exec(`INSERT INTO ico_appeals (case_id, complaint_on, outcome, tribunal) VALUES ($1, $2, $3, $4)`,
				id, c.responded.AddDays(30), outcome, c.tribunal); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// expectedStats is what the statistics of one party's generated cases must say, counted directly from the
// generated cases without package foi's rules.
type expectedStats struct {
	received, eir, processed, met, extended, exceeded, noDeadline int
	status, outcomes, reasons, reviews, appeals, bands            map[string]int
	sections                                                      map[string]int // "regime section"
	resolvable, granted, procedural, tribunal                     int
}

func expectStats(t *testing.T, cases []genCase, party string) expectedStats {
	t.Helper()
	e := expectedStats{status: map[string]int{}, outcomes: map[string]int{}, reasons: map[string]int{},
		reviews: map[string]int{}, appeals: map[string]int{}, bands: map[string]int{}, sections: map[string]int{}}
	for _, c := range cases {
		if party != "" && c.party != party || c.received.Before(statsFrom) || c.received.After(statsTo) {
			continue
		}
		e.received++
		if c.regime == calendar.RegimeEIR {
			e.eir++
		}
		if c.due.After(c.statutory) && !c.statutory.IsZero() {
			if c.regime == calendar.RegimeEIR {
				e.bands["eir_reg7"]++
			} else {
				// The generated extensions add 7, 14, 28 or 42 calendar days: at most 10, at most 20 (Easter
				// and bank holidays only shorten them) or more than 20 working days.
				wd, err := calendar.Default().WorkingDaysBetween(c.statutory, c.due)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case wd <= 10:
					e.bands["pit_1_10"]++
				case wd <= 20:
					e.bands["pit_11_20"]++
				default:
					e.bands["pit_over_20"]++
				}
			}
		}
		var key string
		switch c.status {
		case foi.StatusResponded, foi.StatusClosed:
			e.status["processed"]++
			e.processed++
			switch {
			case c.statutory.IsZero():
				e.noDeadline++
			case !c.responded.After(c.statutory):
				e.met++
			case c.due.After(c.statutory) && !c.responded.After(c.due):
				e.extended++
			default:
				e.exceeded++
			}
			key = string(c.outcome)
			if key == "" {
				key = "not_recorded"
			}
			for _, s := range c.sections {
				if s != "12" && s != "14(1)" && s != "14(2)" {
					e.sections[string(c.regime)+" "+s]++
				}
			}
			if c.review != "-" {
				e.reviews[c.review]++
			}
			if c.appeal != "-" {
				e.appeals[c.appeal]++
				if c.tribunal {
					e.tribunal++
				}
			}
		case foi.StatusOnHoldFee:
			e.status["on_hold_fee"]++
			key = "on_hold"
		case foi.StatusAwaitingClarification:
			e.status["on_hold_other"]++
			key = "on_hold"
		case foi.StatusWithdrawn, foi.StatusLapsed:
			e.status[string(c.status)]++
			key = string(c.status)
		default:
			e.status["not_yet_processed"]++
			key = "not_yet_processed"
		}
		e.outcomes[key]++
		switch key {
		case "not_yet_processed", "granted_in_full", "partially_withheld", "withheld_in_full", "ncnd":
			e.resolvable++
		case "refused_cost", "refused_vexatious":
			e.resolvable++
			e.procedural++
		}
		switch key {
		case "refused_cost":
			e.reasons["cost_limit"]++
		case "refused_vexatious":
			e.reasons["vexatious"]++
		case "partially_withheld", "withheld_in_full", "ncnd":
			e.reasons["exemptions"]++
		}
		if key == "granted_in_full" {
			e.granted++
		}
	}
	return e
}

// check compares the statistics with the expectation, table by table.
func (e expectedStats) check(t *testing.T, s foi.Stats) {
	t.Helper()
	if e.received < 50 || e.processed < 10 {
		t.Fatalf("the generated data is too thin to test anything: %d received, %d processed", e.received, e.processed)
	}
	if s.Received != e.received || s.ReceivedEIR != e.eir || s.ReceivedFOIA != e.received-e.eir {
		t.Errorf("received %d (EIR %d, FOIA %d), want %d (EIR %d)", s.Received, s.ReceivedEIR, s.ReceivedFOIA, e.received, e.eir)
	}
	rowsEqual(t, "status", s.Status, e.status)
	rowsEqual(t, "timeliness", s.Timeliness, map[string]int{"met": e.met, "permitted_extension": e.extended,
		"exceeded": e.exceeded, "no_deadline": e.noDeadline})
	if s.Processed != e.processed || s.InTime != (foi.Percent{Num: e.met + e.extended, Den: e.processed - e.noDeadline}) {
		t.Errorf("processed %d in time %+v, want %d and %d of %d", s.Processed, s.InTime, e.processed,
			e.met+e.extended, e.processed-e.noDeadline)
	}
	rowsEqual(t, "outcomes", s.Outcomes, e.outcomes)
	if s.Resolvable != e.resolvable || s.GrantedInFull != (foi.Percent{Num: e.granted, Den: e.resolvable}) ||
		s.GrantedExcludingSections != (foi.Percent{Num: e.granted, Den: e.resolvable - e.procedural}) {
		t.Errorf("resolvable %d granted %+v excluding %+v; want %d, %d, %d of %d", s.Resolvable, s.GrantedInFull,
			s.GrantedExcludingSections, e.resolvable, e.granted, e.granted, e.resolvable-e.procedural)
	}
	rowsEqual(t, "reasons", s.Reasons, e.reasons)
	withheld := e.reasons["cost_limit"] + e.reasons["vexatious"] + e.reasons["exemptions"]
	if s.Withheld != withheld {
		t.Errorf("withheld %d, want %d", s.Withheld, withheld)
	}
	got := map[string]int{}
	for _, r := range s.Sections {
		got[string(r.Regime)+" "+r.Section] = r.Count
	}
	mapsEqual(t, "sections", got, e.sections)
	for i := 1; i < len(s.Sections); i++ {
		if s.Sections[i].Count > s.Sections[i-1].Count {
			t.Errorf("sections not in order of use: %+v", s.Sections)
		}
	}
	reviews := map[string]int{}
	for k, n := range e.reviews {
		reviews[cmpOr(k, "pending")] = n
	}
	rowsEqual(t, "reviews", s.Reviews, reviews)
	appeals := map[string]int{}
	for k, n := range e.appeals {
		appeals[cmpOr(k, "pending")] = n
	}
	rowsEqual(t, "appeals", s.Appeals, appeals)
	if s.Tribunal != e.tribunal {
		t.Errorf("tribunal %d, want %d", s.Tribunal, e.tribunal)
	}
	rowsEqual(t, "extensions", s.Extensions, e.bands)
	if len(s.Quarters) != 1 || s.Quarters[0].Received != e.received || s.Quarters[0].InTime != s.InTime {
		t.Errorf("quarters %+v", s.Quarters)
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rowsEqual checks that rows hold exactly the counts in want (keys missing from want are 0).
func rowsEqual(t *testing.T, table string, rows []foi.StatsRow, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	for _, r := range rows {
		if r.Count != 0 {
			got[r.Key] = r.Count
		}
	}
	mapsEqual(t, table, got, want)
}

func mapsEqual(t *testing.T, table string, got, want map[string]int) {
	t.Helper()
	for k, n := range want {
		if n != 0 && got[k] != n {
			t.Errorf("%s[%s] = %d, want %d", table, k, got[k], n)
		}
	}
	for k, n := range got {
		if want[k] != n {
			t.Errorf("%s[%s] = %d, want %d", table, k, n, want[k])
		}
	}
}

func TestStats_CountsAGeneratedDataSetTableByTable(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		officer := mustCreateUser(t, d, "officer@dfe.test", foi.RoleOfficer, "DFE")
		cases := generateStatsCases(600)
		insertStatsCases(t, d, cases, officer.ID)
		q := foi.ReportQuery{From: statsFrom, To: statsTo}

		// An officer gets their own party's statistics when they name none.
		s, err := d.Stats(userCtx(officer), q)
		if err != nil {
			t.Fatal(err)
		}
		if s.Query.Party != "DFE" {
			t.Errorf("party %q", s.Query.Party)
		}
		expectStats(t, cases, "DFE").check(t, s)

		// The command line (and an admin) may ask for one party, or every party together.
		s, err = d.Stats(cliCtx(), foi.ReportQuery{From: statsFrom, To: statsTo, Party: "ho"})
		if err != nil {
			t.Fatal(err)
		}
		expectStats(t, cases, "HO").check(t, s)
		admin := mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, "")
		s, err = d.Stats(userCtx(admin), q)
		if err != nil {
			t.Fatal(err)
		}
		expectStats(t, cases, "").check(t, s)
	})
}

func TestStats_ChecksWhoAsksAndWhatIsAsked(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		q := foi.ReportQuery{From: statsFrom, To: statsTo, Party: "DFE"}
		for _, tc := range []struct {
			role  foi.Role
			party string
			want  string
		}{
			{foi.RoleOfficer, "DFE", ""},
			{foi.RoleDecisionMaker, "DFE", ""},
			{foi.RoleAuditor, "DFE", ""},
			{foi.RoleAdmin, "", ""},
			{foi.RoleOfficer, "HO", foi.EFORBIDDEN},
			{foi.RoleAuditor, "HO", foi.EFORBIDDEN},
			{foi.RoleLiaison, "DFE", foi.EFORBIDDEN},
		} {
			u := mustCreateUser(t, d, string(tc.role)+"."+cmpOr(tc.party, "all")+"@test.example", tc.role, tc.party)
			_, err := d.Stats(userCtx(u), q)
			if foi.ErrorCode(err) != tc.want {
				t.Errorf("%s of %q: error %v, want code %q", tc.role, tc.party, err, tc.want)
			}
		}
		_, err := d.Stats(cliCtx(), foi.ReportQuery{From: statsFrom, To: statsTo, Party: "NOPE"})
		wantFields(t, err, "party")
		_, err = d.Stats(cliCtx(), foi.ReportQuery{From: statsTo, To: statsFrom})
		wantFields(t, err, "from")
		_, err = d.Stats(foi.WithActor(cliCtx(), foi.Actor{}), foi.ReportQuery{From: statsFrom, To: statsTo})
		wantCode(t, err, foi.EUNAUTHORIZED)
	})
}
