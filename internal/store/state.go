package store

import (
	"context"
	"slices"
	"sync"

	"foidesk/internal/store/db"
)

// What an instance caches of the slowly changing state, and how it knows the cache is current.
//
// The database keeps a version for each kind of cached state: calendar_state.version (bumped by every import
// or override), and state_versions.auth and .registers (bumped by triggers on users, API tokens, parties,
// contacts, assets and exchanges; migration 00015). A request reads all three in one query (versions) and uses
// a cache only at the version it read: when another instance, the CLI or an administrator by hand changes a row,
// the version moves and every instance reads afresh at its next request. Nothing is cached by time.

// stateVersions is one read of the versions.
type stateVersions = db.StateVersionsGetRow

// versions reads the versions of the cached state: once per request under WithRequestState, else each call.
func (d *DB) versions(ctx context.Context) (stateVersions, error) {
	if rs, ok := ctx.Value(requestStateKey{}).(*requestState); ok {
		rs.once.Do(func() { rs.versions, rs.err = d.readVersions(ctx) })
		return rs.versions, rs.err
	}
	return d.readVersions(ctx)
}

func (d *DB) readVersions(ctx context.Context) (stateVersions, error) {
	v, err := d.readQueries().StateVersionsGet(ctx)
	if err != nil {
		return stateVersions{}, d.internal("read state versions", err)
	}
	return v, nil
}

// requestStateKey keys the versions one request read (WithRequestState).
type requestStateKey struct{}

type requestState struct {
	once     sync.Once
	versions stateVersions
	err      error
}

// WithRequestState returns a context under which the versions of the cached state are read at most once: the
// API token check and the service the request calls then share one read. Wrap each HTTP request's context in
// it; a context without it reads the versions at every call.
func WithRequestState(ctx context.Context) context.Context {
	return context.WithValue(ctx, requestStateKey{}, &requestState{})
}

// maxCachedTokens bounds the token cache: past it, the cache starts again empty.
const maxCachedTokens = 10000

// tokenCache holds API tokens and their users by token hash, as read at one auth version.
type tokenCache struct {
	mu      sync.Mutex
	version int64
	tokens  map[string]db.TokenUserGetRow
}

// get returns the cached token with this hash, if it was read at this auth version.
func (c *tokenCache) get(version int64, hash string) (db.TokenUserGetRow, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return db.TokenUserGetRow{}, false
	}
	t, ok := c.tokens[hash]
	return t, ok
}

// put caches a token read at this auth version; a read at an older version than the cache's is dropped.
func (c *tokenCache) put(version int64, hash string, t db.TokenUserGetRow) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return
	}
	if version > c.version || c.tokens == nil || len(c.tokens) >= maxCachedTokens {
		c.version, c.tokens = version, map[string]db.TokenUserGetRow{}
	}
	c.tokens[hash] = t
}

// registerCache holds what routing a new request reads of the registers (assets with their exchange, and each
// party's contacts), as read at one registers version. It fills as requests ask.
type registerCache struct {
	mu       sync.Mutex
	version  int64
	assets   map[string]db.AssetGetByCodeRow
	contacts map[int64][]db.Contact
}

// registerView is the register cache as one request sees it: at the registers version the request read.
type registerView struct {
	cache   *registerCache
	version int64
}

// at returns the view of the cache at a registers version.
func (c *registerCache) at(version int64) *registerView {
	return &registerView{cache: c, version: version}
}

// current reports whether the cache is at the view's version, moving it there (empty) when the view is newer.
// The caller holds the lock.
func (v *registerView) current() bool {
	c := v.cache
	if v.version > c.version || c.assets == nil {
		c.version, c.assets, c.contacts = v.version, map[string]db.AssetGetByCodeRow{}, map[int64][]db.Contact{}
	}
	return c.version == v.version
}

// asset returns the asset with this code from the cache, or by load (caching what it found).
func (v *registerView) asset(code string, load func() (db.AssetGetByCodeRow, error)) (db.AssetGetByCodeRow, error) {
	if v == nil {
		return load()
	}
	v.cache.mu.Lock()
	var a db.AssetGetByCodeRow
	ok := v.current()
	if ok {
		a, ok = v.cache.assets[code]
	}
	v.cache.mu.Unlock()
	if ok {
		return a, nil
	}
	a, err := load()
	if err != nil {
		return a, err
	}
	v.cache.mu.Lock()
	if v.current() {
		v.cache.assets[code] = a
	}
	v.cache.mu.Unlock()
	return a, nil
}

// partyContacts returns a party's contacts from the cache, or by load (caching what it found).
func (v *registerView) partyContacts(partyID int64, load func() ([]db.Contact, error)) ([]db.Contact, error) {
	if v == nil {
		return load()
	}
	v.cache.mu.Lock()
	var cs []db.Contact
	ok := v.current()
	if ok {
		cs, ok = v.cache.contacts[partyID]
	}
	v.cache.mu.Unlock()
	if ok {
		return slices.Clone(cs), nil
	}
	cs, err := load()
	if err != nil {
		return nil, err
	}
	v.cache.mu.Lock()
	if v.current() {
		v.cache.contacts[partyID] = slices.Clone(cs)
	}
	v.cache.mu.Unlock()
	return cs, nil
}
