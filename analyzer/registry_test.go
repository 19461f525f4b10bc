package analyzer_test

import (
	"slices"
	"testing"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// TestRegisteredNamesAreVersioned: stored names are contracts (STYLE.md
// rule 4), registered once and versioned.
func TestRegisteredNamesAreVersioned(t *testing.T) {
	want := map[string]string{
		"News": "ar_news_v3", "Exact": "ar_exact_v2", "Pairs": "ar_pairs_v3", "Normalized": "ar_norm_v1",
	}
	got := map[string]string{
		"News": analyzer.News, "Exact": analyzer.Exact, "Pairs": analyzer.Pairs, "Normalized": analyzer.Normalized,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("analyzer.%s = %q; want %q (a changed name needs a reindex: add a new version instead)", k, got[k], v)
		}
	}
	if names := slices.Sorted(slices.Values(analyzer.Names)); !slices.Equal(names, []string{"ar_exact_v2", "ar_news_v3", "ar_norm_v1", "ar_pairs_v3"}) {
		t.Errorf("Names = %v", analyzer.Names)
	}
}

// TestRegisteredAnalyzersMatchConstructors: each registered analyzer, and
// an analyzer assembled from the registered tokenizer and filters by name,
// makes the same tokens as the constructor.
func TestRegisteredAnalyzersMatchConstructors(t *testing.T) {
	const in = "وقال مسؤول في «رمال» إن الشركة ستطلق ١٬٥٠٠ خادم مع OpenAI\u200F في المَدْرَسَةِ الكـــبيرة"
	cache := registry.NewCache()
	tests := []struct {
		name    string
		ctor    analysis.Analyzer
		filters []string
	}{
		{analyzer.News, analyzer.NewNews(), []string{analyzer.NormalizeName, analyzer.StopName, analyzer.StemName}},
		{analyzer.Exact, analyzer.NewExact(), []string{analyzer.NormalizeName, analyzer.StopName}},
		{analyzer.Pairs, analyzer.NewPairs(), nil},
		{analyzer.Normalized, analyzer.NewNormalized(), []string{analyzer.NormalizeName}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := toks(t, in, analyze(tc.ctor, in))
			if len(want) < 5 {
				t.Fatalf("constructor made %d tokens: %v", len(want), want)
			}
			reg, err := cache.AnalyzerNamed(tc.name)
			if err != nil {
				t.Fatalf("AnalyzerNamed(%q): %v", tc.name, err)
			}
			assertToks(t, "registry "+tc.name, in, analyze(reg, in), want)
			if tc.filters == nil {
				return
			}
			tz, err := cache.TokenizerNamed(analyzer.TokenizerName)
			if err != nil {
				t.Fatalf("TokenizerNamed(%q): %v", analyzer.TokenizerName, err)
			}
			built := &analysis.DefaultAnalyzer{Tokenizer: tz}
			for _, f := range tc.filters {
				tf, err := cache.TokenFilterNamed(f)
				if err != nil {
					t.Fatalf("TokenFilterNamed(%q): %v", f, err)
				}
				built.TokenFilters = append(built.TokenFilters, tf)
			}
			assertToks(t, "assembled from registered parts", in, analyze(built, in), want)
		})
	}
}

func TestAnalyzeNamedUnknownName(t *testing.T) {
	if _, err := analyzer.AnalyzeNamed("ar_news_v0", "كتب"); err == nil {
		t.Error("AnalyzeNamed of an unregistered name: no error")
	}
}

func TestAnalyzeNamedReportsOffsets(t *testing.T) {
	const in = "في المَدْرَسَةِ"
	res, err := analyzer.AnalyzeNamed(analyzer.News, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("got %d tokens %v; want 1", len(res), res)
	}
	r := res[0]
	if r.Term != "مدرس" || r.Surface != "المَدْرَسَةِ" || in[r.Start:r.End] != r.Surface || r.Position != 2 {
		t.Errorf("got %+v; want term مدرس, surface المَدْرَسَةِ at position 2 with matching offsets", r)
	}
}
