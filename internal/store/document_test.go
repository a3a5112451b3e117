package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

var testPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func pdfVersion(n int) []byte {
	return append(bytes.Clone(testPDF), []byte("% version "+string(rune('0'+n))+"\n")...)
}

// countAudit counts the audit events with this action.
func countAudit(t *testing.T, d *store.DB, action string) int {
	t.Helper()
	var n int
	if err := store.RawDB(d).QueryRow("SELECT COUNT(*) FROM audit_events WHERE action = $1", action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDocuments_SameNameAddsVersionsAndEveryUploadIsAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20"))
		for i := 1; i <= 3; i++ {
			ctx := w.officerCtx
			if i == 2 {
				ctx = w.dmCtx // a decision-maker of the party may upload too
			}
			content := pdfVersion(i)
			doc, err := d.UploadDocument(ctx, c.ID, foi.NewDocument{Name: " letter.pdf ", Content: content})
			if err != nil {
				t.Fatalf("upload %d: %v %v", i, err, foi.ErrorFields(err))
			}
			sum := sha256.Sum256(content)
			if doc.Version != int64(i) || doc.Name != "letter.pdf" || doc.ContentType != "application/pdf" ||
				doc.Size != int64(len(content)) || doc.SHA256 != hex.EncodeToString(sum[:]) || doc.UploadedAt.IsZero() {
				t.Fatalf("upload %d: %+v", i, doc)
			}
		}
		other, err := d.UploadDocument(w.officerCtx, c.ID, foi.NewDocument{Name: "figures.csv", Content: []byte("a,b\n1,2\n")})
		if err != nil || other.Version != 1 || other.ContentType != "text/csv; charset=utf-8" {
			t.Fatalf("another name starts at version 1: %+v %v", other, err)
		}
		// Numbering is per case: the same name on another case starts again.
		c2 := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-21"))
		if doc, err := d.UploadDocument(w.officerCtx, c2.ID, foi.NewDocument{Name: "letter.pdf", Content: testPDF}); err != nil || doc.Version != 1 {
			t.Fatalf("same name, other case: %+v %v", doc, err)
		}

		docs, err := d.ListDocuments(w.auditorCtx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, doc := range docs {
			got = append(got, doc.Name+"@"+string(rune('0'+doc.Version)))
		}
		if want := []string{"figures.csv@1", "letter.pdf@3", "letter.pdf@2", "letter.pdf@1"}; !equalStrings(got, want) {
			t.Fatalf("listed %v, want %v", got, want)
		}
		if docs[1].UploadedBy != w.dfeOfficer.ID || docs[2].UploadedBy != w.dfeDM.ID {
			t.Errorf("uploaded by %d and %d", docs[1].UploadedBy, docs[2].UploadedBy)
		}

		doc, content, err := d.DownloadDocument(w.auditorCtx, c.ID, docs[2].ID)
		if err != nil || !bytes.Equal(content, pdfVersion(2)) || doc.Version != 2 || doc.SHA256 != docs[2].SHA256 {
			t.Fatalf("download: %+v %v", doc, err)
		}
		if n := countAudit(t, d, "document.upload"); n != 5 {
			t.Errorf("%d document.upload events, want 5", n)
		}
		if n := countAudit(t, d, "document.download"); n != 1 {
			t.Errorf("%d document.download events, want 1", n)
		}
		var detail string
		if err := store.RawDB(d).QueryRow("SELECT detail FROM audit_events WHERE action = 'document.upload' ORDER BY seq LIMIT 1").Scan(&detail); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains([]byte(detail), []byte("PDF-1.4")) || !bytes.Contains([]byte(detail), []byte(`"sha256"`)) {
			t.Errorf("upload audit detail %s: want the hash, never the content", detail)
		}
		if _, err := d.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDocuments_OnlyTheCasePartysOfficersAndDecisionMakersUpload(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20"))
		doc, err := d.UploadDocument(w.officerCtx, c.ID, foi.NewDocument{Name: "letter.pdf", Content: testPDF})
		if err != nil {
			t.Fatal(err)
		}
		up := foi.NewDocument{Name: "letter.pdf", Content: testPDF}
		for _, tc := range []struct {
			who  string
			ctx  context.Context
			code string
		}{
			{"HO officer", w.hoCtx, foi.ENOTFOUND},
			{"HO liaison", w.liaisonCtx, foi.ENOTFOUND},
			{"DFE auditor", w.auditorCtx, foi.EFORBIDDEN},
			{"nobody", context.Background(), foi.EUNAUTHORIZED},
		} {
			_, err := d.UploadDocument(tc.ctx, c.ID, up)
			if foi.ErrorCode(err) != tc.code {
				t.Errorf("%s uploading: %v, want %s", tc.who, err, tc.code)
			}
			// Whoever may not know the case exists learns nothing from a bad file either.
			if tc.code == foi.ENOTFOUND {
				if _, err := d.UploadDocument(tc.ctx, c.ID, foi.NewDocument{Name: "x.exe"}); foi.ErrorCode(err) != foi.ENOTFOUND {
					t.Errorf("%s uploading a bad file: %v, want not found", tc.who, err)
				}
				if _, err := d.ListDocuments(tc.ctx, c.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
					t.Errorf("%s listing: %v, want not found", tc.who, err)
				}
				if _, _, err := d.DownloadDocument(tc.ctx, c.ID, doc.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
					t.Errorf("%s downloading: %v, want not found", tc.who, err)
				}
			}
		}
		if _, err := d.UploadDocument(cliCtx(), c.ID, up); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Errorf("the command line uploading (no user to record): %v", err)
		}
		if _, err := d.UploadDocument(w.officerCtx, 999999, up); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("no such case: %v", err)
		}
		// A document is reached only through its own case.
		c2 := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-21"))
		if _, _, err := d.DownloadDocument(w.officerCtx, c2.ID, doc.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("document through another case: %v", err)
		}
		docs, _ := d.ListDocuments(w.officerCtx, c.ID)
		if len(docs) != 1 {
			t.Errorf("refused uploads stored something: %d documents", len(docs))
		}
		if n := countAudit(t, d, "document.download"); n != 0 {
			t.Errorf("refused downloads were audited as downloads: %d", n)
		}
	})
}

func TestDocuments_BadFilesAreRefusedAndNothingIsStored(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20"))
		for _, in := range []foi.NewDocument{
			{Name: "letter.pdf"},
			{Name: "letter.pdf", Content: []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00")},
			{Name: "letter.pdf", Content: testPDF, MaxBytes: 10},
			{Name: "../letter.pdf", Content: testPDF},
		} {
			_, err := d.UploadDocument(w.officerCtx, c.ID, in)
			if foi.ErrorCode(err) != foi.EINVALID || len(foi.ErrorFields(err)) == 0 {
				t.Errorf("%q (%d bytes): %v, want invalid", in.Name, len(in.Content), err)
			}
		}
		docs, err := d.ListDocuments(w.officerCtx, c.ID)
		if err != nil || len(docs) != 0 {
			t.Fatalf("after refusals: %d documents, %v", len(docs), err)
		}
		if n := countAudit(t, d, "document.upload"); n != 0 {
			t.Errorf("refused uploads audited: %d", n)
		}
	})
}

func TestDocuments_ConcurrentUploadsOfOneNameGetDistinctVersions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20"))
		const n = 4
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = d.UploadDocument(w.officerCtx, c.ID, foi.NewDocument{Name: "letter.pdf", Content: pdfVersion(i)})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("upload %d: %v", i, err)
			}
		}
		docs, _ := d.ListDocuments(w.officerCtx, c.ID)
		if len(docs) != n || docs[0].Version != n || docs[n-1].Version != 1 {
			t.Fatalf("versions after %d concurrent uploads: %+v", n, docs)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
