package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// The documents released with a published entry can be downloaded by anyone, linked from the entry's page; a
// document the entry did not release, and any document of a withdrawn entry, cannot.
func TestDisclosureLog_ReleasedDocumentsDownloadPubliclyUntilWithdrawn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		var released, kept apiDoc
		figures := []byte("year,requests\n2025,1204\n")
		if res := s.upload("dfe-officer", c.ID, "figures.csv", figures, &released); res.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d", res.StatusCode)
		}
		if res := s.upload("dfe-officer", c.ID, "internal.csv", []byte("not,released\n"), &kept); res.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d", res.StatusCode)
		}
		if res := s.call("dfe-dm", http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/response", c.ID), partialBody(), nil); res.StatusCode >= 300 {
			t.Fatalf("respond: %d", res.StatusCode)
		}
		var e apiDisclosure
		if res := s.call("dfe-dm", http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/disclosure-log", c.ID), map[string]any{
			"title": "Pupil data requests", "summary": "How often pupil data was requested.",
			"released_text": "See the figures.", "document_ids": []int64{released.ID}}, &e); res.StatusCode != http.StatusCreated {
			t.Fatalf("propose: %d", res.StatusCode)
		}
		entry := fmt.Sprintf("/api/v1/disclosure-log/entries/%d", e.ID)
		if res := s.call("dfe-dm", http.MethodPost, entry+"/publish", nil, &e); res.StatusCode != http.StatusOK {
			t.Fatalf("publish: %d %+v", res.StatusCode, e)
		}
		public := newClient()
		get := func(path string) (int, []byte) {
			t.Helper()
			res, err := public.Get(s.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, b
		}
		doc := fmt.Sprintf("/disclosure-log/%d/documents/%d", e.ID, released.ID)
		if code, page := get(fmt.Sprintf("/disclosure-log/%d", e.ID)); code != http.StatusOK || !strings.Contains(string(page), `href="`+doc+`"`) {
			t.Fatalf("entry page: %d, no link to %s", code, doc)
		}
		if code, got := get(doc); code != http.StatusOK || !bytes.Equal(got, figures) {
			t.Errorf("public download: %d %q", code, got)
		}
		if code, _ := get(fmt.Sprintf("/disclosure-log/%d/documents/%d", e.ID, kept.ID)); code != http.StatusNotFound {
			t.Errorf("a document not released: %d, want 404", code)
		}
		if res := s.call("dfe-dm", http.MethodPost, entry+"/withdraw", map[string]any{"reasons": "Published in error."}, &e); res.StatusCode != http.StatusOK {
			t.Fatalf("withdraw: %d", res.StatusCode)
		}
		if code, _ := get(doc); code != http.StatusNotFound {
			t.Errorf("a withdrawn entry's document: %d, want 404", code)
		}
	})
}
