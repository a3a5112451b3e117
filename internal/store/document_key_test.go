package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"foidesk/internal/crypt"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// keyring returns a keyring of fresh keys with these ids, the first active, and its text.
func keyring(t *testing.T, ids ...string) (*crypt.Keyring, string) {
	t.Helper()
	var lines []string
	for _, id := range ids {
		l, err := crypt.NewKeyLine(id)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	text := strings.Join(lines, "\n")
	k, err := crypt.ParseKeyring([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return k, text
}

// storedDocument returns the stored key id and bytes of a document.
func storedDocument(t *testing.T, d *store.DB, id int64) (string, []byte) {
	t.Helper()
	var keyID string
	var content []byte
	if err := store.RawDB(d).QueryRow("SELECT key_id, content FROM documents WHERE id = $1", id).Scan(&keyID, &content); err != nil {
		t.Fatal(err)
	}
	return keyID, content
}

func TestDocumentKeys_ContentIsSealedAtRestAndALostKeyFailsLoudly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-01"))
		k, _ := keyring(t, "2026-a")
		d.SetKeyring(k)
		doc, err := d.UploadDocument(w.officerCtx, c.ID, foi.NewDocument{Name: "letter.pdf", Content: testPDF})
		if err != nil {
			t.Fatal(err)
		}
		keyID, stored := storedDocument(t, d, doc.ID)
		if keyID != "2026-a" || bytes.Contains(stored, []byte("%PDF")) {
			t.Fatalf("stored under %q: %q", keyID, stored)
		}
		if _, got, err := d.DownloadDocument(w.officerCtx, c.ID, doc.ID); err != nil || !bytes.Equal(got, testPDF) {
			t.Fatalf("download: %q %v", got, err)
		}
		if err := d.CheckKeys(context.Background()); err != nil {
			t.Errorf("check with the key: %v", err)
		}

		// The key file lost, or another one given: start-up and download both refuse, naming the key.
		for _, lost := range []*crypt.Keyring{nil, func() *crypt.Keyring { k, _ := keyring(t, "other"); return k }()} {
			d.SetKeyring(lost)
			if err := d.CheckKeys(context.Background()); foi.ErrorCode(err) != foi.EINVALID || !strings.Contains(err.Error(), "2026-a") {
				t.Errorf("check without the key: %v", err)
			}
			if _, got, err := d.DownloadDocument(w.officerCtx, c.ID, doc.ID); foi.ErrorCode(err) != foi.EINTERNAL || got != nil {
				t.Errorf("download without the key: %q %v", got, err)
			}
		}
		// The right id with the wrong key bytes: refused, not garbage.
		wrong, _ := keyring(t, "2026-a")
		d.SetKeyring(wrong)
		if _, got, err := d.DownloadDocument(w.officerCtx, c.ID, doc.ID); foi.ErrorCode(err) != foi.EINTERNAL || got != nil {
			t.Errorf("download with the wrong key: %q %v", got, err)
		}
		// Changed bytes at rest: refused.
		d.SetKeyring(k)
		stored[len(stored)-1] ^= 1
		if _, err := store.RawDB(d).Exec("UPDATE documents SET content = $1 WHERE id = $2", stored, doc.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.DownloadDocument(w.officerCtx, c.ID, doc.ID); foi.ErrorCode(err) != foi.EINTERNAL {
			t.Errorf("download of changed bytes: %v", err)
		}
	})
}

func TestDocumentKeys_RotateSealsPlainFilesAndRewrapsOldKeysSoTheOldKeyCanGo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-01"))
		upload := func(name string) int64 {
			t.Helper()
			doc, err := d.UploadDocument(w.officerCtx, c.ID, foi.NewDocument{Name: name, Content: testPDF})
			if err != nil {
				t.Fatal(err)
			}
			return doc.ID
		}
		plain := upload("before-keys.pdf") // stored before any key was configured
		old, oldText := keyring(t, "old")
		d.SetKeyring(old)
		underOld := upload("under-old.pdf")
		if _, err := d.RotateKeys(context.Background()); err != nil {
			t.Fatal(err)
		}
		newOnly, newText := keyring(t, "new")
		both, err := crypt.ParseKeyring([]byte(newText + "\n" + oldText))
		if err != nil {
			t.Fatal(err)
		}
		d.SetKeyring(both)
		rep, err := d.RotateKeys(context.Background())
		if err != nil || rep.KeyID != "new" || rep.Rewrapped != 2 || rep.Sealed != 0 {
			t.Fatalf("rotate to new: %+v %v", rep, err)
		}
		d.SetKeyring(newOnly) // the old key removed from the key file
		if err := d.CheckKeys(context.Background()); err != nil {
			t.Fatalf("check with the new key alone: %v", err)
		}
		for _, id := range []int64{plain, underOld} {
			if keyID, _ := storedDocument(t, d, id); keyID != "new" {
				t.Errorf("document %d under %q after rotation", id, keyID)
			}
			if _, got, err := d.DownloadDocument(w.officerCtx, c.ID, id); err != nil || !bytes.Equal(got, testPDF) {
				t.Errorf("download %d after rotation: %v", id, err)
			}
		}
		if n := countAudit(t, d, "keys.rotate"); n != 2 {
			t.Errorf("keys.rotate audited %d times, want 2 (one batch per rotation)", n)
		}
		if again, err := d.RotateKeys(context.Background()); err != nil || again.Rewrapped+again.Sealed != 0 {
			t.Errorf("a second rotation changed %+v, %v", again, err)
		}
	})
}
