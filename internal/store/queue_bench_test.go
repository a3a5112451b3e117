package store_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// queueCases is how many cases the queue benchmark generates: the 1,000,000.
const queueCases = 1_000_000

// queueWorld is a database holding queueCases generated cases of two parties, worked by 50 officers each.
type queueWorld struct {
	d        *store.DB
	officers []*foi.User // DFE's
}

var (
	queueWorldsMu sync.Mutex
	queueWorlds   = map[string]*queueWorld{}
)

// BenchmarkOfficerQueue measures the officer's queue on 1,000,000 cases, through the store method every path
// uses (FindCases, which also writes its audit event), on each engine: an officer's own open cases, the team's
// open queue, the overdue list and a search. It reports the 95th percentile latency as p95-ms (target: under
// 25 ms). The generated database is built once per engine and reused by -count runs.
func BenchmarkOfficerQueue(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			w := queueWorldFor(b, engine)
			today := calendar.LondonDate(time.Now())
			for _, q := range []struct {
				name   string
				filter func(u *foi.User) foi.CaseFilter
			}{
				{"mine", func(u *foi.User) foi.CaseFilter { return foi.CaseFilter{AssigneeID: u.ID, Open: boolPtr(true)} }},
				{"team", func(u *foi.User) foi.CaseFilter { return foi.CaseFilter{Open: boolPtr(true)} }},
				{"overdue", func(u *foi.User) foi.CaseFilter { return foi.CaseFilter{Overdue: true} }},
				{"due-soon", func(u *foi.User) foi.CaseFilter {
					return foi.CaseFilter{Open: boolPtr(true), DueBefore: today.AddDays(7)}
				}},
			} {
				b.Run(q.name, func(b *testing.B) {
					latencies := make([]time.Duration, 0, b.N)
					for i := 0; i < b.N; i++ {
						u := w.officers[i%len(w.officers)]
						start := time.Now()
						page, err := w.d.FindCases(userCtx(u), q.filter(u))
						latencies = append(latencies, time.Since(start))
						if err != nil {
							b.Fatal(err)
						}
						if len(page.Cases) == 0 {
							b.Fatalf("%s: an empty page; the generated data should fill it", q.name)
						}
					}
					reportPercentiles(b, latencies)
				})
			}
		})
	}
}

// reportPercentiles reports the 50th and 95th percentile of the latencies in milliseconds.
func reportPercentiles(b *testing.B, latencies []time.Duration) {
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	at := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}

// queueWorldFor returns the engine's generated database, building it on first use.
func queueWorldFor(b *testing.B, engine string) *queueWorld {
	queueWorldsMu.Lock()
	defer queueWorldsMu.Unlock()
	if w, ok := queueWorlds[engine]; ok {
		return w
	}
	// The database outlives this benchmark: the statistics benchmark reuses it, and TestMain removes it.
	d, err := storetest.OpenShared(engine)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	w := &queueWorld{d: d}
	cli := cliCtx()
	if _, err := d.SeedDemo(cli); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		for _, party := range []string{"DFE", "HO"} {
			u, _, err := d.CreateUser(cli, foi.NewUser{Email: fmt.Sprintf("officer%d@%s.bench", i, party),
				Name: fmt.Sprintf("Officer %d", i), Role: foi.RoleOfficer, PartyCode: party, Password: "benchmark password"})
			if err != nil {
				b.Fatal(err)
			}
			if party == "DFE" {
				w.officers = append(w.officers, &u)
			}
		}
	}
	generateCases(b, d, engine, w.officers[0].ID)
	b.Logf("%s: generated %d cases in %s", engine, queueCases, time.Since(start).Round(time.Second))
	queueWorlds[engine] = w
	return w
}

// generateCases inserts queueCases cases in the database itself (a recursive CTE on SQLite, generate_series on
// PostgreSQL): half per party, one in ten open, due dates spread over seven years around today, assigned
// round-robin to the 50 officers of each party (ids from firstOfficer, alternating DFE and HO), so that
// every officer has open cases.
func generateCases(b *testing.B, d *store.DB, engine string, firstOfficer int64) {
	raw := store.RawDB(d)
	base := calendar.LondonDate(time.Now()).AddDays(-5 * 365)
	var q string
	switch engine {
	case "sqlite":
		q = fmt.Sprintf(`INSERT INTO cases (party_id, reference, regime, received_at, received_on, channel, subject,
			request_text, status, is_open, assignee_id, queue_on, due_on, statutory_due_on, deadline_provisional,
			deadline_flag, version, created_by, created_at, updated_at)
		WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %[1]d)
		SELECT 1 + n %% 2, 'GEN-' || n, CASE WHEN n %% 7 = 0 THEN 'eir' ELSE 'foia' END,
			'2024-01-01 09:00:00+00:00', date('%[2]s', '+' || (n * 7 / 3000) || ' days'), 'email',
			'Generated request ' || n, 'Please send me the information about topic ' || (n %% 997) || '.',
			CASE WHEN (n / 2) %% 10 = 0 THEN 'in_progress' ELSE 'closed' END, (n / 2) %% 10 = 0,
			%[3]d + 2 * ((n / 20) %% 50) + (n %% 2),
			date('%[2]s', '+' || (n * 7 / 3000 + 28) || ' days'), date('%[2]s', '+' || (n * 7 / 3000 + 28) || ' days'),
			date('%[2]s', '+' || (n * 7 / 3000 + 28) || ' days'), 0, '', 1, %[3]d,
			'2024-01-01 09:00:00+00:00', '2024-01-01 09:00:00+00:00'
		FROM s`, queueCases, base, firstOfficer)
	case "postgres":
		q = fmt.Sprintf(`INSERT INTO cases (party_id, reference, regime, received_at, received_on, channel, subject,
			request_text, status, is_open, assignee_id, queue_on, due_on, statutory_due_on, deadline_provisional,
			deadline_flag, version, created_by, created_at, updated_at)
		SELECT 1 + n %% 2, 'GEN-' || n, CASE WHEN n %% 7 = 0 THEN 'eir' ELSE 'foia' END,
			'2024-01-01 09:00:00+00', DATE '%[2]s' + (n * 7 / 3000)::int, 'email',
			'Generated request ' || n, 'Please send me the information about topic ' || (n %% 997) || '.',
			CASE WHEN (n / 2) %% 10 = 0 THEN 'in_progress' ELSE 'closed' END, (n / 2) %% 10 = 0,
			%[3]d + 2 * ((n / 20) %% 50) + (n %% 2),
			DATE '%[2]s' + (n * 7 / 3000 + 28)::int, DATE '%[2]s' + (n * 7 / 3000 + 28)::int,
			DATE '%[2]s' + (n * 7 / 3000 + 28)::int, FALSE, '', 1, %[3]d,
			'2024-01-01 09:00:00+00', '2024-01-01 09:00:00+00'
		FROM generate_series(1, %[1]d) AS n`, queueCases, base, firstOfficer)
	}
	if _, err := raw.ExecContext(context.Background(), q); err != nil {
		b.Fatalf("generate cases: %v", err)
	}
	storetest.AnalyzeLikeProduction(b, raw, engine)
}
