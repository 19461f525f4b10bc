package index

// Top-k by per-document bounds. MaxScore (prune.go) bounds a document by
// the clauses it might hold; for a long query of common stems (a headline
// pasted whole) that is most of them, and on the 70k news corpus one such
// query read 33,000 candidates to keep 30. Yet which clauses a document
// holds costs almost nothing to know: zap keeps each term's documents as a
// roaring bitmap, apart from its frequencies and norms. So boundTop adds
// each clause's bound (prune.go) to every document of its bitmap, a few
// nanoseconds a posting with no frequency or norm decoded, and the sum
// (times coordination, plus the tier, as in prune.go) bounds what the
// document can score. The same headline then had 150 documents whose bound
// reached the final theta.
//
// The documents are then scored exactly, in two rounds so that theta is
// known before most are read: first those with the highest bounds (about
// boundRound1(k) of them), then those of the rest whose bound still
// reaches theta. A round reads, in document order, only the clauses whose
// bitmaps hold the document, from postings kept decoded (postcache.go):
// zap finds a posting by walking the list to it. Scores are summed as
// collect sums them, so the hits and their order are those of the
// exhaustive search (TestPruningIsExact, TestBoundSearchAcrossWrites).
//
// On the news-headlines dev queries over the 70k corpus (BenchmarkSearch)
// this halved the median and the 99th percentile against MaxScore alone,
// which still runs when boundTop cannot (another kind of index, or a
// coordinated query of more than 62 words).

import (
	"context"
	"math"
	"math/bits"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
)

// boundSearch turns boundTop on; tests compare it with MaxScore.
var boundSearch = true

// boundRound1 is how many documents the first round scores for k hits.
func boundRound1(k int) int { return 4*k + 64 }

// docBounds are per-document scratch arrays, pooled: a bound and a mask
// per document of the index (bit 63: the document matches; bit g: it
// matches query group g).
type docBounds struct {
	ub   []float64
	mask []uint64
}

const matchBit = uint64(1) << 63

var docBoundsPool sync.Pool

func getDocBounds(n uint64) *docBounds {
	b, _ := docBoundsPool.Get().(*docBounds)
	if b == nil {
		b = &docBounds{}
	}
	if uint64(cap(b.ub)) < n {
		b.ub, b.mask = make([]float64, n), make([]uint64, n)
	}
	b.ub, b.mask = b.ub[:n], b.mask[:n]
	clear(b.ub)
	clear(b.mask)
	return b
}

// boundedDoc is a document that matches, with its bound.
type boundedDoc struct {
	doc   uint64
	bound float64
}

// boundTop finds the documents that can reach theta and hands each, with
// its exact score, to take, in document order within a round; it returns
// the number of documents accept takes that match. ok is false when the
// index is not one boundTop can read (then nothing was taken).
func (s *sumSearcher) boundTop(ctx context.Context, r bindex.IndexReader, accept func(uint64) bool, k int,
	theta func() float64, take func(doc uint64, score float64, parts scoreParts)) (total uint64, ok bool, err error) {
	snap, isScorch := r.(*scorch.IndexSnapshot)
	if !isScorch || s.posts == nil {
		return 0, false, nil
	}
	// Coordination and the tier need each document's groups: a bit each.
	groups := s.minGroups > 0 || s.coordExp != 0
	if groups && s.nGroups >= 63 {
		return 0, false, nil
	}
	bms, maxDoc, ok, err := s.clauseBitmaps(ctx, snap)
	if err != nil || !ok {
		return 0, ok, err
	}
	db := getDocBounds(maxDoc)
	defer docBoundsPool.Put(db)
	buf := make([]uint32, 512)
	for i, bm := range bms {
		b, bit := s.prune.bounds[i], matchBit
		if g := s.groups[i]; groups && g >= 0 {
			bit |= 1 << g
		}
		it := bm.ManyIterator()
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, d := range buf[:n] {
				db.ub[d] += b
				db.mask[d] |= bit
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	var cands []boundedDoc
	var top float64
	for d, m := range db.mask {
		if m == 0 || accept != nil && !accept(uint64(d)) {
			continue
		}
		u := db.ub[d]
		if groups {
			g := bits.OnesCount64(m &^ matchBit)
			u = u*s.prune.coordTab[g] + s.tierAt(g)
		}
		cands = append(cands, boundedDoc{doc: uint64(d), bound: u})
		top = max(top, u)
	}
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	cut := math.Inf(-1) // the first round: bounds from cut up
	if want := boundRound1(k); len(cands) > want {
		cut = nthBound(cands, want, top)
	}
	if err := s.scoreDocs(ctx, snap, bms, cands, func(c boundedDoc) bool { return c.bound >= cut }, take); err != nil {
		return 0, false, err
	}
	if !math.IsInf(cut, -1) {
		th := theta()
		if err := s.scoreDocs(ctx, snap, bms, cands, func(c boundedDoc) bool { return c.bound < cut && !below(c.bound, th) }, take); err != nil {
			return 0, false, err
		}
	}
	return uint64(len(cands)), true, nil
}

// nthBound returns a bound that about n of cands reach (at least n), from
// a histogram of the bounds up to top.
func nthBound(cands []boundedDoc, n int, top float64) float64 {
	const buckets = 1024
	if top <= 0 {
		return math.Inf(-1)
	}
	var hist [buckets]int
	scale := (buckets - 1) / top
	for _, c := range cands {
		hist[max(0, int(c.bound*scale))]++
	}
	seen := 0
	for b := buckets - 1; b > 0; b-- {
		if seen += hist[b]; seen >= n {
			return float64(b) / scale
		}
	}
	return math.Inf(-1)
}

// clauseBitmaps returns each child's documents as a bitmap of the
// snapshot's document numbers (read-only: some are the segment's own), and
// the number of documents; ok false when the snapshot is too big for 32
// bits.
func (s *sumSearcher) clauseBitmaps(ctx context.Context, snap *scorch.IndexSnapshot) ([]*roaring.Bitmap, uint64, bool, error) {
	_, maxDoc := segmentOffsets(snap.Segments())
	if maxDoc >= math.MaxUint32 {
		return nil, 0, false, nil
	}
	bms := make([]*roaring.Bitmap, len(s.children))
	for i, c := range s.children {
		if c.reader == nil { // a pair: its documents are known
			bm := roaring.New()
			for _, h := range c.pairs {
				bm.Add(uint32(h.doc))
			}
			bms[i] = bm
			continue
		}
		bm, err := termDocs(ctx, snap, c.field, c.term)
		if err != nil {
			return nil, 0, false, err
		}
		bms[i] = bm
	}
	return bms, maxDoc, true, nil
}

// termDocs returns the documents holding term in field, deleted ones
// left out, as a bitmap of the reader's document numbers. Read-only: it
// may be the segment's own. A scorch snapshot hands over its segments'
// bitmaps, with no frequency or norm decoded; another reader is read
// through.
func termDocs(ctx context.Context, r bindex.IndexReader, field, term string) (*roaring.Bitmap, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return readDocs(ctx, r, field, term)
	}
	var parts []*roaring.Bitmap
	segs := snap.Segments()
	offsets, _ := segmentOffsets(segs)
	for i, ss := range segs {
		base := offsets[i]
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		pl, err := dict.PostingsList([]byte(term), ss.Deleted(), nil)
		if err != nil {
			return nil, err
		}
		bm, ok := postingsBitmap(pl)
		if !ok {
			return readDocs(ctx, r, field, term)
		}
		if bm.IsEmpty() {
			continue
		}
		if base > 0 {
			bm = roaring.AddOffset64(bm, int64(base))
		}
		parts = append(parts, bm)
	}
	switch len(parts) {
	case 0:
		return roaring.New(), nil
	case 1:
		return parts[0], nil
	}
	return roaring.FastOr(parts...), nil
}

// segmentOffsets returns the snapshot number of each segment's first
// document (scorch numbers the documents of its segments one after the
// other, deleted ones included) and the number of documents.
func segmentOffsets(segs []*scorch.SegmentSnapshot) ([]uint64, uint64) {
	offsets := make([]uint64, len(segs))
	var n uint64
	for i, ss := range segs {
		offsets[i] = n
		n += uint64(ss.FullSize())
	}
	return offsets, n
}

// readDocs is termDocs through the reader's postings.
func readDocs(ctx context.Context, r bindex.IndexReader, field, term string) (*roaring.Bitmap, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return nil, err
	}
	defer tfr.Close()
	bm := roaring.New()
	var tfd bindex.TermFieldDoc
	for {
		tm, err := tfr.Next(tfd.Reset())
		if err != nil || tm == nil {
			return bm, err
		}
		bm.Add(uint32(docNum(tm.ID)))
	}
}

// scoreDocs scores docs (increasing) as scoreTop and collect do and hands
// each matching document to take. The clauses' postings are read afresh,
// and only at the documents their bitmaps hold.
func (s *sumSearcher) scoreDocs(ctx context.Context, snap *scorch.IndexSnapshot, bms []*roaring.Bitmap, cands []boundedDoc,
	want func(boundedDoc) bool, take func(doc uint64, score float64, parts scoreParts)) error {
	posts := make([]*termPostings, len(s.children))
	scores := make([]float64, len(s.children))
	seen := make([]bool, s.nGroups+1)
	for n, cand := range cands {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if !want(cand) {
			continue
		}
		doc := cand.doc
		clear(seen)
		matched := 0
		for i, c := range s.children {
			scores[i] = -1
			if !bms[i].Contains(uint32(doc)) {
				continue
			}
			if c.reader == nil {
				j := sort.Search(len(c.pairs), func(j int) bool { return c.pairs[j].doc >= doc })
				if j < len(c.pairs) && c.pairs[j].doc == doc {
					scores[i] = c.scoreOf(c.pairs[j].freq, c.pairs[j].norm)
				}
			} else {
				if posts[i] == nil {
					tp, err := s.posts.postings(snap, c.field, c.term)
					if err != nil {
						return err
					}
					posts[i] = tp
				}
				if freq, norm, ok := posts[i].at(doc); ok {
					scores[i] = c.scoreOf(freq, norm)
				}
			}
			if g := s.groups[i]; scores[i] >= 0 && g >= 0 && !seen[g] {
				seen[g] = true
				matched++
			}
		}
		// The same sum, in the same order, as collect.
		sum, any := 0.0, false
		for _, x := range scores {
			if x >= 0 {
				sum += x
				any = true
			}
		}
		if !any {
			continue
		}
		parts := scoreParts{sum: sum, coord: s.prune.coordTab[matched], factor: 1, tier: s.tierAt(matched)}
		if s.recency != nil {
			parts.factor = s.recency.factor(s.dates, docID(doc))
		}
		take(doc, parts.score(), parts)
	}
	return nil
}
