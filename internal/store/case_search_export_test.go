package store

// SetCaseSearchFew sets how many cases a search's long words may match on SQLite for the list to start from
// them (caseSearchFew), and returns a function restoring the old value.
func SetCaseSearchFew(n int64) (restore func()) {
	old := caseSearchFew.Swap(n)
	return func() { caseSearchFew.Store(old) }
}
