package index

// EditDistance exposes editDistance to the external tests.
var EditDistance = editDistance
