package foi

// Action is something a user asks to do. Every path (web, API, CLI, worker) checks it with Can.
type Action string

// The actions foidesk checks.
const (
	ActionViewDashboard           Action = "dashboard.view"
	ActionManageRegisters         Action = "registers.manage" // parties, contacts, agreements, exchanges, assets
	ActionViewRegisters           Action = "registers.view"
	ActionManageUsers             Action = "users.manage"
	ActionManageCalendar          Action = "calendar.manage"
	ActionManageOutbox            Action = "outbox.manage"
	ActionReadAudit               Action = "audit.read"
	ActionCreateCase              Action = "case.create"
	ActionReadCase                Action = "case.read"
	ActionWorkCase                Action = "case.work"   // edit, transition, clock events, documents, draft response
	ActionDecideCase              Action = "case.decide" // approve a response, waive or time out a consultation
	ActionReadConsultation        Action = "consultation.read"
	ActionRepresent               Action = "consultation.represent"
	ActionConsider                Action = "consultation.consider"
	ActionDispute                 Action = "dispute.run"           // raise a dispute, escalate it, give formal notification
	ActionResolveDispute          Action = "dispute.resolve"       // record how a dispute ended
	ActionReadReports             Action = "reports.read"          // FOI statistics of a party (OwnerPartyID; 0: all)
	ActionReadConsultationReports Action = "reports.consultations" // the consultation report of a party
)

// Scope says whose a record is, so Can can decide: the party that owns it (a case's receiving party) and, for a
// consultation, the party consulted. Zero values mean "not party-bound".
type Scope struct {
	OwnerPartyID     int64
	ConsultedPartyID int64
}

// Can returns nil when actor may perform action within scope. It returns EUNAUTHORIZED when there is no
// active actor, ENOTFOUND when the actor may not even know the record exists (another party's case, a pack
// not addressed to the actor's party), and EFORBIDDEN when the actor may see it but not do this.
func Can(actor *User, action Action, scope Scope) error {
	if actor == nil || !actor.Active {
		return Errorf(EUNAUTHORIZED, "Sign in to continue.")
	}
	switch action {
	case ActionViewDashboard, ActionViewRegisters:
		return nil
	case ActionManageRegisters, ActionManageUsers, ActionManageCalendar, ActionManageOutbox:
		return allowRoles(actor, "Only an admin can do this.", RoleAdmin)
	case ActionReadAudit:
		return allowRoles(actor, "Only an auditor or admin can read the audit log.", RoleAuditor, RoleAdmin)
	case ActionCreateCase:
		return allowRoles(actor, "Only FOI officers and decision-makers can log requests.",
			RoleOfficer, RoleDecisionMaker)
	case ActionReadCase:
		if !ownParty(actor, scope.OwnerPartyID) ||
			!hasRole(actor, RoleOfficer, RoleDecisionMaker, RoleAuditor) {
			return notFound()
		}
		return nil
	case ActionWorkCase, ActionDecideCase, ActionConsider:
		if !ownParty(actor, scope.OwnerPartyID) ||
			!hasRole(actor, RoleOfficer, RoleDecisionMaker, RoleAuditor) {
			return notFound()
		}
		if action == ActionWorkCase {
			return allowRoles(actor, "Only FOI officers and decision-makers can work on cases.",
				RoleOfficer, RoleDecisionMaker)
		}
		return allowRoles(actor, "Only a decision-maker can do this.", RoleDecisionMaker)
	case ActionReadConsultation:
		if ownParty(actor, scope.OwnerPartyID) && hasRole(actor, RoleOfficer, RoleDecisionMaker, RoleAuditor) {
			return nil
		}
		if ownParty(actor, scope.ConsultedPartyID) && hasRole(actor, RoleLiaison, RoleAuditor) {
			return nil
		}
		return notFound()
	case ActionRepresent:
		// Whoever may not read the consultation may not know it exists; whoever may read it but is not a
		// liaison of the consulted party is refused.
		if err := Can(actor, ActionReadConsultation, scope); err != nil {
			return err
		}
		if ownParty(actor, scope.ConsultedPartyID) && actor.Role == RoleLiaison {
			return nil
		}
		return Errorf(EFORBIDDEN, "Only a liaison of the consulted party can submit representations.")
	case ActionDispute, ActionResolveDispute:
		// Either side of a consultation runs its disputes (MoU section 8): the owning party's officers and
		// decision-makers, the consulted party's liaisons; only a decision-maker settles one for the owner.
		if err := Can(actor, ActionReadConsultation, scope); err != nil {
			return err
		}
		switch DisputeSideOf(actor, scope) {
		case DisputeRaisedByConsulted:
			return nil
		case DisputeRaisedByOwner:
			if action == ActionDispute || actor.Role == RoleDecisionMaker {
				return nil
			}
			return Errorf(EFORBIDDEN, "Only a decision-maker can record how a dispute ended.")
		}
		return Errorf(EFORBIDDEN, "Only the parties' officers, decision-makers and liaisons can take part in a dispute.")
	case ActionRecordIncident, ActionReadIncident, ActionDecideIncident:
		return canIncident(actor, action, scope)
	case ActionManageRetention, ActionReadRetention, ActionHoldCase:
		return canRetention(actor, action, scope)
	case ActionReadReports, ActionReadConsultationReports:
		return canReadReports(actor, action, scope.OwnerPartyID)
	}
	return Errorf(EFORBIDDEN, "You cannot do this.")
}

// ownParty reports whether the actor belongs to the given party.
func ownParty(actor *User, partyID int64) bool {
	return partyID != 0 && actor.PartyID == partyID
}

func hasRole(actor *User, roles ...Role) bool {
	for _, r := range roles {
		if actor.Role == r {
			return true
		}
	}
	return false
}

func allowRoles(actor *User, message string, roles ...Role) error {
	if hasRole(actor, roles...) {
		return nil
	}
	return Errorf(EFORBIDDEN, "%s", message)
}

func notFound() error { return Errorf(ENOTFOUND, "Not found.") }

// System actor labels: the command line and the background worker act with the operator's authority, which
// already holds the database credentials.
const (
	ActorCLI    = "cli"
	ActorSystem = "system"
)

// CanActor is Can for an Actor: a signed-in user goes through Can; the command line and the worker (an
// Actor with no user and a system label) may do anything; an anonymous actor gets EUNAUTHORIZED.
func CanActor(a Actor, action Action, scope Scope) error {
	if a.User != nil {
		return Can(a.User, action, scope)
	}
	if a.Label == ActorCLI || a.Label == ActorSystem {
		return nil
	}
	return Errorf(EUNAUTHORIZED, "Sign in to continue.")
}
