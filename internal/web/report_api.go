package web

import (
	"bytes"
	"mime"
	"net/http"
	"strings"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The report endpoints (issue 8): FOI statistics as JSON, CSV or ODS. They use the foi.ReportService the
// configured case service also implements (the store does), so Config needs no new field.

// reportRequest reads a report's period, party and format from the query string (from, to, party, format) and,
// when format is absent, the Accept header (text/csv, the ODS media type; anything else is JSON). It returns
// EINVALID naming each bad parameter: a date that is not one, from after to, a format not offered.
func reportRequest(c *gin.Context) (foi.ReportQuery, foi.ReportFormat, error) {
	var v foi.Validation
	q := foi.ReportQuery{From: parseDateParam(c, "from", &v), To: parseDateParam(c, "to", &v), Party: c.Query("party")}
	format := foi.ReportJSON
	if f, ok := c.GetQuery("format"); ok {
		var err error
		if format, err = foi.ParseReportFormat(f); err != nil {
			v.Add("format", foi.ErrorMessage(err))
		}
	} else {
		format = formatFromAccept(c.GetHeader("Accept"))
	}
	if !v.Has("from") && !v.Has("to") {
		if err := q.Validate(); err != nil {
			for _, f := range foi.ErrorFields(err) {
				v.Add(f.Field, f.Message)
			}
		}
	}
	return q, format, v.Err()
}

// formatFromAccept returns the first report format an Accept header names, JSON when it names none.
func formatFromAccept(accept string) foi.ReportFormat {
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return foi.ReportCSV
		case foi.ODSContentType:
			return foi.ReportODS
		case "application/json":
			return foi.ReportJSON
		}
	}
	return foi.ReportJSON
}

// sendReport answers tables as a CSV or ODS attachment named name plus the period, or body as JSON.
func (s *Server) sendReport(c *gin.Context, format foi.ReportFormat, name string, q foi.ReportQuery, tables func() []foi.ReportTable, body any) {
	if format == foi.ReportJSON {
		c.JSON(http.StatusOK, body)
		return
	}
	var buf bytes.Buffer
	var err error
	if format == foi.ReportCSV {
		err = foi.WriteCSV(&buf, tables())
	} else {
		err = foi.WriteODS(&buf, tables())
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	file := name + "-" + q.From.String() + "-to-" + q.To.String()
	if q.Party != "" {
		file += "-" + strings.ToLower(q.Party)
	}
	c.Header("Content-Disposition", `attachment; filename="`+file+"."+string(format)+`"`)
	c.Data(http.StatusOK, format.ContentType(), buf.Bytes())
}

// report answers a report request: it reads the period, party and format, lets build make the report with the
// report service, and sends it (see sendReport) under the file name name. It serves the API and the HTML
// pages' downloads alike: s.fail answers problem+json under /api/ and an error page elsewhere.
func (s *Server) report(c *gin.Context, name string,
	build func(rs foi.ReportService, q foi.ReportQuery) (foi.ReportQuery, func() []foi.ReportTable, any, error)) {
	rs, err := s.reports()
	if err != nil {
		s.fail(c, err)
		return
	}
	q, format, err := reportRequest(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q, tables, doc, err := build(rs, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendReport(c, format, name, q, tables, doc)
}

// apiReportStats answers GET /api/v1/reports/stats: the Cabinet Office statistics of the cases received from
// `from` to `to` by `party` (the caller's own by default).
func (s *Server) apiReportStats(c *gin.Context) {
	if !s.mayTry(c, foi.ActionReadReports) {
		return
	}
	s.report(c, "foi-statistics", func(rs foi.ReportService, q foi.ReportQuery) (foi.ReportQuery, func() []foi.ReportTable, any, error) {
		st, err := rs.Stats(c.Request.Context(), q)
		return st.Query, st.Tables, toStatsJSON(st), err
	})
}

// apiReportConsultations answers GET /api/v1/reports/consultations: consultations sent between each pair of
// parties from `from` to `to`, turnaround, open and overdue, outcomes and disputes.
func (s *Server) apiReportConsultations(c *gin.Context) {
	s.report(c, "consultations", func(rs foi.ReportService, q foi.ReportQuery) (foi.ReportQuery, func() []foi.ReportTable, any, error) {
		r, err := rs.ConsultationReport(c.Request.Context(), q)
		return r.Query, r.Tables, ConsultationReportDocument(r), err
	})
}
