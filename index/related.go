package index

// Related coverage: more-like-this for one article.
//
// The seed article's stems (the stemmed analysis of the index, ar_news_v3
// by default, so stop words are already gone) are counted in its title,
// summary and body, a title occurrence counting relatedTitleWeight times.
// Each stem is weighted by tf-idf, (1 + ln count) × ln(N/df), with df the
// number of articles holding it in the composite text field and N the
// number of articles. Left out are stems that no other article holds (df ≤ 1),
// stems held by more than relatedMaxDocFreq of the articles (and by more
// than relatedMinCommon of them, so that a small index keeps its words),
// numbers and one-letter stems. The relatedTerms stems of highest weight,
// and the seed's section as one more term (in the section field, counted
// once, weighted ln(N/df) like a stem: Elasticsearch's more_like_this does
// the same for a keyword field named in its fields), make the query: a sum of BM25 scores (bm25.go) of each stem in the text
// field (title, summary and body), each multiplied by the stem's weight
// divided by the highest weight (Lucene's
// MoreLikeThis boosts its terms the same way), times the share of the
// query's stems the article holds (coordination, exponent relatedCoord),
// so that an article sharing many of the seed's words beats one that
// repeats a single name. The section is a term, not a filter: of two
// articles as close to the seed, the one of the seed's section ranks
// first, and on the news corpus it raised the share of the top 5 in the
// seed's section from 0.674 to 0.732 (docs/wire-and-related.md).
//
// The seed and every article of its wire group (same "wire" key) are
// excluded; the rest is filtered by section and by publication date (From,
// To, and Window around the seed's date, all inclusive), and collapsed by
// wire group so that the copies of one story take one place. The top hits
// are collected with top-k pruning (topk.go, prune.go): documents that
// cannot reach the page are not scored.
//
// Known trade-offs: the terms come from the seed alone, so a seed of a few
// words finds little; names of people and places dominate the weights, so
// articles about the same person on another subject rank high; only one
// reading of an ambiguous stem is used, as analyzed.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// The parameters were chosen on the section agreement of 500 seeds in a
// random 5,000-article sample of the news corpus (docs/wire-and-related.md):
// from 25 terms, no coordination, raw counts and a 5% cap (0.68 of the top
// 5 in the seed's section), each change below added one to three points.
const (
	relatedTerms       = 40  // stems in the query
	relatedTitleWeight = 3   // a stem in the seed's title counts this many times
	relatedMaxDocFreq  = 0.1 // stems in more of the articles are too common
	relatedMinCommon   = 20  // ... when they are also in more than this many articles
	relatedCoord       = 1   // exponent of the share of the query's stems an article holds
	relatedTitle       = 0.5 // weight of a stem in a related article's title, beside the text
	relatedMaxSize     = 100 // largest page
	relatedOverFetch   = 3   // hits fetched per hit returned, for collapsing copies
)

// fieldSection is the keyword field of the article's section.
const fieldSection = "section"

// RelatedOptions shape a Related request. The zero value asks for 10
// related articles from any section and date.
type RelatedOptions struct {
	Size     int      // articles returned; 0 means 10, at most 100
	Sections []string // only articles of one of these sections
	From, To time.Time
	// Window keeps only articles published within this long before or
	// after the seed; it is ignored when the seed has no date.
	Window time.Duration
}

// ErrNotFound is returned for an article id the index does not hold.
var ErrNotFound = errors.New("article not found")

// relatedTerm is one stem of the seed with its tf-idf weight.
type relatedTerm struct {
	field  string // "" for a stem of the text field
	term   string
	weight float64
}

// Related returns the articles most like the article id (see the comment
// at the top of related.go), best first. An unknown id is ErrNotFound; a
// negative size or window, or a From after To, is ErrInvalidQuery.
func (ix *Index) Related(ctx context.Context, id string, opt RelatedOptions) ([]Hit, error) {
	if opt.Size < 0 || opt.Window < 0 {
		return nil, fmt.Errorf("%w: size and window must not be negative", ErrInvalidQuery)
	}
	if !opt.From.IsZero() && !opt.To.IsZero() && opt.From.After(opt.To) {
		return nil, fmt.Errorf("%w: from %s is after to %s", ErrInvalidQuery, opt.From.Format(time.RFC3339), opt.To.Format(time.RFC3339))
	}
	if opt.Size == 0 {
		opt.Size = 10
	}
	opt.Size = min(opt.Size, relatedMaxSize)
	h, err := ix.storedArticle(ctx, id, sourceField, fieldWire)
	if err != nil {
		return nil, err
	}
	seed, err := storedSource(h.Fields)
	if err != nil {
		return nil, fmt.Errorf("stored article %q: %w", id, err)
	}
	terms, err := ix.relatedTerms(ctx, seed)
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return []Hit{}, nil
	}
	exclude := []query.Query{query.NewDocIDQuery([]string{id})}
	if key, _ := h.Fields[fieldWire].(string); key != "" {
		t := bleve.NewTermQuery(key)
		t.SetField(fieldWire)
		exclude = append(exclude, t)
	}
	filters, empty, err := relatedFilters(seed, opt)
	if err != nil {
		return nil, err
	}
	if empty {
		return []Hit{}, nil
	}
	found, _, _, err := ix.searchTop(ctx, topRequest{score: ix.relatedQuery(terms), required: filters, excluded: exclude,
		k: opt.Size * relatedOverFetch, fields: []string{sourceField, fieldWire}, noTotal: true})
	if err != nil {
		return nil, fmt.Errorf("related to %q: %w", id, err)
	}
	keys := make([]string, len(found))
	for i, m := range found {
		keys[i], _ = m.Fields[fieldWire].(string)
	}
	out := make([]Hit, 0, opt.Size)
	for _, i := range collapseWire(keys) {
		if len(out) == opt.Size {
			break
		}
		m := found[i]
		a, err := storedSource(m.Fields)
		if err != nil {
			return nil, fmt.Errorf("related to %q: article %s: %w", id, m.ID, err)
		}
		out = append(out, Hit{ID: m.ID, Score: m.Score, Article: a})
	}
	return out, nil
}

// relatedTerms returns the seed's most distinctive stems, highest weight
// first (ties in term order).
func (ix *Index) relatedTerms(ctx context.Context, seed Article) ([]relatedTerm, error) {
	tf := map[string]float64{}
	for _, tok := range ix.stem.Analyze([]byte(seed.Title)) {
		tf[string(tok.Term)] += relatedTitleWeight
	}
	for _, text := range []string{seed.Summary, seed.Body} {
		for _, tok := range ix.stem.Analyze([]byte(text)) {
			tf[string(tok.Term)]++
		}
	}
	r, err := ix.reader()
	if err != nil {
		return nil, fmt.Errorf("reading the index: %w", err)
	}
	defer r.Close()
	count, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	n := float64(count)
	maxDF := max(relatedMaxDocFreq*n, relatedMinCommon)
	var out []relatedTerm
	for term, f := range tf {
		if !distinctive(term) {
			continue
		}
		df, err := docFreq(ctx, r, term)
		if err != nil {
			return nil, err
		}
		if df <= 1 || float64(df) > maxDF {
			continue
		}
		out = append(out, relatedTerm{term: term, weight: (1 + math.Log(f)) * math.Log(n/float64(df))})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].weight != out[j].weight {
			return out[i].weight > out[j].weight
		}
		return out[i].term < out[j].term
	})
	out = out[:min(len(out), relatedTerms)]
	if seed.Section == "" || len(out) == 0 {
		return out, nil
	}
	// The section is one more term of the seed, in the section field,
	// occurring once: the way Elasticsearch's more_like_this treats a
	// keyword field named in its fields.
	df, err := fieldDocFreq(ctx, r, seed.Section, fieldSection)
	if err != nil {
		return nil, err
	}
	if df > 1 {
		out = append(out, relatedTerm{field: fieldSection, term: seed.Section, weight: math.Log(n / float64(df))})
	}
	return out, nil
}

// docFreq returns how many articles hold term in the text field.
func docFreq(ctx context.Context, r bindex.IndexReader, term string) (uint64, error) {
	return fieldDocFreq(ctx, r, term, fieldText)
}

// fieldDocFreq returns how many articles hold term in field.
func fieldDocFreq(ctx context.Context, r bindex.IndexReader, term, field string) (uint64, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("reading term %q: %w", term, err)
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// distinctive rules out stems that carry no subject: one letter, or a
// number.
func distinctive(term string) bool {
	if utf8.RuneCountInString(term) < 2 {
		return false
	}
	for _, r := range term {
		if !unicode.IsDigit(r) && r != '.' {
			return true
		}
	}
	return false
}

// relatedQuery is the weighted sum of BM25 scores of the terms.
func (ix *Index) relatedQuery(terms []relatedTerm) *scoreQuery {
	r := DefaultRanking
	q := &scoreQuery{Params: bm25Params{K1: r.K1, B: r.B}, AvgLen: ix.avgLengths(), NGroups: len(terms), CoordExp: relatedCoord, PairHits: ix.pairHits, Postings: ix.postings}
	top := 0.0
	for _, t := range terms {
		top = max(top, t.weight)
	}
	for g, t := range terms {
		if t.field != "" {
			q.Clauses = append(q.Clauses, termClause{Field: t.field, Term: t.term, Weight: t.weight / top})
			q.Groups = append(q.Groups, g)
			continue
		}
		q.Clauses = append(q.Clauses, termClause{Field: fieldText, Term: t.term, Weight: t.weight / top},
			termClause{Field: fieldTitle, Term: t.term, Weight: relatedTitle * t.weight / top})
		q.Groups = append(q.Groups, g, g)
	}
	return q
}

// bleve's date ranges hold nanoseconds since 1970 in an int64.
var (
	minDate = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

// relatedFilters returns the section and date filters of a request, and
// whether the date range is empty.
func relatedFilters(seed Article, opt RelatedOptions) (filters []query.Query, empty bool, err error) {
	filters = filterQueries(Filter{Sections: opt.Sections})
	// A bound beyond the dates bleve indexes reaches their end, as in
	// search (indexableDate).
	from, to := indexableDate(opt.From), indexableDate(opt.To)
	if opt.Window > 0 && !seed.PublishedAt.IsZero() {
		lo, hi := seed.PublishedAt.Add(-opt.Window), seed.PublishedAt.Add(opt.Window)
		if hi.Before(seed.PublishedAt) { // overflow: a huge window is every date
			hi = maxDate
		}
		if lo.After(seed.PublishedAt) {
			lo = minDate
		}
		lo, hi = indexableDate(lo), indexableDate(hi)
		if from.IsZero() || lo.After(from) {
			from = lo
		}
		if to.IsZero() || hi.Before(to) {
			to = hi
		}
	}
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return nil, true, nil
	}
	if !from.IsZero() || !to.IsZero() {
		filters = append(filters, publishedRange(from, to))
	}
	return filters, false, nil
}
