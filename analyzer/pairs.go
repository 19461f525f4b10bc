package analyzer

import "github.com/blevesearch/bleve/v2/analysis"

// PairFilter replaces a stream of stems by the pairs of adjacent stems
// ("شرك اعلن" for شركة + أعلنت), the bigram feature of the ranking: a query
// whose words stand together in an article scores above one whose words are
// scattered. Stop words were removed before, so a pair may span one
// ("وزير" + "في" + "لبنان" gives "وزير لبنان"). A pair runs from the first
// word's Start to the second word's End, at the first word's position. Of
// two readings at one position (see StemFilter) only the first is paired.
type PairFilter struct{}

// Filter implements analysis.TokenFilter.
func (PairFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	input = firstPerPosition(input)
	if len(input) < 2 {
		return input[:0]
	}
	size := 0
	for _, t := range input {
		size += len(t.Term) + 1
	}
	buf := make([]byte, 0, 2*size)
	toks := make([]analysis.Token, len(input)-1)
	out := make(analysis.TokenStream, len(input)-1)
	for i := 0; i+1 < len(input); i++ {
		a, b := input[i], input[i+1]
		start := len(buf)
		buf = append(buf, a.Term...)
		buf = append(buf, ' ')
		buf = append(buf, b.Term...)
		toks[i] = analysis.Token{Term: buf[start:len(buf):len(buf)], Start: a.Start, End: b.End, Position: a.Position, Type: analysis.Shingle}
		out[i] = &toks[i]
	}
	return out
}

// firstPerPosition drops the tokens that share the previous token's position.
func firstPerPosition(input analysis.TokenStream) analysis.TokenStream {
	for i := 1; i < len(input); i++ {
		if input[i].Position == input[i-1].Position {
			out := append(analysis.TokenStream(nil), input[:i]...)
			for _, t := range input[i:] {
				if t.Position != out[len(out)-1].Position {
					out = append(out, t)
				}
			}
			return out
		}
	}
	return input
}
