package web

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"strings"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The report pages (issue 8): /reports (the FOI statistics) and /reports/consultations, with charts drawn on
// the server as SVG (readable without JavaScript, each followed by its table) and CSV and ODS downloads from
// /reports/stats/download and /reports/consultations/download (the API's handlers, on the session).

// reportPage is the data of the report pages: the period form and, once it is filled in, the report.
type reportPage struct {
	Form         *Form
	Stats        *statsView
	Consults     *consultationsView
	StatsHref    template.URL // the other report page and the downloads, for the same period
	ConsultsHref template.URL
	CSVHref      template.URL
	ODSHref      template.URL
}

// statsView is the statistics as the page shows them.
type statsView struct {
	S          foi.Stats
	InTime     string
	Granted    string
	GrantedExc string
	Withheld   string
	Charts     []template.HTML
}

// consultationsView is the consultation report as the page shows it.
type consultationsView struct {
	R      foi.ConsultationReport
	Charts []template.HTML
}

// percentText is a share for people: "87.5%", or "–" when undefined.
func percentText(p foi.Percent) string {
	if v, ok := p.Value(); ok {
		return fmt.Sprintf("%g%%", v)
	}
	return "–"
}

// reportForm reads the period form (GOV.UK date inputs from and to, and a party) into a query; it reports
// false, with the form's errors set, when the form is empty or wrong.
func reportForm(c *gin.Context) (*Form, foi.ReportQuery, bool) {
	f := NewForm(c.Request.URL.Query())
	if len(f.Values) == 0 {
		return f, foi.ReportQuery{}, false
	}
	q := foi.ReportQuery{From: f.Date("from", "the first day of the period", true),
		To: f.Date("to", "the last day of the period", true), Party: f.Trim("party")}
	if !f.OK() {
		return f, q, false
	}
	if err := q.Validate(); err != nil {
		f.Fail(err)
		return f, q, false
	}
	return f, q, true
}

// handleReportStats shows the FOI statistics page.
func (s *Server) handleReportStats(c *gin.Context) {
	s.reportPage(c, "Statistics", "report_stats", func(rs foi.ReportService, q foi.ReportQuery, page *reportPage) error {
		st, err := rs.Stats(c.Request.Context(), q)
		if err != nil {
			return err
		}
		page.Stats = &statsView{S: st, InTime: percentText(st.InTime), Granted: percentText(st.GrantedInFull),
			GrantedExc: percentText(st.GrantedExcludingSections), Withheld: percentText(st.WithheldInFull),
			Charts: []template.HTML{
				barChart("chart-timeliness", "Timeliness of processed requests", st.Timeliness),
				barChart("chart-outcomes", "Initial outcomes", st.Outcomes),
			}}
		return nil
	})
}

// handleReportConsultations shows the consultation report page.
func (s *Server) handleReportConsultations(c *gin.Context) {
	s.reportPage(c, "Consultations report", "report_consultations", func(rs foi.ReportService, q foi.ReportQuery, page *reportPage) error {
		r, err := rs.ConsultationReport(c.Request.Context(), q)
		if err != nil {
			return err
		}
		var rows []foi.StatsRow
		for _, p := range r.Pairs {
			rows = append(rows, foi.StatsRow{Key: p.Owner + "-" + p.Consulted, Label: p.Owner + " to " + p.Consulted, Count: p.Sent})
		}
		page.Consults = &consultationsView{R: r, Charts: []template.HTML{
			barChart("chart-sent", "Consultations sent, by party pair", rows),
			barChart("chart-consultation-outcomes", "Outcomes of consideration", r.Total.Outcomes),
		}}
		return nil
	})
}

// reportPage renders a report page: the period form, and the report build makes once the form is valid. A
// caller who may not read the report gets the error page; bad input is shown on the form.
func (s *Server) reportPage(c *gin.Context, title, name string, build func(foi.ReportService, foi.ReportQuery, *reportPage) error) {
	if s.requireUser(c) == nil {
		return
	}
	rs, err := s.reports()
	if err != nil {
		s.fail(c, err)
		return
	}
	f, q, ok := reportForm(c)
	page := &reportPage{Form: f, StatsHref: "/reports", ConsultsHref: "/reports/consultations"}
	if ok {
		if err := build(rs, q, page); err != nil && !f.Fail(err) {
			s.fail(c, err)
			return
		}
		form := url.Values{}
		for _, k := range []string{"from-day", "from-month", "from-year", "to-day", "to-month", "to-year", "party"} {
			if v := f.Trim(k); v != "" {
				form.Set(k, v)
			}
		}
		download := url.Values{"from": {q.From.String()}, "to": {q.To.String()}}
		if q.Party != "" {
			download.Set("party", q.Party)
		}
		base := "/reports/stats/download?"
		if name == "report_consultations" {
			base = "/reports/consultations/download?"
		}
		page.StatsHref = template.URL("/reports?" + form.Encode())
		page.ConsultsHref = template.URL("/reports/consultations?" + form.Encode())
		download.Set("format", "csv")
		page.CSVHref = template.URL(base + download.Encode())
		download.Set("format", "ods")
		page.ODSHref = template.URL(base + download.Encode())
	}
	p := s.page(c, title)
	p.Nav = "reports"
	p.Data = page
	s.renderForm(c, name, p, f)
}

// barChart draws rows as a horizontal bar chart in SVG, labelled for screen readers by title (the table that
// follows the chart on the page holds the same figures). Rows with no count are left out.
func barChart(id, title string, rows []foi.StatsRow) template.HTML {
	const width, labelWidth, barHeight, gap = 640, 260, 22, 8
	most := 0
	var shown []foi.StatsRow
	for _, r := range rows {
		if r.Count > 0 {
			shown = append(shown, r)
			most = max(most, r.Count)
		}
	}
	var b strings.Builder
	height := len(shown)*(barHeight+gap) + gap
	if len(shown) == 0 {
		height = barHeight + 2*gap
	}
	fmt.Fprintf(&b, `<figure class="app-chart" id="%s"><figcaption class="govuk-heading-s">%s</figcaption>`,
		html.EscapeString(id), html.EscapeString(title))
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="%s-title" viewBox="0 0 %d %d" width="100%%" height="%d">`,
		html.EscapeString(id), width, height, height)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title>`, html.EscapeString(id), html.EscapeString(title))
	if len(shown) == 0 {
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="16" fill="#0b0c0c">Nothing to show.</text>`, gap+16)
	}
	for i, r := range shown {
		y := gap + i*(barHeight+gap)
		w := (width - labelWidth - 60) * r.Count / most
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="14" fill="#0b0c0c">%s</text>`, y+16, html.EscapeString(r.Label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#1d70b8"><title>%s: %d</title></rect>`,
			labelWidth, y, max(w, 1), barHeight, html.EscapeString(r.Label), r.Count)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" fill="#0b0c0c">%d</text>`, labelWidth+max(w, 1)+6, y+16, r.Count)
	}
	b.WriteString(`</svg></figure>`)
	return template.HTML(b.String()) // every text in it was escaped above
}

// reportPeriodArgs and statsTableArgs are the arguments of the _report.html partials.
type reportPeriodArgs struct {
	Page   *reportPage
	Action string
}

type statsTableArgs struct {
	Title string
	Rows  []foi.StatsRow
}

func init() {
	// share writes a foi.Percent (or a non-nil *foi.Percent) as "87.5%" ("–" when undefined).
	templateFuncs["share"] = func(p any) string {
		switch v := p.(type) {
		case foi.Percent:
			return percentText(v)
		case *foi.Percent:
			if v != nil {
				return percentText(*v)
			}
		}
		return ""
	}
	templateFuncs["reportPeriod"] = func(p *reportPage, action string) reportPeriodArgs { return reportPeriodArgs{p, action} }
	templateFuncs["statsTable"] = func(title string, rows []foi.StatsRow) statsTableArgs { return statsTableArgs{title, rows} }
}
