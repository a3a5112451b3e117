package web_test

import (
	"bytes"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"foidesk/internal/store/storetest"
	"foidesk/internal/web"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

var (
	apiValidatorOnce sync.Once
	apiValidator     validator.Validator
	apiDocument      libopenapi.Document
	apiValidatorErr  []error
)

// openAPI returns a validator for the served OpenAPI document.
func openAPI(t *testing.T) validator.Validator {
	t.Helper()
	apiValidatorOnce.Do(func() {
		doc, err := libopenapi.NewDocument(web.OpenAPIDocument())
		if err != nil {
			apiValidatorErr = []error{err}
			return
		}
		apiDocument = doc
		apiValidator, apiValidatorErr = validator.NewValidator(doc)
	})
	if len(apiValidatorErr) > 0 {
		t.Fatalf("OpenAPI document: %v", apiValidatorErr)
	}
	return apiValidator
}

// checkAgainstOpenAPI fails the test when an /api/v1 request or its response does not match the document.
func checkAgainstOpenAPI(t *testing.T, req *http.Request, reqBody []byte, res *http.Response, resBody []byte) {
	t.Helper()
	v := openAPI(t)
	req = req.Clone(req.Context())
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	res.Body = io.NopCloser(bytes.NewReader(resBody))
	// Responses are always checked; requests only when they succeeded, since tests send bad ones on purpose.
	// An unknown URL has no operation to check against.
	if res.StatusCode == http.StatusNotFound && !documentedPath(t, req.URL.Path) {
		return
	}
	ok, errs := v.ValidateHttpResponse(req, res)
	if res.StatusCode < 400 {
		reqOK, reqErrs := v.ValidateHttpRequest(req)
		ok, errs = ok && reqOK, append(errs, reqErrs...)
	}
	if !ok {
		var msgs []string
		for _, e := range errs {
			msg := e.Message
			if e.Reason != "" {
				msg += ": " + e.Reason
			}
			for _, se := range e.SchemaValidationErrors {
				msg += " [" + se.FieldPath + ": " + se.Reason + "]"
			}
			msgs = append(msgs, msg)
		}
		t.Errorf("%s %s -> %d does not match the OpenAPI document:\n  %s\n  body: %s", req.Method,
			req.URL.Path, res.StatusCode, strings.Join(msgs, "\n  "), resBody)
	}
	res.Body = io.NopCloser(bytes.NewReader(resBody))
}

// documentedPath reports whether an /api/v1 URL path matches a path of the document.
func documentedPath(t *testing.T, urlPath string) bool {
	openAPI(t)
	model, errs := apiDocument.BuildV3Model()
	if errs != nil {
		t.Fatal(errs)
	}
	p := strings.TrimPrefix(urlPath, "/api/v1")
	for pair := model.Model.Paths.PathItems.First(); pair != nil; pair = pair.Next() {
		if matchTemplate(pair.Key(), p) {
			return true
		}
	}
	return false
}

// matchTemplate reports whether path fits an OpenAPI path template such as /cases/{id}.
func matchTemplate(tmpl, path string) bool {
	a, b := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !strings.HasPrefix(a[i], "{") {
			return false
		}
	}
	return true
}

func TestOpenAPI_TheDocumentIsValidOpenAPI31(t *testing.T) {
	v := openAPI(t)
	if ok, errs := v.ValidateDocument(); !ok {
		for _, e := range errs {
			t.Errorf("%s: %s", e.Message, e.Reason)
		}
	}
	if !bytes.Contains(web.OpenAPIDocument(), []byte(`"openapi": "3.1.0"`)) {
		t.Fatal("the document does not declare OpenAPI 3.1.0")
	}
}

func TestOpenAPI_EveryAPIRouteIsDocumentedAndEveryDocumentedPathIsServed(t *testing.T) {
	d := storetest.OpenSQLite(t)
	s, err := web.New(web.Config{Auth: d, Registers: d, Ping: d.Ping})
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, r := range s.Routes() {
		path, ok := strings.CutPrefix(r.Path, "/api/v1")
		if !ok || path == "/openapi.json" {
			continue
		}
		served[r.Method+" "+ginToOpenAPI(path)] = true
	}
	openAPI(t)
	model, errs := apiDocument.BuildV3Model()
	if errs != nil {
		t.Fatal(errs)
	}
	documented := map[string]bool{}
	for pair := model.Model.Paths.PathItems.First(); pair != nil; pair = pair.Next() {
		for op := pair.Value().GetOperations().First(); op != nil; op = op.Next() {
			documented[strings.ToUpper(op.Key())+" "+pair.Key()] = true
		}
	}
	for _, k := range sortedKeys(served) {
		if !documented[k] {
			t.Errorf("%s is served but not in the OpenAPI document", k)
		}
	}
	for _, k := range sortedKeys(documented) {
		if !served[k] {
			t.Errorf("%s is in the OpenAPI document but not served", k)
		}
	}
	if len(served) == 0 {
		t.Fatal("no API routes found")
	}
}

// ginToOpenAPI turns gin's /cases/:id into OpenAPI's /cases/{id}.
func ginToOpenAPI(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestOpenAPI_TheDocumentIsServedWithoutAToken(t *testing.T) {
	s := newSite(t, storetest.OpenSQLite(t))
	res, body := s.get("/api/v1/openapi.json")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"openapi"`) {
		t.Fatalf("openapi.json: %d", res.StatusCode)
	}
}
