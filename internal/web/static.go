package web

import (
	"embed"
	"io/fs"
)

// staticFiles holds internal/web/static: the committed app.js, js-enabled.js, app.css and README.md, and the
// dist/ directory that scripts/build-assets.sh fills from node_modules (absent from a build made before it ran).
//
//go:embed static
var staticFiles embed.FS

// StaticFS returns the static files rooted at the static directory, for serving at /static/ (so
// "dist/govuk-frontend.min.css" is /static/dist/govuk-frontend.min.css), e.g.
//
//	r.StaticFS("/static", http.FS(web.StaticFS()))
func StaticFS() fs.FS {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic("web: static files: " + err.Error()) // cannot happen: "static" is a valid path
	}
	return sub
}
