package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
)

// BenchmarkStatsQuarter measures the FOI statistics of one quarter of the queue benchmark's 1,000,000 cases
// (about 38,000 of them received in the quarter), through the store method every path uses, for one party and
// for every party, on each engine. The quarter's closed cases are first given outcomes, response dates either
// side of their deadlines, extensions, exemptions, internal reviews and ICO appeals, so that every table has
// rows to count. Target: under 2 s.
func BenchmarkStatsQuarter(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			w := queueWorldFor(b, engine)
			q := benchQuarter()
			enrichQuarter(b, w.d, engine, q)
			for _, tc := range []struct {
				name  string
				party string
			}{{"one-party", "DFE"}, {"all-parties", ""}} {
				b.Run(tc.name, func(b *testing.B) {
					q.Party = tc.party
					var s foi.Stats
					var err error
					for i := 0; i < b.N; i++ {
						if s, err = w.d.Stats(cliCtx(), q); err != nil {
							b.Fatal(err)
						}
					}
					if s.Received < 10000 || s.Processed == 0 || len(s.Sections) == 0 {
						b.Fatalf("%d received, %d processed, %d sections: the generated quarter should fill the tables",
							s.Received, s.Processed, len(s.Sections))
					}
				})
			}
		})
	}
}

// benchQuarter is the calendar quarter that began a year and a quarter ago: inside the generated data.
func benchQuarter() foi.ReportQuery {
	d := calendar.LondonDate(time.Now()).AddDays(-460)
	from := calendar.NewDate(d.Year(), time.Month((int(d.Month())-1)/3*3+1), 1)
	to := calendar.NewDate(from.Year(), from.Month()+3, 1).AddDays(-1)
	return foi.ReportQuery{From: from, To: to}
}

// enrichedQuarters remembers the worlds whose quarter enrichQuarter already filled.
var enrichedQuarters = map[string]bool{}

// enrichQuarter gives the quarter's closed cases what the statistics count: outcomes by id, response dates
// before and after day 20, a PIT extension on one in six, an exemption on the withholding ones, an internal
// review on one in ten and an ICO appeal on one in forty.
func enrichQuarter(b *testing.B, d *store.DB, engine string, q foi.ReportQuery) {
	queueWorldsMu.Lock()
	defer queueWorldsMu.Unlock()
	if enrichedQuarters[engine] {
		return
	}
	raw := store.RawDB(d)
	in := "FROM cases WHERE status = 'closed' AND received_on >= $1 AND received_on <= $2"
	ctx := context.Background()
	for _, stmt := range []string{
		`UPDATE cases SET outcome = CASE id % 5 WHEN 0 THEN 'granted_in_full' WHEN 1 THEN 'partially_withheld'
			WHEN 2 THEN 'withheld_in_full' WHEN 3 THEN 'not_held' ELSE 'refused_cost' END,
			due_on = CASE WHEN id % 6 = 0 THEN due_on + 28 ELSE due_on END, responded_on = CASE WHEN id % 4 = 0 THEN due_on + 5 ELSE due_on - 3 END
		WHERE id IN (SELECT id ` + in + `)`,
		`INSERT INTO response_exemptions (case_id, section, favour_disclosure, favour_withholding, conclusion)
		SELECT id, CASE WHEN id % 2 = 0 THEN '40(2)' ELSE '43(2)' END, '', '', '' ` + in + ` AND id % 5 IN (1, 2)`,
		`INSERT INTO internal_reviews (case_id, requested_on, target_on, longstop_on, late, outcome)
		SELECT id, due_on, due_on, due_on, FALSE, 'upheld' ` + in + ` AND id % 10 = 1`,
		`INSERT INTO ico_appeals (case_id, complaint_on, outcome, tribunal)
		SELECT id, due_on, NULL, FALSE ` + in + ` AND id % 40 = 1`,
	} {
		if engine == "sqlite" { // date arithmetic: SQLite's date() for PostgreSQL's date + integer
			stmt = sqliteDates(stmt)
		}
		if _, err := raw.ExecContext(ctx, stmt, q.From, q.To); err != nil {
			b.Fatalf("enrich the quarter: %v\n%s", err, stmt)
		}
	}
	if _, err := raw.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	enrichedQuarters[engine] = true
}

// sqliteDates rewrites the enrichment's date sums for SQLite.
func sqliteDates(stmt string) string {
	for from, to := range map[string]string{
		"due_on + 28": "date(due_on, '+28 days')",
		"due_on - 3":  "date(due_on, '-3 days')",
		"due_on + 5":  "date(due_on, '+5 days')",
	} {
		stmt = strings.ReplaceAll(stmt, from, to)
	}
	return stmt
}
