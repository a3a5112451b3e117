package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"foidesk/internal/crypt"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"

	"github.com/pquerna/otp/totp"
)

// storedTOTP returns what user_mfa holds for a user: the key id, the plain column and the sealed column.
func storedTOTP(t *testing.T, d *store.DB, userID int64) (string, string, []byte) {
	t.Helper()
	var keyID, plain string
	var sealed []byte
	if err := store.RawDB(d).QueryRow("SELECT key_id, totp_secret, sealed_secret FROM user_mfa WHERE user_id = $1", userID).
		Scan(&keyID, &plain, &sealed); err != nil {
		t.Fatal(err)
	}
	return keyID, plain, sealed
}

// enrolTOTP enrols the user of ctx with an authenticator app and returns the secret the app was shown.
func enrolTOTP(t *testing.T, d *store.DB, ctx context.Context) string {
	t.Helper()
	enr, err := d.MFAEnrolStart(ctx, "foidesk")
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(enr.Secret, d.Now())
	if _, err := d.MFAEnrolConfirm(ctx, code); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	return enr.Secret
}

func TestMFAKeys_TheSecretIsSealedAtRestAndALostKeyFailsLoudly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		advance := fixedClock(d)
		u := mustCreateUser(t, d, "dm@test.example", foi.RoleDecisionMaker, "HO")
		ctx := userCtx(u)
		k, _ := keyring(t, "2026-a")
		d.SetKeyring(k)

		// A pending enrolment is sealed, and the page shown again still offers the same secret.
		enr, err := d.MFAEnrolStart(ctx, "foidesk")
		if err != nil {
			t.Fatal(err)
		}
		if again, err := d.MFAEnrolStart(ctx, "foidesk"); err != nil || again.Secret != enr.Secret {
			t.Fatalf("enrolment shown again: %q %v, want %q", again.Secret, err, enr.Secret)
		}
		code, _ := totp.GenerateCode(enr.Secret, d.Now())
		if _, err := d.MFAEnrolConfirm(ctx, code); err != nil {
			t.Fatalf("confirm: %v", err)
		}
		keyID, plain, sealed := storedTOTP(t, d, u.ID)
		if keyID != "2026-a" || plain != "" || len(sealed) == 0 || bytes.Contains(sealed, []byte(enr.Secret)) {
			t.Fatalf("stored under %q: plain %q sealed %q", keyID, plain, sealed)
		}
		advance(30 * time.Second)
		next, _ := totp.GenerateCode(enr.Secret, d.Now())
		if err := d.MFAVerify(ctx, next); err != nil {
			t.Fatalf("verify with the key: %v", err)
		}
		if err := d.CheckKeys(context.Background()); err != nil {
			t.Errorf("check with the key: %v", err)
		}

		// The key file lost, or another one given: start-up and sign-in both refuse, naming the key.
		advance(30 * time.Second)
		next, _ = totp.GenerateCode(enr.Secret, d.Now())
		for _, lost := range []*crypt.Keyring{nil, func() *crypt.Keyring { k, _ := keyring(t, "other"); return k }()} {
			d.SetKeyring(lost)
			if err := d.CheckKeys(context.Background()); foi.ErrorCode(err) != foi.EINVALID || !strings.Contains(err.Error(), "2026-a") {
				t.Errorf("check without the key: %v", err)
			}
			if err := d.MFAVerify(ctx, next); foi.ErrorCode(err) != foi.EINTERNAL || !strings.Contains(err.Error(), "2026-a") {
				t.Errorf("verify without the key: %v", err)
			}
		}
		// The right id with the wrong key bytes: refused, not a wrong secret.
		wrong, _ := keyring(t, "2026-a")
		d.SetKeyring(wrong)
		if err := d.MFAVerify(ctx, next); foi.ErrorCode(err) != foi.EINTERNAL {
			t.Errorf("verify with the wrong key: %v", err)
		}
		// A sealed secret copied into another user's row does not decrypt there.
		d.SetKeyring(k)
		other := mustCreateUser(t, d, "o@test.example", foi.RoleOfficer, "HO")
		enrolTOTP(t, d, userCtx(other))
		if _, err := store.RawDB(d).Exec("UPDATE user_mfa SET wrapped_key = (SELECT wrapped_key FROM user_mfa WHERE user_id = $1), "+
			"sealed_secret = (SELECT sealed_secret FROM user_mfa WHERE user_id = $1) WHERE user_id = $2", u.ID, other.ID); err != nil {
			t.Fatal(err)
		}
		if err := d.MFAVerify(userCtx(other), next); foi.ErrorCode(err) != foi.EINTERNAL {
			t.Errorf("verify of a secret moved to another user: %v", err)
		}
		if err := d.MFAVerify(ctx, next); err != nil {
			t.Errorf("verify after the failures: %v", err)
		}
	})
}

func TestMFAKeys_APlainSecretIsSealedAtItsFirstUseOrByRotateAndRotateRewrapsIt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		advance := fixedClock(d)
		u := mustCreateUser(t, d, "dm@test.example", foi.RoleDecisionMaker, "HO")
		ctx := userCtx(u)
		secret := enrolTOTP(t, d, ctx) // no keyring: stored in plain, as documents are
		if keyID, plain, _ := storedTOTP(t, d, u.ID); keyID != "" || plain != secret {
			t.Fatalf("without a key: stored under %q as %q", keyID, plain)
		}
		verify := func(when string) {
			t.Helper()
			advance(30 * time.Second)
			code, _ := totp.GenerateCode(secret, d.Now())
			if err := d.MFAVerify(ctx, code); err != nil {
				t.Fatalf("verify %s: %v", when, err)
			}
		}
		verify("in plain")

		// Another user's plain secret is sealed at its first use once there is a key, without a rotation.
		other := mustCreateUser(t, d, "o@test.example", foi.RoleOfficer, "HO")
		otherSecret := enrolTOTP(t, d, userCtx(other))
		old, oldText := keyring(t, "old")
		d.SetKeyring(old)
		advance(30 * time.Second)
		code, _ := totp.GenerateCode(otherSecret, d.Now())
		if err := d.MFAVerify(userCtx(other), code); err != nil {
			t.Fatalf("verify the other user: %v", err)
		}
		if keyID, plain, _ := storedTOTP(t, d, other.ID); keyID != "old" || plain != "" {
			t.Fatalf("after its first use with a key: stored under %q as %q", keyID, plain)
		}
		rep, err := d.RotateKeys(context.Background())
		if err != nil || rep.Sealed != 1 || rep.Rewrapped != 0 {
			t.Fatalf("rotate sealing the plain secret: %+v %v", rep, err)
		}
		keyID, plain, sealedOld := storedTOTP(t, d, u.ID)
		if keyID != "old" || plain != "" || bytes.Contains(sealedOld, []byte(secret)) {
			t.Fatalf("after sealing: under %q, plain %q", keyID, plain)
		}
		verify("sealed under the old key")

		newOnly, newText := keyring(t, "new")
		both, err := crypt.ParseKeyring([]byte(newText + "\n" + oldText))
		if err != nil {
			t.Fatal(err)
		}
		d.SetKeyring(both)
		if rep, err := d.RotateKeys(context.Background()); err != nil || rep.KeyID != "new" || rep.Rewrapped != 2 || rep.Sealed != 0 {
			t.Fatalf("rotate to new: %+v %v", rep, err)
		}
		d.SetKeyring(newOnly) // the old key removed from the key file
		if err := d.CheckKeys(context.Background()); err != nil {
			t.Fatalf("check with the new key alone: %v", err)
		}
		keyID, _, sealedNew := storedTOTP(t, d, u.ID)
		if keyID != "new" || !bytes.Equal(sealedNew, sealedOld) {
			t.Errorf("after re-wrapping: under %q, ciphertext changed %v", keyID, !bytes.Equal(sealedNew, sealedOld))
		}
		verify("re-wrapped under the new key")
		if n := countAudit(t, d, "keys.rotate"); n != 2 {
			t.Errorf("keys.rotate audited %d times, want 2", n)
		}
		if again, err := d.RotateKeys(context.Background()); err != nil || again.Rewrapped+again.Sealed != 0 {
			t.Errorf("a second rotation changed %+v, %v", again, err)
		}
	})
}

func TestMFAKeys_SealSecretsAtStartSealsPlainSecretsAndLeavesDocumentsToRotate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		fixedClock(d)
		u := mustCreateUser(t, d, "dm@test.example", foi.RoleDecisionMaker, "HO")
		secret := enrolTOTP(t, d, userCtx(u))
		if n, err := d.SealSecrets(context.Background()); err != nil || n != 0 {
			t.Fatalf("without a key file: sealed %d, %v", n, err)
		}
		if keyID, plain, _ := storedTOTP(t, d, u.ID); keyID != "" || plain != secret {
			t.Fatalf("without a key file the secret moved: under %q as %q", keyID, plain)
		}
		k, _ := keyring(t, "start")
		d.SetKeyring(k)
		if n, err := d.SealSecrets(context.Background()); err != nil || n != 1 {
			t.Fatalf("with a key file: sealed %d, %v", n, err)
		}
		keyID, plain, sealed := storedTOTP(t, d, u.ID)
		if keyID != "start" || plain != "" || bytes.Contains(sealed, []byte(secret)) {
			t.Fatalf("after the start: under %q, plain %q", keyID, plain)
		}
		if n, err := d.SealSecrets(context.Background()); err != nil || n != 0 {
			t.Errorf("a second start sealed %d again, %v", n, err)
		}
	})
}
