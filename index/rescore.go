package index

// Rescoring, as Elasticsearch's rescore with a window: a ranked search
// first ranks by everything but the typed words' pairs (phase 1, pruned:
// their bounds no longer weaken MaxScore), then reads positions for the
// window, the Window best documents of phase 1 (score, then id), adds
// their pairs' scores and sorts them again. The order is a total one:
//
//   - a document in the window scores its phase-1 score plus its pairs,
//     exactly as it would with the pairs scored everywhere (scoreParts);
//   - any other document scores its phase-1 score;
//   - ties go to the lower id, as everywhere.
//
// Since pairs only add, every window document scores at least the
// window's lowest phase-1 score, which no other document exceeds (and a
// document outside tied with it has a higher id): the window comes first,
// and the final score with the id is the order of every hit. Page, from,
// cursors (search_after on the final score and id) and the total work on
// it unchanged; a deeper page reads the documents after the window in
// phase-1 order.
//
// Only the typed words' pairs are rescored (pairClause.Group -1): those
// of a quoted phrase or of a synonym's spelling in several words count
// for their group (the tier, coordination) and may match documents of
// their own, so they stay in phase 1.

import (
	"cmp"
	"context"
	"fmt"
	"github.com/RoaringBitmap/roaring/v2"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// rescoreWindow is the window of DefaultRanking (see Ranking.Window):
// windows of 20 to 100 gave the same dev-set figures, and 30 is what a
// 10-hit page with wire copies folded reads anyway (collapseOverfetch),
// so the window costs such a page no pruning.
const rescoreWindow = 30

// rescorePair is a pair of the typed words left to rescoring.
type rescorePair struct {
	scorer        *bm25Searcher // its weight and BM25 parameters: set scores a document
	first, second string
}

// bm25IDF is Lucene's BM25 idf of a term in df of n documents.
func bm25IDF(n, df float64) float64 {
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// pairSample is how many of the documents holding both stems of a typed
// pair typedPairIDF reads positions for.
const pairSample = 64

// typedPairIDF is the idf of a pair of the typed words, from an estimate
// of its document frequency that reads positions for pairSample documents
// at most: the number of documents holding both stems (a postings
// intersection without positions) times the share of the first
// pairSample of them that hold the pair (exact when there are no more).
// Rescoring then reads positions for the window only. It returns the
// documents holding both stems too; ok is false when no document holds
// the pair or when it is skipped (pairMaxShare).
//
// On the dev sets the estimate gave the exact document frequency's
// figures (news-headlines MRR@10 0.7044 against 0.7046, the other two
// unchanged); the intersection count alone lost 0.0034 on news-headlines,
// the sum of the two stems' idfs (Lucene's phrase idf) 0.0048
// (docs/relevance.md).
func typedPairIDF(ctx context.Context, r bindex.IndexReader, p pairClause, n uint64) (idf float64, both *roaring.Bitmap, ok bool, err error) {
	both, err = pairDocs(ctx, r, p)
	if err != nil || both == nil || both.IsEmpty() {
		return 0, nil, false, err
	}
	all := int(both.GetCardinality())
	m := min(all, pairSample)
	hits, err := findPairsIn(ctx, r, p, both, m)
	if err != nil {
		return 0, nil, false, err
	}
	if len(hits) == 0 && m == all {
		return 0, nil, false, nil
	}
	df := max(1, float64(all)*float64(len(hits))/float64(m))
	return bm25IDF(float64(n), df), both, true, nil
}

// postingsAt reads one term's postings, with positions, at increasing
// documents, never advancing the reader to or before its current one
// (scorch would reopen the postings from the start).
type postingsAt struct {
	reader bindex.TermFieldReader
	tfd    bindex.TermFieldDoc
	cur    *bindex.TermFieldDoc
	done   bool
}

// at returns the posting of doc, or nil when the term is not in it.
func (p *postingsAt) at(doc uint64) (*bindex.TermFieldDoc, error) {
	if p.done {
		return nil, nil
	}
	if p.cur == nil || docNum(p.cur.ID) < doc {
		cur, err := p.reader.Advance(docID(doc), p.tfd.Reset())
		if err != nil {
			return nil, err
		}
		if cur == nil {
			p.done = true
			return nil, nil
		}
		p.cur = cur
	}
	if docNum(p.cur.ID) != doc {
		return nil, nil
	}
	return p.cur, nil
}

// rescore adds the pairs' scores to the window's documents and sets their
// scores: for each pair in the query's order (the order collect sums
// them), the positions of its two stems are read for the window only,
// each stem once (a middle word is in two pairs).
func rescore(ctx context.Context, r bindex.IndexReader, s *sumSearcher, win []topHit) error {
	pairs := s.rescore
	byDoc := make([]int, len(win))
	for i := range byDoc {
		byDoc[i] = i
	}
	slices.SortFunc(byDoc, func(a, b int) int { return cmp.Compare(win[a].doc, win[b].doc) })
	stems := map[[2]string]*stemInWindow{}
	stem := func(field, term string) (*stemInWindow, error) {
		key := [2]string{field, term}
		if st, ok := stems[key]; ok {
			return st, nil
		}
		st, err := readStemInWindow(ctx, r, field, term, win, byDoc)
		stems[key] = st
		return st, err
	}
	for _, p := range pairs {
		first, err := stem(p.scorer.field, p.first)
		if err != nil {
			return err
		}
		second, err := stem(p.scorer.field, p.second)
		if err != nil {
			return err
		}
		for i := range win {
			a, b := first.vectors[i], second.vectors[i]
			if a == nil || b == nil {
				continue
			}
			if n := follows(a, b); n > 0 {
				p.scorer.set(win[i].doc, n, first.norms[i])
				win[i].parts.sum += p.scorer.score
			}
		}
	}
	for i := range win {
		win[i].score = win[i].parts.score()
	}
	return nil
}

// stemInWindow is one stem's positions and norm in each of the window's
// documents (nil positions where it is absent).
type stemInWindow struct {
	vectors [][]*bindex.TermFieldVector
	norms   []float64
}

// readStemInWindow reads a stem's postings at the window's documents, in
// document order (byDoc), copying what the reader reuses.
func readStemInWindow(ctx context.Context, r bindex.IndexReader, field, term string, win []topHit, byDoc []int) (*stemInWindow, error) {
	st := &stemInWindow{vectors: make([][]*bindex.TermFieldVector, len(win)), norms: make([]float64, len(win))}
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, true)
	if err != nil {
		return st, err
	}
	defer tfr.Close()
	at := postingsAt{reader: tfr}
	for _, i := range byDoc {
		tm, err := at.at(win[i].doc)
		if err != nil {
			return st, err
		}
		if tm == nil {
			continue
		}
		vs := make([]*bindex.TermFieldVector, len(tm.Vectors))
		for j, v := range tm.Vectors {
			c := *v
			c.ArrayPositions = slices.Clone(v.ArrayPositions)
			vs[j] = &c
		}
		st.vectors[i], st.norms[i] = vs, tm.Norm
	}
	return st, nil
}

// explainDocs returns the explanations of docs: for those rescored, the
// query's with the pairs scored everywhere (the same score, its pairs
// shown); for the others, phase 1's, which says the pairs were not read.
func (ix *Index) explainDocs(ctx context.Context, r bindex.IndexReader, q *scoreQuery, docs []uint64, rescored map[uint64]bool) (map[uint64]*search.Explanation, error) {
	out := map[uint64]*search.Explanation{}
	all := *q
	all.Window = 0
	for _, in := range []bool{true, false} {
		sq := q
		if in {
			sq = &all
		}
		var ds []uint64
		for _, d := range docs {
			if rescored[d] == in {
				ds = append(ds, d)
			}
		}
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		srch, err := sq.Searcher(ctx, r, ix.bleve.Mapping(), search.SearcherOptions{Explain: true})
		if err != nil {
			return nil, err
		}
		s := srch.(*sumSearcher)
		sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
		for _, d := range ds {
			m, err := s.Advance(sctx, docID(d))
			if err != nil {
				_ = s.Close()
				return nil, err
			}
			if m == nil || docNum(m.IndexInternalID) != d || m.Expl == nil {
				continue
			}
			e := m.Expl
			if q.Window > 0 && in {
				e.Message += fmt.Sprintf("; adjacent query words scored: among the %d best without them", q.Window)
			} else if q.Window > 0 && len(s.rescore) > 0 {
				e.Message += fmt.Sprintf("; adjacent query words not scored: not among the %d best without them", q.Window)
			}
			out[d] = e
		}
		if err := s.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
