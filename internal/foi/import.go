package foi

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"foidesk/internal/calendar"
)

// ImportColumn names a column of a file of cases to import (an existing FOI log being migrated).
type ImportColumn string

// The columns of an import file. Every column but the optional ones must be in the header; party may be left
// out when the importer names the party.
const (
	ColParty            ImportColumn = "party"
	ColRegime           ImportColumn = "regime"
	ColReceivedAt       ImportColumn = "received_at"
	ColChannel          ImportColumn = "channel"
	ColSubject          ImportColumn = "subject"
	ColRequestText      ImportColumn = "request_text"
	ColRequesterName    ImportColumn = "requester_name"
	ColRequesterEmail   ImportColumn = "requester_email"
	ColRequesterAddress ImportColumn = "requester_address"
	ColRequesterType    ImportColumn = "requester_type"
	ColAssetCodes       ImportColumn = "asset_codes" // optional, separated by ';'
	ColReference        ImportColumn = "reference"   // optional: the old system's reference
	ColStatus           ImportColumn = "status"      // optional, default received
	ColOutcome          ImportColumn = "outcome"     // optional; required for responded and closed cases
	ColRespondedOn      ImportColumn = "responded_on"
)

// ImportColumns lists every column of an import file, the required ones first.
var ImportColumns = []ImportColumn{ColParty, ColRegime, ColReceivedAt, ColChannel, ColSubject, ColRequestText,
	ColRequesterName, ColRequesterEmail, ColRequesterAddress, ColRequesterType, ColAssetCodes, ColReference,
	ColStatus, ColOutcome, ColRespondedOn}

// Optional reports whether the column may be left out of the header.
func (c ImportColumn) Optional() bool {
	switch c {
	case ColAssetCodes, ColReference, ColStatus, ColOutcome, ColRespondedOn:
		return true
	}
	return false
}

// ImportRow is one data row of an import file, its cells as written. Row is its row number in the file as a
// spreadsheet shows it (the header is row 1), used in every message about it.
type ImportRow struct {
	Row              int
	Party            string
	Regime           string
	ReceivedAt       string // YYYY-MM-DD, DD/MM/YYYY, RFC 3339, or a date and time taken as London time
	Channel          string
	Subject          string
	RequestText      string
	RequesterName    string
	RequesterEmail   string
	RequesterAddress string
	RequesterType    string
	AssetCodes       string // codes separated by ';'
	Reference        string // the old system's reference
	Status           string
	Outcome          string
	RespondedOn      string // a date, as ReceivedAt
}

// RowError is one problem with one row of an import file: the row number, the column and what is wrong, in
// words for people.
type RowError struct {
	Row     int
	Field   string
	Message string
}

// String returns the error as the command line prints it: "row 7: requester_email: Enter an email ...".
func (e RowError) String() string {
	if e.Field == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("row %d: %s: %s", e.Row, e.Field, e.Message)
}

// RejectedRowCount returns how many distinct rows errs reject.
func RejectedRowCount(errs []RowError) int {
	seen := map[int]bool{}
	for _, e := range errs {
		seen[e.Row] = true
	}
	return len(seen)
}

// ImportHeader is a mapped header row: where each column of the file is.
type ImportHeader struct {
	index map[ImportColumn]int
	width int // cells after the last named one must be empty
}

// normalizeHeaderName folds a header cell to a column name: lower case, with spaces, hyphens and runs of
// underscores all one underscore ("Requester E-mail" is not "requester_email", but "Requester Email" is).
func normalizeHeaderName(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return '_'
		}
		return r
	}, s)
	for strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "_")
	}
	return strings.Trim(s, "_")
}

// ParseImportHeader maps a header row to the columns. Names are matched ignoring case, surrounding spaces and
// the difference between spaces, underscores and hyphens. Empty cells after the last named column are ignored.
// It returns EINVALID naming the problem: an empty header, an empty cell between named ones, a column given twice,
// unknown columns (all of them named) or required columns missing (all of them named). The party column is
// required only when partyGiven is false.
func ParseImportHeader(header []string, partyGiven bool) (ImportHeader, error) {
	width := len(header)
	for width > 0 && strings.TrimSpace(strings.TrimPrefix(header[width-1], "\ufeff")) == "" {
		width--
	}
	if width == 0 {
		return ImportHeader{}, Errorf(EINVALID, "The file has no header row: its first row must name the columns (%s)",
			columnList(ImportColumns))
	}
	h := ImportHeader{index: map[ImportColumn]int{}, width: width}
	var unknown []string
	for i, cell := range header[:width] {
		name := normalizeHeaderName(cell)
		if name == "" {
			return ImportHeader{}, Errorf(EINVALID, "Column %s of the header has no name: name it or delete the column",
				ColumnLetter(i))
		}
		col := ImportColumn(name)
		if !slices.Contains(ImportColumns, col) {
			unknown = append(unknown, strconv.Quote(strings.TrimSpace(cell)))
			continue
		}
		if j, dup := h.index[col]; dup {
			return ImportHeader{}, Errorf(EINVALID, "The column %s appears twice in the header (columns %s and %s)",
				col, ColumnLetter(j), ColumnLetter(i))
		}
		h.index[col] = i
	}
	if len(unknown) > 0 {
		word := "column"
		if len(unknown) > 1 {
			word = "columns"
		}
		return ImportHeader{}, Errorf(EINVALID, "Unknown %s %s: the columns are %s", word, strings.Join(unknown, ", "),
			columnList(ImportColumns))
	}
	var missing []ImportColumn
	for _, c := range ImportColumns {
		if _, ok := h.index[c]; !ok && !c.Optional() && !(c == ColParty && partyGiven) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		msg := "The header is missing the required column"
		if len(missing) > 1 {
			msg += "s"
		}
		msg += " " + columnList(missing)
		if slices.Contains(missing, ColParty) {
			msg += " (or name the party with --party)"
		}
		return ImportHeader{}, Errorf(EINVALID, "%s", msg)
	}
	return h, nil
}

// Has reports whether the file has the column.
func (h ImportHeader) Has(c ImportColumn) bool {
	_, ok := h.index[c]
	return ok
}

// Index returns the 0-based position of the column in the file, and false when the file does not have it.
func (h ImportHeader) Index(c ImportColumn) (int, bool) {
	i, ok := h.index[c]
	return i, ok
}

// Row reads one record (the cells of row number row) into an ImportRow. It returns EINVALID when a cell past
// the header's last column holds a value, which would otherwise be lost.
func (h ImportHeader) Row(row int, record []string) (ImportRow, error) {
	for i := h.width; i < len(record); i++ {
		if strings.TrimSpace(record[i]) != "" {
			return ImportRow{}, Errorf(EINVALID, "Row %d has a value in column %s, which has no header: name the column or clear the cell",
				row, ColumnLetter(i))
		}
	}
	cell := func(c ImportColumn) string {
		if i, ok := h.index[c]; ok && i < len(record) {
			return record[i]
		}
		return ""
	}
	return ImportRow{Row: row, Party: cell(ColParty), Regime: cell(ColRegime), ReceivedAt: cell(ColReceivedAt),
		Channel: cell(ColChannel), Subject: cell(ColSubject), RequestText: cell(ColRequestText),
		RequesterName: cell(ColRequesterName), RequesterEmail: cell(ColRequesterEmail),
		RequesterAddress: cell(ColRequesterAddress), RequesterType: cell(ColRequesterType),
		AssetCodes: cell(ColAssetCodes), Reference: cell(ColReference), Status: cell(ColStatus),
		Outcome: cell(ColOutcome), RespondedOn: cell(ColRespondedOn)}, nil
}

// ImportRows maps a file's records, the header first, to rows numbered as a spreadsheet numbers them (the header
// is row 1). Rows whose cells are all blank are skipped (their numbers are not reused). It returns the
// ParseImportHeader and Row errors.
func ImportRows(records [][]string, partyGiven bool) (ImportHeader, []ImportRow, error) {
	if len(records) == 0 {
		return ImportHeader{}, nil, Errorf(EINVALID, "The file is empty: it needs a header row naming the columns (%s)",
			columnList(ImportColumns))
	}
	h, err := ParseImportHeader(records[0], partyGiven)
	if err != nil {
		return ImportHeader{}, nil, err
	}
	rows := make([]ImportRow, 0, len(records)-1)
	for i, rec := range records[1:] {
		if blankRecord(rec) {
			continue
		}
		r, err := h.Row(i+2, rec)
		if err != nil {
			return ImportHeader{}, nil, err
		}
		rows = append(rows, r)
	}
	return h, rows, nil
}

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ImportParty returns the party a file's rows are for: given (upper-cased) when not empty; otherwise the one
// party code every row names. It returns EINVALID when given is empty and the rows name no party, or more than
// one.
func ImportParty(given string, rows []ImportRow) (string, error) {
	if p := strings.ToUpper(strings.TrimSpace(given)); p != "" {
		return p, nil
	}
	var parties []string
	for _, r := range rows {
		p := strings.ToUpper(strings.TrimSpace(r.Party))
		if p != "" && !slices.Contains(parties, p) {
			parties = append(parties, p)
		}
	}
	switch len(parties) {
	case 0:
		return "", Errorf(EINVALID, "No row names a party: fill in the party column or name the party with --party")
	case 1:
		return parties[0], nil
	}
	sort.Strings(parties)
	return "", Errorf(EINVALID, "The file has rows for %d parties (%s): import one party at a time with --party",
		len(parties), strings.Join(parties, ", "))
}

// ColumnLetter returns a 0-based column index as a spreadsheet names it: A, B, ..., Z, AA, AB, ...
func ColumnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func columnList(cols []ImportColumn) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// ImportCase is a row that passed validation: the new case normalised by NewCase.Validate, its receipt, the
// status and outcome it is imported with, and the old system's reference.
type ImportCase struct {
	Row          int
	OldReference string
	Case         NewCase
	ReceivedAt   time.Time
	ReceivedOn   calendar.Date
	Status       Status
	Outcome      Outcome
	RespondedOn  calendar.Date // zero when not given
}

// Validate checks the row for an import into party at now, the current instant, with the rules of logging a
// request (NewCase.Validate) and those of a historic case. It returns the case, or every problem found as
// RowErrors named by column (requester_email, asset_codes, ...):
//   - party: the row names another party than the import's;
//   - regime, received_at, channel, subject, request_text, requester_*: as NewCase.Validate, with "foi" taken as
//     foia, labels accepted for channel and requester type ("In person", "Member of the public"), and receipt
//     also as DD/MM/YYYY or a date and time without a zone, taken as London time;
//   - asset_codes: a malformed code (empty entries between ';' are ignored);
//   - status: not a status (a key like in_progress or its label); default received;
//   - outcome: not an outcome; missing for a responded or closed case; given for an open case; a refusal on
//     cost or as vexatious under the EIR;
//   - responded_on: not a date, given for a case that is not responded or closed, before receipt or after today.
func (r ImportRow) Validate(party string, now time.Time) (ImportCase, []RowError) {
	var errs []RowError
	add := func(field, msg string) { errs = append(errs, RowError{Row: r.Row, Field: field, Message: msg}) }

	if p := strings.ToUpper(strings.TrimSpace(r.Party)); p != "" && p != strings.ToUpper(strings.TrimSpace(party)) {
		add(string(ColParty), fmt.Sprintf("This row is for %s, but the import is for %s: import each party's rows separately",
			p, strings.ToUpper(strings.TrimSpace(party))))
	}

	receivedAt, receivedOK := normalizeImportTime(r.ReceivedAt)
	if !receivedOK {
		add(string(ColReceivedAt), "Enter the date the request was received as a date, like 2026-03-27 or 27/03/2026, "+
			"or a date and time, like 2026-03-27T09:30:00Z")
	}
	var codes []string
	for _, c := range strings.Split(r.AssetCodes, ";") {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, c)
		}
	}
	nc := NewCase{
		Regime:      calendar.Regime(importRegime(r.Regime)),
		ReceivedAt:  receivedAt,
		Channel:     matchChoice(r.Channel, Channels, Channel.Label),
		Subject:     r.Subject,
		RequestText: r.RequestText,
		Requester: Requester{Name: r.RequesterName, Email: r.RequesterEmail, Address: r.RequesterAddress,
			Type: matchChoice(r.RequesterType, RequesterTypes, RequesterType.Label)},
		AssetCodes: codes,
	}
	received, receivedOn, err := nc.Validate(now)
	for _, fe := range ErrorFields(err) {
		field := importField(fe.Field)
		if field == string(ColReceivedAt) && !receivedOK {
			continue // already said, with the formats an import accepts
		}
		msg := fe.Message
		if field == string(ColAssetCodes) {
			if i, ok := fieldIndex(fe.Field); ok && i < len(codes) {
				msg = fmt.Sprintf("%q: %s", codes[i], msg)
			}
		}
		add(field, msg)
	}

	status := StatusReceived
	if strings.TrimSpace(r.Status) != "" {
		status = matchChoice(r.Status, Statuses, Status.Label)
		if !status.Valid() {
			add(string(ColStatus), "Enter a status: one of "+joinChoices(Statuses))
		}
	}
	var outcome Outcome
	if strings.TrimSpace(r.Outcome) != "" {
		outcome = matchChoice(r.Outcome, Outcomes, Outcome.Label)
		if !outcome.Valid() {
			add(string(ColOutcome), "Enter an outcome: one of "+joinChoices(Outcomes))
		}
	}
	if status.Valid() && (outcome == "" || outcome.Valid()) {
		switch {
		case outcome == "" && (status == StatusResponded || status == StatusClosed):
			add(string(ColOutcome), "Enter the outcome: a case that is "+lowerInitial(status.Label())+" needs one")
		case outcome != "" && status.Open():
			add(string(ColOutcome), "An open case has no outcome yet: clear the outcome, or give the status responded or closed")
		case nc.Regime == calendar.RegimeEIR && outcome == OutcomeRefusedCost:
			add(string(ColOutcome), "There is no cost limit under the EIR: a refusal as manifestly unreasonable "+
				"(regulation 12(4)(b)) is withheld_in_full")
		case nc.Regime == calendar.RegimeEIR && outcome == OutcomeRefusedVexatious:
			add(string(ColOutcome), "Section 14 does not apply under the EIR: a refusal as manifestly unreasonable "+
				"(regulation 12(4)(b)) is withheld_in_full")
		}
	}

	var respondedOn calendar.Date
	if s := strings.TrimSpace(r.RespondedOn); s != "" {
		d, ok := parseImportDate(s)
		switch {
		case !ok:
			add(string(ColRespondedOn), "Enter the date of the response as a date, like 2026-03-27 or 27/03/2026")
		case status.Valid() && status != StatusResponded && status != StatusClosed:
			add(string(ColRespondedOn), "Only a responded or closed case has a response date: clear it, or give the status responded or closed")
		case !receivedOn.IsZero() && d.Before(receivedOn):
			add(string(ColRespondedOn), "The response date must be on or after the date the request was received, "+receivedOn.String())
		case d.After(calendar.LondonDate(now)):
			add(string(ColRespondedOn), "The response date must be today or in the past")
		default:
			respondedOn = d
		}
	}

	if len(errs) > 0 {
		return ImportCase{}, errs
	}
	return ImportCase{Row: r.Row, OldReference: strings.TrimSpace(r.Reference), Case: nc, ReceivedAt: received,
		ReceivedOn: receivedOn, Status: status, Outcome: outcome, RespondedOn: respondedOn}, nil
}

// ValidateImportRows validates every row for an import into party at now (ImportRow.Validate) and checks that no
// two rows give the same old reference. It returns the valid cases in file order, and the errors of the
// rejected rows in row order.
func ValidateImportRows(party string, rows []ImportRow, now time.Time) ([]ImportCase, []RowError) {
	var valid []ImportCase
	var rejected []RowError
	seen := map[string]int{}
	for _, r := range rows {
		c, errs := r.Validate(party, now)
		if ref := strings.TrimSpace(r.Reference); ref != "" {
			key := strings.ToUpper(ref)
			if first, dup := seen[key]; dup {
				errs = append(errs, RowError{Row: r.Row, Field: string(ColReference),
					Message: fmt.Sprintf("The reference %s is also on row %d: each old case may be imported once", ref, first)})
			} else {
				seen[key] = r.Row
			}
		}
		if len(errs) > 0 {
			rejected = append(rejected, errs...)
			continue
		}
		valid = append(valid, c)
	}
	SortRowErrors(rejected)
	return valid, rejected
}

// SortRowErrors orders errors by row, keeping each row's errors in the order found.
func SortRowErrors(errs []RowError) {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Row < errs[j].Row })
}

// importField names the column behind a NewCase.Validate field: requester.email is requester_email and
// asset_codes[2] is asset_codes.
func importField(field string) string {
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	return strings.ReplaceAll(field, ".", "_")
}

// fieldIndex returns i of a field named like "asset_codes[i]".
func fieldIndex(field string) (int, bool) {
	open, close := strings.IndexByte(field, '['), strings.IndexByte(field, ']')
	if open < 0 || close < open {
		return 0, false
	}
	i, err := strconv.Atoi(field[open+1 : close])
	return i, err == nil
}

// importRegime accepts FOI as FOIA; anything else is left for NewCase.Validate to judge.
func importRegime(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "foi" {
		return string(calendar.RegimeFOIA)
	}
	return s
}

// choiceKey folds a choice for matching: lower case, with spaces, hyphens and underscores alike.
func choiceKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t'
	}), "_")
}

// matchChoice returns the choice whose value or label matches s (ignoring case and the difference between
// spaces, hyphens and underscores), or s lower-cased and trimmed when none does.
func matchChoice[T ~string](s string, choices []T, label func(T) string) T {
	key := choiceKey(s)
	for _, c := range choices {
		if key == choiceKey(string(c)) || key == choiceKey(label(c)) {
			return c
		}
	}
	return T(strings.ToLower(strings.TrimSpace(s)))
}

func joinChoices[T ~string](choices []T) string {
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

var londonTZ = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC // the calendar package embeds the zone database, so this does not happen
	}
	return loc
})

// localLayouts are the dates with a time but no zone an import accepts, read as London time.
var localLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04",
	"2/1/2006 15:04:05", "2/1/2006 15:04"}

// normalizeImportTime turns a receipt cell into what NewCase.Validate reads: YYYY-MM-DD or RFC 3339. It
// accepts those two, DD/MM/YYYY (D and M may be one digit), and the localLayouts, taken as London time. It
// returns false for anything else; an empty cell is returned as is for NewCase.Validate to report.
func normalizeImportTime(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if _, err := calendar.ParseDate(s); err == nil {
		return s, true
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return s, true
	}
	if d, ok := parseUKDate(s); ok {
		return d.String(), true
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, londonTZ()); err == nil {
			return t.Format(time.RFC3339), true
		}
	}
	return "", false
}

// parseImportDate reads a date cell: any form normalizeImportTime accepts, a time of day giving its London date.
func parseImportDate(s string) (calendar.Date, bool) {
	n, ok := normalizeImportTime(s)
	if !ok || n == "" {
		return calendar.Date{}, false
	}
	if d, err := calendar.ParseDate(n); err == nil {
		return d, true
	}
	t, err := time.Parse(time.RFC3339Nano, n)
	if err != nil {
		return calendar.Date{}, false
	}
	return calendar.LondonDate(t), true
}

// parseUKDate reads DD/MM/YYYY, the day and month of one or two digits, checking the date is real.
func parseUKDate(s string) (calendar.Date, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[0]) < 1 || len(parts[0]) > 2 || len(parts[1]) < 1 || len(parts[1]) > 2 ||
		len(parts[2]) != 4 {
		return calendar.Date{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return calendar.Date{}, false
		}
		n[i] = v
	}
	day, month, year := n[0], n[1], n[2]
	if month < 1 || month > 12 || day < 1 {
		return calendar.Date{}, false
	}
	d := calendar.NewDate(year, time.Month(month), day)
	if y, m, dd := d.Date(); y != year || int(m) != month || dd != day {
		return calendar.Date{}, false // 31/02/2026 and the like
	}
	return d, true
}
