// Package crypt seals documents at rest with envelope encryption: each document gets a fresh 256-bit data key
// that encrypts it with AES-256-GCM, and the data key is stored wrapped (AES-256-GCM again) under a key-
// encryption key from the keyring, whose id is kept with the document. Rotating keys re-wraps the small data
// keys and leaves the documents' ciphertext alone. A missing or wrong key is an error, never plaintext.
//
// The package is pure: it parses a keyring's text but reads no files.
package crypt

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// KeySize is the length of every key in bytes: AES-256.
const KeySize = 32

// ErrUnknownKey is returned when a sealed value names a key the keyring does not hold.
var ErrUnknownKey = errors.New("the key is not in the keyring")

// ErrDecrypt is returned when a value does not decrypt under its key: the wrong key, or tampering.
var ErrDecrypt = errors.New("the value does not decrypt: the wrong key, or the stored bytes were changed")

var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Keyring holds key-encryption keys by id; the active one wraps new data keys.
type Keyring struct {
	active string
	keys   map[string][]byte
}

// Sealed is a value as stored: the id of the key-encryption key, the wrapped data key and the ciphertext
// (each a nonce followed by AES-GCM output).
type Sealed struct {
	KeyID      string
	WrappedKey []byte
	Ciphertext []byte
}

// ParseKeyring reads a keyring: one key per line, "ID BASE64" (32 bytes once decoded), the first line's key
// active; blank lines and lines starting with # are ignored. It returns an error naming the line for an id
// that is not 1-64 letters, digits, '.', '_' or '-', a key that is not 32 bytes of base64, or a repeated id,
// and for a keyring without keys.
func ParseKeyring(text []byte) (*Keyring, error) {
	k := &Keyring{keys: map[string][]byte{}}
	sc := bufio.NewScanner(bytes.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 || !keyIDPattern.MatchString(fields[0]) {
			return nil, fmt.Errorf("line %d: want \"ID BASE64-KEY\" with an id of letters, digits, '.', '_' or '-'", n)
		}
		key, err := base64.StdEncoding.DecodeString(fields[1])
		if err != nil || len(key) != KeySize {
			return nil, fmt.Errorf("line %d: key %s is not %d bytes of base64", n, fields[0], KeySize)
		}
		if _, dup := k.keys[fields[0]]; dup {
			return nil, fmt.Errorf("line %d: key %s appears twice", n, fields[0])
		}
		k.keys[fields[0]] = key
		if k.active == "" {
			k.active = fields[0]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if k.active == "" {
		return nil, errors.New("no keys: add a line \"ID BASE64-KEY\" ('foidesk keys generate' writes one)")
	}
	return k, nil
}

// NewKeyLine returns a keyring line with a fresh random key under id, for the top of a key file.
func NewKeyLine(id string) (string, error) {
	if !keyIDPattern.MatchString(id) {
		return "", fmt.Errorf("key id %q: use 1-64 letters, digits, '.', '_' or '-'", id)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	return id + " " + base64.StdEncoding.EncodeToString(key), nil
}

// ActiveID returns the id of the key that wraps new data keys.
func (k *Keyring) ActiveID() string { return k.active }

// Has reports whether the keyring holds the key with this id.
func (k *Keyring) Has(id string) bool { _, ok := k.keys[id]; return ok }

// Seal encrypts plain under a fresh data key wrapped by the active key. aad binds the ciphertext to where it
// is stored (Open must be given the same aad).
func (k *Keyring) Seal(plain, aad []byte) (Sealed, error) {
	dek := make([]byte, KeySize)
	if _, err := rand.Read(dek); err != nil {
		return Sealed{}, err
	}
	ct, err := gcmSeal(dek, plain, aad)
	if err != nil {
		return Sealed{}, err
	}
	wrapped, err := gcmSeal(k.keys[k.active], dek, wrapAAD(k.active))
	if err != nil {
		return Sealed{}, err
	}
	return Sealed{KeyID: k.active, WrappedKey: wrapped, Ciphertext: ct}, nil
}

// Open decrypts a sealed value. Errors: ErrUnknownKey when its key is not in the keyring, ErrDecrypt when it
// does not decrypt (the wrong key under that id, a different aad, or changed bytes).
func (k *Keyring) Open(s Sealed, aad []byte) ([]byte, error) {
	dek, err := k.unwrap(s.KeyID, s.WrappedKey)
	if err != nil {
		return nil, err
	}
	plain, err := gcmOpen(dek, s.Ciphertext, aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return plain, nil
}

// Rewrap returns the wrapped data key of a value sealed under keyID wrapped instead by the active key, and the
// active key's id. The ciphertext does not change. Errors as Open.
func (k *Keyring) Rewrap(keyID string, wrapped []byte) (string, []byte, error) {
	dek, err := k.unwrap(keyID, wrapped)
	if err != nil {
		return "", nil, err
	}
	out, err := gcmSeal(k.keys[k.active], dek, wrapAAD(k.active))
	return k.active, out, err
}

func (k *Keyring) unwrap(keyID string, wrapped []byte) ([]byte, error) {
	kek, ok := k.keys[keyID]
	if !ok {
		return nil, fmt.Errorf("key %q: %w", keyID, ErrUnknownKey)
	}
	dek, err := gcmOpen(kek, wrapped, wrapAAD(keyID))
	if err != nil || len(dek) != KeySize {
		return nil, ErrDecrypt
	}
	return dek, nil
}

// wrapAAD binds a wrapped data key to the id of the key that wrapped it.
func wrapAAD(keyID string) []byte { return []byte("foidesk-data-key:" + keyID) }

func gcmSeal(key, plain, aad []byte) ([]byte, error) {
	g, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return g.Seal(nonce, nonce, plain, aad), nil
}

func gcmOpen(key, sealed, aad []byte) ([]byte, error) {
	g, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < g.NonceSize() {
		return nil, ErrDecrypt
	}
	return g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], aad)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}
