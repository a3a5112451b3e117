package web

import (
	"net/http"
	"strconv"
	"time"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The disclosure-log API (issue 8), for decision-makers: propose a case's response, edit it, resolve the
// personal-data flags with reasons, publish, withdraw. The public reads the log at /disclosure-log.

// disclosureDraftRequest is the body of a proposal or an edit.
type disclosureDraftRequest struct {
	Title        string  `json:"title"`
	Summary      string  `json:"summary"`
	ReleasedText string  `json:"released_text"`
	DocumentIDs  []int64 `json:"document_ids"`
}

func (r disclosureDraftRequest) draft() foi.DisclosureDraft {
	return foi.DisclosureDraft{Title: r.Title, Summary: r.Summary, ReleasedText: r.ReleasedText, DocumentIDs: r.DocumentIDs}
}

type flagResolutionRequest struct {
	Resolution foi.FlagResolution `json:"resolution"`
	Reasons    string             `json:"reasons"`
}

type disclosureDocumentJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

type disclosureFlagJSON struct {
	Seq        int     `json:"seq"`
	Field      string  `json:"field"`
	Kind       string  `json:"kind"`
	KindLabel  string  `json:"kind_label"`
	Match      string  `json:"match"`
	Offset     int     `json:"offset"`
	Resolution *string `json:"resolution"` // null while unresolved
	Reasons    string  `json:"reasons"`
}

// disclosureEntryJSON is an entry as decision-makers see it through the API.
type disclosureEntryJSON struct {
	ID                int64                    `json:"id"`
	CaseID            int64                    `json:"case_id"`
	Party             string                   `json:"party"`
	Reference         string                   `json:"reference"`
	Title             string                   `json:"title"`
	Summary           string                   `json:"summary"`
	ReleasedText      string                   `json:"released_text"`
	Outcome           string                   `json:"outcome"`
	RespondedOn       *string                  `json:"responded_on"`
	Status            foi.DisclosureStatus     `json:"status"`
	Documents         []disclosureDocumentJSON `json:"documents"`
	Flags             []disclosureFlagJSON     `json:"flags"`
	UnresolvedFlags   int                      `json:"unresolved_flags"`
	ProposedAt        string                   `json:"proposed_at"`
	PublishedAt       *string                  `json:"published_at"`
	WithdrawnAt       *string                  `json:"withdrawn_at"`
	WithdrawalReasons string                   `json:"withdrawal_reasons"`
	Version           int64                    `json:"version"`
}

func jsonTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func toDisclosureEntryJSON(e foi.DisclosureEntry) disclosureEntryJSON {
	out := disclosureEntryJSON{ID: e.ID, CaseID: e.CaseID, Party: e.PartyCode, Reference: e.Reference, Title: e.Title,
		Summary: e.Summary, ReleasedText: e.ReleasedText, Outcome: string(e.Outcome), RespondedOn: jsonDate(e.RespondedOn),
		Status: e.Status, Documents: []disclosureDocumentJSON{}, Flags: []disclosureFlagJSON{},
		UnresolvedFlags: len(e.Unresolved()), ProposedAt: e.ProposedAt.UTC().Format(time.RFC3339),
		PublishedAt: jsonTime(e.PublishedAt), WithdrawnAt: jsonTime(e.WithdrawnAt), WithdrawalReasons: e.WithdrawalReasons,
		Version: e.Version}
	for _, d := range e.Documents {
		out.Documents = append(out.Documents, disclosureDocumentJSON{ID: d.ID, Name: d.Name, ContentType: d.ContentType, Size: d.Size})
	}
	for _, f := range e.Flags {
		j := disclosureFlagJSON{Seq: f.Seq, Field: f.Field, Kind: string(f.Kind), KindLabel: f.Kind.Label(), Match: f.Match,
			Offset: f.Offset, Reasons: f.Reasons}
		if f.Resolution != "" {
			r := string(f.Resolution)
			j.Resolution = &r
		}
		out.Flags = append(out.Flags, j)
	}
	return out
}

// disclosureRequest reads the disclosure-log service, the path's id and, when dst is not nil, the JSON body.
func (s *Server) disclosureRequest(c *gin.Context, dst any) (foi.DisclosureLogService, int64, bool) {
	ds, err := s.disclosureLog()
	if err == nil {
		var id int64
		if id, err = pathID(c, "id"); err == nil {
			if dst == nil {
				return ds, id, true
			}
			var body []byte
			if body, err = readBody(c); err == nil {
				if err = decodeJSON(body, dst); err == nil {
					return ds, id, true
				}
			}
		}
	}
	s.apiError(c, err)
	return nil, 0, false
}

// answerDisclosure writes the entry with its ETag, or the problem.
func (s *Server) answerDisclosure(c *gin.Context, status int, e foi.DisclosureEntry, err error) {
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("ETag", etag(e.Version))
	if status == http.StatusCreated {
		c.Header("Location", "/api/v1/disclosure-log/entries/"+strconv.FormatInt(e.ID, 10))
	}
	c.JSON(status, toDisclosureEntryJSON(e))
}

// apiDisclosurePropose answers POST /api/v1/cases/{id}/disclosure-log: propose the case's response for the log.
func (s *Server) apiDisclosurePropose(c *gin.Context) {
	var req disclosureDraftRequest
	ds, caseID, ok := s.disclosureRequest(c, &req)
	if !ok {
		return
	}
	e, err := ds.ProposeDisclosure(c.Request.Context(), caseID, req.draft())
	s.answerDisclosure(c, http.StatusCreated, e, err)
}

// apiDisclosureList answers GET /api/v1/disclosure-log/entries: the caller's party's entries, every status.
func (s *Server) apiDisclosureList(c *gin.Context) {
	ds, err := s.disclosureLog()
	if err != nil {
		s.apiError(c, err)
		return
	}
	list, err := ds.DisclosureEntries(c.Request.Context())
	if err != nil {
		s.apiError(c, err)
		return
	}
	items := []disclosureEntryJSON{}
	for _, e := range list {
		items = append(items, toDisclosureEntryJSON(e))
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// apiDisclosureGet answers GET /api/v1/disclosure-log/entries/{id}.
func (s *Server) apiDisclosureGet(c *gin.Context) {
	ds, id, ok := s.disclosureRequest(c, nil)
	if !ok {
		return
	}
	e, err := ds.DisclosureEntry(c.Request.Context(), id)
	s.answerDisclosure(c, http.StatusOK, e, err)
}

// apiDisclosureEdit answers PATCH /api/v1/disclosure-log/entries/{id}: new texts and documents for a proposed
// entry, checked again (If-Match honoured).
func (s *Server) apiDisclosureEdit(c *gin.Context) {
	version, err := ifMatch(c)
	if err != nil {
		s.apiError(c, err)
		return
	}
	var req disclosureDraftRequest
	ds, id, ok := s.disclosureRequest(c, &req)
	if !ok {
		return
	}
	e, err := ds.EditDisclosure(c.Request.Context(), id, version, req.draft())
	s.answerDisclosure(c, http.StatusOK, e, err)
}

// apiDisclosureResolveFlag answers POST /api/v1/disclosure-log/entries/{id}/flags/{seq}/resolution.
func (s *Server) apiDisclosureResolveFlag(c *gin.Context) {
	var req flagResolutionRequest
	ds, id, ok := s.disclosureRequest(c, &req)
	if !ok {
		return
	}
	seq, err := strconv.Atoi(c.Param("seq"))
	if err != nil || seq <= 0 {
		s.apiError(c, foi.Errorf(foi.ENOTFOUND, "There is nothing at %s.", c.Request.URL.Path))
		return
	}
	e, err := ds.ResolveDisclosureFlag(c.Request.Context(), id, seq, req.Resolution, req.Reasons)
	s.answerDisclosure(c, http.StatusOK, e, err)
}

// apiDisclosurePublish answers POST /api/v1/disclosure-log/entries/{id}/publish.
func (s *Server) apiDisclosurePublish(c *gin.Context) {
	ds, id, ok := s.disclosureRequest(c, nil)
	if !ok {
		return
	}
	e, err := ds.PublishDisclosure(c.Request.Context(), id)
	s.answerDisclosure(c, http.StatusOK, e, err)
}

// apiDisclosureWithdraw answers POST /api/v1/disclosure-log/entries/{id}/withdraw.
func (s *Server) apiDisclosureWithdraw(c *gin.Context) {
	var req reasonsRequest
	ds, id, ok := s.disclosureRequest(c, &req)
	if !ok {
		return
	}
	e, err := ds.WithdrawDisclosure(c.Request.Context(), id, req.Reasons)
	s.answerDisclosure(c, http.StatusOK, e, err)
}
