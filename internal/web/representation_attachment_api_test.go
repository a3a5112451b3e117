package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiAttachment struct {
	ID                    int64     `json:"id"`
	ConsultationID        int64     `json:"consultation_id"`
	RepresentationVersion int       `json:"representation_version"`
	Name                  string    `json:"name"`
	ContentType           string    `json:"content_type"`
	Size                  int64     `json:"size"`
	SHA256                string    `json:"sha256"`
	UploadedAt            time.Time `json:"uploaded_at"`
}

// attach uploads a file to consultation id's representations as who.
func (s *apiSite) attach(who string, id int64, fileName string, content []byte, out any) *http.Response {
	s.t.Helper()
	ct, body := multipartBody(s.t, fileName, content)
	res, text := s.do(http.MethodPost, fmt.Sprintf("/api/v1/consultations/%d/attachments", id), bytes.NewReader(body),
		map[string]string{"Authorization": "Bearer " + s.tokens[who], "Content-Type": ct})
	if out != nil {
		if err := json.Unmarshal([]byte(text), out); err != nil {
			s.t.Fatalf("attach %s: %d, not JSON: %s", fileName, res.StatusCode, text)
		}
	}
	return res
}

// attachmentsOf lists consultation id's attachments as the DFE officer.
func (s *apiSite) attachmentsOf(id int64) []apiAttachment {
	s.t.Helper()
	var page struct{ Items []apiAttachment }
	if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/consultations/%d/attachments", id), nil, &page); res.StatusCode != http.StatusOK {
		s.t.Fatalf("list attachments: %d", res.StatusCode)
	}
	return page.Items
}

func TestRepresentationAttachmentAPI_TheLiaisonAttachesAndTheCasePartyDownloads(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.addLiaison("dfe-liaison", "liaison@dfe.test", "DFE")
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		k, _ := s.onlyCaseConsultation(c.ID)
		var p apiProblem
		if res := s.attach("ho-liaison", k.ID, "opinion.pdf", minimalPDF, &p); res.StatusCode != http.StatusConflict {
			t.Fatalf("attach before representations: %d %+v", res.StatusCode, p)
		}
		if res := s.call("ho-liaison", http.MethodPost, fmt.Sprintf("/api/v1/consultations/%d/representations", k.ID),
			map[string]any{"position": "object_in_part", "summary": "In part.", "harm": "Methods."}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("represent: %d", res.StatusCode)
		}
		events := auditEvents(t, d)
		for _, tc := range []struct {
			name, who, file string
			content         []byte
			status          int
		}{
			{"the case's officer", "dfe-officer", "opinion.pdf", minimalPDF, http.StatusForbidden},
			{"a liaison of another party", "dfe-liaison", "opinion.pdf", minimalPDF, http.StatusNotFound},
			{"the consulted party's officer", "ho-officer", "opinion.pdf", minimalPDF, http.StatusNotFound},
			{"a disguised file", "ho-liaison", "opinion.pdf", []byte("MZ\x90\x00 not a pdf at all"), http.StatusUnprocessableEntity},
			{"no file", "ho-liaison", "opinion.pdf", nil, http.StatusUnprocessableEntity},
		} {
			var p apiProblem
			res := s.attach(tc.who, k.ID, tc.file, tc.content, &p)
			if res.StatusCode != tc.status || (tc.status == http.StatusUnprocessableEntity && !fieldsOf(p)["file"]) {
				t.Errorf("%s: %d %+v, want %d", tc.name, res.StatusCode, p, tc.status)
			}
		}
		s.withUploadLimit(int64(len(minimalPDF) - 1))
		if res := s.attach("ho-liaison", k.ID, "opinion.pdf", minimalPDF, &p); res.StatusCode != http.StatusUnprocessableEntity || !fieldsOf(p)["file"] {
			t.Errorf("too large: %d %+v", res.StatusCode, p)
		}
		s.withUploadLimit(0)
		if n := len(s.attachmentsOf(k.ID)); n != 0 || auditEvents(t, d) != events+1 { // the listing itself is audited
			t.Fatalf("refused uploads left %d attachments and %d audit events", n, auditEvents(t, d)-events)
		}

		var a apiAttachment
		res := s.attach("ho-liaison", k.ID, "legal-opinion.pdf", minimalPDF, &a)
		if res.StatusCode != http.StatusCreated || a.RepresentationVersion != 1 || a.ContentType != "application/pdf" ||
			a.SHA256 != sha(minimalPDF) || res.Header.Get("Location") != fmt.Sprintf("/api/v1/consultations/%d/attachments/%d", k.ID, a.ID) {
			t.Fatalf("attach: %d %+v", res.StatusCode, a)
		}
		// The case's party sees it on the consultation and downloads it, audited.
		var got struct {
			Representations []struct {
				Version     int             `json:"version"`
				Attachments []apiAttachment `json:"attachments"`
			} `json:"representations"`
		}
		if res := s.call("dfe-dm", http.MethodGet, fmt.Sprintf("/api/v1/consultations/%d", k.ID), nil, &got); res.StatusCode != http.StatusOK ||
			len(got.Representations) != 1 || len(got.Representations[0].Attachments) != 1 || got.Representations[0].Attachments[0].ID != a.ID {
			t.Fatalf("consultation: %d %+v", res.StatusCode, got)
		}
		download := fmt.Sprintf("/api/v1/consultations/%d/attachments/%d", k.ID, a.ID)
		before := auditEvents(t, d)
		for _, who := range []string{"dfe-officer", "dfe-auditor", "ho-liaison"} {
			res, body := s.do(http.MethodGet, download, nil, map[string]string{"Authorization": "Bearer " + s.tokens[who]})
			if res.StatusCode != http.StatusOK || body != string(minimalPDF) || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
				res.Header.Get("Content-Disposition") != `attachment; filename="legal-opinion.pdf"` {
				t.Errorf("%s downloads: %d %v", who, res.StatusCode, res.Header)
			}
		}
		if n := auditEvents(t, d) - before; n != 3 {
			t.Errorf("downloads audited %d times, want 3", n)
		}
		// Never a third party, nor an attachment through another consultation.
		for _, who := range []string{"dfe-liaison", "ho-officer"} {
			if code, _ := s.raw(who, http.MethodGet, download); code != http.StatusNotFound {
				t.Errorf("%s downloads: %d, want 404", who, code)
			}
			if code, _ := s.raw(who, http.MethodGet, fmt.Sprintf("/api/v1/consultations/%d/attachments", k.ID)); code != http.StatusNotFound {
				t.Errorf("%s lists: %d, want 404", who, code)
			}
		}
		if code, _ := s.raw("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/consultations/%d/attachments/%d", k.ID, a.ID+99)); code != http.StatusNotFound {
			t.Errorf("unknown attachment: %d, want 404", code)
		}

		// Considered: no more attachments.
		if res := s.call("dfe-dm", http.MethodPost, fmt.Sprintf("/api/v1/consultations/%d/consideration", k.ID),
			map[string]any{"outcome": "accepted", "reasons": "Redact the methods."}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("consider: %d", res.StatusCode)
		}
		if res := s.attach("ho-liaison", k.ID, "late.pdf", minimalPDF, &p); res.StatusCode != http.StatusConflict {
			t.Errorf("attach after consideration: %d", res.StatusCode)
		}
		if n := len(s.attachmentsOf(k.ID)); n != 1 {
			t.Errorf("%d attachments, want 1", n)
		}
	})
}
