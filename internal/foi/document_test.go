package foi_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
	"testing"

	"foidesk/internal/foi"
)

// sniff is what the store does: the WHATWG sniffing of the first 512 bytes.
func sniff(b []byte) string {
	if len(b) > 512 {
		b = b[:512]
	}
	return http.DetectContentType(b)
}

// zipOf returns a zip archive holding the named entries; "mimetype" entries are stored, as ODF wants.
func zipOf(t *testing.T, entries map[string]string, order ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		method := zip.Deflate
		if name == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(entries[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func docx(t *testing.T) []byte {
	return zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"},
		"[Content_Types].xml", "word/document.xml")
}

func xlsx(t *testing.T) []byte {
	return zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"},
		"[Content_Types].xml", "xl/workbook.xml")
}

func odf(t *testing.T, mimetype string) []byte {
	return zipOf(t, map[string]string{"mimetype": mimetype, "content.xml": "<office:document-content/>"},
		"mimetype", "content.xml")
}

var (
	pdf  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	jpeg = []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	exe  = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00This program cannot be run in DOS mode.")
	msg  = append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 64)...)
)

func TestIdentifyDocument_AcceptsEachKindByItsContent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"letter.pdf", pdf, "application/pdf"},
		{"Letter.PDF", pdf, "application/pdf"},
		{"draft.docx", docx(t), foi.KindDOCX.ContentType},
		{"figures.xlsx", xlsx(t), foi.KindXLSX.ContentType},
		{"draft.odt", odf(t, "application/vnd.oasis.opendocument.text"), foi.KindODT.ContentType},
		{"figures.ods", odf(t, "application/vnd.oasis.opendocument.spreadsheet"), foi.KindODS.ContentType},
		{"figures.csv", []byte("year,requests\n2025,42\n"), "text/csv; charset=utf-8"},
		{"note.txt", []byte("Spoke to the requester on 3 March.\n"), "text/plain; charset=utf-8"},
		{"note.txt", []byte("\xFF\xFEh\x00i\x00"), "text/plain; charset=utf-16le"},
		{"scan.png", png, "image/png"},
		{"photo.jpg", jpeg, "image/jpeg"},
		{"photo.jpeg", jpeg, "image/jpeg"},
		{"request.eml", []byte("From: ada@example.org\r\nSubject: FOI request\r\n\r\nPlease send...\r\n"), "message/rfc822"},
		{"request.msg", msg, foi.KindMSG.ContentType},
	} {
		_, got, err := foi.IdentifyDocument(tc.name, sniff(tc.content), tc.content)
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestIdentifyDocument_RejectsDisguisesAndUnacceptedKinds(t *testing.T) {
	plainZip := zipOf(t, map[string]string{"readme.txt": "hi"}, "readme.txt")
	for _, tc := range []struct {
		name    string
		content []byte
		says    string
	}{
		{"letter.pdf", exe, "not really a PDF"},
		{"letter.exe", exe, "does not accept .exe"},
		{"letter", pdf, "must end in its file type"},
		{"letter.pdf", png, "is a PNG image, but its name ends in .pdf"},
		{"draft.docx", xlsx(t), "is an Excel spreadsheet, but its name ends in .docx"},
		{"draft.docx", plainZip, "not really a Word document"},
		{"draft.docx", []byte("PK\x03\x04 damaged"), "not really a Word document"},
		{"draft.odt", odf(t, "application/vnd.oasis.opendocument.presentation"), "not really an OpenDocument text"},
		{"page.txt", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "not really a text file"},
		{"data.csv", append([]byte(strings.Repeat("a,b\n", 200)), exe...), "not really a CSV file"},
		{"letter.pdf", []byte("just some words"), "is text, not a PDF"},
		{"request.eml", []byte("Dear FOI team, please send me..."), "not an email"},
		{"request.msg", exe, "not really an Outlook email"},
		{"scan.png", msg, "not really a PNG image"},
	} {
		_, _, err := foi.IdentifyDocument(tc.name, sniff(tc.content), tc.content)
		fields := foi.ErrorFields(err)
		if foi.ErrorCode(err) != foi.EINVALID || len(fields) != 1 || fields[0].Field != "file" ||
			!strings.Contains(fields[0].Message, tc.says) {
			t.Errorf("%s: %v %v; want a file error saying %q", tc.name, err, fields, tc.says)
		}
	}
}

func TestValidateDocumentName(t *testing.T) {
	if got, err := foi.ValidateDocumentName("  Response letter (v2).pdf "); err != nil || got != "Response letter (v2).pdf" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := foi.ValidateDocumentName("Réponse – ministère.pdf"); err != nil {
		t.Errorf("accented name: %v", err)
	}
	for _, bad := range []string{"", "   ", "../etc/passwd", `C:\Users\x.pdf`, "a/b.pdf", "line\nbreak.pdf",
		"nul\x00.pdf", "tab\t.pdf", "invoice\u202Efdp.exe", "zero\u200Bwidth.pdf", "what?.pdf", "a:b.pdf", ".hidden.pdf",
		"\xff\xfe.pdf", strings.Repeat("x", foi.MaxDocumentNameLength-3) + ".pdf"} {
		_, err := foi.ValidateDocumentName(bad)
		fields := foi.ErrorFields(err)
		if foi.ErrorCode(err) != foi.EINVALID || len(fields) != 1 || fields[0].Field != "name" {
			t.Errorf("%q: %v %v; want a name error", bad, err, fields)
		}
	}
	if _, err := foi.ValidateDocumentName(strings.Repeat("é", foi.MaxDocumentNameLength-4) + ".pdf"); err != nil {
		t.Errorf("a name of exactly %d characters: %v", foi.MaxDocumentNameLength, err)
	}
}

func TestNewDocumentCheck_EnforcesTheSizeLimit(t *testing.T) {
	in := foi.NewDocument{Name: "letter.pdf", Content: pdf, MaxBytes: int64(len(pdf))}
	got, err := in.Check(sniff(pdf))
	if err != nil || got.Name != "letter.pdf" || got.ContentType != "application/pdf" {
		t.Fatalf("at the limit: %+v, %v", got, err)
	}
	in.MaxBytes = int64(len(pdf)) - 1
	_, err = in.Check(sniff(pdf))
	if f := foi.ErrorFields(err); len(f) != 1 || f[0].Field != "file" || !strings.Contains(f[0].Message, "bytes or smaller") {
		t.Errorf("over the limit: %v", f)
	}
	_, err = foi.NewDocument{Name: "letter.pdf"}.Check(sniff(nil))
	if f := foi.ErrorFields(err); len(f) != 1 || f[0].Field != "file" || !strings.Contains(f[0].Message, "empty") {
		t.Errorf("empty: %v", f)
	}
	_, err = foi.NewDocument{Name: "../x", Content: nil}.Check(sniff(nil))
	if f := foi.ErrorFields(err); len(f) != 2 {
		t.Errorf("bad name and empty file: want both named, got %v", f)
	}
	big := foi.NewDocument{Name: "big.txt", Content: bytes.Repeat([]byte("a"), int(foi.DefaultMaxDocumentBytes)+1)}
	if _, err := big.Check("text/plain; charset=utf-8"); !strings.Contains(foi.ErrorMessage(err), "20 MiB") {
		t.Errorf("the default limit: %v", err)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{20 << 20: "20 MiB", 1024: "1 KiB", 1000: "1000 bytes", 1536 << 10: "1536 KiB", (20 << 20) + 1: "20.0 MiB"} {
		if got := foi.FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
