package crypt

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func mustKeyring(t *testing.T, ids ...string) *Keyring {
	t.Helper()
	var lines []string
	for _, id := range ids {
		l, err := NewKeyLine(id)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	k, err := ParseKeyring([]byte("# foidesk keys\n\n" + strings.Join(lines, "\n") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSeal_OpensOnlyWithTheSameKeyAndAAD(t *testing.T) {
	k := mustKeyring(t, "k1")
	plain := []byte("the released letter")
	s, err := k.Seal(plain, []byte("doc:abc"))
	if err != nil {
		t.Fatal(err)
	}
	if s.KeyID != "k1" || bytes.Contains(s.Ciphertext, plain) || len(s.WrappedKey) == 0 {
		t.Fatalf("sealed %+v", s)
	}
	got, err := k.Open(s, []byte("doc:abc"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := k.Open(s, []byte("doc:other")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("another aad: %v", err)
	}
	s.Ciphertext[len(s.Ciphertext)-1] ^= 1
	if _, err := k.Open(s, []byte("doc:abc")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("changed ciphertext: %v", err)
	}
	other := mustKeyring(t, "k1") // same id, a different key: a lost key replaced by mistake
	s2, _ := k.Seal(plain, nil)
	if _, err := other.Open(s2, nil); !errors.Is(err, ErrDecrypt) {
		t.Errorf("the wrong key under the same id: %v", err)
	}
	if _, err := mustKeyring(t, "k2").Open(s2, nil); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("a keyring without the key: %v", err)
	}
}

func TestRewrap_MovesTheDataKeyToTheActiveKeyWithoutTouchingTheCiphertext(t *testing.T) {
	old := mustKeyring(t, "2025")
	s, err := old.Seal([]byte("pack"), nil)
	if err != nil {
		t.Fatal(err)
	}
	line, _ := NewKeyLine("2026")
	oldLine := "2025 " + encodeKey(old.keys["2025"])
	both, err := ParseKeyring([]byte(line + "\n" + oldLine + "\n"))
	if err != nil || both.ActiveID() != "2026" || !both.Has("2025") {
		t.Fatalf("keyring %v %v", both, err)
	}
	id, wrapped, err := both.Rewrap(s.KeyID, s.WrappedKey)
	if err != nil || id != "2026" {
		t.Fatalf("rewrap: %s %v", id, err)
	}
	newOnly, _ := ParseKeyring([]byte(line))
	got, err := newOnly.Open(Sealed{KeyID: id, WrappedKey: wrapped, Ciphertext: s.Ciphertext}, nil)
	if err != nil || string(got) != "pack" {
		t.Fatalf("open after rewrap with the new key alone: %q %v", got, err)
	}
}

func TestParseKeyring_NamesTheBadLine(t *testing.T) {
	good, _ := NewKeyLine("a")
	for _, tc := range []struct{ text, want string }{
		{"", "no keys"},
		{"# only a comment\n", "no keys"},
		{"a b c\n", "line 1"},
		{good + "\nbad/id AAAA\n", "line 2"},
		{"k " + encodeKey([]byte("short")) + "\n", "not 32 bytes"},
		{good + "\n" + good + "\n", "twice"},
	} {
		if _, err := ParseKeyring([]byte(tc.text)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseKeyring(%q) = %v, want an error containing %q", tc.text, err, tc.want)
		}
	}
	if _, err := NewKeyLine("no spaces allowed"); err == nil {
		t.Errorf("NewKeyLine accepted an id with spaces")
	}
}

func encodeKey(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// FuzzParseKeyring: any text parses into a keyring whose active key seals and opens, or fails with an error.
func FuzzParseKeyring(f *testing.F) {
	good, _ := NewKeyLine("k1")
	f.Add(good + "\n")
	f.Add("# c\n\nk2 " + strings.Repeat("A", 44) + "\n")
	f.Add("x")
	f.Fuzz(func(t *testing.T, text string) {
		k, err := ParseKeyring([]byte(text))
		if err != nil {
			return
		}
		s, err := k.Seal([]byte("x"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := k.Open(s, nil); err != nil || string(got) != "x" {
			t.Fatalf("round trip: %q %v", got, err)
		}
	})
}
