package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The public disclosure log (issue 8): /disclosure-log as GOV.UK pages, /disclosure-log.json and
// /disclosure-log.atom, open to anyone without signing in. It shows only published entries and the tombstones
// of withdrawn ones, never the requester. It uses the foi.DisclosureLogService the configured case service
// also implements.

// disclosureView is a public entry as the pages show it.
type disclosureView struct {
	ID                int64
	Reference         string
	Title             string
	Summary           string
	Released          []string // the released text, paragraph by paragraph
	Outcome           string
	RespondedOn       string
	PublishedOn       string
	Documents         []disclosureDocView
	Withdrawn         bool
	WithdrawnOn       string
	WithdrawalReasons string
}

type disclosureLogPage struct {
	Entries   []disclosureView
	CanManage bool // the viewer is a decision-maker, who manages the party's entries
}

func toDisclosureView(p foi.PublicDisclosure) disclosureView {
	v := disclosureView{ID: p.ID, Reference: p.Reference, Title: p.Title, Summary: p.Summary,
		Outcome: p.Outcome.Label(), RespondedOn: formatTime(p.RespondedOn.Time(), "2 January 2006"),
		PublishedOn: formatTime(p.PublishedAt, "2 January 2006"), Withdrawn: p.Withdrawn,
		WithdrawnOn: formatTime(p.WithdrawnAt, "2 January 2006"), WithdrawalReasons: p.WithdrawalReasons}
	if !p.RespondedOn.IsZero() {
		v.RespondedOn = p.RespondedOn.Time().Format("2 January 2006")
	}
	for _, para := range strings.Split(strings.ReplaceAll(p.ReleasedText, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			v.Released = append(v.Released, para)
		}
	}
	for _, d := range p.Documents {
		v.Documents = append(v.Documents, disclosureDocView{Name: d.Name,
			Href: fmt.Sprintf("/disclosure-log/%d/documents/%d", p.ID, d.ID)})
	}
	return v
}

// disclosureDocView is a released document as the public page links it.
type disclosureDocView struct{ Name, Href string }

// handleDisclosureLogDocument serves a document released with a published entry, to anyone
// (GET /disclosure-log/{id}/documents/{docID}); the GOV.UK 404 otherwise.
func (s *Server) handleDisclosureLogDocument(c *gin.Context) {
	ds, err := s.disclosureLog()
	if err == nil {
		var id, docID int64
		if id, err = pathID(c, "id"); err == nil {
			if docID, err = pathID(c, "docID"); err == nil {
				var doc foi.DisclosureDocument
				var content []byte
				if doc, content, err = ds.PublicDisclosureDocument(c.Request.Context(), id, docID); err == nil {
					serveFile(c, doc.Name, doc.SHA256, doc.ContentType, content)
					return
				}
			}
		}
	}
	s.fail(c, err)
}

// publicDisclosures returns the public log, or answers the problem and false.
func (s *Server) publicDisclosures(c *gin.Context) ([]foi.PublicDisclosure, bool) {
	ds, err := s.disclosureLog()
	if err == nil {
		var list []foi.PublicDisclosure
		if list, err = ds.PublicDisclosures(c.Request.Context(), 0); err == nil {
			return list, true
		}
	}
	s.fail(c, err)
	return nil, false
}

// handleDisclosureLog shows the public disclosure log.
func (s *Server) handleDisclosureLog(c *gin.Context) {
	list, ok := s.publicDisclosures(c)
	if !ok {
		return
	}
	page := disclosureLogPage{}
	if sess, ok := session(c); ok {
		page.CanManage = canManageDisclosures(sess.User)
	}
	for _, p := range list {
		page.Entries = append(page.Entries, toDisclosureView(p))
	}
	p := s.page(c, "Disclosure log")
	p.Data = page
	s.pages.HTML(c, http.StatusOK, "disclosure_log", p)
}

// handleDisclosureLogEntry shows one public entry or its tombstone.
func (s *Server) handleDisclosureLogEntry(c *gin.Context) {
	ds, err := s.disclosureLog()
	if err != nil {
		s.fail(c, err)
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	e, err := ds.PublicDisclosure(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.page(c, e.Reference)
	p.Data = toDisclosureView(e)
	s.pages.HTML(c, http.StatusOK, "disclosure_log_entry", p)
}

// publicDisclosureJSON is a public entry in /disclosure-log.json: a tombstone has withdrawn true and no
// title, summary, text or documents.
type publicDisclosureJSON struct {
	ID                int64    `json:"id"`
	URL               string   `json:"url"`
	Party             string   `json:"party"`
	Reference         string   `json:"reference"`
	Title             string   `json:"title,omitempty"`
	Summary           string   `json:"summary,omitempty"`
	ReleasedText      string   `json:"released_text,omitempty"`
	Outcome           string   `json:"outcome,omitempty"`
	RespondedOn       *string  `json:"responded_on"`
	PublishedAt       string   `json:"published_at"`
	Documents         []string `json:"documents"`
	Withdrawn         bool     `json:"withdrawn"`
	WithdrawnAt       *string  `json:"withdrawn_at,omitempty"`
	WithdrawalReasons string   `json:"withdrawal_reasons,omitempty"`
}

// handleDisclosureLogJSON answers /disclosure-log.json: {"entries": [...]}, newest first.
func (s *Server) handleDisclosureLogJSON(c *gin.Context) {
	list, ok := s.publicDisclosures(c)
	if !ok {
		return
	}
	out := []publicDisclosureJSON{}
	for _, p := range list {
		j := publicDisclosureJSON{ID: p.ID, URL: "/disclosure-log/" + strconv.FormatInt(p.ID, 10), Party: p.PartyCode,
			Reference: p.Reference, Title: p.Title, Summary: p.Summary, ReleasedText: p.ReleasedText,
			Outcome: string(p.Outcome), RespondedOn: jsonDate(p.RespondedOn), PublishedAt: p.PublishedAt.UTC().Format(time.RFC3339),
			Documents: []string{}, Withdrawn: p.Withdrawn, WithdrawalReasons: p.WithdrawalReasons}
		if p.WithdrawnAt != nil {
			w := p.WithdrawnAt.UTC().Format(time.RFC3339)
			j.WithdrawnAt = &w
		}
		for _, d := range p.Documents {
			j.Documents = append(j.Documents, d.Name)
		}
		out = append(out, j)
	}
	c.JSON(http.StatusOK, gin.H{"entries": out})
}

// atomFeed and atomEntry are the Atom (RFC 4287) documents of /disclosure-log.atom.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Link    []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// handleDisclosureLogAtom answers /disclosure-log.atom: one entry per public entry, a withdrawn one updated to
// its withdrawal and saying so. Links are absolute, from the request's host.
func (s *Server) handleDisclosureLogAtom(c *gin.Context) {
	list, ok := s.publicDisclosures(c)
	if !ok {
		return
	}
	scheme := "http"
	if c.Request.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	base := scheme + "://" + c.Request.Host
	feed := atomFeed{Title: "foidesk disclosure log", ID: base + "/disclosure-log", Author: atomAuthor{Name: "foidesk"},
		Link:    []atomLink{{Href: base + "/disclosure-log.atom", Rel: "self"}, {Href: base + "/disclosure-log"}},
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339)}
	for i, p := range list {
		url := base + "/disclosure-log/" + strconv.FormatInt(p.ID, 10)
		updated := p.PublishedAt
		e := atomEntry{Title: p.Reference + ": " + p.Title, ID: url, Link: atomLink{Href: url}, Summary: p.Summary}
		if p.Withdrawn && p.WithdrawnAt != nil {
			updated = *p.WithdrawnAt
			e.Title, e.Summary = p.Reference+": withdrawn", "Withdrawn: "+p.WithdrawalReasons
		}
		e.Updated = updated.UTC().Format(time.RFC3339)
		if i == 0 || updated.UTC().Format(time.RFC3339) > feed.Updated {
			feed.Updated = e.Updated
		}
		feed.Entries = append(feed.Entries, e)
	}
	b, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), b...))
}
