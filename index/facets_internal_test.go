package index

import (
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
)

// TestHistogramSpan: the histogram fills the empty buckets between the
// first and the last; when that would pass maxDateBuckets (an article
// dated 2261 among articles of 2018), it lists the non-empty ones only,
// so the real dates are not pushed out by empty days.
func TestHistogramSpan(t *testing.T) {
	facet := func(counts map[string]int) *search.FacetResult {
		tf := &search.TermFacets{}
		for term, n := range counts {
			tf.Add(&search.TermFacet{Term: term, Count: n})
		}
		return &search.FacetResult{Terms: tf}
	}
	keys := func(bs []DateBucket) string {
		s := ""
		for _, b := range bs {
			s += fmt.Sprintf("%s:%d ", b.Key, b.Count)
		}
		return s
	}
	got := histogram(facet(map[string]int{"2018-01-01": 2, "2018-01-03": 1}), "day")
	if want := "2018-01-01:2 2018-01-02:0 2018-01-03:1 "; keys(got) != want {
		t.Errorf("three days: %s, want %s", keys(got), want)
	}
	got = histogram(facet(map[string]int{"2018-01-01": 2, "2018-01-03": 1, "2261-12-31": 1}), "day")
	if want := "2018-01-01:2 2018-01-03:1 2261-12-31:1 "; keys(got) != want {
		t.Errorf("an outlier: %s, want %s", keys(got), want)
	}
	got = histogram(facet(map[string]int{"1678-01": 1, "2018-05": 4}), "year")
	if len(got) != 341 || got[0].Key != "1678" || got[340].Key != "2018" || got[340].Count != 4 {
		t.Errorf("1678 to 2018 by year: %d buckets, want 341, all years filled", len(got))
	}
	many := map[string]int{}
	for d := range 1500 {
		many[fmt.Sprintf("%d-01", 2000+d)] = 1 // 1,500 years, one month each
	}
	if got := histogram(facet(many), "year"); len(got) != maxDateBuckets || got[len(got)-1].Key != "3499" {
		t.Errorf("1,500 non-empty years: %d buckets ending %s, want the latest %d", len(got), got[len(got)-1].Key, maxDateBuckets)
	}
}
