package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// disclosureEntriesVia returns the DFE decision-maker's entries as the API shows them.
func (s *apiSite) disclosureEntriesVia() []apiDisclosure {
	s.t.Helper()
	var list struct{ Items []apiDisclosure }
	if res := s.call("dfe-dm", http.MethodGet, "/api/v1/disclosure-log/entries", nil, &list); res.StatusCode != http.StatusOK {
		s.t.Fatalf("list entries: %d", res.StatusCode)
	}
	return list.Items
}

// disclosureVia returns one entry as the API shows it to the DFE decision-maker, with its title.
func (s *apiSite) disclosureVia(id int64) (apiDisclosure, string) {
	s.t.Helper()
	var e struct {
		apiDisclosure
		Title     string `json:"title"`
		Documents []struct {
			ID int64 `json:"id"`
		} `json:"documents"`
	}
	if res := s.call("dfe-dm", http.MethodGet, fmt.Sprintf("/api/v1/disclosure-log/entries/%d", id), nil, &e); res.StatusCode != http.StatusOK {
		s.t.Fatalf("entry %d: %d", id, res.StatusCode)
	}
	if len(e.Documents) != 1 {
		s.t.Errorf("entry %d releases %d documents, want 1", id, len(e.Documents))
	}
	return e.apiDisclosure, e.Title
}

// A decision-maker prepares a responded case's entry from the case page, resolves the personal-data flags it
// raised, edits it, publishes it and withdraws it, all through the forms; bad input shows the error summary,
// keeps what was typed and changes nothing; an officer and another party's staff get the 404 page.
func TestDisclosureLogForms_PrepareResolvePublishAndWithdraw(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		var doc apiDoc
		if res := s.upload("dfe-officer", c.ID, "figures.csv", []byte("year,requests\n2025,1204\n"), &doc); res.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d", res.StatusCode)
		}
		casePath := fmt.Sprintf("/cases/%d", c.ID)
		prepare := casePath + "/disclosure-log"

		// Before the response, the case page offers nothing; the officer is never offered it.
		s.signIn("dm@dfe.test")
		if _, page := s.get(casePath); strings.Contains(page, prepare) {
			t.Error("an unanswered case offers the disclosure log")
		}
		s.mustPost("dfe-dm", fmt.Sprintf("/api/v1/cases/%d/response", c.ID), partialBody())
		res, page := s.get(casePath)
		wantPage(t, "responded case", res, page, http.StatusOK, `href="`+prepare+`"`, "Publish to the disclosure log")
		res, page = s.get(prepare)
		wantPage(t, "entry form", res, page, http.StatusOK, `value="Pupil data shared with the Home Office"`, "figures.csv")
		token := s.csrf(prepare)

		// Bad input: no title, no summary.
		res, page = s.post(prepare, url.Values{"csrf_token": {token}, "title": {" "}, "released_text": {"Requests in 2025: 1,204."}})
		wantPage(t, "entry with bad input", res, page, http.StatusUnprocessableEntity, "govuk-error-summary",
			`href="#title"`, `href="#summary"`, "Requests in 2025: 1,204.")
		if n := len(s.disclosureEntriesVia()); n != 0 {
			t.Fatalf("bad input proposed %d entries", n)
		}

		form := url.Values{"csrf_token": {token}, "title": {"Pupil data requests"},
			"summary": {"Asked by Ada Requester; call 07700 900123."}, "released_text": {"Requests in 2025: 1,204."},
			"document_ids": {strconv.FormatInt(doc.ID, 10)}}
		res, _ = s.post(prepare, form)
		list := s.disclosureEntriesVia()
		if res.StatusCode != http.StatusSeeOther || len(list) != 1 || res.Header.Get("Location") != fmt.Sprintf("/disclosure-log/entries/%d", list[0].ID) {
			t.Fatalf("propose: %d %s, %d entries", res.StatusCode, res.Header.Get("Location"), len(list))
		}
		e, _ := s.disclosureVia(list[0].ID)
		if e.Status != "proposed" || e.UnresolvedFlags != 2 {
			t.Fatalf("proposed %+v", e)
		}
		entry := fmt.Sprintf("/disclosure-log/entries/%d", e.ID)
		res, page = s.get(entry)
		wantPage(t, "proposed entry", res, page, http.StatusOK, "2 flags, 2 to resolve", "raised 2 flags to resolve",
			entry+"/flags", entry+"/publish")

		// Publishing waits for the flags.
		res, page = s.post(entry+"/publish", url.Values{"csrf_token": {token}})
		wantPage(t, "publish with flags", res, page, http.StatusConflict, "govuk-error-summary", "Resolve the 2 personal-data flags")
		if e, _ := s.disclosureVia(e.ID); e.Status != "proposed" {
			t.Fatalf("published with flags: %s", e.Status)
		}

		// Each flag is resolved through its form: a reason and a resolution are needed.
		res, page = s.get(entry + "/flags")
		wantPage(t, "flags", res, page, http.StatusOK, entry+"/flags/1", entry+"/flags/2", "07700 900123")
		res, page = s.post(entry+"/flags/1", url.Values{"csrf_token": {token}, "reasons-1": {"A shared line."}})
		wantPage(t, "flag without a resolution", res, page, http.StatusUnprocessableEntity, `href="#resolution-1"`, "A shared line.")
		if e, _ := s.disclosureVia(e.ID); e.UnresolvedFlags != 2 {
			t.Fatalf("bad input resolved a flag: %+v", e)
		}
		for _, f := range e.Flags {
			n := strconv.Itoa(f.Seq)
			res, _ = s.post(entry+"/flags/"+n, url.Values{"csrf_token": {token}, "resolution-" + n: {"consent"},
				"reasons-" + n: {"Agreed in writing."}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("resolve flag %s: %d", n, res.StatusCode)
			}
		}
		if e, _ := s.disclosureVia(e.ID); e.UnresolvedFlags != 0 {
			t.Fatalf("flags left: %+v", e)
		}

		// The proposed entry is edited through the same form; a form of another version changes nothing.
		res, page = s.get(prepare)
		wantPage(t, "edit form", res, page, http.StatusOK, "Edit the disclosure-log entry", `value="Pupil data requests"`)
		cur, _ := s.disclosureVia(e.ID)
		form.Set("version", strconv.FormatInt(cur.Version+1, 10))
		form.Set("title", "Pupil data requests in 2025")
		res, page = s.post(prepare, form)
		wantPage(t, "stale edit", res, page, http.StatusPreconditionFailed, "govuk-error-summary", `value="Pupil data requests in 2025"`)
		if _, title := s.disclosureVia(e.ID); title != "Pupil data requests" {
			t.Fatalf("a stale form changed the title to %q", title)
		}
		form.Set("version", strconv.FormatInt(cur.Version, 10))
		res, _ = s.post(prepare, form)
		if after, title := s.disclosureVia(e.ID); res.StatusCode != http.StatusSeeOther || title != "Pupil data requests in 2025" || after.UnresolvedFlags != 0 {
			t.Fatalf("edit: %d %q %+v", res.StatusCode, title, after)
		}

		// Publish; the case's link now leads to the entry.
		res, _ = s.post(entry+"/publish", url.Values{"csrf_token": {token}})
		if e, _ := s.disclosureVia(e.ID); res.StatusCode != http.StatusSeeOther || e.Status != "published" {
			t.Fatalf("publish: %d %s", res.StatusCode, e.Status)
		}
		if _, page := s.get("/disclosure-log"); !strings.Contains(page, "Pupil data requests in 2025") || !strings.Contains(page, `href="/disclosure-log/entries"`) {
			t.Error("the public log lacks the entry, or the decision-maker's link to manage it")
		}
		if res, _ := s.get(prepare); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != entry {
			t.Errorf("entry form of a published entry: %d %s", res.StatusCode, res.Header.Get("Location"))
		}

		// Withdraw: reasons are needed; the public page keeps a tombstone.
		res, page = s.get(entry)
		wantPage(t, "published entry", res, page, http.StatusOK, entry+"/withdraw")
		res, page = s.post(entry+"/withdraw", url.Values{"csrf_token": {token}, "reasons": {""}})
		wantPage(t, "withdraw without reasons", res, page, http.StatusUnprocessableEntity, `href="#reasons"`)
		if e, _ := s.disclosureVia(e.ID); e.Status != "published" {
			t.Fatalf("bad input withdrew it: %s", e.Status)
		}
		res, _ = s.post(entry+"/withdraw", url.Values{"csrf_token": {token}, "reasons": {"Published in error."}})
		if e, _ := s.disclosureVia(e.ID); res.StatusCode != http.StatusSeeOther || e.Status != "withdrawn" {
			t.Fatalf("withdraw: %d %s", res.StatusCode, e.Status)
		}
		res, page = s.get(fmt.Sprintf("/disclosure-log/%d", e.ID))
		wantPage(t, "tombstone", res, page, http.StatusOK, "This entry was withdrawn", "Published in error.")
		if res, _ := s.get(entry + "/withdraw"); res.StatusCode != http.StatusNotFound {
			t.Errorf("withdrawing twice: %d", res.StatusCode)
		}

		// The officer and HO's officer get the 404 page and change nothing.
		for _, email := range []string{"officer@test.example", "o@ho.test"} {
			s.signIn(email)
			if _, page := s.get("/disclosure-log"); strings.Contains(page, `href="/disclosure-log/entries"`) {
				t.Errorf("%s is offered to manage the log", email)
			}
			if _, page := s.get(casePath); strings.Contains(page, prepare) {
				t.Errorf("%s is offered the disclosure log on the case page", email)
			}
			for _, p := range []string{prepare, "/disclosure-log/entries", entry, entry + "/flags"} {
				if res, _ := s.get(p); res.StatusCode != http.StatusNotFound {
					t.Errorf("%s GET %s: %d", email, p, res.StatusCode)
				}
			}
			tok := s.csrf("/incidents")
			for _, p := range []string{prepare, entry + "/publish", entry + "/flags/1", entry + "/withdraw"} {
				if res, _ := s.post(p, url.Values{"csrf_token": {tok}, "title": {"x"}, "summary": {"y"}, "reasons": {"z"}}); res.StatusCode != http.StatusNotFound {
					t.Errorf("%s POST %s: %d", email, p, res.StatusCode)
				}
			}
		}
		if n := len(s.disclosureEntriesVia()); n != 1 {
			t.Errorf("%d entries after the refused posts", n)
		}
	})
}
