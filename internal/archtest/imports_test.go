// Package archtest holds the architecture's import rules as tests.
package archtest

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// rule says which project packages a package may import, and which standard-library packages it must not.
type rule struct {
	pkg          string   // directory under the module root
	allowProject []string // project import paths it may use; anything else under foidesk/ is a violation
	denyStd      []string // packages it must not use: exact paths, or every path under an entry ending in "/"
}

// ioPackages are what a pure package must not import: the database, the network, the file system, processes
// and anything from outside the standard library.
var ioPackages = []string{"database/sql", "net", "net/http", "net/http/", "net/smtp", "os", "os/exec",
	"os/signal", "io/ioutil", "syscall", "github.com/", "golang.org/", "gopkg.in/", "modernc.org/"}

var rules = []rule{
	{pkg: "internal/calendar", allowProject: nil,
		denyStd: ioPackages},
	{pkg: "internal/foi", allowProject: []string{"foidesk/internal/calendar"},
		denyStd: ioPackages},
	{pkg: "internal/web", allowProject: []string{"foidesk/internal/foi", "foidesk/internal/calendar"}},
	{pkg: "internal/mail", allowProject: []string{"foidesk/internal/foi", "foidesk/internal/calendar"}},
	{pkg: "internal/worker", allowProject: []string{"foidesk/internal/foi", "foidesk/internal/calendar", "foidesk/internal/mail"}},
	{pkg: "internal/crypt", allowProject: nil,
		denyStd: ioPackages},
	{pkg: "internal/store", allowProject: []string{"foidesk/internal/foi", "foidesk/internal/calendar",
		"foidesk/internal/crypt", "foidesk/internal/store/db", "foidesk/sql"}},
}

func TestImports_FollowTheArchitecture(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, r := range rules {
		dir := filepath.Join(root, r.pkg)
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue // tests may reach further
			}
			checkFile(t, r, f)
		}
	}
}

func checkFile(t *testing.T, r rule, file string) {
	t.Helper()
	parsed, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range parsed.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if strings.HasPrefix(path, "foidesk/") && !contains(r.allowProject, path) {
			t.Errorf("%s imports %s, which the architecture forbids", file, path)
		}
		for _, deny := range r.denyStd {
			if path == deny || strings.HasSuffix(deny, "/") && strings.HasPrefix(path, deny) {
				t.Errorf("%s imports %s: the domain is pure (no I/O, SQL or HTTP)", file, path)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
