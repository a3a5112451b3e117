package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// The dialect seam: the few statements that must differ between PostgreSQL and SQLite. Everything else is
// portable SQL in sql/queries, run through the sqlc-generated package.
//
// The statements here are the delivery worker's hot path. Each is prepared once per DB (stmtCache) and
// reused: SQLite would otherwise parse and plan each call again, which cost the worker half its time. A list
// of ids is passed as one JSON array parameter, so the text of a statement does not depend on how many ids
// it carries and one prepared statement serves every batch.

// outboxClaimSQL claims up to $3 of the oldest due pending messages. %s is the engine's way to pick them: on
// PostgreSQL the ids are selected FOR UPDATE SKIP LOCKED into an array, evaluated once, so concurrent
// claimers on many instances each take different rows without waiting for each other; on SQLite a plain
// subquery, because the single write connection serialises writers and the statement is atomic; it names the
// partial index outbox_due, which holds exactly the pending rows in due order, because without statistics
// SQLite picks another index and sorts every pending row on each claim. The outer
// status test makes a lost race a no-op instead of a double claim. next_attempt_at is returned so that the
// batch can be put in due order (RETURNING has no order).
const outboxClaimSQL = `UPDATE outbox
SET status = 'sending', attempts = attempts + 1, locked_until = $1
WHERE status = 'pending' AND %s
RETURNING id, template, recipient_email, recipient_name, data, link, message_id, attempts, created_at, next_attempt_at`

const outboxDueSQL = `SELECT id FROM outbox %s
    WHERE status = 'pending' AND next_attempt_at <= $2
    ORDER BY next_attempt_at, id
    LIMIT $3`

var (
	outboxClaimPostgres = fmt.Sprintf(outboxClaimSQL, "id = ANY(ARRAY(\n    "+fmt.Sprintf(outboxDueSQL, "")+"\n    FOR UPDATE SKIP LOCKED))")
	outboxClaimSQLite   = fmt.Sprintf(outboxClaimSQL, "id IN (\n    "+fmt.Sprintf(outboxDueSQL, "INDEXED BY outbox_due")+")")
)

// outboxIDsSQL is the engine's set of the ids in the JSON array parameter %d.
func outboxIDsSQL(e Engine, param int) string {
	if e == Postgres {
		return fmt.Sprintf("(SELECT value::bigint FROM jsonb_array_elements_text($%d::jsonb))", param)
	}
	return fmt.Sprintf("(SELECT value FROM json_each($%d))", param)
}

// outboxMarkSentSQL marks the sending messages among the ids $2 sent at $1.
func outboxMarkSentSQL(e Engine) string {
	return `UPDATE outbox SET status = 'sent', sent_at = $1, locked_until = NULL, last_error = ''
WHERE status = 'sending' AND id IN ` + outboxIDsSQL(e, 2)
}

// outboxReleaseSQL returns the messages among the ids $2 that are still sending under the lock $1 to
// pending, undoing the claim's attempt; next_attempt_at is untouched, so they are due as before.
func outboxReleaseSQL(e Engine) string {
	return `UPDATE outbox SET status = 'pending', attempts = attempts - 1, locked_until = NULL
WHERE status = 'sending' AND locked_until = $1 AND id IN ` + outboxIDsSQL(e, 2)
}

// The prepared statements of the DB, by their text.
var (
	sqliteStmts = [...]string{outboxClaimSQLite, outboxMarkSentSQL(SQLite), outboxReleaseSQL(SQLite)}
	pgStmts     = [...]string{outboxClaimPostgres, outboxMarkSentSQL(Postgres), outboxReleaseSQL(Postgres)}
)

// Indexes into sqliteStmts and pgStmts.
const (
	stmtClaim = iota
	stmtMarkSent
	stmtRelease
)

// stmtCache holds the dialect statements, each prepared on the write pool at first use and kept until the
// DB closes. database/sql re-prepares a statement on a connection that has not seen it, so it survives a
// reconnect; on PostgreSQL it is prepared on each pooled connection that runs it.
type stmtCache struct {
	mu    sync.Mutex
	stmts [len(sqliteStmts)]*sql.Stmt
}

// stmt returns the prepared statement i of the engine.
func (d *DB) stmt(ctx context.Context, i int) (*sql.Stmt, error) {
	d.stmts.mu.Lock()
	s := d.stmts.stmts[i]
	d.stmts.mu.Unlock()
	if s != nil {
		return s, nil
	}
	query := sqliteStmts[i]
	if d.engine == Postgres {
		query = pgStmts[i]
	}
	// Prepare outside the lock: on SQLite it waits for the one write connection.
	s, err := d.write.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	d.stmts.mu.Lock()
	defer d.stmts.mu.Unlock()
	if prev := d.stmts.stmts[i]; prev != nil {
		s.Close() // another caller prepared it meanwhile
		return prev, nil
	}
	d.stmts.stmts[i] = s
	return s, nil
}

// closeStmts closes the prepared statements; DB.Close calls it.
func (d *DB) closeStmts() {
	d.stmts.mu.Lock()
	defer d.stmts.mu.Unlock()
	for i, s := range d.stmts.stmts {
		if s != nil {
			s.Close()
			d.stmts.stmts[i] = nil
		}
	}
}

// claimedRow is what the claim statement returns.
type claimedRow struct {
	ID             int64
	Template       string
	RecipientEmail string
	RecipientName  string
	Data           string
	Link           string
	MessageID      string
	Attempts       int64
	CreatedAt      time.Time
	NextAttemptAt  time.Time
}

// claimOutbox runs the engine's claim statement on the write pool (one statement, its own transaction) for
// up to max messages, and returns the claimed rows in no particular order.
func (d *DB) claimOutbox(ctx context.Context, now, lockedUntil time.Time, max int) ([]claimedRow, error) {
	s, err := d.stmt(ctx, stmtClaim)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(ctx, lockedUntil, now, int64(max))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]claimedRow, 0, max)
	for rows.Next() {
		var r claimedRow
		if err := rows.Scan(&r.ID, &r.Template, &r.RecipientEmail, &r.RecipientName, &r.Data, &r.Link,
			&r.MessageID, &r.Attempts, &r.CreatedAt, &r.NextAttemptAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// execIDs runs the prepared statement i with arg as $1 and ids (as a JSON array) as $2, and returns how many
// rows it changed. With a transaction, get the statement with d.stmt before beginning it and pass both: on
// SQLite the transaction holds the one write connection, so preparing then would wait for it forever.
func (d *DB) execIDs(ctx context.Context, tx *sql.Tx, s *sql.Stmt, arg any, ids []int64) (int64, error) {
	if tx != nil {
		s = tx.StmtContext(ctx, s)
		defer s.Close()
	}
	res, err := s.ExecContext(ctx, arg, jsonIDs(ids))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// jsonIDs returns ids as a JSON array, e.g. [1,2,3].
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, 2+len(ids)*8)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// insertAuditEvents writes sealed audit events in one multi-row INSERT and sets the chain's head to headHash.
// On PostgreSQL both happen in one statement (a data-modifying CTE), saving a round trip on every writing
// transaction; SQLite, which has no data-modifying CTEs and no round trips, runs the two statements.
func (tx *Tx) insertAuditEvents(ctx context.Context, events []foi.AuditEvent, headHash string) error {
	var b strings.Builder
	args := make([]any, 0, len(events)*12+1)
	b.WriteString(`INSERT INTO audit_events (seq, at, actor_id, actor_label, action, record_type, record_id, party_id,
		ip, detail, prev_hash, hash) VALUES `)
	for i, e := range events {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for j, v := range []any{e.Seq, e.At, e.ActorID, e.ActorLabel, e.Action, e.RecordType, e.RecordID, e.PartyID,
			e.IP, e.Detail, e.PrevHash, e.Hash} {
			if j > 0 {
				b.WriteString(", ")
			}
			args = append(args, v)
			fmt.Fprintf(&b, "$%d", len(args))
		}
		b.WriteString(")")
	}
	if tx.engine == Postgres {
		args = append(args, headHash)
		stmt := "WITH inserted AS (" + b.String() + fmt.Sprintf(") UPDATE audit_head SET hash = $%d WHERE id = 1", len(args))
		_, err := tx.tx.ExecContext(ctx, stmt, args...)
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
		return err
	}
	return tx.AuditHeadSet(ctx, headHash)
}

// requesterInsertFindEarlierSQL is RequesterInsert and CaseRecentForRequester (sql/queries/case.sql) as one
// PostgreSQL statement: the SELECT sees the database as it was before the INSERT, so the new case is not among
// what it finds.
const requesterInsertFindEarlierSQL = `WITH inserted AS (
	INSERT INTO requesters (case_id, name, email, address, type) VALUES ($1, $2, $3, $4, $5))
SELECT c.id, c.reference, c.request_text, c.received_on
FROM requesters r JOIN cases c ON c.id = r.case_id
WHERE r.email = $3 AND c.party_id = $6 AND c.received_on >= $7 AND r.email <> ''
LIMIT 50`

// requesterInsertFindEarlier stores a case's requester and, given a search, returns the requester's earlier
// cases it finds (the duplicate check): one round trip on PostgreSQL, two statements on SQLite, which has no
// round trips to save.
func (tx *Tx) requesterInsertFindEarlier(ctx context.Context, r db.RequesterInsertParams, search *db.CaseRecentForRequesterParams) ([]db.CaseRecentForRequesterRow, error) {
	if search == nil || tx.engine != Postgres {
		if err := tx.RequesterInsert(ctx, r); err != nil || search == nil {
			return nil, err
		}
		return tx.CaseRecentForRequester(ctx, *search)
	}
	rows, err := tx.tx.QueryContext(ctx, requesterInsertFindEarlierSQL, r.CaseID, r.Name, r.Email, r.Address, r.Type,
		search.PartyID, search.Since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var earlier []db.CaseRecentForRequesterRow
	for rows.Next() {
		var e db.CaseRecentForRequesterRow
		if err := rows.Scan(&e.ID, &e.Reference, &e.RequestText, &e.ReceivedOn); err != nil {
			return nil, err
		}
		earlier = append(earlier, e)
	}
	return earlier, rows.Err()
}

// caseSearch is the case list's text search as SQL: conditions on the cases c, and how the cases must be read.
type caseSearch struct {
	hint       string // after "cases c" in the FROM clause: " NOT INDEXED" to look the few matching cases up by id
	conds      []searchCond
	customPlan bool // PostgreSQL must plan the statement with its values each time it runs (see queryArgs)
}

// queryArgs returns the arguments of the list's statement, led on PostgreSQL, for a search, by pgx's exec mode,
// which sends the statement unnamed, so that it is planned with the words each time. A prepared statement's
// generic plan, which PostgreSQL switches to after five runs, cannot know how common the words are and reads
// them all through the trigram index even when they are in every case (a search page of 100,000 cases took
// 150 ms that way, 3 ms planned each time).
func (s caseSearch) queryArgs(args []any) []any {
	if !s.customPlan {
		return args
	}
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// searchCond is one condition of the case list's text search: SQL over the cases c with %s where its one
// parameter goes, and the parameter's value.
type searchCond struct {
	sql   string
	value any
}

// trigramChars is the length of a trigram: a word shorter than this has none, so no trigram index finds it.
const trigramChars = 3

// caseSearchFew is the most cases the long words of a search may match, on SQLite, for the list to start from
// them (looking each up by id, then sorting the few that pass the other filters); beyond it the words are
// common, and walking the queue in deadline order finds a page of matches sooner. Tests lower it to take the
// other way (SetCaseSearchFew).
var caseSearchFew atomic.Int64

func init() { caseSearchFew.Store(2000) }

// likeEscaper escapes a word for a LIKE pattern with PostgreSQL's default escape character, the backslash.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// caseSearchSQL returns the conditions that each of the words (lower-cased, without whitespace) is in the
// subject or request text of the case, as a case-insensitive substring. A word has no whitespace, so it never
// spans the space between the two texts in subject || ' ' || request_text.
//
// On PostgreSQL each word of three or more characters is a LIKE on lower(subject || ' ' || request_text):
// exactly the expression the trigram index cases_search is built on (migration 00017), so the planner, knowing
// from the index's statistics how common the word is, finds the cases through it or walks the queue. A shorter
// word, which has no trigram, is a strpos, which keeps it out of the index: as a LIKE it would make the index
// read every entry it holds.
//
// On SQLite, which has no statistics, the words of three or more characters are one query of the trigram
// table cases_fts, each word a quoted string, so that quotes, *, OR or NEAR( typed by the user are plain text.
// It is asked first for up to caseSearchFew+1 cases: when they are fewer, the list is of those cases by id;
// otherwise the words are common and each is tested on the cases in the queue's order, as are the words of one
// or two characters (SQLite's lower folds ASCII letters only, as the search did before the index; the trigram
// table folds all of Unicode). The few cases are looked up by id (NOT INDEXED: without it SQLite walks the
// party's whole queue in deadline order, to spare sorting them, testing each case against the list).
func (tx *Tx) caseSearchSQL(ctx context.Context, words []string) (caseSearch, error) {
	var conds, common []searchCond
	var phrases []string
	for _, w := range words {
		switch {
		case tx.engine == Postgres && utf8.RuneCountInString(w) < trigramChars:
			conds = append(conds, searchCond{"strpos(lower(c.subject || ' ' || c.request_text), %s) > 0", w})
		case tx.engine == Postgres:
			conds = append(conds, searchCond{"lower(c.subject || ' ' || c.request_text) LIKE %s", "%" + likeEscaper.Replace(w) + "%"})
		case utf8.RuneCountInString(w) < trigramChars:
			conds = append(conds, searchCond{"instr(lower(c.subject || ' ' || c.request_text), %s) > 0", w})
		default:
			phrases = append(phrases, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
			common = append(common, searchCond{"instr(lower(c.subject || ' ' || c.request_text), %s) > 0", w})
		}
	}
	if len(phrases) == 0 {
		return caseSearch{conds: conds, customPlan: tx.engine == Postgres && len(conds) > 0}, nil
	}
	ids, err := tx.caseSearchMatches(ctx, strings.Join(phrases, " "))
	if err != nil {
		return caseSearch{}, err
	}
	if int64(len(ids)) > caseSearchFew.Load() {
		return caseSearch{conds: append(conds, common...)}, nil
	}
	return caseSearch{hint: " NOT INDEXED",
		conds: append(conds, searchCond{"c.id IN (SELECT value FROM json_each(%s))", jsonIDs(ids)})}, nil
}

// caseSearchMatches returns the ids of up to caseSearchFew+1 cases whose text has every phrase of the FTS5 query
// match (SQLite).
func (tx *Tx) caseSearchMatches(ctx context.Context, match string) ([]int64, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT rowid FROM cases_fts WHERE cases_fts MATCH $1 LIMIT $2", match,
		caseSearchFew.Load()+1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
