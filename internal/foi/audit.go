package foi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// AuditEvent is one line of the append-only audit log: who did or saw what, to which record, when and from
// where. Each event carries the hash of the one before it, so changing or removing a row breaks the chain.
type AuditEvent struct {
	Seq        int64     // 1, 2, 3, ... without gaps
	At         time.Time // UTC, microsecond precision
	ActorID    int64     // 0 for the system or the command line
	ActorLabel string    // the actor's email, "system" or "cli"
	Action     string    // e.g. "user.create", "session.create", "case.read"
	RecordType string    // e.g. "user", "case"
	RecordID   string
	PartyID    int64 // the party whose record it is, 0 for instance-wide records
	IP         string
	Detail     string // JSON object with the change, or ""
	PrevHash   string // hex SHA-256 of the previous event; GenesisHash for the first
	Hash       string // hex SHA-256 of this event's fields and PrevHash
}

// GenesisHash is the PrevHash of the first event in the chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the hex SHA-256 over the event's fields (all but Hash) in a fixed, length-prefixed
// encoding, so no two different events share an encoding.
func (e *AuditEvent) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		"foidesk-audit-v1",
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.ActorLabel,
		e.Action,
		e.RecordType,
		e.RecordID,
		strconv.FormatInt(e.PartyID, 10),
		e.IP,
		e.Detail,
		e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Seal sets Seq, PrevHash and Hash so that the event follows the event with sequence prevSeq and hash
// prevHash.
func (e *AuditEvent) Seal(prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.Hash = e.ComputeHash()
}

// ChainVerifier checks audit events one by one, in sequence order, starting from the first.
type ChainVerifier struct {
	seq  int64
	hash string
	n    int64
}

// NewChainVerifier returns a verifier expecting the first event of the chain.
func NewChainVerifier() *ChainVerifier {
	return &ChainVerifier{hash: GenesisHash}
}

// Next checks that e follows the previous event: the next sequence number, the previous hash, and a hash that
// matches its fields. It returns an ECONFLICT error naming the first broken row.
func (v *ChainVerifier) Next(e AuditEvent) error {
	switch {
	case e.Seq != v.seq+1:
		return Errorf(ECONFLICT, "audit chain broken at seq %d: expected seq %d (a row was removed)", e.Seq, v.seq+1)
	case e.PrevHash != v.hash:
		return Errorf(ECONFLICT, "audit chain broken at seq %d: it does not follow seq %d (a row was changed or removed)", e.Seq, v.seq)
	case e.ComputeHash() != e.Hash:
		return Errorf(ECONFLICT, "audit chain broken at seq %d: its contents do not match its hash (the row was changed)", e.Seq)
	}
	v.seq, v.hash = e.Seq, e.Hash
	v.n++
	return nil
}

// Verified returns how many events have been checked and the last sequence number.
func (v *ChainVerifier) Verified() (count, lastSeq int64) { return v.n, v.seq }

// CheckHead checks that the chain ends where the head record says it does, which catches removal of the
// newest rows. It returns an ECONFLICT error when they disagree.
func (v *ChainVerifier) CheckHead(headSeq int64, headHash string) error {
	if headSeq != v.seq || (headSeq > 0 && headHash != v.hash) {
		return Errorf(ECONFLICT, "audit chain broken after seq %d: the log should end at seq %d (rows were removed from the end)", v.seq, headSeq)
	}
	return nil
}
