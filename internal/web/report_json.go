package web

import "foidesk/internal/foi"

// statsRowJSON is one line of a statistics table.
type statsRowJSON struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Count   int      `json:"count"`
	Percent *float64 `json:"percent"` // null where the table has no share, or nothing to divide by
}

// shareJSON is a share: count of of, in per cent (null when of is 0).
type shareJSON struct {
	Count   int      `json:"count"`
	Of      int      `json:"of"`
	Percent *float64 `json:"percent"`
}

type receivedJSON struct {
	Total int `json:"total"`
	FOIA  int `json:"foia"`
	EIR   int `json:"eir"`
}

type sectionJSON struct {
	Regime   string `json:"regime"`
	Section  string `json:"section"`
	Citation string `json:"citation"`
	Name     string `json:"name"`
	Count    int    `json:"count"`
}

type reviewsJSON struct {
	Received int            `json:"received"`
	Outcomes []statsRowJSON `json:"outcomes"`
}

type appealsJSON struct {
	Received int            `json:"received"`
	Tribunal int            `json:"tribunal"`
	Outcomes []statsRowJSON `json:"outcomes"`
}

// statsJSON is the answer to GET /api/v1/reports/stats.
type statsJSON struct {
	From                      string         `json:"from"`
	To                        string         `json:"to"`
	Party                     *string        `json:"party"` // null: every party
	MonitoredOn               string         `json:"monitored_on"`
	Received                  receivedJSON   `json:"received"`
	Status                    []statsRowJSON `json:"status"`
	Processed                 int            `json:"processed"`
	Timeliness                []statsRowJSON `json:"timeliness"`
	InTime                    shareJSON      `json:"in_time"`
	Outcomes                  []statsRowJSON `json:"outcomes"`
	Resolvable                int            `json:"resolvable"`
	GrantedInFull             shareJSON      `json:"granted_in_full"`
	WithheldInFull            shareJSON      `json:"withheld_in_full"`
	GrantedExcludingProcedure shareJSON      `json:"granted_in_full_excluding_s12_s14"`
	Withheld                  int            `json:"withheld"`
	WithholdingReasons        []statsRowJSON `json:"withholding_reasons"`
	Exemptions                []sectionJSON  `json:"exemptions"`
	InternalReviews           reviewsJSON    `json:"internal_reviews"`
	ICOAppeals                appealsJSON    `json:"ico_appeals"`
	Extensions                []statsRowJSON `json:"extensions"`
	Quarters                  []quarterJSON  `json:"quarters"`
}

// quarterJSON is one quarter of the period: received and in time.
type quarterJSON struct {
	Label     string    `json:"label"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Received  int       `json:"received"`
	EIR       int       `json:"eir"`
	Processed int       `json:"processed"`
	InTime    shareJSON `json:"in_time"`
}

func toShareJSON(p foi.Percent) shareJSON {
	return shareJSON{Count: p.Num, Of: p.Den, Percent: percentJSON(&p)}
}

func percentJSON(p *foi.Percent) *float64 {
	if p == nil {
		return nil
	}
	if v, ok := p.Value(); ok {
		return &v
	}
	return nil
}

func toRowsJSON(rows []foi.StatsRow) []statsRowJSON {
	out := make([]statsRowJSON, 0, len(rows))
	for _, r := range rows {
		out = append(out, statsRowJSON{Key: r.Key, Label: r.Label, Count: r.Count, Percent: percentJSON(r.Percent)})
	}
	return out
}

func toStatsJSON(s foi.Stats) statsJSON {
	out := statsJSON{From: s.Query.From.String(), To: s.Query.To.String(), MonitoredOn: s.MonitoredOn.String(),
		Received: receivedJSON{Total: s.Received, FOIA: s.ReceivedFOIA, EIR: s.ReceivedEIR},
		Status:   toRowsJSON(s.Status), Processed: s.Processed, Timeliness: toRowsJSON(s.Timeliness),
		InTime: toShareJSON(s.InTime), Outcomes: toRowsJSON(s.Outcomes), Resolvable: s.Resolvable,
		GrantedInFull: toShareJSON(s.GrantedInFull), WithheldInFull: toShareJSON(s.WithheldInFull),
		GrantedExcludingProcedure: toShareJSON(s.GrantedExcludingSections), Withheld: s.Withheld,
		WithholdingReasons: toRowsJSON(s.Reasons), Exemptions: []sectionJSON{},
		InternalReviews: reviewsJSON{Received: s.ReviewsReceived, Outcomes: toRowsJSON(s.Reviews)},
		ICOAppeals:      appealsJSON{Received: s.AppealsReceived, Tribunal: s.Tribunal, Outcomes: toRowsJSON(s.Appeals)},
		Extensions:      toRowsJSON(s.Extensions)}
	if s.Query.Party != "" {
		p := s.Query.Party
		out.Party = &p
	}
	out.Quarters = []quarterJSON{}
	for _, q := range s.Quarters {
		out.Quarters = append(out.Quarters, quarterJSON{Label: q.Label, From: q.From.String(), To: q.To.String(),
			Received: q.Received, EIR: q.EIR, Processed: q.Processed, InTime: toShareJSON(q.InTime)})
	}
	for _, r := range s.Sections {
		out.Exemptions = append(out.Exemptions, sectionJSON{Regime: string(r.Regime), Section: r.Section,
			Citation: r.Citation, Name: r.Name, Count: r.Count})
	}
	return out
}

// StatsDocument returns the statistics as GET /api/v1/reports/stats answers them in JSON, for the command line
// to print the same document.
func StatsDocument(s foi.Stats) any { return toStatsJSON(s) }

type turnaroundJSON struct {
	Count  int      `json:"count"`
	Median *float64 `json:"median_working_days"` // null when no representations came
	P90    *int     `json:"p90_working_days"`
}

type disputeSummaryJSON struct {
	Opened   int            `json:"opened"`
	Open     int            `json:"open"`
	Stages   []statsRowJSON `json:"open_by_stage"`
	Outcomes []statsRowJSON `json:"resolved_by_outcome"`
}

// consultationPairJSON is one party pair of the consultation report (owner and consulted null for the total).
type consultationPairJSON struct {
	Owner      *string            `json:"consulting_party"`
	Consulted  *string            `json:"consulted_party"`
	Sent       int                `json:"sent"`
	Answered   int                `json:"representations"`
	OnTime     int                `json:"on_time"`
	Turnaround turnaroundJSON     `json:"turnaround"`
	Open       int                `json:"open"`
	Overdue    int                `json:"overdue"`
	Outcomes   []statsRowJSON     `json:"outcomes"`
	Disputes   disputeSummaryJSON `json:"disputes"`
}

// consultationReportJSON is the answer to GET /api/v1/reports/consultations.
type consultationReportJSON struct {
	From        string                 `json:"from"`
	To          string                 `json:"to"`
	Party       *string                `json:"party"`
	MonitoredOn string                 `json:"monitored_on"`
	Pairs       []consultationPairJSON `json:"pairs"`
	Total       consultationPairJSON   `json:"total"`
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toConsultationPairJSON(p foi.ConsultationPair) consultationPairJSON {
	out := consultationPairJSON{Owner: optString(p.Owner), Consulted: optString(p.Consulted), Sent: p.Sent,
		Answered: p.Answered, OnTime: p.OnTime, Turnaround: turnaroundJSON{Count: p.Turnaround.Count}, Open: p.Open,
		Overdue: p.Overdue, Outcomes: toRowsJSON(p.Outcomes), Disputes: disputeSummaryJSON{Opened: p.Disputes.Opened,
			Open: p.Disputes.Open, Stages: toRowsJSON(p.Disputes.Stages), Outcomes: toRowsJSON(p.Disputes.Outcomes)}}
	if p.Turnaround.Count > 0 {
		median, p90 := p.Turnaround.Median, p.Turnaround.P90
		out.Turnaround.Median, out.Turnaround.P90 = &median, &p90
	}
	return out
}

// ConsultationReportDocument returns the consultation report as GET /api/v1/reports/consultations answers it.
func ConsultationReportDocument(r foi.ConsultationReport) any {
	out := consultationReportJSON{From: r.Query.From.String(), To: r.Query.To.String(), Party: optString(r.Query.Party),
		MonitoredOn: r.MonitoredOn.String(), Pairs: []consultationPairJSON{}, Total: toConsultationPairJSON(r.Total)}
	for _, p := range r.Pairs {
		out.Pairs = append(out.Pairs, toConsultationPairJSON(p))
	}
	return out
}
