package index

import (
	"maps"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// facetFields are the facets a request may ask for: counts of each keyword
// field's values among all hits (not only the page), and "date", a
// histogram of publication dates.
var facetFields = []string{"section", "source", "author", "tags", "date"}

// maxDateBuckets caps the date histogram. A span of more buckets lists
// only its non-empty ones, and of those the latest maxDateBuckets: one
// article dated far from the others must not push the rest out.
const maxDateBuckets = 1000

// addFacets adds the requested facets to a bleve request. The date
// histogram is a terms facet on the publication month or day that ingest
// records as keywords (fieldMonth, fieldDay): counting doc values is far
// cheaper than bleve's date-range facet, which tests every range.
func addFacets(sr *bleve.SearchRequest, req *Request) {
	for _, f := range req.Facets {
		switch {
		case f != "date":
			sr.AddFacet(f, bleve.NewFacetRequest(f, req.FacetSize))
		case req.DateInterval == "day":
			sr.AddFacet("date", bleve.NewFacetRequest(fieldDay, 1<<20))
		default:
			sr.AddFacet("date", bleve.NewFacetRequest(fieldMonth, 1<<20))
		}
	}
}

// readFacets converts bleve's facet results.
func readFacets(res *bleve.SearchResult, req *Request) (map[string][]FacetCount, []DateBucket) {
	var facets map[string][]FacetCount
	var dates []DateBucket
	for _, name := range req.Facets {
		fr := res.Facets[name]
		if name == "date" {
			dates = histogram(fr, req.DateInterval)
			continue
		}
		if facets == nil {
			facets = map[string][]FacetCount{}
		}
		values := []FacetCount{}
		if fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				values = append(values, FacetCount{Value: t.Term, Count: t.Count})
			}
		}
		facets[name] = values
	}
	return facets, dates
}

// histogram turns the month or day counts into buckets from the first to
// the last non-empty one, with the empty ones between, as Elasticsearch's
// date_histogram does; "year" adds up months.
func histogram(fr *search.FacetResult, interval string) []DateBucket {
	counts := map[time.Time]int{}
	layout, step := "2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	switch interval {
	case "day":
		layout, step = time.DateOnly, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	case "year":
		step = func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }
	}
	var first, last time.Time
	if fr != nil && fr.Terms != nil {
		for _, tf := range fr.Terms.Terms() {
			t, err := time.Parse(layout, tf.Term)
			if err != nil {
				continue
			}
			if interval == "year" {
				t = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			}
			counts[t] += tf.Count
			if first.IsZero() || t.Before(first) {
				first = t
			}
			if t.After(last) {
				last = t
			}
		}
	}
	out := []DateBucket{}
	if first.IsZero() {
		return out
	}
	keyLayout := layout
	if interval == "year" {
		keyLayout = "2006"
	}
	for t := first; !t.After(last) && len(out) <= maxDateBuckets; t = step(t) {
		out = append(out, DateBucket{Key: t.Format(keyLayout), From: t, To: step(t), Count: counts[t]})
	}
	if len(out) <= maxDateBuckets {
		return out
	}
	out = out[:0]
	for _, t := range slices.SortedFunc(maps.Keys(counts), time.Time.Compare) {
		out = append(out, DateBucket{Key: t.Format(keyLayout), From: t, To: step(t), Count: counts[t]})
	}
	return out[max(0, len(out)-maxDateBuckets):]
}
