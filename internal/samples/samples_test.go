package samples_test

// Tests of the sample set itself: every line is an article the project's own
// parser accepts; the set has what issue 5 asks of it (at least 40 articles
// across sections, sources, authors and dates); README.md's groups name real
// articles, its wire copies are near-duplicates and its related stories are
// not; and the spellings the analyzer must fold all occur.

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/analyzer"
	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/samples"
)

// The fixed spellings of sections and sources (README.md).
var (
	sections = []string{"سياسة", "اقتصاد", "تقنية", "رياضة", "صحة", "ثقافة", "علوم"}
	sources  = []string{"وكالة الشرق للأنباء", "صحيفة الأفق", "الاقتصادي اليوم", "الخليج الرقمي",
		"بوابة التقنية العربية", "منصة الملعب", "نبض الصحة"}
)

// articles parses every line of samples.Articles with index.ParseArticle,
// the parser `bahth index` and the server use.
func articles(t *testing.T) []index.Article {
	t.Helper()
	var out []index.Article
	n := 0
	for line := range bytes.Lines(samples.Articles) {
		n++
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		a, err := index.ParseArticle(line)
		if err != nil {
			t.Fatalf("articles.jsonl line %d: %v", n, err)
		}
		out = append(out, a)
	}
	return out
}

func byID(t *testing.T) map[string]index.Article {
	t.Helper()
	m := map[string]index.Article{}
	for _, a := range articles(t) {
		if _, dup := m[a.ID]; dup {
			t.Fatalf("id %s is used twice", a.ID)
		}
		m[a.ID] = a
	}
	return m
}

func text(a index.Article) string { return a.Title + "\n" + a.Summary + "\n" + a.Body }

func TestEveryArticleIsComplete(t *testing.T) {
	for _, a := range articles(t) {
		t.Run(a.ID, func(t *testing.T) {
			if len(a.Extra) > 0 {
				t.Errorf("fields outside the schema: %v", a.Extra)
			}
			if strings.TrimSpace(a.Title) == "" || strings.TrimSpace(a.Body) == "" {
				t.Errorf("title %q, body of %d bytes: want both", a.Title, len(a.Body))
			}
			if !slices.Contains(sections, a.Section) {
				t.Errorf("section %q is not one of %q", a.Section, sections)
			}
			if !slices.Contains(sources, a.Source) {
				t.Errorf("source %q is not one of %q", a.Source, sources)
			}
			if len(a.Authors) == 0 || slices.Contains(a.Authors, "") {
				t.Errorf("authors %q", a.Authors)
			}
			if len(a.Tags) < 2 || len(a.Tags) > 5 {
				t.Errorf("%d tags %q, want 2 to 5", len(a.Tags), a.Tags)
			}
			if a.Lang != "ar" {
				t.Errorf("lang %q, want ar", a.Lang)
			}
			if !strings.HasPrefix(a.URL, "https://example.com/") {
				t.Errorf("url %q is not under https://example.com/", a.URL)
			}
			if a.PublishedAt.IsZero() || (!a.UpdatedAt.IsZero() && a.UpdatedAt.Before(a.PublishedAt)) {
				t.Errorf("published %v, updated %v", a.PublishedAt, a.UpdatedAt)
			}
			all := text(a) + strings.Join(a.Authors, " ") + strings.Join(a.Tags, " ")
			if strings.ContainsAny(all, "<>&") {
				t.Errorf("holds <, > or &: samples carry no HTML")
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	arts := byID(t) // also fails on a duplicate id
	secs, srcs, authors := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var first, last time.Time
	var coauthored, summarized, updated int
	for _, a := range arts {
		secs[a.Section], srcs[a.Source] = true, true
		for _, au := range a.Authors {
			authors[au] = true
		}
		if first.IsZero() || a.PublishedAt.Before(first) {
			first = a.PublishedAt
		}
		if a.PublishedAt.After(last) {
			last = a.PublishedAt
		}
		if len(a.Authors) > 1 {
			coauthored++
		}
		if a.Summary != "" {
			summarized++
		}
		if !a.UpdatedAt.IsZero() {
			updated++
		}
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"articles", len(arts), 40},
		{"sections", len(secs), 5},
		{"sources", len(srcs), 4},
		{"authors", len(authors), 6},
		{"days from the first to the last article", int(last.Sub(first).Hours() / 24), 365},
		{"articles with two authors or more", coauthored, 3},
		{"articles with a summary", summarized, 5},
		{"articles with updated_at", updated, 3},
	}
	for _, c := range checks {
		if c.got < c.want {
			t.Errorf("%s: %d, want at least %d", c.what, c.got, c.want)
		}
	}
	if n := samples.Count(); n != len(arts) {
		t.Errorf("samples.Count() = %d, but %d articles parse", n, len(arts))
	}
}

// shingles returns the set of runs of three adjacent normalized words: the
// unit near-duplicate detectors compare.
func shingles(s string) map[string]bool {
	var words []string
	for _, tok := range analyzer.NewNormalized().Analyze([]byte(s)) {
		words = append(words, string(tok.Term))
	}
	set := map[string]bool{}
	for i := 0; i+3 <= len(words); i++ {
		set[strings.Join(words[i:i+3], " ")] = true
	}
	return set
}

// resemblance is the Jaccard similarity of two shingle sets.
func resemblance(x, y map[string]bool) float64 {
	inter := 0
	for s := range x {
		if y[s] {
			inter++
		}
	}
	union := len(x) + len(y) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

func bodyResemblance(a, b index.Article) float64 {
	return resemblance(shingles(a.Body), shingles(b.Body))
}

// Thresholds on body resemblance. Measured on the samples: a wire copy and
// its original 0.50 (s05 s06) to 0.85 (s15 s17); two articles that are not
// wire copies of each other, related stories included, at most 0.014.
const (
	minWire    = 0.4
	maxRelated = 0.1
)

func TestGroups(t *testing.T) {
	arts := byID(t)
	g, err := samples.ReadGroups()
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Wire) < 4 || len(g.Related) < 4 {
		t.Fatalf("%d wire groups and %d related groups; want at least 4 of each", len(g.Wire), len(g.Related))
	}
	known := func(t *testing.T, ids []string) bool {
		for _, id := range ids {
			if _, ok := arts[id]; !ok {
				t.Errorf("README.md lists %s, which is not a sample", id)
				return false
			}
		}
		return true
	}
	inWire := map[string]bool{}
	for _, ids := range g.Wire {
		t.Run("wire "+strings.Join(ids, " "), func(t *testing.T) {
			if !known(t, ids) {
				return
			}
			if len(ids) > 4 {
				t.Errorf("%d copies, want 2 to 4", len(ids))
			}
			orig := arts[ids[0]]
			for _, id := range ids {
				if inWire[id] {
					t.Errorf("%s is in two wire groups", id)
				}
				inWire[id] = true
			}
			for _, id := range ids[1:] {
				c := arts[id]
				if r := bodyResemblance(orig, c); r < minWire || c.Body == orig.Body {
					t.Errorf("%s vs %s: body resemblance %.2f, want a near-duplicate (>= %.2f) with edits", orig.ID, id, r, minWire)
				}
				if c.Title == orig.Title || c.Source == orig.Source {
					t.Errorf("%s vs %s: the same title or source; a wire copy is the story run by another source under its own title", orig.ID, id)
				}
				if d := c.PublishedAt.Sub(orig.PublishedAt); d < 0 || d > 48*time.Hour {
					t.Errorf("%s is published %v after %s; a wire copy follows within two days", id, d, orig.ID)
				}
			}
		})
	}
	for _, ids := range g.Related {
		t.Run("related "+strings.Join(ids, " "), func(t *testing.T) {
			if !known(t, ids) {
				return
			}
			for i, a := range ids {
				for _, b := range ids[i+1:] {
					if r := bodyResemblance(arts[a], arts[b]); r > maxRelated {
						t.Errorf("%s vs %s: body resemblance %.2f; related stories are not copies (<= %.2f)", a, b, r, maxRelated)
					}
				}
			}
		})
	}
}

// TestNoUnlistedCopies checks that README.md lists every wire copy: two
// articles outside one wire group never resemble each other, so tests of
// duplicate detection can count README.md's groups as the truth.
func TestNoUnlistedCopies(t *testing.T) {
	arts := articles(t)
	g, err := samples.ReadGroups()
	if err != nil {
		t.Fatal(err)
	}
	group := map[string]int{}
	for k, ids := range g.Wire {
		for _, id := range ids {
			group[id] = k + 1
		}
	}
	sets := make([]map[string]bool, len(arts))
	for i, a := range arts {
		sets[i] = shingles(a.Body)
	}
	for i, a := range arts {
		for j := i + 1; j < len(arts); j++ {
			b := arts[j]
			if group[a.ID] != 0 && group[a.ID] == group[b.ID] {
				continue
			}
			if r := resemblance(sets[i], sets[j]); r > maxRelated {
				t.Errorf("%s and %s: body resemblance %.2f, but README.md does not list them as wire copies", a.ID, b.ID, r)
			}
		}
	}
}

// surfaces returns every word of the article as written, cut by the
// project's tokenizer.
func surfaces(a index.Article) map[string]bool {
	s := text(a)
	words := map[string]bool{}
	for _, tok := range analyzer.NewNormalized().Analyze([]byte(s)) {
		words[s[tok.Start:tok.End]] = true
	}
	return words
}

// has reports whether the article writes w: a whole word, or for a phrase
// the phrase itself.
func has(a index.Article, words map[string]bool, w string) bool {
	if strings.Contains(w, " ") {
		return strings.Contains(text(a), w)
	}
	return words[w]
}

// TestSpellingVariants checks that each pair of spellings is written by
// different articles, so a search for one must find the other, and that the
// analyzer folds the pair (fold) or, for transliterations, does not (they
// need the synonyms file).
func TestSpellingVariants(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		fold bool
	}{
		{"hamza seat ؤ/ئ", "مسؤول", "مسئول", true},
		{"hamza seat, feminine", "مسؤولة", "مسئولة", true},
		{"hamza written on a wasl alef", "الإستثمار", "الاستثمار", true},
		{"hamza on alef dropped", "أحمد", "احمد", true},
		{"ي before hamza", "شيء", "شئ", true},
		{"ى/ي", "مستشفى", "مستشفي", true},
		{"ة/ه", "حالة", "حاله", true},
		{"Arabic-Indic digits", "٢٠٢٦", "2026", true},
		{"Arabic decimal separator", "٣٫٥", "3.5", true},
		{"damma on a name", "العُلا", "العلا", true},
		{"Trump, two transliterations", "ترامب", "ترمب", false},
		{"OpenAI in Latin and Arabic letters", "OpenAI", "أوبن إيه آي", false},
	}
	arts := articles(t)
	words := make([]map[string]bool, len(arts))
	for i, a := range arts {
		words[i] = surfaces(a)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var onlyA, onlyB []string
			for i, a := range arts {
				ha, hb := has(a, words[i], tc.a), has(a, words[i], tc.b)
				if ha && !hb {
					onlyA = append(onlyA, a.ID)
				}
				if hb && !ha {
					onlyB = append(onlyB, a.ID)
				}
			}
			if len(onlyA) == 0 || len(onlyB) == 0 {
				t.Errorf("articles writing only %s: %v, only %s: %v; want some of each", tc.a, onlyA, tc.b, onlyB)
			}
			fa, fb := normalize(tc.a), normalize(tc.b)
			if (fa == fb) != tc.fold {
				t.Errorf("normalized %q and %q; fold = %v, want %v", fa, fb, fa == fb, tc.fold)
			}
		})
	}
}

// gluedLatin matches the conjunction و written onto a Latin word (وGoogle).
var gluedLatin = regexp.MustCompile(`(^|\s)و\p{Latin}`)

func normalize(s string) string {
	var out []string
	for _, w := range strings.Fields(s) {
		out = append(out, string(analyzer.Normalize([]byte(w))))
	}
	return strings.Join(out, " ")
}

// TestAnalyzerExercises checks that the samples hold each kind of text the
// analyzer must handle, somewhere.
func TestAnalyzerExercises(t *testing.T) {
	inWord := func(set func(rune) bool, min int) func(index.Article) bool {
		return func(a index.Article) bool {
			for w := range surfaces(a) {
				n := 0
				for _, r := range w {
					if set(r) {
						n++
					}
				}
				if n >= min && !set([]rune(w)[0]) {
					return true
				}
			}
			return false
		}
	}
	is := func(rs ...rune) func(rune) bool { return func(r rune) bool { return slices.Contains(rs, r) } }
	harakat := func(r rune) bool { return r >= 0x064B && r <= 0x0652 }
	latin := func(name string) func(index.Article) bool {
		return func(a index.Article) bool { return surfaces(a)[name] }
	}
	tests := []struct {
		name string
		ok   func(index.Article) bool
	}{
		{"three harakat in one word", inWord(harakat, 3)},
		{"a run of tatweel inside a word", func(a index.Article) bool { return strings.Contains(text(a), "ـــ") }},
		{"RLM inside a word", inWord(is('\u200f'), 1)},
		{"ZWNJ inside a word", inWord(is('\u200c'), 1)},
		{"Arabic-Indic digits with ٫ and ٪", func(a index.Article) bool { return strings.Contains(text(a), "٫") && strings.Contains(text(a), "٪") }},
		{"a quoted phrase in a title", func(a index.Article) bool { return strings.Contains(a.Title, "«") && strings.Contains(a.Title, "»") }},
		{"a Latin word glued to و", func(a index.Article) bool { return gluedLatin.MatchString(text(a)) }},
	}
	for _, name := range []string{"OpenAI", "ChatGPT", "Stargate", "xAI", "Nvidia", "FIFA", "Samsung"} {
		tests = append(tests, struct {
			name string
			ok   func(index.Article) bool
		}{fmt.Sprintf("the name %s", name), latin(name)})
	}
	arts := articles(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.ContainsFunc(arts, tc.ok) {
				t.Errorf("no sample article has %s", tc.name)
			}
		})
	}
}
