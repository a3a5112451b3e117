package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// multipartOverhead is what an upload body may carry beyond the file itself: part headers, boundaries and the
// name field.
const multipartOverhead = 64 << 10

// maxNameField is the longest value the name field of an upload may have, in bytes.
const maxNameField = 4 << 10

// documentJSON is a document's metadata as the API shows it.
type documentJSON struct {
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

func toDocumentJSON(d *foi.Document) documentJSON {
	return documentJSON{ID: d.ID, CaseID: d.CaseID, Name: d.Name, Version: d.Version, ContentType: d.ContentType,
		Size: d.Size, SHA256: d.SHA256, UploadedBy: d.UploadedBy, UploadedAt: d.UploadedAt.UTC()}
}

// documentListResponse is the body of GET /api/v1/cases/{id}/documents.
type documentListResponse struct {
	Items []documentJSON `json:"items"`
}

// maxUploadBytes is the configured upload limit, or foi.DefaultMaxDocumentBytes.
func (s *Server) maxUploadBytes() int64 {
	if s.cfg.MaxUploadBytes > 0 {
		return s.cfg.MaxUploadBytes
	}
	return foi.DefaultMaxDocumentBytes
}

// documentLocation is the URL of a document's content.
func documentLocation(caseID, docID int64) string {
	return "/api/v1/cases/" + strconv.FormatInt(caseID, 10) + "/documents/" + strconv.FormatInt(docID, 10)
}

// apiDocumentUpload answers POST /api/v1/cases/{id}/documents, a multipart/form-data body with the file in
// the field "file" and, optionally, the name to keep it under in "name" (when absent or blank, the file's own
// name).
// A name the case already has gets the next version. 201 with the metadata; 422 naming "file" for an empty,
// oversized, unaccepted or disguised file, or "name" for a bad name.
func (s *Server) apiDocumentUpload(c *gin.Context) {
	if !s.mayTry(c, foi.ActionWorkCase) { // liaisons, auditors and admins hear so before the upload is read
		return
	}
	svc, err := s.documents()
	if err != nil {
		s.apiError(c, err)
		return
	}
	caseID, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	limit := s.maxUploadBytes()
	up, err := readUpload(c, limit)
	if err != nil {
		s.apiError(c, err)
		return
	}
	doc, err := svc.UploadDocument(c.Request.Context(), caseID, foi.NewDocument{Name: up.name, Content: up.content, MaxBytes: limit})
	if err != nil {
		if !up.nameGiven {
			err = renameField(err, "name", "file") // the name came from the file: the file is what to fix
		}
		s.apiError(c, err)
		return
	}
	c.Header("Location", documentLocation(caseID, doc.ID))
	c.Header("ETag", `"`+doc.SHA256+`"`)
	c.JSON(http.StatusCreated, toDocumentJSON(doc))
}

// upload is what an upload body carried.
type upload struct {
	name      string
	nameGiven bool // the name field was sent
	content   []byte
}

// readUpload reads a multipart upload, streaming: the body as a whole is capped at limit plus the multipart
// overhead, and the file is read to at most limit+1 bytes, so an oversized upload is refused (422 naming
// "file", with the limit) without ever being held in memory. Fields other than file and name are refused,
// as unknown JSON fields are.
func readUpload(c *gin.Context, limit int64) (upload, error) {
	var up upload
	mediaType, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return up, foi.Errorf(foi.EBADREQUEST, "The body must be multipart/form-data, with the file in the field \"file\".")
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, limit+multipartOverhead)
	mr := multipart.NewReader(body, params["boundary"])
	tooLarge := invalidField("file", foi.TooLargeMessage(limit))
	unreadable := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return foi.Errorf(foi.EBADREQUEST, "The multipart body could not be read.")
	}
	haveFile := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, unreadable(err)
		}
		switch field := part.FormName(); field {
		case "file":
			if haveFile {
				return up, invalidField("file", "Upload one file at a time")
			}
			haveFile = true
			up.content, err = io.ReadAll(io.LimitReader(part, limit+1))
			if err != nil {
				return up, unreadable(err)
			}
			if int64(len(up.content)) > limit {
				return up, tooLarge
			}
			if !up.nameGiven {
				up.name = baseName(part.FileName())
			}
		case "name":
			b, err := io.ReadAll(io.LimitReader(part, maxNameField+1))
			if err != nil {
				return up, unreadable(err)
			}
			if len(b) > maxNameField {
				return up, invalidField("name", "The document name is too long")
			}
			if strings.TrimSpace(string(b)) != "" { // a form's empty name field means "the file's own name"
				up.name, up.nameGiven = string(b), true
			}
		default:
			return up, invalidField(field, "Unknown field "+field+": send the file in \"file\" and, optionally, its name in \"name\"")
		}
		part.Close()
	}
	if !haveFile {
		return up, invalidField("file", "Select a file to upload, in the field \"file\"")
	}
	return up, nil
}

// baseName is the last element of a file name a browser sent, which some send as a full Windows path.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// renameField returns err with its field errors for from reported for to instead.
func renameField(err error, from, to string) error {
	var de *foi.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	out := *de
	out.Fields = make([]foi.FieldError, len(de.Fields))
	for i, f := range de.Fields {
		if f.Field == from {
			f.Field = to
		}
		out.Fields[i] = f
	}
	return &out
}

// apiDocumentList answers GET /api/v1/cases/{id}/documents: every version of every document, by name and
// newest version first.
func (s *Server) apiDocumentList(c *gin.Context) {
	svc, err := s.documents()
	if err != nil {
		s.apiError(c, err)
		return
	}
	caseID, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	docs, err := svc.ListDocuments(c.Request.Context(), caseID)
	if err != nil {
		s.apiError(c, err)
		return
	}
	resp := documentListResponse{Items: make([]documentJSON, 0, len(docs))}
	for i := range docs {
		resp.Items = append(resp.Items, toDocumentJSON(&docs[i]))
	}
	c.JSON(http.StatusOK, resp)
}

// apiDocumentDownload answers GET /api/v1/cases/{id}/documents/{docID} with the document's bytes, as an
// attachment the browser neither sniffs nor renders, with its SHA-256 as the ETag. The download is audited.
func (s *Server) apiDocumentDownload(c *gin.Context) {
	svc, err := s.documents()
	if err != nil {
		s.apiError(c, err)
		return
	}
	caseID, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	docID, err := pathID(c, "docID")
	if err != nil {
		s.apiError(c, err)
		return
	}
	doc, content, err := svc.DownloadDocument(c.Request.Context(), caseID, docID)
	if err != nil {
		s.apiError(c, err)
		return
	}
	serveFile(c, doc.Name, doc.SHA256, doc.ContentType, content)
}

// attachment is a Content-Disposition that saves the file under its name: an ASCII fallback in filename
// (anything else, and quotes and backslashes, become "_") and, when the name is not plain ASCII, the exact
// name in filename* (RFC 6266, RFC 8187).
func attachment(name string) string {
	var fallback strings.Builder
	ascii := true
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7F || r == '"' || r == '\\' || r == '/':
			fallback.WriteByte('_')
		case r > 0x7E:
			fallback.WriteByte('_')
			ascii = false
		default:
			fallback.WriteRune(r)
		}
	}
	v := `attachment; filename="` + fallback.String() + `"`
	if !ascii {
		v += "; filename*=UTF-8''" + encodeRFC8187(name)
	}
	return v
}

// encodeRFC8187 percent-encodes every byte of s that is not an RFC 8187 attr-char.
func encodeRFC8187(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
