package analyzer

// Unexported lists that tests in package analyzer_test check.
var (
	WawStems   = wawStems.list
	ClingStems = clingStems.list
)
