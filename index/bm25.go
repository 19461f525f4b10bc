package index

import (
	"context"
	"encoding/binary"
	"fmt"
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
// frequency is counted when the query runs. This replaces an indexed field
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
}

// Searcher implements bleve's query.Query.
func (q *scoreQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	n, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &sumSearcher{options: options, coordExp: q.CoordExp, nGroups: q.NGroups,
		minGroups: q.MinGroups, tierBonus: q.TierBonus}
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
		df := float64(tfr.Count())
		idf := math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
		s.children = append(s.children, &bm25Searcher{
			reader: tfr, field: c.Field, term: c.Term, weight: c.Weight * idf, idf: idf,
			k1: q.Params.K1, b: q.Params.B, avgLen: avg, explain: options.Explain,
		})
		s.groups = append(s.groups, q.Groups[i])
	}
	for _, p := range q.Pairs {
		pp, df, err := newPairPostings(ctx, r, p)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		if pp == nil {
			continue
		}
		avg := q.AvgLen[p.Field]
		if avg <= 0 {
			avg = 1
		}
		idf := math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
		s.children = append(s.children, &bm25Searcher{
			pair: pp, at: -1,
			field: p.Field, term: p.First + " " + p.Second, weight: p.Weight * idf, idf: idf,
			k1: q.Params.K1, b: q.Params.B, avgLen: avg, explain: options.Explain,
		})
		s.groups = append(s.groups, p.Group)
	}
	return s, nil
}

// pairPostings are a pair's documents: those holding both stems (found
// without positions by pairDocs), of which a document holds the pair only
// if the second stem follows the first there. The positions of the two
// stems are read for a document only when it is asked about (at), so a
// pruned search reads them only for the candidates still competitive when
// the pair's turn comes; decoding them for every document holding both
// stems was a fifth of a query's CPU on the 70k corpus.
type pairPostings struct {
	clause        pairClause
	ctx           context.Context
	reader        bindex.IndexReader
	docs          []uint64  // documents holding both stems, in order
	freqs         []uint64  // the frequency in each of the first docs, as read
	norms         []float64 // and the norm
	first, second bindex.TermFieldReader
	fd, sd        bindex.TermFieldDoc
}

// pairSample is how many of the documents holding both stems of a pair
// have their positions read to estimate the pair's document frequency.
const pairSample = 64

// newPairPostings returns p's documents, or nil if none holds p, and p's
// document frequency. The positions of the first pairSample documents
// holding both stems are read (and kept). When no more hold both, the
// documents kept are those holding the pair and the frequency is exact;
// otherwise the share of the first ones that hold the pair estimates it,
// and the positions of the others are read only when a search asks about
// them (verify). Reading them all was a fifth of a query's CPU on the 70k
// corpus (docs/relevance.md, "Lazy pairs"). The first documents, not a
// spread: zap decodes a posting list from the start of a chunk, so a
// spread sample cost nearly as much as reading every document.
func newPairPostings(ctx context.Context, r bindex.IndexReader, p pairClause) (*pairPostings, float64, error) {
	docs, err := pairDocs(ctx, r, p)
	if err != nil || len(docs) == 0 {
		return nil, 0, err
	}
	pp := &pairPostings{clause: p, ctx: ctx, reader: r, docs: docs}
	m := min(len(docs), pairSample)
	hits := 0
	for _, doc := range docs[:m] {
		n, norm, err := pp.at(doc)
		if err != nil {
			_ = pp.close()
			return nil, 0, err
		}
		pp.freqs = append(pp.freqs, n)
		pp.norms = append(pp.norms, norm)
		if n > 0 {
			hits++
		}
	}
	if m < len(docs) {
		df := float64(len(docs)) * max(float64(hits), 0.5) / float64(m)
		return pp, df, nil // the readers stay open, past the first documents
	}
	if err := pp.close(); err != nil || hits == 0 {
		return nil, 0, err
	}
	known := &pairPostings{clause: p}
	for i, doc := range docs {
		if pp.freqs[i] > 0 {
			known.docs = append(known.docs, doc)
			known.freqs = append(known.freqs, pp.freqs[i])
			known.norms = append(known.norms, pp.norms[i])
		}
	}
	return known, float64(hits), nil
}

// all reports whether the positions of every one of p's documents were
// read (then all hold the pair).
func (p *pairPostings) all() bool { return len(p.freqs) == len(p.docs) }

// at returns how often the pair occurs in doc, and the norm of its field.
// Calls must ask about documents of docs in increasing order: a reader is
// never Advanced to or before its current document (see pairDocs).
func (p *pairPostings) at(doc uint64) (freq uint64, norm float64, err error) {
	if p.first == nil {
		if p.first, err = p.reader.TermFieldReader(p.ctx, []byte(p.clause.First), p.clause.Field, true, true, true); err != nil {
			return 0, 0, err
		}
		if p.second, err = p.reader.TermFieldReader(p.ctx, []byte(p.clause.Second), p.clause.Field, true, true, true); err != nil {
			return 0, 0, err
		}
	}
	id := docID(doc)
	a, err := p.first.Advance(id, p.fd.Reset())
	if err != nil || a == nil {
		return 0, 0, err
	}
	b, err := p.second.Advance(id, p.sd.Reset())
	if err != nil || b == nil {
		return 0, 0, err
	}
	if !a.ID.Equals(id) || !b.ID.Equals(id) {
		return 0, 0, nil
	}
	return follows(a.Vectors, b.Vectors), a.Norm, nil
}

func (p *pairPostings) close() error {
	var first error
	for _, r := range []bindex.TermFieldReader{p.first, p.second} {
		if r != nil {
			if err := r.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	p.first, p.second = nil, nil
	return first
}

// findPairs returns the documents holding pair p, reading the positions of
// every document that holds both its stems.
func findPairs(ctx context.Context, r bindex.IndexReader, p pairClause) ([]uint64, error) {
	docs, err := pairDocs(ctx, r, p)
	if err != nil || len(docs) == 0 {
		return nil, err
	}
	pp := &pairPostings{clause: p, ctx: ctx, reader: r, docs: docs}
	defer pp.close()
	var out []uint64
	for _, doc := range docs {
		n, _, err := pp.at(doc)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, doc)
		}
	}
	return out, nil
}

// pairMaxShare skips a pair whose rarer stem is in more than this share of
// the articles, as Elasticsearch's cutoff_frequency skips common terms:
// such a pair's idf is low and intersecting its postings was the slowest
// part of a query. On the 70k news corpus a cap of 0.1 cut
// BenchmarkSearch's p99 from 148 to 105 ms for 0.0016 news-headlines
// MRR@10 (0.7065 -> 0.7049); 0.05 and 0.02 lost 0.009 and 0.013.
const pairMaxShare = 0.1

// pairDocs returns the documents holding both stems of p, in order.
func pairDocs(ctx context.Context, r bindex.IndexReader, p pairClause) ([]uint64, error) {
	x, err := r.TermFieldReader(ctx, []byte(p.First), p.Field, false, false, false)
	if err != nil {
		return nil, err
	}
	defer x.Close()
	y, err := r.TermFieldReader(ctx, []byte(p.Second), p.Field, false, false, false)
	if err != nil {
		return nil, err
	}
	defer y.Close()
	if x.Count() == 0 || y.Count() == 0 {
		return nil, nil
	}
	if y.Count() < x.Count() {
		x, y = y, x // drive from the rarer stem
	}
	if n, err := r.DocCount(); err == nil && float64(x.Count()) > pairMaxShare*float64(n) {
		return nil, nil // both stems are common: see pairMaxShare
	}
	// Never Advance a reader to or before its current document: scorch
	// then reopens the postings from the start (most of pairDocs' time in
	// the 70k profile before this was guarded).
	var both []uint64
	var xd, yd bindex.TermFieldDoc
	var b *bindex.TermFieldDoc
	a, err := x.Next(xd.Reset())
	for err == nil && a != nil {
		if b == nil || docNum(b.ID) < docNum(a.ID) {
			if b, err = y.Advance(a.ID, yd.Reset()); err != nil || b == nil {
				break
			}
		}
		if b.ID.Equals(a.ID) {
			both = append(both, docNum(a.ID))
			a, err = x.Next(xd.Reset())
			continue
		}
		a, err = x.Advance(b.ID, xd.Reset()) // x is before b
	}
	return both, err
}

// follows counts the occurrences of the first stem that the second
// follows within pairGap positions in the same value of the field.
func follows(first, second []*bindex.TermFieldVector) uint64 {
	var n uint64
	for _, f := range first {
		for _, s := range second {
			if d := int(s.Pos) - int(f.Pos); d >= 1 && d <= pairGap && slices.Equal(f.ArrayPositions, s.ArrayPositions) {
				n++
				break
			}
		}
	}
	return n
}

// bm25Searcher walks one term's postings in one field, or a pair's
// documents (reader nil), holding the current document's number and score
// (no DocumentMatch per posting).
//
// A pair's current document is one holding both stems, unverified until
// verify reads its positions: verify moves on to the next document until
// one holds the pair. Only then are doc and score the pair's.
type bm25Searcher struct {
	reader      bindex.TermFieldReader
	tfd         bindex.TermFieldDoc
	pair        *pairPostings
	at          int  // the current of pair.docs
	verified    bool // the pair is in doc and score is its score
	field, term string
	weight, idf float64
	k1, b       float64
	avgLen      float64
	explain     bool

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
	tf := float64(freq)
	dl := 1.0
	if norm > 0 {
		dl = 1 / (norm * norm)
	}
	lenNorm := s.k1 * (1 - s.b + s.b*dl/s.avgLen)
	s.score = s.weight * tf * (s.k1 + 1) / (tf + lenNorm)
	if s.explain {
		s.expl = &search.Explanation{
			Value: s.score,
			Message: fmt.Sprintf("bm25(%s:%s) = weight %.3f (idf %.3f) * tf %d * (k1+1) / (tf + k1*(1-b+b*dl %.0f/avgdl %.1f))",
				s.field, s.term, s.weight, s.idf, freq, dl, s.avgLen),
		}
	}
}

// movePair makes the first of the pair's documents at or after doc,
// unverified, the current one.
func (s *bm25Searcher) movePair(doc uint64) {
	docs := s.pair.docs
	s.at++
	if s.at < len(docs) && docs[s.at] < doc {
		i, _ := slices.BinarySearch(docs[s.at:], doc)
		s.at += i
	}
	if s.at >= len(docs) {
		s.done = true
		return
	}
	s.doc, s.verified = docs[s.at], false
}

// verify makes a pair's current document one that holds the pair, moving
// on as needed (a no-op for a term).
func (s *bm25Searcher) verify() error {
	for s.pair != nil && !s.done && !s.verified {
		var freq uint64
		var norm float64
		var err error
		if s.at < len(s.pair.freqs) {
			freq, norm = s.pair.freqs[s.at], s.pair.norms[s.at]
		} else if freq, norm, err = s.pair.at(s.doc); err != nil {
			return err
		}
		if freq > 0 {
			s.set(s.doc, freq, norm)
			s.verified = true
			return nil
		}
		s.movePair(s.doc + 1)
	}
	return nil
}

func (s *bm25Searcher) next() error {
	if s.reader == nil {
		s.movePair(0)
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
		s.movePair(docNum(id))
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
	prune       *pruner // nextTop's state (prune.go); nil for Next
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
		if err := c.verify(); err != nil {
			return nil, err
		}
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
		var err error
		if c.reader != nil {
			err = c.reader.Close()
		} else {
			err = c.pair.close()
		}
		if err != nil && first == nil {
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
			n += uint64(len(c.pair.docs)) // at most
		} else {
			n += c.reader.Count()
		}
	}
	return n
}

func (s *sumSearcher) DocumentMatchPoolSize() int { return len(s.children) + 2 }
