package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
	"foidesk/internal/web"
)

// BenchmarkCaseIntake measures logging a request through the HTTP handler (token check, JSON, validation,
// reference, deadline, requester, assets, duplicate check, audit) against a raw insert of the same rows (see
// rawInsertCase), one transaction each, on each engine in the same run. The target: the handler at
// least 60% of the raw ceiling. Compare the ns/op of the two sub-benchmarks; "raw-ratio" reports it directly.
func BenchmarkCaseIntake(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var d *store.DB
			var dsn string
			if engine == "sqlite" {
				d, dsn = storetest.OpenSQLiteDSN(b)
			} else {
				d, dsn = storetest.OpenPostgresDSN(b)
			}
			h, token := intakeServer(b, d)
			raw := openRaw(b, engine, dsn)
			// A database in use: 2,000 earlier cases, with the planner statistics production has.
			seq := 0
			for ; seq < 2000; seq++ {
				rawInsertCase(b, raw, engine, seq)
			}
			storetest.AnalyzeLikeProduction(b, raw, engine)
			var httpNs, rawNs float64
			b.Run("http", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					seq++
					req := httptest.NewRequest(http.MethodPost, "/api/v1/cases", strings.NewReader(intakeBody(seq)))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusCreated {
						b.Fatalf("status %d: %s", rec.Code, rec.Body)
					}
				}
				httpNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			})
			b.Run("raw", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					seq++
					rawInsertCase(b, raw, engine, seq)
				}
				rawNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
				if httpNs > 0 {
					b.ReportMetric(rawNs/httpNs*100, "http-%-of-raw")
				}
			})
		})
	}
}

// intakeServer returns a server over d with the demo seeded and an API token of a DFE officer.
func intakeServer(tb testing.TB, d *store.DB) (http.Handler, string) {
	tb.Helper()
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	if _, err := d.SeedDemo(cli); err != nil {
		tb.Fatal(err)
	}
	if _, _, err := d.CreateUser(cli, foi.NewUser{Email: "bench@dfe.test", Name: "Bench Officer", Role: foi.RoleOfficer,
		PartyCode: "DFE", Password: testPassword}); err != nil {
		tb.Fatal(err)
	}
	token, err := d.CreateToken(cli, "bench@dfe.test", "bench")
	if err != nil {
		tb.Fatal(err)
	}
	s, err := web.New(web.Config{Auth: d, Registers: d, Cases: d, Ping: d.Ping, Log: quietLog,
		RequestContext: store.WithRequestState})
	if err != nil {
		tb.Fatal(err)
	}
	return s.Handler(), token
}

// intakeBody is a typical request from requester n: each comes from a different person, as most do.
func intakeBody(n int) string {
	return fmt.Sprintf(`{"regime":"foia","received_at":"2026-02-20T16:30:00Z","channel":"email",
		"subject":"Pupil data shared with the Home Office",
		"request_text":"How many requests did the Home Office make to the DfE for pupil data in 2025?",
		"requester":{"name":"Requester %d","email":"requester%d@example.org","type":"media"},
		"asset_codes":["cid-person-records"]}`, n, n)
}

// openRaw opens the benchmark's own connection to the database, for the raw ceiling and for counting rows.
func openRaw(tb testing.TB, engine, dsn string) *sql.DB {
	tb.Helper()
	driver, source := "pgx", dsn
	if engine == "sqlite" {
		driver = "sqlite"
		source = "file:" + dsn + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_time_format=sqlite&_txlock=immediate"
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { db.Close() })
	return db
}

// rawInsertCase writes, with hand-written SQL in one transaction, the same rows an intake of a request touching
// another party's asset writes: the reference counter, the case, its requester, its asset link, the
// consultation of the providing party, the email telling its FOI contact, the audit event and the audit chain's
// head. It is the
// ceiling no application path can beat; it skips everything the application adds (authentication, validation,
// the deadline, the duplicate check, hashing).
func rawInsertCase(b *testing.B, db *sql.DB, engine string, i int) {
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	now := time.Now().UTC().Truncate(time.Microsecond)
	var seq int64
	if err := tx.QueryRow(`INSERT INTO case_counters (party_id, year, last_seq) VALUES (2, 2026, 1)
		ON CONFLICT (party_id, year) DO UPDATE SET last_seq = case_counters.last_seq + 1 RETURNING last_seq`).Scan(&seq); err != nil {
		b.Fatal(err)
	}
	var id int64
	err = tx.QueryRow(`INSERT INTO cases (party_id, reference, regime, received_at, received_on, channel, subject,
		request_text, status, is_open, assignee_id, queue_on, due_on, statutory_due_on, deadline_provisional,
		deadline_flag, version, created_by, created_at, updated_at)
		VALUES (2, $1, 'foia', $2, '2026-02-20', 'email', 'Pupil data shared with the Home Office',
		'How many requests did the Home Office make to the DfE for pupil data in 2025?', 'received', TRUE, 1,
		'2026-03-23', '2026-03-23', '2026-03-23', FALSE, '', 1, 1, $3, $3) RETURNING id`,
		fmt.Sprintf("HO-FOI-2026-%06d", seq), now, now).Scan(&id)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO requesters (case_id, name, email, address, type)
		VALUES ($1, $2, $3, '', 'media')`, id, fmt.Sprintf("Requester %d", i), fmt.Sprintf("requester%d@example.org", i)); err != nil {
		b.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO case_assets (case_id, asset_id, confirmed) VALUES ($1, 1, TRUE)`, id); err != nil {
		b.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO consultations (case_id, owner_party_id, consulted_party_id, status, question,
		information_at_issue, contact_email, sent_on, respond_by, reminders_sent, closure_reasons, waiver_reasons,
		version, created_at, updated_at)
		VALUES ($1, 2, 1, 'sent', 'Representations on the impact of disclosure', '', 'foi.requests@education.example',
		'2026-03-02', '2026-03-09', 0, '', '', 1, $2, $2)`, id, now); err != nil {
		b.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO outbox (template, recipient_email, recipient_name, data, link, message_id, status,
		attempts, next_attempt_at, last_error, created_at)
		VALUES ('consultation_sent', 'foi.requests@education.example', 'DfE FOI team', '{}', '/consultations/1', $1,
		'pending', 0, $2, '', $2)`, fmt.Sprintf("<raw-%d@foidesk>", i), now); err != nil {
		b.Fatal(err)
	}
	var auditSeq int64
	if err := tx.QueryRow(`UPDATE audit_head SET seq = seq + 1, hash = $1 WHERE id = 1 RETURNING seq`,
		fmt.Sprintf("%064d", i)).Scan(&auditSeq); err != nil {
		b.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO audit_events (seq, at, actor_id, actor_label, action, record_type, record_id,
		party_id, ip, detail, prev_hash, hash) VALUES ($1, $2, 1, 'raw', 'case.create', 'case', $3, 2, '', '{}', '', '')`,
		auditSeq, now, fmt.Sprint(id)); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
