package index

// Wire copies: the same agency story run by several papers with small
// edits (a changed title, a dropped or added sentence, another spelling of a
// word) is detected when it is indexed and grouped, so that search can show
// one hit per group.
//
// # Detection
//
// The text of an article (title, summary and body, in that order) goes
// through the unstemmed analyzer ar_exact_v2 (normalized: إستثمار and
// استثمار are one word; stop words dropped), and its words are cut into
// overlapping shingles of shingleWords consecutive words. Two copies of one
// story share most of their shingles; two papers writing about the same
// event in their own words share few, because every changed word breaks
// the shingleWords shingles that hold it.
//
// The Jaccard similarity of two articles' shingle sets is estimated by
// MinHash: minHashes hash functions (one 64-bit base hash per shingle,
// FNV-1a, mixed with a per-function seed by the splitmix64 finalizer), each
// keeping its smallest value over the article's shingles. The fraction of
// functions on which two articles agree estimates their Jaccard similarity
// (standard error sqrt(J(1-J)/minHashes), 0.046 at J = 0.5).
//
// Finding the articles to compare uses LSH banding: the minHashes values are
// cut into wireBands bands of bandRows values; each band hashes to a term of
// the indexed, unstored keyword field "lsh" (the band number is part of the
// hash, so bands never meet across positions). Two articles that share a
// band term become candidates: with similarity J they share at least one of
// the bands with probability 1-(1-J^bandRows)^wireBands, which is 0.47 at
// J = 0.25, 0.66 at J = 0.3, 0.93 at J = 0.4 and 0.99 at J = 0.5; an
// unrelated pair at J = 0.05 is a candidate with probability 0.005. A bulk
// build (bulk.go) finds them in memory and writes its articles' band terms
// to the wire-bands file beside the index (bandfile.go) instead of into
// it; an article written later looks in both. Candidates (at most
// maxCandidates from each, those sharing most bands) are copies
// when their estimated similarity reaches wireThreshold, or when the
// estimated containment of the shorter text in the longer reaches
// wireContainment with a similarity of at least wireCutThreshold (a paper
// that cut the story, or added to it).
//
// The signature is stored with the article (field "minhash", stored, not
// indexed) as the low 16 bits of each value: b-bit MinHash (Li and König,
// 2010); two unrelated values agree with probability 2^-16, a bias the
// estimate ignores. With the number of distinct shingles (which gives the
// containment) it takes 2+2*minHashes bytes per article.
//
// Articles with fewer than minWireWords words (after stop words) get no
// signature and are never grouped: two one-line briefs that say the same
// thing in the same words are not a story run twice.
//
// Every constant here shapes the stored "lsh" terms and "minhash" values:
// changing one requires a new SchemaVersion and a reindex.
//
// # Groups
//
// Every article stores its group key in the stored keyword field "wire":
// the id of the article that started the group, which is the article's own
// id when it matched nothing. An article joins the group of the candidate
// with the highest estimated similarity (ties to the smaller key); groups
// are never merged, so an article that resembles two groups joins one, and
// groups are single-linkage: C joins A's group through B when C resembles B
// and B resembles A, even when C does not resemble A.
//
// The key of a group is the id of its first article in ingest order: a
// reindex (articles in id order) makes it the smallest id of the group.
// Concurrent ingest writers may see two copies in either order, so which
// copy is the key can vary between two loads of one file; the grouping
// itself varies only for an article that resembles two groups.
//
// Ingest runs several writers in parallel (see writers in ingest.go), so the
// copies of a story can arrive in one batch or in two concurrent batches.
// Each batch assigns its groups under one lock (wireState.mu) that also
// covers the batches still being written: their articles wait in an
// in-flight table until their batch is searchable, and a later batch
// compares against both the index and that table. Within a batch, articles
// are compared with the earlier ones of the batch.
//
// Upsert recomputes the article's group from its new text, comparing with
// every other article (never with its own old version). When the article
// was the key of a group whose other members it no longer resembles, those
// members keep the key (it is only a key), and the article, whose own id is
// then taken, gets the key ID#xxxxxxxx (its id and a hash of its
// signature). The same holds for a new article whose id was once the key of
// a group that was left behind when that article was deleted.
//
// Delete leaves the other members of a deleted article's group with its
// key: they still collapse together and WireCopies still finds them.

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

const (
	shingleWords  = 4   // words per shingle
	minHashes     = 120 // MinHash functions
	bandRows      = 3   // values per LSH band
	wireBands     = minHashes / bandRows
	wireThreshold = 0.5 // estimated Jaccard similarity from which two articles are copies
	// A paper that runs a cut version of a story (or adds to it) keeps most
	// of the shorter text: two articles are also copies when this much of
	// the smaller shingle set is in the larger one and their similarity is
	// at least wireCutThreshold (the shorter is at least a quarter of the
	// longer).
	wireContainment  = 0.8
	wireCutThreshold = 0.25
	minWireWords     = 12 // shorter articles are never grouped
	maxCandidates    = 50 // candidates compared per article, the ones sharing most bands
)

// wireAnalyzer makes the words of the shingles. It is the analysis of
// ar_exact_v2, fixed here whatever analyzers an index was created with.
var wireAnalyzer = analyzer.NewExact()

// signature is an article's MinHash signature.
type signature [minHashes]uint64

// shingleHashes returns the base hashes of the distinct shingles of the
// article's text, or nil when it has fewer than minWireWords words.
func shingleHashes(a Article) []uint64 { return articleShingles(&textTokens{}, a) }

// articleShingles is shingleHashes with the exact tokens of texts (the
// tokens of wireAnalyzer), which the article's fields may have made.
func articleShingles(texts *textTokens, a Article) []uint64 {
	var words [][]byte
	for _, t := range []string{a.Title, a.Summary, a.Body} {
		for _, tok := range texts.exact([]byte(t)) {
			words = append(words, tok.Term)
		}
	}
	return shingleHashesOf(words)
}

// shingleHashesOf is shingleHashes of the words wireAnalyzer made.
func shingleHashesOf(words [][]byte) []uint64 {
	if len(words) < minWireWords {
		return nil
	}
	seen := make(map[uint64]struct{}, len(words))
	out := make([]uint64, 0, len(words))
	for i := 0; i+shingleWords <= len(words); i++ {
		h := fnv.New64a()
		for _, w := range words[i : i+shingleWords] {
			h.Write(w)
			h.Write([]byte{0})
		}
		s := h.Sum64()
		if _, ok := seen[s]; !ok {
			seen[s] = struct{}{}
			out = append(out, s)
		}
	}
	return out
}

// minHashSeeds are the seeds of the hash functions: a splitmix64 sequence.
var minHashSeeds = func() (s [minHashes]uint64) {
	x := uint64(0x6261687468) // "bahth"
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix64(x)
	}
	return s
}()

// mix64 is the splitmix64 finalizer.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// minHash returns the signature of a set of shingle hashes (not empty).
func minHash(shingles []uint64) *signature {
	var sig signature
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, h := range shingles {
		for i, seed := range minHashSeeds {
			if v := mix64(h ^ seed); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return &sig
}

// wireSignature returns the article's band terms and packed signature, or
// nils when it is too short to be grouped.
func wireSignature(a Article) ([]string, packed) { return wireSignatureOf(&textTokens{}, a) }

// wireSignatureOf is wireSignature with the exact tokens of texts.
func wireSignatureOf(texts *textTokens, a Article) ([]string, packed) {
	sh := articleShingles(texts, a)
	if len(sh) == 0 {
		return nil, nil
	}
	sig := minHash(sh)
	return sig.bandTerms(), sig.pack(len(sh))
}

// bandTerms returns the article's LSH band terms: each band's values and
// number hashed to 48 bits, written as 12 hex digits.
func (s *signature) bandTerms() []string {
	return bandTermsOf(s.bandHashes())
}

// bandTermsOf writes band hashes out as band terms, 12 hex digits each.
func bandTermsOf(hashes []uint64) []string {
	out := make([]string, len(hashes))
	for b, h := range hashes {
		out[b] = fmt.Sprintf("%012x", h)
	}
	return out
}

// bandHashes returns the 48-bit hashes that bandTerms writes out.
func (s *signature) bandHashes() []uint64 {
	out := make([]uint64, wireBands)
	var buf [8 * (bandRows + 1)]byte
	for b := range wireBands {
		binary.LittleEndian.PutUint64(buf[:], uint64(b))
		for r := range bandRows {
			binary.LittleEndian.PutUint64(buf[8*(r+1):], s[b*bandRows+r])
		}
		h := fnv.New64a()
		h.Write(buf[:])
		out[b] = h.Sum64() >> 16
	}
	return out
}

// packed is the stored form of a signature: the number of distinct
// shingles (2 bytes, at most 65535) and the low 16 bits of each value.
type packed []byte

const packedLen = 2 + 2*minHashes

func (s *signature) pack(shingles int) packed {
	out := make(packed, packedLen)
	binary.LittleEndian.PutUint16(out, uint16(min(shingles, 0xffff)))
	for i, v := range s {
		binary.LittleEndian.PutUint16(out[2+2*i:], uint16(v))
	}
	return out
}

// similarity estimates the Jaccard similarity of two packed signatures
// and the containment of the smaller shingle set in the larger
// (|A∩B|/min(|A|,|B|), with |A∩B| = J(|A|+|B|)/(1+J)), capped at 1. Both
// are 0 when either signature is missing or malformed.
func (p packed) similarity(q packed) (jaccard, containment float64) {
	if len(p) != packedLen || len(q) != packedLen {
		return 0, 0
	}
	same := 0
	for i := 2; i < len(p); i += 2 {
		if p[i] == q[i] && p[i+1] == q[i+1] {
			same++
		}
	}
	jaccard = float64(same) / minHashes
	a, b := float64(binary.LittleEndian.Uint16(p)), float64(binary.LittleEndian.Uint16(q))
	if a == 0 || b == 0 {
		return jaccard, 0
	}
	return jaccard, min(1, jaccard*(a+b)/(1+jaccard)/min(a, b))
}

// Stored and indexed field names of wire detection.
const (
	fieldWire    = "wire"    // stored keyword: the group key
	fieldLSH     = "lsh"     // indexed keyword, not stored: the band terms
	fieldMinHash = "minhash" // stored only: the packed signature
)

// wireInfo is what ingest computed for one article.
type wireInfo struct {
	id    string
	key   string   // group key
	bands []string // nil for an article too short to group
	sig   packed
}

// addTo adds the wire fields to the article's bleve document: the group
// key, the band terms (none in a bulk build, which writes them to the
// wire-bands file instead, bandfile.go) and the signature.
func (w *wireInfo) addTo(doc *document.Document) {
	doc.AddField(document.NewTextFieldWithIndexingOptions(fieldWire, nil, []byte(w.key), bindex.IndexField|bindex.StoreField))
	for i, b := range w.bands {
		doc.AddField(document.NewTextFieldWithIndexingOptions(fieldLSH, []uint64{uint64(i)}, []byte(b), bindex.IndexField))
	}
	if w.sig != nil {
		doc.AddField(document.NewTextFieldWithIndexingOptions(fieldMinHash, nil, w.sig, bindex.StoreField))
	}
}

// wireState holds the articles of the batches being written, which a
// search of the index does not see yet.
type wireState struct {
	mu       sync.Mutex
	inflight map[string]*wireInfo   // by id
	byBand   map[string][]*wireInfo // by band term
}

// assignWire computes the group of every article of a batch (distinct ids,
// their signatures in infos) and registers them as in flight; done removes
// them again and must be called once the batch is searchable or has failed.
func (ix *Index) assignWire(ctx context.Context, infos []*wireInfo) (done func(), err error) {
	st := &ix.wire
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.inflight == nil {
		st.inflight, st.byBand = map[string]*wireInfo{}, map[string][]*wireInfo{}
	}
	var added []*wireInfo
	done = func() {
		st.mu.Lock()
		defer st.mu.Unlock()
		for _, w := range added {
			if st.inflight[w.id] == w {
				delete(st.inflight, w.id)
			}
			for _, b := range w.bands {
				st.byBand[b] = slices.DeleteFunc(st.byBand[b], func(x *wireInfo) bool { return x == w })
				if len(st.byBand[b]) == 0 {
					delete(st.byBand, b)
				}
			}
		}
	}
	for _, w := range infos {
		matches, err := ix.wireMatches(ctx, w)
		if err != nil {
			done()
			return nil, err
		}
		if len(matches) > 0 {
			w.key = matches[0].Key
		} else if taken, err := ix.keyTaken(ctx, w.id); err != nil {
			done()
			return nil, err
		} else if taken {
			w.key = w.id + "#" + fmt.Sprintf("%08x", fnv32(w.sig))
		}
		st.inflight[w.id] = w
		for _, b := range w.bands {
			st.byBand[b] = append(st.byBand[b], w)
		}
		added = append(added, w)
	}
	return done, nil
}

func fnv32(b []byte) uint32 {
	h := fnv.New32a()
	h.Write(b)
	return h.Sum32()
}

// WireMatch is another article compared with one article's signature.
type WireMatch struct {
	ID          string  `json:"id"`
	Key         string  `json:"key"`         // its group key
	Similarity  float64 `json:"similarity"`  // estimated Jaccard similarity of the shingle sets
	Containment float64 `json:"containment"` // estimated share of the smaller set in the larger
	Copy        bool    `json:"copy"`        // whether the two are wire copies
}

func newWireMatch(id, key string, a, b packed) WireMatch {
	j, c := a.similarity(b)
	return WireMatch{ID: id, Key: key, Similarity: j, Containment: c, Copy: isCopy(j, c)}
}

// isCopy decides from the estimated similarity and containment.
func isCopy(jaccard, containment float64) bool {
	return jaccard >= wireThreshold || (jaccard >= wireCutThreshold && containment >= wireContainment)
}

// wireMatches returns the articles w is a copy of (estimated similarity at
// least wireThreshold), best first; ix.wire.mu must be held.
func (ix *Index) wireMatches(ctx context.Context, w *wireInfo) ([]WireMatch, error) {
	cands, err := ix.wireCandidates(ctx, w)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, c := range cands {
		if c.Copy {
			cands[n] = c
			n++
		}
	}
	return cands[:n], nil
}

// wireCandidates returns the articles sharing a band with w, in the index
// and in flight, with their estimated similarity, most similar first (ties
// by key, then id); w itself is never among them. ix.wire.mu must be held
// when ix.wire is in use.
func (ix *Index) wireCandidates(ctx context.Context, w *wireInfo) ([]WireMatch, error) {
	if len(w.bands) == 0 {
		return nil, nil
	}
	var out []WireMatch
	st := &ix.wire
	seen := map[string]bool{w.id: true}
	for _, b := range w.bands {
		for _, o := range st.byBand[b] {
			if !seen[o.id] {
				seen[o.id] = true
				out = append(out, newWireMatch(o.id, o.key, w.sig, o.sig))
			}
		}
	}
	// The articles written since any bulk build whose band terms w shares,
	// and those of a bulk build that do (bandfile.go): the most sharing of
	// each, read with their stored signatures as they are now.
	ids, err := ix.bandTermCandidates(ctx, w)
	if err != nil {
		return nil, fmt.Errorf("looking up wire copies of %s: %w", w.id, err)
	}
	ids = append(ids, ix.bands.candidates(w.bands, w.id, maxCandidates+1)...)
	var hits search.DocumentMatchCollection
	if len(ids) > 0 {
		req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
		req.Fields = []string{fieldWire, fieldMinHash}
		res, err := ix.bleve.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("looking up wire copies of %s: %w", w.id, err)
		}
		hits = res.Hits
	}
	for _, h := range hits {
		// An article of a batch in flight is compared in its new version.
		if seen[h.ID] || st.inflight[h.ID] != nil {
			continue
		}
		seen[h.ID] = true
		key, _ := h.Fields[fieldWire].(string)
		sig, _ := h.Fields[fieldMinHash].(string)
		if key == "" {
			key = h.ID
		}
		out = append(out, newWireMatch(h.ID, key, w.sig, packed(sig)))
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Similarity != b.Similarity {
			return a.Similarity > b.Similarity
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.ID < b.ID
	})
	return out, nil
}

// bandTermCandidates returns the ids of the articles of the index, other
// than w, whose band terms share the most bands with w's, at most
// maxCandidates+1 (ties in document order). It counts the bands from their
// postings' bitmaps: a term searcher per band term and segment was most of
// the cost of a live write's wire-copy lookup.
func (ix *Index) bandTermCandidates(ctx context.Context, w *wireInfo) ([]string, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	shared, err := sharedTerms(ctx, r, fieldLSH, w.bands)
	if err != nil {
		return nil, err
	}
	return mostShared(shared, w.id, maxCandidates+1, func(d uint32) (string, error) {
		return r.ExternalID(docID(uint64(d)))
	})
}

// mostShared returns the ids of the keys of shared (an article's number
// and the bands it shares), most bands first, ties in key order, at most
// limit; an empty id and self are left out. Both places an article's wire
// candidates come from rank them so: the index's band terms and the band
// file.
func mostShared[K cmp.Ordered](shared map[K]int, self string, limit int, id func(K) (string, error)) ([]string, error) {
	keys := slices.Collect(maps.Keys(shared))
	slices.SortFunc(keys, func(a, b K) int {
		if shared[a] != shared[b] {
			return shared[b] - shared[a]
		}
		return cmp.Compare(a, b)
	})
	var out []string
	for _, k := range keys {
		if len(out) == limit {
			break
		}
		s, err := id(k)
		if err != nil {
			return nil, err
		}
		if s != "" && s != self {
			out = append(out, s)
		}
	}
	return out, nil
}

// sharedTerms counts, for each document (by the reader's number) holding
// any of terms in field, how many of them it holds, deleted documents left
// out. A scorch snapshot's segments are read directly, each one's
// dictionary opened once for all the terms; another reader goes through
// termDocs.
func sharedTerms(ctx context.Context, r bindex.IndexReader, field string, terms []string) (map[uint32]int, error) {
	shared := map[uint32]int{}
	add := func(bm *roaring.Bitmap, base uint64) {
		for it := bm.Iterator(); it.HasNext(); {
			shared[uint32(base)+it.Next()]++
		}
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if ok {
		segs := snap.Segments()
		offsets, n := segmentOffsets(segs)
		ok = n < math.MaxUint32
		for i, ss := range segs {
			if !ok {
				break
			}
			dict, err := ss.Segment().Dictionary(field)
			if err != nil {
				return nil, err
			}
			for _, t := range terms {
				pl, err := dict.PostingsList([]byte(t), ss.Deleted(), nil)
				if err != nil {
					return nil, err
				}
				bm, isBitmap := postingsBitmap(pl)
				if !isBitmap {
					ok = false
					break
				}
				add(bm, offsets[i])
			}
		}
		if ok {
			return shared, nil
		}
		clear(shared)
	}
	for _, t := range terms {
		bm, err := termDocs(ctx, r, field, t)
		if err != nil {
			return nil, err
		}
		add(bm, 0)
	}
	return shared, nil
}

// keyTaken says whether an article other than id holds id as its group
// key, in the index or in flight; ix.wire.mu must be held.
func (ix *Index) keyTaken(ctx context.Context, id string) (bool, error) {
	for _, o := range ix.wire.inflight {
		if o.key == id && o.id != id {
			return true, nil
		}
	}
	members, err := ix.wireMembers(ctx, id, 2)
	if err != nil {
		return false, err
	}
	for _, m := range members {
		if m != id {
			if o := ix.wire.inflight[m]; o == nil || o.key == id {
				return true, nil
			}
		}
	}
	return false, nil
}

// wireMembers returns the ids of up to max articles of the index whose
// group key is key, in id order.
func (ix *Index) wireMembers(ctx context.Context, key string, max int) ([]string, error) {
	t := bleve.NewTermQuery(key)
	t.SetField(fieldWire)
	req := bleve.NewSearchRequestOptions(t, max, 0, false)
	req.SortBy([]string{"_id"})
	req.Score = "none"
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("looking up wire group %s: %w", key, err)
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out, nil
}

// maxGroup bounds the members WireCopies and wireGroups return per group.
const maxGroup = 100

// storedArticle returns the stored fields of one article, or ErrNotFound.
func (ix *Index) storedArticle(ctx context.Context, id string, fields ...string) (*search.DocumentMatch, error) {
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = fields
	req.Score = "none"
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("reading article %q: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("article %q: %w", id, ErrNotFound)
	}
	return res.Hits[0], nil
}

// WireCopies returns the ids of the other articles of id's wire group, in
// id order (at most 100); none when the article has no copies. An unknown
// id is ErrNotFound.
func (ix *Index) WireCopies(ctx context.Context, id string) ([]string, error) {
	h, err := ix.storedArticle(ctx, id, fieldWire)
	if err != nil {
		return nil, err
	}
	key, _ := h.Fields[fieldWire].(string)
	if key == "" {
		return nil, nil
	}
	members, err := ix.wireMembers(ctx, key, maxGroup+1)
	if err != nil {
		return nil, err
	}
	members = slices.DeleteFunc(members, func(m string) bool { return m == id })
	if len(members) == 0 {
		return nil, nil
	}
	return members[:min(len(members), maxGroup)], nil
}

// WireCandidates explains id's grouping: the articles sharing an LSH band
// with it, with their estimated similarity, most similar first. Those at
// or above the threshold (WireThreshold) are the copies it would join now.
// It is meant for debugging and for measuring the detector
// (internal/dupeval). An unknown id is ErrNotFound.
func (ix *Index) WireCandidates(ctx context.Context, id string) ([]WireMatch, error) {
	h, err := ix.storedArticle(ctx, id, sourceField)
	if err != nil {
		return nil, err
	}
	a, err := storedSource(h.Fields)
	if err != nil {
		return nil, fmt.Errorf("stored article %q: %w", id, err)
	}
	w := &wireInfo{id: id}
	w.bands, w.sig = wireSignature(a)
	ix.wire.mu.Lock()
	defer ix.wire.mu.Unlock()
	return ix.wireCandidates(ctx, w)
}

// WireThreshold is the estimated similarity from which two articles are
// wire copies.
const WireThreshold = wireThreshold

// WireGroup describes the group of a collapsed hit.
type WireGroup struct {
	Key    string   `json:"key"`
	Count  int      `json:"count"`  // articles in the group, the hit included
	Others []string `json:"others"` // the other articles' ids, in id order (at most 100)
}

// collapseWire keeps, in order, the first hit of each group: keys[i] is
// the stored "wire" field of hit i (an empty key is a group of its own).
// It returns the indexes of the kept hits.
func collapseWire(keys []string) []int {
	seen := make(map[string]bool, len(keys))
	var keep []int
	for i, k := range keys {
		if k != "" {
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		keep = append(keep, i)
	}
	return keep
}

// wireGroups returns the group of each kept hit, ids[i] with key keys[i]:
// one term search per key, which counts the whole group and lists up to
// maxGroup other members in id order. A hit alone in its group (or with no
// key) gets Count 1 and no Others.
func (ix *Index) wireGroups(ctx context.Context, ids, keys []string) ([]WireGroup, error) {
	out := make([]WireGroup, len(ids))
	for i, id := range ids {
		out[i] = WireGroup{Key: keys[i], Count: 1}
		if keys[i] == "" {
			continue
		}
		t := bleve.NewTermQuery(keys[i])
		t.SetField(fieldWire)
		req := bleve.NewSearchRequestOptions(t, maxGroup+1, 0, false)
		req.SortBy([]string{"_id"})
		req.Score = "none"
		res, err := ix.bleve.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("looking up wire group %s: %w", keys[i], err)
		}
		for _, h := range res.Hits {
			if h.ID != id && len(out[i].Others) < maxGroup {
				out[i].Others = append(out[i].Others, h.ID)
			}
		}
		// The hit holds its key, so the search counted it (unless it was
		// deleted since it was found).
		out[i].Count = max(int(res.Total), len(out[i].Others)+1)
	}
	return out, nil
}
