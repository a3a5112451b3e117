package web

import (
	"encoding/json"
	"net/http"
)

// problemRender writes a problem document without overriding the problem+json content type.
type problemRender struct{ body any }

func (r problemRender) Render(w http.ResponseWriter) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(r.body)
}

func (r problemRender) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/problem+json")
}
