package index

// Snippets are made from an article's stored text, not from bleve's
// highlighter: the text is analyzed again with the index's own analyzers,
// whose token offsets point into the original text (STYLE.md rule 2), and
// the words whose terms are query terms are marked as the article writes
// them, diacritics, tatweel, clitics and all.
//
// The rules, which the tests in snippet_test.go hold the code to:
//
// Matching (matchSpans). A word matches when its ar_news_v3 term is a stemmed
// query term, when its ar_exact_v2 term is a normalized query term, or when
// its ar_exact_v2 term starts with the normalized prefix of a trailing-*
// query word; the prefix is matched against the whole exact term, clitics
// included, so الكتا* marks الكتاب and الكتابة but not والكتاب (a known
// gap, the same as a prefix query on the exact field). A mark covers the
// token's offsets: the whole word with its
// glued و/ال/ب/ل (والمدرسة for المدرسة), its diacritics and tatweel and any
// invisible character inside it, but not the RLM or LRM that editors type
// after a Latin name (the tokenizer leaves those out of the word). Spans
// that overlap (two readings of one word) are merged; words that touch
// (لـOpenAI is two tokens) keep a mark each, as bleve's highlighter does.
//
// Lengths are counted in characters (runes) of the text shown, diacritics
// and invisible marks included (المَدْرَسَةِ is 12): a run of whitespace,
// newlines included, is shown as one space and counts one; the "…"
// ellipses and the markup do not count. A length <= 0 means 160, a
// length above 1000 means 1000; a count <= 0 means 3.
//
// Word boundaries. A fragment starts and ends only where a word starts or
// ends: next to whitespace, after punctuation that is followed by a letter,
// before an opening bracket or quote (« ( [ “), or at the edge of a marked
// word (between لـ and OpenAI). It never ends inside a word, so never
// between a letter and its diacritics, tatweel, ZWJ or a combining
// sequence, never inside a number (97.4, ١٬٥٠٠), and never inside a marked
// word. One exception: a single marked word longer than the whole
// length is shown whole, as the fragment, and so is a first word longer
// than the length in leadSnippet; the length is exceeded rather than a word
// cut.
//
// Sentence boundaries. A sentence ends at . ! ? ؟ ؛ … or ۔ (U+06D4), followed
// by any closing quotes or brackets (» ” " ’ ' ) ] ›) and then whitespace or
// the end of the text, so the » of a quotation «...» stays with the
// sentence it closes and an opening « starts the next sentence with its
// quotation. A line break (\n \r U+2028 U+2029 ...) always ends a sentence:
// headlines and paragraphs in news bodies often carry no full stop. A dot
// inside a number (97.4) is not a boundary; abbreviations followed by a
// space (د. for "Dr.") are, a known trade-off.
//
// Fragments (snippets). A cluster is a run of consecutive matched words that
// fits in the length. Clusters are scored by the number of distinct matched
// words (by the light stem of the word as written, so المدرسة and
// والمدرسة count once), then by the total number of matched words, then by
// earlier position; the best cluster becomes the first fragment, the best
// cluster among the words not yet shown the next one, and so on, so the
// fragments come best first, never overlap, and a fragment whose window
// takes in more matched words than its cluster shows them marked too.
// A cluster's window:
//  1. when the whole sentence (or sentences) holding the cluster fits, the
//     window is that sentence, then grows by whole following sentences,
//     then by whole preceding ones, while they fit; if it is still shorter
//     than half the length, words of the next sentence are added;
//  2. otherwise the window starts at the sentence's start if that leaves at
//     least half of the spare length after the cluster, or if the start is
//     within the spare length and an eighth of the length (a word or two);
//     else it starts about a third of the spare length before the cluster.
//     It ends at the sentence's end if that fits, else as far as the length
//     allows; length left over after a sentence end moves the start back.
//
// "…" is put at a fragment's start when it does not start a sentence and at
// its end when it does not end one.
//
// Escaping. Everything but the <mark> and </mark> tags is escaped like
// html.EscapeString (& < > " '); invalid UTF-8 bytes are shown as U+FFFD.
// The text inside a mark is the article's own bytes, escaped.
//
// Lead (leadSnippet). The window of rule 1 or 2 for an empty cluster at the
// text's first word: the first sentence(s) up to the length, cut at a word
// boundary with "…" when the first sentence is longer. Search shows it when
// the query matched only the title, or matched the body through a synonym,
// so that a hit never has an empty snippet.
//
// markText shows a whole text (a title) the same way: whitespace collapsed,
// trimmed, escaped, matched words marked.

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2/analysis"
)

const (
	defaultSnippetCount  = 3
	defaultSnippetLength = 160
	maxSnippetLength     = 1000
)

// span is a matched word: byte offsets into the text.
type span struct{ Start, End int }

// termMatcher decides whether an analyzed term matches the query.
type termMatcher struct {
	stems    map[string]bool // stemmed query terms (ar_news_v3 output)
	exact    map[string]bool // normalized unstemmed query terms (ar_exact_v2 output)
	prefixes []string        // normalized prefixes (for trailing-* terms), matched against exact terms
	phrases  [][][]string    // runs of words marked only together, each within pairGap positions of the last (a synonym's several words, a required phrase); a word is any of its readings
}

// matchExact reports whether an ar_exact_v2 term is a query term or starts
// with one of the query's prefixes. An empty prefix matches nothing.
func (m termMatcher) matchExact(term []byte) bool {
	if m.exact[string(term)] {
		return true
	}
	for _, p := range m.prefixes {
		if p != "" && len(term) >= len(p) && string(term[:len(p)]) == p {
			return true
		}
	}
	return false
}

// matchSpans analyzes text with the stemmed and the exact analyzers and
// returns the sorted, merged spans of words that match.
//
// When the stemmed analyzer is the exact one with more token filters after
// it (ar_news_v3 is ar_exact_v2 followed by the stemmer), the text is
// tokenized and normalized once: the exact terms are matched, then the
// extra filters run on the same tokens and the stems are matched.
func matchSpans(stem, exact analysis.Analyzer, text string, m termMatcher) []span {
	if text == "" {
		return nil
	}
	return wholeWords(text, matchTokens(stem, exact, text, m))
}

// wholeWords widens each span over a clitic or suffix of another script
// glued to it: the tokenizer cuts where the script changes, so that لـCNN,
// وGoogle, بـ19 and 1436هـ are two tokens each, but a reader sees one word,
// marked whole. Only a run of at most 3 letters or digits (tatweel and
// marks not counted) that reaches a word boundary is taken: CNNبالعربية or
// التاليwww, two words written without the space, keep their mark on the
// word that matched. Within one script a token is already the whole run.
func wholeWords(text string, spans []span) []span {
	const maxGlued = 3
	class := func(r rune) int { // 0: not part of a word; 1 Arabic letter; 2 digit; 3 other letter; 4 tatweel or mark
		switch {
		case r == 'ـ' || unicode.Is(unicode.Mn, r):
			return 4
		case unicode.IsDigit(r):
			return 2
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			return 1
		case unicode.IsLetter(r):
			return 3
		}
		return 0
	}
	// glued returns how far the run of another class than edge's reaches
	// from i, stepping by step, or i when it is no clitic to take.
	glued := func(i int, edge rune, back bool) int {
		ec, j, letters := class(edge), i, 0
		for {
			var r rune
			var n int
			if back {
				if j == 0 {
					return j
				}
				r, n = utf8.DecodeLastRuneInString(text[:j])
			} else {
				if j == len(text) {
					return j
				}
				r, n = utf8.DecodeRuneInString(text[j:])
			}
			c := class(r)
			switch {
			case c == 0:
				return j // the run reaches a word boundary
			case c == ec || letters == maxGlued && c != 4:
				return i // the word goes on: no clitic
			case c != 4:
				letters++
			}
			if back {
				j -= n
			} else {
				j += n
			}
		}
	}
	for i, sp := range spans {
		if sp.Start > 0 {
			first, _ := utf8.DecodeRuneInString(text[sp.Start:])
			sp.Start = glued(sp.Start, first, true)
		}
		if sp.End < len(text) {
			last, _ := utf8.DecodeLastRuneInString(text[:sp.End])
			sp.End = glued(sp.End, last, false)
		}
		spans[i] = sp
	}
	return mergeSpans(spans)
}

// matchTokens is matchSpans without widening the spans to whole words.
func matchTokens(stem, exact analysis.Analyzer, text string, m termMatcher) []span {
	wantStems := stem != nil && (len(m.stems) > 0 || len(m.phrases) > 0)
	wantExact := exact != nil && (len(m.exact) > 0 || len(m.prefixes) > 0)
	var out []span
	if extra, ok := extraFilters(stem, exact); ok && wantStems && wantExact {
		ts := exact.Analyze([]byte(text))
		for _, t := range ts {
			if m.matchExact(t.Term) {
				out = append(out, span{t.Start, t.End})
			}
		}
		for _, f := range extra {
			ts = f.Filter(ts)
		}
		out = m.appendStemSpans(out, ts)
		return mergeSpans(out)
	}
	if wantStems {
		out = m.appendStemSpans(out, stem.Analyze([]byte(text)))
	}
	if wantExact {
		for _, t := range exact.Analyze([]byte(text)) {
			if m.matchExact(t.Term) {
				out = append(out, span{t.Start, t.End})
			}
		}
	}
	return mergeSpans(out)
}

// appendStemSpans appends the spans of the stemmed tokens ts that are
// query stems, and of the runs of tokens that spell one of the phrases.
func (m termMatcher) appendStemSpans(out []span, ts analysis.TokenStream) []span {
	for i, t := range ts {
		if m.stems[string(t.Term)] {
			out = append(out, span{t.Start, t.End})
		}
		for _, ph := range m.phrases {
			if !slices.Contains(ph[0], string(t.Term)) {
				continue
			}
			run, last := []int{i}, i
			for _, want := range ph[1:] {
				next := -1
				for j := last + 1; j < len(ts) && ts[j].Position-ts[last].Position <= pairGap; j++ {
					if ts[j].Position > ts[last].Position && slices.Contains(want, string(ts[j].Term)) {
						next = j
						break
					}
				}
				if next < 0 {
					break
				}
				run, last = append(run, next), next
			}
			if len(run) == len(ph) {
				for _, j := range run {
					out = append(out, span{ts[j].Start, ts[j].End})
				}
			}
		}
	}
	return out
}

// extraFilters returns the token filters stem runs after those of exact
// when stem is exact with more filters (same char filters, tokenizer and
// leading token filters), and false otherwise.
func extraFilters(stem, exact analysis.Analyzer) ([]analysis.TokenFilter, bool) {
	s, ok1 := stem.(*analysis.DefaultAnalyzer)
	e, ok2 := exact.(*analysis.DefaultAnalyzer)
	if !ok1 || !ok2 || len(s.CharFilters) != 0 || len(e.CharFilters) != 0 ||
		len(s.TokenFilters) <= len(e.TokenFilters) || !reflect.DeepEqual(s.Tokenizer, e.Tokenizer) {
		return nil, false
	}
	for i, f := range e.TokenFilters {
		if !reflect.DeepEqual(s.TokenFilters[i], f) {
			return nil, false
		}
	}
	return s.TokenFilters[len(e.TokenFilters):], true
}

// mergeSpans sorts spans in place and merges the ones that overlap; spans
// that only touch stay apart.
func mergeSpans(sp []span) []span {
	if len(sp) == 0 {
		return nil
	}
	slices.SortFunc(sp, func(a, b span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	out := sp[:1]
	for _, s := range sp[1:] {
		last := &out[len(out)-1]
		if s.Start < last.End {
			last.End = max(last.End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

// snippets returns up to count fragments of about length characters (runes)
// each, best first, each cut at word boundaries and preferring sentence
// boundaries, HTML-escaped with matched words wrapped in <mark>...</mark>;
// "…" marks a cut inside a sentence at either end. No fragment overlaps
// another. With no spans it returns nil. The rules are in the comment at
// the top of this file.
func snippets(text string, spans []span, count, length int) []string {
	count, length = snippetDefaults(count, length)
	l := newLayout(text)
	sp := l.clean(spans)
	if len(sp) == 0 {
		return nil
	}
	keys, nkeys := l.keys(sp)
	used := make([]bool, len(sp))
	seen := make([]int, nkeys)
	var wins []window
	var out []string
	for len(out) < count {
		c, ok := bestCluster(l, sp, keys, used, seen, length)
		if !ok {
			break
		}
		a, b := sp[c.i].Start, sp[c.j].End
		lo, hi := 0, len(text)
		for _, w := range wins {
			if w.end <= a {
				lo = max(lo, w.end)
			} else if w.start >= b {
				hi = min(hi, w.start)
			}
		}
		w := l.window(sp, a, b, lo, hi, length)
		for k := range sp {
			if sp[k].Start < w.end && sp[k].End > w.start {
				used[k] = true
			}
		}
		wins = append(wins, w)
		out = append(out, l.render(w, sp))
	}
	return out
}

// leadSnippet returns the first sentence(s) of text up to length characters,
// escaped, cut at a word boundary (with "…" if cut), marked where spans fall
// inside it. A text of whitespace only gives "".
func leadSnippet(text string, spans []span, length int) string {
	_, length = snippetDefaults(1, length)
	l := newLayout(text)
	a := l.skipSpace(0, len(text))
	if a == len(text) {
		return ""
	}
	sp := l.clean(spans)
	return l.render(l.window(sp, a, a, 0, len(text), length), sp)
}

// markText returns the whole text (e.g. a title) escaped with spans marked,
// whitespace collapsed and trimmed, with no ellipsis.
func markText(text string, spans []span) string {
	l := newLayout(text)
	start := l.skipSpace(0, len(text))
	if start == len(text) {
		return ""
	}
	end := len(text)
	for end > start && isSpace(l.runeBefore(end)) {
		end = l.prevStart(end)
	}
	return l.render(window{start: start, end: end, whole: true}, l.clean(spans))
}

func snippetDefaults(count, length int) (int, int) {
	if count <= 0 {
		count = defaultSnippetCount
	}
	if length <= 0 {
		length = defaultSnippetLength
	}
	return count, min(length, maxSnippetLength)
}

// cluster is a run of matched words sp[i..j] and its score.
type cluster struct {
	i, j            int
	distinct, total int
}

// better reports whether c scores above d: more distinct words, then more
// words; the earlier cluster wins ties because the scan goes left to right.
func (c cluster) better(d cluster) bool {
	if c.distinct != d.distinct {
		return c.distinct > d.distinct
	}
	return c.total > d.total
}

// bestCluster slides a window over each run of spans not yet shown and
// returns the best run that fits in length runes (a single span always
// forms a cluster, however long). seen is scratch space, one counter per key.
func bestCluster(l *layout, sp []span, keys []int, used []bool, seen []int, length int) (cluster, bool) {
	best, found := cluster{}, false
	for r0 := 0; r0 < len(sp); {
		if used[r0] {
			r0++
			continue
		}
		r1 := r0
		for r1 < len(sp) && !used[r1] {
			r1++
		}
		clear(seen)
		distinct, j := 0, r0-1 // sp[i..j] is in the window
		for i := r0; i < r1; i++ {
			if j < i {
				j = i
				if seen[keys[i]]++; seen[keys[i]] == 1 {
					distinct++
				}
			}
			for j+1 < r1 && l.runes(sp[i].Start, sp[j+1].End) <= length {
				j++
				if seen[keys[j]]++; seen[keys[j]] == 1 {
					distinct++
				}
			}
			c := cluster{i: i, j: j, distinct: distinct, total: j - i + 1}
			if !found || c.better(best) {
				best, found = c, true
			}
			if seen[keys[i]]--; seen[keys[i]] == 0 {
				distinct--
			}
		}
		r0 = r1
	}
	return best, found
}

// window is a fragment's byte range; whole means it is shown without
// ellipses.
type window struct {
	start, end int
	whole      bool
}

// layout is a text with, for each byte offset, the number of runes shown
// before it once whitespace runs are collapsed to one space.
type layout struct {
	text string
	col  []int32 // col[i] for a rune start (and len(text)); -1 inside a rune
}

func newLayout(text string) *layout {
	col := make([]int32, len(text)+1)
	n, prevSpace := int32(0), false
	for i := 0; i < len(text); {
		col[i] = n
		r, size := decodeAt(text, i)
		sp := isSpace(r)
		if !sp || !prevSpace {
			n++
		}
		prevSpace = sp
		for k := 1; k < size; k++ {
			col[i+k] = -1
		}
		i += size
	}
	col[len(text)] = n
	return &layout{text: text, col: col}
}

// runes is the number of characters shown for text[p:q], both ends rune
// starts at the edge of non-space text.
func (l *layout) runes(p, q int) int { return int(l.col[q] - l.col[p]) }

func (l *layout) runeAt(i int) rune {
	if i >= len(l.text) {
		return utf8.RuneError
	}
	r, _ := decodeAt(l.text, i)
	return r
}

// next returns the start of the rune after the one at i.
func (l *layout) next(i int) int {
	_, size := decodeAt(l.text, i)
	return i + size
}

// prevStart returns the start of the rune before i (i > 0).
func (l *layout) prevStart(i int) int {
	i--
	for i > 0 && l.col[i] < 0 {
		i--
	}
	return i
}

func (l *layout) runeBefore(i int) rune {
	if i <= 0 {
		return utf8.RuneError
	}
	return l.runeAt(l.prevStart(i))
}

// skipSpace returns the first non-space rune start in [i, hi), or hi.
func (l *layout) skipSpace(i, hi int) int {
	for i < hi && isSpace(l.runeAt(i)) {
		i = l.next(i)
	}
	return i
}

// clean returns the spans clamped to the text, widened to whole runes,
// trimmed of whitespace at both ends, sorted and merged. It never changes
// its argument.
func (l *layout) clean(spans []span) []span {
	out := make([]span, 0, len(spans))
	for _, s := range spans {
		s.Start, s.End = max(s.Start, 0), min(s.End, len(l.text))
		if s.Start >= s.End {
			continue
		}
		for s.Start > 0 && l.col[s.Start] < 0 {
			s.Start--
		}
		for s.End < len(l.text) && l.col[s.End] < 0 {
			s.End++
		}
		s.Start = l.skipSpace(s.Start, s.End)
		for s.End > s.Start && isSpace(l.runeBefore(s.End)) {
			s.End = l.prevStart(s.End)
		}
		if s.Start < s.End {
			out = append(out, s)
		}
	}
	return mergeSpans(out)
}

// keys numbers the spans' words: two spans get one number when their
// surfaces have the same normalized light stem.
func (l *layout) keys(sp []span) ([]int, int) {
	ids := map[string]int{}
	keys := make([]int, len(sp))
	for k, s := range sp {
		key := string(analyzer.StemArabic(analyzer.Normalize([]byte(l.text[s.Start:s.End]))))
		id, ok := ids[key]
		if !ok {
			id = len(ids)
			ids[key] = id
		}
		keys[k] = id
	}
	return keys, len(ids)
}

// inSpan reports whether p falls strictly inside one of the sorted spans.
func inSpan(sp []span, p int) bool {
	k := sort.Search(len(sp), func(k int) bool { return sp[k].End > p })
	return k < len(sp) && sp[k].Start < p
}

// spanEdge reports whether one of the sorted spans starts or ends at p.
func spanEdge(sp []span, p int) bool {
	k := sort.Search(len(sp), func(k int) bool { return sp[k].End >= p })
	return k < len(sp) && (sp[k].End == p || sp[k].Start == p)
}

// boundary reports whether a word starts or ends at i (a rune start).
func (l *layout) boundary(i int) bool {
	if i <= 0 || i >= len(l.text) {
		return true
	}
	rb, ra := l.runeBefore(i), l.runeAt(i)
	switch {
	case isSpace(rb) || isSpace(ra):
		return true
	case unicode.IsPunct(rb) && !isOpening(rb) && unicode.IsLetter(ra):
		return true
	case isOpening(ra) && !isOpening(rb):
		return true
	}
	return false
}

// canStart reports whether a fragment may start at i: at a word boundary
// or where a matched word starts or ends, never inside one. canEnd is the
// same for a fragment's end.
func (l *layout) canStart(sp []span, i int) bool {
	return i < len(l.text) && l.col[i] >= 0 && !isSpace(l.runeAt(i)) && l.cut(sp, i)
}

func (l *layout) canEnd(sp []span, i int) bool {
	return i > 0 && l.col[i] >= 0 && !isSpace(l.runeBefore(i)) && l.cut(sp, i)
}

func (l *layout) cut(sp []span, i int) bool {
	return (l.boundary(i) || spanEdge(sp, i)) && !inSpan(sp, i)
}

// termBefore reports whether the text before q, skipping closing quotes and
// brackets, ends with a sentence terminator.
func (l *layout) termBefore(q int) bool {
	for q > 0 {
		q = l.prevStart(q)
		r := l.runeAt(q)
		if !isCloser(r) {
			return isTerminator(r)
		}
	}
	return false
}

// sentenceStart reports whether a sentence starts at p, a non-space rune start.
func (l *layout) sentenceStart(p int) bool {
	q, sawSpace := p, false
	for q > 0 {
		r := l.runeBefore(q)
		if !isSpace(r) {
			break
		}
		if isNewline(r) {
			return true
		}
		sawSpace = true
		q = l.prevStart(q)
	}
	if q == 0 {
		return true
	}
	return sawSpace && l.termBefore(q)
}

// sentenceEnd reports whether a sentence ends at q, just after non-space text.
func (l *layout) sentenceEnd(q int) bool {
	if q >= len(l.text) {
		return true
	}
	if !isSpace(l.runeAt(q)) {
		return false
	}
	for p := q; p < len(l.text); p = l.next(p) {
		r := l.runeAt(p)
		if !isSpace(r) {
			return l.termBefore(q)
		}
		if isNewline(r) {
			return true
		}
	}
	return true
}

// sentenceStartBefore returns the last sentence start p in [lo, a] with
// col[p] >= minCol, or -1.
func (l *layout) sentenceStartBefore(sp []span, a, lo int, minCol int32) int {
	for p := a; p >= lo && l.col[p] >= minCol; {
		if p < len(l.text) && !isSpace(l.runeAt(p)) && (p == 0 || isSpace(l.runeBefore(p))) &&
			!inSpan(sp, p) && l.sentenceStart(p) {
			return p
		}
		if p == 0 {
			break
		}
		p = l.prevStart(p)
	}
	return -1
}

// sentenceEndAfter returns the first sentence end q in [b, hi] with
// col[q] <= maxCol, or -1.
func (l *layout) sentenceEndAfter(sp []span, b, hi int, maxCol int32) int {
	for q := b; q <= hi && l.col[q] <= maxCol; {
		if q > 0 && !isSpace(l.runeBefore(q)) && (q == len(l.text) || isSpace(l.runeAt(q))) &&
			!inSpan(sp, q) && l.sentenceEnd(q) {
			return q
		}
		if q == len(l.text) {
			break
		}
		q = l.next(q)
	}
	return -1
}

// leftCut returns the smallest p in [lo, a] with col[p] >= minCol where a
// fragment may start, or a.
func (l *layout) leftCut(sp []span, a, lo int, minCol int32) int {
	best := a
	for p := a; p >= lo && l.col[p] >= minCol; {
		if l.canStart(sp, p) {
			best = p
		}
		if p == 0 {
			break
		}
		p = l.prevStart(p)
	}
	return best
}

// rightCut returns the largest q in [b, hi] with col[q] <= maxCol where a
// fragment may end, or b.
func (l *layout) rightCut(sp []span, b, hi int, maxCol int32) int {
	best := b
	for q := b; q <= hi && l.col[q] <= maxCol; {
		if l.canEnd(sp, q) {
			best = q
		}
		if q == len(l.text) {
			break
		}
		q = l.next(q)
	}
	return best
}

// window chooses the fragment around the cluster text[a:b] inside [lo, hi],
// by rules 1 and 2 of the comment at the top of this file; it never cuts
// inside one of the spans sp.
func (l *layout) window(sp []span, a, b, lo, hi, length int) window {
	w := l.frame(sp, a, b, lo, hi, length)
	if w.end <= w.start { // an empty cluster before a word longer than length
		w.end = l.next(w.start)
		for w.end < hi && !l.canEnd(sp, w.end) {
			w.end = l.next(w.end)
		}
	}
	return w
}

func (l *layout) frame(sp []span, a, b, lo, hi, length int) window {
	L := int32(length)
	if l.runes(a, b) >= length {
		return window{start: a, end: b}
	}
	s := l.sentenceStartBefore(sp, a, lo, l.col[b]-L)
	e := -1
	if s >= 0 {
		e = l.sentenceEndAfter(sp, b, hi, l.col[s]+L)
	}
	if s >= 0 && e >= 0 { // rule 1
		start, end := s, e
		for {
			p := l.skipSpace(end, hi)
			if p >= hi {
				break
			}
			e2 := l.sentenceEndAfter(sp, p, hi, l.col[start]+L)
			if e2 < 0 {
				break
			}
			end = e2
		}
		for start > lo {
			q := start
			for q > lo && isSpace(l.runeBefore(q)) {
				q = l.prevStart(q)
			}
			if q <= lo {
				break
			}
			s2 := l.sentenceStartBefore(sp, q, lo, l.col[end]-L)
			if s2 < 0 || s2 >= start {
				break
			}
			start = s2
		}
		if l.runes(start, end) < length/2 {
			end = l.rightCut(sp, end, hi, l.col[start]+L)
		}
		return window{start: start, end: end}
	}
	// rule 2
	room := int32(length - l.runes(a, b))
	var start int
	if s >= 0 && (l.col[a]-l.col[s] <= room/2 || l.col[a]-l.col[s] <= min(room, L/8)) {
		start = s
	} else {
		start = l.leftCut(sp, a, lo, l.col[a]-room/3)
	}
	end := l.sentenceEndAfter(sp, b, hi, l.col[start]+L)
	if end < 0 {
		end = l.rightCut(sp, b, hi, l.col[start]+L)
	}
	floor := lo
	if s >= 0 {
		floor = max(floor, s)
	}
	if s >= 0 && l.col[end]-l.col[s] <= L {
		start = s
	} else {
		start = l.leftCut(sp, start, floor, l.col[end]-L)
	}
	return window{start: start, end: end}
}

// render writes text[w.start:w.end] escaped, whitespace collapsed, spans
// marked, with "…" at an end that does not fall on a sentence boundary.
func (l *layout) render(w window, sp []span) string {
	var b strings.Builder
	b.Grow(w.end - w.start + 32)
	if !w.whole && !l.sentenceStart(w.start) {
		b.WriteString("…")
	}
	pos, space := w.start, false
	k := sort.Search(len(sp), func(k int) bool { return sp[k].End > w.start })
	for ; k < len(sp) && sp[k].Start < w.end; k++ {
		s, e := max(sp[k].Start, w.start), min(sp[k].End, w.end)
		space = l.write(&b, pos, s, space)
		b.WriteString("<mark>")
		space = l.write(&b, s, e, space)
		b.WriteString("</mark>")
		pos = e
	}
	l.write(&b, pos, w.end, space)
	if !w.whole && !l.sentenceEnd(w.end) {
		b.WriteString("…")
	}
	return b.String()
}

// write appends text[p:q] escaped like html.EscapeString, with each
// whitespace run as one space (space says the last rune written was one)
// and invalid bytes as U+FFFD. It returns the new value of space.
func (l *layout) write(b *strings.Builder, p, q int, space bool) bool {
	for i := p; i < q; {
		r, size := decodeAt(l.text, i)
		i += size
		if isSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		default:
			b.WriteRune(r) // writes U+FFFD for an invalid byte
		}
	}
	return space
}

// decodeAt is utf8.DecodeRuneInString(s[i:]) with fast paths for ASCII and
// the two-byte sequences of Arabic script.
func decodeAt(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s[i:])
}

// isSpace is unicode.IsSpace (White_Space) without the table lookup.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

func isNewline(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// isTerminator reports the characters that end a sentence: . ! ? ؟ ؛ … ۔
func isTerminator(r rune) bool {
	switch r {
	case '.', '!', '?', 0x061F, 0x061B, 0x2026, 0x06D4:
		return true
	}
	return false
}

// isCloser reports the closing quotes and brackets that may follow a
// sentence terminator: » ” " ’ ' ) ] ›
func isCloser(r rune) bool {
	switch r {
	case 0x00BB, 0x201D, '"', 0x2019, '\'', ')', ']', 0x203A:
		return true
	}
	return false
}

// isOpening reports opening brackets and quotes (« ( [ “ ...).
func isOpening(r rune) bool { return unicode.In(r, unicode.Ps, unicode.Pi) }
