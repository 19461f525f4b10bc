package index

import (
	"context"
	"encoding/binary"
	"fmt"
	"github.com/RoaringBitmap/roaring/v2"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// BM25 parameters. bleve's own "bm25" model takes the square root of the
// term frequency and estimates the average field length from the number of
// distinct terms, and it ranked below bleve's tf-idf on our dev sets, so
// Bahth scores with textbook BM25 (Robertson/Sparck Jones idf, Lucene's
// form) from the postings' frequencies and norms and the average field
// length that ingest records (see fieldStats).
type bm25Params struct {
	K1, B float64
}

// termClause is one query term scored by BM25 in one field.
type termClause struct {
	Field  string
	Term   string
	Weight float64 // multiplies the BM25 score (query term frequency x field weight)
}

// pairClause is two adjacent query stems scored by BM25 as one term, whose
// occurrences in a document are the places where Second follows First in
// Field (which must have positions) within pairGap positions, inside one
// of its values (title, summary or body: no pair spans two). Its document
// frequency is counted when the query runs (estimated for the pairs of the
// typed words: typedPairIDF). This replaces an indexed field
// of stem pairs, whose vocabulary made loading 2x slower (BENCHMARKS.md).
type pairClause struct {
	Field         string
	First, Second string
	Weight        float64
	Group         int // as termClause's group; -1 counts for no query word
}

// pairGap is how far apart two stems may stand and still be a pair: the
// analyzer removes stop words but keeps their positions, so "وزير في لبنان"
// has وزير at 1 and لبنان at 3. An indexed pair (analyzer.PairFilter) spans
// any number of stop words and no other word; a gap of 2 spans one stop
// word or one other word. Measured against gaps 1 and 3 in docs/relevance.md.
const pairGap = 2

// scoreQuery is a bleve query whose score is the weighted sum of BM25 scores
// of its clauses and pairs, times coord^CoordExp where coord is the fraction
// of distinct terms (Group) matched. Documents match when any clause
// matches; a pair adds to its terms' documents and matches no other.
type scoreQuery struct {
	Clauses  []termClause
	Groups   []int // Groups[i] is the term group of clause i (one per distinct query term)
	NGroups  int
	Pairs    []pairClause
	CoordExp float64
	Params   bm25Params
	AvgLen   map[string]float64

	// A document matching at least MinGroups groups scores TierBonus more
	// (all the words of a short query rank first; see plan).
	MinGroups int
	TierBonus float64
	Recency   *recency // nil: no recency factor

	// Postings, when set, keeps terms' postings decoded per segment
	// (postcache.go).
	Postings *postCache

	// PairHits, when set, keeps the pairs' documents per segment
	// (paircache.go).
	PairHits *pairCache

	// Window, when positive, leaves the typed words' pairs (Group -1,
	// which count for no group and match no document of their own) out
	// of the disjunction: searchTop adds them to the Window best
	// documents of the rest only (rescore.go). 0 scores them everywhere.
	Window int
}

// Searcher implements bleve's query.Query.
func (q *scoreQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	n, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &sumSearcher{options: options, coordExp: q.CoordExp, nGroups: q.NGroups,
		minGroups: q.MinGroups, tierBonus: q.TierBonus, posts: q.Postings}
	if q.Recency != nil {
		dvr, err := r.DocValueReader([]string{fieldPublished})
		if err != nil {
			return nil, err
		}
		s.recency, s.dates = q.Recency, dvr
	}
	for i, c := range q.Clauses {
		tfr, err := r.TermFieldReader(ctx, []byte(c.Term), c.Field, true, true, false)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		if tfr.Count() == 0 {
			_ = tfr.Close()
			continue
		}
		avg := q.AvgLen[c.Field]
		if avg <= 0 {
			avg = 1
		}
		idf := bm25IDF(float64(n), float64(tfr.Count()))
		s.children = append(s.children, &bm25Searcher{
			reader: tfr, field: c.Field, term: c.Term, weight: c.Weight * idf, idf: idf,
			k1: q.Params.K1, b: q.Params.B, avgLen: avg, explain: options.Explain,
		})
		s.groups = append(s.groups, q.Groups[i])
	}
	for _, p := range q.Pairs {
		avg := q.AvgLen[p.Field]
		if avg <= 0 {
			avg = 1
		}
		pair := &bm25Searcher{field: p.Field, term: p.First + " " + p.Second,
			k1: q.Params.K1, b: q.Params.B, avgLen: avg, explain: options.Explain}
		var hits []pairHit
		var err error
		if p.Group < 0 {
			// The typed words' pairs: an idf that reads few positions
			// (typedPairIDF), so that rescoring reads them for the window
			// only.
			idf, both, ok, ierr := typedPairIDF(ctx, r, p, n)
			if ierr != nil {
				_ = s.Close()
				return nil, ierr
			}
			if !ok {
				continue
			}
			pair.weight, pair.idf = p.Weight*idf, idf
			if q.Window > 0 {
				s.rescore = append(s.rescore, rescorePair{scorer: pair, first: p.First, second: p.Second})
				continue
			}
			hits, err = findPairsIn(ctx, r, p, both, -1)
		} else {
			hits, err = findPairs(ctx, r, p, q.PairHits)
			pair.idf = bm25IDF(float64(n), float64(len(hits)))
			pair.weight = p.Weight * pair.idf
		}
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		if len(hits) == 0 {
			continue
		}
		pair.pairs = hits
		for _, h := range hits {
			pair.max = max(pair.max, pair.scoreOf(h.freq, h.norm))
		}
		s.children = append(s.children, pair)
		s.groups = append(s.groups, p.Group)
	}
	return s, nil
}

// pairHit is a document holding a pair: its number, how often, and the
// norm of the pair's field.
type pairHit struct {
	doc  uint64
	freq uint64
	norm float64
}

// findPairs finds the documents where the second stem of p follows the
// first. It first intersects the two postings lists without positions,
// leapfrogging from the rarer stem, then reads positions only for the
// documents holding both: decoding the positions of every posting of a
// common stem was most of a query's time on the 70k corpus.
func findPairs(ctx context.Context, r bindex.IndexReader, p pairClause, cache *pairCache) ([]pairHit, error) {
	both, err := pairDocs(ctx, r, p)
	if err != nil || both == nil || both.IsEmpty() {
		return nil, err
	}
	if hits, ok, err := cache.hits(r, p); ok || err != nil {
		return hits, err
	}
	return findPairsIn(ctx, r, p, both, -1)
}

// findPairsIn finds the documents of both (which hold both stems of p),
// the first limit of them when limit is not negative, where the second
// stem follows the first.
func findPairsIn(ctx context.Context, r bindex.IndexReader, p pairClause, both *roaring.Bitmap, limit int) ([]pairHit, error) {
	first, err := r.TermFieldReader(ctx, []byte(p.First), p.Field, true, true, true)
	if err != nil {
		return nil, err
	}
	defer first.Close()
	second, err := r.TermFieldReader(ctx, []byte(p.Second), p.Field, true, true, true)
	if err != nil {
		return nil, err
	}
	defer second.Close()
	var hits []pairHit
	var fd, sd bindex.TermFieldDoc
	it := both.Iterator()
	for n := 0; it.HasNext() && n != limit; n++ {
		id := docID(uint64(it.Next()))
		a, err := first.Advance(id, fd.Reset())
		if err != nil || a == nil {
			return hits, err
		}
		b, err := second.Advance(id, sd.Reset())
		if err != nil || b == nil {
			return hits, err
		}
		if !a.ID.Equals(id) || !b.ID.Equals(id) {
			continue
		}
		if n := follows(a.Vectors, b.Vectors); n > 0 {
			hits = append(hits, pairHit{doc: docNum(a.ID), freq: n, norm: a.Norm})
		}
	}
	return hits, nil
}

// pairMaxShare skips a pair whose rarer stem is in more than this share of
// the articles, as Elasticsearch's cutoff_frequency skips common terms:
// such a pair's idf is low and intersecting its postings was the slowest
// part of a query. On the 70k news corpus a cap of 0.1 cut
// BenchmarkSearch's p99 from 148 to 105 ms for 0.0016 news-headlines
// MRR@10 (0.7065 -> 0.7049); 0.05 and 0.02 lost 0.009 and 0.013.
const pairMaxShare = 0.1

// pairDocs returns the documents holding both stems of p: an AND of
// their bitmaps (termDocs), or nil when both stems are common (see
// pairMaxShare).
func pairDocs(ctx context.Context, r bindex.IndexReader, p pairClause) (*roaring.Bitmap, error) {
	x, err := termDocs(ctx, r, p.Field, p.First)
	if err != nil {
		return nil, err
	}
	y, err := termDocs(ctx, r, p.Field, p.Second)
	if err != nil {
		return nil, err
	}
	rarer := min(x.GetCardinality(), y.GetCardinality())
	if rarer == 0 {
		return nil, nil
	}
	if n, err := r.DocCount(); err == nil && float64(rarer) > pairMaxShare*float64(n) {
		return nil, nil // both stems are common: see pairMaxShare
	}
	return roaring.And(x, y), nil
}

// follows counts the occurrences of the first stem that the second
// follows within pairGap positions in the same value of the field.
func follows(first, second []*bindex.TermFieldVector) uint64 {
	return followsBy(first, second, func(v *bindex.TermFieldVector) (uint64, []uint64) { return v.Pos, v.ArrayPositions })
}

// followsBy is follows for any kind of location, read by at.
func followsBy[L any](first, second []L, at func(L) (pos uint64, array []uint64)) uint64 {
	var n uint64
	for _, f := range first {
		fp, fa := at(f)
		for _, s := range second {
			if sp, sa := at(s); int(sp)-int(fp) >= 1 && int(sp)-int(fp) <= pairGap && slices.Equal(fa, sa) {
				n++
				break
			}
		}
	}
	return n
}

// bm25Searcher walks one term's postings in one field, or the documents
// findPairs found for a pair (reader nil), holding the current document's
// number and score (no DocumentMatch per posting).
type bm25Searcher struct {
	reader      bindex.TermFieldReader
	tfd         bindex.TermFieldDoc
	pairs       []pairHit
	pair        int // the next of pairs
	field, term string
	weight, idf float64
	k1, b       float64
	avgLen      float64
	explain     bool

	max float64 // a pair's highest score on any of its documents

	done  bool    // no more postings
	doc   uint64  // the current document
	score float64 // its score
	expl  *search.Explanation
}

// docNum reads scorch's internal id, a big-endian document number.
func docNum(id bindex.IndexInternalID) uint64 {
	var n uint64
	for _, b := range id {
		n = n<<8 | uint64(b)
	}
	return n
}

func (s *bm25Searcher) load(tm *bindex.TermFieldDoc) {
	if tm == nil {
		s.done = true
		return
	}
	s.set(docNum(tm.ID), tm.Freq, tm.Norm)
}

// set makes doc, with freq and norm, the current document.
func (s *bm25Searcher) set(doc, freq uint64, norm float64) {
	s.doc = doc
	s.score = s.scoreOf(freq, norm)
	if s.explain {
		dl := docLen(norm)
		s.expl = &search.Explanation{
			Value: s.score,
			Message: fmt.Sprintf("bm25(%s:%s) = weight %.3f (idf %.3f) * tf %d * (k1+1) / (tf + k1*(1-b+b*dl %.0f/avgdl %.1f))",
				s.field, s.term, s.weight, s.idf, freq, dl, s.avgLen),
		}
	}
}

// scoreOf is the score of a posting with freq and norm.
func (s *bm25Searcher) scoreOf(freq uint64, norm float64) float64 {
	tf := float64(freq)
	lenNorm := s.k1 * (1 - s.b + s.b*docLen(norm)/s.avgLen)
	return s.weight * tf * (s.k1 + 1) / (tf + lenNorm)
}

// docLen is the field length a norm stands for (bleve's norm is
// 1/sqrt(length)); a norm of 0 counts as length 1.
func docLen(norm float64) float64 {
	if norm > 0 {
		return 1 / (norm * norm)
	}
	return 1
}

// nextPair moves to the first pair hit at or after doc.
func (s *bm25Searcher) nextPair(doc uint64) {
	for s.pair < len(s.pairs) && s.pairs[s.pair].doc < doc {
		s.pair++
	}
	if s.pair == len(s.pairs) {
		s.done = true
		return
	}
	h := s.pairs[s.pair]
	s.pair++
	s.set(h.doc, h.freq, h.norm)
}

func (s *bm25Searcher) next() error {
	if s.reader == nil {
		s.nextPair(0)
		return nil
	}
	tm, err := s.reader.Next(s.tfd.Reset())
	if err != nil {
		return err
	}
	s.load(tm)
	return nil
}

func (s *bm25Searcher) advance(id bindex.IndexInternalID) error {
	if s.reader == nil {
		s.nextPair(docNum(id))
		return nil
	}
	tm, err := s.reader.Advance(id, s.tfd.Reset())
	if err != nil {
		return err
	}
	s.load(tm)
	return nil
}

// sumSearcher is a disjunction whose score is the sum of its children's
// scores times coord^coordExp.
type sumSearcher struct {
	children    []*bm25Searcher
	groups      []int
	nGroups     int
	coordExp    float64
	minGroups   int
	tierBonus   float64
	recency     *recency
	dates       bindex.DocValueReader
	options     search.SearcherOptions
	initialized bool
	seen        []bool
	prune       *pruner       // nextTop's state (prune.go); nil for Next
	posts       *postCache    // decoded postings for boundTop, or nil
	rescore     []rescorePair // pairs searchTop adds to the window (rescore.go)
}

func (s *sumSearcher) init(ctx *search.SearchContext) error {
	s.seen = make([]bool, s.nGroups+1)
	for _, c := range s.children {
		if err := c.next(); err != nil {
			return err
		}
	}
	s.initialized = true
	return nil
}

func (s *sumSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.initialized {
		if err := s.init(ctx); err != nil {
			return nil, err
		}
	}
	return s.collect(ctx)
}

// collect builds the match for the smallest current document and moves the
// children that were on it.
func (s *sumSearcher) collect(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	found := false
	var min uint64
	for _, c := range s.children {
		if !c.done && (!found || c.doc < min) {
			min, found = c.doc, true
		}
	}
	if !found {
		return nil, nil
	}
	rv := ctx.DocumentMatchPool.Get()
	rv.IndexInternalID = binary.BigEndian.AppendUint64(rv.IndexInternalID[:0], min)
	for g := range s.seen {
		s.seen[g] = false
	}
	matched := 0
	sum := 0.0
	var expl []*search.Explanation
	for i, c := range s.children {
		if c.done || c.doc != min {
			continue
		}
		sum += c.score
		if g := s.groups[i]; g >= 0 && !s.seen[g] {
			s.seen[g] = true
			matched++
		}
		if s.options.Explain && c.expl != nil {
			expl = append(expl, c.expl)
		}
		if err := c.next(); err != nil {
			return nil, err
		}
	}
	coord := 1.0
	if s.coordExp != 0 && s.nGroups > 0 {
		coord = math.Pow(float64(matched)/float64(s.nGroups), s.coordExp)
	}
	factor := 1.0
	if s.recency != nil {
		factor = s.recency.factor(s.dates, rv.IndexInternalID)
	}
	rv.Score = sum * coord * factor
	tier := 0.0
	if s.minGroups > 0 && matched >= s.minGroups {
		tier = s.tierBonus
	}
	rv.Score += tier
	if s.options.Explain {
		msg := fmt.Sprintf("sum of %d clauses %.4f * coord(%d/%d)^%.2f", len(expl), sum, matched, s.nGroups, s.coordExp)
		if s.recency != nil {
			msg += fmt.Sprintf(" * recency %.3f (half-life %s)", factor, s.recency.HalfLife)
		}
		if tier != 0 {
			msg += fmt.Sprintf("; all %d query words matched: ranked above hits missing one", s.nGroups)
		} else if s.minGroups > 0 {
			msg += fmt.Sprintf("; %d of %d query words matched: ranked below hits holding all", matched, s.nGroups)
		}
		rv.Expl = &search.Explanation{Value: rv.Score, Message: msg, Children: expl}
	}
	return rv, nil
}

func (s *sumSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.initialized {
		if err := s.init(ctx); err != nil {
			return nil, err
		}
	}
	target := docNum(id)
	for _, c := range s.children {
		if c.done || c.doc >= target {
			continue
		}
		if err := c.advance(id); err != nil {
			return nil, err
		}
	}
	return s.collect(ctx)
}

func (s *sumSearcher) Close() error {
	var first error
	for _, c := range s.children {
		if c.reader == nil {
			continue
		}
		if err := c.reader.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *sumSearcher) Weight() float64      { return 1 }
func (s *sumSearcher) SetQueryNorm(float64) {}
func (s *sumSearcher) Min() int             { return 0 }
func (s *sumSearcher) Size() int            { return 64 + 128*len(s.children) }

func (s *sumSearcher) Count() uint64 {
	var n uint64
	for _, c := range s.children {
		if c.reader == nil {
			n += uint64(len(c.pairs))
		} else {
			n += c.reader.Count()
		}
	}
	return n
}

func (s *sumSearcher) DocumentMatchPoolSize() int { return len(s.children) + 2 }
