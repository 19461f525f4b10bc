package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2"
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
// Only the words searched for are corrected (wordSpans): field filters,
// date forms and excluded words stand, so a section: value that matches
// nothing is never turned into a word the index holds. The suggestion is
// query (cleaned as parseQuery cleans it) with each corrected word
// replaced, in its commonest spelling, and everything else kept as typed;
// ok is false when no word was corrected. Invalid UTF-8 and queries over
// 500 characters get no suggestion.
func (ix *Index) DidYouMean(ctx context.Context, query string) (suggestion string, ok bool, err error) {
	return ix.didYouMean(ctx, query, true)
}

// didYouMean is DidYouMean; without build, a vocabulary not built yet is
// not built (seconds on a large index, for a one-off bahth search): counts
// then come from the exact field's dictionary, which still counts deleted
// articles until a merge, and corrections show normalized.
func (ix *Index) didYouMean(ctx context.Context, query string, build bool) (suggestion string, ok bool, err error) {
	if !utf8.ValidString(query) || utf8.RuneCountInString(query) > maxSpellRunes {
		return "", false, nil
	}
	query = cleanQuery(query)
	spans := wordSpans(query)
	toks := analyzer.Tokenizer{}.Tokenize([]byte(query))
	if len(spans) == 0 || len(toks) == 0 {
		return "", false, nil
	}
	var joined [][2]int // words of joined words (joinedText), searched as one
	for _, sp := range spans {
		if ix.joinedText(strings.TrimSpace(query[sp[0]:sp[1]])) {
			joined = append(joined, sp)
		}
	}
	v := ix.sugg.v.Load()
	if v == nil && build {
		if v, err = ix.vocabulary(ctx); err != nil {
			return "", false, err
		}
	}
	r, err := ix.reader()
	if err != nil {
		return "", false, err
	}
	defer r.Close()
	fr, isFuzzy := r.(bindex.IndexReaderFuzzy)
	if !isFuzzy {
		return "", false, fmt.Errorf("did you mean: the index reader has no fuzzy dictionary")
	}
	var c spellCounts = dictCounts{ctx: ctx, r: r, ix: ix}
	if v != nil {
		v.mu.RLock()
		defer v.mu.RUnlock()
		c = vocabCounts{v}
	}
	var b strings.Builder
	last := 0
	for _, t := range toks {
		if err := ctx.Err(); err != nil {
			return "", false, err
		}
		if !inSpans(spans, t.Start, t.End) {
			continue // a filter, a date or an excluded word
		}
		if inSpans(joined, t.Start, t.End) {
			continue // part of covid-19: solid-19 is no better spelling of it
		}
		w := string(analyzer.Normalize(t.Term))
		fix, err := correct(fr, w, c, ix.stemDocFreq(ctx, r, query[t.Start:t.End]))
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

// spellCounts are the document counts of normalized words, and the
// spelling a correction shows.
type spellCounts interface {
	df(w string) int
	show(w string) string
}

// vocabCounts reads the suggestion vocabulary (its lock held): deletions
// kept exact, the commonest spelling shown.
type vocabCounts struct{ v *vocab }

func (c vocabCounts) df(w string) int { return c.v.dfOf(w) }

func (c vocabCounts) show(w string) string {
	if id, ok := c.v.id(w); ok {
		return c.v.display(id)
	}
	return w
}

// dictCounts reads the exact field's dictionary; a word shows as one
// article writes it (writtenAs).
type dictCounts struct {
	ctx context.Context
	r   bindex.IndexReader
	ix  *Index
}

func (c dictCounts) df(w string) int {
	n, err := fieldDocFreq(c.ctx, c.r, w, fieldExact)
	if err != nil {
		return 0
	}
	return int(n)
}

func (c dictCounts) show(w string) string { return c.ix.writtenAs(c.ctx, w) }

// writtenAs returns how an article writes the normalized unstemmed word w
// (its marks and tatweel dropped, as the vocabulary shows words): اسرائيل
// for اسراءيل, OpenAI for openai. It shows a correction when the
// vocabulary, which knows each word's commonest spelling, is not built;
// w itself when no article is found.
func (ix *Index) writtenAs(ctx context.Context, w string) string {
	tq := bleve.NewTermQuery(w)
	tq.SetField(fieldExact)
	sr := bleve.NewSearchRequestOptions(tq, 1, 0, false)
	sr.Fields = []string{sourceField}
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil || len(res.Hits) == 0 {
		return w
	}
	a, err := storedSource(res.Hits[0].Fields)
	if err != nil {
		return w
	}
	for _, text := range []string{a.Title, a.Summary, a.Body} {
		for _, t := range ix.exact.Analyze([]byte(text)) {
			if string(t.Term) == w {
				return surface(text[t.Start:t.End], w)
			}
		}
	}
	return w
}

// stemDocFreq returns how many articles hold a stem of the typed word
// (the most of its readings): what a search for it finds.
func (ix *Index) stemDocFreq(ctx context.Context, r bindex.IndexReader, typed string) int {
	n := uint64(0)
	for _, t := range ix.stem.Analyze([]byte(typed)) {
		if df, err := docFreq(ctx, r, string(t.Term)); err == nil {
			n = max(n, df)
		}
	}
	return int(n)
}

// correct returns the spelling to show of the correction of the
// normalized word w, or "" when w stands. stemDF is how many articles a
// search for w finds through its stem: a correction must be held by ten
// times as many as that too, so that a rare form of a frequent word
// (وسيستثمرون) is not "corrected" to another word (وسيستمرون), while
// الاستثمر, found through the stem of 74 articles' سأستثمر, still gets
// الاستثمار, held by thousands.
func correct(fr bindex.IndexReaderFuzzy, w string, c spellCounts, stemDF int) (string, error) {
	if w == "" || analyzer.IsStopWord(w) || !hasLetter(w) {
		return "", nil
	}
	df := c.df(w)
	if df >= rareDF {
		return "", nil
	}
	dist := 1
	if utf8.RuneCountInString(w) > 4 {
		dist = 2
	}
	need := max(minFixDF, fixRatio*max(df, stemDF))
	best, err := closestTerm(fr, w, dist, runeDistance, func(term string) (int, bool) {
		n := c.df(term)
		return n, n >= need
	})
	if err != nil || best == "" {
		return "", err
	}
	return c.show(best), nil
}

// closestTerm returns the term of the exact field's dictionary closest to
// w (distance at most dist, as counted by distance), the one with the
// highest count among equals, then the first in order; count says what a
// term counts, and false rules it out. "" when none is close.
func closestTerm(fr bindex.IndexReaderFuzzy, w string, dist int, distance func(a, b string) int,
	count func(term string) (int, bool)) (string, error) {
	// bleve's automaton counts Levenshtein edits in runes, at most 2; a
	// swap of two letters is two of them, so 2 is read even for dist 1.
	fd, err := fr.FieldDictFuzzy(fieldExact, w, 2, "")
	if err != nil {
		return "", fmt.Errorf("correcting %q: %w", w, err)
	}
	defer fd.Close()
	best, bestCount, bestDist := "", -1, dist+1
	err = eachTerm(fd.Next, func(e *bindex.DictEntry) error {
		if e.Term == w {
			return nil
		}
		d := distance(w, e.Term) // the automaton's own count is not kept by every segment type
		if d > dist {
			return nil
		}
		c, ok := count(e.Term)
		if !ok {
			return nil
		}
		if d < bestDist || d == bestDist && (c > bestCount || c == bestCount && e.Term < best) {
			best, bestCount, bestDist = e.Term, c, d
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("correcting %q: %w", w, err)
	}
	return best, nil
}

func hasLetter(w string) bool {
	for _, r := range w {
		if r > '9' || r < '0' && r != '.' {
			return true
		}
	}
	return false
}

// runeDistance and swapDistance count edits in runes: Levenshtein's, and
// with a swap of two neighbouring letters as one edit.
func runeDistance(a, b string) int { return editDistance(a, b, false) }
func swapDistance(a, b string) int { return editDistance(a, b, true) }

// editDistance is the Levenshtein distance of a and b in runes; with
// swaps, their optimal-string-alignment distance, where a swap of two
// neighbouring letters is one edit (تعلميه for تعليمه).
func editDistance(a, b string, swaps bool) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows: the one before the previous for swaps.
	before, prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
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
			if swaps && i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], before[j-2]+1)
			}
		}
		before, prev, cur = prev, cur, before
	}
	return prev[len(rb)]
}

// maxTypoWords caps the unknown words of one query that typo tolerance
// looks up (each costs about 1.5 ms on the 70k corpus): a pasted page of
// junk stays cheap. Meilisearch reads only the first 10 words of a query.
const maxTypoWords = 10

// typoDistance is the number of typos typo tolerance allows in a word of
// n letters, Meilisearch's: none below 5 letters, 1 up to 8, 2 from 9.
func typoDistance(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 9:
		return 1
	}
	return 2
}

// typoFixes is typo tolerance, as Meilisearch has it by default. It
// returns pq with the correction of each misspelt plain word as one more
// alternative of its group, marked Fix and scored at Ranking.Typo of the
// typed word's weight, and fixes, each corrected word as typed mapped to
// its correction. A word is misspelt when no article holds it, nor any of
// its stems (a new form of a known word is not a typo); its correction is
// the closest word an article holds within typoDistance (a swap of two
// neighbouring letters counting as one typo), the most
// frequent among equals. Words the index holds are never corrected, so a
// rare name is searched as typed: Elasticsearch's fuzziness on every word
// would mix frequent neighbours (اليمن, اليمين). At most maxTypoWords
// words of a query are looked up. Measured in docs/relevance.md.
func (ix *Index) typoFixes(ctx context.Context, pq parsedQuery) (_ parsedQuery, _ map[string]string, absent bool, _ error) {
	var words []int
	for i, g := range pq.Groups {
		if len(g) == 1 && plainWord(g[0]) {
			words = append(words, i)
		}
	}
	if len(words) == 0 {
		return pq, nil, false, nil
	}
	r, err := ix.reader()
	if err != nil {
		return pq, nil, false, err
	}
	defer r.Close()
	fr, ok := r.(bindex.IndexReaderFuzzy)
	if !ok {
		return pq, nil, false, nil
	}
	groups := slices.Clone(pq.Groups)
	var fixes map[string]string
	looked := 0
	for _, i := range words {
		if looked == maxTypoWords {
			break
		}
		typed := groups[i][0].Text
		toks := analyzer.Tokenizer{}.Tokenize([]byte(typed))
		if len(toks) != 1 {
			continue
		}
		w := string(analyzer.Normalize(toks[0].Term))
		dist := typoDistance(utf8.RuneCountInString(w))
		if dist == 0 || analyzer.IsStopWord(w) || !hasLetter(w) {
			continue
		}
		if _, ok := ix.synonyms.lookup(typed); ok {
			continue // Messi: found through its other spellings, not a typo
		}
		if df, err := fieldDocFreq(ctx, r, w, fieldExact); err != nil || df > 0 {
			continue // a word the index holds
		}
		if ix.knownStem(ctx, r, typed) {
			absent = true // another form of a word the index holds: not a typo, but maybe misspelt
			continue
		}
		looked++
		fix, err := ix.typoFix(ctx, r, fr, w, dist)
		if err != nil {
			return pq, nil, false, err
		}
		if fix == "" {
			continue
		}
		groups[i] = queryGroup{groups[i][0], queryTerm{Text: fix, Fix: true}}
		if fixes == nil {
			fixes = map[string]string{}
		}
		fixes[typed] = fix
	}
	pq.Groups = groups
	return pq, fixes, absent, nil
}

// typoFix returns the correction of the normalized word w that no article
// holds: the closest held word within dist typos (shown in its commonest
// spelling when the vocabulary is built), or two held words when it is two
// typed without the space between them, whichever more articles hold (for
// the two words, the rarer one's count): اسرايل is اسرائيل with a letter
// missing, not اسر ايل, and البحرالميت has no word close to it. "" when
// neither.
func (ix *Index) typoFix(ctx context.Context, r bindex.IndexReader, fr bindex.IndexReaderFuzzy, w string, dist int) (string, error) {
	c := dictCounts{ctx: ctx, r: r, ix: ix}
	held := func(term string) (int, bool) {
		n := c.df(term) // the automaton's entries carry no count
		return n, n > 0
	}
	fix, fixDF := "", 0
	if !nearStopWord(w) { // a misspelt stop word (اللذي): nothing to look for
		var err error
		if fix, err = closestTerm(fr, w, dist, swapDistance, held); err != nil {
			return "", err
		}
		if fix != "" {
			fixDF, _ = held(fix)
		}
	}
	if a, b, n := ix.splitWord(ctx, r, w); a != "" && (fix == "" || n >= uint64(fixDF)) {
		return a + " " + b, nil
	}
	if fix == "" {
		return "", nil
	}
	if v := ix.sugg.v.Load(); v != nil {
		v.mu.RLock()
		defer v.mu.RUnlock()
		return vocabCounts{v}.show(fix), nil
	}
	return c.show(fix), nil
}

// fixQuery is query with each corrected word replaced by its correction.
func fixQuery(query string, fixes map[string]string) string {
	query = cleanQuery(query)
	spans := wordSpans(query)
	toks := analyzer.Tokenizer{}.Tokenize([]byte(query))
	var b strings.Builder
	last := 0
	for _, t := range toks {
		surface := query[t.Start:t.End]
		if fix, ok := fixes[surface]; ok && inSpans(spans, t.Start, t.End) {
			b.WriteString(query[last:t.Start])
			b.WriteString(fix)
			last = t.End
		}
	}
	b.WriteString(query[last:])
	return b.String()
}

// knownStem reports whether a stem of text is in the index's text field.
func (ix *Index) knownStem(ctx context.Context, r bindex.IndexReader, text string) bool {
	for _, t := range ix.stem.Analyze([]byte(text)) {
		if df, err := docFreq(ctx, r, string(t.Term)); err == nil && df > 0 {
			return true
		}
	}
	return false
}

// splitWord splits the normalized word w into two words that articles
// hold, as typed without the space between them (البحرالميت, حجرالرخام):
// each part of at least 3 letters and not a stop word, a first part with
// the article of at least 5 (البحر, not الم), or a question word before a
// held word (ماذايحدث, ماسبب); short stop words such as الا, او, به are
// not split off, they begin and end too many words. Among several splits, the one whose rarer part is the
// most frequent; n is its rarer part's count. "" when none.
func (ix *Index) splitWord(ctx context.Context, r bindex.IndexReader, w string) (a, b string, n uint64) {
	runes := []rune(w)
	for i := 2; i <= len(runes)-2; i++ {
		x, y := string(runes[:i]), string(runes[i:])
		sx := questionWords[x]
		if !sx && (i < 3 || strings.HasPrefix(x, "ال") && i < 5) || len(runes)-i < 3 || analyzer.IsStopWord(y) {
			continue
		}
		dx, err := fieldDocFreq(ctx, r, x, fieldExact)
		if err != nil {
			return "", "", 0
		}
		dy, err := fieldDocFreq(ctx, r, y, fieldExact)
		if err != nil {
			return "", "", 0
		}
		m := min(dx, dy)
		if sx {
			m = dy
		}
		if m > n {
			n, a, b = m, x, y
		}
	}
	return a, b, n
}

// questionWords are the question words people glue to the next word
// (ماسبب, ماذايحدث), normalized.
var questionWords = map[string]bool{
	"ما": true, "ماذا": true, "من": true, "متي": true, "كيف": true, "لماذا": true,
	"اين": true, "هل": true, "كم": true, "لم": true,
}

// nearStopWord reports whether w is one typo from a stop word. Stop words
// are not indexed, so a misspelt one (اللذي for الذي) would otherwise be
// "corrected" to a held word as close (المذي).
func nearStopWord(w string) bool {
	for _, s := range analyzer.StopWords() {
		if d := len(s) - len(w); d <= 4 && d >= -4 && swapDistance(w, s) <= 1 {
			return true
		}
	}
	return false
}
