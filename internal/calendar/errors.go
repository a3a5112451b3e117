package calendar

import (
	"errors"
	"fmt"
)

// ErrInvalid is matched (errors.Is) by every error this package returns for bad input: an unparseable date, an
// impossible sequence of events in a DeadlineInput, an unknown regime or extension, bad holiday data or
// overrides, and any date outside the supported range.
var ErrInvalid = errors.New("calendar: invalid input")

// ErrOutOfRange is matched (errors.Is) by the errors returned when a date, or a date a computation would reach,
// lies outside Calendar.Range (2012-01-01 to 2099-12-31). Such errors also match ErrInvalid.
var ErrOutOfRange = errors.New("calendar: date outside the supported range")

// calError is the concrete error type: its message is exactly what went wrong (no package prefix), so it can be
// shown to a user as is; it matches ErrInvalid, and ErrOutOfRange when outOfRange is set.
type calError struct {
	msg        string
	outOfRange bool
}

// Error returns the message.
func (e *calError) Error() string { return e.msg }

// Is reports whether target is ErrInvalid, or ErrOutOfRange for a range error.
func (e *calError) Is(target error) bool {
	return target == ErrInvalid || (e.outOfRange && target == ErrOutOfRange)
}

func invalidf(format string, args ...any) error {
	return &calError{msg: fmt.Sprintf(format, args...)}
}

func outOfRangef(format string, args ...any) error {
	return &calError{msg: fmt.Sprintf(format, args...), outOfRange: true}
}
