package index

// Pair hits, cached per segment. A pair of a synonym's several words
// (داعش brings تنظيم الدولة) matches documents of its own, so findPairs
// reads the positions of both stems in every document holding both: for
// تنظيم الدولة, two common stems, thousands of documents and a third of
// the query's time on the 70k news corpus. The same synonyms come back in
// query after query, and a segment never changes (a write adds segments,
// a merge replaces them, a deletion only masks documents), so the pairs a
// segment holds are kept under its id, deleted documents included, and
// masked with the snapshot's deletions when used.

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/maypok86/otter/v2"
)

// pairCacheBytes bounds the memory of the cached pair hits.
const pairCacheBytes = 32 << 20

type pairKey struct {
	segment              uint64
	field, first, second string
}

// segPair is a pairHit of one segment, in its document numbers.
type segPair struct {
	doc, freq uint32
	norm      float32 // zap keeps norms as float32: no rounding
}

type pairCache struct {
	c *otter.Cache[pairKey, []segPair]
}

func newPairCache() *pairCache {
	return &pairCache{c: newByteCache(pairCacheBytes, func(k pairKey, v []segPair) uint32 {
		return uint32(64 + len(k.field) + len(k.first) + len(k.second) + 12*len(v))
	})}
}

// hits returns the documents of the snapshot r where p's second stem
// follows its first, in order; ok is false when r is not a scorch
// snapshot (or pc is nil): findPairsIn then reads them.
func (pc *pairCache) hits(r any, p pairClause) (hits []pairHit, ok bool, err error) {
	snap, isScorch := r.(*scorch.IndexSnapshot)
	if !isScorch || pc == nil {
		return nil, false, nil
	}
	segs := snap.Segments()
	offsets, _ := segmentOffsets(segs)
	for i, ss := range segs {
		offset := offsets[i]
		key := pairKey{segment: ss.Id(), field: p.Field, first: p.First, second: p.Second}
		sp, found := pc.c.GetIfPresent(key)
		if !found {
			if sp, ok, err = segmentPairs(ss, p); err != nil || !ok {
				return nil, false, err
			}
			pc.c.Set(key, sp)
		}
		deleted := ss.Deleted()
		for _, h := range sp {
			if deleted == nil || !deleted.Contains(h.doc) {
				hits = append(hits, pairHit{doc: offset + uint64(h.doc), freq: uint64(h.freq), norm: float64(h.norm)})
			}
		}
	}
	return hits, true, nil
}

// segmentPairs finds p's hits in one segment: the documents holding both
// stems (an AND of their bitmaps), then the positions of those only.
func segmentPairs(ss *scorch.SegmentSnapshot, p pairClause) ([]segPair, bool, error) {
	dict, err := ss.Segment().Dictionary(p.Field)
	if err != nil {
		return nil, false, err
	}
	first, err := dict.PostingsList([]byte(p.First), nil, nil)
	if err != nil {
		return nil, false, err
	}
	second, err := dict.PostingsList([]byte(p.Second), nil, nil)
	if err != nil {
		return nil, false, err
	}
	x, ok := postingsBitmap(first)
	if !ok {
		return nil, false, nil
	}
	y, ok := postingsBitmap(second)
	if !ok {
		return nil, false, nil
	}
	both := roaring.And(x, y)
	if both.IsEmpty() {
		return nil, true, nil
	}
	a := first.Iterator(true, true, true, nil)
	b := second.Iterator(true, true, true, nil)
	var out []segPair
	it := both.Iterator()
	for it.HasNext() {
		d := uint64(it.Next())
		pa, err := a.Advance(d)
		if err != nil {
			return nil, false, err
		}
		pb, err := b.Advance(d)
		if err != nil {
			return nil, false, err
		}
		if pa == nil || pb == nil || pa.Number() != d || pb.Number() != d {
			return nil, false, nil // not what the bitmaps said: let findPairsIn read them
		}
		if n := followsAt(pa.Locations(), pb.Locations()); n > 0 {
			out = append(out, segPair{doc: uint32(d), freq: uint32(n), norm: float32(pa.Norm())})
		}
	}
	return out, true, nil
}

// postingsBitmap is a postings list's documents, deleted ones included.
func postingsBitmap(pl segment.PostingsList) (*roaring.Bitmap, bool) {
	it, ok := pl.Iterator(false, false, false, nil).(segment.OptimizablePostingsIterator)
	if !ok {
		return nil, false
	}
	if d, one := it.DocNum1Hit(); one {
		return roaring.BitmapOf(uint32(d)), true
	}
	if bm := it.ActualBitmap(); bm != nil {
		return bm, true
	}
	return roaring.New(), true
}

// followsAt is follows for a segment's locations.
func followsAt(first, second []segment.Location) uint64 {
	return followsBy(first, second, func(l segment.Location) (uint64, []uint64) { return l.Pos(), l.ArrayPositions() })
}
