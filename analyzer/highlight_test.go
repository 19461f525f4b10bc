package analyzer_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/highlight/format/html"
)

// highlightBody is the stored text of the test article: vocalized and
// stretched words, both hamza seats, and an English name followed by an RLM
// (U+200F) as Arabic editors type it after Latin text.
const highlightBody = "أعلنت المَدْرَسَةِ الكـــبيرة في أبوظبي برنامجًا جديدًا. " +
	"وقال مسؤول في الوزارة إن التعاون مع OpenAI\u200F سيبدأ قريبًا."

// TestHighlightMarksSurface runs the analyzer inside a real bleve scorch
// index, on disk, and checks that the html highlighter marks exactly the
// word as written: diacritics, tatweel and all, and no invisible control
// after it (STYLE.md rule 2: never move offsets).
func TestHighlightMarksSurface(t *testing.T) {
	body := bleve.NewTextFieldMapping()
	body.Analyzer = analyzer.News // registered by the package's init as ar_news_v3
	body.Store = true
	body.IncludeTermVectors = true
	doc := bleve.NewDocumentMapping()
	doc.AddFieldMappingsAt("body", body)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = analyzer.News

	ix, err := bleve.NewUsing(t.TempDir()+"/ix", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Index("a1", map[string]any{"body": highlightBody}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, query string
		mark        string // the one <mark>ed text expected in the fragment
	}{
		{"diacritics are inside the mark", "المدرسة", "<mark>المَدْرَسَةِ</mark>"},
		{"tatweel and article are inside the mark", "كبيرة", "<mark>الكـــبيرة</mark>"},
		{"the other hamza seat is marked", "مسئول", "<mark>مسؤول</mark>"},
		{"lowercase query marks the name without its RLM", "openai", "<mark>OpenAI</mark>"},
	}
	markRE := regexp.MustCompile(`<mark>(.*?)</mark>`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := bleve.NewMatchQuery(tc.query)
			q.SetField("body")
			req := bleve.NewSearchRequest(q)
			req.Highlight = bleve.NewHighlightWithStyle(html.Name)
			req.Highlight.AddField("body")
			res, err := ix.Search(req)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != 1 {
				t.Fatalf("query %q: %d hits; want 1", tc.query, len(res.Hits))
			}
			frag := strings.Join(res.Hits[0].Fragments["body"], " … ")
			t.Logf("fragment: %q", frag)
			if !strings.Contains(frag, tc.mark) {
				t.Errorf("query %q: fragment lacks %q:\n%q", tc.query, tc.mark, frag)
			}
			// Every mark is one whole word whose term is the query's term.
			want := toks(t, tc.query, analyze(analyzer.NewNews(), tc.query))
			marks := markRE.FindAllStringSubmatch(frag, -1)
			if len(marks) == 0 {
				t.Fatalf("query %q: no <mark> in %q", tc.query, frag)
			}
			for _, mk := range marks {
				got := toks(t, mk[1], analyze(analyzer.NewNews(), mk[1]))
				if len(got) != 1 || len(want) != 1 || got[0].Term != want[0].Term || got[0].Surface != mk[1] {
					t.Errorf("query %q (%v) marked %q, which analyzes to %v: not exactly one word with the query's term",
						tc.query, want, mk[1], got)
				}
			}
			if strings.Contains(frag, "\u200F</mark>") || strings.Contains(frag, "<mark>\u200F") {
				t.Errorf("query %q: an RLM is inside a mark: %q", tc.query, frag)
			}
		})
	}
}
