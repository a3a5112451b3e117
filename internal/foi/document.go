package foi

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxDocumentBytes is the largest document foidesk accepts unless it is configured otherwise: 20 MiB.
const DefaultMaxDocumentBytes int64 = 20 << 20

// MaxDocumentNameLength is the longest document name, in characters.
const MaxDocumentNameLength = 200

// DocumentKind is one kind of file foidesk accepts as a case document.
type DocumentKind struct {
	Label       string   // for people: "PDF", "Word document"
	ContentType string   // the media type stored and served
	Extensions  []string // the file-name endings it may have, lower case with the dot
}

// The kinds of file foidesk accepts. Each is recognised by its content, never by its name alone.
var (
	KindPDF  = DocumentKind{"PDF", "application/pdf", []string{".pdf"}}
	KindDOCX = DocumentKind{"Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{".docx"}}
	KindXLSX = DocumentKind{"Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{".xlsx"}}
	KindODT  = DocumentKind{"OpenDocument text", "application/vnd.oasis.opendocument.text", []string{".odt"}}
	KindODS  = DocumentKind{"OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", []string{".ods"}}
	KindCSV  = DocumentKind{"CSV file", "text/csv", []string{".csv"}}
	KindTXT  = DocumentKind{"text file", "text/plain", []string{".txt"}}
	KindPNG  = DocumentKind{"PNG image", "image/png", []string{".png"}}
	KindJPEG = DocumentKind{"JPEG image", "image/jpeg", []string{".jpg", ".jpeg"}}
	KindEML  = DocumentKind{"email (.eml)", "message/rfc822", []string{".eml"}}
	KindMSG  = DocumentKind{"Outlook email (.msg)", "application/vnd.ms-outlook", []string{".msg"}}
)

// DocumentKinds lists every accepted kind, in the order people are told about them.
var DocumentKinds = []DocumentKind{KindPDF, KindDOCX, KindXLSX, KindODT, KindODS, KindCSV, KindTXT, KindPNG,
	KindJPEG, KindEML, KindMSG}

// hasExtension reports whether ext (lower case, with the dot) is one of the kind's.
func (k DocumentKind) hasExtension(ext string) bool {
	for _, e := range k.Extensions {
		if e == ext {
			return true
		}
	}
	return false
}

// Document is one version of a file attached to a case. Its bytes travel separately.
type Document struct {
	ID          int64
	CaseID      int64
	Name        string // the file name, the same for every version
	Version     int64  // 1, 2, 3, ... per case and name
	ContentType string // as recognised from the content, never as the uploader declared it
	Size        int64  // bytes
	SHA256      string // hex SHA-256 of the content
	UploadedBy  int64  // user id
	UploadedAt  time.Time
}

// NewDocument is a file to attach to a case. Uploading a name the case already has adds a version.
type NewDocument struct {
	Name    string
	Content []byte
	// MaxBytes is the size limit to enforce; 0 means DefaultMaxDocumentBytes.
	MaxBytes int64
}

// DocumentService keeps case documents. Every method checks the caller with Can and audits what it does or
// shows; the content is never written to the audit log.
type DocumentService interface {
	// UploadDocument stores a file on a case as the next version of its name: ENOTFOUND when the caller may
	// not see the case, EFORBIDDEN when the caller may not work on it, EINVALID naming "file" or "name" when
	// the file is empty, too large, of a kind foidesk does not accept or not what its name says.
	UploadDocument(ctx context.Context, caseID int64, in NewDocument) (*Document, error)
	// ListDocuments returns every version of every document of a case, by name and newest version first.
	ListDocuments(ctx context.Context, caseID int64) ([]Document, error)
	// DownloadDocument returns a document of a case with its content; ENOTFOUND when the case or the document
	// (on that case) does not exist or the caller may not see it.
	DownloadDocument(ctx context.Context, caseID, documentID int64) (*Document, []byte, error)
}

// CheckedDocument is an upload that passed Check: its clean name and the kind its content is.
type CheckedDocument struct {
	Name        string
	ContentType string
	Kind        DocumentKind
}

// Check applies the upload rules: a valid name, a file neither empty nor over the limit, and content of an
// accepted kind that matches the name's extension. sniffed is the media type the content sniffing algorithm
// (WHATWG MIME Sniffing, as Go's http.DetectContentType implements it) gives the first 512 bytes. It returns
// EINVALID naming "name" or "file".
func (in NewDocument) Check(sniffed string) (CheckedDocument, error) {
	var v Validation
	name, nameErr := ValidateDocumentName(in.Name)
	for _, f := range ErrorFields(nameErr) {
		v.Add(f.Field, f.Message)
	}
	limit := in.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxDocumentBytes
	}
	switch {
	case len(in.Content) == 0:
		v.Add("file", "The selected file is empty")
	case int64(len(in.Content)) > limit:
		v.Add("file", TooLargeMessage(limit))
	}
	if err := v.Err(); err != nil {
		return CheckedDocument{}, err
	}
	kind, contentType, err := IdentifyDocument(name, sniffed, in.Content)
	if err != nil {
		return CheckedDocument{}, err
	}
	return CheckedDocument{Name: name, ContentType: contentType, Kind: kind}, nil
}

// TooLargeMessage says, for people, that a file is over the limit.
func TooLargeMessage(limit int64) string {
	return "The selected file must be " + FormatSize(limit) + " or smaller"
}

// FormatSize writes a byte count for people: "20 MiB", "512 KiB", "100 bytes".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

// ValidateDocumentName returns the name with surrounding spaces removed, or EINVALID naming "name" when it is
// empty, longer than MaxDocumentNameLength characters, not UTF-8, or holds a path separator, a control or
// invisible formatting character (such as a right-to-left override that disguises an extension), a
// character Windows forbids in file names, or starts with a dot. A name is a file name, never a path.
func ValidateDocumentName(name string) (string, error) {
	name = strings.TrimSpace(name)
	bad := func(msg string) (string, error) {
		return "", &Error{Code: EINVALID, Message: msg, Fields: []FieldError{{Field: "name", Message: msg}}}
	}
	switch {
	case name == "":
		return bad("Enter a name for the document, such as letter.pdf")
	case !utf8.ValidString(name):
		return bad("The document name must be UTF-8 text")
	case utf8.RuneCountInString(name) > MaxDocumentNameLength:
		return bad(fmt.Sprintf("The document name must be %d characters or fewer", MaxDocumentNameLength))
	case strings.ContainsAny(name, `/\`):
		return bad(`The document name must be a file name, without / or \`)
	case strings.ContainsAny(name, `<>:"|?*`):
		return bad(`The document name must not contain any of < > : " | ? *`)
	case strings.HasPrefix(name, "."):
		return bad("The document name must not start with a dot")
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return bad("The document name must not contain control or invisible formatting characters")
		}
	}
	return name, nil
}

// acceptedList names the accepted kinds for people.
func acceptedList() string {
	return "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), CSV, text, PNG, JPEG or email (.eml, .msg)"
}

// fileError is EINVALID naming "file".
func fileError(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: EINVALID, Message: msg, Fields: []FieldError{{Field: "file", Message: msg}}}
}

// oleMagic starts every OLE2 compound file, the container of Outlook .msg files.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// IdentifyDocument returns the kind of a file and the media type to store it under, from its content: sniffed
// is the generic sniffing result for its first 512 bytes (application/zip for every office format), which the
// zip's own file list then refines. It returns EINVALID naming "file" when the content is of no accepted
// kind, or is of a kind the name's extension contradicts (a program renamed to .pdf, a spreadsheet named
// .docx).
func IdentifyDocument(name, sniffed string, content []byte) (DocumentKind, string, error) {
	ext := strings.ToLower(path.Ext(name))
	var named *DocumentKind
	for i := range DocumentKinds {
		if DocumentKinds[i].hasExtension(ext) {
			named = &DocumentKinds[i]
			break
		}
	}
	if named == nil {
		if ext == "" {
			return DocumentKind{}, "", fileError("The document name must end in its file type, such as .pdf: foidesk accepts %s", acceptedList())
		}
		return DocumentKind{}, "", fileError("foidesk does not accept %s files: it accepts %s", ext, acceptedList())
	}
	mediaType, params, _ := strings.Cut(sniffed, ";")
	mediaType = strings.TrimSpace(strings.ToLower(mediaType))
	charset := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.ToLower(params)), "charset="))

	var kind DocumentKind
	contentType := ""
	notWhatItSays := func() (DocumentKind, string, error) {
		return DocumentKind{}, "", fileError("The selected file is not really %s: its content does not match its %s name", withArticle(named.Label), ext)
	}
	switch mediaType {
	case "application/pdf":
		kind = KindPDF
	case "image/png":
		kind = KindPNG
	case "image/jpeg":
		kind = KindJPEG
	case "application/zip":
		k, ok := identifyZip(content)
		if !ok {
			return notWhatItSays()
		}
		kind = k
	case "text/plain":
		if !named.isText() {
			return DocumentKind{}, "", fileError("The selected file is text, not %s: rename it to .txt or .csv, or choose another file", withArticle(named.Label))
		}
		utf16 := charset == "utf-16be" || charset == "utf-16le"
		if !utf16 && hasBinaryBytes(content) {
			return notWhatItSays()
		}
		if named.ContentType == KindEML.ContentType && !utf16 && !looksLikeEmail(content) {
			return DocumentKind{}, "", fileError("The selected file is not an email: an .eml file starts with headers such as From: and Subject:")
		}
		kind = *named
		if charset != "" && kind.ContentType != KindEML.ContentType {
			contentType = kind.ContentType + "; charset=" + charset
		}
	case "application/octet-stream":
		if bytes.HasPrefix(content, oleMagic) && named.ContentType == KindMSG.ContentType {
			kind = KindMSG
			break
		}
		return notWhatItSays()
	default:
		return notWhatItSays()
	}
	if kind.ContentType != named.ContentType {
		return DocumentKind{}, "", fileError("The selected file is %s, but its name ends in %s: rename it or choose another file", withArticle(kind.Label), ext)
	}
	if contentType == "" {
		contentType = kind.ContentType
	}
	return kind, contentType, nil
}

// withArticle puts "a" or "an" before a label.
func withArticle(label string) string {
	if label != "" && strings.ContainsRune("AEIOUaeiou", rune(label[0])) {
		return "an " + label
	}
	return "a " + label
}

// isText reports whether the kind is plain text.
func (k DocumentKind) isText() bool {
	return k.ContentType == KindTXT.ContentType || k.ContentType == KindCSV.ContentType || k.ContentType == KindEML.ContentType
}

// identifyZip tells the office formats apart by the zip's file list: an OpenDocument file names its type in a
// "mimetype" entry, a Word file keeps its parts under word/, an Excel file under xl/. Anything else, a damaged
// zip included, is not accepted. It reads no more than the few bytes of the mimetype entry, so a zip bomb
// costs nothing.
func identifyZip(content []byte) (DocumentKind, bool) {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return DocumentKind{}, false
	}
	word, xl := false, false
	for _, f := range zr.File {
		switch {
		case f.Name == "mimetype":
			rc, err := f.Open()
			if err != nil {
				return DocumentKind{}, false
			}
			b, err := io.ReadAll(io.LimitReader(rc, 100))
			rc.Close()
			if err != nil {
				return DocumentKind{}, false
			}
			switch strings.TrimSpace(string(b)) {
			case KindODT.ContentType:
				return KindODT, true
			case KindODS.ContentType:
				return KindODS, true
			}
			return DocumentKind{}, false
		case strings.HasPrefix(f.Name, "word/"):
			word = true
		case strings.HasPrefix(f.Name, "xl/"):
			xl = true
		}
	}
	switch {
	case word && !xl:
		return KindDOCX, true
	case xl && !word:
		return KindXLSX, true
	}
	return DocumentKind{}, false
}

// hasBinaryBytes reports whether content holds a byte no text file has (the WHATWG "binary data bytes"),
// anywhere, not only in the first 512 bytes the sniffer looked at.
func hasBinaryBytes(content []byte) bool {
	for _, b := range content {
		if b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F) {
			return true
		}
	}
	return false
}

// looksLikeEmail reports whether text starts with an RFC 5322 header field ("Name: value").
func looksLikeEmail(content []byte) bool {
	content = bytes.TrimPrefix(content, []byte("\xEF\xBB\xBF"))
	line, _, _ := bytes.Cut(content, []byte("\n"))
	field, _, ok := bytes.Cut(line, []byte(":"))
	if !ok || len(field) == 0 {
		return false
	}
	for _, c := range field {
		if c <= ' ' || c >= 0x7F {
			return false
		}
	}
	return true
}
