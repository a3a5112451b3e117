package web

import (
	"net/http"
	"strconv"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The audit pages (issue 7): /audit, the audit log with filters and pagination, and /audit/verify, the
// verification of its hash chain, for auditors and admins (anyone else gets the 404). Who sees which events is
// the domain's rule, foi.AuditScope: an admin sees every event; an auditor sees the events about their own
// party's records (cases, consultations, contacts, users of that party), never another party's nor the
// instance-wide ones. The chain check covers the whole log, since a gap anywhere breaks it, and reports only
// counts, so it shows nothing of other parties' events.

// auditPage is what /audit shows.
type auditPage struct {
	Form      *Form
	Parties   []Option
	Events    []auditRow
	NextPage  string // older events
	FirstPage string // the newest events, when this is a later page
}

type auditRow struct {
	Seq                                          int64
	At, Actor, Action, Record, Party, IP, Detail string
	Href                                         string // a page about the record, when there is one
}

// auditFilterFields are the query parameters of the audit log's filters besides the dates.
var auditFilterFields = []string{"actor", "action", "record_type", "record_id", "party"}

// handleAudit shows the audit log (GET /audit): actor, action (or its prefix: "case"), record_type, record_id,
// party, from and to (date inputs: from-day, from-month, from-year) filter it; before pages on.
func (s *Server) handleAudit(c *gin.Context) {
	u := s.requireAllowed(c, foi.ActionReadAudit)
	if u == nil {
		return
	}
	as, err := s.auditLog()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	q := c.Request.URL.Query()
	f := NewForm(cloneValues(q))
	filter := foi.AuditFilter{Actor: f.Trim("actor"), Action: f.Trim("action"), RecordType: f.Trim("record_type"),
		RecordID: f.Trim("record_id"), PartyCode: f.Trim("party"),
		From: f.Date("from", "the start of the date range", false), To: f.Date("to", "the end of the date range", false)}
	if b := q.Get("before"); b != "" {
		if filter.Before, err = strconv.ParseInt(b, 10, 64); err != nil || filter.Before <= 0 {
			filter.Before = 0
		}
	}
	reg, err := s.cfg.Registers.Registers(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &auditPage{Form: f, Parties: []Option{{Value: "", Label: "Any party"}}}
	for _, p := range reg.Parties {
		if u.Role == foi.RoleAdmin || u.PartyID == 0 || u.PartyID == p.ID {
			data.Parties = append(data.Parties, Option{Value: p.Code, Label: p.Name + " (" + p.Code + ")"})
		}
	}
	if f.OK() {
		page, err := as.ListAudit(c.Request.Context(), filter)
		if err != nil && !f.Fail(err) {
			s.htmlError(c, err)
			return
		}
		for _, e := range page.Events {
			data.Events = append(data.Events, auditRowOf(u, e, reg))
		}
		base := cloneValues(q)
		base.Del("before")
		if page.NextBefore != 0 {
			next := cloneValues(base)
			next.Set("before", strconv.FormatInt(page.NextBefore, 10))
			data.NextPage = "/audit?" + next.Encode()
		}
		if filter.Before != 0 {
			data.FirstPage = "/audit?" + base.Encode()
		}
	}
	p := s.navPage(c, "Audit log", "audit")
	p.Data = data
	s.renderForm(c, "audit", p, f)
}

// auditRowOf shows an event, with a link to the case it is about.
func auditRowOf(viewer *foi.User, e foi.AuditEvent, reg foi.Registers) auditRow {
	r := auditRow{Seq: e.Seq, At: formatTime(e.At, "2 Jan 2006, 15:04:05"), Actor: e.ActorLabel, Action: e.Action, IP: e.IP,
		Detail: e.Detail, Party: reg.PartyCode(e.PartyID), Record: e.RecordType}
	if e.RecordID != "" && e.RecordID != "0" {
		r.Record += " " + e.RecordID
		// A link only for a viewer who may open the case: an admin reads the log, not the cases.
		if e.RecordType == "case" && foi.Can(viewer, foi.ActionReadCase, foi.Scope{OwnerPartyID: e.PartyID}) == nil {
			r.Href = "/cases/" + e.RecordID
		}
	}
	return r
}

// auditVerifyPage is what /audit/verify shows.
type auditVerifyPage struct {
	OK              bool
	Events, LastSeq int64
	Problem         string
	CheckedAt       string
}

// handleAuditVerify checks the whole audit chain and shows the result (GET /audit/verify), as
// `foidesk audit verify` does: every event follows the one before and matches its hash, and the log ends where
// the chain's head says.
func (s *Server) handleAuditVerify(c *gin.Context) {
	as, ok := serviceFor(s, c, foi.ActionReadAudit, s.auditLog)
	if !ok {
		return
	}
	data := &auditVerifyPage{CheckedAt: formatTime(s.now(), "")}
	rep, err := as.VerifyAudit(c.Request.Context())
	switch foi.ErrorCode(err) {
	case "":
		data.OK, data.Events, data.LastSeq = true, rep.Events, rep.LastSeq
	case foi.ECONFLICT:
		data.Problem = foi.ErrorMessage(err)
	default:
		s.htmlError(c, err)
		return
	}
	p := s.navPage(c, "Audit chain", "audit")
	p.Data = data
	c.Header("Cache-Control", "private, no-store")
	s.pages.HTML(c, http.StatusOK, "audit_verify", p)
}
