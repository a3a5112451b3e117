package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// Form is one HTML form as the user filled it in: what they typed, kept to show again when something is wrong,
// and what is wrong with it, field by field.
//
// A handler's POST makes one with postedForm(c), reads it (Get, All, Date), calls the service and, when the
// service refuses, lets Fail turn the domain error into field errors and re-renders the page with renderForm:
// the layout shows the GOV.UK error summary (each entry links to its input's id), the _form.html partials show
// each field's inline error and what the user typed. On success it calls s.redirectFlash (post/redirect/get).
//
// Input ids follow the GOV.UK convention: an input's id is its name. A domain field name maps to an input id by
// dropping a trailing index and turning "." into "_" ("requester.email" -> "requester_email", "asset_codes[1]"
// -> "asset_codes"); Alias sets any other mapping, and Date maps a date field to its day input ("received_at" ->
// "received_at-day").
type Form struct {
	Values url.Values
	errors []FieldError
	ids    map[string]string // domain field name -> input id, where the default mapping is not right
	status int               // the HTTP status to re-render with; 0 when there is no error
}

// NewForm returns a form holding values (nil for an empty form, as a GET shows it).
func NewForm(values url.Values) *Form {
	if values == nil {
		values = url.Values{}
	}
	return &Form{Values: values}
}

// postedForm returns the form the request posted (URL-encoded or multipart), without its CSRF token.
func postedForm(c *gin.Context) *Form {
	_ = c.Request.ParseMultipartForm(32 << 20) // ErrNotMultipart for URL-encoded forms, which ParseForm read
	vals := url.Values{}
	for k, v := range c.Request.PostForm {
		if k != "csrf_token" {
			vals[k] = v
		}
	}
	return NewForm(vals)
}

// Get returns the first value of name as typed, or "".
func (f *Form) Get(name string) string { return f.Values.Get(name) }

// Trim returns the first value of name without leading and trailing space.
func (f *Form) Trim(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// All returns every non-empty value of name (the ticked boxes of a checkbox group).
func (f *Form) All(name string) []string {
	var out []string
	for _, v := range f.Values[name] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Set replaces the values of name.
func (f *Form) Set(name string, values ...string) { f.Values[name] = values }

// Checked reports whether value is among the values of name: a ticked box, a chosen radio or option.
func (f *Form) Checked(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Alias makes errors about the domain field name appear on the input with this id; it returns f.
func (f *Form) Alias(field, id string) *Form {
	if f.ids == nil {
		f.ids = map[string]string{}
	}
	f.ids[field] = id
	return f
}

// ID returns the id of the input that errors about the domain field belong to: its alias, else the field
// without a trailing index ("asset_codes[2]" is about the checkbox group "asset_codes") and with "." as "_".
func (f *Form) ID(field string) string {
	if id, ok := f.ids[field]; ok {
		return id
	}
	if i := strings.LastIndexByte(field, '['); i > 0 && strings.HasSuffix(field, "]") {
		if _, err := strconv.Atoi(field[i+1 : len(field)-1]); err == nil {
			return f.ID(field[:i])
		}
	}
	return strings.ReplaceAll(field, ".", "_")
}

// AddError records that field (a domain field name or an input id) is wrong, with a message for people. An
// empty field gives an error summary line without a link. Only the first error of each input is kept.
func (f *Form) AddError(field, message string) {
	id := ""
	if field != "" {
		id = f.ID(field)
		if f.Error(id) != "" {
			return
		}
	}
	f.errors = append(f.errors, FieldError{Field: id, Message: message})
	if f.status == 0 {
		f.status = http.StatusUnprocessableEntity
	}
}

// Fail takes the error a service returned and reports whether it is the user's to fix: bad input (each field
// error goes to its input, 422), a move the case's state forbids (409; the disclosure gate's blockers, when it
// names them, each get a line) or a stale page (412), each shown in the error summary. For any other error (not found, forbidden, internal) it returns false and the caller shows the
// error page.
func (f *Form) Fail(err error) bool {
	switch foi.ErrorCode(err) {
	case foi.EINVALID:
		fields := foi.ErrorFields(err)
		for _, fe := range fields {
			f.AddError(fe.Field, fe.Message)
		}
		if len(fields) == 0 {
			f.AddError("", foi.ErrorMessage(err))
		}
		f.status = http.StatusUnprocessableEntity
	case foi.ECONFLICT:
		f.AddError("", foi.ErrorMessage(err))
		var de *foi.Error
		if errors.As(err, &de) {
			if blockers, ok := de.Detail["blockers"].([]foi.Blocker); ok {
				for _, b := range blockers {
					f.errors = append(f.errors, FieldError{Message: "Waiting for " + b.WaitsFor})
				}
			}
		}
		f.status = http.StatusConflict
	case foi.EPRECONDITION:
		f.AddError("", "Someone else changed this while you were working on it. Check what changed and try again.")
		f.status = http.StatusPreconditionFailed
	default:
		return false
	}
	return true
}

// OK reports whether the form has no error.
func (f *Form) OK() bool { return len(f.errors) == 0 }

// Errors returns the form's errors for Page.Errors (and so the error summary), each naming its input's id.
func (f *Form) Errors() []FieldError { return f.errors }

// Error returns the inline error of the input with this id, or "".
func (f *Form) Error(id string) string {
	for _, e := range f.errors {
		if e.Field == id && id != "" {
			return e.Message
		}
	}
	return ""
}

// Status returns the HTTP status the form is shown with: 200 without errors, else 422, 409 or 412.
func (f *Form) Status() int {
	if f.status == 0 {
		return http.StatusOK
	}
	return f.status
}

// Date reads the GOV.UK date input name (fields name-day, name-month, name-year) and returns the date, or the
// zero date when the three are empty or wrong. label completes the messages ("the date the request was
// received"): "Enter …" when required and empty, "… must include a month", "… must be a real date". Errors
// about the domain field name then link to the day input.
func (f *Form) Date(name, label string, required bool) calendar.Date {
	f.Alias(name, name+"-day")
	parts := []string{f.Trim(name + "-day"), f.Trim(name + "-month"), f.Trim(name + "-year")}
	if parts[0] == "" && parts[1] == "" && parts[2] == "" {
		if required {
			f.AddError(name, "Enter "+label)
		}
		return calendar.Date{}
	}
	subject := strings.ToUpper(label[:1]) + label[1:]
	for i, unit := range []string{"day", "month", "year"} {
		if parts[i] == "" {
			f.Alias(name, name+"-"+unit)
			f.AddError(name, subject+" must include a "+unit)
			return calendar.Date{}
		}
	}
	d, ok := dateOf(parts[0], parts[1], parts[2])
	if !ok {
		f.AddError(name, subject+" must be a real date")
		return calendar.Date{}
	}
	return d
}

// SetDate fills the date input name with d (nothing for the zero date).
func (f *Form) SetDate(name string, d calendar.Date) {
	if d.IsZero() {
		return
	}
	f.Set(name+"-day", strconv.Itoa(d.Day()))
	f.Set(name+"-month", strconv.Itoa(int(d.Month())))
	f.Set(name+"-year", strconv.Itoa(d.Year()))
}

// dateOf returns the date of day, month and year as typed, and whether it is a real date with a 4-digit year.
func dateOf(day, month, year string) (calendar.Date, bool) {
	dd, err1 := strconv.Atoi(day)
	mm, err2 := strconv.Atoi(month)
	yy, err3 := strconv.Atoi(year)
	if err1 != nil || err2 != nil || err3 != nil || len(year) != 4 || mm < 1 || mm > 12 || dd < 1 {
		return calendar.Date{}, false
	}
	d := calendar.NewDate(yy, time.Month(mm), dd)
	if d.Day() != dd {
		return calendar.Date{}, false
	}
	return d, true
}

// renderForm renders page name with the form's errors in the error summary and what the user typed kept, with
// the form's status (200 when it has no error).
func (s *Server) renderForm(c *gin.Context, name string, p *Page, f *Form) {
	p.Errors = f.Errors()
	p.Form = map[string]string{}
	for k := range f.Values {
		p.Form[k] = f.Get(k)
	}
	s.pages.HTML(c, f.Status(), name, p)
}

// FormField is one input of a form, the argument of the _form.html partials; templates make one with the
// "field" function: {{template "textInput" (field .Data.Form "subject" "Subject" "hint" "A few words")}}.
type FormField struct {
	Form         *Form
	Name         string   // the input's name and id
	Label        string   // the label (the legend for fieldsets)
	Hint         string   // optional hint below the label
	Type         string   // textInput: the input type ("text" when empty)
	Width        string   // textInput: a govuk-input--width-N class suffix ("10", "20", "one-half"…)
	Autocomplete string   // textInput: the autocomplete attribute
	Rows         int      // textarea: rows (5 when 0)
	Options      []Option // radios, checkboxes, select
	Inline       bool     // radios: side by side
	Small        bool     // radios, checkboxes: the small variant
	Heading      bool     // the label or legend is the page's h1
	Accept       string   // fileUpload: the accept attribute
	Kind         string   // "radios" or "checkboxes", set by those partials (see Group)
}

// Group returns the field as a group of the given kind ("radios" or "checkboxes"), for the "choices" partial.
func (ff FormField) Group(kind string) FormField {
	ff.Kind = kind
	return ff
}

// Option is one choice of a radio group, checkbox group or select.
type Option struct{ Value, Label, Hint string }

// Value returns what the user typed in the field.
func (ff FormField) Value() string { return ff.Form.Get(ff.Name) }

// Error returns the field's inline error, or "".
func (ff FormField) Error() string { return ff.Form.Error(ff.Name) }

// ErrorOf returns the inline error of a part of the field (a date input's "-day", "-month", "-year"), or "".
func (ff FormField) ErrorOf(suffix string) string { return ff.Form.Error(ff.Name + suffix) }

// DateError returns the inline error of a date input, whichever of its parts it is about.
func (ff FormField) DateError() string {
	for _, s := range []string{"-day", "-month", "-year"} {
		if e := ff.Form.Error(ff.Name + s); e != "" {
			return e
		}
	}
	return ""
}

// Checked reports whether the option with this value is chosen; an option with the value "" ("Any regime") is
// chosen when nothing else is.
func (ff FormField) Checked(value string) bool {
	if value == "" {
		return len(ff.Form.All(ff.Name)) == 0
	}
	return ff.Form.Checked(ff.Name, value)
}

// field builds a FormField: form, name, label, then pairs of option name and value: "hint", "type", "width",
// "autocomplete", "accept" (strings), "rows" (int), "options" ([]Option), "inline", "small", "heading" (bool).
func field(f *Form, name, label string, opts ...any) (FormField, error) {
	if f == nil {
		f = NewForm(nil)
	}
	ff := FormField{Form: f, Name: name, Label: label}
	if len(opts)%2 != 0 {
		return ff, fmt.Errorf("field %s: options come in pairs", name)
	}
	for i := 0; i < len(opts); i += 2 {
		key, _ := opts[i].(string)
		v := opts[i+1]
		ok := true
		switch key {
		case "hint":
			ff.Hint, ok = v.(string)
		case "type":
			ff.Type, ok = v.(string)
		case "width":
			ff.Width, ok = v.(string)
		case "autocomplete":
			ff.Autocomplete, ok = v.(string)
		case "accept":
			ff.Accept, ok = v.(string)
		case "rows":
			ff.Rows, ok = v.(int)
		case "options":
			ff.Options, ok = v.([]Option)
		case "inline":
			ff.Inline, ok = v.(bool)
		case "small":
			ff.Small, ok = v.(bool)
		case "heading":
			ff.Heading, ok = v.(bool)
		default:
			return ff, fmt.Errorf("field %s: unknown option %q", name, key)
		}
		if !ok {
			return ff, fmt.Errorf("field %s: option %q has the wrong type %T", name, key, v)
		}
	}
	return ff, nil
}

func init() {
	templateFuncs["field"] = field
	// options turns value/label pairs into options: {{$o := options "foia" "FOIA" "eir" "EIR"}}.
	templateFuncs["options"] = func(pairs ...string) []Option {
		var out []Option
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, Option{Value: pairs[i], Label: pairs[i+1]})
		}
		return out
	}
}

// flashCookie carries the success message of a post/redirect/get to the page the browser is sent to.
const flashCookie = "foidesk_flash"

// redirectFlash ends a successful POST: it sends the browser to path (303) and the page there shows message in
// a success notification banner, once. The message travels in a short-lived cookie signed with the session's
// CSRF token, so no one else can put words in the banner.
func (s *Server) redirectFlash(c *gin.Context, path, message string) {
	if message != "" {
		s.setCookie(c, flashCookie, signFlash(s.csrfToken(c), message), 300)
	}
	c.Redirect(http.StatusSeeOther, safeNext(path))
	c.Abort()
}

// takeFlash returns the flash message for this request, if any, and clears it.
func (s *Server) takeFlash(c *gin.Context, csrf string) string {
	v, err := c.Cookie(flashCookie)
	if err != nil || v == "" {
		return ""
	}
	s.clearCookie(c, flashCookie)
	return verifyFlash(csrf, v)
}

// signFlash returns message with its MAC under key, as a cookie value.
func signFlash(key, message string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(message))
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(message)) + "." + enc.EncodeToString(m.Sum(nil))
}

// verifyFlash returns the message of a signFlash value when its MAC under key is right, else "".
func verifyFlash(key, value string) string {
	msgPart, macPart, ok := strings.Cut(value, ".")
	enc := base64.RawURLEncoding
	msg, err1 := enc.DecodeString(msgPart)
	mac, err2 := enc.DecodeString(macPart)
	if !ok || err1 != nil || err2 != nil {
		return ""
	}
	m := hmac.New(sha256.New, []byte(key))
	m.Write(msg)
	if !hmac.Equal(mac, m.Sum(nil)) {
		return ""
	}
	return string(msg)
}

// ItemID returns the id of the i-th option of a radio or checkbox group: the group's name for the first (so the
// error summary's link lands on it), then name-2, name-3, … as GOV.UK Frontend numbers them.
func (ff FormField) ItemID(i int) string {
	if i == 0 {
		return ff.Name
	}
	return ff.Name + "-" + strconv.Itoa(i+1)
}

// DescribedBy returns the aria-describedby value of the field: its hint's and error's ids, or "".
func (ff FormField) DescribedBy() string {
	var ids []string
	if ff.Hint != "" {
		ids = append(ids, ff.Name+"-hint")
	}
	if ff.Error() != "" || ff.DateError() != "" {
		ids = append(ids, ff.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// postedFile returns the name and content (at most limit+1 bytes, so that the upload rules see one too large)
// of the file a multipart form posted in input, or records "Select a file to upload" on f when there is none.
// The error is for a file that could not be read.
func postedFile(c *gin.Context, f *Form, input string, limit int64) (string, []byte, error) {
	if c.Request.MultipartForm == nil || len(c.Request.MultipartForm.File[input]) == 0 {
		f.AddError(input, "Select a file to upload")
		return "", nil, nil
	}
	fh := c.Request.MultipartForm.File[input][0]
	file, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, limit+1))
	return fh.Filename, content, err
}
