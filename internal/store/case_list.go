package store

import (
	"context"
	"fmt"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

// caseQuery is the queue's filter, as the list query takes it.
type caseQuery struct {
	PartyID    int64
	Open       *bool
	Status     *string
	AssigneeID *int64
	Unassigned bool
	Regime     *string
	DueBefore  calendar.Date
	OverdueOn  calendar.Date
	Words      []string // lower-cased words each of which the subject or request text must contain
	Sort       foi.CaseSort
	Desc       bool
	After      *listPosition // the last row of the previous page; nil for the first page
	MaxRows    int
}

// listPosition is where a page of the list ends: the last row's date in the list's order (the queue date, or
// the date received), and its id.
type listPosition struct {
	On calendar.Date
	ID int64
}

// caseRow is one row of the queue.
type caseRow struct {
	ID                  int64
	Reference           string
	Regime              string
	ReceivedOn          calendar.Date
	Subject             string
	Status              string
	AssigneeID          *int64
	DueOn               calendar.Date
	QueueOn             calendar.Date
	DeadlineProvisional bool
	DeadlineFlag        string
	Version             int64
}

// listCases runs the queue query. It is the one query written by hand rather than by sqlc: it is built from
// the filters present, so each engine's planner sees plain predicates and walks the matching index
// (cases_assignee_queue for "my cases", cases_queue for the team's) in deadline order. An sqlc query with
// optional filters (`@x IS NULL OR col = @x`) hides them from SQLite's planner, which then scanned a party's
// whole history for one officer's open cases (p95 200 ms on a million cases, against 1 ms this way).
func (tx *Tx) listCases(ctx context.Context, q caseQuery) ([]caseRow, error) {
	search, err := tx.caseSearchSQL(ctx, q.Words)
	if err != nil {
		return nil, err
	}
	sqlText, args := buildCaseQuery(q, search)
	rows, err := tx.tx.QueryContext(ctx, sqlText, search.queryArgs(args)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []caseRow
	for rows.Next() {
		var r caseRow
		if err := rows.Scan(&r.ID, &r.Reference, &r.Regime, &r.ReceivedOn, &r.Subject, &r.Status, &r.AssigneeID,
			&r.DueOn, &r.QueueOn, &r.DeadlineProvisional, &r.DeadlineFlag, &r.Version); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// buildCaseQuery returns the SQL and arguments for q with the conditions of its text search. Every value is a
// bound parameter; only the shape of the WHERE clause varies, and only with which filters are present.
func buildCaseQuery(q caseQuery, search caseSearch) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if q.AssigneeID != nil {
		// The unary plus keeps party_id out of index selection, so that SQLite, which has no statistics (see
		// storetest.AnalyzeLikeProduction), walks cases_assignee_queue (one officer's few cases) rather than
		// cases_queue (the whole party's); the party check stays as a filter.
		where = append(where, "c.assignee_id = "+arg(*q.AssigneeID), "+c.party_id = "+arg(q.PartyID))
	} else {
		where = append(where, "c.party_id = "+arg(q.PartyID))
	}
	if q.Open != nil {
		where = append(where, "c.is_open = "+arg(*q.Open))
	}
	if q.Status != nil {
		where = append(where, "c.status = "+arg(*q.Status))
	}
	if q.Unassigned {
		where = append(where, "c.assignee_id IS NULL")
	}
	if q.Regime != nil {
		where = append(where, "c.regime = "+arg(*q.Regime))
	}
	if !q.DueBefore.IsZero() {
		where = append(where, "c.due_on <= "+arg(q.DueBefore))
	}
	if !q.OverdueOn.IsZero() {
		where = append(where, "c.is_open = "+arg(true), "c.due_on < "+arg(q.OverdueOn))
	}
	for _, s := range search.conds {
		where = append(where, fmt.Sprintf(s.sql, arg(s.value)))
	}
	column, cmp, order := "c.queue_on", ">", ""
	if q.Sort == foi.SortReceived {
		column = "c.received_on" // cases_party_received, or one officer's few cases sorted
	}
	if q.Desc {
		cmp, order = "<", " DESC"
	}
	if q.After == nil && q.Sort == foi.SortDue && !q.Desc {
		// The queue's first page keeps the condition too, so that every page has one shape for the planner.
		q.After = &listPosition{On: calendar.NewDate(1, 1, 1)}
	}
	if q.After != nil {
		where = append(where, "("+column+", c.id) "+cmp+" ("+arg(q.After.On)+", "+arg(q.After.ID)+")")
	}
	sqlText := `SELECT c.id, c.reference, c.regime, c.received_on, c.subject, c.status, c.assignee_id, c.due_on,
       c.queue_on, c.deadline_provisional, c.deadline_flag, c.version
FROM cases c` + search.hint + `
WHERE ` + strings.Join(where, "\n  AND ") + `
ORDER BY ` + column + order + `, c.id` + order + `
LIMIT ` + arg(q.MaxRows)
	return sqlText, args
}
