package foi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
)

var auditT0 = time.Date(2025, 3, 4, 9, 30, 15, 123456000, time.UTC)

// sealedChain returns n events sealed into a chain starting at the genesis hash.
func sealedChain(n int) []foi.AuditEvent {
	events := make([]foi.AuditEvent, n)
	seq, hash := int64(0), foi.GenesisHash
	for i := range events {
		e := &events[i]
		*e = foi.AuditEvent{
			At:         auditT0.Add(time.Duration(i) * time.Second),
			ActorID:    int64(10 + i),
			ActorLabel: fmt.Sprintf("user%d@example.gov.uk", i),
			Action:     "case.read",
			RecordType: "case",
			RecordID:   fmt.Sprint(100 + i),
			PartyID:    1,
			IP:         "192.0.2.1",
			Detail:     fmt.Sprintf(`{"n":%d}`, i),
		}
		e.Seal(seq, hash)
		seq, hash = e.Seq, e.Hash
	}
	return events
}

// verifyChain feeds events to a fresh verifier and returns the first error, or the CheckHead error against
// the given head.
func verifyChain(events []foi.AuditEvent, headSeq int64, headHash string) error {
	v := foi.NewChainVerifier()
	for _, e := range events {
		if err := v.Next(e); err != nil {
			return err
		}
	}
	return v.CheckHead(headSeq, headHash)
}

// wantBrokenAt checks err is an ECONFLICT whose message names "seq N".
func wantBrokenAt(t *testing.T, err error, seq int64) {
	t.Helper()
	if err == nil {
		t.Fatalf("tampering not detected; want an error naming seq %d", seq)
	}
	if foi.ErrorCode(err) != foi.ECONFLICT {
		t.Fatalf("error code = %q (%v), want %q", foi.ErrorCode(err), err, foi.ECONFLICT)
	}
	if want := fmt.Sprintf("seq %d", seq); !strings.Contains(err.Error(), want+":") && !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("error %q does not name %q", err, want)
	}
}

func TestAuditChain_SealedEventsVerify(t *testing.T) {
	events := sealedChain(5)
	if events[0].Seq != 1 || events[0].PrevHash != foi.GenesisHash {
		t.Fatalf("first event: seq %d, prev %s; want seq 1 after the genesis hash", events[0].Seq, events[0].PrevHash)
	}
	for i, e := range events {
		if e.Seq != int64(i+1) {
			t.Errorf("event %d has seq %d", i, e.Seq)
		}
		if i > 0 && e.PrevHash != events[i-1].Hash {
			t.Errorf("seq %d does not point at seq %d", e.Seq, events[i-1].Seq)
		}
		if len(e.Hash) != 64 || e.Hash != e.ComputeHash() {
			t.Errorf("seq %d: hash %q is not its computed hex SHA-256", e.Seq, e.Hash)
		}
	}
	v := foi.NewChainVerifier()
	for _, e := range events {
		if err := v.Next(e); err != nil {
			t.Fatalf("intact chain: %v", err)
		}
	}
	if n, last := v.Verified(); n != 5 || last != 5 {
		t.Fatalf("Verified() = %d, %d; want 5, 5", n, last)
	}
	if err := v.CheckHead(5, events[4].Hash); err != nil {
		t.Fatalf("CheckHead at the real head: %v", err)
	}
}

func TestAuditChain_EmptyChainMatchesTheInitialHead(t *testing.T) {
	v := foi.NewChainVerifier()
	if err := v.CheckHead(0, foi.GenesisHash); err != nil {
		t.Fatalf("empty chain, initial head: %v", err)
	}
	if n, last := v.Verified(); n != 0 || last != 0 {
		t.Fatalf("Verified() = %d, %d; want 0, 0", n, last)
	}
	if err := v.CheckHead(1, strings.Repeat("a", 64)); foi.ErrorCode(err) != foi.ECONFLICT {
		t.Fatalf("empty chain but the head says seq 1: %v", err)
	}
}

func TestAuditChain_ChangedFieldIsCaughtAtItsSeq(t *testing.T) {
	for name, tamper := range map[string]func(e *foi.AuditEvent){
		"at":          func(e *foi.AuditEvent) { e.At = e.At.Add(-time.Hour) },
		"actor id":    func(e *foi.AuditEvent) { e.ActorID = 0 },
		"actor label": func(e *foi.AuditEvent) { e.ActorLabel = "x" },
		"action":      func(e *foi.AuditEvent) { e.Action = "case.update" },
		"record type": func(e *foi.AuditEvent) { e.RecordType = "user" },
		"record id":   func(e *foi.AuditEvent) { e.RecordID = "999" },
		"party id":    func(e *foi.AuditEvent) { e.PartyID = 2 },
		"ip":          func(e *foi.AuditEvent) { e.IP = "198.51.100.7" },
		"detail":      func(e *foi.AuditEvent) { e.Detail = "" },
		"hash":        func(e *foi.AuditEvent) { e.Hash = strings.Repeat("0", 64) },
	} {
		t.Run(name, func(t *testing.T) {
			events := sealedChain(5)
			tamper(&events[2])
			wantBrokenAt(t, verifyChain(events, 5, events[4].Hash), 3)
		})
	}
}

func TestAuditChain_ChangedRowWithRecomputedHashIsCaughtAtTheNextSeq(t *testing.T) {
	events := sealedChain(5)
	events[2].ActorLabel = "x"
	events[2].Hash = events[2].ComputeHash() // a forger who knows the encoding
	err := verifyChain(events, 5, events[4].Hash)
	wantBrokenAt(t, err, 4)
	if !strings.Contains(err.Error(), "does not follow seq 3") {
		t.Fatalf("error %q should say seq 4 does not follow seq 3", err)
	}
}

func TestAuditChain_ChangedPrevHashIsCaught(t *testing.T) {
	events := sealedChain(5)
	events[3].PrevHash = strings.Repeat("f", 64)
	wantBrokenAt(t, verifyChain(events, 5, events[4].Hash), 4)
}

func TestAuditChain_RemovedMiddleRowIsCaught(t *testing.T) {
	events := sealedChain(5)
	events = append(events[:2:2], events[3:]...) // drop seq 3
	err := verifyChain(events, 5, events[3].Hash)
	wantBrokenAt(t, err, 4)
	if !strings.Contains(err.Error(), "expected seq 3") {
		t.Fatalf("error %q should say seq 3 was expected", err)
	}
}

func TestAuditChain_RemovedMiddleRowWithRenumberingIsCaught(t *testing.T) {
	events := sealedChain(5)
	events = append(events[:2:2], events[3:]...) // drop seq 3, then renumber 4, 5 as 3, 4
	for i := 2; i < len(events); i++ {
		events[i].Seq = int64(i + 1)
	}
	wantBrokenAt(t, verifyChain(events, 4, events[3].Hash), 3)
}

func TestAuditChain_ReorderedRowsAreCaught(t *testing.T) {
	events := sealedChain(5)
	events[2], events[3] = events[3], events[2]
	wantBrokenAt(t, verifyChain(events, 5, events[4].Hash), 4)

	// Swapping the sequence numbers too, so the order looks right, still breaks the links.
	events = sealedChain(5)
	events[2], events[3] = events[3], events[2]
	events[2].Seq, events[3].Seq = 3, 4
	wantBrokenAt(t, verifyChain(events, 5, events[4].Hash), 3)
}

func TestAuditChain_RemovedTailIsCaughtByCheckHead(t *testing.T) {
	events := sealedChain(5)
	head := events[4]
	v := foi.NewChainVerifier()
	for _, e := range events[:3] { // seq 4 and 5 removed
		if err := v.Next(e); err != nil {
			t.Fatalf("the remaining rows are intact but: %v", err)
		}
	}
	err := v.CheckHead(head.Seq, head.Hash)
	wantBrokenAt(t, err, 3)
	if !strings.Contains(err.Error(), "end at seq 5") {
		t.Fatalf("error %q should say the log should end at seq 5", err)
	}
}

func TestAuditChain_HeadWithTheRightSeqButAnotherHashIsCaught(t *testing.T) {
	events := sealedChain(3)
	err := verifyChain(events, 3, strings.Repeat("e", 64))
	wantBrokenAt(t, err, 3)
}

func TestAuditChain_HeadBehindTheRowsIsCaught(t *testing.T) {
	events := sealedChain(4)
	// Rows were appended without advancing the head (or the head was rolled back).
	wantBrokenAt(t, verifyChain(events, 3, events[2].Hash), 4)
	// A head reset to the initial state while rows remain.
	wantBrokenAt(t, verifyChain(events, 0, foi.GenesisHash), 4)
}

func TestAuditChain_SealFollowsTheGivenHead(t *testing.T) {
	e := foi.AuditEvent{At: auditT0, ActorLabel: "cli", Action: "user.create", RecordType: "user", RecordID: "1"}
	prev := strings.Repeat("ab", 32)
	e.Seal(41, prev)
	if e.Seq != 42 || e.PrevHash != prev || e.Hash != e.ComputeHash() {
		t.Fatalf("Seal(41, prev) gave seq %d, prev %q, hash %q", e.Seq, e.PrevHash, e.Hash)
	}
}

func TestComputeHash_ChangesWhenAnySingleFieldChanges(t *testing.T) {
	base := sealedChain(2)[1]
	fields := map[string]func(e *foi.AuditEvent){
		"Seq":        func(e *foi.AuditEvent) { e.Seq++ },
		"At":         func(e *foi.AuditEvent) { e.At = e.At.Add(time.Microsecond) },
		"ActorID":    func(e *foi.AuditEvent) { e.ActorID++ },
		"ActorLabel": func(e *foi.AuditEvent) { e.ActorLabel += "x" },
		"Action":     func(e *foi.AuditEvent) { e.Action += "x" },
		"RecordType": func(e *foi.AuditEvent) { e.RecordType += "x" },
		"RecordID":   func(e *foi.AuditEvent) { e.RecordID += "0" },
		"PartyID":    func(e *foi.AuditEvent) { e.PartyID++ },
		"IP":         func(e *foi.AuditEvent) { e.IP = "192.0.2.2" },
		"Detail":     func(e *foi.AuditEvent) { e.Detail = `{"n":2}` },
		"PrevHash":   func(e *foi.AuditEvent) { e.PrevHash = foi.GenesisHash },
	}
	want := base.ComputeHash()
	seen := map[string]string{want: "unchanged"}
	for name, change := range fields {
		e := base
		change(&e)
		got := e.ComputeHash()
		if got == want {
			t.Errorf("changing %s does not change the hash", name)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("changing %s gives the same hash as changing %s", name, other)
		}
		seen[got] = name
	}
	// Hash itself is not hashed, and the same instant in another zone is the same event.
	e := base
	e.Hash = "anything"
	e.At = base.At.In(time.FixedZone("BST", 3600))
	if got := e.ComputeHash(); got != want {
		t.Errorf("Hash or At's zone changed the hash: %s, want %s", got, want)
	}
}

func TestComputeHash_EncodingIsUnambiguous(t *testing.T) {
	// Each pair concatenates to the same bytes without length prefixes (and, for the last pairs, with a
	// naive separator), so only an unambiguous encoding tells them apart.
	pairs := []struct {
		name string
		a, b func(e *foi.AuditEvent)
	}{
		{"label/action boundary",
			func(e *foi.AuditEvent) { e.ActorLabel, e.Action = "ab", "c" },
			func(e *foi.AuditEvent) { e.ActorLabel, e.Action = "a", "bc" }},
		{"record type/id boundary",
			func(e *foi.AuditEvent) { e.RecordType, e.RecordID = "case1", "2" },
			func(e *foi.AuditEvent) { e.RecordType, e.RecordID = "case", "12" }},
		{"ip/detail boundary",
			func(e *foi.AuditEvent) { e.IP, e.Detail = "192.0.2.1", "" },
			func(e *foi.AuditEvent) { e.IP, e.Detail = "192.0.2.", "1" }},
		{"number/string boundary",
			func(e *foi.AuditEvent) { e.ActorID, e.ActorLabel = 12, "3x" },
			func(e *foi.AuditEvent) { e.ActorID, e.ActorLabel = 1, "23x" }},
		{"separator inside a field",
			func(e *foi.AuditEvent) { e.ActorLabel, e.Action = "a;", "b" },
			func(e *foi.AuditEvent) { e.ActorLabel, e.Action = "a", ";b" }},
		{"separator-joined fields",
			func(e *foi.AuditEvent) { e.ActorLabel, e.Action = "a;b", "c" },
			func(e *foi.AuditEvent) { e.ActorLabel, e.Action = "a", "b;c" }},
		{"length-prefix lookalike inside a field",
			func(e *foi.AuditEvent) { e.ActorLabel, e.Action = "1:a;", "" },
			func(e *foi.AuditEvent) { e.ActorLabel, e.Action = "", "1:a;" }},
	}
	naive := func(e foi.AuditEvent, sep string) string {
		return strings.Join([]string{fmt.Sprint(e.Seq), e.At.UTC().Format(time.RFC3339Nano), fmt.Sprint(e.ActorID),
			e.ActorLabel, e.Action, e.RecordType, e.RecordID, fmt.Sprint(e.PartyID), e.IP, e.Detail, e.PrevHash}, sep)
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			a, b := sealedChain(1)[0], sealedChain(1)[0]
			p.a(&a)
			p.b(&b)
			if naive(a, "") != naive(b, "") && naive(a, ";") != naive(b, ";") {
				t.Fatalf("bad test: the pair collides neither under concatenation nor when joined with ';'")
			}
			if a.ComputeHash() == b.ComputeHash() {
				t.Fatalf("two different events share a hash: %+v and %+v", a, b)
			}
		})
	}
}

// TestComputeHash_KnownAnswer pins the encoding: changing it would break the chain of every deployed
// database, so it must be a deliberate, versioned change.
func TestComputeHash_KnownAnswer(t *testing.T) {
	e := foi.AuditEvent{Seq: 1, At: time.Date(2025, 1, 2, 3, 4, 5, 600000000, time.UTC), ActorID: 0,
		ActorLabel: "cli", Action: "user.create", RecordType: "user", RecordID: "1", PartyID: 2, IP: "",
		Detail: `{"email":"a@b.uk"}`, PrevHash: foi.GenesisHash}
	var b strings.Builder
	for _, f := range []string{"foidesk-audit-v1", "1", "2025-01-02T03:04:05.6Z", "0", "cli", "user.create", "user",
		"1", "2", "", `{"email":"a@b.uk"}`, foi.GenesisHash} {
		fmt.Fprintf(&b, "%d:%s;", len(f), f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	if got, want := e.ComputeHash(), hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("ComputeHash = %s, want %s (the v1 encoding changed)", got, want)
	}
}
