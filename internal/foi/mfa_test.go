package foi

import (
	"slices"
	"testing"
)

func TestParseRolesAndMFARequired(t *testing.T) {
	roles, err := ParseRoles(" decision_maker , Admin,")
	if err != nil || !slices.Equal(roles, []Role{RoleDecisionMaker, RoleAdmin}) {
		t.Fatalf("ParseRoles = %v, %v", roles, err)
	}
	if roles, err := ParseRoles("none"); err != nil || len(roles) != 0 {
		t.Fatalf("none = %v, %v", roles, err)
	}
	if _, err := ParseRoles("officer,boss"); ErrorCode(err) != EINVALID {
		t.Fatalf("unknown role: %v", err)
	}
	if !MFARequired(&User{Role: RoleAdmin}, roles) || MFARequired(&User{Role: RoleOfficer}, roles) || MFARequired(nil, roles) {
		t.Fatal("MFARequired")
	}
}
