package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"foidesk/internal/crypt"
	"foidesk/internal/store"
)

var keysCommand = command{
	name:    "keys",
	usage:   "keys generate --key-file FILE [--id ID] | keys rotate --key-file FILE [--db DSN] | keys check [--key-file FILE] [--db DSN]",
	summary: "manage the keys that encrypt documents at rest: add a new active key, move every document to it, check none is missing",
	run:     runKeys,
}

// keyFileFlag adds --key-file to a flag set; the value defaults to FOIDESK_KEY_FILE.
func keyFileFlag(fs *flag.FlagSet, env *cliEnv) *string {
	return fs.String("key-file", env.getenv("FOIDESK_KEY_FILE"),
		"the key file that encrypts documents at rest: lines \"ID BASE64-KEY\", the first active (env FOIDESK_KEY_FILE)")
}

// loadKeyring reads the key file at path; "" gives nil (documents in plain). A file that is missing,
// unreadable, readable by others or malformed is a usage error naming it.
func loadKeyring(path string) (*crypt.Keyring, error) {
	if path == "" {
		return nil, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, usagef("--key-file %s: %v", path, errors.Unwrap(err))
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, usagef("--key-file %s: readable by others (mode %v): chmod 600 it", path, st.Mode().Perm())
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("--key-file %s: %v", path, errors.Unwrap(err))
	}
	k, err := crypt.ParseKeyring(text)
	if err != nil {
		return nil, usagef("--key-file %s: %v", path, err)
	}
	return k, nil
}

// useKeys gives the store the key file's keyring and checks that every sealed document's key is in it.
func useKeys(ctx context.Context, d *store.DB, path string) error {
	k, err := loadKeyring(path)
	if err != nil {
		return err
	}
	d.SetKeyring(k)
	if err := d.CheckKeys(ctx); err != nil {
		return domainError(err)
	}
	return nil
}

func runKeys(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usagef("say what to do: 'keys generate', 'keys rotate' or 'keys check'")
	}
	fs := newFlags("keys " + args[0])
	keyFile := keyFileFlag(fs, env)
	switch args[0] {
	case "generate":
		id := fs.String("id", time.Now().UTC().Format("2006-01-02"), "the new key's id")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		return generateKey(env, *keyFile, *id)
	case "rotate", "check":
		dsn := dbFlag(fs, env)
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if args[0] == "rotate" && *keyFile == "" {
			return usagef("--key-file is required: rotation moves every document to its first key")
		}
		d, err := openDB(ctx, *dsn)
		if err != nil {
			return err
		}
		defer d.Close()
		if args[0] == "check" {
			if err := useKeys(ctx, d, *keyFile); err != nil {
				return err
			}
			fmt.Fprintln(env.stdout, "every encrypted document's key is in the key file")
			return nil
		}
		k, err := loadKeyring(*keyFile)
		if err != nil {
			return err
		}
		d.SetKeyring(k)
		rep, err := d.RotateKeys(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "every document is now under key %s: %d re-wrapped, %d sealed that were stored in plain\n",
			rep.KeyID, rep.Rewrapped, rep.Sealed)
		return nil
	}
	return usagef("unknown keys command %q: want generate, rotate or check", args[0])
}

// generateKey puts a fresh key at the top of the key file (creating it, mode 600), so that it becomes the
// active key; the keys already there stay, to read what they sealed until 'keys rotate' moves it.
func generateKey(env *cliEnv, path, id string) error {
	if path == "" {
		return usagef("--key-file is required")
	}
	line, err := crypt.NewKeyLine(id)
	if err != nil {
		return usagef("--id: %v", err)
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return usagef("--key-file %s: %v", path, errors.Unwrap(err))
	}
	text := line + "\n" + string(old)
	if _, err := crypt.ParseKeyring([]byte(text)); err != nil {
		return usagef("--key-file %s: %v", path, err)
	}
	partial := path + ".partial"
	if err := os.WriteFile(partial, []byte(text), 0o600); err != nil {
		return err
	}
	if err := os.Rename(partial, path); err != nil {
		os.Remove(partial)
		return err
	}
	fmt.Fprintf(env.stdout, "key %s added to %s and made active; restart foidesk, then run 'foidesk keys rotate'\n", id, path)
	return nil
}
