package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// audit records an event to be appended, hash-chained, when the transaction commits. detail, when not nil,
// is stored as JSON; a map detail (or none) also records the page or endpoint the actor acted through (Via).
func (tx *Tx) audit(action, recordType string, recordID int64, partyID int64, detail any) {
	if via := tx.actor.Via; via != "" {
		switch d := detail.(type) {
		case nil:
			detail = map[string]any{"via": via}
		case map[string]any:
			withVia := maps.Clone(d)
			withVia["via"] = via
			detail = withVia
		}
	}
	var text string
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			b = []byte(fmt.Sprintf(`{"error":%q}`, err.Error()))
		}
		text = string(b)
	}
	tx.pending = append(tx.pending, foi.AuditEvent{
		At:         tx.now,
		ActorID:    tx.actor.AuditID(),
		ActorLabel: tx.actor.AuditLabel(),
		Action:     action,
		RecordType: recordType,
		RecordID:   strconv.FormatInt(recordID, 10),
		PartyID:    partyID,
		IP:         tx.actor.IP,
		Detail:     text,
	})
}

// flushAudit appends the pending events to the chain. Advancing the head first takes its row lock, so
// concurrent transactions append one after the other and the chain never forks.
func (tx *Tx) flushAudit(ctx context.Context) error {
	if len(tx.pending) == 0 {
		return nil
	}
	head, err := tx.AuditHeadAdvance(ctx, int64(len(tx.pending)))
	if err != nil {
		return err
	}
	seq, hash := head.PrevSeq, head.PrevHash
	for i := range tx.pending {
		e := &tx.pending[i]
		e.Seal(seq, hash)
		seq, hash = e.Seq, e.Hash
	}
	err = tx.insertAuditEvents(ctx, tx.pending, hash)
	tx.pending = nil
	return err
}

// AuditReport is the result of verifying the audit chain (see foi.AuditReport).
type AuditReport = foi.AuditReport

// VerifyAudit walks the whole audit chain in order and checks every link and hash, and that the chain ends
// where the head says. It returns an ECONFLICT error naming the first broken row.
func (d *DB) VerifyAudit(ctx context.Context) (AuditReport, error) {
	v := foi.NewChainVerifier()
	q := db.New(d.read)
	const page = 5000
	var after int64
	for {
		rows, err := q.AuditListAfter(ctx, db.AuditListAfterParams{AfterSeq: after, MaxRows: page})
		if err != nil {
			return AuditReport{}, d.internal("read audit events", err)
		}
		for _, r := range rows {
			if err := v.Next(auditFromRow(r)); err != nil {
				return AuditReport{}, err
			}
			after = r.Seq
		}
		if len(rows) < page {
			break
		}
	}
	head, err := q.AuditHeadGet(ctx)
	if err != nil {
		return AuditReport{}, d.internal("read audit head", err)
	}
	if err := v.CheckHead(head.Seq, head.Hash); err != nil {
		return AuditReport{}, err
	}
	n, last := v.Verified()
	return AuditReport{Events: n, LastSeq: last}, nil
}

func auditFromRow(r db.AuditEvent) foi.AuditEvent {
	return foi.AuditEvent{
		Seq: r.Seq, At: r.At, ActorID: r.ActorID, ActorLabel: r.ActorLabel, Action: r.Action,
		RecordType: r.RecordType, RecordID: r.RecordID, PartyID: r.PartyID, IP: r.Ip, Detail: r.Detail,
		PrevHash: r.PrevHash, Hash: r.Hash,
	}
}
