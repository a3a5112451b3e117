package main

import "testing"

func TestCLI_RegisterParties(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		cliRegisterParties(t, tempSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		cliRegisterParties(t, freshPostgres(t))
	})
}

// partyNames returns every party as "CODE=Name" joined by ";", read behind the store's back.
func partyNames(t *testing.T, dsn string) string {
	t.Helper()
	rows, err := rawDB(t, dsn).Query(`SELECT code, name FROM parties ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			t.Fatal(err)
		}
		out += code + "=" + name + ";"
	}
	return out
}

func cliRegisterParties(t *testing.T, dsn string) {
	c := newRegisterCLI(t, dsn)
	before := partyNames(t, dsn)

	for _, tc := range []struct {
		what  string
		args  []string
		wants []string
	}{
		{"no --as", []string{"register", "add-party", "--code", "DWP", "--name", "DWP"}, []string{"--as"}},
		{"not an admin", []string{"register", "add-party", "--as", "clerk@dfe.test", "--code", "DWP", "--name", "DWP"}, []string{"admin"}},
		{"bad code and no name", []string{"register", "add-party", "--as", registerAdmin, "--code", "D-1"}, []string{"--code", "--name"}},
		{"duplicate", []string{"register", "add-party", "--as", registerAdmin, "--code", "dfe", "--name", "Again"}, []string{"DFE"}},
		{"rename unknown", []string{"register", "rename-party", "--as", registerAdmin, "--code", "NOPE", "--name", "X"}, []string{"NOPE"}},
		{"rename to nothing", []string{"register", "rename-party", "--as", registerAdmin, "--code", "HO", "--name", " "}, []string{"--name"}},
	} {
		c.run(t, tc.args...).wantFail(t, tc.what, 2, tc.wants...)
	}
	if after := partyNames(t, dsn); after != before {
		t.Fatalf("bad input changed the parties: %s -> %s", before, after)
	}

	r := c.run(t, "register", "add-party", "--as", registerAdmin, "--code", "dwp", "--name", "Department for Work and Pensions")
	r.wantOK(t, "add-party")
	if r.stdout != "Added party DWP: Department for Work and Pensions\n" {
		t.Fatalf("add-party printed %q", r.stdout)
	}
	r = c.run(t, "register", "rename-party", "--as", registerAdmin, "--code", "DWP", "--name", "DWP")
	r.wantOK(t, "rename-party")
	if r.stdout != "Party DWP is now DWP\n" {
		t.Fatalf("rename-party printed %q", r.stdout)
	}
	if got := partyNames(t, dsn); got != before[:len(before)-len("HO=Home Office;")]+"DWP=DWP;HO=Home Office;" {
		t.Fatalf("parties: %s (before %s)", got, before)
	}
	r = c.run(t, "register", "list")
	r.wantOK(t, "list")
	if want := "Parties\n  DFE\t"; len(r.stdout) < len(want) || r.stdout[:len(want)] != want {
		t.Errorf("list starts %q", r.stdout[:min(len(r.stdout), 40)])
	}
	var n int
	if err := rawDB(t, dsn).QueryRow(`SELECT COUNT(*) FROM audit_events WHERE actor_label = $1 AND action LIKE 'register.party.%'`,
		registerAdmin).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d party events by %s, want 2", n, registerAdmin)
	}
}
