package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
)

var registerCommand = command{
	name: "register",
	usage: "register list | show agreement|exchange|asset|contact KEY | add-party | rename-party | add-contact | " +
		"add-asset | add-exchange | add-version | set-status ... --as EMAIL",
	summary: "read and change the registers (parties, contacts, agreements, exchanges, assets); changes run as the admin --as names",
	run:     runRegister,
}

// registerActions are the register subcommands that change something, each run as the admin --as names.
var registerActions = map[string]func(ctx context.Context, env *cliEnv, args []string) error{
	"add-party":    registerAddParty,
	"rename-party": registerRenameParty,
	"add-contact":  registerAddContact,
	"add-asset":    registerAddAsset,
	"add-exchange": registerAddExchange,
	"add-version":  registerAddVersion,
	"set-status":   registerSetStatus,
}

func runRegister(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usagef("say what to do: register list, show, add-party, rename-party, add-contact, add-asset, add-exchange, add-version or set-status")
	}
	switch args[0] {
	case "list":
		return registerList(ctx, env, args[1:])
	case "show":
		return registerShow(ctx, env, args[1:])
	}
	if run, ok := registerActions[args[0]]; ok {
		return run(ctx, env, args[1:])
	}
	return usagef("unknown register action %q (want list, show, add-party, rename-party, add-contact, add-asset, add-exchange, add-version or set-status)", args[0])
}

// registerError turns the service's answer to bad input (invalid, unknown, duplicate, or an --as user who may
// not change the registers) into a usage error; other errors pass through.
func registerError(err error) error {
	if foi.ErrorCode(err) == foi.EFORBIDDEN {
		return usagef("%s", foi.ErrorMessage(err))
	}
	return domainError(err)
}

// registerWrite parses a write's flags (with --as and --db), opens the database and runs write as the admin
// --as names: the same service methods, permission checks and audit as the API.
func registerWrite(ctx context.Context, env *cliEnv, fs *flag.FlagSet, args []string,
	write func(ctx context.Context, d *store.DB) error) error {
	dsn := dbFlag(fs, env)
	as := fs.String("as", "", "email of the admin the change is recorded as made by")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*as) == "" {
		return usagef("--as is required: name the admin the change is recorded as made by")
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	u, err := d.UserByEmail(cliContext(ctx), *as)
	if err != nil {
		return registerError(err)
	}
	return registerError(write(foi.WithActor(ctx, foi.Actor{User: u, Label: foi.ActorCLI}), d))
}

// dateFlag parses a YYYY-MM-DD flag value; "" is the zero date.
func dateFlag(name, value string) (calendar.Date, error) {
	if value == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(value)
	if err != nil {
		return d, usagef("--%s must be a date, like 2026-03-31", name)
	}
	return d, nil
}

func registerAddParty(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("register add-party")
	code := fs.String("code", "", "2 to 10 letters or digits, starting with a letter, like DWP: it starts the party's case references and never changes")
	name := fs.String("name", "", "the party's name, like Department for Work and Pensions")
	return registerWrite(ctx, env, fs, args, func(ctx context.Context, d *store.DB) error {
		p, err := d.CreateParty(ctx, foi.NewParty{Code: *code, Name: *name})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "Added party %s: %s\n", p.Code, p.Name)
		return nil
	})
}

func registerRenameParty(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("register rename-party")
	code := fs.String("code", "", "the party's code, like DWP")
	name := fs.String("name", "", "the party's new name")
	return registerWrite(ctx, env, fs, args, func(ctx context.Context, d *store.DB) error {
		p, err := d.RenameParty(ctx, *code, *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "Party %s is now %s\n", p.Code, p.Name)
		return nil
	})
}

func registerAddContact(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("register add-contact")
	party := fs.String("party", "", "the party's code, like HO")
	name := fs.String("name", "", "the contact's name")
	email := fs.String("email", "", "the contact's email address")
	tier := fs.String("tier", "bau", "bau or escalation")
	resp := fs.String("responsibilities", "foi", "comma-separated: foi, security-incidents, legal, complaints, data-exchange, change-control")
	inactive := fs.Bool("inactive", false, "record the contact as inactive")
	return registerWrite(ctx, env, fs, args, func(ctx context.Context, d *store.DB) error {
		var rs []foi.Responsibility
		for _, r := range strings.Split(*resp, ",") {
			if r = strings.TrimSpace(r); r != "" {
				rs = append(rs, foi.Responsibility(r))
			}
		}
		c, err := d.CreateContact(ctx, foi.NewContact{PartyCode: *party, Contact: foi.Contact{Name: *name, Email: *email,
			Tier: foi.Tier(*tier), Responsibilities: rs, Active: !*inactive}})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "Added contact %d: %s <%s> (%s, %s)\n", c.ID, c.Name, c.Email, c.PartyCode, c.Tier)
		return nil
	})
}

func registerAddAsset(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("register add-asset")
	code := fs.String("code", "", "lower-case words joined by hyphens, like npd-pupil-matches")
	name := fs.String("name", "", "the asset's name")
	provider := fs.String("provider", "", "the code of the party that provides it")
	exchange := fs.String("exchange", "", "the reference of the exchange it is provided under")
	description := fs.String("description", "", "what it holds")
	aliases := fs.String("aliases", "", "other names that spot it in request text, separated by ';'")
	return registerWrite(ctx, env, fs, args, func(ctx context.Context, d *store.DB) error {
		a, err := d.CreateAsset(ctx, foi.NewAsset{Code: *code, Name: *name, ProviderPartyCode: *provider,
			ExchangeReference: *exchange, Description: *description, Aliases: strings.Split(*aliases, ";")})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "Added asset %s: %s (%s, under %s)\n", a.Code, a.Name, a.ProviderPartyCode, a.ExchangeReference)
		return nil
	})
}

func registerAddExchange(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("register add-exchange")
	agreement := fs.String("agreement", "", "the code of the agreement it is made under")
	reference := fs.String("reference", "", "upper-case words or numbers joined by hyphens, like MOU-A5-DFE-HO")
	title := fs.String("title", "", "what flows")
	provider := fs.String("provider", "", "the code of the providing party")
	recipient := fs.String("recipient", "", "the code of the receiving party")
	legalBasis := fs.String("legal-basis", "", "the legal basis for the exchange")
	owner := fs.String("owner", "", "the business owner")
	start := fs.String("start", "", "the date it started, YYYY-MM-DD")
	review := fs.String("review", "", "the next review, YYYY-MM-DD: at most 6 months after the start or last review")
	reviewed := fs.String("reviewed", "", "the last review, YYYY-MM-DD (optional)")
	return registerWrite(ctx, env, fs, args, func(ctx context.Context, d *store.DB) error {
		in := foi.NewExchange{AgreementCode: *agreement, Reference: *reference, Title: *title,
			ProviderPartyCode: *provider, RecipientPartyCode: *recipient, LegalBasis: *legalBasis, BusinessOwner: *owner}
		var err error
		for _, f := range []struct {
			name, value string
			out         *calendar.Date
		}{{"start", *start, &in.StartOn}, {"review", *review, &in.ReviewOn}, {"reviewed", *reviewed, &in.ReviewedOn}} {
			if *f.out, err = dateFlag(f.name, f.value); err != nil {
				return err
			}
		}
		x, err := d.CreateExchange(ctx, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "Added exchange %s: %s to %s under %s, next review %s\n", x.Reference,
			x.ProviderPartyCode, x.RecipientPartyCode, x.AgreementCode, x.ReviewOn)
		return nil
	})
}

func registerAddVersion(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("register add-version")
	agreement := fs.String("agreement", "", "the agreement's code, like DFE-HO-MOU")
	version := fs.String("version", "", "the version, like 1.3")
	issued := fs.String("issued", "", "the date it was issued, YYYY-MM-DD")
	summary := fs.String("summary", "", "what changed")
	return registerWrite(ctx, env, fs, args, func(ctx context.Context, d *store.DB) error {
		on, err := dateFlag("issued", *issued)
		if err != nil {
			return err
		}
		a, err := d.AddAgreementVersion(ctx, *agreement, foi.AgreementVersion{Version: *version, IssuedOn: on, Summary: *summary})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "Added version %s to %s (%d versions)\n", strings.TrimSpace(*version), a.Code, len(a.Versions))
		return nil
	})
}

func registerSetStatus(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("register set-status")
	agreement := fs.String("agreement", "", "the agreement's code, like DFE-HO-MOU")
	status := fs.String("status", "", "draft, active, under_review or terminated")
	reviewOn := fs.String("review-on", "", "the next review date, YYYY-MM-DD")
	return registerWrite(ctx, env, fs, args, func(ctx context.Context, d *store.DB) error {
		ch := foi.AgreementChange{Status: foi.AgreementStatus(*status)}
		if *reviewOn != "" {
			on, err := dateFlag("review-on", *reviewOn)
			if err != nil {
				return err
			}
			ch.ReviewOn = &on
		}
		if ch.Status == "" && ch.ReviewOn == nil {
			return usagef("give --status, --review-on or both")
		}
		a, err := d.UpdateAgreement(ctx, *agreement, ch)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s is %s, next review %s\n", a.Code, a.Status, dateOrDash(a.ReviewOn))
		return nil
	})
}

// dateOrDash prints a date, or "-" for none.
func dateOrDash(d calendar.Date) string {
	if d.IsZero() {
		return "-"
	}
	return d.String()
}

// registerRead parses a read's flags (with --db), opens the database and runs read as the command line.
func registerRead(ctx context.Context, env *cliEnv, fs *flag.FlagSet, args []string,
	read func(ctx context.Context, d *store.DB) error) error {
	dsn := dbFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	return registerError(read(cliContext(ctx), d))
}

func registerList(ctx context.Context, env *cliEnv, args []string) error {
	return registerRead(ctx, env, newFlags("register list"), args, func(ctx context.Context, d *store.DB) error {
		r, err := d.Registers(ctx)
		if err != nil {
			return err
		}
		w := env.stdout
		fmt.Fprintln(w, "Parties")
		for _, p := range r.Parties {
			fmt.Fprintf(w, "  %s\t%s\n", p.Code, p.Name)
		}
		fmt.Fprintln(w, "Agreements")
		for _, a := range r.Agreements {
			fmt.Fprintf(w, "  %s\t%s\t%s\treview %s\t%d versions\n", a.Code, a.Status, a.Title, dateOrDash(a.ReviewOn), len(a.Versions))
		}
		fmt.Fprintln(w, "Exchanges")
		for _, x := range r.Exchanges {
			fmt.Fprintf(w, "  %s\t%s to %s\t%s\treview %s\n", x.Reference, r.PartyCode(x.ProviderPartyID),
				r.PartyCode(x.RecipientPartyID), x.Title, dateOrDash(x.ReviewOn))
		}
		fmt.Fprintln(w, "Assets")
		for _, a := range r.Assets {
			fmt.Fprintf(w, "  %s\t%s\t%s\n", a.Code, r.PartyCode(a.ProviderPartyID), a.Name)
		}
		fmt.Fprintln(w, "Contacts")
		for _, c := range r.Contacts {
			fmt.Fprintf(w, "  %d\t%s\t%s\t%s\t%s\t%s\n", c.ID, r.PartyCode(c.PartyID), c.Tier, c.Email,
				joinResp(c.Responsibilities), activeWord(c.Active))
		}
		return nil
	})
}

func joinResp(rs []foi.Responsibility) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return strings.Join(out, ",")
}

func activeWord(active bool) string {
	if active {
		return "active"
	}
	return "inactive"
}

func registerShow(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) < 2 || strings.HasPrefix(args[1], "-") {
		return usagef("say what to show: register show agreement CODE | exchange REF | asset CODE | contact ID")
	}
	kind, key := args[0], args[1]
	show, ok := map[string]func(ctx context.Context, d *store.DB, w io.Writer, key string) error{
		"agreement": showAgreement, "exchange": showExchange, "asset": showAsset, "contact": showContact}[kind]
	if !ok {
		return usagef("unknown register entry %q (want agreement, exchange, asset or contact)", kind)
	}
	return registerRead(ctx, env, newFlags("register show"), args[2:], func(ctx context.Context, d *store.DB) error {
		return show(ctx, d, env.stdout, key)
	})
}

func showAgreement(ctx context.Context, d *store.DB, w io.Writer, code string) error {
	a, err := d.FindAgreement(ctx, code)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s\nstatus: %s\nreview: %s\n", a.Code, a.Title, a.Status, dateOrDash(a.ReviewOn))
	for _, v := range a.Versions {
		fmt.Fprintf(w, "version %s\t%s\t%s\n", v.Version, v.IssuedOn, v.Summary)
	}
	for _, x := range a.Exchanges {
		fmt.Fprintf(w, "exchange %s\t%s to %s\t%s\treview %s\n", x.Reference, x.ProviderPartyCode,
			x.RecipientPartyCode, x.Title, dateOrDash(x.ReviewOn))
	}
	return nil
}

func showExchange(ctx context.Context, d *store.DB, w io.Writer, ref string) error {
	x, err := d.FindExchange(ctx, ref)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s\nagreement: %s\nprovider: %s\nrecipient: %s\nlegal basis: %s\nbusiness owner: %s\n"+
		"start: %s\nlast review: %s\nnext review: %s\n", x.Reference, x.Title, x.AgreementCode, x.ProviderPartyCode,
		x.RecipientPartyCode, x.LegalBasis, x.BusinessOwner, x.StartOn, dateOrDash(x.ReviewedOn), dateOrDash(x.ReviewOn))
	return nil
}

func showAsset(ctx context.Context, d *store.DB, w io.Writer, code string) error {
	a, err := d.FindAsset(ctx, code)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s\nprovider: %s\nexchange: %s\ndescription: %s\naliases: %s\n", a.Code, a.Name,
		a.ProviderPartyCode, a.ExchangeReference, a.Description, strings.Join(a.Aliases, "; "))
	return nil
}

func showContact(ctx context.Context, d *store.DB, w io.Writer, key string) error {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil || id <= 0 {
		return usagef("a contact is shown by its number, like 3")
	}
	c, err := d.FindContact(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d: %s <%s>\nparty: %s\ntier: %s\nresponsibilities: %s\n%s\n", c.ID, c.Name, c.Email,
		c.PartyCode, c.Tier, joinResp(c.Responsibilities), activeWord(c.Active))
	return nil
}
