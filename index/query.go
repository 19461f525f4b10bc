package index

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
)

// The caps of one query. What lies beyond them is ignored, never an error,
// so a pasted paragraph is a word search on its first words.
const (
	maxQueryBytes   = 4096 // cut at the last space before it (about 2,000 Arabic letters)
	maxGroups       = 32   // word groups read from a query
	maxAlternatives = 8    // terms of one group joined by OR, as typed
	maxExcluded     = 16   // -word and -"phrase"
	maxPhraseWords  = 32   // words of one "phrase"; the rest of the phrase is dropped
	maxFilterValues = 16   // values of one field filter
	minPrefixRunes  = 2    // a shorter word before * is a plain word: ا* would match half the index
)

// queryTerm is one word, phrase or prefix as the user typed it (raw text;
// analysis happens later).
type queryTerm struct {
	Text   string
	Phrase bool // from "..." : words must appear adjacent in order
	Prefix bool // a trailing * : the last word is a prefix
	Fix    bool // not typed: the correction of a misspelt word (typoFixes)
}

// queryGroup is a set of alternatives joined by OR; it counts once toward
// minimum-should-match.
type queryGroup []queryTerm

// parsedQuery is what parseQuery reads from the search box.
type parsedQuery struct {
	Groups   []queryGroup        // in query order; a plain word is a one-term group
	Excluded []queryTerm         // -word, -"phrase"
	Filters  map[string][]string // keys: "section","source","author","tags" (tag: maps to "tags"); values as typed, trimmed
	From, To time.Time           // from date: forms; zero means open; To is inclusive end (end of the day/month/year given)
}

// filterFields maps the field names of the query language (ASCII, any case)
// to the keys of parsedQuery.Filters.
var filterFields = map[string]string{
	"section": "section", "source": "source", "author": "author", "tag": "tags", "tags": "tags",
}

// parseQuery reads the search box. No text is an error except a date: form
// that is not a date; everything else degrades to a word search. The rules
// (docs/query-language.md has them with examples):
//
// Cleaning, before anything else: invalid UTF-8 bytes and control
// characters are spaces; the invisible marks the analyzer also removes
// (U+200C ZWNJ, U+200D ZWJ, U+200E LRM, U+200F RLM, U+061C ALM,
// U+202A–U+202E bidi embeddings and overrides, U+2066–U+2069 bidi isolates,
// U+FEFF BOM, U+00AD soft hyphen) are deleted wherever they are, so an RLM
// before a quote, a minus or inside "OR" breaks nothing; U+200B ZWSP is a
// space. Only the first maxQueryBytes (4096) bytes are read, cut at the last
// space before them.
//
// Words: a word ends at a space, at a quote, at | and at punctuation or a
// symbol (Unicode P* and S*: ، U+060C ؛ U+061B ؟ U+061F ( ) ! ? ; / # @ %,
// emoji, ...), except these, which stay inside a word: the hyphen-minus '-'
// (covid-19 is one word), ':' (foo:bar is text), the apostrophe, and the
// stars * ٭ U+066D ＊ U+FF0A. '.', ',', ٫ U+066B and ٬ U+066C separate words
// too, unless they stand between two digits (97.4, ١٬٥٠٠). A word in which
// the analyzer finds nothing to search (no letter or digit: "...", "ـــ",
// a lone "*" or "-") is dropped. Arabic-Indic digits stay as typed (the
// analyzer folds them). A word's Text may still hold several analyzer words
// (covid-19, ab*cd): Search should require them adjacent, like a phrase.
//
// Phrases: text between two quote characters is a phrase term. The quote
// characters are interchangeable: " U+0022, “ U+201C, ” U+201D, „ U+201E,
// « U+00AB, » U+00BB and ＂ U+FF02, so «المدرسة» and ”المدرسة“ are phrases.
// Inside a phrase nothing is an operator (-, OR, |, *, field: are text); its
// Text is its words (as above) joined by one space, at most maxPhraseWords
// (32) of them. A quoted single word is a phrase too: Search matches it in
// its unstemmed form, and synonyms leave it alone. A quote with no closing
// quote after it is a space: the rest is read as plain words and operators
// (a 500-character paste with one stray quote must not become one phrase).
//
// Exclusion: a word or phrase that starts with '-' (after a space or a
// separator) followed by something is excluded: -word, -"a phrase", -pre*.
// More dashes count as one (--word). A lone '-' and a '-' inside a word are
// text. An excluded field filter (-section:x) is dropped whole: it is not
// supported, and silently applying section:x would be the opposite.
//
// OR: the word OR (uppercase only: "or" is a word) or | between two terms
// puts them in one group, so a OR b OR c is one group of three; a leading,
// trailing or repeated OR (or |) is ignored, and so is an OR before or after
// an excluded term or a filter. A group keeps at most maxAlternatives (8)
// terms. The Arabic أو is a word (a stop word), not an operator.
//
// Prefix: one or more stars at the end of a word (الكتا*) make it a prefix
// term, Text without the stars, when the last analyzer word before them has
// at least minPrefixRunes (2) letters; otherwise the stars are dropped and
// the word is plain. Stars at the start of a word are dropped; a star inside
// a word is text.
//
// Field filters: section:, source:, author: and tag: (or tags:), any ASCII
// case, followed by a value: a quoted one (section:"شؤون دولية", with any
// quote pair) or the text up to the next space, quote, | or ، ؛ ؟ without
// trailing punctuation. Values are kept as typed, trimmed, inner spaces
// collapsed, at most maxFilterValues (16) per field; a field with no value
// (section: followed by a space) is ignored. A value with nothing to search
// is dropped. Repeated fields add values: Search should take the values of
// one field as alternatives and all fields together. Other name:value words
// (foo:bar, http:) are plain words.
//
// Dates: date: (any case) followed by one of, with ASCII or Arabic-Indic
// digits, times in UTC:
//
//	date:2024-05-01          that day           (also date:2024-05, date:2024)
//	date:2024-01..2024-03    January to March   (either side may be empty: date:2024.., date:..2024-02)
//	date:>=2024-05  date:>2024-05  date:<=2024  date:<2025
//	date:2024-05-01T09:30:00+03:00   an instant (RFC 3339), on any side of the forms above
//
// Several date: forms intersect. A date: value that is none of these, or a
// range that ends before it starts, is the only error, wrapping
// ErrInvalidQuery and naming date: and the accepted forms. An empty value
// (date: followed by a space) and an excluded -date: are ignored.
//
// Caps: at most maxGroups (32) groups and maxExcluded (16) excluded terms;
// later terms are ignored but filters and dates after them still apply.
// Repeated words are kept as they are. A query of only exclusions and
// filters has no Groups; Search decides what that lists.
func parseQuery(s string) (parsedQuery, error) {
	var (
		q         parsedQuery
		orPending bool // an OR came after the last group's term
		afterTerm bool // the last item added to a group
	)
	lx := queryLexer{s: cleanQuery(s)}
	for {
		it, ok := lx.next()
		if !ok {
			return q, nil
		}
		switch {
		case it.kind == itemOr:
			orPending = afterTerm
			continue
		case it.kind == itemField && it.neg:
			// -section:x is not supported; see the doc comment.
		case it.kind == itemField && it.field == "date":
			from, to, err := parseDateForm(it.value)
			if err != nil {
				return parsedQuery{}, err
			}
			if !from.IsZero() && (q.From.IsZero() || from.After(q.From)) {
				q.From = from
			}
			if !to.IsZero() && (q.To.IsZero() || to.Before(q.To)) {
				q.To = to
			}
		case it.kind == itemField:
			key := filterFields[it.field]
			if vals := q.Filters[key]; len(vals) < maxFilterValues && !slices.Contains(vals, it.value) {
				if q.Filters == nil {
					q.Filters = map[string][]string{}
				}
				q.Filters[key] = append(vals, it.value)
			}
		case it.neg:
			if len(q.Excluded) < maxExcluded {
				q.Excluded = append(q.Excluded, it.term)
			}
		case orPending && afterTerm:
			if last := &q.Groups[len(q.Groups)-1]; len(*last) < maxAlternatives {
				*last = append(*last, it.term)
			}
			orPending = false
			continue
		case len(q.Groups) < maxGroups:
			q.Groups = append(q.Groups, queryGroup{it.term})
			afterTerm, orPending = true, false
			continue
		}
		afterTerm, orPending = false, false
	}
}

// wordSpans returns the byte spans of the cleaned query s that hold the
// words searched for: plain words, phrases and prefixes, not excluded
// terms, field filters or date forms. Did-you-mean and typo corrections
// replace words inside them only, so section:x never becomes another
// section, nor date:2024 another date.
func wordSpans(s string) [][2]int {
	lx := queryLexer{s: s}
	var spans [][2]int
	for {
		start := lx.i
		it, ok := lx.next()
		if !ok {
			return spans
		}
		if it.kind == itemTerm && !it.neg {
			spans = append(spans, [2]int{start, lx.i})
		}
	}
}

// inSpans reports whether [start, end) lies inside one of spans.
func inSpans(spans [][2]int, start, end int) bool {
	for _, sp := range spans {
		if start >= sp[0] && end <= sp[1] {
			return true
		}
	}
	return false
}

// cleanQuery applies the cleaning rules of parseQuery.
func cleanQuery(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = strings.Map(func(r rune) rune {
		switch {
		case analyzer.IsInvisible(r):
			return -1
		case r == 0x200B || unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
	if len(s) > maxQueryBytes {
		cut := strings.LastIndexFunc(s[:maxQueryBytes+1], unicode.IsSpace)
		if cut <= 0 {
			for cut = maxQueryBytes; !utf8.RuneStart(s[cut]); cut-- {
			}
		}
		s = s[:cut]
	}
	return s
}

func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '＂':
		return true
	}
	return false
}

func isStar(r rune) bool { return r == '*' || r == '٭' || r == '＊' }

// isNumberSep reports the separators kept between two digits.
func isNumberSep(r rune) bool { return r == '.' || r == ',' || r == '٫' || r == '٬' }

// isSep reports the punctuation and symbols that end a word (see parseQuery).
func isSep(r rune) bool {
	if r == '-' || r == ':' || r == '\'' || isStar(r) || isNumberSep(r) {
		return false
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

type itemKind uint8

const (
	itemTerm itemKind = iota
	itemOr
	itemField
)

// queryItem is one lexical item of the query.
type queryItem struct {
	kind  itemKind
	neg   bool // after '-'
	term  queryTerm
	field string // filter key of filterFields, or "date"
	value string
}

// queryLexer cuts a cleaned query into items.
type queryLexer struct {
	s string
	i int
}

// next returns the next item, skipping separators and words with nothing to
// search; false at the end of the query.
func (lx *queryLexer) next() (queryItem, bool) {
	for lx.i < len(lx.s) {
		r, n := utf8.DecodeRuneInString(lx.s[lx.i:])
		switch {
		case r == '|':
			lx.i += n
			return queryItem{kind: itemOr}, true
		case isQuote(r):
			if it, ok := lx.phrase(false); ok {
				return it, true
			}
		case isSpace(r), isSep(r), isNumberSep(r), isStar(r):
			lx.i += n
		default:
			if it, ok := lx.word(); ok {
				return it, true
			}
		}
	}
	return queryItem{}, false
}

// phrase reads the quoted text at lx.i. An unmatched quote is skipped like
// a space; a phrase with nothing to search is skipped whole.
func (lx *queryLexer) phrase(neg bool) (queryItem, bool) {
	text, end, ok := quoted(lx.s, lx.i)
	if !ok {
		_, n := utf8.DecodeRuneInString(lx.s[lx.i:])
		lx.i += n
		return queryItem{}, false
	}
	lx.i = end
	words := splitWords(text, maxPhraseWords)
	if len(words) == 0 {
		return queryItem{}, false
	}
	return queryItem{neg: neg, term: queryTerm{Text: strings.Join(words, " "), Phrase: true}}, true
}

// quoted returns the text between the quote at s[i] and the next quote, and
// the offset after the closing quote; false when no quote closes it.
func quoted(s string, i int) (text string, end int, ok bool) {
	_, n := utf8.DecodeRuneInString(s[i:])
	j := strings.IndexFunc(s[i+n:], isQuote)
	if j < 0 {
		return "", 0, false
	}
	_, m := utf8.DecodeRuneInString(s[i+n+j:])
	return s[i+n : i+n+j], i + n + j + m, true
}

// word reads a word, an excluded word or phrase, OR, or a field filter at
// lx.i, which is neither a space nor a separator.
func (lx *queryLexer) word() (queryItem, bool) {
	s := lx.s
	neg := false
	if s[lx.i] == '-' {
		// The dashes, and stars after them (-*word), are the operator.
		r, n := rune('-'), 1
		for r == '-' || isStar(r) {
			lx.i += n
			r, n = utf8.DecodeRuneInString(s[lx.i:])
		}
		if isQuote(r) {
			return lx.phrase(true)
		}
		if lx.i == len(s) || isSpace(r) || isSep(r) || r == '|' {
			return queryItem{}, false // lone dashes
		}
		neg = true
	}
	if it, ok := lx.field(neg); ok {
		return it, it.value != ""
	}
	start := lx.i
	lx.i = wordEnd(s, lx.i)
	w := s[start:lx.i]
	if w == "OR" && !neg {
		return queryItem{kind: itemOr}, true
	}
	t := strings.TrimRightFunc(w, isStar)
	toks := analyzeWords(t)
	if len(toks) == 0 {
		return queryItem{}, false
	}
	prefix := t != w && utf8.RuneCountInString(toks[len(toks)-1]) >= minPrefixRunes
	return queryItem{neg: neg, term: queryTerm{Text: t, Prefix: prefix}}, true
}

// field reads a field filter at lx.i (name:value) and reports whether there
// is one; its value is empty when it has none to use.
func (lx *queryLexer) field(neg bool) (queryItem, bool) {
	s := lx.s
	j := lx.i
	for j < len(s) && (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z') {
		j++
	}
	if j == len(s) || s[j] != ':' {
		return queryItem{}, false
	}
	name := strings.ToLower(s[lx.i:j])
	if _, ok := filterFields[name]; !ok && name != "date" {
		return queryItem{}, false
	}
	it := queryItem{kind: itemField, neg: neg, field: name}
	lx.i = j + 1
	if r, _ := utf8.DecodeRuneInString(s[lx.i:]); isQuote(r) {
		text, end, ok := quoted(s, lx.i)
		if !ok {
			return it, true // the unmatched quote is a space: no value
		}
		lx.i = end
		it.value = strings.Join(strings.Fields(text), " ")
	} else {
		end := strings.IndexFunc(s[lx.i:], func(r rune) bool {
			return isSpace(r) || isQuote(r) || r == '|' || r == '،' || r == '؛' || r == '؟'
		})
		if end < 0 {
			end = len(s) - lx.i
		}
		it.value = s[lx.i : lx.i+end]
		lx.i += end
		if name == "date" {
			it.value = trimDateValue(it.value)
		} else {
			it.value = strings.TrimRightFunc(it.value, func(r rune) bool { return unicode.IsPunct(r) && r != '-' })
		}
	}
	if name != "date" && len(analyzeWords(it.value)) == 0 {
		it.value = ""
	}
	return it, true
}

// trimDateValue drops the punctuation a sentence may leave after a date
// (a closing parenthesis, a comma, a full stop that is not a range's "..").
func trimDateValue(v string) string {
	for v != "" {
		switch last := v[len(v)-1]; {
		case strings.IndexByte(",;!?)]}", last) >= 0:
		case last == '.' && !strings.HasSuffix(v, ".."):
		default:
			return v
		}
		v = v[:len(v)-1]
	}
	return v
}

// wordEnd returns where the word starting at s[i] ends (see parseQuery).
func wordEnd(s string, i int) int {
	prevDigit := false
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isNumberSep(r):
			next, _ := utf8.DecodeRuneInString(s[i+n:])
			if !prevDigit || !unicode.IsDigit(next) {
				return i
			}
		case isSpace(r), isQuote(r), isSep(r):
			return i
		}
		prevDigit = unicode.IsDigit(r)
		i += n
	}
	return i
}

// splitWords returns the first max words of s that have something to
// search, split as parseQuery splits words (no operators).
func splitWords(s string, max int) []string {
	var words []string
	for i := 0; i < len(s) && len(words) < max; {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) || isSep(r) || isNumberSep(r) {
			i += n
			continue
		}
		end := wordEnd(s, i)
		if end == i { // a quote: parseQuery never leaves one in a phrase
			end += n
		}
		if w := s[i:end]; len(analyzeWords(w)) > 0 {
			words = append(words, w)
		}
		i = end
	}
	return words
}

// normalized tokenizes and normalizes without stop words or stems; it is
// stateless, so one serves every goroutine.
var normalized = analyzer.NewNormalized()

// analyzeWords returns the normalized words the analyzer finds in s.
func analyzeWords(s string) []string {
	ts := normalized.Analyze([]byte(s))
	if len(ts) == 0 {
		return nil
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

// The date forms named in errors.
const (
	dateForms      = "YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339 (2024-05-01T09:30:00Z)"
	dateQueryForms = "date:YYYY, date:YYYY-MM, date:YYYY-MM-DD, a range date:A..B (either side may be empty) or date:>=A, date:>A, date:<=A, date:<A, where A and B are " + dateForms
)

// parseDateForm reads the value of a date: filter into an inclusive range;
// a zero bound is open.
func parseDateForm(v string) (from, to time.Time, err error) {
	d := foldDigits(v)
	bad := func(why string) error {
		return fmt.Errorf("%w: date: value %q %s; use %s", ErrInvalidQuery, v, why, dateQueryForms)
	}
	const notADate = "is not a date"
	span := dateSpan
	switch {
	case strings.Contains(d, ".."):
		a, b, _ := strings.Cut(d, "..")
		if a == "" && b == "" {
			return from, to, bad("has no date")
		}
		var ok bool
		if a != "" {
			if from, _, ok = span(a); !ok {
				return from, to, bad(notADate)
			}
		}
		if b != "" {
			if _, to, ok = span(b); !ok {
				return time.Time{}, to, bad(notADate)
			}
		}
		if !from.IsZero() && !to.IsZero() && to.Before(from) {
			return time.Time{}, time.Time{}, bad("ends before it starts")
		}
		return from, to, nil
	case strings.HasPrefix(d, ">="), strings.HasPrefix(d, "<="):
		start, end, ok := span(d[2:])
		if !ok {
			return from, to, bad(notADate)
		}
		if d[0] == '>' {
			return start, time.Time{}, nil
		}
		return time.Time{}, end, nil
	case strings.HasPrefix(d, ">"), strings.HasPrefix(d, "<"):
		start, end, ok := span(d[1:])
		if !ok {
			return from, to, bad(notADate)
		}
		if d[0] == '>' {
			return clampDate(end.Add(time.Nanosecond)), time.Time{}, nil
		}
		return time.Time{}, clampDate(start.Add(-time.Nanosecond)), nil
	}
	start, end, ok := span(d)
	if !ok {
		return from, to, bad(notADate)
	}
	return start, end, nil
}

// parseDateParam reads the from or to request parameter (name): RFC 3339,
// 2006-01-02, 2006-01 or 2006, with ASCII or Arabic-Indic digits, in UTC.
// It returns the start of the day, month or year given, or with end its last
// instant (an inclusive end); an instant is itself either way. An empty
// value is the zero time (open). The error wraps ErrInvalidQuery and names
// the parameter and the accepted forms.
func parseDateParam(name, s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	start, last, ok := dateSpan(foldDigits(s))
	if !ok {
		return time.Time{}, fmt.Errorf("%w: parameter %s=%q is not a date; use %s", ErrInvalidQuery, name, s, dateForms)
	}
	if end {
		return last, nil
	}
	return start, nil
}

// dateSpan returns the first and last instant of a year (2006), a month
// (2006-01) or a day (2006-01-02), or an instant of the forms parseDate
// reads (RFC 3339), in UTC.
func dateSpan(s string) (start, end time.Time, ok bool) {
	defer func() {
		// The zero time is an open bound: from=0001-01-01 must still
		// be a bound, which leaves out the articles with no date.
		if ok && start.IsZero() {
			start = start.Add(time.Nanosecond)
		}
	}()
	spans := []struct {
		layout string
		y, m   int
	}{{"2006", 1, 0}, {"2006-01", 0, 1}}
	for _, sp := range spans {
		if len(s) == len(sp.layout) {
			if t, err := time.Parse(sp.layout, s); err == nil {
				return t, t.AddDate(sp.y, sp.m, 0).Add(-time.Nanosecond), true
			}
		}
	}
	t, err := parseDate(s)
	if err != nil || s == "" {
		return time.Time{}, time.Time{}, false
	}
	if len(s) == len("2006-01-02") {
		return t, t.AddDate(0, 0, 1).Add(-time.Nanosecond), true
	}
	t = clampDate(t)
	return t, t, true
}

// The dates RFC 3339 can write: a time zone can move an instant of the
// years 0000 or 9999 out of them.
var (
	firstDate = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDate  = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

func clampDate(t time.Time) time.Time { return clampTime(t, firstDate, lastDate) }

// clampTime brings t within lo..hi.
func clampTime(t, lo, hi time.Time) time.Time {
	switch {
	case t.Before(lo):
		return lo
	case t.After(hi):
		return hi
	}
	return t
}

// foldDigits turns Arabic-Indic (U+0660–U+0669) and Persian (U+06F0–U+06F9)
// digits into ASCII ones.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x0660 && r <= 0x0669:
			return '0' + r - 0x0660
		case r >= 0x06F0 && r <= 0x06F9:
			return '0' + r - 0x06F0
		}
		return r
	}, s)
}

// String writes the query back in the query language, in a canonical form
// that parseQuery reads into the same parsedQuery (dates as RFC 3339
// bounds): groups, then excluded terms, filters and dates.
func (q parsedQuery) String() string {
	var parts []string
	for _, g := range q.Groups {
		alts := make([]string, len(g))
		for i, t := range g {
			alts[i] = t.String()
		}
		parts = append(parts, strings.Join(alts, " OR "))
	}
	for _, t := range q.Excluded {
		parts = append(parts, "-"+t.String())
	}
	for _, k := range slices.Sorted(maps.Keys(q.Filters)) {
		name := k
		if k == "tags" {
			name = "tag"
		}
		for _, v := range q.Filters[k] {
			parts = append(parts, name+`:"`+v+`"`)
		}
	}
	if !q.From.IsZero() {
		parts = append(parts, "date:>="+q.From.Format(time.RFC3339Nano))
	}
	if !q.To.IsZero() {
		parts = append(parts, "date:<="+q.To.Format(time.RFC3339Nano))
	}
	return strings.Join(parts, " ")
}

// String writes one term as typed: "phrase", prefix*, or the word.
func (t queryTerm) String() string {
	switch {
	case t.Phrase:
		return `"` + t.Text + `"`
	case t.Prefix:
		return t.Text + "*"
	}
	return t.Text
}
