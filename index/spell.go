package index

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Did-you-mean thresholds (docs/suggest.md).
const (
	// rareDF: a query word held by fewer articles than this is looked at.
	rareDF = 2
	// A correction must be held by at least minFixDF articles and by
	// fixRatio times as many as the word typed.
	minFixDF = 3
	fixRatio = 10
	// maxSpellRunes: longer queries are pastes, not typed; they are not
	// corrected.
	maxSpellRunes = 500
)

// DidYouMean proposes a spelling of query whose rare words are replaced by
// close frequent ones, for a search that found little.
//
// Each word is normalized (unstemmed, as in the index's exact field). A
// word held by fewer than 2 articles (or none) is replaced by the word
// within edit distance 1 (words of up to 4 letters) or 2 (longer words)
// that is held by at least 3 articles and 10 times as many as the typed
// word: the closest, then the most frequent, then the first in order.
// Distances are counted in letters (runes) of the normalized forms, so a
// missing ا is one edit although it is two bytes; candidates come from
// bleve's Levenshtein automaton over the exact field's dictionary, which
// counts runes too (TestFuzzyDictCountsRunes), and their counts from the
// suggestion vocabulary, which deletions keep exact. Stop words and numbers
// are never corrected.
//
// The suggestion is query with each corrected word replaced, in its
// commonest spelling, and everything else kept as typed; ok is false when
// no word was corrected. Invalid UTF-8 and queries over 500 characters get
// no suggestion.
func (ix *Index) DidYouMean(ctx context.Context, query string) (suggestion string, ok bool, err error) {
	if !utf8.ValidString(query) || utf8.RuneCountInString(query) > maxSpellRunes {
		return "", false, nil
	}
	toks := analyzer.Tokenizer{}.Tokenize([]byte(query))
	if len(toks) == 0 {
		return "", false, nil
	}
	v, err := ix.vocabulary(ctx)
	if err != nil {
		return "", false, err
	}
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return "", false, err
	}
	r, err := adv.Reader()
	if err != nil {
		return "", false, err
	}
	defer r.Close()
	fr, isFuzzy := r.(bindex.IndexReaderFuzzy)
	if !isFuzzy {
		return "", false, fmt.Errorf("did you mean: the index reader has no fuzzy dictionary")
	}
	var b strings.Builder
	last := 0
	for _, t := range toks {
		if err := ctx.Err(); err != nil {
			return "", false, err
		}
		w := string(analyzer.Normalize(t.Term))
		fix, err := v.correct(fr, w)
		if err != nil {
			return "", false, err
		}
		if fix == "" {
			continue
		}
		b.WriteString(query[last:t.Start])
		b.WriteString(fix)
		last = t.End
		ok = true
	}
	if !ok {
		return "", false, nil
	}
	b.WriteString(query[last:])
	return b.String(), true, nil
}

// correct returns the display spelling of the correction of the normalized
// word w, or "" when w stands.
func (v *vocab) correct(fr bindex.IndexReaderFuzzy, w string) (string, error) {
	if w == "" || analyzer.IsStopWord(w) || !hasLetter(w) {
		return "", nil
	}
	v.mu.RLock()
	df := v.dfOf(w)
	v.mu.RUnlock()
	if df >= rareDF {
		return "", nil
	}
	dist := 1
	if utf8.RuneCountInString(w) > 4 {
		dist = 2
	}
	fd, err := fr.FieldDictFuzzy(fieldExact, w, dist, "")
	if err != nil {
		return "", fmt.Errorf("did you mean %q: %w", w, err)
	}
	defer fd.Close()
	need := max(minFixDF, fixRatio*df)
	best, bestDF, bestDist := uint32(0), int32(-1), dist+1
	v.mu.RLock()
	defer v.mu.RUnlock()
	err = eachTerm(fd.Next, func(e *bindex.DictEntry) error {
		id, ok := v.id(e.Term)
		if e.Term == w || !ok || int(v.df[id]) < need {
			return nil
		}
		d := runeDistance(w, e.Term) // the automaton's own count is not kept by every segment type
		if d > dist {
			return nil
		}
		if d < bestDist || d == bestDist && (v.df[id] > bestDF || v.df[id] == bestDF && e.Term < v.words[best]) {
			best, bestDF, bestDist = id, v.df[id], d
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("did you mean %q: %w", w, err)
	}
	if bestDF < 0 {
		return "", nil
	}
	return v.display(best), nil
}

func hasLetter(w string) bool {
	for _, r := range w {
		if r > '9' || r < '0' && r != '.' {
			return true
		}
	}
	return false
}

// runeDistance is the Levenshtein distance of a and b counted in runes.
func runeDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
