package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
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
	// Tier is added to the score of hits that hold the minimum-should-match
	// number of the query's words, so that they rank first; 0 turns the
	// tier off (ablation).
	Tier float64
	// Typo is the weight of the correction of a query word that no
	// article holds (typoFixes), relative to the word as typed; 0 turns
	// typo tolerance off.
	Typo float64
	// Window is how many of the best hits without the pairs get the pairs
	// added and are sorted again (rescore.go); 0 scores the pairs on
	// every hit.
	Window int
}

// DefaultRanking is the ranking measured in docs/relevance.md.
//
// Measured on the dev halves of three collections (docs/relevance.md): a
// lower k1 than Lucene's 1.2 (term frequency saturates sooner in short
// paragraphs), a quarter weight for exact-form matches, half for title
// matches, 0.3 for adjacent pairs and for the lead, and no coordination
// factor, which lost on every collection.
var DefaultRanking = Ranking{K1: 0.8, B: 0.75, Text: 1, Exact: 0.25, Title: 0.5, Pairs: 0.3, Lead: 0.3, Coord: 0, Tier: tierBonus,
	Typo: 0.75, Window: rescoreWindow}

// Limits of a request, as Elasticsearch's max_result_window: deep paging
// beyond MaxWindow goes through the cursor.
const (
	MaxSize      = 100   // hits per page
	MaxWindow    = 10000 // page × size
	MaxFacetSize = 100   // values per facet
	MaxSnippets  = 10    // fragments per hit
	MaxSnippetLn = 1000  // characters per fragment
)

// Sort orders.
const (
	SortRelevance = "relevance" // score, then id (the default with a query)
	SortDate      = "date"      // newest first, then id (the default without one)
	SortDateAsc   = "date_asc"  // oldest first, then id
)

// Filter narrows a search to articles with any of the given values in each
// field (values of one field are alternatives, fields are all required) and
// published in [From, To] (either may be zero: open).
type Filter struct {
	Sections []string `json:"section,omitempty"`
	Sources  []string `json:"source,omitempty"`
	Authors  []string `json:"author,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	From     time.Time
	To       time.Time
}

// Request is one search.
type Request struct {
	Query  string
	Filter Filter
	Sort   string // SortRelevance, SortDate or SortDateAsc; "" picks by query

	// Recency, when positive, is a half-life: a hit's relevance is
	// multiplied by 0.5 + 0.5 × 2^(−age/Recency), 1 for an article
	// published now, 0.75 at one half-life, approaching 0.5 for old ones
	// and for articles without a date. Now is the reference time (zero:
	// the clock).
	Recency time.Duration
	Now     time.Time

	Page   int    // 1-based page; 0 means 1
	Size   int    // hits per page; 0 means 10
	From   int    // hits to skip before the page (added to the page's offset)
	Cursor string // NextCursor of the previous page: deep paging, excludes Page/From

	Highlight     bool // compute highlighted titles and snippets
	Snippets      int  // fragments per hit; 0 means 3
	SnippetLength int  // characters per fragment; 0 means 160

	NoCollapse bool // show every wire copy instead of one hit per group
	Explain    bool // attach a score explanation to each hit

	Facets       []string // keyword fields (section, source, author, tags) and "date"
	FacetSize    int      // values per keyword facet; 0 means 10
	DateInterval string   // "month" (default), "day" or "year" for the date facet

	NoSuggest bool     // skip did-you-mean
	NoTypos   bool     // no typo tolerance (Ranking.Typo): the words as typed only
	Ranking   *Ranking // nil means DefaultRanking

	// ExactTotal counts every match. Otherwise a search ranked by score
	// counts exactly up to TotalLimit matches and, when there are more,
	// reports Total = TotalLimit with TotalRelation RelationGTE, as
	// Elasticsearch's default track_total_hits: the count of a common
	// word's matches was an eighth of a search's CPU.
	ExactTotal bool
}

// TotalLimit is how many matches a search counts exactly unless
// Request.ExactTotal is set (Elasticsearch's default, 10,000).
const TotalLimit = 10000

// Relations of Result.Total to the number of matches.
const (
	RelationEQ  = "eq"  // Total is the number of matches
	RelationGTE = "gte" // there are at least Total matches (TotalLimit)
)

// Hit is one ranked article.
type Hit struct {
	ID          string              `json:"id"`
	Score       float64             `json:"score"`
	Article     Article             `json:"article"`
	Title       string              `json:"title_html,omitempty"` // escaped title, query words marked
	Snippets    []string            `json:"snippets,omitempty"`   // escaped fragments, query words marked
	Copies      []string            `json:"copies,omitempty"`     // ids of collapsed wire copies
	AllWords    bool                `json:"all_words,omitempty"`  // holds every word of a short query, so ranks above those that don't
	Explanation *search.Explanation `json:"explanation,omitempty"`
}

// FacetCount is one value of a keyword facet.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// DateBucket is one bar of the date histogram.
type DateBucket struct {
	Key   string    `json:"key"` // 2024, 2024-05 or 2024-05-01
	From  time.Time `json:"from"`
	To    time.Time `json:"to"` // exclusive
	Count int       `json:"count"`
}

// Result is a page of hits.
type Result struct {
	Total         uint64                  `json:"total"`
	TotalRelation string                  `json:"total_relation"` // RelationEQ or RelationGTE
	Hits          []Hit                   `json:"hits"`
	Facets        map[string][]FacetCount `json:"facets,omitempty"`
	Dates         []DateBucket            `json:"dates,omitempty"`
	NextCursor    string                  `json:"next_cursor,omitempty"`
	// Suggestion is a did-you-mean spelling; SuggestionUsed says the hits
	// are for it: typo tolerance corrected a word no article holds, or the
	// query as typed found nothing.
	Suggestion     string        `json:"suggestion,omitempty"`
	SuggestionUsed bool          `json:"suggestion_used,omitempty"`
	Took           time.Duration `json:"took"`
}

// ErrInvalidQuery is returned for a request that can't be run; its message
// names the parameter at fault and what would be accepted.
var ErrInvalidQuery = errors.New("invalid query")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidQuery, fmt.Sprintf(format, args...))
}

// validate fills in defaults and rejects a structurally invalid request.
func (req *Request) validate() error {
	switch {
	case req.Size < 0 || req.Size > MaxSize:
		return invalidf("size must be between 1 and %d, got %d", MaxSize, req.Size)
	case req.Page < 0:
		return invalidf("page must be 1 or more, got %d", req.Page)
	case req.From < 0:
		return invalidf("from must not be negative, got %d", req.From)
	case req.Snippets < 0 || req.Snippets > MaxSnippets:
		return invalidf("snippets must be between 1 and %d, got %d", MaxSnippets, req.Snippets)
	case req.SnippetLength < 0 || req.SnippetLength > MaxSnippetLn:
		return invalidf("snippet_length must be between 1 and %d characters, got %d", MaxSnippetLn, req.SnippetLength)
	case req.FacetSize < 0 || req.FacetSize > MaxFacetSize:
		return invalidf("facet_size must be between 1 and %d, got %d", MaxFacetSize, req.FacetSize)
	case req.Recency < 0:
		return invalidf("recency must be a positive half-life such as 72h or 30d")
	case req.Cursor != "" && (req.Page > 1 || req.From > 0):
		return invalidf("cursor can't be combined with page: the cursor says where the next page starts")
	}
	if req.Size == 0 {
		req.Size = 10
	}
	if req.Page == 0 {
		req.Page = 1
	}
	if req.Snippets == 0 {
		req.Snippets = 3
	}
	if req.SnippetLength == 0 {
		req.SnippetLength = 160
	}
	if req.FacetSize == 0 {
		req.FacetSize = 10
	}
	if off := (req.Page-1)*req.Size + req.From; off+req.Size > MaxWindow {
		return invalidf("page × size may reach at most %d hits; use cursor to go deeper", MaxWindow)
	}
	switch req.Sort {
	case "", SortRelevance, SortDate, SortDateAsc:
	default:
		return invalidf("sort must be %q, %q or %q, got %q", SortRelevance, SortDate, SortDateAsc, req.Sort)
	}
	switch req.DateInterval {
	case "", "day", "month", "year":
	default:
		return invalidf("interval must be day, month or year, got %q", req.DateInterval)
	}
	for _, f := range req.Facets {
		if !slices.Contains(facetFields, f) {
			return invalidf("facets may name %v, got %q", facetFields, f)
		}
	}
	if !req.Filter.From.IsZero() && !req.Filter.To.IsZero() && req.Filter.To.Before(req.Filter.From) {
		return invalidf("to (%s) is before from (%s)", req.Filter.To.Format(time.DateOnly), req.Filter.From.Format(time.DateOnly))
	}
	return nil
}

// Search runs a ranked search: the query language of parseQuery, filters,
// facets, paging by page or cursor, wire-copy collapsing, snippets and
// did-you-mean.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	if err := req.validate(); err != nil {
		return nil, err
	}
	pq, err := parseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	var fixes map[string]string
	absent := false // a word no article holds as typed, though its stem is held
	if r := req.ranking(); r.Typo != 0 && !req.NoTypos {
		if pq, fixes, absent, err = ix.typoFixes(ctx, pq); err != nil {
			return nil, err
		}
	}
	res, err := ix.search(ctx, &req, pq)
	if err != nil {
		return nil, err
	}
	if len(fixes) > 0 && res.Total > 0 {
		// The misspelt words matched nothing: what was found, was found
		// through their corrections ("showing results for").
		if !req.NoSuggest {
			res.Suggestion, res.SuggestionUsed = fixQuery(req.Query, fixes), true
		}
	} else if !req.NoSuggest && len(pq.Groups) > 0 && req.Cursor == "" && (res.Total < 3 || absent) {
		// Found little, or a word no article holds as typed (الاستثمر,
		// found through the stem of سأستثمر): propose a closer spelling.
		// A vocabulary not built yet is not built for it (didYouMean).
		if s, ok, err := ix.didYouMean(ctx, req.Query, false); err == nil && ok {
			res.Suggestion = s
			if res.Total == 0 {
				if spq, err := parseQuery(s); err == nil {
					if alt, err := ix.search(ctx, &req, spq); err == nil && alt.Total > 0 {
						alt.Suggestion, alt.SuggestionUsed = s, true
						res = alt
					}
				}
			}
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// ranking is the request's ranking, or the default.
func (req *Request) ranking() Ranking {
	if req.Ranking != nil {
		return *req.Ranking
	}
	return DefaultRanking
}

// totalLimit is the count above which a search may stop counting, or 0.
func totalLimit(req *Request) uint64 {
	if req.ExactTotal {
		return 0
	}
	return totalLimitVar
}

// totalLimitVar is TotalLimit; tests lower it.
var totalLimitVar uint64 = TotalLimit

// search runs one parsed query.
func (ix *Index) search(ctx context.Context, req *Request, pq parsedQuery) (*Result, error) {
	p := ix.plan(pq, req)
	if p.score == nil && len(pq.Groups) > 0 {
		// Words were typed but all are stop words: nothing to look for.
		return &Result{Hits: []Hit{}, TotalRelation: RelationEQ}, nil
	}
	sortBy := req.Sort
	if sortBy == "" {
		sortBy = SortRelevance
		if p.score == nil {
			sortBy = SortDate
		}
	}
	collapse := !req.NoCollapse && ix.collapses()
	offset := (req.Page-1)*req.Size + req.From
	if req.Cursor != "" {
		offset = 0
	}
	size, from, skip := req.Size, offset, 0
	if collapse {
		// Pages count folded hits: read from the top, fold, then skip
		// the earlier pages' hits (Elasticsearch's collapse pages so too).
		size, from, skip = (offset+req.Size)*collapseOverfetch, 0, offset
	}
	var after []string
	if req.Cursor != "" {
		var err error
		if after, err = decodeCursor(req.Cursor, sortBy); err != nil {
			return nil, err
		}
	}
	var res *bleve.SearchResult
	var hits []*search.DocumentMatch
	var total uint64
	var atLeast bool // total is TotalLimit, and there are more (searchTop only: bleve counts all)
	var err error
	if sortBy == SortRelevance && p.score != nil && !rankWithBleve {
		// Ranked by score: Bahth's collector, which prunes (topk.go) and
		// rescores (rescore.go); facets, if any, from bleve unscored.
		groups := 0 // the wire groups folding needs: load no hit beyond them
		if collapse && req.Cursor == "" {
			groups = skip + req.Size // by cursor, some may have shown before: load all
		}
		hits, total, atLeast, err = ix.searchTop(ctx, topRequest{score: p.score, required: p.required, excluded: p.excluded,
			k: from + size, after: after, fields: []string{sourceField, fieldWire}, totalLimit: totalLimit(req),
			explain: req.Explain, groups: groups})
		hits = hits[min(from, len(hits)):]
		if err == nil && len(req.Facets) > 0 {
			sr := bleve.NewSearchRequestOptions(p.query(), 0, 0, false)
			sr.Score = "none"
			addFacets(sr, req)
			if res, err = ix.bleve.SearchInContext(ctx, sr); err == nil {
				total, atLeast = res.Total, false // counted exactly anyway
			}
		}
	} else {
		if p.score != nil {
			p.score.Window = 0 // bleve's collector has no window: pairs on every hit
		}
		sr := bleve.NewSearchRequestOptions(p.query(), size, from, req.Explain)
		sr.Fields = []string{sourceField, fieldWire}
		sr.SortBy(sortOrder(sortBy))
		sr.SearchAfter = after
		addFacets(sr, req)
		if res, err = ix.bleve.SearchInContext(ctx, sr); err == nil {
			hits, total = res.Hits, res.Total
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, ErrInvalidQuery) {
			return nil, err
		}
		return nil, fmt.Errorf("searching %q: %w", req.Query, err)
	}
	out := &Result{Total: total, TotalRelation: RelationEQ, Hits: make([]Hit, 0, min(len(hits), req.Size))}
	if atLeast {
		out.TotalRelation = RelationGTE
	}
	var copies [][]string
	fetched := hits
	if collapse {
		var leaders func([]string) (map[string]string, error)
		if req.Cursor != "" {
			leaders = func(keys []string) (map[string]string, error) { return ix.groupLeaders(ctx, p, sortBy, keys) }
		}
		if hits, copies, err = ix.collapsePage(ctx, hits, skip, req.Size, leaders); err != nil {
			return nil, err
		}
	}
	for _, h := range hits {
		hit := Hit{ID: h.ID, Score: h.Score, Explanation: h.Expl}
		if tier := p.tier(); tier > 0 && hit.Score >= tier {
			// All the words matched: report the relevance without the
			// tier that ranked it first (the explanation shows both).
			hit.Score -= tier
			hit.AllWords = true
			if e := hit.Explanation; e != nil {
				e.Value -= tier
			}
		}
		if hit.Article, err = storedSource(h.Fields); err != nil {
			return nil, fmt.Errorf("article %s: stored source: %w", h.ID, err)
		}
		out.Hits = append(out.Hits, hit)
	}
	for i := range copies {
		out.Hits[i].Copies = copies[i]
	}
	switch n := len(out.Hits); {
	case n == req.Size && n > 0:
		out.NextCursor = encodeCursor(sortBy, hits[n-1])
	case collapse && req.Cursor != "" && len(fetched) == size:
		// Groups shown before left this page short, and more hits
		// may follow the ones read: go on after the last of them.
		out.NextCursor = encodeCursor(sortBy, fetched[len(fetched)-1])
	}
	if res != nil {
		out.Facets, out.Dates = readFacets(res, req)
	}
	if req.Highlight {
		for i := range out.Hits {
			ix.highlightHit(&out.Hits[i], p.match, req.Snippets, req.SnippetLength)
		}
	}
	return out, nil
}

func sortOrder(by string) []string {
	switch by {
	case SortDate:
		return []string{"-" + fieldPublished, fieldID}
	case SortDateAsc:
		return []string{fieldPublished, fieldID}
	}
	return []string{"-_score", fieldID}
}

// highlightHit fills a hit's marked title and snippets from its stored
// text. With no match in the summary or body (the title alone matched, or
// a synonym did), the snippet is the article's lead.
func (ix *Index) highlightHit(h *Hit, m termMatcher, count, length int) {
	a := &h.Article
	h.Title = markText(a.Title, matchSpans(ix.stem, ix.exact, a.Title, m))
	for _, text := range []string{a.Summary, a.Body} {
		if text == "" || len(h.Snippets) >= count {
			continue
		}
		h.Snippets = append(h.Snippets, snippets(text, matchSpans(ix.stem, ix.exact, text, m), count-len(h.Snippets), length)...)
	}
	if len(h.Snippets) == 0 {
		lead := a.Summary
		if lead == "" {
			lead = a.Body
		}
		if lead == "" {
			lead = a.Title
		}
		h.Snippets = []string{leadSnippet(lead, matchSpans(ix.stem, ix.exact, lead, m), length)}
	}
}

// cursorValues returns the sort values of a hit for SearchAfter.
func cursorValues(by string, h *search.DocumentMatch) []string {
	switch by {
	case SortDate, SortDateAsc:
		v := ""
		if len(h.Sort) > 0 {
			v = h.Sort[0]
		}
		return []string{v, h.ID}
	}
	return []string{strconv.FormatFloat(h.Score, 'g', -1, 64), h.ID}
}

// scoreQuery is a bleve query (bm25.go).
var _ query.Query = (*scoreQuery)(nil)

// Explanation is a score explanation (bleve's).
type Explanation = search.Explanation

// ParseDate reads a date parameter named name: RFC 3339, 2006-01-02,
// 2006-01 or 2006 (Arabic-Indic digits too); with end set, a day, month or
// year means its last instant. An empty string is the zero time.
func ParseDate(name, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return parseDateParam(name, s, end)
}

// ParseDuration reads the span of time of parameter name (recency's
// half-life, related's window): a Go duration (72h, 90m) or a number of
// days (30d). Empty means off.
func ParseDuration(name, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n float64
		n, err = strconv.ParseFloat(days, 64)
		d = time.Duration(n * 24 * float64(time.Hour))
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 || d > 100*365*24*time.Hour {
		return 0, invalidf("%s must be a positive duration such as 72h or 30d, got %q", name, s)
	}
	return d, nil
}
