package index

// Decoded frequencies and norms, cached per segment. boundTop (ubound.go)
// scores a few hundred documents spread over the whole index, and zap
// finds a document's frequency and norm by walking its postings from the
// reader's place, posting by posting: for a headline of common stems that
// walk was most of the query's time, twice over (one walk per round). So
// the postings of a term, once read, are kept decoded (document, frequency
// and norm, 12 bytes a posting) under the segment's id (segments never
// change; deleted documents are left out by the bitmaps boundTop reads
// first), and a document's posting is then found by a galloping search
// forward from the last one.

import (
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/maypok86/otter/v2"
	"github.com/maypok86/otter/v2/stats"
)

// postCacheBytes bounds the memory of the decoded postings: the 60 most
// common stems of the 70k news corpus take about 16 MB.
const postCacheBytes = 64 << 20

type postKey struct {
	segment     uint64
	field, term string
}

// decoded are one term's postings in one segment, deleted documents too.
type decoded struct {
	docs  []uint32
	freqs []uint32
	norms []float32 // zap keeps norms as float32: no rounding
}

type postCache struct {
	c *otter.Cache[postKey, *decoded]
}

func newPostCache() *postCache {
	return &postCache{c: newByteCache(postCacheBytes, func(k postKey, v *decoded) uint32 {
		return uint32(96 + len(k.field) + len(k.term) + 12*len(v.docs))
	})}
}

// segment returns the postings of term in field in one segment.
func (pc *postCache) segment(ss *scorch.SegmentSnapshot, field, term string) (*decoded, error) {
	key := postKey{segment: ss.Id(), field: field, term: term}
	if d, ok := pc.c.GetIfPresent(key); ok {
		return d, nil
	}
	dict, err := ss.Segment().Dictionary(field)
	if err != nil {
		return nil, err
	}
	pl, err := dict.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return nil, err
	}
	n := pl.Count()
	d := &decoded{docs: make([]uint32, 0, n), freqs: make([]uint32, 0, n), norms: make([]float32, 0, n)}
	it := pl.Iterator(true, true, false, nil)
	for {
		p, err := it.Next()
		if err != nil {
			return nil, err
		}
		if p == nil {
			break
		}
		d.docs = append(d.docs, uint32(p.Number()))
		d.freqs = append(d.freqs, uint32(p.Frequency()))
		d.norms = append(d.norms, float32(p.Norm()))
	}
	pc.c.Set(key, d)
	return d, nil
}

// termPostings reads one term's postings in a snapshot at increasing
// documents.
type termPostings struct {
	segs    []*decoded
	offsets []uint64 // of each segment's first document
	seg     int      // the segment of the last document asked
	pos     int      // in it, where the next search starts
}

func (pc *postCache) postings(snap *scorch.IndexSnapshot, field, term string) (*termPostings, error) {
	segs := snap.Segments()
	offsets, _ := segmentOffsets(segs)
	tp := &termPostings{segs: make([]*decoded, len(segs)), offsets: offsets}
	for i, ss := range segs {
		d, err := pc.segment(ss, field, term)
		if err != nil {
			return nil, err
		}
		tp.segs[i] = d
	}
	return tp, nil
}

// at returns the frequency and norm of doc, which must not be below the
// last document asked; ok is false when the term is not in doc.
func (tp *termPostings) at(doc uint64) (freq uint64, norm float64, ok bool) {
	for tp.seg+1 < len(tp.offsets) && tp.offsets[tp.seg+1] <= doc {
		tp.seg++
		tp.pos = 0
	}
	d := tp.segs[tp.seg]
	local := uint32(doc - tp.offsets[tp.seg])
	// Gallop: double the step until past local, then search that span.
	lo, step := tp.pos, 1
	hi := lo
	for hi < len(d.docs) && d.docs[hi] < local {
		lo = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, len(d.docs))
	i := lo + sort.Search(hi-lo, func(j int) bool { return d.docs[lo+j] >= local })
	tp.pos = i
	if i == len(d.docs) || d.docs[i] != local {
		return 0, 0, false
	}
	return uint64(d.freqs[i]), float64(d.norms[i]), true
}

// newByteCache makes a cache that holds at most maxBytes, as weigh counts
// its entries, and counts its hits and misses (CacheStats).
func newByteCache[K comparable, V any](maxBytes uint64, weigh func(K, V) uint32) *otter.Cache[K, V] {
	return otter.Must(&otter.Options[K, V]{MaximumWeight: maxBytes, Weigher: weigh, StatsRecorder: stats.NewCounter()})
}

// CacheStat is what one of an open index's search caches holds and how
// it served: "postings" (postcache.go) or "pair_hits" (paircache.go).
type CacheStat struct {
	Name                    string
	Hits, Misses, Evictions uint64
	Bytes, MaxBytes         uint64
}

func cacheStat[K comparable, V any](name string, c *otter.Cache[K, V]) CacheStat {
	st := c.Stats()
	return CacheStat{Name: name, Hits: st.Hits, Misses: st.Misses, Evictions: st.Evictions,
		Bytes: c.WeightedSize(), MaxBytes: c.GetMaximum()}
}

// CacheStats returns the figures of the index's search caches, for
// monitoring (/metrics).
func (ix *Index) CacheStats() []CacheStat {
	return []CacheStat{cacheStat("postings", ix.postings.c), cacheStat("pair_hits", ix.pairHits.c)}
}
