package index

// Bahth's own top-k collection for searches ranked by score, so that the
// BM25 disjunction can skip what cannot enter the page (prune.go); bleve's
// collector does not pass its k-th score to the searcher.
//
// The order is bleve's "-_score, id" exactly: score, highest first, then
// the article id, where the score of the window's documents includes the
// typed words' pairs and that of the others does not (rescore.go). Ids are read only for the documents that end on the page
// and for those tied at its lowest score, not for every match as sorting
// on the id field does. Filters and excluded words are read first, as sets
// of documents, so that a candidate they reject never counts towards the
// k-th score. The total is exact up to a limit (Request.ExactTotal,
// TotalLimit): the documents the search saw count first, and when fewer
// than the limit were seen the matching documents are counted from their
// postings, without reading frequencies or norms, until the limit.

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// pruning turns top-k pruning on, and rankWithBleve sends ranked
// searches to bleve's collector instead: tests compare the three.
var (
	pruning       = true
	rankWithBleve = false
)

// docSet is a set of document numbers.
type docSet []uint64

func (s *docSet) add(doc uint64) {
	w := int(doc / 64)
	if w >= len(*s) {
		*s = append(*s, make([]uint64, w+1-len(*s))...)
	}
	(*s)[w] |= 1 << (doc % 64)
}

func (s docSet) has(doc uint64) bool {
	w := int(doc / 64)
	return w < len(s) && s[w]&(1<<(doc%64)) != 0
}

// topRequest is one ranked search for searchTop.
type topRequest struct {
	score    *scoreQuery
	required []query.Query // every hit matches all of them (filters, phrases)
	excluded []query.Query // no hit matches any of them
	k        int           // hits wanted
	after    []string      // a cursor's score and id: only hits after it
	fields   []string      // stored fields to load
	noTotal  bool          // the caller needs no count of the matches
	explain  bool          // attach score explanations to the hits

	// groups, when positive, stops loading hits once they hold that many
	// wire groups (fields must include fieldWire): a folding search needs
	// no more, and each stored article loaded is read and decompressed
	// whole (a third of them are loaded now, where collapseOverfetch
	// asked for three per hit shown).
	groups int

	// totalLimit, when positive, stops the count there: the total is
	// then totalLimit and "at least" (Request.ExactTotal).
	totalLimit uint64
}

// topHit is a document of the running top k.
type topHit struct {
	doc   uint64
	score float64
	parts scoreParts // of the score, for rescoring
	id    string     // read at the end
}

// topHeap keeps the k best documents by score (lowest first) and, apart,
// those tied with the lowest, which the id may still bring onto the page.
type topHeap struct {
	k    int
	h    []topHit
	ties []topHit
}

// theta is the score a document needs to enter, or -Inf until k are held.
func (t *topHeap) theta() float64 {
	if len(t.h) < t.k {
		return math.Inf(-1)
	}
	return t.h[0].score
}

func (t *topHeap) add(x topHit) {
	if len(t.h) < t.k {
		t.h = append(t.h, x)
		for i := len(t.h) - 1; i > 0; {
			up := (i - 1) / 2
			if t.h[up].score <= t.h[i].score {
				break
			}
			t.h[up], t.h[i] = t.h[i], t.h[up]
			i = up
		}
		return
	}
	low := t.h[0].score
	switch {
	case x.score < low:
		return
	case x.score == low:
		t.ties = append(t.ties, x)
		return
	}
	out := t.h[0]
	t.h[0] = x
	for i := 0; ; {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(t.h) && t.h[l].score < t.h[m].score {
			m = l
		}
		if r < len(t.h) && t.h[r].score < t.h[m].score {
			m = r
		}
		if m == i {
			break
		}
		t.h[i], t.h[m] = t.h[m], t.h[i]
		i = m
	}
	if t.h[0].score == low {
		t.ties = append(t.ties, out)
	} else {
		t.ties = t.ties[:0]
	}
}

// searchTop returns the top k hits of a ranked search in bleve's order
// (score, then id) with their stored fields, and the number of matches,
// or tr.totalLimit and atLeast true when there are at least that many.
func (ix *Index) searchTop(ctx context.Context, tr topRequest) ([]*search.DocumentMatch, uint64, bool, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, 0, false, fmt.Errorf("reading the index: %w", err)
	}
	defer r.Close()
	var allow, deny docSet
	if len(tr.required) > 0 {
		if allow, err = ix.docsOf(ctx, r, query.NewConjunctionQuery(tr.required)); err != nil {
			return nil, 0, false, err
		}
	}
	if len(tr.excluded) > 0 {
		if deny, err = ix.docsOf(ctx, r, query.NewDisjunctionQuery(tr.excluded)); err != nil {
			return nil, 0, false, err
		}
	}
	accept := func(doc uint64) bool {
		return (tr.required == nil || allow.has(doc)) && !deny.has(doc)
	}
	srch, err := tr.score.Searcher(ctx, r, ix.bleve.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, 0, false, err
	}
	s := srch.(*sumSearcher)
	defer s.Close()
	ids, err := r.DocValueReader([]string{fieldID})
	if err != nil {
		return nil, 0, false, err
	}
	idOf := func(doc uint64) string {
		var id string
		_ = ids.VisitDocValues(docID(doc), func(field string, term []byte) {
			if field == fieldID {
				id = string(term)
			}
		})
		return id
	}
	var after *topHit
	if tr.after != nil {
		v, err := strconv.ParseFloat(tr.after[0], 64)
		if err != nil {
			return nil, 0, false, invalidf("cursor is not one this server returned (pass next_cursor from the previous page unchanged)")
		}
		after = &topHit{score: v, id: tr.after[1]}
	}
	isAfter := func(h topHit) bool { // h, its id read, comes after the cursor
		return h.score < after.score || h.score == after.score && h.id > after.id
	}
	prune := pruning && s.canPrune()
	if err := s.startPruning(); err != nil {
		return nil, 0, false, err
	}
	// rest keeps the best documents after the cursor by phase-1 score, win
	// the window (rescore.go): the same heap without a cursor, else one
	// of its own, and rest keeps the window's size more, which the window
	// may take.
	window := 0
	if len(s.rescore) > 0 {
		window = tr.score.Window
	}
	rest := &topHeap{k: tr.k}
	var win *topHeap
	switch {
	case window > 0 && after == nil:
		rest.k = max(tr.k, window)
		win = rest
	case window > 0:
		rest.k = tr.k + window
		win = &topHeap{k: window}
	}
	theta := func() float64 {
		if win != nil && win != rest {
			return min(win.theta(), rest.theta())
		}
		return rest.theta()
	}
	take := func(doc uint64, score float64, parts scoreParts) {
		h := topHit{doc: doc, score: score, parts: parts}
		if win != nil && win != rest {
			win.add(h)
		}
		if after != nil && (score > after.score || score == after.score && idOf(doc) <= after.id) {
			return
		}
		rest.add(h)
	}
	var total uint64
	bounded := false // boundTop saw every match
	if prune && boundSearch {
		if total, bounded, err = s.boundTop(ctx, r, accept, rest.k, theta, take); err != nil {
			return nil, 0, false, err
		}
	}
	for n := 0; !bounded; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return nil, 0, false, ctx.Err()
		}
		th := math.Inf(-1)
		if prune {
			th = theta()
		}
		doc, score, found, err := s.nextTop(th, accept)
		if err != nil {
			return nil, 0, false, err
		}
		if !found {
			break
		}
		total++
		take(doc, score, s.prune.last)
	}
	switch {
	case !prune || bounded || tr.noTotal || math.IsInf(theta(), -1):
		// every match was seen
	case tr.totalLimit > 0 && total >= tr.totalLimit:
		// seen enough: no need to count
	case tr.totalLimit > 0 && tr.required == nil && tr.excluded == nil && s.widest() >= tr.totalLimit:
		total = s.widest() // one clause matches enough (its count excludes deleted documents)
	default: // pruning may have skipped some
		if total, err = ix.countMatches(ctx, r, tr.score, s, accept, tr.totalLimit); err != nil {
			return nil, 0, false, err
		}
	}
	atLeast := tr.totalLimit > 0 && total >= tr.totalLimit // the same answer however it was counted
	if atLeast {
		total = tr.totalLimit
	}
	page := rest.sorted(idOf)
	rescored := map[uint64]bool{}
	if win != nil {
		top := page
		if win != rest {
			top = win.sorted(idOf)
		}
		top = slices.Clone(top[:min(window, len(top))])
		if err := rescore(ctx, r, s, top); err != nil {
			return nil, 0, false, err
		}
		sortHits(top)
		var out []topHit
		for _, h := range top {
			rescored[h.doc] = true
			if after == nil || isAfter(h) {
				out = append(out, h)
			}
		}
		for _, h := range page {
			if !rescored[h.doc] {
				out = append(out, h)
			}
		}
		page = out
	}
	page = page[:min(len(page), tr.k)]
	var expl map[uint64]*search.Explanation
	if tr.explain {
		docs := make([]uint64, len(page))
		for i, h := range page {
			docs[i] = h.doc
		}
		if expl, err = ix.explainDocs(ctx, r, tr.score, docs, rescored); err != nil {
			return nil, 0, false, err
		}
	}
	hits := make([]*search.DocumentMatch, 0, len(page))
	load := &bleve.SearchRequest{Fields: tr.fields}
	groups := map[string]bool{}
	for _, h := range page {
		m := &search.DocumentMatch{ID: h.id, Score: h.score, IndexInternalID: docID(h.doc), Expl: expl[h.doc]}
		if err, _ := bleve.LoadAndHighlightFields(m, load, "", r, nil); err != nil {
			return nil, 0, false, fmt.Errorf("article %s: %w", h.id, err)
		}
		hits = append(hits, m)
		if tr.groups > 0 {
			key, _ := m.Fields[fieldWire].(string)
			if key == "" {
				key = "\x00" + h.id
			}
			if groups[key] = true; len(groups) == tr.groups {
				break // the hits after these fold into them or come later
			}
		}
	}
	return hits, total, atLeast, nil
}

// sorted returns the heap's documents with their ids in the search's
// order (score, then id), cut to k: the ties at the lowest score that
// the ids leave out are dropped.
func (t *topHeap) sorted(idOf func(uint64) string) []topHit {
	page := append(slices.Clone(t.h), t.ties...)
	slices.SortFunc(page, func(a, b topHit) int { return cmp.Compare(a.doc, b.doc) }) // doc values are read in chunks
	for i := range page {
		page[i].id = idOf(page[i].doc)
	}
	sortHits(page)
	return page[:min(len(page), t.k)]
}

// sortHits sorts hits by score, highest first, then id.
func sortHits(hits []topHit) {
	slices.SortFunc(hits, func(a, b topHit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
}

// widest is the number of documents the searcher's commonest term matches.
func (s *sumSearcher) widest() uint64 {
	var n uint64
	for _, c := range s.children {
		if c.reader != nil {
			n = max(n, c.reader.Count())
		}
	}
	return n
}

// docsOf returns the documents matching q.
func (ix *Index) docsOf(ctx context.Context, r bindex.IndexReader, q query.Query) (docSet, error) {
	s, err := q.Searcher(ctx, r, ix.bleve.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var set docSet
	for {
		m, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return set, nil
		}
		set.add(docNum(m.IndexInternalID))
		sctx.DocumentMatchPool.Put(m)
	}
}

// countMatches counts the documents the pruned search matched, skipped or
// not: the union of its clauses' postings and its pairs, as accept filters
// them. The union is scorch's unadorned disjunction, an OR of the
// postings' bitmaps with no frequency or norm read. A title or lead clause
// adds nothing to the text clause of its term (the text field holds the
// title and the lead). With limit positive, it stops at limit.
func (ix *Index) countMatches(ctx context.Context, r bindex.IndexReader, q *scoreQuery, s *sumSearcher, accept func(uint64) bool, limit uint64) (uint64, error) {
	inText := map[string]bool{}
	for _, c := range q.Clauses {
		if c.Field == fieldText {
			inText[c.Term] = true
		}
	}
	seen := map[termClause]bool{}
	var readers []bindex.TermFieldReader
	defer func() {
		for _, tfr := range readers {
			_ = tfr.Close()
		}
	}()
	var octx bindex.OptimizableContext
	optimizable := true
	for _, c := range q.Clauses {
		key := termClause{Field: c.Field, Term: c.Term}
		if seen[key] || (c.Field == fieldTitle || c.Field == fieldLead) && inText[c.Term] {
			continue
		}
		seen[key] = true
		tfr, err := r.TermFieldReader(ctx, []byte(c.Term), c.Field, false, false, false)
		if err != nil {
			return 0, err
		}
		readers = append(readers, tfr)
		if o, ok := tfr.(bindex.Optimizable); ok && optimizable {
			if octx, err = o.Optimize("disjunction:unadorned", octx); err != nil {
				return 0, err
			}
		}
		optimizable = optimizable && octx != nil
	}
	union := readers
	if optimizable && octx != nil {
		opt, err := octx.Finish()
		if err != nil {
			return 0, err
		}
		if tfr, ok := opt.(bindex.TermFieldReader); ok {
			defer tfr.Close()
			union = []bindex.TermFieldReader{tfr}
		}
	}
	// A pair's documents hold both its stems, so they are counted already
	// when either has a text clause; otherwise (the pairs of another
	// spelling of several words) they add documents of their own.
	var extra []*bm25Searcher
	for _, c := range s.children {
		first, second, _ := strings.Cut(c.term, " ")
		if c.reader == nil && !inText[first] && !inText[second] {
			extra = append(extra, c)
		}
	}
	var d bindex.TermFieldDoc
	if len(union) == 1 && len(extra) == 0 {
		// One union in document order: count as it goes, up to limit.
		var n uint64
		for limit == 0 || n < limit {
			m, err := union[0].Next(d.Reset())
			if err != nil || m == nil {
				return n, err
			}
			if accept(docNum(m.ID)) {
				n++
			}
		}
		return n, nil
	}
	var all docSet
	for _, tfr := range union {
		for {
			m, err := tfr.Next(d.Reset())
			if err != nil {
				return 0, err
			}
			if m == nil {
				break
			}
			all.add(docNum(m.ID))
		}
	}
	for _, c := range extra {
		for _, h := range c.pairs {
			all.add(h.doc)
		}
	}
	var n uint64
	for w, word := range all {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << b
			if accept(uint64(w*64 + b)) {
				n++
			}
			if limit > 0 && n == limit {
				return n, nil
			}
		}
	}
	return n, nil
}
