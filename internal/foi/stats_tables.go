package foi

// Tables returns the statistics as the tables CSV and ODS downloads hold, in the Cabinet Office's order.
// Shares are per cent to one decimal place; an undefined share is an empty cell.
func (s Stats) Tables() []ReportTable {
	party := s.Query.Party
	if party == "" {
		party = "all parties"
	}
	about := []ReportTable{{Name: "Period", Title: "Period", Columns: []string{"item", "value"}, Rows: [][]any{
		{"From", s.Query.From.String()}, {"To", s.Query.To.String()}, {"Party", party},
		{"Status as at", s.MonitoredOn.String()},
	}}}
	received := ReportTable{Name: "Received", Title: "Requests received", Columns: []string{"category", "label", "count"},
		Rows: [][]any{{"total", "Requests received", s.Received}, {"foia", "Of which FOIA", s.ReceivedFOIA},
			{"eir", "Of which EIR", s.ReceivedEIR}}}
	headline := ReportTable{Name: "Headline", Title: "Headline measures", Columns: []string{"measure", "label", "count", "of", "percent"},
		Rows: [][]any{
			percentRow("in_time", "Responded to in time (met deadline or permitted extension)", s.InTime),
			percentRow("granted_in_full", "Resolvable requests granted in full", s.GrantedInFull),
			percentRow("withheld_in_full", "Resolvable requests withheld in full", s.WithheldInFull),
			percentRow("granted_in_full_excluding_s12_s14", "Granted in full, excluding s.12 and s.14 refusals", s.GrantedExcludingSections),
		}}
	sections := ReportTable{Name: "Exemptions", Title: "Exemptions and exceptions applied",
		Columns: []string{"regime", "section", "citation", "name", "count"}, Rows: [][]any{}}
	for _, r := range s.Sections {
		sections.Rows = append(sections.Rows, []any{string(r.Regime), r.Section, r.Citation, r.Name, r.Count})
	}
	quarters := ReportTable{Name: "Quarters", Title: "Requests received and answered in time, by quarter",
		Columns: []string{"quarter", "from", "to", "received", "eir", "processed", "in_time", "of", "percent"}}
	for _, q := range s.Quarters {
		quarters.Rows = append(quarters.Rows, []any{q.Label, q.From.String(), q.To.String(), q.Received, q.EIR, q.Processed,
			q.InTime.Num, q.InTime.Den, percentCell(&q.InTime)})
	}
	appeals := rowsTable("Appeals", "ICO complaints by outcome", s.Appeals)
	appeals.Rows = append(appeals.Rows, []any{"tribunal", "Appealed to the First-tier Tribunal", s.Tribunal, nil})
	return append(about, received, quarters,
		rowsTable("Status", "Status at the time of monitoring", s.Status),
		rowsTable("Timeliness", "Timeliness of processed requests", s.Timeliness),
		headline,
		rowsTable("Outcomes", "Initial outcomes (shares of resolvable requests)", s.Outcomes),
		rowsTable("Withheld", "Reasons for withholding (in full or in part)", s.Reasons),
		sections,
		rowsTable("Reviews", "Internal reviews by outcome", s.Reviews),
		appeals,
		rowsTable("Extensions", "Deadline extensions", s.Extensions),
	)
}

// rowsTable returns a table of StatsRows: key, label, count and share.
func rowsTable(name, title string, rows []StatsRow) ReportTable {
	t := ReportTable{Name: name, Title: title, Columns: []string{"category", "label", "count", "percent"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Key, r.Label, r.Count, percentCell(r.Percent)})
	}
	return t
}

// percentRow is a headline measure: numerator, denominator and share.
func percentRow(key, label string, p Percent) []any {
	return []any{key, label, p.Num, p.Den, percentCell(&p)}
}

// percentCell is a share as a cell: its value, or nil when undefined.
func percentCell(p *Percent) any {
	if p == nil {
		return nil
	}
	if v, ok := p.Value(); ok {
		return v
	}
	return nil
}
