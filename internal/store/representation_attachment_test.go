package store_test

import (
	"bytes"
	"context"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestRepresentationAttachments_TheLiaisonAttachesToTheLatestVersionAndTheCasePartyDownloads(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		k := onlyConsultation(t, w, c.ID)
		opinion := foi.NewDocument{Name: "legal-opinion.pdf", Content: pdfVersion(1)}

		// Nothing to attach to before representations arrive.
		if _, err := d.AttachToRepresentation(w.liaisonCtx, k.ID, opinion); foi.ErrorCode(err) != foi.ECONFLICT {
			t.Fatalf("attach before representations: %v", err)
		}
		r := foi.Representation{Position: foi.PositionObjectInPart, Summary: "In part.", Harm: "Methods."}
		if _, err := d.SubmitRepresentation(w.liaisonCtx, k.ID, r); err != nil {
			t.Fatal(err)
		}
		mojCtx := thirdPartyLiaison(t, d)
		for _, tc := range []struct {
			name string
			err  error
			code string
		}{
			{"owner's officer", attachErr(d, w.officerCtx, k.ID, opinion), foi.EFORBIDDEN},
			{"third party", attachErr(d, mojCtx, k.ID, opinion), foi.ENOTFOUND},
			{"HO officer", attachErr(d, w.hoCtx, k.ID, opinion), foi.ENOTFOUND},
			{"unknown consultation", attachErr(d, w.liaisonCtx, k.ID+100, opinion), foi.ENOTFOUND},
			{"disguised file", attachErr(d, w.liaisonCtx, k.ID, foi.NewDocument{Name: "opinion.pdf", Content: []byte("plain text, not a PDF")}), foi.EINVALID},
			{"empty file", attachErr(d, w.liaisonCtx, k.ID, foi.NewDocument{Name: "opinion.pdf"}), foi.EINVALID},
			{"too large", attachErr(d, w.liaisonCtx, k.ID, foi.NewDocument{Name: "legal-opinion.pdf", Content: pdfVersion(1), MaxBytes: 10}), foi.EINVALID},
		} {
			if foi.ErrorCode(tc.err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.code)
			}
		}
		if n := countAudit(t, d, "consultation.attachment.upload"); n != 0 {
			t.Fatalf("refused uploads audited %d times", n)
		}
		a, err := d.AttachToRepresentation(w.liaisonCtx, k.ID, opinion)
		if err != nil || a.RepresentationVersion != 1 || a.ContentType != "application/pdf" || a.Size != int64(len(opinion.Content)) ||
			len(a.SHA256) != 64 {
			t.Fatalf("attach: %+v, %v", a, err)
		}
		// A second version starts without files; the first keeps its own.
		if _, err := d.SubmitRepresentation(w.liaisonCtx, k.ID, r); err != nil {
			t.Fatal(err)
		}
		b, err := d.AttachToRepresentation(w.liaisonCtx, k.ID, foi.NewDocument{Name: "risk.pdf", Content: pdfVersion(2)})
		if err != nil || b.RepresentationVersion != 2 {
			t.Fatalf("attach to version 2: %+v, %v", b, err)
		}
		got := onlyConsultation(t, w, c.ID)
		if len(got.Representations[0].Attachments) != 1 || got.Representations[0].Attachments[0].ID != a.ID ||
			len(got.Representations[1].Attachments) != 1 || got.Representations[1].Attachments[0].Name != "risk.pdf" {
			t.Fatalf("attachments by version: %+v", got.Representations)
		}

		// The case's party and the consulted party list and download (audited); a third party cannot.
		list, err := d.ListRepresentationAttachments(w.dmCtx, k.ID)
		if err != nil || len(list) != 2 || list[0].ID != a.ID {
			t.Fatalf("list: %+v, %v", list, err)
		}
		meta, content, err := d.DownloadRepresentationAttachment(w.officerCtx, k.ID, a.ID)
		if err != nil || !bytes.Equal(content, opinion.Content) || meta.SHA256 != a.SHA256 {
			t.Fatalf("download: %+v, %v", meta, err)
		}
		if _, _, err := d.DownloadRepresentationAttachment(w.auditorCtx, k.ID, b.ID); err != nil {
			t.Errorf("auditor downloads: %v", err)
		}
		if _, _, err := d.DownloadRepresentationAttachment(mojCtx, k.ID, a.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("third party downloads: %v", err)
		}
		if _, err := d.ListRepresentationAttachments(mojCtx, k.ID); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("third party lists: %v", err)
		}
		if _, _, err := d.DownloadRepresentationAttachment(w.officerCtx, k.ID, a.ID+1000); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Errorf("unknown attachment: %v", err)
		}
		if n := countAudit(t, d, "consultation.attachment.download"); n != 2 {
			t.Errorf("downloads audited %d times, want 2", n)
		}

		// Once considered, nothing more is attached.
		if _, err := d.ConsiderRepresentations(w.dmCtx, k.ID, foi.Consideration{Outcome: foi.ConsiderationAccepted,
			Reasons: "Redact the methods."}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.AttachToRepresentation(w.liaisonCtx, k.ID, opinion); foi.ErrorCode(err) != foi.ECONFLICT {
			t.Errorf("attach after consideration: %v", err)
		}
		if n := countAudit(t, d, "consultation.attachment.upload"); n != 2 {
			t.Errorf("uploads audited %d times, want 2", n)
		}
	})
}

func attachErr(d *store.DB, ctx context.Context, id int64, in foi.NewDocument) error {
	_, err := d.AttachToRepresentation(ctx, id, in)
	return err
}

// thirdPartyLiaison returns the context of a liaison of MOJ, a party neither owning nor consulted.
func thirdPartyLiaison(t *testing.T, d *store.DB) context.Context {
	t.Helper()
	if _, err := store.RawDB(d).Exec("INSERT INTO parties (code, name, created_at) VALUES ($1, $2, $3)",
		"MOJ", "Ministry of Justice", fixedNow); err != nil {
		t.Fatal(err)
	}
	return userCtx(mustCreateUser(t, d, "l@moj.test", foi.RoleLiaison, "MOJ"))
}
