package foi

import "context"

// RequesterService shows a requester's identity only when someone asks for it (need-to-know): screens show a
// case without it, and each look is audited (requester.read) with the page it was asked from.
type RequesterService interface {
	// RevealRequester returns the requester of a case the caller may read, and audits that they looked.
	// ENOTFOUND unless the caller may read the case (a liaison never may).
	RevealRequester(ctx context.Context, caseID int64) (CaseRequester, error)
}

// CaseRequester is a case's requester with the case's reference. A requester whose details were destroyed
// under the retention schedule is empty.
type CaseRequester struct {
	CaseID    int64
	Reference string
	Requester Requester
}
