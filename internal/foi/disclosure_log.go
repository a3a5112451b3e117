package foi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"foidesk/internal/calendar"
)

// The disclosure log is the public record of responses a decision-maker chose to publish: reference, title,
// summary, date, outcome, the released text and documents; never the requester. An entry is proposed, passes
// the disclosure gate (CheckDisclosureGate, the same gate a response passes) and the personal-data check
// (CheckPersonalData) before it is published; every flag the check raises must be resolved with reasons, or
// the text edited until it no longer matches. A published entry can be withdrawn: it stays as a tombstone
// saying when and why, and the withdrawal is audited.

// DisclosureStatus is where a disclosure-log entry stands.
type DisclosureStatus string

// The entry statuses.
const (
	DisclosureProposed  DisclosureStatus = "proposed"
	DisclosurePublished DisclosureStatus = "published"
	DisclosureWithdrawn DisclosureStatus = "withdrawn"
)

// DisclosureFields are the texts of an entry the personal-data check reads, in order.
var DisclosureFields = []string{"title", "summary", "released_text"}

// Limits on an entry's texts, in characters.
const (
	MaxDisclosureTitle    = 200
	MaxDisclosureSummary  = 5000
	MaxDisclosureReleased = 200000
	MaxDisclosureReasons  = 5000
)

// FlagResolution is why a personal-data flag may stand in the published text.
type FlagResolution string

// The resolutions.
const (
	FlagNotPersonal FlagResolution = "not_personal" // not about a living individual (an office's number, a sample)
	FlagPublicRole  FlagResolution = "public_role"  // a public official named in their public role
	FlagConsent     FlagResolution = "consent"      // the person agreed to its publication
)

// FlagResolutions lists the resolutions in display order.
var FlagResolutions = []FlagResolution{FlagNotPersonal, FlagPublicRole, FlagConsent}

// DisclosureFlag is one personal-data flag on an entry and its resolution ("" while unresolved).
type DisclosureFlag struct {
	Seq int
	PersonalDataFlag
	Resolution FlagResolution
	Reasons    string
	ResolvedBy int64
	ResolvedAt *time.Time
}

// DisclosureDocument is a case document released with an entry.
type DisclosureDocument struct {
	ID          int64
	Name        string
	ContentType string
	Size        int64
	SHA256      string // set when the content is read (PublicDisclosureDocument)
}

// DisclosureEntry is one disclosure-log entry.
type DisclosureEntry struct {
	ID                int64
	CaseID            int64
	PartyID           int64
	PartyCode         string
	Reference         string
	Title             string
	Summary           string
	ReleasedText      string
	Outcome           Outcome
	RespondedOn       calendar.Date
	Documents         []DisclosureDocument
	Status            DisclosureStatus
	Flags             []DisclosureFlag
	ProposedAt        time.Time
	PublishedAt       *time.Time
	WithdrawnAt       *time.Time
	WithdrawalReasons string
	Version           int64
}

// Unresolved returns the flags still waiting for a resolution.
func (e *DisclosureEntry) Unresolved() []DisclosureFlag {
	var out []DisclosureFlag
	for _, f := range e.Flags {
		if f.Resolution == "" {
			out = append(out, f)
		}
	}
	return out
}

// DisclosureDraft is what a decision-maker proposes, or edits while an entry is proposed.
type DisclosureDraft struct {
	Title        string
	Summary      string
	ReleasedText string
	DocumentIDs  []int64 // the case's documents released with it
}

// Validate trims the texts and checks them: EINVALID naming "title" or "summary" when empty or too long,
// "released_text" when too long, "document_ids" for a duplicate.
func (d *DisclosureDraft) Validate() error {
	d.Title, d.Summary = strings.TrimSpace(d.Title), strings.TrimSpace(d.Summary)
	d.ReleasedText = strings.TrimSpace(d.ReleasedText)
	var v Validation
	v.Check(d.Title != "", "title", "Enter a title for the entry")
	v.Check(d.Summary != "", "summary", "Enter a summary of the request and the response")
	checkLength(&v, "title", d.Title, MaxDisclosureTitle)
	checkLength(&v, "summary", d.Summary, MaxDisclosureSummary)
	checkLength(&v, "released_text", d.ReleasedText, MaxDisclosureReleased)
	seen := map[int64]bool{}
	for _, id := range d.DocumentIDs {
		if seen[id] {
			v.Add("document_ids", fmt.Sprintf("Document %d is listed more than once", id))
		}
		seen[id] = true
	}
	return v.Err()
}

// Texts returns the draft's texts by field name.
func (d DisclosureDraft) Texts() map[string]string {
	return map[string]string{"title": d.Title, "summary": d.Summary, "released_text": d.ReleasedText}
}

// CheckDisclosable returns nil when a case may have a disclosure-log entry: its response was sent (responded or
// closed, with a response date) and it was not withdrawn or lapsed. Otherwise ECONFLICT saying why.
func CheckDisclosable(c *Case, respondedOn calendar.Date) error {
	if (c.Status != StatusResponded && c.Status != StatusClosed) || respondedOn.IsZero() {
		return Errorf(ECONFLICT, "Only a case whose response was sent can go on the disclosure log (this one is %s).",
			strings.ReplaceAll(string(c.Status), "_", " "))
	}
	return nil
}

// ScanDisclosure runs the personal-data check on the draft and returns the entry's flags: a flag found again
// (same field, kind and text) keeps the resolution it had in previous, new ones are unresolved, and flags whose
// text is gone are dropped. Flags are numbered from 1 in order.
func ScanDisclosure(d DisclosureDraft, requesterName string, previous []DisclosureFlag) []DisclosureFlag {
	found := CheckPersonalData(DisclosureFields, d.Texts(), requesterName)
	out := make([]DisclosureFlag, 0, len(found))
	for i, f := range found {
		df := DisclosureFlag{Seq: i + 1, PersonalDataFlag: f}
		for _, p := range previous {
			if p.Resolution != "" && p.Field == f.Field && p.Kind == f.Kind && p.Match == f.Match {
				df.Resolution, df.Reasons, df.ResolvedBy, df.ResolvedAt = p.Resolution, p.Reasons, p.ResolvedBy, p.ResolvedAt
				break
			}
		}
		out = append(out, df)
	}
	return out
}

// ResolveFlag records the resolution of flag seq by user at at. It returns ECONFLICT unless the entry is
// proposed, ENOTFOUND for an unknown flag, and EINVALID naming "resolution" (not one of FlagResolutions) or
// "reasons" (empty or too long).
func (e *DisclosureEntry) ResolveFlag(seq int, resolution FlagResolution, reasons string, user int64, at time.Time) error {
	if e.Status != DisclosureProposed {
		return Errorf(ECONFLICT, "The entry is %s: its flags can no longer change.", e.Status)
	}
	i := slices.IndexFunc(e.Flags, func(f DisclosureFlag) bool { return f.Seq == seq })
	if i < 0 {
		return Errorf(ENOTFOUND, "The entry has no flag %d.", seq)
	}
	reasons = strings.TrimSpace(reasons)
	var v Validation
	v.Check(slices.Contains(FlagResolutions, resolution), "resolution",
		"Select why it may be published: not personal data, a public official in their public role, or consent")
	v.Check(reasons != "", "reasons", "Give the reasons it may be published")
	checkLength(&v, "reasons", reasons, MaxDisclosureReasons)
	if err := v.Err(); err != nil {
		return err
	}
	f := &e.Flags[i]
	f.Resolution, f.Reasons, f.ResolvedBy, f.ResolvedAt = resolution, reasons, user, &at
	return nil
}

// CheckPublish returns nil when a proposed entry may be published as far as its own state goes: it is
// proposed and every flag is resolved. Otherwise ECONFLICT, with Detail["unresolved_flags"] (the flags' seq
// numbers) when flags wait. The store also passes the disclosure gate in the same transaction.
func (e *DisclosureEntry) CheckPublish() error {
	if e.Status != DisclosureProposed {
		return Errorf(ECONFLICT, "Only a proposed entry can be published; this one is %s.", e.Status)
	}
	if open := e.Unresolved(); len(open) > 0 {
		seqs := make([]int, len(open))
		for i, f := range open {
			seqs[i] = f.Seq
		}
		return &Error{Code: ECONFLICT, Message: fmt.Sprintf("Resolve the %d personal-data flags first: remove the text or "+
			"record why it may be published.", len(open)), Detail: map[string]any{"unresolved_flags": seqs}}
	}
	return nil
}

// Withdraw takes a published entry off the log at at, leaving a tombstone with the reasons. It returns
// ECONFLICT unless the entry is published and EINVALID naming "reasons" when they are empty or too long.
func (e *DisclosureEntry) Withdraw(reasons string, at time.Time) error {
	if e.Status != DisclosurePublished {
		return Errorf(ECONFLICT, "Only a published entry can be withdrawn; this one is %s.", e.Status)
	}
	reasons = strings.TrimSpace(reasons)
	var v Validation
	v.Check(reasons != "", "reasons", "Give the reasons the entry is withdrawn")
	checkLength(&v, "reasons", reasons, MaxDisclosureReasons)
	if err := v.Err(); err != nil {
		return err
	}
	e.Status, e.WithdrawnAt, e.WithdrawalReasons = DisclosureWithdrawn, &at, reasons
	return nil
}

// CanManageDisclosureLog returns nil when actor may propose, edit, resolve, publish and withdraw the entries of
// the party with id partyID: its decision-makers (and the command line). Others of the party get EFORBIDDEN,
// everyone else ENOTFOUND.
func CanManageDisclosureLog(a Actor, partyID int64) error {
	return CanActor(a, ActionDecideCase, Scope{OwnerPartyID: partyID})
}

// PublicDisclosure is an entry as the public sees it: a published entry in full, a withdrawn one as a
// tombstone (reference, dates and the reasons only). Proposed entries are never public.
type PublicDisclosure struct {
	ID                int64
	PartyCode         string
	Reference         string
	Title             string
	Summary           string
	ReleasedText      string
	Outcome           Outcome
	RespondedOn       calendar.Date
	Documents         []DisclosureDocument
	PublishedAt       time.Time
	Withdrawn         bool
	WithdrawnAt       *time.Time
	WithdrawalReasons string
}

// Public returns the entry as the public sees it and false when it is not public (proposed).
func (e *DisclosureEntry) Public() (PublicDisclosure, bool) {
	if e.Status == DisclosureProposed || e.PublishedAt == nil {
		return PublicDisclosure{}, false
	}
	p := PublicDisclosure{ID: e.ID, PartyCode: e.PartyCode, Reference: e.Reference, PublishedAt: *e.PublishedAt,
		RespondedOn: e.RespondedOn}
	if e.Status == DisclosureWithdrawn {
		p.Withdrawn, p.WithdrawnAt, p.WithdrawalReasons = true, e.WithdrawnAt, e.WithdrawalReasons
		return p, true
	}
	p.Title, p.Summary, p.ReleasedText, p.Outcome, p.Documents = e.Title, e.Summary, e.ReleasedText, e.Outcome, e.Documents
	return p, true
}

// DisclosureLogService runs the disclosure log.
type DisclosureLogService interface {
	// ProposeDisclosure proposes case caseID's response for the log, runs the personal-data check and returns
	// the entry with its flags. ENOTFOUND for an unknown case or one the caller may not see; EFORBIDDEN unless a
	// decision-maker of the case's party; ECONFLICT when the response was not sent, the case already has a live
	// entry, or the disclosure gate blocks (Detail["blockers"]); EINVALID for a bad draft or a document that is
	// not the case's ("document_ids").
	ProposeDisclosure(ctx context.Context, caseID int64, d DisclosureDraft) (DisclosureEntry, error)
	// EditDisclosure replaces a proposed entry's texts and documents and checks them again (ifVersion 0: any).
	EditDisclosure(ctx context.Context, id, ifVersion int64, d DisclosureDraft) (DisclosureEntry, error)
	// ResolveDisclosureFlag records why flag seq may be published (see DisclosureEntry.ResolveFlag).
	ResolveDisclosureFlag(ctx context.Context, id int64, seq int, resolution FlagResolution, reasons string) (DisclosureEntry, error)
	// PublishDisclosure publishes a proposed entry once every flag is resolved and the disclosure gate passes.
	PublishDisclosure(ctx context.Context, id int64) (DisclosureEntry, error)
	// WithdrawDisclosure withdraws a published entry with reasons, leaving an audited tombstone.
	WithdrawDisclosure(ctx context.Context, id int64, reasons string) (DisclosureEntry, error)
	// DisclosureEntry returns one entry, with its flags, to a decision-maker of its party.
	DisclosureEntry(ctx context.Context, id int64) (DisclosureEntry, error)
	// DisclosureEntries returns the caller's party's entries, newest first, every status.
	DisclosureEntries(ctx context.Context) ([]DisclosureEntry, error)
	// PublicDisclosures returns the public log, newest publication first (at most limit; 0 means 100), with
	// tombstones; anyone may read it, signed in or not.
	PublicDisclosures(ctx context.Context, limit int) ([]PublicDisclosure, error)
	// PublicDisclosure returns one public entry; ENOTFOUND when there is none or it is only proposed.
	PublicDisclosure(ctx context.Context, id int64) (PublicDisclosure, error)
	// PublicDisclosureDocument returns a document released with a published entry, and its content, for
	// anyone; ENOTFOUND unless the entry is published (not withdrawn) and released that document.
	PublicDisclosureDocument(ctx context.Context, entryID, documentID int64) (DisclosureDocument, []byte, error)
}
