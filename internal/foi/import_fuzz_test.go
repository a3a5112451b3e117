package foi

import (
	"strings"
	"testing"
	"time"
)

// FuzzImportRows: any table of cells either fails as a whole with EINVALID (a bad header) or gives one row
// per non-blank record, each of which validates into a case or into errors naming its row; never both, never
// neither.
func FuzzImportRows(f *testing.F) {
	f.Add("party,regime,received_at,channel,subject,request_text,requester_name,requester_email,requester_type\n" +
		"DFE,foia,2026-02-20,email,Pupil data,How many?,Ada,ada@example.org,media\n" +
		"DFE,eir,31/02/2026,oral,,x,,not-an-email,alien\n")
	f.Add("regime,received_at\nfoia,2026-01-01T10:00:00Z\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, table string) {
		var records [][]string
		for _, line := range strings.Split(table, "\n") {
			records = append(records, strings.Split(line, ","))
		}
		_, rows, err := ImportRows(records, false)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ImportRows: %v, want EINVALID", err)
			}
			return
		}
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		valid, rejected := ValidateImportRows("DFE", rows, now)
		bad := map[int]bool{}
		for _, e := range rejected {
			if e.Message == "" {
				t.Fatalf("row %d: an error without a message", e.Row)
			}
			bad[e.Row] = true
		}
		if len(valid)+len(bad) != len(rows) {
			t.Fatalf("%d rows gave %d valid and %d rejected", len(rows), len(valid), len(bad))
		}
		for _, c := range valid {
			if _, _, err := c.Case.Validate(now); err != nil {
				t.Fatalf("a valid row does not validate as a case: %v", err)
			}
		}
	})
}
