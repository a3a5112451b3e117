package web_test

// The browser harness: one headless Debian Chromium per test binary, driven with chromedp, against a real server
// on a real store. Each test gets its own tab in its own browser context (its own cookies), so tests signed in
// as different users never share a session. axe-core (from npm, node_modules/axe-core) is injected into every
// page through the DevTools protocol and any violation fails the test.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"foidesk/internal/store/storetest"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium, or $FOIDESK_CHROMIUM.
func chromiumPath() string {
	if p := os.Getenv("FOIDESK_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// axePath is axe-core's browser build, installed by `npm ci` (make assets).
const axePath = "../../node_modules/axe-core/axe.min.js"

// theBrowser is the one Chromium of this test binary, started by the first test that needs it.
var theBrowser struct {
	once   sync.Once
	ctx    context.Context // the browser's context: tabs are made from it
	stop   func()
	err    error
	axeJS  string
	axeErr error
}

// TestMain runs the tests and then stops the browser, if one was started, and removes the databases the
// benchmarks shared.
func TestMain(m *testing.M) {
	code := m.Run()
	if theBrowser.stop != nil {
		theBrowser.stop()
	}
	storetest.CloseShared()
	os.Exit(code)
}

// startBrowser starts Chromium headless with a fresh profile directory. On this kind of machine (root, no
// network beyond the package registries) it needs --no-sandbox and every background network feature off.
func startBrowser() {
	path := chromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		theBrowser.err = fmt.Errorf("no Chromium at %s: run scripts/install-chromium.sh (make test does) or set FOIDESK_CHROMIUM", path)
		return
	}
	profile, err := os.MkdirTemp("", "foidesk-chromium-")
	if err != nil {
		theBrowser.err = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1024),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	// The first run starts the browser, which lives as long as ctx: no timeout here.
	if err := chromedp.Do(ctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
		theBrowser.err = fmt.Errorf("starting %s: %w (is it installed? scripts/install-chromium.sh)", path, err)
		return
	}
	theBrowser.ctx = ctx
	theBrowser.stop = func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	b, err := os.ReadFile(axePath)
	if err != nil {
		theBrowser.axeErr = fmt.Errorf("axe-core is not installed (%w): run `make assets` (npm ci)", err)
		return
	}
	theBrowser.axeJS = string(b)
}

// browser is one tab of the shared Chromium, in a browser context of its own, on a test site.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string // the site's URL, "http://127.0.0.1:port"
	shots string // where screenshots go
}

// newBrowser opens a tab for the test on the site at base. It fails the test (never skips) when Chromium or
// axe-core is missing.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	theBrowser.once.Do(startBrowser)
	if theBrowser.err != nil {
		t.Fatal(theBrowser.err)
	}
	if theBrowser.axeErr != nil {
		t.Fatal(theBrowser.axeErr)
	}
	ctx, cancel := chromedp.NewContext(theBrowser.ctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 10*time.Minute) // go test -timeout catches a hang first by default
	t.Cleanup(func() { cancelTimeout(); cancel() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base, shots: screenshotDir(t)}
}

// screenshotDir is $FOIDESK_SCREENSHOTS (kept), or the test's artifact directory (kept with
// `go test -artifacts`, removed otherwise).
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("FOIDESK_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.ArtifactDir()
}

// run runs chromedp actions in the tab, failing the test on error.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (at %s)", what, err, b.location())
	}
}

// value runs one chromedp action that returns a value in the tab, failing the test on error.
func value[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v (at %s)", what, err, b.location())
	}
	return v
}

// location returns the tab's URL, for messages.
func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	u, _ := chromedp.Run(ctx, chromedp.Location())
	return u
}

// errDownload is what visit returns for a link that downloads a file instead of showing a page.
var errDownload = errors.New("a download, not a page")

// visit opens path (or a full URL of the site) and returns the HTTP status of the page; it fails the test when
// the page cannot load.
func (b *browser) visit(path string) int {
	b.t.Helper()
	status, _, err := b.tryVisit(path)
	if err != nil {
		b.t.Fatalf("visiting %s: %v", path, err)
	}
	return status
}

// tryVisit opens path (or a full URL of the site) and returns the HTTP status of the page it ends on and that
// page's site path (another one after a redirect); errDownload for anything but an HTML page.
func (b *browser) tryVisit(path string) (int, string, error) {
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.base + path
	}
	res, err := chromedp.RunResponse(b.ctx, chromedp.Navigate(u))
	if err != nil {
		if strings.Contains(err.Error(), "ERR_ABORTED") {
			return 0, "", errDownload
		}
		return 0, "", err
	}
	if res == nil {
		return 0, "", fmt.Errorf("no response for %s", u)
	}
	final := strings.TrimPrefix(res.URL, b.base)
	if !strings.HasPrefix(res.MimeType, "text/html") {
		return int(res.Status), final, errDownload
	}
	return int(res.Status), final, nil
}

// submit clicks the submit button matching sel and waits for the next page to load, returning its status.
func (b *browser) submit(sel string) int {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("submitting %s: %v (at %s)", sel, err, b.location())
	}
	if res == nil {
		b.t.Fatalf("submitting %s: no response (at %s)", sel, b.location())
	}
	return int(res.Status)
}

// fill types value into the field matching sel, replacing what was there.
func (b *browser) fill(sel, value string) {
	b.t.Helper()
	b.run("filling "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// check clicks the radio or checkbox matching sel.
func (b *browser) check(sel string) {
	b.t.Helper()
	b.run("checking "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// text returns the visible text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return value(b, "reading "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// html returns the page's HTML.
func (b *browser) html() string {
	b.t.Helper()
	return value(b, "reading the page", chromedp.OuterHTML(chromedp.CSS("html")))
}

// title returns the document's title.
func (b *browser) title() string {
	b.t.Helper()
	return value(b, "reading the title", chromedp.Title())
}

// has reports whether an element matches sel.
func (b *browser) has(sel string) bool {
	b.t.Helper()
	n := value(b, "counting "+sel, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
	return n > 0
}

// signIn signs in through the sign-in form as email (password testPassword) and checks the dashboard shows.
func (b *browser) signIn(email string) {
	b.t.Helper()
	b.signOut()
	b.visit("/")
	b.fill("#email", email)
	b.fill("#password", testPassword)
	if status := b.submit(`main button[type="submit"]`); status != 200 {
		b.t.Fatalf("signing in as %s: status %d", email, status)
	}
	if !b.has("#identity-bar") {
		b.t.Fatalf("signing in as %s: no identity bar on %s", email, b.location())
	}
}

// signOut ends the tab's session with the sign-out button when signed in, and drops every cookie.
func (b *browser) signOut() {
	b.t.Helper()
	if b.location() != "about:blank" && b.has("#identity-bar button") {
		b.submit("#identity-bar button")
	}
	b.run("clearing cookies", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
}

// axeViolation is one failed axe-core rule, with the nodes that fail it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axe runs axe-core on the page (every rule axe runs by default: WCAG 2.0-2.2 A and AA and best practices)
// and fails the test on any violation, naming each rule and node. It is injected with Runtime.evaluate, which
// the page's Content-Security-Policy does not govern.
func (b *browser) axe(name string) {
	b.t.Helper()
	if !value(b, "looking for axe", chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		value(b, "injecting axe-core", chromedp.Evaluate[bool](theBrowser.axeJS+"\n;true"))
	}
	run := `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`
	text := value(b, "running axe on "+name, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(text), &vs); err != nil {
		b.t.Fatalf("axe on %s: %v", name, err)
	}
	for _, v := range vs {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprintf("    %v %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.FailureSummary, "\n", " ")))
		}
		b.t.Errorf("axe on %s (%s): %s [%s]: %s\n%s", name, b.location(), v.ID, v.Impact, v.Help, strings.Join(nodes, "\n"))
	}
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// screenshot saves a full-page PNG of the tab as name.png in the screenshot directory.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	png := value(b, "screenshot "+name, chromedp.FullScreenshot(100))
	file := filepath.Join(b.shots, unsafeName.ReplaceAllString(name, "_")+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// links returns the site-local links of the page (path and query, no fragment), in page order, without
// duplicates.
func (b *browser) links() []string {
	b.t.Helper()
	hrefs := value(b, "reading links", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("a[href]"), a => a.href)`))
	var out []string
	seen := map[string]bool{}
	for _, h := range hrefs {
		u, err := url.Parse(h)
		if err != nil || b.base != u.Scheme+"://"+u.Host {
			continue
		}
		p := u.EscapedPath()
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
