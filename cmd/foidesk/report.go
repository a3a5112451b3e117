package main

import (
	"context"
	"encoding/json"
	"io"
	"os"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/web"
)

var reportCommand = command{
	name:    "report",
	usage:   "report stats|consultations --from D --to D [--party CODE] [--format csv|json|ods] [--out FILE]",
	summary: "FOI statistics, or consultations by party pair, of a period (CSV, JSON or ODS)",
	run:     runReport,
}

func runReport(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usagef("say which report: 'report stats' or 'report consultations'")
	}
	switch args[0] {
	case "stats":
		return runReportStats(ctx, env, args[1:])
	case "consultations":
		return runReportConsultations(ctx, env, args[1:])
	}
	return usagef("unknown report %q: use stats or consultations", args[0])
}

// reportFlags are the flags every report takes.
type reportFlags struct {
	dsn, from, to, party, format, out *string
}

// parseReportFlags parses a report's flags and returns its query and format; bad input is a usage error naming
// the flag.
func parseReportFlags(name string, env *cliEnv, args []string) (reportFlags, foi.ReportQuery, foi.ReportFormat, error) {
	fs := newFlags(name)
	f := reportFlags{dsn: dbFlag(fs, env), from: fs.String("from", "", "first day of the period (YYYY-MM-DD)"),
		to: fs.String("to", "", "last day of the period (YYYY-MM-DD)"), party: fs.String("party", "", "a party's code (default: every party)"),
		format: fs.String("format", "csv", "csv, json or ods"), out: fs.String("out", "", "write to this file instead of standard output")}
	if err := parseFlags(fs, args); err != nil {
		return f, foi.ReportQuery{}, "", err
	}
	q := foi.ReportQuery{Party: *f.party}
	var err error
	for _, d := range []struct {
		flag, value string
		into        *calendar.Date
	}{{"from", *f.from, &q.From}, {"to", *f.to, &q.To}} {
		if d.value == "" {
			return f, q, "", usagef("--%s is required (YYYY-MM-DD)", d.flag)
		}
		if *d.into, err = calendar.ParseDate(d.value); err != nil {
			return f, q, "", usagef("--%s %q is not a date (YYYY-MM-DD)", d.flag, d.value)
		}
	}
	if err := q.Validate(); err != nil {
		return f, q, "", domainError(err)
	}
	format, err := foi.ParseReportFormat(*f.format)
	if err != nil {
		return f, q, "", domainError(err)
	}
	return f, q, format, nil
}

// runReportWith parses a report's flags, opens the database and writes what build makes of the query.
func runReportWith(ctx context.Context, env *cliEnv, name string, args []string,
	build func(ctx context.Context, d *store.DB, q foi.ReportQuery) ([]foi.ReportTable, any, error)) error {
	f, q, format, err := parseReportFlags(name, env, args)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, *f.dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	tables, doc, err := build(cliContext(ctx), d, q)
	if err != nil {
		return domainError(err)
	}
	return writeReport(env, *f.out, format, tables, doc)
}

func runReportStats(ctx context.Context, env *cliEnv, args []string) error {
	return runReportWith(ctx, env, "report stats", args, func(ctx context.Context, d *store.DB, q foi.ReportQuery) ([]foi.ReportTable, any, error) {
		st, err := d.Stats(ctx, q)
		return st.Tables(), web.StatsDocument(st), err
	})
}

func runReportConsultations(ctx context.Context, env *cliEnv, args []string) error {
	return runReportWith(ctx, env, "report consultations", args, func(ctx context.Context, d *store.DB, q foi.ReportQuery) ([]foi.ReportTable, any, error) {
		r, err := d.ConsultationReport(ctx, q)
		return r.Tables(), web.ConsultationReportDocument(r), err
	})
}

// writeReport writes a report in format to the file out, or to standard output when out is "".
func writeReport(env *cliEnv, out string, format foi.ReportFormat, tables []foi.ReportTable, doc any) error {
	w := env.stdout
	if out != "" {
		file, err := os.Create(out)
		if err != nil {
			return usagef("--out: %v", err)
		}
		defer file.Close()
		w = file
	}
	if err := encodeReport(w, format, tables, doc); err != nil {
		return err
	}
	if c, ok := w.(io.Closer); ok && out != "" {
		return c.Close()
	}
	return nil
}

func encodeReport(w io.Writer, format foi.ReportFormat, tables []foi.ReportTable, doc any) error {
	switch format {
	case foi.ReportJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	case foi.ReportODS:
		return foi.WriteODS(w, tables)
	}
	return foi.WriteCSV(w, tables)
}
