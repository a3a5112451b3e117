package foi_test

import (
	"errors"
	"slices"
	"testing"

	"foidesk/internal/foi"
)

func TestStatusOpenAndLabel(t *testing.T) {
	open := map[foi.Status]bool{
		foi.StatusReceived: true, foi.StatusAwaitingClarification: true, foi.StatusOnHoldFee: true,
		foi.StatusInProgress: true, foi.StatusAwaitingRepresentations: true, foi.StatusPendingApproval: true,
	}
	for _, s := range foi.Statuses {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
		if s.Open() != open[s] {
			t.Errorf("%s.Open() = %v", s, s.Open())
		}
		if l := s.Label(); l == "" || l == string(s) {
			t.Errorf("%s has no label", s)
		}
	}
	if foi.Status("nope").Valid() || foi.Status("nope").Open() {
		t.Error("unknown status valid or open")
	}
	if got := foi.StatusOnHoldFee.Label(); got != "On hold – fee" {
		t.Errorf("label = %q", got)
	}
}

// legal is every transition the lifecycle allows.
var legal = map[foi.Status][]foi.Status{
	foi.StatusReceived: {foi.StatusAwaitingClarification, foi.StatusOnHoldFee, foi.StatusInProgress,
		foi.StatusAwaitingRepresentations, foi.StatusWithdrawn, foi.StatusLapsed},
	foi.StatusAwaitingClarification: {foi.StatusInProgress, foi.StatusWithdrawn, foi.StatusLapsed},
	foi.StatusOnHoldFee:             {foi.StatusInProgress, foi.StatusWithdrawn, foi.StatusLapsed},
	foi.StatusInProgress: {foi.StatusAwaitingClarification, foi.StatusOnHoldFee, foi.StatusAwaitingRepresentations,
		foi.StatusPendingApproval, foi.StatusWithdrawn, foi.StatusLapsed},
	foi.StatusAwaitingRepresentations: {foi.StatusInProgress, foi.StatusAwaitingClarification, foi.StatusOnHoldFee,
		foi.StatusPendingApproval, foi.StatusWithdrawn, foi.StatusLapsed},
	foi.StatusPendingApproval: {foi.StatusInProgress, foi.StatusResponded, foi.StatusWithdrawn, foi.StatusLapsed},
	foi.StatusResponded:       {foi.StatusClosed},
}

func TestCheckTransitionEveryPair(t *testing.T) {
	for _, from := range foi.Statuses {
		if got := foi.Transitions(from); !slices.Equal(got, legal[from]) {
			t.Errorf("Transitions(%s) = %v, want %v", from, got, legal[from])
		}
		for _, to := range foi.Statuses {
			err := foi.CheckTransition(from, to)
			if slices.Contains(legal[from], to) {
				if err != nil {
					t.Errorf("%s -> %s: %v", from, to, err)
				}
				continue
			}
			wantCaseCode(t, err, foi.ECONFLICT)
			var e *foi.Error
			if !errors.As(err, &e) {
				t.Fatalf("%s -> %s: not a *foi.Error", from, to)
			}
			allowed, _ := e.Detail["allowed"].([]string)
			want := []string{}
			for _, s := range legal[from] {
				want = append(want, string(s))
			}
			if !slices.Equal(allowed, want) {
				t.Errorf("%s -> %s: allowed = %v, want %v", from, to, allowed, want)
			}
			if e.Detail["from"] != string(from) || e.Detail["to"] != string(to) {
				t.Errorf("%s -> %s: detail = %v", from, to, e.Detail)
			}
		}
	}
}

func TestCheckTransitionRules(t *testing.T) {
	// Withdrawn and lapsed from every open state; never from a finished one.
	for _, s := range foi.Statuses {
		for _, end := range []foi.Status{foi.StatusWithdrawn, foi.StatusLapsed} {
			err := foi.CheckTransition(s, end)
			if s.Open() != (err == nil) {
				t.Errorf("%s -> %s: %v", s, end, err)
			}
		}
	}
	tests := []struct {
		from, to foi.Status
		code     string
		msg      string
	}{
		{foi.StatusPendingApproval, foi.StatusInProgress, "", ""},
		{foi.StatusPendingApproval, foi.StatusResponded, "", ""},
		{foi.StatusResponded, foi.StatusClosed, "", ""},
		{foi.StatusReceived, foi.StatusResponded, foi.ECONFLICT, "A case that is received cannot move to responded."},
		{foi.StatusInProgress, foi.StatusInProgress, foi.ECONFLICT, ""},
		{foi.StatusClosed, foi.StatusInProgress, foi.ECONFLICT, "A case that is closed cannot change status."},
		{foi.StatusOnHoldFee, foi.StatusAwaitingClarification, foi.ECONFLICT, ""},
		{foi.StatusResponded, foi.StatusWithdrawn, foi.ECONFLICT, ""},
		{"bogus", foi.StatusClosed, foi.EINVALID, ""},
		{foi.StatusReceived, "bogus", foi.EINVALID, ""},
	}
	for _, tt := range tests {
		err := foi.CheckTransition(tt.from, tt.to)
		wantCaseCode(t, err, tt.code)
		if tt.msg != "" && foi.ErrorMessage(err) != tt.msg {
			t.Errorf("%s -> %s: message %q, want %q", tt.from, tt.to, foi.ErrorMessage(err), tt.msg)
		}
	}
	var e *foi.Error
	if errors.As(foi.CheckTransition(foi.StatusClosed, foi.StatusInProgress), &e) {
		if a, ok := e.Detail["allowed"].([]string); !ok || len(a) != 0 {
			t.Errorf("closed: allowed = %#v, want empty []string", e.Detail["allowed"])
		}
	}
}
