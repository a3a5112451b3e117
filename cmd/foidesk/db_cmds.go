package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"foidesk/internal/foi"
	"foidesk/internal/store"
)

var migrateCommand = command{
	name:    "migrate",
	usage:   "migrate [--db DSN]",
	summary: "bring the database schema up to date",
	run: func(ctx context.Context, env *cliEnv, args []string) error {
		fs := newFlags("migrate")
		dsn := dbFlag(fs, env)
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		d, err := openDB(ctx, *dsn)
		if err != nil {
			return err
		}
		defer d.Close()
		v, err := d.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s database at schema version %d\n", d.Engine(), v)
		return nil
	},
}

var seedCommand = command{
	name:    "seed",
	usage:   "seed demo [--db DSN] [--passwords-file FILE]",
	summary: "load the DfE-Home Office MoU demo data and demo users (idempotent)",
	run: func(ctx context.Context, env *cliEnv, args []string) error {
		if len(args) == 0 || args[0] != "demo" {
			return usagef("say what to seed: 'seed demo'")
		}
		fs := newFlags("seed demo")
		dsn := dbFlag(fs, env)
		pwFile := fs.String("passwords-file", "", "also append new demo passwords to FILE (mode 0600)")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		d, err := openDB(ctx, *dsn)
		if err != nil {
			return err
		}
		defer d.Close()
		users, err := d.SeedDemo(cliContext(ctx))
		if err != nil {
			return err
		}
		return printDemoUsers(env.stdout, *pwFile, users)
	},
}

// printDemoUsers prints each demo user with the password it was given just now, once.
func printDemoUsers(w io.Writer, pwFile string, users []store.DemoUser) error {
	var lines []string
	for _, u := range users {
		if u.Password != "" {
			lines = append(lines, fmt.Sprintf("%-42s %-15s %-4s %s", u.Email, u.Role, u.Party, u.Password))
		}
	}
	if len(lines) == 0 {
		fmt.Fprintln(w, "Demo data is up to date; the demo users already exist (passwords unchanged).")
		return nil
	}
	fmt.Fprintln(w, "Demo users (the passwords are shown only this once):")
	for _, l := range lines {
		fmt.Fprintln(w, "  "+l)
	}
	if pwFile == "" {
		return nil
	}
	f, err := os.OpenFile(pwFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Chmod(0o600); err != nil { // an existing file may have been readable by others
		return err
	}
	_, err = io.WriteString(f, strings.Join(lines, "\n")+"\n")
	return err
}

var userCommand = command{
	name:    "user",
	usage:   "user create --email E --name N --party CODE --role ROLE [--password-stdin] [--db DSN]",
	summary: "create a user; prints a generated password unless one is read from stdin",
	run: func(ctx context.Context, env *cliEnv, args []string) error {
		if len(args) == 0 || args[0] != "create" {
			return usagef("say what to do: 'user create --email E --name N --party CODE --role ROLE'")
		}
		fs := newFlags("user create")
		dsn := dbFlag(fs, env)
		email := fs.String("email", "", "email address (the sign-in name)")
		name := fs.String("name", "", "full name")
		party := fs.String("party", "", "party code, e.g. DFE (not needed for an admin)")
		role := fs.String("role", "", "officer, decision-maker, liaison, auditor or admin")
		pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		in := foi.NewUser{Email: *email, Name: *name, PartyCode: *party, Role: foi.Role(*role)}
		if *pwStdin {
			pw, err := readLine(env.stdin)
			if err != nil {
				return usagef("--password-stdin: %v", err)
			}
			in.Password = pw
		}
		if err := in.Validate(); err != nil {
			return domainError(err)
		}
		d, err := openDB(ctx, *dsn)
		if err != nil {
			return err
		}
		defer d.Close()
		u, password, err := d.CreateUser(cliContext(ctx), in)
		if err != nil {
			return domainError(err)
		}
		fmt.Fprintf(env.stdout, "Created %s (%s", u.Email, u.Role)
		if u.PartyCode != "" {
			fmt.Fprintf(env.stdout, ", %s", u.PartyCode)
		}
		fmt.Fprintln(env.stdout, ")")
		if !*pwStdin {
			fmt.Fprintf(env.stdout, "Password: %s\n", password)
		}
		return nil
	},
}

// readLine reads the first line of r, without its line ending; an empty line is an error.
func readLine(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return "", fmt.Errorf("no password on stdin")
	}
	return line, nil
}

var tokenCommand = command{
	name:    "token",
	usage:   "token create --email E [--name N] [--db DSN]",
	summary: "issue an API token for a user; the token is the last line of stdout",
	run: func(ctx context.Context, env *cliEnv, args []string) error {
		if len(args) == 0 || args[0] != "create" {
			return usagef("say what to do: 'token create --email E'")
		}
		fs := newFlags("token create")
		dsn := dbFlag(fs, env)
		email := fs.String("email", "", "the user's email")
		name := fs.String("name", "", "a label for the token, e.g. the script that uses it")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if strings.TrimSpace(*email) == "" {
			return usagef("--email is required")
		}
		d, err := openDB(ctx, *dsn)
		if err != nil {
			return err
		}
		defer d.Close()
		token, err := d.CreateToken(cliContext(ctx), *email, *name)
		if err != nil {
			return domainError(err)
		}
		fmt.Fprintf(env.stdout, "API token for %s (shown only once; send it as Authorization: Bearer ...):\n%s\n",
			foi.NormalizeEmail(*email), token)
		return nil
	},
}

var auditCommand = command{
	name:    "audit",
	usage:   "audit verify [--db DSN]",
	summary: "check the audit log's hash chain; exits non-zero naming the first broken row",
	run: func(ctx context.Context, env *cliEnv, args []string) error {
		if len(args) == 0 || args[0] != "verify" {
			return usagef("say what to do: 'audit verify'")
		}
		fs := newFlags("audit verify")
		dsn := dbFlag(fs, env)
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		d, err := openDB(ctx, *dsn)
		if err != nil {
			return err
		}
		defer d.Close()
		rep, err := d.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "audit chain intact: %d events, last seq %d\n", rep.Events, rep.LastSeq)
		return nil
	},
}
