package foi

import "context"

// Actor is who is acting in a request: a signed-in user, or the system (worker, command line), and from which
// address. The store reads it from the context to check permissions and write the audit log.
type Actor struct {
	User  *User  // nil for the system
	Label string // "system" or "cli" when User is nil
	IP    string
	// Via names the page or endpoint the actor acted through ("GET /cases/:id", "cli"): the audit log records
	// it with every event, so each read of case data shows why it was read.
	Via string
}

// AuditLabel returns the label the audit log shows for the actor.
func (a Actor) AuditLabel() string {
	if a.User != nil {
		return a.User.Email
	}
	if a.Label != "" {
		return a.Label
	}
	return "system"
}

// AuditID returns the actor's user id, 0 for the system.
func (a Actor) AuditID() int64 {
	if a.User != nil {
		return a.User.ID
	}
	return 0
}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx; the zero Actor (the system) when there is none.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// UserFrom returns the signed-in user in ctx, or nil.
func UserFrom(ctx context.Context) *User {
	return ActorFrom(ctx).User
}
