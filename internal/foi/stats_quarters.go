package foi

import (
	"fmt"
	"time"

	"foidesk/internal/calendar"
)

// StatsQuarter is one calendar quarter of a period (Cabinet Office tables 2 and 4): the requests received in
// it and the share answered in time.
type StatsQuarter struct {
	From, To  calendar.Date // the quarter clipped to the period
	Label     string        // "2026 Q1" (January to March)
	Received  int
	EIR       int
	Processed int
	InTime    Percent
}

// Quarters splits the period from..to into calendar quarters (January to March is Q1), the first and last
// clipped to the period; none when from is after to.
func Quarters(from, to calendar.Date) []StatsQuarter {
	var out []StatsQuarter
	for d := from; !d.After(to) && !d.IsZero(); {
		q := (int(d.Month()) - 1) / 3
		next := calendar.NewDate(d.Year(), time.Month(q*3+4), 1) // NewDate normalises month 13 to January
		end := next.AddDays(-1)
		if end.After(to) {
			end = to
		}
		out = append(out, StatsQuarter{From: d, To: end, Label: fmt.Sprintf("%d Q%d", d.Year(), q+1)})
		d = next
	}
	return out
}

// quarterRows fills each quarter from the cases counted for it (StatsCases.Quarter indexes quarters).
func quarterRows(quarters []StatsQuarter, cases []StatsCases) []StatsQuarter {
	met := make([]int, len(quarters))
	withDeadline := make([]int, len(quarters))
	for _, c := range cases {
		if c.Quarter < 0 || c.Quarter >= len(quarters) {
			continue
		}
		q := &quarters[c.Quarter]
		q.Received += c.Count
		if c.Regime == calendar.RegimeEIR {
			q.EIR += c.Count
		}
		if monitoringStatus(c.Status) != MonitorProcessed {
			continue
		}
		q.Processed += c.Count
		switch c.Timing.Class() {
		case TimelinessMet, TimelinessExtended:
			met[c.Quarter] += c.Count
			withDeadline[c.Quarter] += c.Count
		case TimelinessExceeded:
			withDeadline[c.Quarter] += c.Count
		}
	}
	for i := range quarters {
		quarters[i].InTime = Percent{met[i], withDeadline[i]}
	}
	return quarters
}
