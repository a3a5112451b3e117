package web

import (
	"net/url"
	"strconv"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// outboxPage is what /admin/outbox shows.
type outboxPage struct {
	Form     *Form
	Statuses []Option
	Status   string // the status filter in force, "" for all
	Messages []outboxRow
}

type outboxRow struct {
	ID                                                  int64
	To, Template, Status, StatusClass, Created, NextTry string
	Sent, LastError                                     string
	Attempts                                            int
	Dead                                                bool
}

var outboxStatusTags = map[foi.OutboxStatus]string{foi.OutboxPending: "govuk-tag--blue",
	foi.OutboxSending: "govuk-tag--yellow", foi.OutboxSent: "govuk-tag--green", foi.OutboxDead: "govuk-tag--red"}

// handleAdminOutbox lists the outbox, newest first, filtered by status (GET /admin/outbox?status=dead).
func (s *Server) handleAdminOutbox(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageOutbox) == nil {
		return
	}
	s.renderOutbox(c, NewForm(url.Values{"status": {c.Query("status")}}))
}

// renderOutbox shows the outbox with the status filter of f; an unknown status is an error on the filter.
func (s *Server) renderOutbox(c *gin.Context, f *Form) {
	ob, err := s.outbox()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	status := foi.OutboxStatus(f.Trim("status"))
	data := &outboxPage{Form: f, Status: string(status), Statuses: []Option{{Value: "", Label: "Any status"}}}
	for _, st := range []foi.OutboxStatus{foi.OutboxDead, foi.OutboxPending, foi.OutboxSending, foi.OutboxSent} {
		data.Statuses = append(data.Statuses, Option{Value: string(st), Label: outboxStatusLabel(st)})
	}
	if status != "" && !status.Valid() {
		f.AddError("status", "Select a status from the list")
	} else {
		msgs, err := ob.ListOutbox(c.Request.Context(), status)
		if err != nil && !f.Fail(err) {
			s.htmlError(c, err)
			return
		}
		for _, m := range msgs {
			row := outboxRow{ID: m.ID, To: m.To, Template: m.Template, Status: outboxStatusLabel(m.Status),
				StatusClass: outboxStatusTags[m.Status], Attempts: m.Attempts, LastError: m.LastError,
				Created: formatTime(m.CreatedAt, ""), Sent: formatTime(m.SentAt, ""), Dead: m.Status == foi.OutboxDead}
			if m.Status == foi.OutboxPending {
				row.NextTry = formatTime(m.NextAttemptAt, "")
			}
			data.Messages = append(data.Messages, row)
		}
	}
	p := s.adminPage(c, "Outbox")
	p.Data = data
	s.renderForm(c, "admin_outbox", p, f)
}

// outboxStatusLabel names a status for people.
func outboxStatusLabel(st foi.OutboxStatus) string {
	switch st {
	case foi.OutboxPending:
		return "Waiting"
	case foi.OutboxSending:
		return "Sending"
	case foi.OutboxSent:
		return "Sent"
	case foi.OutboxDead:
		return "Dead letter"
	}
	return string(st)
}

// handleAdminOutboxRetry makes a dead letter pending again (POST /admin/outbox/{id}/retry): the worker sends it
// at its next pass, with the same Message-ID.
func (s *Server) handleAdminOutboxRetry(c *gin.Context) {
	ob, ok := serviceFor(s, c, foi.ActionManageOutbox, s.outbox)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such message"))
		return
	}
	back := c.PostForm("status")
	if err := ob.RetryOutbox(c.Request.Context(), id); err != nil {
		f := NewForm(url.Values{"status": {back}})
		if f.Fail(err) { // no longer dead: someone retried it already
			s.renderOutbox(c, f)
			return
		}
		s.htmlError(c, err)
		return
	}
	path := "/admin/outbox"
	if foi.OutboxStatus(back).Valid() {
		path += "?status=" + back
	}
	s.redirectFlash(c, path, "Message "+strconv.FormatInt(id, 10)+" will be sent again at the next delivery run.")
}
