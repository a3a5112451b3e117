package foi_test

import (
	"fmt"
	"strings"
	"testing"

	"foidesk/internal/foi"
)

// The parties of the permission tests: the actor belongs to ownParty (an admin to none); otherParty and
// thirdParty are someone else.
const (
	ownParty   int64 = 1
	otherParty int64 = 2
	thirdParty int64 = 3
)

// allActions lists every Action foi defines; the matrix below must give a verdict for each.
var allActions = []foi.Action{
	foi.ActionViewDashboard,
	foi.ActionManageRegisters,
	foi.ActionViewRegisters,
	foi.ActionManageUsers,
	foi.ActionManageCalendar,
	foi.ActionManageOutbox,
	foi.ActionReadAudit,
	foi.ActionCreateCase,
	foi.ActionReadCase,
	foi.ActionWorkCase,
	foi.ActionDecideCase,
	foi.ActionReadConsultation,
	foi.ActionRepresent,
	foi.ActionConsider,
	foi.ActionDispute,
	foi.ActionResolveDispute,
}

// permScope is a named scope, seen from an actor of ownParty.
type permScope struct {
	name  string
	scope foi.Scope
}

var permScopes = []permScope{
	{"no party", foi.Scope{}},
	{"own party's case", foi.Scope{OwnerPartyID: ownParty}},
	{"other party's case", foi.Scope{OwnerPartyID: otherParty}},
	{"own party consulting another", foi.Scope{OwnerPartyID: ownParty, ConsultedPartyID: otherParty}},
	{"another party consulting own party", foi.Scope{OwnerPartyID: otherParty, ConsultedPartyID: ownParty}},
	{"consultation between two other parties", foi.Scope{OwnerPartyID: otherParty, ConsultedPartyID: thirdParty}},
}

// matrixRoles is the column order of the verdict strings below.
var matrixRoles = []foi.Role{foi.RoleOfficer, foi.RoleDecisionMaker, foi.RoleLiaison, foi.RoleAuditor, foi.RoleAdmin}

// activeUser returns an active user with role; every role but admin belongs to ownParty.
func activeUser(role foi.Role) *foi.User {
	u := &foi.User{ID: 7, Email: string(role) + "@example.gov.uk", Role: role, Active: true}
	if role != foi.RoleAdmin {
		u.PartyID, u.PartyCode = ownParty, "DFE"
	}
	return u
}

// verdict turns "ok", "nf", "fb" into the error code Can must return.
func verdict(t *testing.T, s string) string {
	t.Helper()
	switch s {
	case "ok":
		return ""
	case "nf":
		return foi.ENOTFOUND
	case "fb":
		return foi.EFORBIDDEN
	}
	t.Fatalf("bad verdict %q in the permission matrix", s)
	return ""
}

// TestCan_Matrix checks every action for every role in every scope. Each row gives the verdict per role in
// the order officer, decision-maker, liaison, auditor, admin: ok (nil), nf (ENOTFOUND: the actor may not know
// the record exists) or fb (EFORBIDDEN: the actor may see it but not do this).
func TestCan_Matrix(t *testing.T) {
	everywhere := func(v string) map[string]string {
		m := map[string]string{}
		for _, s := range permScopes {
			m[s.name] = v
		}
		return m
	}
	// Case-bound actions depend only on the owning party.
	caseBound := func(own string) map[string]string {
		none := "nf nf nf nf nf"
		return map[string]string{
			"no party":                               none,
			"own party's case":                       own,
			"other party's case":                     none,
			"own party consulting another":           own,
			"another party consulting own party":     none,
			"consultation between two other parties": none,
		}
	}
	matrix := map[foi.Action]map[string]string{
		foi.ActionViewDashboard:   everywhere("ok ok ok ok ok"),
		foi.ActionViewRegisters:   everywhere("ok ok ok ok ok"),
		foi.ActionManageRegisters: everywhere("fb fb fb fb ok"),
		foi.ActionManageUsers:     everywhere("fb fb fb fb ok"),
		foi.ActionManageCalendar:  everywhere("fb fb fb fb ok"),
		foi.ActionManageOutbox:    everywhere("fb fb fb fb ok"),
		foi.ActionReadAudit:       everywhere("fb fb fb ok ok"),
		foi.ActionCreateCase:      everywhere("ok ok fb fb fb"),
		foi.ActionReadCase:        caseBound("ok ok nf ok nf"),
		foi.ActionWorkCase:        caseBound("ok ok nf fb nf"),
		foi.ActionDecideCase:      caseBound("fb ok nf fb nf"),
		foi.ActionConsider:        caseBound("fb ok nf fb nf"),
		foi.ActionReadConsultation: {
			"no party":                               "nf nf nf nf nf",
			"own party's case":                       "ok ok nf ok nf",
			"other party's case":                     "nf nf nf nf nf",
			"own party consulting another":           "ok ok nf ok nf",
			"another party consulting own party":     "nf nf ok ok nf",
			"consultation between two other parties": "nf nf nf nf nf",
		},
		// Whoever may read the consultation but is not a liaison of the consulted party is refused; whoever may
		// not read it learns nothing (the same verdicts as consultation.read, with ok turned into fb).
		foi.ActionRepresent: {
			"no party":                               "nf nf nf nf nf",
			"own party's case":                       "fb fb nf fb nf",
			"other party's case":                     "nf nf nf nf nf",
			"own party consulting another":           "fb fb nf fb nf",
			"another party consulting own party":     "nf nf ok fb nf",
			"consultation between two other parties": "nf nf nf nf nf",
		},
		// Either side runs a dispute: the owner's officers and decision-makers, the consulted party's liaisons;
		// an auditor may read it but takes no part.
		foi.ActionDispute: {
			"no party":                               "nf nf nf nf nf",
			"own party's case":                       "ok ok nf fb nf",
			"other party's case":                     "nf nf nf nf nf",
			"own party consulting another":           "ok ok nf fb nf",
			"another party consulting own party":     "nf nf ok fb nf",
			"consultation between two other parties": "nf nf nf nf nf",
		},
		// Settling it is for the owner's decision-makers (not its officers) and the consulted party's liaisons.
		foi.ActionResolveDispute: {
			"no party":                               "nf nf nf nf nf",
			"own party's case":                       "fb ok nf fb nf",
			"other party's case":                     "nf nf nf nf nf",
			"own party consulting another":           "fb ok nf fb nf",
			"another party consulting own party":     "nf nf ok fb nf",
			"consultation between two other parties": "nf nf nf nf nf",
		},
	}
	for _, action := range allActions {
		rows, ok := matrix[action]
		if !ok {
			t.Errorf("the permission matrix has no row for %s", action)
			continue
		}
		for _, s := range permScopes {
			verdicts := strings.Fields(rows[s.name])
			if len(verdicts) != len(matrixRoles) {
				t.Fatalf("%s in %s: want %d verdicts, got %q", action, s.name, len(matrixRoles), rows[s.name])
			}
			for i, role := range matrixRoles {
				want := verdict(t, verdicts[i])
				t.Run(fmt.Sprintf("%s/%s/%s", action, role, s.name), func(t *testing.T) {
					err := foi.Can(activeUser(role), action, s.scope)
					if got := foi.ErrorCode(err); got != want {
						t.Fatalf("Can(%s of party %d, %s, %+v) = %q (%v), want %q",
							role, activeUser(role).PartyID, action, s.scope, got, err, want)
					}
					if err != nil && foi.ErrorMessage(err) == "" {
						t.Fatalf("a refusal must say why to people, got an empty message")
					}
				})
			}
		}
	}
	if len(matrix) != len(allActions) {
		t.Errorf("the matrix has %d rows for %d actions", len(matrix), len(allActions))
	}
	if len(matrixRoles) != len(foi.Roles) {
		t.Errorf("the matrix covers %d roles, foi.Roles has %d", len(matrixRoles), len(foi.Roles))
	}
}

func TestCan_NoUserOrAnInactiveUserMustSignIn(t *testing.T) {
	for _, action := range allActions {
		for _, s := range permScopes {
			if got := foi.ErrorCode(foi.Can(nil, action, s.scope)); got != foi.EUNAUTHORIZED {
				t.Errorf("Can(nil, %s, %s) = %q, want %q", action, s.name, got, foi.EUNAUTHORIZED)
			}
			for _, role := range foi.Roles {
				u := activeUser(role)
				u.Active = false
				if got := foi.ErrorCode(foi.Can(u, action, s.scope)); got != foi.EUNAUTHORIZED {
					t.Errorf("Can(inactive %s, %s, %s) = %q, want %q", role, action, s.name, got, foi.EUNAUTHORIZED)
				}
			}
		}
	}
}

func TestCan_LiaisonOfConsultedPartyMayRepresentButNotReadTheCase(t *testing.T) {
	liaison := activeUser(foi.RoleLiaison)
	pack := foi.Scope{OwnerPartyID: otherParty, ConsultedPartyID: ownParty}
	if err := foi.Can(liaison, foi.ActionRepresent, pack); err != nil {
		t.Fatalf("liaison of the consulted party may not represent: %v", err)
	}
	if err := foi.Can(liaison, foi.ActionReadConsultation, pack); err != nil {
		t.Fatalf("liaison of the consulted party may not read the consultation: %v", err)
	}
	for _, a := range []foi.Action{foi.ActionReadCase, foi.ActionWorkCase, foi.ActionDecideCase, foi.ActionConsider} {
		if got := foi.ErrorCode(foi.Can(liaison, a, pack)); got != foi.ENOTFOUND {
			t.Errorf("liaison of the consulted party, %s on the owner's case = %q, want %q", a, got, foi.ENOTFOUND)
		}
	}
}

func TestCan_LiaisonOfAnotherPartyCannotRepresentAndIsNotToldTheConsultationExists(t *testing.T) {
	liaison := activeUser(foi.RoleLiaison)
	pack := foi.Scope{OwnerPartyID: otherParty, ConsultedPartyID: thirdParty}
	for _, a := range []foi.Action{foi.ActionRepresent, foi.ActionReadConsultation} {
		if got := foi.ErrorCode(foi.Can(liaison, a, pack)); got != foi.ENOTFOUND {
			t.Errorf("%s on another party's consultation = %q, want %q", a, got, foi.ENOTFOUND)
		}
	}
}

func TestCan_OfficerOfOwningPartyIsToldOnlyLiaisonsOfTheConsultedPartyRepresent(t *testing.T) {
	err := foi.Can(activeUser(foi.RoleOfficer), foi.ActionRepresent,
		foi.Scope{OwnerPartyID: ownParty, ConsultedPartyID: otherParty})
	if foi.ErrorCode(err) != foi.EFORBIDDEN || !strings.Contains(foi.ErrorMessage(err), "liaison of the consulted party") {
		t.Fatalf("officer of the owning party representing: %v (%q), want EFORBIDDEN naming the liaison", err, foi.ErrorCode(err))
	}
}

func TestCan_AuditorReadsOwnPartyCasesButCannotWorkOrDecideThem(t *testing.T) {
	auditor := activeUser(foi.RoleAuditor)
	own := foi.Scope{OwnerPartyID: ownParty}
	if err := foi.Can(auditor, foi.ActionReadCase, own); err != nil {
		t.Fatalf("auditor reading own party's case: %v", err)
	}
	for _, a := range []foi.Action{foi.ActionWorkCase, foi.ActionDecideCase, foi.ActionConsider} {
		if got := foi.ErrorCode(foi.Can(auditor, a, own)); got != foi.EFORBIDDEN {
			t.Errorf("auditor, %s on own party's case = %q, want %q", a, got, foi.EFORBIDDEN)
		}
	}
	if got := foi.ErrorCode(foi.Can(auditor, foi.ActionReadCase, foi.Scope{OwnerPartyID: otherParty})); got != foi.ENOTFOUND {
		t.Errorf("auditor reading another party's case = %q, want %q", got, foi.ENOTFOUND)
	}
}

func TestCan_OnlyTheDecisionMakerDecidesAndTheOfficerWorks(t *testing.T) {
	own := foi.Scope{OwnerPartyID: ownParty}
	if err := foi.Can(activeUser(foi.RoleDecisionMaker), foi.ActionDecideCase, own); err != nil {
		t.Fatalf("decision-maker deciding: %v", err)
	}
	if got := foi.ErrorCode(foi.Can(activeUser(foi.RoleOfficer), foi.ActionDecideCase, own)); got != foi.EFORBIDDEN {
		t.Fatalf("officer deciding = %q, want %q", got, foi.EFORBIDDEN)
	}
	if err := foi.Can(activeUser(foi.RoleOfficer), foi.ActionWorkCase, own); err != nil {
		t.Fatalf("officer working own party's case: %v", err)
	}
}

func TestCan_AdminWithoutPartyManagesEverythingButSeesNoCase(t *testing.T) {
	admin := activeUser(foi.RoleAdmin)
	for _, a := range []foi.Action{foi.ActionManageRegisters, foi.ActionManageUsers, foi.ActionManageCalendar,
		foi.ActionManageOutbox, foi.ActionReadAudit} {
		if err := foi.Can(admin, a, foi.Scope{}); err != nil {
			t.Errorf("admin, %s: %v", a, err)
		}
	}
	// A zero party on the record must never match the admin's zero party.
	if got := foi.ErrorCode(foi.Can(admin, foi.ActionReadCase, foi.Scope{})); got != foi.ENOTFOUND {
		t.Errorf("admin reading a case without a party = %q, want %q", got, foi.ENOTFOUND)
	}
	if got := foi.ErrorCode(foi.Can(admin, foi.ActionRepresent, foi.Scope{})); got != foi.ENOTFOUND {
		t.Errorf("admin representing on a consultation without parties = %q, want %q", got, foi.ENOTFOUND)
	}
}

func TestCan_UnknownActionIsForbidden(t *testing.T) {
	for _, role := range foi.Roles {
		if got := foi.ErrorCode(foi.Can(activeUser(role), foi.Action("case.delete"), foi.Scope{OwnerPartyID: ownParty})); got != foi.EFORBIDDEN {
			t.Errorf("%s, unknown action = %q, want %q", role, got, foi.EFORBIDDEN)
		}
	}
}

func TestCanActor_CommandLineAndSystemMayDoAnything(t *testing.T) {
	for _, label := range []string{foi.ActorCLI, foi.ActorSystem} {
		for _, action := range allActions {
			for _, s := range permScopes {
				if err := foi.CanActor(foi.Actor{Label: label}, action, s.scope); err != nil {
					t.Errorf("CanActor(%s, %s, %s) = %v, want nil", label, action, s.name, err)
				}
			}
		}
	}
}

func TestCanActor_AnonymousActorMustSignIn(t *testing.T) {
	for _, a := range []foi.Actor{{}, {IP: "192.0.2.1"}, {Label: "anonymous"}, {Label: "CLI"}, {Label: " cli"}} {
		for _, action := range allActions {
			if got := foi.ErrorCode(foi.CanActor(a, action, foi.Scope{})); got != foi.EUNAUTHORIZED {
				t.Errorf("CanActor(%+v, %s) = %q, want %q", a, action, got, foi.EUNAUTHORIZED)
			}
		}
	}
}

func TestCanActor_SignedInUserGoesThroughCanEvenWithASystemLabel(t *testing.T) {
	liaison := activeUser(foi.RoleLiaison)
	inactiveAdmin := activeUser(foi.RoleAdmin)
	inactiveAdmin.Active = false
	for _, label := range []string{"", foi.ActorCLI, foi.ActorSystem} {
		if got := foi.ErrorCode(foi.CanActor(foi.Actor{User: liaison, Label: label}, foi.ActionManageUsers, foi.Scope{})); got != foi.EFORBIDDEN {
			t.Errorf("liaison labelled %q managing users = %q, want %q", label, got, foi.EFORBIDDEN)
		}
		if got := foi.ErrorCode(foi.CanActor(foi.Actor{User: liaison, Label: label}, foi.ActionReadCase,
			foi.Scope{OwnerPartyID: ownParty})); got != foi.ENOTFOUND {
			t.Errorf("liaison labelled %q reading a case = %q, want %q", label, got, foi.ENOTFOUND)
		}
		if got := foi.ErrorCode(foi.CanActor(foi.Actor{User: inactiveAdmin, Label: label}, foi.ActionManageUsers, foi.Scope{})); got != foi.EUNAUTHORIZED {
			t.Errorf("inactive admin labelled %q = %q, want %q", label, got, foi.EUNAUTHORIZED)
		}
	}
	if err := foi.CanActor(foi.Actor{User: activeUser(foi.RoleAdmin)}, foi.ActionManageUsers, foi.Scope{}); err != nil {
		t.Errorf("active admin managing users: %v", err)
	}
}
