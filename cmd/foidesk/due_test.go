package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// runCLI runs the CLI with args and returns the exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := run(context.Background(), env, args)
	return code, stdout.String(), stderr.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func TestDueStatutoryVectors(t *testing.T) {
	for _, tc := range []struct{ received, want string }{
		{"2014-03-16", "2014-04-14"},
		{"2024-01-03", "2024-01-31"},
		{"2024-03-08", "2024-04-10"},
		{"2024-06-14", "2024-07-15"},
		{"2024-11-15", "2024-12-16"},
		{"2024-12-02", "2025-01-03"},
		{"2024-12-20", "2025-01-23"},
		{"2025-03-01", "2025-03-31"},
		{"2025-07-11", "2025-08-12"},
		{"2025-12-20", "2026-01-22"},
		{"2026-03-14", "2026-04-15"},
		{"2026-12-05", "2027-01-07"},
		{"2027-07-02", "2027-08-03"},
		{"2022-09-01", "2022-09-30"},
	} {
		code, out, errOut := runCLI(t, "due", "--received", tc.received)
		if code != 0 || out != tc.want+"\n" || errOut != "" {
			t.Errorf("due --received %s: code %d, stdout %q, stderr %q; want %s", tc.received, code, out, errOut, tc.want)
		}
	}
}

func TestDue(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"fees", []string{"--received", "2025-01-06", "--fee-notice", "2025-01-15", "--fee-paid", "2025-02-03"}, "2025-02-21"},
		{"clarification", []string{"--received", "2025-01-06", "--clarified", "2025-01-20"}, "2025-02-17"},
		{"pit", []string{"--received", "2025-01-06", "--extension", "pit"}, "2025-03-03"},
		{"eir reg 7", []string{"--received", "2025-01-06", "--regime", "eir", "--extension", "eir-complex"}, "2025-03-03"},
		{"eir", []string{"--received=2025-01-06", "--regime=eir"}, "2025-02-03"},
		{"eir reg 11 representations", []string{"--received", "2025-02-03", "--regime", "eir", "--internal-review"}, "2025-04-01"},
		{"eir reg 11 decision", []string{"--received", "2025-03-03", "--regime", "eir", "--internal-review"}, "2025-05-01"},
		{"foia review", []string{"--received", "2025-01-06", "--internal-review"}, "2025-02-03"},
		{"timestamp GMT", []string{"--received", "2026-03-28T23:30:00Z"}, "2026-04-28"}, // receipt Sat 28 Mar
		{"timestamp BST", []string{"--received", "2026-06-30T23:30:00Z"}, "2026-07-30"}, // receipt Wed 1 Jul; Boyne substitute 13 Jul skipped
		{"timestamp offset", []string{"--received", "2026-06-30T12:00:00+01:00"}, "2026-07-29"},
		{"single dash", []string{"-received", "2025-03-01"}, "2025-03-31"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"due"}, tc.args...)...)
			if code != 0 || out != tc.want+"\n" || errOut != "" {
				t.Errorf("code %d, stdout %q, stderr %q; want %s", code, out, errOut, tc.want)
			}
		})
	}
}

func TestDueExplain(t *testing.T) {
	code, out, _ := runCLI(t, "due", "--received", "2025-07-11", "--explain")
	if code != 0 || firstLine(out) != "2025-08-12" {
		t.Fatalf("code %d, out %q", code, out)
	}
	for _, s := range []string{
		"\n2025-07-11 date of receipt, day 0\n",
		"\n2025-07-14 Battle of the Boyne (Orangemen’s Day) (Northern Ireland, substitute day)\n",
		"\n2025-08-04 Summer bank holiday (Scotland)\n",
		"\n2025-08-12 due: day 20 (FOIA s.10(1))\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("explanation lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "provisional") {
		t.Errorf("2025 marked provisional:\n%s", out)
	}
	code, out, _ = runCLI(t, "due", "--received", "2028-12-20", "--explain")
	if code != 0 || firstLine(out) != "2029-01-23" || !strings.HasSuffix(out, "\nprovisional: dates past the published bank-holiday data\n") {
		t.Errorf("provisional: code %d\n%s", code, out)
	}
	// Without --explain only the date is printed, even when provisional.
	if _, out, _ = runCLI(t, "due", "--received", "2028-12-20"); out != "2029-01-23\n" {
		t.Errorf("no explain: %q", out)
	}
	code, out, _ = runCLI(t, "due", "--received", "2025-01-06", "--internal-review", "--explain")
	if code != 0 || firstLine(out) != "2025-02-03" || !strings.Contains(out, "2025-03-03 longstop: day 40") {
		t.Errorf("review explain: code %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "due", "--received", "2025-01-06", "--extension", "pit", "--explain")
	if code != 0 || firstLine(out) != "2025-03-03" || !strings.Contains(out, "2025-02-03 day 20: s.17(1) refusal notice") {
		t.Errorf("pit explain: code %d\n%s", code, out)
	}
}

var dateRE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

func TestDueBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no received", nil, "--received is required"},
		{"empty received", []string{"--received", ""}, "--received is required"},
		{"bad date", []string{"--received", "2025-13-01"}, `--received: "2025-13-01" is not a date`},
		{"bad timestamp", []string{"--received", "2025-01-06T25:00:00Z"}, "--received:"},
		{"no zone", []string{"--received", "2025-01-06T10:00:00"}, "nor an RFC 3339 timestamp"},
		{"fee paid before notice", []string{"--received", "2025-01-06", "--fee-notice", "2025-01-15", "--fee-paid", "2025-01-14"}, "fee 1 was paid (2025-01-14) before its notice was given (2025-01-15)"},
		{"only fee notice", []string{"--received", "2025-01-06", "--fee-notice", "2025-01-15"}, "--fee-notice and --fee-paid must be given together"},
		{"only fee paid", []string{"--received", "2025-01-06", "--fee-paid", "2025-01-15"}, "--fee-notice and --fee-paid must be given together"},
		{"bad fee date", []string{"--received", "2025-01-06", "--fee-notice", "15/01/2025", "--fee-paid", "2025-01-20"}, "--fee-notice:"},
		{"fee notice before receipt", []string{"--received", "2025-01-06", "--fee-notice", "2025-01-02", "--fee-paid", "2025-01-20"}, "is before the request was received"},
		{"clarification before receipt", []string{"--received", "2025-01-06", "--clarified", "2025-01-05"}, "clarification 2025-01-05 is before the request was received (2025-01-06)"},
		{"bad clarification", []string{"--received", "2025-01-06", "--clarified", "soon"}, "--clarified:"},
		{"unknown regime", []string{"--received", "2025-01-06", "--regime", "dpa"}, `unknown regime "dpa"`},
		{"unknown extension", []string{"--received", "2025-01-06", "--extension", "s12"}, `unknown extension "s12"`},
		{"pit under eir", []string{"--received", "2025-01-06", "--regime", "eir", "--extension", "pit"}, "no public interest test extension under the EIR"},
		{"eir-complex under foia", []string{"--received", "2025-01-06", "--extension", "eir-complex"}, "does not apply under FOIA"},
		{"out of range early", []string{"--received", "2011-06-01"}, "outside the supported range"},
		{"out of range late", []string{"--received", "2100-01-04"}, "outside the supported range"},
		{"deadline past range", []string{"--received", "2099-12-20"}, "after the supported range"},
		{"review out of range", []string{"--received", "2099-12-20", "--internal-review"}, "past the supported range"},
		{"review with extension", []string{"--received", "2025-01-06", "--internal-review", "--extension", "pit"}, "--extension does not apply with --internal-review"},
		{"unknown flag", []string{"--received", "2025-01-06", "--bogus"}, "flag provided but not defined: -bogus"},
		{"missing value", []string{"--received"}, "flag needs an argument"},
		{"stray arg", []string{"--received", "2025-01-06", "2025-01-07"}, `unexpected argument "2025-01-07"`},
		{"bool value", []string{"--received", "2025-01-06", "--explain=maybe"}, "invalid boolean value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"due"}, tc.args...)...)
			if code != 2 {
				t.Errorf("exit code %d, want 2 (stderr %q)", code, errOut)
			}
			if dateRE.MatchString(out) || out != "" {
				t.Errorf("printed %q on bad input", out)
			}
			if !strings.HasPrefix(errOut, "foidesk due: ") || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q, want one line containing %q", errOut, tc.want)
			}
		})
	}
}

func TestDueHelp(t *testing.T) {
	code, out, _ := runCLI(t, "due", "-h")
	if code != 0 || !strings.Contains(out, "Usage: foidesk due [--db DSN] --received T") || dateRE.MatchString(firstLine(out)) {
		t.Errorf("help: code %d\n%s", code, out)
	}
	if _, out, _ := runCLI(t, "help"); !strings.Contains(out, "due [--db DSN] --received T") {
		t.Errorf("due not listed in help:\n%s", out)
	}
}
