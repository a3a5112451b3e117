package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"foidesk/internal/foi"
	"foidesk/internal/store"

	"github.com/xuri/excelize/v2"
)

var importCommand = command{
	name:    "import",
	usage:   "import cases FILE.csv|FILE.xlsx --as EMAIL [--party CODE] [--dry-run] [--skip-invalid] [--db DSN]",
	summary: "migrate an existing FOI log: all rows in one transaction, every rejected row reported",
	run:     runImport,
}

func runImport(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "cases" {
		if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			return usagef("unknown import %q (want: import cases FILE)", args[0])
		}
		return usagef("say what to import: import cases FILE.csv|FILE.xlsx")
	}
	return importCases(ctx, env, args[1:])
}

func importCases(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("import cases")
	dsn := dbFlag(fs, env)
	party := fs.String("party", "", "the party whose cases these are (default: the one the party column names)")
	as := fs.String("as", "", "email of the officer or decision-maker of the party the cases are recorded as created by")
	dryRun := fs.Bool("dry-run", false, "validate and number the cases, then roll back: nothing is written")
	skipInvalid := fs.Bool("skip-invalid", false, "import the valid rows when some are rejected")
	file, err := parseFlagsAndArg(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return usagef("name the .csv or .xlsx file of cases to import")
	}
	if strings.TrimSpace(*as) == "" {
		return usagef("--as is required: name the FOI officer or decision-maker the imported cases are recorded as created by")
	}
	in, err := readImportFile(file)
	if err != nil {
		return usagef("%s: %v", filepath.Base(file), err)
	}
	header, rows, err := foi.ImportRows(in.records, strings.TrimSpace(*party) != "")
	if err != nil {
		return usagef("%s: %s", filepath.Base(file), foi.ErrorMessage(err))
	}
	if in.excel {
		excelDates(header, rows, in.date1904)
	}
	if len(rows) == 0 {
		return usagef("%s has no rows to import under its header", filepath.Base(file))
	}
	code, err := foi.ImportParty(*party, rows)
	if err != nil {
		return usagef("%s: %s", filepath.Base(file), foi.ErrorMessage(err))
	}

	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	rep, err := d.ImportCases(cliContext(ctx), code, rows, store.ImportOptions{DryRun: *dryRun,
		SkipInvalid: *skipInvalid, CreatedBy: *as, Source: filepath.Base(file)})
	for _, e := range rep.Rejected {
		fmt.Fprintln(env.stderr, oneLine(e.String()))
	}
	bad := foi.RejectedRowCount(rep.Rejected)
	if err != nil {
		if len(rep.Rejected) == 0 {
			return domainError(err)
		}
		valid := len(rows) - bad
		if *dryRun {
			fmt.Fprintf(env.stdout, "Dry run: %s rejected, %s valid\n", plural(bad, "row"), plural(valid, "row"))
		}
		nothing := "nothing imported"
		if *dryRun {
			nothing = "an import would import nothing"
		}
		if valid == 0 {
			return usagef("all %s rejected: %s", plural(bad, "row"), nothing)
		}
		return usagef("%s rejected: %s (correct them, or use --skip-invalid to import the other %d)",
			plural(bad, "row"), nothing, valid)
	}
	arrow := "->"
	if *dryRun {
		arrow = "would be"
	}
	for _, r := range rep.Imported {
		old := r.OldReference
		if old == "" {
			old = "(no reference)"
		}
		fmt.Fprintf(env.stdout, "row %d: %s %s %s\n", r.Row, old, arrow, r.Reference)
	}
	skipped := ""
	if bad > 0 {
		skipped = fmt.Sprintf("; skipped %s rejected (listed on stderr)", plural(bad, "row"))
	}
	if *dryRun {
		fmt.Fprintf(env.stdout, "Dry run: %s would be imported, %d rejected; nothing was written\n",
			plural(len(rep.Imported), "row"), bad)
		return nil
	}
	fmt.Fprintf(env.stdout, "Imported %s (%s)%s\n", plural(len(rep.Imported), "case"), referenceRanges(rep.Imported), skipped)
	return nil
}

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// referenceRanges summarises the references handed out, one "FIRST to LAST" per series (party, regime and year),
// in the order the series first appear.
func referenceRanges(rows []store.ImportedRow) string {
	type span struct{ first, last string }
	var order []string
	spans := map[string]*span{}
	for _, r := range rows {
		series := r.Reference
		if i := strings.LastIndexByte(series, '-'); i > 0 {
			series = series[:i]
		}
		s, ok := spans[series]
		if !ok {
			s = &span{first: r.Reference}
			spans[series] = s
			order = append(order, series)
		}
		s.last = r.Reference
	}
	parts := make([]string, 0, len(order))
	for _, series := range order {
		s := spans[series]
		if s.first == s.last {
			parts = append(parts, s.first)
		} else {
			parts = append(parts, s.first+" to "+s.last)
		}
	}
	return strings.Join(parts, ", ")
}

// maxImportFileSize bounds what the command reads into memory.
const maxImportFileSize = 256 << 20

// importFile is what an import file holds: its records, header first, and for an .xlsx workbook whether its
// date serial numbers count from 1904.
type importFile struct {
	records  [][]string
	excel    bool // date cells may hold Excel serial numbers, which excelDates turns into dates
	date1904 bool
}

// readImportFile reads a .csv or .xlsx file.
func readImportFile(path string) (importFile, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".csv" && ext != ".xlsx" {
		if ext == "" {
			return importFile{}, errors.New("the file has no extension: give a .csv or .xlsx file")
		}
		return importFile{}, fmt.Errorf("cannot import %s files: give a .csv or .xlsx file", ext)
	}
	f, err := os.Open(path)
	if err != nil {
		return importFile{}, fmt.Errorf("cannot read the file: %v", unwrapPathError(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportFileSize+1))
	if err != nil {
		return importFile{}, fmt.Errorf("cannot read the file: %v", unwrapPathError(err))
	}
	if len(data) > maxImportFileSize {
		return importFile{}, fmt.Errorf("the file is over %d MiB: split it", maxImportFileSize>>20)
	}
	if ext == ".csv" {
		records, err := readCSV(data)
		return importFile{records: records}, err
	}
	return readXLSX(data)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// readCSV reads UTF-8 CSV (a byte-order mark is dropped) with a header row; rows may have fewer cells than the
// header.
func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, errors.New("the file is not UTF-8 text: save it as \"CSV UTF-8\"")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("not valid CSV at line %d: %v", pe.Line, pe.Err)
		}
		return nil, fmt.Errorf("not valid CSV: %v", err)
	}
	return records, nil
}

// readXLSX reads the first worksheet of an Excel workbook, cells unformatted (a date is its serial number).
func readXLSX(data []byte) (importFile, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return importFile{}, fmt.Errorf("not a readable .xlsx workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return importFile{}, errors.New("the workbook has no worksheet")
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return importFile{}, fmt.Errorf("cannot read worksheet %q: %v", sheets[0], err)
	}
	in := importFile{records: rows, excel: true}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		in.date1904 = *props.Date1904
	}
	return in, nil
}

// excelDates turns the Excel serial numbers in the date columns into dates ("2026-03-02") or, with a time of day,
// London times without a zone ("2026-03-02 09:30:00"), which the import reads. Other text is left alone.
func excelDates(h foi.ImportHeader, rows []foi.ImportRow, date1904 bool) {
	conv := func(s string) string {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || v < 1 || v > 2958465 { // 2958465 is 9999-12-31
			return s
		}
		t, err := excelize.ExcelDateToTime(v, date1904)
		if err != nil {
			return s
		}
		if v == math.Trunc(v) {
			return t.Format("2006-01-02")
		}
		return t.Round(1e9).Format("2006-01-02 15:04:05")
	}
	for i := range rows {
		if h.Has(foi.ColReceivedAt) {
			rows[i].ReceivedAt = conv(rows[i].ReceivedAt)
		}
		if h.Has(foi.ColRespondedOn) {
			rows[i].RespondedOn = conv(rows[i].RespondedOn)
		}
	}
}
