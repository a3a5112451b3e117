package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
)

// PagePassword is the password of every user GeneratePages creates.
const PagePassword = "benchmark pages password"

// pageSpanDays is how far back the generated cases were received: four years, up to yesterday.
const pageSpanDays = 4 * 365

// pageOpenDays is the window of the newest cases that are still open: about a month and a half, so that some
// of them are overdue and most are not.
const pageOpenDays = 40

// pageOfficers is how many officers each party has; every generated case but the team queue's goes to one.
const pageOfficers = 10

// Pages is a database holding generated cases for the page benchmarks, with who to sign in as and the case
// to open.
type Pages struct {
	DB *store.DB
	// The sign-in emails (password PagePassword): a DFE officer (who has generated cases), a DFE
	// decision-maker, a DFE auditor and an HO liaison (who answers DFE's consultations).
	Officer, DecisionMaker, Auditor, Liaison string
	// CaseID is a DFE case logged through the services with clock events, two documents and a consultation
	// of HO that has representations: the case page a person opens.
	CaseID int64
	// Quarter is a calendar quarter inside the generated data, for the statistics.
	Quarter foi.ReportQuery
}

// GeneratePages fills d, a freshly migrated database of the engine, with the demo registers and n cases
// written in bulk through raw (a connection of its own to the same database): half per party, received over
// the last four years, the newest still open in every open status (most assigned round-robin to ten officers
// per party, the newly received ones to the team queue), the rest closed with outcomes and response dates; a
// requester and a case.create audit event each; a consultation of the other party on every case awaiting
// representations and on one closed case in ten (with representations and a consideration), and a document
// on one case in ten. Then it logs the case the pages open through the services and leaves the planner
// statistics production has (AnalyzeLikeProduction).
func GeneratePages(tb testing.TB, d *store.DB, raw *sql.DB, engine string, n int) *Pages {
	tb.Helper()
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	if _, err := d.SeedDemo(cli); err != nil {
		tb.Fatal(err)
	}
	users := map[string]*foi.User{}
	newUser := func(email, name string, role foi.Role, party string) {
		u, _, err := d.CreateUser(cli, foi.NewUser{Email: email, Name: name, Role: role, PartyCode: party, Password: PagePassword})
		if err != nil {
			tb.Fatalf("create user %s: %v", email, err)
		}
		users[email] = &u
	}
	for _, party := range []string{"DFE", "HO"} {
		for i := 0; i < pageOfficers; i++ {
			newUser(pageOfficer(party, i), fmt.Sprintf("%s Officer %d", party, i), foi.RoleOfficer, party)
		}
	}
	p := &Pages{DB: d, Officer: pageOfficer("DFE", 0), DecisionMaker: "dm@dfe.pages", Auditor: "auditor@dfe.pages",
		Liaison: "liaison@ho.pages"}
	newUser(p.DecisionMaker, "DFE Decider", foi.RoleDecisionMaker, "DFE")
	newUser(p.Auditor, "DFE Auditor", foi.RoleAuditor, "DFE")
	newUser(p.Liaison, "HO Liaison", foi.RoleLiaison, "HO")

	today := calendar.LondonDate(d.Time())
	g := pageGen{engine: engine, n: n, base: today.AddDays(-pageSpanDays), officer: users[p.Officer].ID,
		liaison: users[p.Liaison].ID}
	ctx := context.Background()
	if err := raw.QueryRowContext(ctx, "SELECT id FROM parties WHERE code = 'DFE'").Scan(&g.dfe); err != nil {
		tb.Fatal(err)
	}
	if err := raw.QueryRowContext(ctx, "SELECT id FROM parties WHERE code = 'HO'").Scan(&g.ho); err != nil {
		tb.Fatal(err)
	}
	for _, stmt := range g.statements() {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			tb.Fatalf("generate the pages' cases: %v\n%s", err, stmt)
		}
	}
	p.CaseID = pageCase(tb, d, users[p.Officer], users[p.Liaison], today)
	p.Quarter = pageQuarter(today)
	AnalyzeLikeProduction(tb, raw, engine)
	return p
}

// pageOfficer returns the email of officer i of the party.
func pageOfficer(party string, i int) string {
	return fmt.Sprintf("officer%d@%s.pages", i, strings.ToLower(party))
}

// pageQuarter returns the calendar quarter that began a year and a quarter before today.
func pageQuarter(today calendar.Date) foi.ReportQuery {
	d := today.AddDays(-460)
	from := calendar.NewDate(d.Year(), time.Month((int(d.Month())-1)/3*3+1), 1)
	to := calendar.NewDate(from.Year(), from.Month()+3, 1).AddDays(-1)
	return foi.ReportQuery{From: from, To: to}
}

// pageCase logs the case the pages open as the officer, touching an HO asset (so HO is consulted at once),
// with a clarification sought and received, two documents and HO's representations; it returns its id.
func pageCase(tb testing.TB, d *store.DB, officer, liaison *foi.User, today calendar.Date) int64 {
	tb.Helper()
	octx := foi.WithActor(context.Background(), foi.Actor{User: officer})
	lctx := foi.WithActor(context.Background(), foi.Actor{User: liaison})
	out, err := d.CreateCase(octx, foi.NewCase{Regime: calendar.RegimeFOIA, ReceivedAt: today.AddDays(-3).String(),
		Channel: foi.ChannelEmail, Subject: "Pupil data shared with the Home Office",
		RequestText: "How many requests did the Home Office make to the DfE for pupil data in 2025, and how many addresses were returned?",
		Requester:   foi.Requester{Name: "Ada Requester", Email: "ada@example.org", Type: foi.RequesterMedia},
		AssetCodes:  []string{"cid-person-records"}}, foi.Idempotency{})
	if err != nil {
		tb.Fatalf("log the pages' case: %v (%v)", err, foi.ErrorFields(err))
	}
	c := out.Case
	for _, e := range []foi.ClockEvent{
		{Kind: foi.EventClarificationSought, On: today.AddDays(-2), Note: "Which years?"},
		{Kind: foi.EventClarificationReceived, On: today.AddDays(-1), Note: "2025 only."},
	} {
		if c, _, err = d.AddClockEvent(octx, c.ID, c.Version, e, nil); err != nil {
			tb.Fatalf("clock event %s: %v", e.Kind, err)
		}
	}
	for _, name := range []string{"Request letter.txt", "Search results.csv"} {
		if _, err := d.UploadDocument(octx, c.ID, foi.NewDocument{Name: name,
			Content: []byte(strings.Repeat("Generated document content.\n", 200))}); err != nil {
			tb.Fatalf("upload %s: %v", name, err)
		}
	}
	ks, err := d.CaseConsultations(octx, c.ID)
	if err != nil || len(ks.Consultations) != 1 {
		tb.Fatalf("the pages' case's consultations: %+v %v", ks, err)
	}
	if _, err := d.SubmitRepresentation(lctx, ks.Consultations[0].ID, foi.Representation{Position: foi.PositionObjectInPart,
		Summary: "Disclosing the counts by month would identify individuals.", Harm: "Prejudice to law enforcement."}); err != nil {
		tb.Fatalf("representations: %v", err)
	}
	return c.ID
}

// pageGen writes the generated rows with one statement per table, in the engine's SQL.
type pageGen struct {
	engine           string
	n                int
	base             calendar.Date // the day the oldest case was received
	dfe, ho          int64         // the parties' ids
	officer, liaison int64         // who created the cases, and who represented on the consultations
}

// day returns the SQL for the date days (an SQL integer expression) after base.
func (g pageGen) day(days string) string {
	if g.engine == "sqlite" {
		return fmt.Sprintf("date('%s', '+' || (%s) || ' days')", g.base, days)
	}
	return fmt.Sprintf("(DATE '%s' + (%s))", g.base, days)
}

// plus returns the SQL for the date column col plus days (an integer).
func (g pageGen) plus(col string, days int) string {
	if g.engine == "sqlite" {
		return fmt.Sprintf("date(%s, '%+d days')", col, days)
	}
	return fmt.Sprintf("(%s + %d)", col, days)
}

// at returns the SQL for 10:00 UTC on the date expression d.
func (g pageGen) at(d string) string {
	if g.engine == "sqlite" {
		return d + " || ' 10:00:00+00:00'"
	}
	return fmt.Sprintf("((%s + TIME '10:00') AT TIME ZONE 'UTC')", d)
}

// series returns a FROM clause giving n = 1..g.n and r, the day (from base) case n was received.
func (g pageGen) series() string {
	r := fmt.Sprintf("(n - 1) * %d / %d", pageSpanDays, g.n)
	if g.engine == "sqlite" {
		return fmt.Sprintf("(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %d) SELECT n, %s AS r FROM s) s", g.n, r)
	}
	return fmt.Sprintf("(SELECT n, %s AS r FROM generate_series(1, %d) AS n) s", r, g.n)
}

// statements returns the inserts, in order: cases, requesters, audit events (and the chain's head), case
// assets and consultations, representations, considerations, documents.
func (g pageGen) statements() []string {
	open := fmt.Sprintf("r >= %d", pageSpanDays-pageOpenDays)
	status := fmt.Sprintf(`CASE WHEN %s THEN CASE (n / 2) %% 8 WHEN 0 THEN 'received' WHEN 3 THEN 'awaiting_representations'
			WHEN 4 THEN 'pending_approval' WHEN 5 THEN 'awaiting_clarification' WHEN 6 THEN 'on_hold_fee' ELSE 'in_progress' END
		ELSE CASE (n / 2) %% 50 WHEN 0 THEN 'withdrawn' WHEN 1 THEN 'lapsed' WHEN 2 THEN 'responded' ELSE 'closed' END END`, open)
	party := fmt.Sprintf("CASE WHEN n %% 2 = 0 THEN %d ELSE %d END", g.dfe, g.ho)
	code := "CASE WHEN n % 2 = 0 THEN 'dfe' ELSE 'ho' END"
	received := g.day("r")
	due := g.day("r + 28")
	responded := g.day("r + 10 + n % 25")
	cases := fmt.Sprintf(`INSERT INTO cases (party_id, reference, regime, received_at, received_on, channel, subject,
		request_text, status, is_open, assignee_id, queue_on, due_on, statutory_due_on, deadline_provisional,
		deadline_flag, outcome, responded_on, closed_on, version, created_by, created_at, updated_at)
	SELECT party_id, upper(code) || '-FOI-G-' || n, CASE WHEN n %% 7 = 0 THEN 'eir' ELSE 'foia' END, %[1]s, %[2]s, 'email',
		'Generated request ' || n || ' about topic ' || (n %% 997), 'Please send me the information about topic ' || (n %% 997) || '.',
		status, is_open,
		CASE WHEN status = 'received' THEN NULL ELSE
			(SELECT u.id FROM users u WHERE u.email = 'officer' || ((n / 7) %% %[9]d) || '@' || code || '.pages') END,
		CASE WHEN status IN ('awaiting_clarification', 'on_hold_fee') THEN '9999-12-31' ELSE %[3]s END, %[3]s, %[3]s, %[4]s, '',
		CASE WHEN is_open OR status IN ('withdrawn', 'lapsed') THEN NULL ELSE CASE n %% 5 WHEN 0 THEN 'granted_in_full'
			WHEN 1 THEN 'partially_withheld' WHEN 2 THEN 'withheld_in_full' WHEN 3 THEN 'not_held' ELSE 'refused_cost' END END,
		CASE WHEN is_open OR status IN ('withdrawn', 'lapsed') THEN NULL ELSE %[5]s END,
		CASE WHEN status IN ('closed', 'withdrawn', 'lapsed') THEN %[5]s ELSE NULL END,
		1, %[6]d, %[1]s, %[1]s
	FROM (SELECT n, r, %[7]s AS party_id, %[8]s AS code, %[10]s AS status, %[11]s AS is_open FROM %[12]s) g
	ORDER BY n`, g.at(received), received, due, g.falseSQL(), responded, g.officer, party, code, pageOfficers,
		status, open, g.series())
	return []string{
		cases,
		`INSERT INTO requesters (case_id, name, email, address, type)
		SELECT id, 'Requester ' || id, 'requester' || id || '@example.org', '', 'public' FROM cases`,
		`INSERT INTO audit_events (seq, at, actor_id, actor_label, action, record_type, record_id, party_id, ip,
			detail, prev_hash, hash)
		SELECT (SELECT seq FROM audit_head) + c.id, c.created_at, c.created_by, 'Generated', 'case.create', 'case',
			CAST(c.id AS TEXT), c.party_id, '192.0.2.1', '{}', '', 'generated'
		FROM cases c ORDER BY c.id`,
		`UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_events), hash = 'generated'`,
		`INSERT INTO case_assets (case_id, asset_id, confirmed)
		SELECT c.id, a.id, ` + g.trueSQL() + ` FROM cases c
		JOIN assets a ON a.code = CASE WHEN c.party_id = ` + fmt.Sprint(g.dfe) + ` THEN 'cid-person-records' ELSE 'npd-pupil-matches' END
		WHERE c.status = 'awaiting_representations' OR (c.status = 'closed' AND c.id % 20 IN (0, 5))`,
		`INSERT INTO consultations (case_id, owner_party_id, consulted_party_id, status, question, information_at_issue,
			contact_email, sent_on, respond_by, reminders_sent, closure_reasons, waiver_reasons, resolved_on, version,
			created_at, updated_at)
		SELECT c.id, c.party_id, ` + fmt.Sprint(g.dfe+g.ho) + ` - c.party_id,
			CASE WHEN c.status = 'closed' THEN 'considered' WHEN c.id % 3 = 0 THEN 'representations_received' ELSE 'sent' END,
			'Representations on the impact of disclosure', 'The counts by month', 'foi.requests@example.org',
			` + g.plus("c.received_on", 2) + `, ` + g.plus("c.received_on", 9) + `, 0, '', '',
			CASE WHEN c.status = 'closed' THEN ` + g.plus("c.received_on", 12) + ` ELSE NULL END, 1, c.created_at, c.created_at
		FROM cases c JOIN case_assets ca ON ca.case_id = c.id ORDER BY c.id`,
		`INSERT INTO consultation_representations (consultation_id, version, position, summary, harm,
			proposed_exemptions, proposed_redactions, submitted_by, submitted_at)
		SELECT id, 1, 'no_objection', 'No objection.', '', '[]', '[]', ` + fmt.Sprint(g.liaison) + `, created_at
		FROM consultations WHERE status IN ('representations_received', 'considered')`,
		`INSERT INTO consultation_considerations (consultation_id, outcome, reasons, representation_version,
			considered_by, considered_at)
		SELECT id, 'accepted', 'No objection raised.', 1, ` + fmt.Sprint(g.officer) + `, created_at
		FROM consultations WHERE status = 'considered'`,
		`INSERT INTO documents (case_id, name, version, content_type, size, sha256, content, uploaded_by, uploaded_at)
		SELECT id, 'Generated document ' || id || '.txt', 1, 'text/plain', 2048, '', ` + g.blob() + `, created_by, created_at
		FROM cases WHERE id % 20 IN (0, 5)`,
	}
}

func (g pageGen) trueSQL() string {
	if g.engine == "sqlite" {
		return "1"
	}
	return "TRUE"
}

func (g pageGen) falseSQL() string {
	if g.engine == "sqlite" {
		return "0"
	}
	return "FALSE"
}

// blob returns the SQL for 2 KiB of content.
func (g pageGen) blob() string {
	if g.engine == "sqlite" {
		return "zeroblob(2048)"
	}
	return "convert_to(repeat('x', 2048), 'UTF8')"
}
