package server

import (
	"encoding/json"
	"time"

	"github.com/bahth/bahth/index"
)

// The JSON shapes of /v1. Names are snake_case and stable: a change is a
// new version path, not an edit here. openapi.json describes each one and a
// test validates real responses against it.

// ArticleDTO is a stored article.
type ArticleDTO struct {
	ID          string                     `json:"id"`
	Title       string                     `json:"title"`
	Summary     string                     `json:"summary,omitempty"`
	Body        string                     `json:"body,omitempty"`
	Authors     []string                   `json:"authors,omitempty"`
	Section     string                     `json:"section,omitempty"`
	Tags        []string                   `json:"tags,omitempty"`
	Source      string                     `json:"source,omitempty"`
	URL         string                     `json:"url,omitempty"`
	Lang        string                     `json:"lang,omitempty"`
	PublishedAt *time.Time                 `json:"published_at,omitempty"`
	UpdatedAt   *time.Time                 `json:"updated_at,omitempty"`
	Extra       map[string]json.RawMessage `json:"extra,omitempty"` // fields outside the schema, as sent
}

func articleDTO(a index.Article) ArticleDTO {
	d := ArticleDTO{ID: a.ID, Title: a.Title, Summary: a.Summary, Body: a.Body, Authors: a.Authors, Section: a.Section,
		Tags: a.Tags, Source: a.Source, URL: a.URL, Lang: a.Lang, Extra: a.Extra}
	if !a.PublishedAt.IsZero() {
		d.PublishedAt = &a.PublishedAt
	}
	if !a.UpdatedAt.IsZero() {
		d.UpdatedAt = &a.UpdatedAt
	}
	return d
}

// HitDTO is one ranked article. Title and Snippets are HTML: the article's
// text escaped, with the query's words in <mark>.
type HitDTO struct {
	ID          string     `json:"id"`
	Score       float64    `json:"score"`
	Title       string     `json:"title"`
	Snippets    []string   `json:"snippets"`
	Article     ArticleDTO `json:"article"`
	Copies      []string   `json:"copies,omitempty"` // ids of wire copies folded under this hit
	Explanation any        `json:"explanation,omitempty"`
}

func hitDTO(h index.Hit) HitDTO {
	d := HitDTO{ID: h.ID, Score: h.Score, Title: h.Title, Snippets: h.Snippets, Article: articleDTO(h.Article), Copies: h.Copies}
	if d.Snippets == nil {
		d.Snippets = []string{}
	}
	if h.Explanation != nil {
		d.Explanation = h.Explanation
	}
	return d
}

// FacetDTO is one value of a facet.
type FacetDTO struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// DateBucketDTO is one bar of the date histogram, [from, to).
type DateBucketDTO struct {
	Key   string    `json:"key"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Count int       `json:"count"`
}

// SearchResponse is /v1/search.
type SearchResponse struct {
	Total          uint64                `json:"total"`
	TotalRelation  string                `json:"total_relation"` // "eq", or "gte": at least Total (track_total_hits)
	Hits           []HitDTO              `json:"hits"`
	Facets         map[string][]FacetDTO `json:"facets,omitempty"`
	Dates          []DateBucketDTO       `json:"dates,omitempty"`
	NextCursor     string                `json:"next_cursor,omitempty"`
	Suggestion     string                `json:"suggestion,omitempty"`
	SuggestionUsed bool                  `json:"suggestion_used"`
	TookMS         float64               `json:"took_ms"`
}

func searchResponse(r *index.Result) SearchResponse {
	out := SearchResponse{Total: r.Total, TotalRelation: r.TotalRelation, Hits: make([]HitDTO, len(r.Hits)), NextCursor: r.NextCursor,
		Suggestion: r.Suggestion, SuggestionUsed: r.SuggestionUsed, TookMS: ms(r.Took)}
	for i, h := range r.Hits {
		out.Hits[i] = hitDTO(h)
	}
	if len(r.Facets) > 0 {
		out.Facets = make(map[string][]FacetDTO, len(r.Facets))
		for name, vals := range r.Facets {
			fs := make([]FacetDTO, len(vals))
			for i, v := range vals {
				fs[i] = FacetDTO{v.Value, v.Count}
			}
			out.Facets[name] = fs
		}
	}
	for _, b := range r.Dates {
		out.Dates = append(out.Dates, DateBucketDTO{b.Key, b.From, b.To, b.Count})
	}
	return out
}

// SuggestionDTO is one type-ahead entry: a completed query ("term") or an
// article title ("title", with the article's id).
type SuggestionDTO struct {
	Text  string `json:"text"`
	Kind  string `json:"kind"`
	Count int    `json:"count"`
	ID    string `json:"id,omitempty"`
}

// SuggestResponse is /v1/suggest.
type SuggestResponse struct {
	Suggestions []SuggestionDTO `json:"suggestions"`
	TookMS      float64         `json:"took_ms"`
}

// RelatedHitDTO is one related article.
type RelatedHitDTO struct {
	ID      string     `json:"id"`
	Score   float64    `json:"score"`
	Article ArticleDTO `json:"article"`
	Copies  []string   `json:"copies,omitempty"`
}

// RelatedResponse is /v1/articles/{id}/related.
type RelatedResponse struct {
	ID     string          `json:"id"`
	Hits   []RelatedHitDTO `json:"hits"`
	TookMS float64         `json:"took_ms"`
}

// ArticleResponse is GET /v1/articles/{id}.
type ArticleResponse struct {
	Article ArticleDTO `json:"article"`
	Copies  []string   `json:"copies,omitempty"`
}

// WriteResult is the outcome of one article written or deleted: Result is
// "created", "updated", "indexed" (in a bulk, new or not) or "deleted";
// Error is set instead when the item was rejected.
type WriteResult struct {
	Item   int          `json:"item,omitempty"` // 1-based position in a bulk body (line for NDJSON)
	ID     string       `json:"id,omitempty"`
	Result string       `json:"result,omitempty"`
	Error  *errorDetail `json:"error,omitempty"`
}

// BulkResponse is POST /v1/articles.
type BulkResponse struct {
	Added    int           `json:"added"`
	Updated  int           `json:"updated"`
	Rejected int           `json:"rejected"`
	Errors   bool          `json:"errors"`
	Items    []WriteResult `json:"items"`
	TookMS   float64       `json:"took_ms"`
}

// Token is one token of /v1/analyze: the term indexed, the surface text it
// came from, its byte offsets in the text and its position.
type Token struct {
	Term     string `json:"term"`
	Surface  string `json:"surface"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Position int    `json:"position"`
}

// AnalyzeResponse is /v1/analyze.
type AnalyzeResponse struct {
	Analyzer string  `json:"analyzer"`
	Tokens   []Token `json:"tokens"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
