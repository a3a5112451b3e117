package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiStats struct {
	From     string  `json:"from"`
	Party    *string `json:"party"`
	Received struct {
		Total, FOIA, EIR int
	} `json:"received"`
	Status []struct {
		Key   string `json:"key"`
		Count int    `json:"count"`
	} `json:"status"`
	InTime struct {
		Percent *float64 `json:"percent"`
	} `json:"in_time"`
	Quarters []struct {
		Label    string `json:"label"`
		Received int    `json:"received"`
	} `json:"quarters"`
}

func TestReportAPI_StatsAsJSONCSVAndODS(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		for i := 0; i < 3; i++ {
			s.mustCreateCase("dfe-officer")
		}
		s.mustCreateCase("ho-officer")
		const period = "/api/v1/reports/stats?from=2026-01-01&to=2026-03-31"

		var st apiStats
		if res := s.call("dfe-dm", http.MethodGet, period, nil, &st); res.StatusCode != http.StatusOK {
			t.Fatalf("stats: %d", res.StatusCode)
		}
		if st.Party == nil || *st.Party != "DFE" || st.Received.Total != 3 || st.Received.FOIA != 3 || st.InTime.Percent != nil ||
			len(st.Quarters) != 1 || st.Quarters[0].Label != "2026 Q1" || st.Quarters[0].Received != 3 {
			t.Errorf("stats %+v", st)
		}
		for _, r := range st.Status {
			if r.Key == "not_yet_processed" && r.Count != 3 || r.Key != "not_yet_processed" && r.Count != 0 {
				t.Errorf("status %s = %d", r.Key, r.Count)
			}
		}

		// CSV by the Accept header.
		res, body := s.do(http.MethodGet, period, nil, map[string]string{"Authorization": "Bearer " + s.tokens["dfe-auditor"], "Accept": "text/csv"})
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "foi-statistics-2026-01-01-to-2026-03-31-dfe.csv") {
			t.Fatalf("csv: %d %v", res.StatusCode, res.Header)
		}
		r := csv.NewReader(strings.NewReader(body))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, rec := range recs {
			if len(rec) == 3 && rec[0] == "total" && rec[2] == "3" {
				found = true
			}
		}
		if !found {
			t.Errorf("no received total of 3 in\n%s", body)
		}

		// ODS by the format parameter: a zip whose content.xml has the Received sheet.
		res, body = s.do(http.MethodGet, period+"&format=ods", nil, map[string]string{"Authorization": "Bearer " + s.tokens["dfe-officer"]})
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.oasis.opendocument.spreadsheet" {
			t.Fatalf("ods: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		z, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		var content []byte
		for _, f := range z.File {
			if f.Name == "content.xml" {
				rc, _ := f.Open()
				content, _ = io.ReadAll(rc)
				rc.Close()
			}
		}
		if !bytes.Contains(content, []byte(`table:name="Received"`)) || !bytes.Contains(content, []byte(`office:value="3"`)) {
			t.Errorf("content.xml: %s", content)
		}
	})
}

func TestReportAPI_StatsBadInputAndPermissions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		for _, tc := range []struct {
			who, query string
			status     int
			field      string
		}{
			{"dfe-dm", "from=2026-04-01&to=2026-03-31", http.StatusUnprocessableEntity, "from"},
			{"dfe-dm", "from=2026-01-01&to=31/03/2026", http.StatusUnprocessableEntity, "to"},
			{"dfe-dm", "to=2026-03-31", http.StatusUnprocessableEntity, "from"},
			{"dfe-dm", "from=2026-01-01&to=2026-03-31&format=xlsx", http.StatusUnprocessableEntity, "format"},
			{"dfe-dm", "from=2026-01-01&to=2026-03-31&party=NOPE", http.StatusUnprocessableEntity, "party"},
			{"ho-officer", "from=2026-01-01&to=2026-03-31&party=DFE", http.StatusForbidden, ""},
			{"ho-liaison", "from=2026-01-01&to=2026-03-31", http.StatusForbidden, ""},
			{"", "from=2026-01-01&to=2026-03-31", http.StatusUnauthorized, ""},
		} {
			var p apiProblem
			res := s.call(tc.who, http.MethodGet, "/api/v1/reports/stats?"+tc.query, nil, &p)
			if res.StatusCode != tc.status {
				t.Errorf("%s %s: %d, want %d", tc.who, tc.query, res.StatusCode, tc.status)
				continue
			}
			if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
				t.Errorf("%s: errors %+v, want %s named", tc.query, p.Errors, tc.field)
			}
		}
	})
}

func TestReportAPI_ConsultationsByPair(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		const period = "/api/v1/reports/consultations?from=2026-01-01&to=2026-03-31"
		var r struct {
			Party *string `json:"party"`
			Pairs []struct {
				Owner     string `json:"consulting_party"`
				Consulted string `json:"consulted_party"`
				Sent      int    `json:"sent"`
				Open      int    `json:"open"`
			} `json:"pairs"`
		}
		// The consulted party's liaison reads it for their own party.
		if res := s.call("ho-liaison", http.MethodGet, period, nil, &r); res.StatusCode != http.StatusOK {
			t.Fatalf("report: %d", res.StatusCode)
		}
		if r.Party == nil || *r.Party != "HO" || len(r.Pairs) != 1 || r.Pairs[0].Owner != "DFE" || r.Pairs[0].Consulted != "HO" ||
			r.Pairs[0].Sent != 1 || r.Pairs[0].Open != 1 {
			t.Errorf("report %+v", r)
		}
		res, body := s.do(http.MethodGet, period+"&format=csv", nil, map[string]string{"Authorization": "Bearer " + s.tokens["dfe-dm"]})
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "\nDFE,HO,1,0,0,,,1,0,") {
			t.Errorf("csv %d:\n%s", res.StatusCode, body)
		}
		var p apiProblem
		if res := s.call("ho-liaison", http.MethodGet, period+"&party=DFE", nil, &p); res.StatusCode != http.StatusForbidden {
			t.Errorf("liaison on another party: %d", res.StatusCode)
		}
		if res := s.call("dfe-dm", http.MethodGet, "/api/v1/reports/consultations?from=2026-03-31&to=2026-01-01", nil, &p); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("from after to: %d", res.StatusCode)
		}
	})
}
