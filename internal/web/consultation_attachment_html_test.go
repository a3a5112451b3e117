package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// attachThroughForm posts the attachment form of consultation path as the signed-in user, with the file (none
// when name is "").
func (s *apiSite) attachThroughForm(pack, name string, content []byte) (*http.Response, string) {
	s.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("csrf_token", s.csrf(pack))
	if name != "" {
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(content)
	}
	w.Close()
	return s.do(http.MethodPost, pack+"/attachments", &buf, map[string]string{"Content-Type": w.FormDataContentType()})
}

var attachmentLinkRE = regexp.MustCompile(`href="(/consultations/\d+/attachments/\d+)" download>legal-opinion.pdf`)

func TestConsultationAttachmentPages_TheLiaisonAttachesAndBothPartiesDownload(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.addLiaison("dfe-liaison", "liaison@dfe.test", "DFE")
		k := s.consultedCase()
		pack := fmt.Sprintf("/consultations/%d", k.ID)
		form := pack + "/attachments/new"

		// Before representations there is nothing to attach to.
		s.as("liaison@test.example")
		if _, page := s.get(pack); strings.Contains(page, `href="`+form+`"`) {
			t.Error("the pack offers attachments before representations")
		}
		s.mustNotFind("ho-liaison", form)
		if res := s.call("ho-liaison", http.MethodPost, fmt.Sprintf("/api/v1/consultations/%d/representations", k.ID),
			map[string]any{"position": "object_in_part", "summary": "In part.", "harm": "Methods."}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("represent: %d", res.StatusCode)
		}

		_, page := s.get(pack)
		if !strings.Contains(page, `href="`+form+`"`) {
			t.Fatal("the liaison's pack has no link to attach a file")
		}
		res, page := s.get(form)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, "up to 20 MiB") ||
			!strings.Contains(page, `class="govuk-file-upload" id="file" name="file" type="file"`) || !strings.Contains(page, "(version 1)") {
			t.Fatalf("attach form: %d", res.StatusCode)
		}
		for _, w := range requesterWords {
			if strings.Contains(page, w) {
				t.Errorf("the attach form shows the requester's %q", w)
			}
		}

		// No file, a disguised file, a file over the limit (read, or refused by its declared size): the error
		// summary links to the file input, and nothing is stored.
		for _, tc := range []struct {
			name, file string
			content    []byte
			limit      int64
			want       string
		}{
			{"no file", "", nil, 0, "Select a file to upload"},
			{"a disguised file", "opinion.pdf", []byte("MZ\x90\x00 not a pdf at all"), 0, ""},
			{"too large", "opinion.pdf", minimalPDF, int64(len(minimalPDF) - 1), fmt.Sprintf("must be %d bytes or smaller", len(minimalPDF)-1)},
			{"declared too large", "opinion.pdf", bytes.Repeat([]byte("a"), 80<<10), 1024, "must be 1 KiB or smaller"},
		} {
			s.withUploadLimit(tc.limit)
			res, body := s.attachThroughForm(pack, tc.file, tc.content)
			sum := errorSummary(body)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(sum, `href="#file"`) || !strings.Contains(sum, tc.want) ||
				!strings.Contains(body, "govuk-file-upload--error") {
				t.Errorf("%s: %d\n%s", tc.name, res.StatusCode, sum)
			}
		}
		s.withUploadLimit(0)
		if n := len(s.attachmentsOf(k.ID)); n != 0 {
			t.Fatalf("refused uploads stored %d attachments", n)
		}

		res, _ = s.attachThroughForm(pack, "legal-opinion.pdf", minimalPDF)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != pack+"#representations" {
			t.Fatalf("attach: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, page = s.get(res.Header.Get("Location"))
		if !strings.Contains(page, "legal-opinion.pdf was attached to version 1 of your representations.") {
			t.Error("no success banner after attaching")
		}
		as := s.attachmentsOf(k.ID)
		if len(as) != 1 || as[0].Name != "legal-opinion.pdf" || as[0].SHA256 != sha(minimalPDF) {
			t.Fatalf("attachments: %+v", as)
		}
		link := attachmentLinkRE.FindStringSubmatch(page)
		if link == nil || link[1] != fmt.Sprintf("%s/attachments/%d", pack, as[0].ID) {
			t.Fatalf("the liaison's pack does not link the attachment: %v", link)
		}

		// Both parties see it on the pack and in the history, and download it; each download is audited.
		for _, email := range []string{"liaison@test.example", "officer@test.example", "aud@dfe.test"} {
			s.as(email)
			for _, p := range []string{pack, pack + "/representations"} {
				if _, page := s.get(p); attachmentLinkRE.FindString(page) == "" {
					t.Errorf("%s: %s does not list the attachment", email, p)
				}
			}
			before := auditEvents(t, d)
			res, content := s.get(link[1])
			if res.StatusCode != http.StatusOK || content != string(minimalPDF) ||
				res.Header.Get("Content-Disposition") != `attachment; filename="legal-opinion.pdf"` ||
				res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s downloads: %d %v", email, res.StatusCode, res.Header)
			}
			if n := auditEvents(t, d) - before; n != 1 {
				t.Errorf("%s's download audited %d times, want 1", email, n)
			}
		}
		// The case's officer may not attach; a third party may neither see nor download it.
		s.as("officer@test.example").mustNotFind("dfe-officer", form, pack+"/attachments")
		s.as("liaison@dfe.test").mustNotFind("dfe-liaison", pack, link[1], form)
		s.as("o@ho.test").mustNotFind("ho-officer", link[1], fmt.Sprintf("%s/attachments/%d", pack, as[0].ID+99))
		if n := len(s.attachmentsOf(k.ID)); n != 1 {
			t.Errorf("%d attachments, want 1", n)
		}
	})
}
