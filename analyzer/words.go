package analyzer

import "strings"

// wordSet is a set of normalized words with a cheap pre-check: for each last
// byte of a word, a bit per word length (mod 64). A word whose bit is unset
// is certainly not in the set, which spares most lookups their hashing.
type wordSet struct {
	m    map[string]struct{}
	hint [256]uint64
}

// newWordSet holds the space-separated words of s.
func newWordSet(s string) *wordSet {
	ws := &wordSet{m: make(map[string]struct{})}
	for _, w := range strings.Fields(s) {
		ws.m[w] = struct{}{}
		ws.hint[w[len(w)-1]] |= 1 << (len(w) % 64)
	}
	return ws
}

func (ws *wordSet) has(w []byte) bool {
	if len(w) == 0 || ws.hint[w[len(w)-1]]&(1<<(len(w)%64)) == 0 {
		return false
	}
	_, ok := ws.m[string(w)]
	return ok
}

// list returns the words in no particular order.
func (ws *wordSet) list() []string {
	out := make([]string, 0, len(ws.m))
	for w := range ws.m {
		out = append(out, w)
	}
	return out
}
