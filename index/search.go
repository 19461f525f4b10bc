package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Ranking holds the weights of the ranking formula. DefaultRanking is what
// users get; the evaluation command can vary it for ablations.
type Ranking struct {
	K1, B float64 // BM25 parameters
	Text  float64 // weight of stemmed matches in title+body
	Exact float64 // weight of unstemmed (normalized) matches in title+body
	Title float64 // extra weight of stemmed matches in the title
	Coord float64 // exponent of the fraction of query terms matched
	Pairs float64 // weight of adjacent query stems found adjacent in title+body
	Lead  float64 // extra weight of stemmed matches in the body's first words
}

// DefaultRanking is the ranking measured in docs/relevance.md.
//
// Measured on the dev halves of three collections (docs/relevance.md): a
// lower k1 than Lucene's 1.2 (term frequency saturates sooner in short
// paragraphs), a quarter weight for exact-form matches, half for title
// matches, 0.3 for adjacent pairs and for the lead, and no coordination
// factor, which lost on every collection.
var DefaultRanking = Ranking{K1: 0.8, B: 0.75, Text: 1, Exact: 0.25, Title: 0.5, Pairs: 0.3, Lead: 0.3, Coord: 0}

// Request is one search.
type Request struct {
	Query     string
	Size      int // hits per page; 0 means 10
	From      int
	Highlight bool
	Explain   bool
	Ranking   *Ranking // nil means DefaultRanking
}

// Hit is one ranked article.
type Hit struct {
	ID          string              `json:"id"`
	Score       float64             `json:"score"`
	Article     Article             `json:"article"`
	Snippets    map[string][]string `json:"snippets,omitempty"`
	Explanation *search.Explanation `json:"explanation,omitempty"`
}

// Result is a page of hits.
type Result struct {
	Total uint64        `json:"total"`
	Hits  []Hit         `json:"hits"`
	Took  time.Duration `json:"took"`
}

// ErrInvalidQuery is returned for a request that can't be run.
var ErrInvalidQuery = errors.New("invalid query")

// Search runs a ranked search over title and body.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	if req.Size < 0 || req.From < 0 {
		return nil, fmt.Errorf("%w: size and from must not be negative", ErrInvalidQuery)
	}
	if req.Size == 0 {
		req.Size = 10
	}
	r := DefaultRanking
	if req.Ranking != nil {
		r = *req.Ranking
	}
	q := ix.buildQuery(req.Query, r)
	if len(q.Clauses) == 0 {
		return &Result{Hits: []Hit{}}, nil
	}
	sr := bleve.NewSearchRequestOptions(q, req.Size, req.From, req.Explain)
	sr.Fields = []string{sourceField}
	sr.SortBy([]string{"-_score", "_id"})
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("searching %q: %w", req.Query, err)
	}
	out := &Result{Total: res.Total, Took: res.Took, Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		hit := Hit{ID: h.ID, Score: h.Score, Explanation: h.Expl}
		if raw, ok := h.Fields[sourceField].(string); ok {
			_ = json.Unmarshal([]byte(raw), &hit.Article)
		}
		out.Hits = append(out.Hits, hit)
	}
	if req.Highlight && len(out.Hits) > 0 {
		if err := ix.highlight(ctx, req.Query, out.Hits); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// buildQuery analyzes the user's text and weights each term in each field.
func (ix *Index) buildQuery(text string, r Ranking) *scoreQuery {
	q := &scoreQuery{Params: bm25Params{K1: r.K1, B: r.B}, CoordExp: r.Coord, AvgLen: ix.avgLengths()}
	stems := termCounts(ix.stem.Analyze([]byte(text)))
	exact := termCounts(ix.exact.Analyze([]byte(text)))
	add := func(field, term string, w float64, group int) {
		if w != 0 {
			q.Clauses = append(q.Clauses, termClause{Field: field, Term: term, Weight: w})
			q.Groups = append(q.Groups, group)
		}
	}
	for _, t := range stems {
		g := t.group
		add(fieldText, t.term, r.Text*float64(t.n), g)
		add(fieldTitle, t.term, r.Title*float64(t.n), g)
		add(fieldLead, t.term, r.Lead*float64(t.n), g)
	}
	for _, t := range exact {
		add(fieldExact, t.term, r.Exact*float64(t.n), -1)
	}
	if r.Pairs != 0 {
		pairs := termCounts(ix.pairs.Analyze([]byte(text)))
		for _, t := range pairs {
			add(fieldPairs, t.term, r.Pairs*float64(t.n), -1)
		}
	}
	for _, t := range stems {
		q.NGroups = max(q.NGroups, t.group+1)
	}
	return q
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

// highlight fills the hits' snippets with bleve's highlighter: a second
// search restricted to the page's ids matches the query in title and body,
// whose term vectors carry the words' offsets in the original text.
func (ix *Index) highlight(ctx context.Context, text string, hits []Hit) error {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	mt := bleve.NewMatchQuery(text)
	mt.SetField(fieldTitle)
	mb := bleve.NewMatchQuery(text)
	mb.SetField(fieldBody)
	ms := bleve.NewMatchQuery(text)
	ms.SetField(fieldSummary)
	q := bleve.NewConjunctionQuery(query.NewDocIDQuery(ids), bleve.NewDisjunctionQuery(mt, ms, mb))
	sr := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	sr.Highlight = bleve.NewHighlightWithStyle(html.Name)
	sr.Highlight.AddField(fieldTitle)
	sr.Highlight.AddField(fieldSummary)
	sr.Highlight.AddField(fieldBody)
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return fmt.Errorf("highlighting: %w", err)
	}
	frags := make(map[string]map[string][]string, len(res.Hits))
	for _, h := range res.Hits {
		frags[h.ID] = h.Fragments
	}
	for i := range hits {
		hits[i].Snippets = frags[hits[i].ID]
	}
	return nil
}
