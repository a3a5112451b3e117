package foi

import (
	"testing"
	"time"
)

func TestDisclosureEntry_FlagsGatePublicationAndWithdrawalLeavesATombstone(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d := DisclosureDraft{Title: " Request about J Smith ", Summary: "Call 020 7946 0018.", ReleasedText: "Figures."}
	if err := d.Validate(); err != nil || d.Title != "Request about J Smith" {
		t.Fatalf("validate: %v %q", err, d.Title)
	}
	e := DisclosureEntry{ID: 7, Reference: "DFE-FOI-2026-000001", Status: DisclosureProposed, Title: d.Title,
		Summary: d.Summary, ReleasedText: d.ReleasedText, Flags: ScanDisclosure(d, "John Smith", nil)}
	if len(e.Flags) != 2 || e.Flags[0].Kind != PDRequesterName || e.Flags[1].Kind != PDPhone || e.Flags[1].Seq != 2 {
		t.Fatalf("flags %+v", e.Flags)
	}
	if err := e.CheckPublish(); ErrorCode(err) != ECONFLICT {
		t.Fatalf("publish with open flags: %v", err)
	}
	if _, ok := e.Public(); ok {
		t.Error("a proposed entry is public")
	}
	if err := e.ResolveFlag(9, FlagConsent, "x", 1, at); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown flag: %v", err)
	}
	if err := e.ResolveFlag(2, "", "", 1, at); len(ErrorFields(err)) != 2 {
		t.Errorf("bad resolution: %v", ErrorFields(err))
	}
	if err := e.ResolveFlag(2, FlagNotPersonal, "The press office's number.", 1, at); err != nil {
		t.Fatal(err)
	}
	// The surname stays in the title after an edit; the phone number's resolution carries over.
	d.Title = "Request about Smith"
	e.Title = d.Title
	e.Flags = ScanDisclosure(d, "John Smith", e.Flags)
	if len(e.Flags) != 2 || e.Flags[1].Resolution != FlagNotPersonal || e.Flags[0].Resolution != "" {
		t.Fatalf("rescan %+v", e.Flags)
	}
	if err := e.ResolveFlag(1, FlagPublicRole, "Named as the minister.", 1, at); err != nil {
		t.Fatal(err)
	}
	if err := e.CheckPublish(); err != nil {
		t.Fatal(err)
	}
	e.Status, e.PublishedAt = DisclosurePublished, &at
	if err := e.ResolveFlag(1, FlagConsent, "x", 1, at); ErrorCode(err) != ECONFLICT {
		t.Errorf("resolve after publication: %v", err)
	}
	if p, ok := e.Public(); !ok || p.Title != d.Title || p.Withdrawn {
		t.Errorf("public %+v", p)
	}
	if err := e.Withdraw("", at); ErrorFields(err)[0].Field != "reasons" {
		t.Errorf("withdraw without reasons: %v", err)
	}
	if err := e.Withdraw("Published in error.", at); err != nil {
		t.Fatal(err)
	}
	p, ok := e.Public()
	if !ok || !p.Withdrawn || p.Title != "" || p.Summary != "" || p.Reference != e.Reference || p.WithdrawalReasons == "" {
		t.Errorf("tombstone %+v", p)
	}
	if err := e.Withdraw("again", at); ErrorCode(err) != ECONFLICT {
		t.Errorf("withdraw twice: %v", err)
	}
}
