package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bahth/bahth/index"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
)

// TestFuzzyDictCountsRunes proves that scorch's FieldDictFuzzy, which
// DidYouMean takes its candidates from, counts edit distance in runes:
// الاستثمر is one letter (ا, two bytes in UTF-8) short of الاستثمار, and
// fuzziness 1 finds it; a two-letter difference needs fuzziness 2.
func TestFuzzyDictCountsRunes(t *testing.T) {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = keyword.Name
	idx, err := bleve.NewUsing(filepath.Join(t.TempDir(), "fuzzy"), m, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for i, w := range []string{"الاستثمار", "الاستقرار", "openai"} {
		if err := idx.Index(fmt.Sprint(i), map[string]any{"w": w}); err != nil {
			t.Fatal(err)
		}
	}
	adv, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fuzzy := func(term string, d int) []string {
		fd, err := r.(bindex.IndexReaderFuzzy).FieldDictFuzzy("w", term, d, "")
		if err != nil {
			t.Fatal(err)
		}
		defer fd.Close()
		var out []string
		for {
			e, err := fd.Next()
			if err != nil {
				t.Fatal(err)
			}
			if e == nil {
				return out
			}
			out = append(out, e.Term)
		}
	}
	tests := []struct {
		name, term string
		d          int
		want       []string
	}{
		{"one Arabic letter missing (2 bytes)", "الاستثمر", 1, []string{"الاستثمار"}},
		{"one Arabic letter changed (2 bytes)", "الاستسمار", 1, []string{"الاستثمار"}},
		{"two Arabic letters changed", "الاستسمر", 1, nil},
		{"two Arabic letters, fuzziness 2", "الاستسمر", 2, []string{"الاستثمار"}},
		{"one Latin letter missing", "opnai", 1, []string{"openai"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fuzzy(tc.term, tc.d); !slices.Equal(got, tc.want) {
				t.Errorf("FieldDictFuzzy(%q, %d) = %q, want %q", tc.term, tc.d, got, tc.want)
			}
		})
	}
}

func TestDidYouMean(t *testing.T) {
	ix := newSuggestIndex(t)
	tests := []struct {
		name, query string
		want        string // "" when nothing is corrected
	}{
		{"one Arabic letter missing", "الاستثمر", "الاستثمار"},
		{"one letter wrong in a variant spelling", "الاستتمار", "الاستثمار"},
		{"two letters swapped in a long word", "الاسثتمارات", "الاستثمارات"},
		{"other words kept as typed", "صُندوق الاستثمر!", "صُندوق الاستثمار!"},
		{"a filter's value stands", "section:الاستثمر الاستثمر", "section:الاستثمر الاستثمار"},
		{"a quoted filter value stands", `source:"الاستثمر" "الاستثمر"`, `source:"الاستثمر" "الاستثمار"`},
		{"an excluded word stands", "القمر -الاستثمر", ""},
		{"a date stands", "date:2024 الاستثمر", "date:2024 الاستثمار"},
		{"a part of joined words stands", "الاستثمر-19", ""},
		{"invisible marks are dropped", "\u200fالاستثمر", "الاستثمار"},
		{"Latin typo, shown as written", "opnai", "OpenAI"},
		{"a frequent word stands", "الاستثمار", ""},
		{"a word in two articles stands", "القمر", ""},
		{"nothing close", "برتقال", ""},
		{"short word: one edit at most, none near", "قمز", ""},
		{"stop words and numbers stand", "في 2025", ""},
		{"empty", "", ""},
		{"invalid UTF-8", "الاستثمر\xff", ""},
		{"a paste", strings.Repeat("الاستثمر ", 60), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := ix.DidYouMean(context.Background(), tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (tc.want != "") || got != tc.want {
				t.Errorf("DidYouMean(%q) = %q, %v; want %q", tc.query, got, ok, tc.want)
			}
		})
	}
}

// TestDidYouMeanNeedsFrequentWord: a correction must be held by ten times
// as many articles as the word typed, so a word in one article is not
// "corrected" to one in three.
func TestDidYouMeanNeedsFrequentWord(t *testing.T) {
	ix := newSuggestIndex(t)
	if err := ix.Add([]index.Article{art("typo", 0, "عن الاستثمر", "خطأ مطبعي")}); err != nil {
		t.Fatal(err)
	}
	// الاستثمر is now in one article, الاستثمار in 12: 12 >= 10·1, corrected.
	if got, ok, _ := ix.DidYouMean(context.Background(), "الاستثمر"); !ok || got != "الاستثمار" {
		t.Errorf("DidYouMean(الاستثمر) = %q, %v with 1 vs 12 articles", got, ok)
	}
	// القمح is in 3 articles; القمج (one article) is not within reach of 10x.
	if err := ix.Add([]index.Article{art("typo2", 0, "القمج", "خطأ")}); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := ix.DidYouMean(context.Background(), "القمج"); ok {
		t.Errorf("DidYouMean(القمج) = %q; القمح has 3 articles, under 10 times 1", got)
	}
}

// TestDidYouMeanBesideResults: a word no article holds as typed, found
// through the stem of another word (الاستثمر through سأستثمر), gets a
// suggestion even when the search found plenty; its results stay.
func TestDidYouMeanBesideResults(t *testing.T) {
	ix := newSuggestIndex(t)
	var more []index.Article
	for i := range 3 {
		more = append(more, art(fmt.Sprintf("verb-%d", i), 0, "مدخرات", "قال إنه سأستثمر مدخراتي في الأرض"))
	}
	for i := range 30 { // a correction must be held by 10 times the stem's 3 articles
		more = append(more, art(fmt.Sprintf("inv-%d", i), 0, "اقتصاد", "صندوق الاستثمار يعلن نتائجه"))
	}
	if err := ix.Add(more); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, index.Request{Query: "الاستثمر"})
	if res.Total < 3 || res.Suggestion != "الاستثمار" || res.SuggestionUsed {
		t.Errorf("الاستثمر: %d hits, suggestion %q used %v; want its hits and الاستثمار proposed", res.Total, res.Suggestion, res.SuggestionUsed)
	}
	if res := search(t, ix, index.Request{Query: "الاستثمر", NoSuggest: true}); res.Suggestion != "" {
		t.Errorf("NoSuggest: suggestion %q", res.Suggestion)
	}
	if res := search(t, ix, index.Request{Query: "الاستثمار"}); res.Suggestion != "" {
		t.Errorf("a word the index holds: suggestion %q", res.Suggestion)
	}
	// A rare form of a frequent word is no typo: وسيستثمرون, found
	// through the stem of يستثمرون's 12 articles, is not turned into
	// وسيستمرون (held by 5, fewer than ten times 12).
	more = nil
	for i := range 12 {
		more = append(more, art(fmt.Sprintf("yst-%d", i), 0, "خبر", "المستثمرون يستثمرون أموالهم"))
	}
	for i := range 5 {
		more = append(more, art(fmt.Sprintf("cont-%d", i), 0, "خبر", "وسيستمرون في العمل"))
	}
	if err := ix.Add(more); err != nil {
		t.Fatal(err)
	}
	if res := search(t, ix, index.Request{Query: "وسيستثمرون"}); res.Total < 3 || res.Suggestion != "" {
		t.Errorf("وسيستثمرون: %d hits, suggestion %q; want its hits and no suggestion", res.Total, res.Suggestion)
	}
}

// TestSynonymIsNoTypo: a word of the synonyms file that no article holds
// as typed (Messi, the articles write ميسي) is found through its other
// spellings, not corrected to a close word (massi).
func TestSynonymIsNoTypo(t *testing.T) {
	ix := newSuggestIndex(t)
	if err := ix.Add([]index.Article{
		art("messi-ar", 0, "ميسي يسجل", "سجل ميسي هدفين"),
		art("massi-1", 0, "massi", "massi massi"), art("massi-2", 0, "massi", "massi"), art("massi-3", 0, "massi", "massi"),
	}); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, index.Request{Query: "Messi"})
	if res.SuggestionUsed || len(res.Hits) == 0 || res.Hits[0].ID != "messi-ar" || slices.Contains(ids(res.Hits), "massi-1") {
		t.Errorf("Messi: %v, suggestion %q used %v; want messi-ar through ميسي, no correction", ids(res.Hits), res.Suggestion, res.SuggestionUsed)
	}
}

// TestTypoTolerance: a query word no article holds is also searched in the
// closest spelling the index holds, as Meilisearch does, and the snippet
// marks the article's own spelling.
func TestTypoTolerance(t *testing.T) {
	ix := newSuggestIndex(t)
	if err := ix.Add([]index.Article{
		art("typo-fractal", 0, "شكل كسيري", "مجموعة ماندلبرو شكل كسيري مشهور في الرياضيات"),
		art("typo-caldera", 0, "بحيرات البراكين", "الكالديرا فوهة بركانية ضخمة تملؤها المياه"),
		art("typo-near", 0, "شكل آخر", "مجموعة ماندلبرا شكل آخر"),
		art("typo-sea", 0, "البحر الميت", "ينخفض منسوب البحر الميت كل عام"),
		art("typo-joy", 0, "اللذة", "كتاب عن اللذة والألم"),
		art("typo-israel-1", 0, "إسرائيل", "أعلنت إسرائيل اليوم"),
		art("typo-israel-2", 0, "خبر", "قالت إسرائيل إن"),
		art("typo-israel-3", 0, "خبر آخر", "ردت إسرائيل على"),
		art("typo-split", 0, "أسر وإيل", "اسر المقاتلون ايل في المعركة"),
	}); err != nil {
		t.Fatal(err)
	}
	off := index.DefaultRanking
	off.Typo = 0
	tests := []struct {
		name, query string
		want        string // the first hit, "" for none
		mark        string // marked in its snippets
	}{
		{"a letter too many", "ماندولبرو", "typo-fractal", "<mark>ماندلبرو</mark>"},
		{"two letters swapped count as one typo", "الكاليدرا", "typo-caldera", "<mark>الكالديرا</mark>"},
		{"beside other words", "فوهة الكاليدرا", "typo-caldera", "<mark>الكالديرا</mark>"},
		{"a word one article holds is not corrected", "ماندلبرا", "typo-near", "<mark>ماندلبرا</mark>"},
		{"two words typed without the space", "البحرالميت", "typo-sea", "<mark>البحر</mark> <mark>الميت</mark>"},
		{"a letter missing from a frequent word, not two rare words", "إسرايل", "typo-israel-1", "<mark>إسرائيل</mark>"},
		{"a question word glued to the next", "ماالكالديرا", "typo-caldera", "<mark>الكالديرا</mark>"},
		{"no typo in words under 5 letters", "قمز", "", ""},
		{"a misspelt stop word (الذي) is not corrected to a held word (اللذة)", "اللذي", "", ""},
		{"nothing within reach", "برتقال", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := search(t, ix, index.Request{Query: tc.query, Highlight: true, NoSuggest: true})
			if tc.want == "" {
				if res.Total != 0 {
					t.Errorf("Search(%q) = %v, want nothing", tc.query, ids(res.Hits))
				}
				return
			}
			if len(res.Hits) == 0 || res.Hits[0].ID != tc.want {
				t.Fatalf("Search(%q) = %v, want %s first", tc.query, ids(res.Hits), tc.want)
			}
			if tc.want == "typo-near" && slices.Contains(ids(res.Hits), "typo-fractal") {
				t.Errorf("Search(%q) = %v: a word the index holds found another spelling", tc.query, ids(res.Hits))
			}
			if !strings.Contains(strings.Join(res.Hits[0].Snippets, " "), tc.mark) {
				t.Errorf("Search(%q) snippets %q, want %s", tc.query, res.Hits[0].Snippets, tc.mark)
			}
		})
	}
	if res := search(t, ix, index.Request{Query: "ماندولبرو", NoSuggest: true, Ranking: &off}); res.Total != 0 {
		t.Errorf("Typo 0: Search(ماندولبرو) = %v, want nothing", ids(res.Hits))
	}
	// At most 10 unknown words are looked up: a misspelt word after ten
	// junk ones is not corrected, after nine it is.
	junk := func(n int) string { return strings.Repeat("ظظغغظظ ", n) }
	if res := search(t, ix, index.Request{Query: junk(9) + "ماندولبرو", NoSuggest: true}); len(res.Hits) == 0 || res.Hits[0].ID != "typo-fractal" {
		t.Errorf("the 10th unknown word: %v, want typo-fractal", ids(res.Hits))
	}
	if res := search(t, ix, index.Request{Query: junk(10) + "ماندولبرو", NoSuggest: true}); res.Total != 0 {
		t.Errorf("the 11th unknown word: %v, want nothing", ids(res.Hits))
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b          string
		levenshtein   int
		withSwapsOnes int
	}{
		{"تعلميه", "تعليمه", 2, 1}, {"الكاليدرا", "الكالديرا", 2, 1}, {"ماندولبرو", "ماندلبرو", 1, 1},
		{"abc", "abc", 0, 0}, {"", "ab", 2, 2}, {"ab", "", 2, 2}, {"ab", "ba", 2, 1}, {"abc", "ca", 3, 3},
		{"kitten", "sitting", 3, 3}, {"abcd", "badc", 3, 2},
	} {
		if got := index.EditDistance(tc.a, tc.b, false); got != tc.levenshtein {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.levenshtein)
		}
		if got := index.EditDistance(tc.a, tc.b, true); got != tc.withSwapsOnes {
			t.Errorf("editDistance(%q, %q) with swaps = %d, want %d", tc.a, tc.b, got, tc.withSwapsOnes)
		}
	}
}
