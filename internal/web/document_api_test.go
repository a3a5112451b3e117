package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
	"foidesk/internal/web"
)

var minimalPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// tinyDOCX is a zip holding word/document.xml: enough to be recognised as a Word document.
func tinyDOCX(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipartBody builds an upload: the file under fileName in "file", and the fields given as name, value pairs.
func multipartBody(t *testing.T, fileName string, content []byte, fields ...string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	if content != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, fileName))
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(content)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

type apiDoc struct {
	ID          int64     `json:"id"`
	CaseID      int64     `json:"case_id"`
	Name        string    `json:"name"`
	Version     int64     `json:"version"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  int64     `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// upload sends a multipart upload as who and decodes the JSON answer into out (when not nil).
func (s *apiSite) upload(who string, caseID int64, fileName string, content []byte, out any, fields ...string) *http.Response {
	s.t.Helper()
	ct, body := multipartBody(s.t, fileName, content, fields...)
	res, text := s.do(http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/documents", caseID), bytes.NewReader(body),
		map[string]string{"Authorization": "Bearer " + s.tokens[who], "Content-Type": ct})
	if out != nil {
		if err := json.Unmarshal([]byte(text), out); err != nil {
			s.t.Fatalf("upload %s: %d, not JSON: %s", fileName, res.StatusCode, text)
		}
	}
	return res
}

// download fetches a document's content as who.
func (s *apiSite) download(who string, caseID, docID int64) (*http.Response, []byte) {
	s.t.Helper()
	res, text := s.do(http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/documents/%d", caseID, docID), nil,
		map[string]string{"Authorization": "Bearer " + s.tokens[who]})
	return res, []byte(text)
}

func (s *apiSite) listDocuments(who string, caseID int64) (*http.Response, []apiDoc) {
	s.t.Helper()
	var page struct{ Items []apiDoc }
	res := s.call(who, http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/documents", caseID), nil, &page)
	return res, page.Items
}

// withUploadLimit points the site at a second server on the same database whose upload limit is limit bytes.
func (s *apiSite) withUploadLimit(limit int64) {
	s.t.Helper()
	srv, err := web.New(web.Config{Auth: s.db, Registers: s.db, Cases: s.db, Documents: s.db, Ping: s.db.Ping, Now: s.db.Time,
		Log: quietLog, MaxUploadBytes: limit})
	if err != nil {
		s.t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	s.t.Cleanup(ts.Close)
	s.srv = ts
}

func auditEvents(t *testing.T, d *store.DB) int64 {
	t.Helper()
	rep, err := d.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep.Events
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestDocumentAPI_UploadsVersionsListsAndDownloadsExactBytes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		var first apiDoc
		res := s.upload("dfe-officer", c.ID, "letter.pdf", minimalPDF, &first)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("upload PDF: %d", res.StatusCode)
		}
		if first.Name != "letter.pdf" || first.Version != 1 || first.ContentType != "application/pdf" ||
			first.Size != int64(len(minimalPDF)) || first.SHA256 != sha(minimalPDF) || first.CaseID != c.ID ||
			first.UploadedBy == 0 || first.UploadedAt.IsZero() {
			t.Fatalf("uploaded %+v", first)
		}
		if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/cases/%d/documents/%d", c.ID, first.ID) {
			t.Errorf("Location = %q", loc)
		}

		second := append(bytes.Clone(minimalPDF), "% revised\n"...)
		var v2 apiDoc
		if res := s.upload("dfe-dm", c.ID, "letter.pdf", second, &v2); res.StatusCode != http.StatusCreated || v2.Version != 2 || v2.SHA256 != sha(second) {
			t.Fatalf("same name again: %d %+v", res.StatusCode, v2)
		}
		docx := tinyDOCX(t)
		var draft apiDoc
		if res := s.upload("dfe-officer", c.ID, `C:\Users\olive\Draft response.docx`, docx, &draft); res.StatusCode != http.StatusCreated ||
			draft.Name != "Draft response.docx" || draft.Version != 1 || draft.SHA256 != sha(docx) ||
			draft.ContentType != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Fatalf("DOCX with a name: %d %+v", res.StatusCode, draft)
		}

		res, docs := s.listDocuments("dfe-auditor", c.ID)
		if res.StatusCode != http.StatusOK || len(docs) != 3 || docs[0].Name != "Draft response.docx" ||
			docs[1].Version != 2 || docs[2].Version != 1 {
			t.Fatalf("list: %d %+v", res.StatusCode, docs)
		}

		before := auditEvents(t, d)
		res, body := s.download("dfe-auditor", c.ID, first.ID)
		if res.StatusCode != http.StatusOK || !bytes.Equal(body, minimalPDF) {
			t.Fatalf("download: %d, %d bytes", res.StatusCode, len(body))
		}
		if got := res.Header.Get("Content-Type"); got != "application/pdf" {
			t.Errorf("Content-Type = %q", got)
		}
		if got := res.Header.Get("Content-Disposition"); got != `attachment; filename="letter.pdf"` {
			t.Errorf("Content-Disposition = %q", got)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("ETag") != `"`+sha(minimalPDF)+`"` {
			t.Errorf("headers %v", res.Header)
		}
		if after := auditEvents(t, d); after != before+1 {
			t.Errorf("audit events %d -> %d: the download was not audited once", before, after)
		}
		if _, body := s.download("dfe-officer", c.ID, draft.ID); !bytes.Equal(body, docx) {
			t.Errorf("DOCX came back different")
		}
	})
}

func TestDocumentAPI_BadFilesGet422NamingTheFieldAndStoreNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		const limit = 1024
		s.withUploadLimit(limit)
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00"), bytes.Repeat([]byte{0}, 64)...)
		for _, tc := range []struct {
			what     string
			fileName string
			content  []byte
			fields   []string
			field    string
			says     string
		}{
			{"empty", "letter.pdf", []byte{}, nil, "file", "empty"},
			{"too big", "big.pdf", append(bytes.Clone(minimalPDF), bytes.Repeat([]byte("x"), limit)...), nil, "file", "1 KiB"},
			{"disguised executable", "letter.pdf", exe, nil, "file", "not really a PDF"},
			{"unaccepted kind", "setup.exe", exe, nil, "file", "does not accept .exe"},
			{"bad name from the file", "what?.pdf", minimalPDF, nil, "file", "must not contain"},
			{"bad name given", "letter.pdf", minimalPDF, []string{"name", "../../etc/passwd.pdf"}, "name", "without /"},
			{"no file", "", nil, []string{"name", "letter.pdf"}, "file", "Select a file"},
			{"unknown field", "letter.pdf", minimalPDF, []string{"colour", "red"}, "colour", "Unknown field"},
		} {
			var p apiProblem
			res := s.upload("dfe-officer", c.ID, tc.fileName, tc.content, &p, tc.fields...)
			if res.StatusCode != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Field != tc.field ||
				!strings.Contains(p.Errors[0].Message, tc.says) {
				t.Errorf("%s: %d %+v; want 422 naming %s and saying %q", tc.what, res.StatusCode, p, tc.field, tc.says)
			}
		}
		var p apiProblem
		res := s.call("dfe-officer", http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/documents", c.ID), map[string]string{"file": "x"}, &p)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("a JSON body: %d %+v", res.StatusCode, p)
		}
		if res, docs := s.listDocuments("dfe-officer", c.ID); res.StatusCode != http.StatusOK || len(docs) != 0 {
			t.Fatalf("refused uploads stored %d documents", len(docs))
		}
		// At the limit is fine.
		atLimit := append(bytes.Clone(minimalPDF), bytes.Repeat([]byte("x"), limit-len(minimalPDF))...)
		if res := s.upload("dfe-officer", c.ID, "letter.pdf", atLimit, nil); res.StatusCode != http.StatusCreated {
			t.Errorf("a file of exactly the limit: %d", res.StatusCode)
		}
	})
}

func TestDocumentAPI_OtherPartiesGet404AndTheAuditorMayOnlyRead(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		var doc apiDoc
		if res := s.upload("dfe-officer", c.ID, "letter.pdf", minimalPDF, &doc); res.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d", res.StatusCode)
		}
		for _, who := range []string{"ho-officer", "ho-liaison"} {
			if res := s.upload(who, c.ID, "letter.pdf", minimalPDF, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s uploading: %d, want 404", who, res.StatusCode)
			}
			if res, _ := s.listDocuments(who, c.ID); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s listing: %d, want 404", who, res.StatusCode)
			}
			if res, body := s.download(who, c.ID, doc.ID); res.StatusCode != http.StatusNotFound || bytes.Contains(body, minimalPDF) {
				t.Errorf("%s downloading: %d, want 404", who, res.StatusCode)
			}
		}
		if res := s.upload("dfe-auditor", c.ID, "letter.pdf", minimalPDF, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("auditor uploading: %d, want 403", res.StatusCode)
		}
		other := s.mustCreateCase("dfe-officer")
		if res, _ := s.download("dfe-officer", other.ID, doc.ID); res.StatusCode != http.StatusNotFound {
			t.Errorf("document through another case: %d, want 404", res.StatusCode)
		}
		if res, _ := s.download("dfe-officer", c.ID, 999999); res.StatusCode != http.StatusNotFound {
			t.Errorf("no such document: %d, want 404", res.StatusCode)
		}
		if res, docs := s.listDocuments("dfe-officer", c.ID); len(docs) != 1 || res.StatusCode != http.StatusOK {
			t.Errorf("refused uploads stored something: %+v", docs)
		}
	})
}

func TestDocumentAPI_NonASCIINamesDownloadWithASafeFilename(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		var doc apiDoc
		if res := s.upload("dfe-officer", c.ID, "x.txt", []byte("Notes\n"), &doc, "name", `Réponse "finale".txt`); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a name with quotes: %d, want 422", res.StatusCode)
		}
		if res := s.upload("dfe-officer", c.ID, "x.txt", []byte("Notes\n"), &doc, "name", "Réponse finale.txt"); res.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d", res.StatusCode)
		}
		res, body := s.download("dfe-officer", c.ID, doc.ID)
		want := `attachment; filename="R_ponse finale.txt"; filename*=UTF-8''R%C3%A9ponse%20finale.txt`
		if res.StatusCode != http.StatusOK || string(body) != "Notes\n" || res.Header.Get("Content-Disposition") != want {
			t.Fatalf("download: %d %q %q", res.StatusCode, body, res.Header.Get("Content-Disposition"))
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
	})
}
