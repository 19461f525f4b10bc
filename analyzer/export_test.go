package analyzer

// Unexported lists that tests in package analyzer_test check.
var (
	WawStems   = wawStems
	ClingStems = clingStems
)
