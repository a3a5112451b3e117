package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
)

// withPlainDocument seeds the database at dsn and stores one document on a new case, without any key.
func withPlainDocument(t *testing.T, dsn string) {
	t.Helper()
	cliInvocation{db: dsn}.run(t, "seed", "demo").wantOK(t, "seed demo")
	d := openStore(t, dsn)
	d.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }
	u, _, err := d.CreateUser(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}), foi.NewUser{
		Email: "keys@test.example", Name: "Officer", Role: foi.RoleOfficer, PartyCode: "DFE", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := foi.WithActor(context.Background(), foi.Actor{User: &u})
	c, err := d.CreateCase(ctx, foi.NewCase{Regime: "foia", ReceivedAt: "2026-02-02", Channel: "email", Subject: "Keys",
		RequestText: "Please send the keys.", Requester: foi.Requester{Name: "R", Email: "r@example.org", Type: "public"}},
		foi.Idempotency{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.UploadDocument(ctx, c.Case.ID, foi.NewDocument{Name: "figures.csv", Content: []byte("a,b\n1,2\n")}); err != nil {
		t.Fatal(err)
	}
}

func TestCLI_KeysGenerateRotateAndCheck(t *testing.T) {
	db := tempSQLite(t)
	withPlainDocument(t, db)
	c := cliInvocation{db: db}
	keyFile := filepath.Join(t.TempDir(), "foidesk.key")

	c.run(t, "keys", "generate", "--key-file", keyFile, "--id", "first").wantOK(t, "keys generate")
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v, want mode 600", st, err)
	}
	r := c.run(t, "keys", "rotate", "--key-file", keyFile)
	r.wantOK(t, "keys rotate")
	if !strings.Contains(r.stdout, "under key first: 0 re-wrapped, 1 sealed") {
		t.Errorf("rotate printed %q", r.stdout)
	}
	c.run(t, "keys", "generate", "--key-file", keyFile, "--id", "second").wantOK(t, "keys generate a second key")
	text, _ := os.ReadFile(keyFile)
	if lines := strings.Split(strings.TrimSpace(string(text)), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], "second ") {
		t.Fatalf("key file after the second key:\n%s", text)
	}
	r = c.run(t, "keys", "rotate", "--key-file", keyFile)
	r.wantOK(t, "keys rotate to the second key")
	if !strings.Contains(r.stdout, "under key second: 1 re-wrapped, 0 sealed") {
		t.Errorf("rotate printed %q", r.stdout)
	}
	c.run(t, "keys", "check", "--key-file", keyFile).wantOK(t, "keys check")

	// Another key file (the real one lost): check and serve refuse, naming the key.
	lost := filepath.Join(t.TempDir(), "other.key")
	c.run(t, "keys", "generate", "--key-file", lost, "--id", "other").wantOK(t, "keys generate another file")
	c.run(t, "keys", "check", "--key-file", lost).wantFail(t, "check with the wrong key file", 2, "second")
	c.run(t, "keys", "check").wantFail(t, "check without a key file", 2, "second")
	c.run(t, "serve", "--key-file", lost, "--addr", freePort(t)).wantFail(t, "serve with the wrong key file", 2, "second")

	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	c.run(t, "keys", "check", "--key-file", keyFile).wantFail(t, "a key file others can read", 2, "chmod 600")
	c.run(t, "keys", "generate", "--key-file", keyFile, "--id", "bad id").wantFail(t, "an id with a space", 2, "--id")
	c.run(t, "keys", "rotate").wantFail(t, "rotate without a key file", 2, "--key-file")
}
