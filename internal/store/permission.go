package store

import (
	"context"

	"foidesk/internal/foi"
)

// can checks the transaction's actor against the one permission rule, foi.CanActor.
func (tx *Tx) can(action foi.Action, scope foi.Scope) error {
	return foi.CanActor(tx.actor, action, scope)
}

// canCtx checks the context's actor against foi.CanActor.
func canCtx(ctx context.Context, action foi.Action, scope foi.Scope) error {
	return foi.CanActor(foi.ActorFrom(ctx), action, scope)
}
