package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"foidesk/internal/crypt"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// SetKeyring gives the store the keys that seal documents, representation attachments and TOTP secrets at
// rest (envelope encryption, package crypt). Without one they are stored in plain. Call it before serving, then CheckKeys.
func (d *DB) SetKeyring(k *crypt.Keyring) { d.keys = k }

// sealed is file content as a row stores it.
type sealed struct {
	keyID   string
	wrapped []byte
	content []byte
}

// contentAAD binds a sealed file to its SHA-256, which the row stores beside it: content moved to another row
// does not decrypt.
func contentAAD(sha string) []byte { return []byte("foidesk-file:" + sha) }

// seal encrypts a file's content for storage under the active key, or keeps it in plain without a keyring.
func (d *DB) seal(content []byte, sha string) (sealed, error) {
	if d.keys == nil {
		return sealed{content: content}, nil
	}
	s, err := d.keys.Seal(content, contentAAD(sha))
	if err != nil {
		return sealed{}, d.internal("seal file", err)
	}
	return sealed{keyID: s.KeyID, wrapped: s.WrappedKey, content: s.Ciphertext}, nil
}

// unseal returns a stored file's content, checked against its SHA-256. A file sealed under a key the store
// does not hold, one that does not decrypt, or one whose digest does not match fails loudly with EINTERNAL
// naming the key: never wrong or encrypted bytes.
func (d *DB) unseal(what string, id int64, s sealed, sha string) ([]byte, error) {
	plain := s.content
	if s.keyID != "" {
		if d.keys == nil || !d.keys.Has(s.keyID) {
			return nil, foi.Errorf(foi.EINTERNAL, "%s %d is encrypted under key %q, which is not configured (--key-file)", what, id, s.keyID)
		}
		var err error
		plain, err = d.keys.Open(crypt.Sealed{KeyID: s.keyID, WrappedKey: s.wrapped, Ciphertext: s.content}, contentAAD(sha))
		if err != nil {
			d.log.Error("file does not decrypt", "what", what, "id", id, "key", s.keyID, "err", err)
			return nil, foi.Errorf(foi.EINTERNAL, "%s %d does not decrypt under key %q: the key is wrong or the stored bytes changed", what, id, s.keyID)
		}
	}
	if sum := sha256.Sum256(plain); hex.EncodeToString(sum[:]) != sha {
		d.log.Error("file does not match its digest", "what", what, "id", id)
		return nil, foi.Errorf(foi.EINTERNAL, "%s %d does not match its SHA-256: the stored bytes changed", what, id)
	}
	return plain, nil
}

// CheckKeys fails when some document, attachment or TOTP secret is sealed under a key the store does not
// hold, naming the keys: a lost key must stop foidesk at start, not at the first download or sign-in.
func (d *DB) CheckKeys(ctx context.Context) error {
	ids, err := d.readQueries().DocumentKeyIDs(ctx)
	if err != nil {
		return d.internal("read document keys", err)
	}
	var missing []string
	for _, id := range ids {
		if id != "" && (d.keys == nil || !d.keys.Has(id)) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return foi.Errorf(foi.EINVALID, "documents or second factors are encrypted under key(s) %q, which the key file does not hold: "+
			"give --key-file (or FOIDESK_KEY_FILE) with those keys; without them they cannot be read", missing)
	}
	return nil
}

// SealSecrets moves every TOTP secret to the active key: it seals those stored in plain (enrolled before a key
// file was configured) and re-wraps those under older keys, as RotateKeys does for them alone. Second factors
// are few and small, so foidesk serve calls it at every start: no secret stays readable in the database for
// longer than it takes to restart with a key file. It returns how many it changed; without a keyring, none.
func (d *DB) SealSecrets(ctx context.Context) (int, error) {
	if d.keys == nil {
		return 0, nil
	}
	var rep RotateReport
	err := d.rotateTable(ctx, "user_mfa", &rep)
	return rep.Sealed + rep.Rewrapped, err
}

// RotateReport counts what RotateKeys changed.
type RotateReport struct {
	KeyID     string // the active key, which now wraps every data key
	Rewrapped int    // data keys moved from an older key
	Sealed    int    // files and TOTP secrets stored in plain before a key was configured, now sealed
}

// RotateKeys moves every document, attachment and TOTP secret to the active key: it re-wraps the data keys of
// those sealed under older keys (their ciphertext is untouched) and seals those stored in plain, a batch per
// transaction,
// and audits keys.rotate. Afterwards the older keys may be removed from the key file. Errors: EINVALID without
// a keyring; EINTERNAL when a file's key is missing or does not decrypt (nothing of that batch is changed).
func (d *DB) RotateKeys(ctx context.Context) (RotateReport, error) {
	if d.keys == nil {
		return RotateReport{}, foi.Errorf(foi.EINVALID, "no key file: give --key-file")
	}
	rep := RotateReport{KeyID: d.keys.ActiveID()}
	for _, table := range []string{"document", "attachment", "user_mfa"} {
		if err := d.rotateTable(ctx, table, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// rotateTable moves every row of a table not under the active key to it, a batch per transaction.
func (d *DB) rotateTable(ctx context.Context, table string, rep *RotateReport) error {
	var after int64
	for {
		n, last, err := d.rotateBatch(ctx, table, after, rep)
		if err != nil || n == 0 {
			return err
		}
		after = last
	}
}

// rotateBatch moves up to 100 files of a table after id after to the active key in one transaction, and
// returns how many it moved and the last id.
func (d *DB) rotateBatch(ctx context.Context, table string, after int64, rep *RotateReport) (int, int64, error) {
	const batch = 100
	var n int
	var last int64
	err := d.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.notUnderKey(ctx, table, d.keys.ActiveID(), after, batch)
		if err != nil {
			return err
		}
		var rewrapped, sealedNow int
		for _, r := range rows {
			next, err := d.moveToActiveKey(table, r)
			if err != nil {
				return err
			}
			if r.KeyID == "" {
				sealedNow++
			} else {
				rewrapped++
			}
			if err := tx.setKey(ctx, table, r.ID, next); err != nil {
				return err
			}
			last = r.ID
		}
		n = len(rows)
		if n > 0 {
			tx.audit("keys.rotate", table, last, 0, map[string]any{"key": d.keys.ActiveID(), "rewrapped": rewrapped, "sealed": sealedNow})
		}
		rep.Rewrapped += rewrapped
		rep.Sealed += sealedNow
		return nil
	})
	return n, last, err
}

// moveToActiveKey returns a stored file or TOTP secret as the active key would store it.
func (d *DB) moveToActiveKey(table string, r db.DocumentNotUnderKeyRow) (sealed, error) {
	if r.KeyID == "" && table == "user_mfa" {
		return d.sealTOTP(r.ID, string(r.Content))
	}
	if r.KeyID == "" {
		if _, err := d.unseal(table, r.ID, sealed{content: r.Content}, r.Sha256); err != nil {
			return sealed{}, err
		}
		return d.seal(r.Content, r.Sha256)
	}
	id, wrapped, err := d.keys.Rewrap(r.KeyID, r.WrappedKey)
	if errors.Is(err, crypt.ErrUnknownKey) {
		return sealed{}, foi.Errorf(foi.EINTERNAL, "%s %d is encrypted under key %q, which is not in the key file", table, r.ID, r.KeyID)
	} else if err != nil {
		return sealed{}, foi.Errorf(foi.EINTERNAL, "%s %d: its data key does not decrypt under key %q", table, r.ID, r.KeyID)
	}
	return sealed{keyID: id, wrapped: wrapped, content: r.Content}, nil
}

func (tx *Tx) notUnderKey(ctx context.Context, table, keyID string, after int64, max int) ([]db.DocumentNotUnderKeyRow, error) {
	switch table {
	case "document":
		return tx.DocumentNotUnderKey(ctx, db.DocumentNotUnderKeyParams{KeyID: keyID, AfterID: after, MaxRows: int32(max)})
	case "user_mfa":
		rows, err := tx.MFANotUnderKey(ctx, db.MFANotUnderKeyParams{KeyID: keyID, AfterID: after, MaxRows: int32(max)})
		out := make([]db.DocumentNotUnderKeyRow, len(rows))
		for i, r := range rows {
			out[i] = db.DocumentNotUnderKeyRow{ID: r.UserID, KeyID: r.KeyID, WrappedKey: r.WrappedKey, Content: r.SealedSecret}
			if r.KeyID == "" {
				out[i].Content = []byte(r.TotpSecret)
			}
		}
		return out, err
	}
	rows, err := tx.AttachmentNotUnderKey(ctx, db.AttachmentNotUnderKeyParams{KeyID: keyID, AfterID: after, MaxRows: int32(max)})
	out := make([]db.DocumentNotUnderKeyRow, len(rows))
	for i, r := range rows {
		out[i] = db.DocumentNotUnderKeyRow(r)
	}
	return out, err
}

func (tx *Tx) setKey(ctx context.Context, table string, id int64, s sealed) error {
	switch table {
	case "document":
		return tx.DocumentSetKey(ctx, db.DocumentSetKeyParams{ID: id, KeyID: s.keyID, WrappedKey: s.wrapped, Content: s.content})
	case "user_mfa":
		return tx.MFASetKey(ctx, db.MFASetKeyParams{UserID: id, KeyID: s.keyID, WrappedKey: s.wrapped, SealedSecret: s.content})
	}
	return tx.AttachmentSetKey(ctx, db.AttachmentSetKeyParams{ID: id, KeyID: s.keyID, WrappedKey: s.wrapped, Content: s.content})
}
