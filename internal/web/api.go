package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// maxJSONBody is the largest JSON request body the API reads.
const maxJSONBody = 1 << 20

// readBody returns the request body, at most maxJSONBody bytes; EBADREQUEST when it is larger.
func readBody(c *gin.Context) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(c.Request.Body, maxJSONBody+1))
	if err != nil {
		return nil, foi.Errorf(foi.EBADREQUEST, "The request body could not be read.")
	}
	if len(b) > maxJSONBody {
		return nil, foi.Errorf(foi.EBADREQUEST, "The request body is larger than %d bytes.", maxJSONBody)
	}
	return b, nil
}

// decodeJSON decodes body strictly into dst: EBADREQUEST for a body that is not one JSON object, EINVALID
// naming the field for a value of the wrong type or a field the API does not know.
func decodeJSON(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr):
			return invalidField(typeErr.Field, fmt.Sprintf("%s must be a JSON %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String())))
		case errors.As(err, &syntaxErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return foi.Errorf(foi.EBADREQUEST, "The body must be a JSON object.")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return invalidField(field, "Unknown field "+field)
		}
		return foi.Errorf(foi.EBADREQUEST, "The body must be a JSON object.")
	}
	if dec.More() {
		return foi.Errorf(foi.EBADREQUEST, "The body must be a single JSON object.")
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	case "bool":
		return "boolean"
	}
	return "number"
}

func invalidField(field, message string) error {
	return &foi.Error{Code: foi.EINVALID, Message: message, Fields: []foi.FieldError{{Field: field, Message: message}}}
}

// pathID returns the numeric path parameter name, or ENOTFOUND.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, foi.Errorf(foi.ENOTFOUND, "There is nothing at %s.", c.Request.URL.Path)
	}
	return id, nil
}

// etag is the entity tag of a record at a version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch returns the version If-Match names, 0 when there is none (or "*"), EBADREQUEST when it is not an
// entity tag this API gave out.
func ifMatch(c *gin.Context) (int64, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, foi.Errorf(foi.EBADREQUEST, "If-Match must be an ETag from this API, like \"3\".")
	}
	return v, nil
}

// idempotency returns the request's Idempotency-Key with a hash of the body it came with.
func idempotency(c *gin.Context, body []byte) (foi.Idempotency, error) {
	key := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
	if key == "" {
		return foi.Idempotency{}, nil
	}
	if len(key) > 200 {
		return foi.Idempotency{}, foi.Errorf(foi.EBADREQUEST, "Idempotency-Key must be 200 characters or fewer.")
	}
	sum := sha256.Sum256(body)
	return foi.Idempotency{Key: key, RequestHash: hex.EncodeToString(sum[:])}, nil
}

// jsonDate is a date as the API writes it: "YYYY-MM-DD", or null when there is none.
func jsonDate(d calendar.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

// parseDateParam reads an optional date query parameter, naming it when it is not a date.
func parseDateParam(c *gin.Context, name string, v *foi.Validation) calendar.Date {
	s := c.Query(name)
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		v.Add(name, name+" must be a date, like 2026-03-31")
	}
	return d
}

// created answers 201 with the record's location and ETag.
func created(c *gin.Context, location string, version int64, body any) {
	c.Header("Location", location)
	c.Header("ETag", etag(version))
	c.JSON(http.StatusCreated, body)
}
