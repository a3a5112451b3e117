package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"reflect"
	"strings"
	"time"
	_ "time/tzdata" // London time must not depend on the host's zoneinfo

	"github.com/gin-gonic/gin"
)

// Page is what every HTML page template receives.
type Page struct {
	Title     string            // the page's title: <title> is "{{.Title}} – foidesk" ("Error: " first when Errors is set); a page template's {{define "title"}} is the default when empty
	User      *PageUser         // nil when signed out: no navigation, no identity bar
	CSRFToken string            // every POST form includes <input type="hidden" name="csrf_token" value="{{.CSRFToken}}">
	Nav       string            // active navigation key: "home", "cases", "consultations", "admin", "audit"
	Flash     string            // success notification banner (govuk-notification-banner--success) when non-empty
	Errors    []FieldError      // error summary (govuk-error-summary) at the top of main, each linking to "#"+Field; inline errors via fieldError
	Form      map[string]string // values the user typed, re-shown on error
	Data      any               // page-specific data
}

// PageUser is the signed-in user as the layout shows them.
type PageUser struct {
	Name, Email, Role, RoleLabel, PartyCode, PartyName string
	NavItems                                           []NavItem // service navigation, in order
}

// NavItem is one link of the service navigation; the item whose Key equals Page.Nav is marked current.
type NavItem struct{ Key, Label, Href string }

// FieldError is one problem with the submitted form. Field is the id of the input it is about (the error summary
// links to "#"+Field); an empty Field gives a summary line without a link.
type FieldError struct{ Field, Message string }

// FieldRef is a page and one of its fields' ids, the argument of the "errorMessage" partial.
type FieldRef struct {
	Page  *Page
	Field string
}

// DashboardCount is one count of the dashboard's "Your work" list.
type DashboardCount struct {
	Key         string
	N           int64
	Description string
}

//go:embed templates/*.html
var templateFiles embed.FS

const (
	layoutFile = "layout.html" // the page skeleton; executed for every page
	sharedMark = "_"           // files whose name starts with this hold partials shared by every page
)

// Renderer renders the embedded HTML templates: one clone of the layout (and the shared partials) per page.
type Renderer struct {
	pages map[string]*template.Template // by page name: "signin" for templates/signin.html
}

// NewRenderer parses the embedded templates. Every page must define "content". It fails on any parse error and on
// any escaping error, which html/template reports only on a first execution, so each page is executed once here.
func NewRenderer() (*Renderer, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	shared := []string{"templates/" + layoutFile}
	var pages []string
	for _, n := range names {
		switch base := path.Base(n); {
		case base == layoutFile:
		case strings.HasPrefix(base, sharedMark):
			shared = append(shared, n)
		default:
			pages = append(pages, n)
		}
	}
	base, err := template.New(layoutFile).Funcs(templateFuncs).ParseFS(templateFiles, shared...)
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	r := &Renderer{pages: make(map[string]*template.Template, len(pages))}
	for _, file := range pages {
		name := strings.TrimSuffix(path.Base(file), ".html")
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		if t, err = t.ParseFS(templateFiles, file); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("web: template %s: defines no \"content\"", name)
		}
		// Surface escaping errors now rather than on the first request. Errors of execution proper (a nil
		// pointer in made-up data) are not template bugs and are ignored here.
		probe := &Page{User: &PageUser{NavItems: []NavItem{{Key: "home", Label: "Home", Href: "/"}}}, Nav: "home",
			Flash: "x", Errors: []FieldError{{Field: "x", Message: "x"}}}
		var tErr *template.Error
		if err := t.ExecuteTemplate(io.Discard, layoutFile, probe); errors.As(err, &tErr) {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Has reports whether a page of that name exists.
func (r *Renderer) Has(name string) bool { _, ok := r.pages[name]; return ok }

// HTML renders page name (e.g. "signin") into the layout and writes it with status. The page is rendered to a buffer
// first: on a template error nothing of it is sent, the error is logged and the client gets a plain 500.
func (r *Renderer) HTML(c *gin.Context, status int, name string, p *Page) {
	if p == nil {
		p = &Page{}
	}
	t, ok := r.pages[name]
	if !ok {
		slog.ErrorContext(c.Request.Context(), "render: no such page template", "page", name, "path", c.Request.URL.Path)
		plain500(c)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, layoutFile, p); err != nil {
		slog.ErrorContext(c.Request.Context(), "render: template failed", "page", name, "path", c.Request.URL.Path, "err", err)
		plain500(c)
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func plain500(c *gin.Context) {
	c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8",
		[]byte("Sorry, there is a problem with the service. Try again later.\n"))
}

// templateFuncs are the functions every template may call.
var templateFuncs = template.FuncMap{
	// fieldError returns the message of the first error about field, or "".
	"fieldError": func(errs []FieldError, field string) string {
		for _, e := range errs {
			if e.Field == field {
				return e.Message
			}
		}
		return ""
	},
	// hasError reports whether any error is about field.
	"hasError": func(errs []FieldError, field string) bool {
		for _, e := range errs {
			if e.Field == field {
				return true
			}
		}
		return false
	},
	// fieldArgs bundles the page and a field id for the "errorMessage" partial:
	// {{template "errorMessage" (fieldArgs . "email")}}.
	"fieldArgs": func(p *Page, field string) FieldRef { return FieldRef{Page: p, Field: field} },
	// formValue returns what the user typed in field, or "" (also for a nil map).
	"formValue": func(form map[string]string, field string) string { return form[field] },
	// dataString returns the string under key of a map or struct in .Data ("" when absent or nil).
	"dataString": func(data any, key string) string {
		switch v := lookup(data, key); v := v.(type) {
		case nil:
			return ""
		case string:
			return v
		case fmt.Stringer:
			return v.String()
		default:
			return fmt.Sprint(v)
		}
	},
	// count returns the integer under key of a map or struct in .Data (0 when absent, nil or not a number).
	"count": countOf,
	// countArgs picks one count out of .Data for the dashboard's "dashboardCount" partial.
	"countArgs": func(data any, key, description string) DashboardCount {
		return DashboardCount{Key: key, N: countOf(data, key), Description: description}
	},
	// plural returns singular when n is 1, else plural: {{plural $n "case" "cases"}}.
	"plural": func(n any, singular, plural string) string {
		rv := reflect.ValueOf(n)
		if (rv.CanInt() && rv.Int() == 1) || (rv.CanUint() && rv.Uint() == 1) {
			return singular
		}
		return plural
	},
	"date":      func(t any) string { return formatTime(t, "2 January 2006") }, // "9 March 2026" (London)
	"dateShort": func(t any) string { return formatTime(t, "2 Jan 2006") },     // "9 Mar 2026"
	"isoDate":   func(t any) string { return formatTime(t, time.DateOnly) },    // "2026-03-09", for <time datetime>
	"dateTime":  func(t any) string { return formatTime(t, "") },               // "9 March 2026 at 2:05pm"
}

// London is the time zone dates are shown in.
var London = mustLoadLocation("Europe/London")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // cannot happen: time/tzdata is linked in
	}
	return loc
}

// formatTime formats a time.Time or *time.Time in London time with layout, or, for an empty layout, as GOV.UK
// writes a date and time ("9 March 2026 at 2:05pm", "at midday", "at midnight"). A zero or nil time gives "".
func formatTime(v any, layout string) string {
	var t time.Time
	switch v := v.(type) {
	case time.Time:
		t = v
	case *time.Time:
		if v == nil {
			return ""
		}
		t = *v
	default:
		return ""
	}
	if t.IsZero() {
		return ""
	}
	t = t.In(London)
	if layout != "" {
		return t.Format(layout)
	}
	clock := t.Format("3:04pm")
	switch {
	case t.Hour() == 0 && t.Minute() == 0:
		clock = "midnight"
	case t.Hour() == 12 && t.Minute() == 0:
		clock = "midday"
	case t.Minute() == 0:
		clock = t.Format("3pm")
	}
	return t.Format("2 January 2006") + " at " + clock
}

// countOf returns the integer under key of a map or struct (0 when absent, nil or not an integer).
func countOf(data any, key string) int64 {
	rv := reflect.ValueOf(lookup(data, key))
	switch {
	case rv.CanInt():
		return rv.Int()
	case rv.CanUint():
		return int64(rv.Uint()) //nolint:gosec // counts are small
	}
	return 0
}

// lookup returns data[key] for a map with string keys, or the exported field key of a struct (or pointer to one);
// nil otherwise.
func lookup(data any, key string) any {
	rv := reflect.ValueOf(data)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil
		}
		v := rv.MapIndex(reflect.ValueOf(key).Convert(rv.Type().Key()))
		if !v.IsValid() || !v.CanInterface() {
			return nil
		}
		return v.Interface()
	case reflect.Struct:
		f, ok := rv.Type().FieldByName(key)
		if !ok || !f.IsExported() {
			return nil
		}
		return rv.FieldByIndex(f.Index).Interface()
	}
	return nil
}
