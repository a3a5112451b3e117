// Command foidesk is the one binary of the foidesk FOI case system: it serves the web UI and API, migrates and
// seeds the database, manages users and tokens, computes statutory deadlines and verifies the audit log.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// command is one subcommand of the CLI.
type command struct {
	name    string
	usage   string // e.g. "due --received T [--regime foia|eir]"
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv is what a command may touch of the process: its streams and environment.
type cliEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// usageError is bad input on the command line: printed as one line, exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// commands lists every subcommand, in the order `foidesk help` prints them.
var commands []command

func init() {
	commands = []command{
		serveCommand,
		migrateCommand,
		seedCommand,
		userCommand,
		tokenCommand,
		auditCommand,
		backupCommand,
		restoreCommand,
		keysCommand,
		outboxCommand,
		remindCommand,
		calendarCommand,
		importCommand,
		reportCommand,
		retentionCommand,
		registerCommand,
		helpCommand,
		versionCommand,
		dueCommand,
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes the command named by args[0] and returns the process exit code: 0 on success, 2 on bad input,
// 1 on any other failure.
func run(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 {
		printHelp(env.stderr)
		return 2
	}
	cmd, ok := findCommand(args[0])
	if !ok {
		fmt.Fprintf(env.stderr, "foidesk: unknown command %q (run 'foidesk help')\n", args[0])
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	if err == nil {
		return 0
	}
	fmt.Fprintf(env.stderr, "foidesk %s: %s\n", cmd.name, oneLine(err.Error()))
	var usage *usageError
	if errors.As(err, &usage) {
		return 2
	}
	return 1
}

// findCommand returns the command with the given name.
func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// oneLine folds a message onto one line so every CLI error is exactly one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

var helpCommand = command{
	name:    "help",
	usage:   "help",
	summary: "list the commands",
	run: func(ctx context.Context, env *cliEnv, args []string) error {
		printHelp(env.stdout)
		return nil
	},
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

var versionCommand = command{
	name:    "version",
	usage:   "version",
	summary: "print the version",
	run: func(ctx context.Context, env *cliEnv, args []string) error {
		if len(args) > 0 {
			return usagef("version takes no arguments")
		}
		fmt.Fprintln(env.stdout, "foidesk", version)
		return nil
	},
}

// printHelp writes the list of commands.
func printHelp(w io.Writer) {
	fmt.Fprintln(w, "foidesk: FOI case management with cross-party consultation")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: foidesk <command> [flags]")
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-60s %s\n", c.usage, c.summary)
	}
}
