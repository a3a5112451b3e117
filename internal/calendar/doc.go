// Package calendar is foidesk's statutory clock: UK working days under FOIA s.10(6) and EIR reg 2(1), and the
// deadlines that follow from them.
//
// A working day is any day other than a Saturday, a Sunday, Christmas Day, Good Friday or a bank holiday in any
// part of the UK, so the holidays of England and Wales, Scotland and Northern Ireland are merged. The published
// gov.uk data (data/uk-bank-holidays.json, embedded) covers 2012-2028; later years, to 2099, are derived from
// each nation's rules and reported as provisional. Administrators can add proclaimed holidays or cancel
// published ones with Overrides.
//
// The date of receipt is the Europe/London calendar date of arrival (LondonDate), which may be a non-working day;
// it is day 0 and the deadline is the 20th working day after it. Calendar.Deadline applies clarifications (a new
// date of receipt), fee pauses (working days from notice to payment disregarded) and the PIT and EIR reg 7
// extensions (day 40), and explains each step.
//
// The package is pure: it imports only the standard library, does no I/O after start-up and never reads the
// clock. A Calendar is immutable and safe for concurrent use; working-day arithmetic is O(1) through precomputed
// prefix counts.
package calendar
