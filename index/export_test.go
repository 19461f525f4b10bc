package index

// SwapDistance exposes swapDistance to the external tests.
var SwapDistance = swapDistance
