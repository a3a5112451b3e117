package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

const registerAdmin = "registrar@foidesk.test"

func TestCLI_Register(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		cliRegister(t, tempSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		cliRegister(t, freshPostgres(t))
	})
}

// registerCounts returns how many contacts, exchanges, assets and agreement versions there are and the
// agreement's status, read behind the store's back.
func registerCounts(t *testing.T, dsn string) string {
	t.Helper()
	var contacts, exchanges, assets, versions int
	var status string
	row := rawDB(t, dsn).QueryRow(`SELECT (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM exchanges),
		(SELECT COUNT(*) FROM assets), (SELECT COUNT(*) FROM agreement_versions),
		(SELECT status FROM agreements WHERE code = 'DFE-HO-MOU')`)
	if err := row.Scan(&contacts, &exchanges, &assets, &versions, &status); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(contacts, exchanges, assets, versions, status)
}

// newRegisterCLI seeds the demo registers in dsn with an admin (registerAdmin) and a DFE officer
// (clerk@dfe.test), and returns the command line on it.
func newRegisterCLI(t *testing.T, dsn string) cliInvocation {
	c := cliInvocation{db: dsn, stdin: "correct horse battery staple\n"}
	c.run(t, "seed", "demo", "--passwords-file", filepath.Join(t.TempDir(), "pw")).wantOK(t, "seed demo")
	c.run(t, "user", "create", "--email", registerAdmin, "--name", "Registrar", "--role", "admin",
		"--password-stdin").wantOK(t, "user create admin")
	c.run(t, "user", "create", "--email", "clerk@dfe.test", "--name", "Clerk", "--party", "DFE", "--role", "officer",
		"--password-stdin").wantOK(t, "user create officer")
	return c
}

func cliRegister(t *testing.T, dsn string) {
	c := newRegisterCLI(t, dsn)
	before := registerCounts(t, dsn)

	// Bad input: one line on stderr, exit 2, nothing changed.
	for _, tc := range []struct {
		what  string
		args  []string
		wants []string
	}{
		{"no action", []string{"register"}, nil},
		{"unknown action", []string{"register", "frobnicate"}, []string{"frobnicate"}},
		{"no --as", []string{"register", "add-contact", "--party", "HO", "--name", "H", "--email", "h@ho.test"}, []string{"--as"}},
		{"unknown --as", []string{"register", "add-contact", "--as", "nobody@test", "--party", "HO", "--name", "H",
			"--email", "h@ho.test"}, []string{"nobody@test"}},
		{"not an admin", []string{"register", "add-contact", "--as", "clerk@dfe.test", "--party", "HO", "--name", "H",
			"--email", "h@ho.test"}, []string{"admin"}},
		{"invalid recipient", []string{"register", "add-contact", "--as", registerAdmin, "--party", "HO", "--name", "H",
			"--email", "h at ho"}, []string{"--email"}},
		{"unknown party", []string{"register", "add-contact", "--as", registerAdmin, "--party", "MOJ", "--name", "H",
			"--email", "h@ho.test"}, []string{"--party"}},
		{"bad asset", []string{"register", "add-asset", "--as", registerAdmin, "--code", "Bad Code", "--provider", "DFE",
			"--exchange", "NOPE"}, []string{"--code", "--name", "--exchange_reference"}},
		{"review too late", []string{"register", "add-exchange", "--as", registerAdmin, "--agreement", "DFE-HO-MOU",
			"--reference", "MOU-A6", "--title", "T", "--provider", "DFE", "--recipient", "HO", "--legal-basis", "L",
			"--owner", "O", "--start", "2026-02-01", "--review", "2026-08-02"}, []string{"--review_on", "6 months"}},
		{"bad date", []string{"register", "add-exchange", "--as", registerAdmin, "--start", "yesterday"}, []string{"--start"}},
		{"duplicate version", []string{"register", "add-version", "--as", registerAdmin, "--agreement", "DFE-HO-MOU",
			"--version", "1.0", "--issued", "2026-01-01", "--summary", "S"}, []string{"1.0"}},
		{"unknown agreement", []string{"register", "set-status", "--as", registerAdmin, "--agreement", "NOPE",
			"--status", "active"}, []string{"NOPE"}},
		{"bad status", []string{"register", "set-status", "--as", registerAdmin, "--agreement", "DFE-HO-MOU",
			"--status", "paused"}, []string{"--status"}},
		{"nothing to set", []string{"register", "set-status", "--as", registerAdmin, "--agreement", "DFE-HO-MOU"}, nil},
		{"show what", []string{"register", "show", "agreement"}, nil},
		{"show unknown", []string{"register", "show", "asset", "nope"}, []string{"nope"}},
		{"show contact by name", []string{"register", "show", "contact", "harriet"}, []string{"number"}},
		{"stray argument", []string{"register", "list", "extra"}, []string{"extra"}},
	} {
		c.run(t, tc.args...).wantFail(t, tc.what, 2, tc.wants...)
	}
	if after := registerCounts(t, dsn); after != before {
		t.Fatalf("bad input changed the registers: %s -> %s", before, after)
	}

	// The admin adds a contact, an exchange, an asset under it and a version, and reviews the agreement.
	r := c.run(t, "register", "add-contact", "--as", registerAdmin, "--party", "HO", "--name", "Harriet Escalation",
		"--email", "Harriet@HomeOffice.test", "--tier", "escalation", "--responsibilities", "foi, legal")
	r.wantOK(t, "add-contact")
	if !strings.Contains(r.stdout, "<harriet@homeoffice.test> (HO, escalation)") {
		t.Fatalf("add-contact printed %q", r.stdout)
	}
	c.run(t, "register", "add-exchange", "--as", registerAdmin, "--agreement", "DFE-HO-MOU", "--reference", "mou-a6-dfe-ho",
		"--title", "School census extract", "--provider", "DFE", "--recipient", "HO", "--legal-basis", "Education Act 1996",
		"--owner", "Deputy Director, Data", "--start", "2025-08-31", "--review", "2026-02-28").wantOK(t, "add-exchange")
	c.run(t, "register", "add-asset", "--as", registerAdmin, "--code", "school-census-extract", "--name", "School census extract",
		"--provider", "DFE", "--exchange", "MOU-A6-DFE-HO", "--aliases", "census extract; census").wantOK(t, "add-asset")
	c.run(t, "register", "add-version", "--as", registerAdmin, "--agreement", "DFE-HO-MOU", "--version", "9.1",
		"--issued", "2026-02-01", "--summary", "Annex 6 added").wantOK(t, "add-version")
	r = c.run(t, "register", "set-status", "--as", registerAdmin, "--agreement", "DFE-HO-MOU", "--status", "under_review",
		"--review-on", "2026-12-18")
	r.wantOK(t, "set-status")
	if r.stdout != "DFE-HO-MOU is under_review, next review 2026-12-18\n" {
		t.Fatalf("set-status printed %q", r.stdout)
	}

	r = c.run(t, "register", "show", "exchange", "MOU-A6-DFE-HO")
	r.wantOK(t, "show exchange")
	for _, want := range []string{"provider: DFE\n", "recipient: HO\n", "start: 2025-08-31\n", "next review: 2026-02-28\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show exchange: no %q in %q", want, r.stdout)
		}
	}
	r = c.run(t, "register", "show", "agreement", "DFE-HO-MOU")
	r.wantOK(t, "show agreement")
	if !strings.Contains(r.stdout, "status: under_review\n") || !strings.Contains(r.stdout, "version 9.1\t2026-02-01\tAnnex 6 added\n") ||
		!strings.Contains(r.stdout, "exchange MOU-A6-DFE-HO\tDFE to HO") {
		t.Errorf("show agreement printed %q", r.stdout)
	}
	r = c.run(t, "register", "show", "asset", "school-census-extract")
	r.wantOK(t, "show asset")
	if !strings.Contains(r.stdout, "aliases: census; census extract\n") {
		t.Errorf("show asset printed %q", r.stdout)
	}
	r = c.run(t, "register", "list")
	r.wantOK(t, "list")
	for _, want := range []string{"MOU-A6-DFE-HO\tDFE to HO", "school-census-extract\tDFE", "HO\tescalation\tharriet@homeoffice.test\tfoi,legal\tactive"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("list: no %q in %q", want, r.stdout)
		}
	}
	// The changes are recorded as made by the admin.
	var n int
	if err := rawDB(t, dsn).QueryRow(`SELECT COUNT(*) FROM audit_events WHERE actor_label = $1 AND action LIKE 'register.%'`,
		registerAdmin).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("%d register events by %s, want 5", n, registerAdmin)
	}
}
