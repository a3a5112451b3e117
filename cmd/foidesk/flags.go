package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"strings"

	"foidesk/internal/foi"
	"foidesk/internal/store"
)

// newFlags returns a flag set that reports problems as errors instead of printing usage.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args and turns every problem (an unknown flag, a bad value, a stray argument) into a
// one-line usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usagef("see 'foidesk help'")
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// dbFlag adds --db to a flag set; the value defaults to FOIDESK_DB, then ./foidesk.db.
func dbFlag(fs *flag.FlagSet, env *cliEnv) *string {
	def := env.getenv("FOIDESK_DB")
	if def == "" {
		def = store.DefaultDSN
	}
	return fs.String("db", def, "SQLite file path or postgres:// URL (env FOIDESK_DB)")
}

// openDB opens and migrates the database named by dsn. A malformed dsn is a usage error.
func openDB(ctx context.Context, dsn string) (*store.DB, error) {
	d, err := store.Open(ctx, dsn)
	if err != nil {
		if foi.ErrorCode(err) == foi.EINVALID {
			return nil, usagef("%s", foi.ErrorMessage(err))
		}
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// cliContext returns ctx acting as the command line.
func cliContext(ctx context.Context) context.Context {
	return foi.WithActor(ctx, foi.Actor{Label: foi.ActorCLI})
}

// domainError turns an EINVALID or ECONFLICT domain error into a usage error (bad input, exit 2), naming
// the bad fields; other errors pass through.
func domainError(err error) error {
	switch foi.ErrorCode(err) {
	case foi.EINVALID, foi.ECONFLICT, foi.ENOTFOUND:
		msgs := []string{}
		for _, f := range foi.ErrorFields(err) {
			msgs = append(msgs, "--"+f.Field+": "+f.Message)
		}
		if len(msgs) == 0 {
			msgs = append(msgs, foi.ErrorMessage(err))
		}
		return usagef("%s", strings.Join(msgs, "; "))
	}
	return err
}

// parseFlagsAndArg parses a command's flags and its one positional argument, which may come before, between or
// after the flags (import cases FILE --dry-run, backup --db x.db FILE). It returns "" when there is none; more
// than one is a usage error.
func parseFlagsAndArg(fs *flag.FlagSet, args []string) (string, error) {
	var arg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		arg, args = args[0], args[1:]
	} else if err := fs.Parse(args); err != nil {
		return "", parseFlags(fs, args) // the same one-line usage error as every other command
	} else if fs.NArg() > 0 {
		arg, args = fs.Arg(0), fs.Args()[1:] // the argument after the flags, perhaps more flags after it
	} else {
		args = nil
	}
	return arg, parseFlags(fs, args)
}
