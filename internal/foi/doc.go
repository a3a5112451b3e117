// Package foi is the domain of foidesk: its types, rules, state machines, permissions and error codes.
//
// It is pure: it imports only the standard library and foidesk/internal/calendar (the statutory clock, itself
// pure). It never touches SQL, HTTP or the wall clock; every rule takes the time it needs as an argument. The
// store calls these rules inside its transactions, so every path (web, API, CLI, worker) goes through them.
package foi
