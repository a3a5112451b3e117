package foi

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web package and one exit code in the CLI.
const (
	EINVALID      = "invalid"      // bad input: 422
	EBADREQUEST   = "bad_request"  // a body that is not the expected JSON or form: 400
	ENOTFOUND     = "not_found"    // no such record, or not one the caller may know of: 404
	ECONFLICT     = "conflict"     // the record's state forbids it, or it already exists: 409
	EFORBIDDEN    = "forbidden"    // the caller may see the record but not do this: 403
	EUNAUTHORIZED = "unauthorized" // no or bad credentials: 401
	EPRECONDITION = "precondition" // a stale version (If-Match): 412
	ETOOMANY      = "too_many"     // throttled: 429
	EINTERNAL     = "internal"     // anything else: 500, logged, never shown
)

// FieldError names one bad input field and says what is wrong with it, in words for people.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a domain error: a code for machines, a message for people, and for EINVALID the bad fields.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// Detail carries structured extras for the caller (for example the allowed transitions or the disclosure
	// blockers); it is rendered into API problem documents as extension members.
	Detail map[string]any
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the domain error in err's chain; EINTERNAL for any other error, "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of the domain error in err's chain, or "Internal error." for any
// other error, so internal detail is never shown to people.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the field errors of the domain error in err's chain, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects field errors; Err returns nil when there are none.
type Validation struct {
	fields []FieldError
}

// Add records that field is bad, with a message for people.
func (v *Validation) Add(field, message string) {
	v.fields = append(v.fields, FieldError{Field: field, Message: message})
}

// Check records the message for field when ok is false.
func (v *Validation) Check(ok bool, field, message string) {
	if !ok {
		v.Add(field, message)
	}
}

// Has reports whether field already has an error.
func (v *Validation) Has(field string) bool {
	for _, f := range v.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns an EINVALID *Error listing every field error, or nil when there are none.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	msg := v.fields[0].Message
	if len(v.fields) > 1 {
		msg = fmt.Sprintf("%s (and %d more problems)", msg, len(v.fields)-1)
	}
	return &Error{Code: EINVALID, Message: msg, Fields: v.fields}
}
