package web

import (
	"errors"
	"net/http"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// statusOf maps each domain error code to its HTTP status: the one place this mapping lives.
var statusOf = map[string]int{
	foi.EINVALID:      http.StatusUnprocessableEntity,
	foi.EBADREQUEST:   http.StatusBadRequest,
	foi.ENOTFOUND:     http.StatusNotFound,
	foi.ECONFLICT:     http.StatusConflict,
	foi.EFORBIDDEN:    http.StatusForbidden,
	foi.EUNAUTHORIZED: http.StatusUnauthorized,
	foi.EPRECONDITION: http.StatusPreconditionFailed,
	foi.ETOOMANY:      http.StatusTooManyRequests,
	foi.EINTERNAL:     http.StatusInternalServerError,
}

// httpStatus returns the HTTP status for err.
func httpStatus(err error) int {
	if st, ok := statusOf[foi.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem document, with the bad fields for validation errors.
type Problem struct {
	Type   string           `json:"type"`
	Title  string           `json:"title"`
	Status int              `json:"status"`
	Detail string           `json:"detail,omitempty"`
	Code   string           `json:"code"`
	Errors []foi.FieldError `json:"errors,omitempty"`
}

// apiError writes err as application/problem+json. Internal errors are logged and reported without detail.
func (s *Server) apiError(c *gin.Context, err error) {
	code := foi.ErrorCode(err)
	status := httpStatus(err)
	if code == foi.EINTERNAL {
		s.log.Error("internal error", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	body := map[string]any{
		"type":   "urn:foidesk:problem:" + code,
		"title":  http.StatusText(status),
		"status": status,
		"code":   code,
		"detail": foi.ErrorMessage(err),
	}
	if fields := foi.ErrorFields(err); len(fields) > 0 {
		body["errors"] = fields
	}
	var de *foi.Error
	if errors.As(err, &de) {
		for k, v := range de.Detail {
			if _, taken := body[k]; !taken {
				body[k] = v
			}
		}
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="foidesk"`)
	}
	c.Header("Content-Type", "application/problem+json")
	c.Status(status)
	c.Render(status, problemRender{body})
	c.Abort()
}

// htmlError shows a GOV.UK error page for err: 404 for not found and forbidden (a page the user may not see
// does not hint that it exists), the problem page for internal errors, which are logged.
func (s *Server) htmlError(c *gin.Context, err error) {
	code := foi.ErrorCode(err)
	switch code {
	case foi.ENOTFOUND, foi.EFORBIDDEN:
		s.pages.HTML(c, http.StatusNotFound, "notfound", s.page(c, "Page not found"))
	case foi.EUNAUTHORIZED:
		c.Redirect(http.StatusSeeOther, "/?next="+safeNext(c.Request.URL.RequestURI()))
	default:
		if code == foi.EINTERNAL {
			s.log.Error("internal error", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		}
		s.pages.HTML(c, httpStatus(err), "error", s.page(c, "Sorry, there is a problem with the service"))
	}
	c.Abort()
}

// fail answers err in the form the request expects: problem+json under /api/, a page otherwise.
func (s *Server) fail(c *gin.Context, err error) {
	if isAPI(c) {
		s.apiError(c, err)
		return
	}
	s.htmlError(c, err)
}

// handleNotFound answers an unknown URL.
func (s *Server) handleNotFound(c *gin.Context) {
	s.fail(c, foi.Errorf(foi.ENOTFOUND, "There is nothing at %s.", c.Request.URL.Path))
}

func isAPI(c *gin.Context) bool {
	p := c.Request.URL.Path
	return p == "/api" || len(p) >= 5 && p[:5] == "/api/"
}
