package index

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// plan is a parsed query turned into bleve queries.
type plan struct {
	score    *scoreQuery   // ranked part; nil when the query has no words (browse)
	required []query.Query // phrases and filters every hit must match
	excluded []query.Query // -words and -"phrases"
	match    termMatcher   // what snippets mark
}

// maxExpansions caps the terms a trailing-* prefix expands to, as
// Elasticsearch's max_expansions (50): the most frequent ones are kept.
const maxExpansions = 50

// tierBonus is added to the score of a hit that holds every word of a
// query of up to tierWords words, so that such hits rank above the rest
// whatever their BM25 score. BM25 sums of real queries stay far below it.
//
// Minimum-should-match is 1: an article holding any of the words is a hit,
// so a missing word never empties the page. For up to three words (what
// people type into a search box) articles holding all of them rank first;
// the others follow by score, in which each matched word adds, so articles
// holding most of the words come next. Longer queries (pasted sentences)
// and questions of any length (isQuestion) rank by score alone: on the dev
// sets a tier for them, or a minimum-should-match filter of a quarter to a
// half of the words, lost 0.003 to 0.05 nDCG@10 (docs/relevance.md).
const tierBonus = 1000

// tierWords is the longest query whose all-words hits form a tier.
const tierWords = 3

// isQuestion reports whether a query is phrased as a question: it ends
// with a question mark or begins with a question word (ما، ماذا، متى،
// كيف ...; ماهو and ماهي glued; after و or ف). A question is natural
// language, as a long query is, so it ranks by score alone however few
// its content words: on the dev sets, all of them questions, the tier cost
// 0.003 nDCG@10 on arwiki-qa (docs/relevance.md).
func isQuestion(query string) bool {
	q := strings.TrimSpace(query)
	if strings.HasSuffix(q, "؟") || strings.HasSuffix(q, "?") {
		return true
	}
	toks := analyzer.Tokenizer{}.Tokenize([]byte(q))
	if len(toks) == 0 {
		return false
	}
	w := string(analyzer.Normalize(toks[0].Term))
	if questionWords[w] || w == "ماهو" || w == "ماهي" {
		return true
	}
	if rest, ok := strings.CutPrefix(w, "و"); ok && questionWords[rest] {
		return true
	}
	rest, ok := strings.CutPrefix(w, "ف")
	return ok && questionWords[rest]
}

// plan turns a parsed query and the request's filters into bleve queries.
//
// Each group of the query (a word, a phrase or a prefix, with its OR and
// synonym alternatives) becomes BM25 clauses sharing one group number:
// stemmed terms in title, body and lead, normalized unstemmed terms in the
// exact field, and, for several words, adjacent stem pairs. A group counts
// as matched when any of its clauses matches; in a query of up to
// tierWords groups, hits matching all of them get Ranking.Tier. A phrase
// the user typed in quotes is also required as a phrase; -words exclude
// articles holding their stem anywhere in title, summary or body.
func (ix *Index) plan(pq parsedQuery, req *Request) *plan {
	r := req.ranking()
	p := &plan{match: termMatcher{stems: map[string]bool{}, exact: map[string]bool{}}}
	groups := ix.synonyms.expand(pq.Groups)
	q := &scoreQuery{Params: bm25Params{K1: r.K1, B: r.B}, CoordExp: r.Coord, AvgLen: ix.avgLengths(), Window: r.Window, PairHits: ix.pairHits, Postings: ix.postings}
	if req.Recency > 0 {
		now := req.Now
		if now.IsZero() {
			now = time.Now()
		}
		q.Recency = &recency{HalfLife: req.Recency, Now: now}
	}
	typed := typedWords(pq.Groups)
	quotedOnly := ix.onlyQuoted(pq.Groups)
	var plain []string // the query's typed words in order, for pairs
	n := 0
	for _, g := range groups {
		before := len(q.Clauses)
		for _, t := range g {
			joined := ix.joinedWords(t) // covid-19: analyzed once, read by two cases
			switch {
			case t.Prefix:
				ix.addPrefix(q, p, t.Text, n, r)
			case t.Phrase && len(g) == 1 && len(ix.exact.Analyze([]byte(t.Text))) == 1:
				// "a word" in quotes: that word, not others of its stem.
				ix.addExact(q, p, t.Text, n, r.Text+r.Exact, quotedOnly)
			case len(g) == 1 && (t.Phrase || joined):
				// "a phrase" in quotes, or covid-19: one typed word of
				// several analyzer words, searched as their phrase.
				ix.addPhrase(q, p, t.Text, n, r, quotedOnly)
				if quotedOnly {
					p.required = append(p.required, ix.phraseQuery(t.Text))
				}
			case t.Fix: // the correction of a word no article holds
				ix.addWords(q, p, t.Text, n, r.scaled(r.Typo))
			case joined:
				// covid-19 beside its other spellings: as a phrase
				// beside other words, its words and their adjacency.
				ix.addPhrase(q, p, t.Text, n, r, quotedOnly) // required with the others: anySpelling
			case typed.has(t.Text): // as typed (several words when a synonym matched them)
				ix.addWords(q, p, t.Text, n, r)
				plain = append(plain, t.Text)
			case ix.severalWords(t.Text):
				// Another spelling of several words (تنظيم الدولة,
				// كوفيد-19): its words adjacent.
				ix.addPairs(q, t.Text, n, synonymWeight*r.Text)
				ix.markWords(p, t.Text)
			default: // another spelling of one word
				ix.addWords(q, p, t.Text, n, r.scaled(synonymWeight))
			}
		}
		if quotedOnly && len(g) > 1 {
			// covid-19 alone, with its other spellings: one of them.
			p.required = append(p.required, ix.anySpelling(g))
		}
		if len(q.Clauses) > before { // a group of stop words alone does not count
			n++
		}
	}
	if r.Pairs != 0 && len(plain) > 1 {
		ix.addPairs(q, strings.Join(plain, " "), -1, r.Pairs)
	}
	if n > 0 {
		q.NGroups = n
		if n <= tierWords && !isQuestion(req.Query) {
			q.MinGroups = n
		}
		q.TierBonus = r.Tier
		p.score = q
	}
	for _, t := range pq.Excluded {
		if t.Phrase || ix.joinedWords(t) { // -covid-19 is not -covid -19
			p.excluded = append(p.excluded, ix.phraseQuery(t.Text))
			continue
		}
		m := bleve.NewMatchQuery(t.Text)
		m.SetField(fieldText)
		p.excluded = append(p.excluded, m)
	}
	p.required = append(p.required, filterQueries(mergeFilter(req.Filter, pq))...)
	return p
}

// synonymWeight scales the score of a synonym's other spellings: the
// words typed count fully, ترمب for ترامب half (docs/relevance.md).
const synonymWeight = 0.5

// scaled returns the ranking with its term weights multiplied by w.
func (r Ranking) scaled(w float64) Ranking {
	r.Text, r.Exact, r.Title, r.Lead = r.Text*w, r.Exact*w, r.Title*w, r.Lead*w
	return r
}

// wordSet is the set of words and phrases the user typed.
type wordSet map[string]bool

func (s wordSet) has(text string) bool {
	if s[text] {
		return true
	}
	for _, w := range strings.Fields(text) {
		if !s[w] {
			return false
		}
	}
	return strings.TrimSpace(text) != ""
}

// typedWords returns the texts of the query's terms and their words.
func typedWords(groups []queryGroup) wordSet {
	s := wordSet{}
	for _, g := range groups {
		for _, t := range g {
			if t.Fix {
				continue
			}
			s[t.Text] = true
			for _, w := range strings.Fields(t.Text) {
				s[w] = true
			}
		}
	}
	return s
}

// markWords makes snippets mark the words of text, another spelling of
// several words, without scoring them: where they stand together (as its
// pairs match), not each alone (تنظيم الدولة for داعش must not mark
// every دول).
func (ix *Index) markWords(p *plan, text string) {
	var run [][]string // per word, its readings (a stemmer's second one stands at its position)
	last := -1
	for _, t := range ix.stem.Analyze([]byte(text)) {
		if t.Position != last {
			run = append(run, nil)
			last = t.Position
		}
		run[len(run)-1] = append(run[len(run)-1], string(t.Term))
	}
	switch {
	case len(run) == 1:
		for _, r := range run[0] {
			p.match.stems[r] = true
		}
	case len(run) > 1:
		p.match.phrases = append(p.match.phrases, run)
	}
}

// anySpelling requires one of the alternatives of a group: each of
// several words as a phrase, each single word in any form of its stem.
func (ix *Index) anySpelling(g queryGroup) query.Query {
	var alts []query.Query
	for _, t := range g {
		if t.Fix || t.Prefix {
			continue
		}
		if t.Phrase || ix.severalWords(t.Text) {
			alts = append(alts, ix.phraseQuery(t.Text))
			continue
		}
		m := bleve.NewMatchQuery(t.Text)
		m.SetField(fieldText)
		alts = append(alts, m)
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// joinedWords reports whether t is a plain word of the query that holds
// several analyzer words, joined by a hyphen or an apostrophe (covid-19,
// إف-35), which parseQuery keeps inside a word: Search
// takes it as the phrase of those words, as if quoted. A stemmer's second
// reading of a word stands at its position and does not count.
func (ix *Index) joinedWords(t queryTerm) bool {
	return !t.Phrase && !t.Prefix && !t.Fix && ix.joinedText(t.Text)
}

// severalWords reports whether text is several words: spaced, or joined
// (joinedText).
func (ix *Index) severalWords(text string) bool {
	return hasSpace(text) || ix.joinedText(text)
}

func hasSpace(text string) bool {
	return strings.ContainsFunc(strings.TrimSpace(text), unicode.IsSpace)
}

// joinedText reports whether text has no space and several analyzer words
// joined by a hyphen or an apostrophe (covid-19, O'Neill); not by a colon:
// sport:غزة is a filter name mistyped or text, searched word by word.
func (ix *Index) joinedText(text string) bool {
	if hasSpace(text) || !strings.ContainsAny(text, "-'’") || strings.Contains(text, ":") {
		return false
	}
	ts := ix.stem.Analyze([]byte(text))
	for _, t := range ts[min(1, len(ts)):] {
		if t.Position != ts[0].Position {
			return true
		}
	}
	return false
}

// addPhrase adds the words of a phrase to group g, and their pairs. When
// the phrase is required, snippets mark it where its words stand
// together, not each word wherever it stands (الأمم المتحدة must not mark
// the المتحدة of الولايات المتحدة).
func (ix *Index) addPhrase(q *scoreQuery, p *plan, text string, g int, r Ranking, required bool) {
	if required {
		ix.addWords(q, nil, text, g, r)
		ix.markWords(p, text)
	} else {
		ix.addWords(q, p, text, g, r)
	}
	ix.addPairs(q, text, g, r.Text)
}

// addWords adds the stemmed and exact clauses of some text to group g, and
// makes snippets mark its words unless p is nil.
func (ix *Index) addWords(q *scoreQuery, p *plan, text string, g int, r Ranking) {
	add := func(field, term string, w float64) {
		if w != 0 {
			q.Clauses = append(q.Clauses, termClause{Field: field, Term: term, Weight: w})
			q.Groups = append(q.Groups, g)
		}
	}
	for _, t := range termCounts(ix.stem.Analyze([]byte(text))) {
		add(fieldText, t.term, r.Text*float64(t.n))
		add(fieldTitle, t.term, r.Title*float64(t.n))
		add(fieldLead, t.term, r.Lead*float64(t.n))
		if p != nil {
			p.match.stems[t.term] = true
		}
	}
	for _, t := range termCounts(ix.exact.Analyze([]byte(text))) {
		add(fieldExact, t.term, r.Exact*float64(t.n))
		if p != nil {
			p.match.exact[t.term] = true
		}
	}
}

// onlyQuoted reports whether every group of the query is one quoted
// phrase or word, or a word of joined words (joinedWords). Only then are quotes required: news headlines and
// pasted sentences quote words for emphasis («...», "..."), and requiring
// those phrases beside the other words lost a fifth of news-headlines'
// recall@100 (docs/relevance.md); beside other words a quoted phrase is
// scored as a phrase instead (its words and their adjacency).
func (ix *Index) onlyQuoted(groups []queryGroup) bool {
	for _, g := range groups {
		if len(g) != 1 || !g[0].Phrase && !ix.joinedWords(g[0]) {
			return false
		}
	}
	return len(groups) > 0
}

// addExact adds a word in its normalized, unstemmed form alone, and
// requires it if require is set.
func (ix *Index) addExact(q *scoreQuery, p *plan, text string, g int, w float64, require bool) {
	for _, t := range termCounts(ix.exact.Analyze([]byte(text))) {
		q.Clauses = append(q.Clauses, termClause{Field: fieldExact, Term: t.term, Weight: w * float64(t.n)})
		q.Groups = append(q.Groups, g)
		p.match.exact[t.term] = true
		if !require {
			continue
		}
		tq := bleve.NewTermQuery(t.term)
		tq.SetField(fieldExact)
		p.required = append(p.required, tq)
	}
}

// addPairs adds the adjacent stem pairs of some text (analyzer.PairFilter
// over its stems) to group g, to be found in the text field's positions.
func (ix *Index) addPairs(q *scoreQuery, text string, g int, w float64) {
	if w == 0 {
		return
	}
	for _, t := range termCounts(analyzer.PairFilter{}.Filter(ix.stem.Analyze([]byte(text)))) {
		if first, second, ok := strings.Cut(t.term, " "); ok {
			q.Pairs = append(q.Pairs, pairClause{Field: fieldText, First: first, Second: second, Weight: w * float64(t.n), Group: g})
		}
	}
}

// addPrefix adds a trailing-* word: the normalized prefix expands to the
// most frequent unstemmed words that start with it, or with it behind a
// clitic (prefixForms: استثما* finds الاستثمار and للاستثمار, as a plain word
// finds its clitic forms), scored in the exact field with the weight of a
// stemmed match.
func (ix *Index) addPrefix(q *scoreQuery, p *plan, text string, g int, r Ranking) {
	prefix := strings.ToLower(string(analyzer.Normalize([]byte(strings.TrimSpace(text)))))
	if prefix == "" {
		return
	}
	var all []termCount
	for _, form := range prefixForms(prefix) {
		p.match.prefixes = append(p.match.prefixes, form)
		all = append(all, ix.expandPrefix(form, maxExpansions)...)
	}
	for _, t := range topCounts(all, maxExpansions, func(t termCount) uint64 { return uint64(t.n) }) {
		q.Clauses = append(q.Clauses, termClause{Field: fieldExact, Term: t.term, Weight: r.Text + r.Exact})
		q.Groups = append(q.Groups, g)
	}
}

// prefixForms returns the normalized prefix and the same behind the
// clitics written before a word: و ف (and) and ب ك (prepositions) before
// the article ال, ل before it as لل, and و ف ب ك ل alone.
//
// Normalization writes the أل and إل that begin words such as ألعاب، ألغام،
// إلكتروني as ال, so a prefix's forms behind the article can spell another
// word (عاب* would find ألعاب), and a clitic letter before a short prefix
// too (و + زير is وزير, ب + حث is بحث): a prefix of fewer than 4 letters
// keeps to itself. A prefix that starts with ال is read both ways: as the
// article, whatever its length (الكتا* finds والكتاب، للكتابة), and as the
// word's own letters (إلكترو* finds الإلكترونية).
func prefixForms(prefix string) []string {
	out := []string{prefix}
	behind := func(core string, article bool) {
		if !article && utf8.RuneCountInString(core) < 4 {
			return
		}
		for _, conj := range []string{"", "و", "ف"} {
			for _, prep := range []string{"", "ب", "ك"} {
				if c := conj + prep; c != "" || !article {
					out = append(out, c+"ال"+core) // with the article: الكتاب ... وبالكتاب
				}
				if c := conj + prep; c != "" && !article {
					out = append(out, c+core) // a bare clitic: وكتاب, بكتاب
				}
			}
			out = append(out, conj+"لل"+core) // ل + ال
			if !article {
				out = append(out, conj+"ل"+core)
			}
		}
	}
	if core, ok := strings.CutPrefix(prefix, "ال"); ok && utf8.RuneCountInString(core) >= minPrefixRunes {
		behind(core, true)
	}
	behind(prefix, false)
	seen := map[string]bool{}
	return slices.DeleteFunc(out, func(f string) bool {
		dup := seen[f]
		seen[f] = true
		return dup
	})
}

// expandPrefix returns up to n terms of the exact field starting with
// prefix, the most frequent first, with their document counts.
func (ix *Index) expandPrefix(prefix string, n int) []termCount {
	dict, err := ix.bleve.FieldDictPrefix(fieldExact, []byte(prefix))
	if err != nil {
		return nil
	}
	defer dict.Close()
	count := func(t termCount) uint64 { return uint64(t.n) }
	var top []termCount
	for scanned := 0; scanned < 100000; scanned++ {
		e, err := dict.Next()
		if err != nil || e == nil {
			break
		}
		top = append(top, termCount{term: e.Term, n: int(e.Count)})
		if len(top) > 4*n { // keep the slice small: drop the rarest
			top = topCounts(top, n, count)
		}
	}
	return topCounts(top, n, count)
}

func topCounts[T any](xs []T, n int, count func(T) uint64) []T {
	slices.SortStableFunc(xs, func(a, b T) int { return cmp.Compare(count(b), count(a)) })
	if len(xs) > n {
		xs = xs[:n]
	}
	return xs
}

// phraseQuery requires the words of text adjacent and in order in the
// title, the summary or the body: the text field, whose positions keep
// its three values apart (stemmed, so a phrase matches its inflected and
// variant spellings).
func (ix *Index) phraseQuery(text string) query.Query {
	m := bleve.NewMatchPhraseQuery(text)
	m.SetField(fieldText)
	return m
}

// mergeFilter combines the request's filter with the field filters and
// date range typed in the query: values add up, dates intersect.
func mergeFilter(f Filter, pq parsedQuery) Filter {
	f.Sections = append(slices.Clone(f.Sections), pq.Filters["section"]...)
	f.Sources = append(slices.Clone(f.Sources), pq.Filters["source"]...)
	f.Authors = append(slices.Clone(f.Authors), pq.Filters["author"]...)
	f.Tags = append(slices.Clone(f.Tags), pq.Filters["tags"]...)
	if !pq.From.IsZero() && (f.From.IsZero() || pq.From.After(f.From)) {
		f.From = pq.From
	}
	if !pq.To.IsZero() && (f.To.IsZero() || pq.To.Before(f.To)) {
		f.To = pq.To
	}
	return f
}

// filterQueries returns one required query per constrained field.
func filterQueries(f Filter) []query.Query {
	var out []query.Query
	for field, values := range map[string][]string{"section": f.Sections, "source": f.Sources, "author": f.Authors, "tags": f.Tags} {
		if len(values) == 0 {
			continue
		}
		var alts []query.Query
		for _, v := range values {
			t := bleve.NewTermQuery(strings.TrimSpace(v))
			t.SetField(field)
			alts = append(alts, t)
		}
		out = append(out, bleve.NewDisjunctionQuery(alts...))
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		out = append(out, publishedRange(f.From, f.To))
	}
	return out
}

// indexableDate brings a bound of a date range within the dates bleve can
// index (minDate to maxDate), which hold every article's date: a range
// reaching beyond them reaches their end, and one wholly outside them
// matches nothing, instead of failing. The zero time (open) stays zero.
func indexableDate(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return clampTime(t, minDate, maxDate)
}

// publishedRange filters on published_at from..to, both included (a zero
// bound is open), within the dates an index holds (indexableDate).
func publishedRange(from, to time.Time) query.Query {
	yes := true
	d := bleve.NewDateRangeInclusiveQuery(indexableDate(from), indexableDate(to), &yes, &yes)
	d.SetField(fieldPublished)
	return d
}

// query assembles the plan into one bleve query.
func (p *plan) query() query.Query {
	var main query.Query
	if p.score != nil {
		main = p.score
	} else {
		main = bleve.NewMatchAllQuery()
	}
	if len(p.required) == 0 && len(p.excluded) == 0 {
		return main
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(main)
	if len(p.excluded) > 0 {
		b.AddMustNot(p.excluded...)
	}
	if len(p.required) > 0 {
		b.AddFilter(bleve.NewConjunctionQuery(p.required...))
	}
	return b
}

type termCount struct {
	term  string
	n     int
	group int // one per word of the query: two readings of one word share it
}

// termCounts returns the distinct terms of a token stream in first-seen
// order with their counts; terms at one position (two readings of a word)
// share a group.
func termCounts(ts analysis.TokenStream) []termCount {
	var out []termCount
	idx := map[string]int{}
	group, lastPos := -1, -1
	for _, t := range ts {
		if t.Position != lastPos {
			group, lastPos = group+1, t.Position
		}
		s := string(t.Term)
		if i, ok := idx[s]; ok {
			out[i].n++
			continue
		}
		idx[s] = len(out)
		out = append(out, termCount{term: s, n: 1, group: group})
	}
	return out
}

// tier returns the score added to hits holding all the words, or 0.
func (p *plan) tier() float64 {
	if p.score == nil || p.score.MinGroups == 0 {
		return 0
	}
	return p.score.TierBonus
}
