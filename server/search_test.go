package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func search(t *testing.T, h http.Handler, query string) SearchResponse {
	t.Helper()
	r := get(t, h, "/v1/search?"+query)
	if r.Status != http.StatusOK {
		t.Fatalf("%s: status %d: %s", query, r.Status, r.Body)
	}
	var out SearchResponse
	r.json(t, &out)
	return out
}

func ids(hits []HitDTO) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

// TestSearchVariantSpelling: the spelling typed is not the one written,
// and the words written are marked in the title or snippet.
func TestSearchVariantSpelling(t *testing.T) {
	h := newServer(t, shared, testConfig())
	tests := []struct {
		name, q, want, marked string
	}{
		{"hamza below typed as bare alef", "الاستثمار", "s16", "<mark>الإستثمار</mark>"},
		{"synonym ترمب for ترامب", "ترمب الألمنيوم", "s18", "<mark>ترامب</mark>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := search(t, h, "q="+url.QueryEscape(tc.q)+"&size=10&collapse=false")
			if !slices.Contains(ids(res.Hits), tc.want) {
				t.Fatalf("%s not found among %v", tc.want, ids(res.Hits))
			}
			for _, hit := range res.Hits {
				if hit.ID != tc.want {
					continue
				}
				text := hit.Title + " " + strings.Join(hit.Snippets, " ")
				if !strings.Contains(text, tc.marked) {
					t.Errorf("%s: %q not marked in %q", tc.want, tc.marked, text)
				}
			}
		})
	}
}

// TestSearchParameters exercises every parameter of /v1/search with a
// check that the parameter took effect.
func TestSearchParameters(t *testing.T) {
	h := newServer(t, shared, testConfig())
	all := search(t, h, "size=100&collapse=false")
	if all.Total != 45 || len(all.Hits) != 45 {
		t.Fatalf("browse all: total %d, %d hits, want 45", all.Total, len(all.Hits))
	}
	check := func(name, query string, ok func(SearchResponse) string) {
		t.Run(name, func(t *testing.T) {
			res := search(t, h, query)
			if msg := ok(res); msg != "" {
				t.Errorf("%s: %s", query, msg)
			}
		})
	}
	every := func(pred func(HitDTO) bool, what string) func(SearchResponse) string {
		return func(res SearchResponse) string {
			if len(res.Hits) == 0 {
				return "no hits"
			}
			for _, h := range res.Hits {
				if !pred(h) {
					return h.ID + " is not " + what
				}
			}
			return ""
		}
	}
	check("q", "q=Samsung", every(func(h HitDTO) bool {
		return strings.Contains(h.Title+strings.Join(h.Snippets, ""), "<mark>Samsung</mark>")
	}, "marked Samsung"))
	check("section", "section="+url.QueryEscape("رياضة"), every(func(h HitDTO) bool { return h.Article.Section == "رياضة" }, "sport"))
	check("section list", "section="+url.QueryEscape("رياضة,صحة"), every(func(h HitDTO) bool {
		return h.Article.Section == "رياضة" || h.Article.Section == "صحة"
	}, "sport or health"))
	check("source repeated", "source="+url.QueryEscape("نبض الصحة")+"&source="+url.QueryEscape("منصة الملعب"), every(func(h HitDTO) bool {
		return h.Article.Source == "نبض الصحة" || h.Article.Source == "منصة الملعب"
	}, "from the two sources"))
	check("from and to", "from=2025-06&to=2025-06&collapse=false", every(func(h HitDTO) bool {
		return h.Article.PublishedAt != nil && h.Article.PublishedAt.UTC().Format("2006-01") == "2025-06"
	}, "of June 2025"))
	check("sort date_asc", "sort=date_asc&size=5", func(res SearchResponse) string {
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i].Article.PublishedAt.Before(*res.Hits[i-1].Article.PublishedAt) {
				return "not oldest first"
			}
		}
		return ""
	})
	check("sort date", "q=Samsung&sort=date", func(res SearchResponse) string {
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i].Article.PublishedAt.After(*res.Hits[i-1].Article.PublishedAt) {
				return "not newest first"
			}
		}
		return ""
	})
	check("recency", "q=Samsung&recency=30d", func(res SearchResponse) string {
		if len(res.Hits) == 0 || res.Hits[0].Score <= 0 {
			return "no scored hits"
		}
		return ""
	})
	check("track_total_hits", "q=Samsung&track_total_hits=true", func(res SearchResponse) string {
		if res.Total == 0 || res.TotalRelation != "eq" {
			return "want an exact total"
		}
		return ""
	})
	// غيغاواط (one article) with two letters swapped: typo tolerance finds
	// it; did-you-mean would not (it wants a word in 3 articles).
	typo := url.QueryEscape("غيغوااط")
	check("typo_tolerance", "q="+typo, func(res SearchResponse) string {
		if res.Total != 1 || !res.SuggestionUsed || res.Suggestion != "غيغاواط" {
			return fmt.Sprintf("total %d, suggestion %q used %v: want the article of غيغاواط", res.Total, res.Suggestion, res.SuggestionUsed)
		}
		return ""
	})
	check("typo_tolerance=false", "q="+typo+"&typo_tolerance=false", func(res SearchResponse) string {
		if res.Total != 0 || res.Suggestion != "" {
			return fmt.Sprintf("total %d, suggestion %q: want nothing", res.Total, res.Suggestion)
		}
		return ""
	})
	check("size", "size=3", func(res SearchResponse) string {
		if len(res.Hits) != 3 || res.NextCursor == "" {
			return "want 3 hits and a cursor"
		}
		return ""
	})
	check("page", "size=3&page=2&collapse=false&sort=date", func(res SearchResponse) string {
		if !slices.Equal(ids(res.Hits), ids(all.Hits)[3:6]) {
			return "page 2 is not hits 4-6 of the date order: " + strings.Join(ids(res.Hits), ",")
		}
		return ""
	})
	first := search(t, h, "size=3&collapse=false&sort=date")
	check("cursor", "size=3&collapse=false&sort=date&cursor="+url.QueryEscape(first.NextCursor), func(res SearchResponse) string {
		if !slices.Equal(ids(res.Hits), ids(all.Hits)[3:6]) {
			return "the cursor did not continue after the first page: " + strings.Join(ids(res.Hits), ",")
		}
		return ""
	})
	check("snippets and snippet_length", "q="+url.QueryEscape("الاستثمار")+"&snippets=1&snippet_length=40", func(res SearchResponse) string {
		for _, h := range res.Hits {
			if len(h.Snippets) != 1 {
				return h.ID + " has " + string(rune('0'+len(h.Snippets))) + " snippets"
			}
		}
		return ""
	})
	check("collapse default folds wire copies", "q="+url.QueryEscape("إجهاد حراري الكويت"), func(res SearchResponse) string {
		for _, h := range res.Hits {
			if len(h.Copies) > 0 {
				return ""
			}
		}
		return "no hit carries copies"
	})
	check("collapse=false shows copies as hits", "q="+url.QueryEscape("إجهاد حراري الكويت")+"&collapse=false", func(res SearchResponse) string {
		got := ids(res.Hits)
		if !slices.Contains(got, "s23") || !slices.Contains(got, "s24") {
			return "s23 and s24 not both shown: " + strings.Join(got, ",")
		}
		return ""
	})
	check("explain", "q=Samsung&explain=true&size=1", every(func(h HitDTO) bool { return h.Explanation != nil }, "explained"))
	check("facets and facet_size", "facets=section,source&facet_size=2", func(res SearchResponse) string {
		if len(res.Facets["section"]) != 2 || len(res.Facets["source"]) != 2 {
			return "want 2 values of section and source"
		}
		return ""
	})
	check("date facet and interval", "facets=date&interval=year", func(res SearchResponse) string {
		for _, b := range res.Dates {
			if len(b.Key) != 4 {
				return "bucket " + b.Key + " is not a year"
			}
		}
		if len(res.Dates) == 0 {
			return "no date buckets"
		}
		return ""
	})
	check("author", "author="+url.QueryEscape(firstAuthor(all)), every(func(h HitDTO) bool {
		return slices.Contains(h.Article.Authors, firstAuthor(all))
	}, "by the author"))
	check("tag", "tag="+url.QueryEscape(firstTag(all)), every(func(h HitDTO) bool {
		return slices.Contains(h.Article.Tags, firstTag(all))
	}, "tagged"))
	check("did you mean", "q="+url.QueryEscape("الاستثمر"), func(res SearchResponse) string {
		if res.Suggestion == "" {
			return "no suggestion"
		}
		return ""
	})
}

func firstAuthor(r SearchResponse) string {
	for _, h := range r.Hits {
		if len(h.Article.Authors) > 0 {
			return h.Article.Authors[0]
		}
	}
	return "none"
}

func firstTag(r SearchResponse) string {
	for _, h := range r.Hits {
		if len(h.Article.Tags) > 0 {
			return h.Article.Tags[0]
		}
	}
	return "none"
}
