package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// ImportOptions says how ImportCases runs.
type ImportOptions struct {
	// DryRun validates every row and numbers the cases as a real import would, then rolls back: nothing is
	// written and no reference is used up.
	DryRun bool
	// SkipInvalid imports the valid rows when some are rejected; without it any rejected row imports nothing.
	SkipInvalid bool
	// CreatedBy is the email of the officer or decision-maker of the party each imported case is recorded as
	// created by (cases.created_by names a user). The command line, which has no user, must give it; a signed-in
	// user importing is the creator, and may leave it empty or give their own email.
	CreatedBy string
	// Source names the file imported, for the audit log.
	Source string
}

// ImportedRow is one imported (or, in a dry run, importable) row: its row number, the old system's reference
// ("" when the file gave none) and the reference foidesk gave the case.
type ImportedRow struct {
	Row          int
	OldReference string
	Reference    string
}

// ImportReport says what ImportCases did: the rows imported, in reference order, and every problem of every
// rejected row, in row order.
type ImportReport struct {
	Imported []ImportedRow
	Rejected []foi.RowError
	DryRun   bool
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run: rolled back")

// importDeadlineFlags are the deadline flags of cases imported in a status whose clock event the file cannot
// give: the deadline is computed as if the clock ran, and the officer is asked to record the event.
var importDeadlineFlags = map[foi.Status]string{
	foi.StatusAwaitingClarification: "Imported as awaiting clarification without the date it was sought: record the " +
		"clarification sought, so the clock stops and the deadline is right.",
	foi.StatusOnHoldFee: "Imported as on hold for a fee without the date of the fee notice: record the fee notice, " +
		"so the clock stops and the deadline is right.",
}

// importCase is a validated row with the case it becomes and its resolved assets.
type importCase struct {
	row      foi.ImportCase
	c        *foi.Case
	assetIDs []int64
}

// ImportCases imports the rows of an existing FOI log as cases of party, in one transaction. Each row is
// validated as a new request (foi.ImportRow.Validate at the transaction's time), its asset codes resolved and
// its deadline computed with the calendar in force; the cases are numbered in order of receipt with the same
// gap-free counter as CreateCase, stored unassigned (in the team queue) with their historic status, outcome and
// response date, and audited one by one ("case.import", with the old reference and the row number) and as a
// whole ("case.import.summary").
//
// When any row is rejected and opts.SkipInvalid is not set it imports nothing and returns EINVALID with the
// report listing every rejected row; with SkipInvalid it imports the others (EINVALID still when none is
// left). opts.DryRun does all of that and rolls back, reporting the references the cases would get.
//
// The command line (foi.ActorCLI) and the system may import for any party, naming the creator in
// opts.CreatedBy; a signed-in user needs foi.ActionCreateCase and may import only for their own party. It
// returns ENOTFOUND for an unknown party, EINVALID for no rows or an unsuitable creator, and EFORBIDDEN or
// EUNAUTHORIZED when the actor may not import.
func (d *DB) ImportCases(ctx context.Context, party string, rows []foi.ImportRow, opts ImportOptions) (ImportReport, error) {
	report := ImportReport{DryRun: opts.DryRun}
	if len(rows) == 0 {
		return report, foi.Errorf(foi.EINVALID, "There are no rows to import.")
	}
	cal, err := d.Calendar(ctx)
	if err != nil {
		return report, err
	}
	err = d.inTx(ctx, func(tx *Tx) error {
		p, creator, err := tx.importActor(ctx, party, opts.CreatedBy)
		if err != nil {
			return err
		}
		valid, rejected := foi.ValidateImportRows(p.Code, rows, tx.now)
		cases, more, err := tx.prepareImport(ctx, cal, p, valid)
		if err != nil {
			return err
		}
		rejected = append(rejected, more...)
		foi.SortRowErrors(rejected)
		report.Rejected = rejected
		bad := foi.RejectedRowCount(rejected)
		if bad > 0 && !opts.SkipInvalid {
			return &foi.Error{Code: foi.EINVALID, Message: fmt.Sprintf("%d of %d rows were rejected: nothing was imported.",
				bad, bad+len(cases)), Detail: map[string]any{"rejected_rows": bad}}
		}
		if len(cases) == 0 {
			return &foi.Error{Code: foi.EINVALID, Message: fmt.Sprintf("All %d rows were rejected: nothing was imported.", bad),
				Detail: map[string]any{"rejected_rows": bad}}
		}
		if err := tx.insertImported(ctx, p, creator, cases, opts, &report); err != nil {
			return err
		}
		tx.audit("case.import.summary", "case", 0, p.ID, map[string]any{"source": opts.Source,
			"imported": len(report.Imported), "rejected_rows": bad, "skip_invalid": opts.SkipInvalid,
			"first": report.Imported[0].Reference, "last": report.Imported[len(report.Imported)-1].Reference,
			"created_by": creator.Email})
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		return report, nil
	}
	if err != nil {
		report.Imported = nil // rolled back: nothing was imported
	}
	return report, err
}

// importActor checks the actor may import cases for the party named by code, and returns the party and the
// user the cases are recorded as created by.
func (tx *Tx) importActor(ctx context.Context, code, createdBy string) (db.Party, *foi.User, error) {
	if err := tx.can(foi.ActionCreateCase, foi.Scope{}); err != nil {
		return db.Party{}, nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return db.Party{}, nil, foi.Errorf(foi.EINVALID, "Name the party whose cases are imported.")
	}
	p, err := tx.PartyGetByCode(ctx, code)
	if errors.Is(err, sql.ErrNoRows) {
		return db.Party{}, nil, foi.Errorf(foi.ENOTFOUND, "There is no party %s.", code)
	} else if err != nil {
		return db.Party{}, nil, err
	}
	createdBy = foi.NormalizeEmail(createdBy)
	if u := tx.actor.User; u != nil {
		if u.PartyID != p.ID {
			return db.Party{}, nil, foi.Errorf(foi.EFORBIDDEN, "You can import cases only for your own party.")
		}
		if createdBy != "" && createdBy != foi.NormalizeEmail(u.Email) {
			return db.Party{}, nil, foi.Errorf(foi.EINVALID, "Cases you import are recorded as created by you.")
		}
		return p, u, nil
	}
	if createdBy == "" {
		return db.Party{}, nil, foi.Errorf(foi.EINVALID,
			"Name the officer or decision-maker of %s the imported cases are recorded as created by.", p.Code)
	}
	row, err := tx.UserGetByEmail(ctx, createdBy)
	if errors.Is(err, sql.ErrNoRows) {
		return db.Party{}, nil, foi.Errorf(foi.EINVALID, "There is no user %s to record as the creator of the imported cases.", createdBy)
	} else if err != nil {
		return db.Party{}, nil, err
	}
	role := foi.Role(row.Role)
	if !row.Active || row.PartyID == nil || *row.PartyID != p.ID || (role != foi.RoleOfficer && role != foi.RoleDecisionMaker) {
		return db.Party{}, nil, foi.Errorf(foi.EINVALID,
			"%s cannot be the creator of the imported cases: name an active FOI officer or decision-maker of %s.", createdBy, p.Code)
	}
	return p, &foi.User{ID: row.ID, Email: row.Email, Name: row.Name, Role: role, PartyID: p.ID, PartyCode: p.Code,
		Active: true, CreatedAt: row.CreatedAt}, nil
}

// prepareImport turns the valid rows into cases: it resolves their asset codes (each code looked up once) and
// computes their deadlines with cal. Rows whose assets are unknown or whose deadline cannot be computed are
// returned as rejected.
func (tx *Tx) prepareImport(ctx context.Context, cal *calendar.Calendar, p db.Party, valid []foi.ImportCase) ([]importCase, []foi.RowError, error) {
	assets := map[string]int64{} // code -> id, 0 for an unknown code
	var cases []importCase
	var rejected []foi.RowError
	for _, ic := range valid {
		var errs []foi.RowError
		ids := make([]int64, 0, len(ic.Case.AssetCodes))
		for _, code := range ic.Case.AssetCodes {
			id, seen := assets[code]
			if !seen {
				a, err := tx.AssetGetByCode(ctx, code)
				switch {
				case err == nil:
					id = a.ID
				case !errors.Is(err, sql.ErrNoRows):
					return nil, nil, err
				}
				assets[code] = id
			}
			if id == 0 {
				errs = append(errs, foi.RowError{Row: ic.Row, Field: string(foi.ColAssetCodes),
					Message: fmt.Sprintf("There is no information asset with code %q", code)})
				continue
			}
			ids = append(ids, id)
		}
		nc := ic.Case
		requester := nc.Requester
		c := &foi.Case{PartyID: p.ID, PartyCode: p.Code, Regime: nc.Regime, ReceivedAt: ic.ReceivedAt,
			ReceivedOn: ic.ReceivedOn, Channel: nc.Channel, Subject: nc.Subject, RequestText: nc.RequestText,
			Requester: &requester, Status: ic.Status, Outcome: ic.Outcome, AssetCodes: nc.AssetCodes}
		if _, err := c.Recompute(cal); err != nil {
			errs = append(errs, foi.RowError{Row: ic.Row, Field: string(foi.ColReceivedAt), Message: foi.ErrorMessage(err)})
		}
		if len(errs) > 0 {
			rejected = append(rejected, errs...)
			continue
		}
		c.DeadlineFlag = importDeadlineFlags[c.Status]
		cases = append(cases, importCase{row: ic, c: c, assetIDs: ids})
	}
	return cases, rejected, nil
}

// insertImported numbers and stores the cases in order of receipt (rows received at the same instant in file
// order), writes their historic state and audits each, adding them to the report.
func (tx *Tx) insertImported(ctx context.Context, p db.Party, creator *foi.User, cases []importCase,
	opts ImportOptions, report *ImportReport) error {
	sort.SliceStable(cases, func(i, j int) bool { return cases[i].c.ReceivedAt.Before(cases[j].c.ReceivedAt) })
	report.Imported = make([]ImportedRow, 0, len(cases))
	for _, ic := range cases {
		c := ic.c
		seq, err := tx.CaseCounterNext(ctx, db.CaseCounterNextParams{PartyID: p.ID, Year: int64(c.ReceivedOn.Year())})
		if err != nil {
			return err
		}
		c.Reference = foi.FormatReference(p.Code, c.Regime, c.ReceivedOn.Year(), int(seq))
		if err := tx.insertCaseAs(ctx, creator, c, ic.assetIDs); err != nil {
			return err
		}
		c.Version = 1
		if !c.Status.Open() || c.Outcome != "" || c.DeadlineFlag != "" {
			if err := tx.writeImportedState(ctx, c, ic.row.RespondedOn); err != nil {
				return err
			}
		}
		detail := map[string]any{"reference": c.Reference, "row": ic.row.Row, "source": opts.Source,
			"regime": c.Regime, "status": c.Status, "due_on": c.DueOn, "assets": c.AssetCodes,
			"created_by": creator.Email}
		if ic.row.OldReference != "" {
			detail["old_reference"] = ic.row.OldReference
		}
		if c.Outcome != "" {
			detail["outcome"] = c.Outcome
		}
		if !ic.row.RespondedOn.IsZero() {
			detail["responded_on"] = ic.row.RespondedOn
		}
		tx.audit("case.import", "case", c.ID, p.ID, detail)
		report.Imported = append(report.Imported, ImportedRow{Row: ic.row.Row, OldReference: ic.row.OldReference,
			Reference: c.Reference})
	}
	return nil
}

// insertCaseAs stores a new case with insertCase, recording creator as the user who created it: the command
// line has no user id for cases.created_by. Audit events keep naming the real actor.
func (tx *Tx) insertCaseAs(ctx context.Context, creator *foi.User, c *foi.Case, assetIDs []int64) error {
	actor := tx.actor
	tx.actor = foi.Actor{User: creator, IP: actor.IP}
	defer func() { tx.actor = actor }()
	_, err := tx.insertCase(ctx, c, assetIDs, nil)
	return err
}

// writeImportedState writes an imported case's historic state: status, outcome, deadline flag, and the response
// date from the file (writeCase would record today). A closed case is taken to have closed on its response date;
// the closing date of a withdrawn or lapsed one is not known.
func (tx *Tx) writeImportedState(ctx context.Context, c *foi.Case, respondedOn calendar.Date) error {
	var outcome *string
	if c.Outcome != "" {
		o := string(c.Outcome)
		outcome = &o
	}
	var closedOn calendar.Date
	if c.Status == foi.StatusClosed {
		closedOn = respondedOn
	}
	n, err := tx.CaseUpdateState(ctx, db.CaseUpdateStateParams{ID: c.ID, Version: c.Version, Status: string(c.Status),
		IsOpen: c.Status.Open(), QueueOn: queueOn(c), DueOn: c.DueOn, StatutoryDueOn: c.StatutoryDueOn,
		DeadlineProvisional: c.Provisional, DeadlineFlag: c.DeadlineFlag, Outcome: outcome, RespondedOn: respondedOn,
		ClosedOn: closedOn, Subject: c.Subject, RequestText: c.RequestText, Now: tx.now})
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("imported case %d changed while it was imported", c.ID)
	}
	c.Version++
	return nil
}
