package index

import (
	"testing"

	bindex "github.com/blevesearch/bleve_index_api"
)

// TestFollows checks what counts as a pair in the text field's positions:
// the second stem 1..pairGap positions after the first, in the same value
// (title, summary or body).
func TestFollows(t *testing.T) {
	at := func(value uint64, pos ...uint64) []*bindex.TermFieldVector {
		var out []*bindex.TermFieldVector
		for _, p := range pos {
			out = append(out, &bindex.TermFieldVector{Field: fieldText, Pos: p, ArrayPositions: []uint64{value}})
		}
		return out
	}
	tests := []struct {
		name          string
		first, second []*bindex.TermFieldVector
		want          uint64
	}{
		{"adjacent", at(0, 4), at(0, 5), 1},
		{"one stop word between", at(0, 4), at(0, 6), 1},
		{"too far apart", at(0, 4), at(0, 4+pairGap+1), 0},
		{"wrong order", at(0, 5), at(0, 4), 0},
		{"same position (two readings of one word)", at(0, 4), at(0, 4), 0},
		{"end of the title, start of the body", at(0, 7), at(2, 8), 0},
		{"each occurrence of the first counts once", at(1, 2, 10), at(1, 3, 4, 11), 2},
		{"second without first", nil, at(0, 1), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := follows(tc.first, tc.second); got != tc.want {
				t.Errorf("follows = %d; want %d", got, tc.want)
			}
		})
	}
}
