package index_test

// Tests against a real scorch index on disk (STYLE.md rule 13): no mocks of
// bleve. Each test builds its own index from the embedded sample articles
// (internal/samples) in t.TempDir().

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/samples"
)

// newIndex creates an empty index in a fresh temporary directory and closes
// it when the test ends. It returns the index and its directory.
func newIndex(t *testing.T) (*index.Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index") // Create wants a path that does not exist
	ix, err := index.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

// newSampleIndex is newIndex loaded with all the sample articles.
func newSampleIndex(t *testing.T) (*index.Index, string) {
	t.Helper()
	ix, dir := newIndex(t)
	n, err := ix.Load(bytes.NewReader(samples.Articles), "articles.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if want := samples.Count(); n != want {
		t.Fatalf("loaded %d sample articles, want %d", n, want)
	}
	return ix, dir
}

func search(t *testing.T, ix *index.Index, req index.Request) *index.Result {
	t.Helper()
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%q): %v", req.Query, err)
	}
	return res
}

func ids(hits []index.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func TestCreateExistingDirFails(t *testing.T) {
	_, dir := newIndex(t)
	if ix, err := index.Create(dir); err == nil {
		ix.Close()
		t.Fatalf("Create(%s) over an existing index succeeded", dir)
	}
	empty := t.TempDir() // exists but holds nothing
	if ix, err := index.Create(empty); err == nil {
		ix.Close()
		t.Fatalf("Create(%s) on an existing empty directory succeeded", empty)
	}
}

func TestReopenKeepsCountAndResults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := index.Create(dir) // closed below, not by newIndex's cleanup: scorch panics on a second Close
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Load(bytes.NewReader(samples.Articles), "articles.jsonl"); err != nil {
		ix.Close()
		t.Fatal(err)
	}
	queries := []string{"openai chatgpt", "إيران نسبة التخصيب", "مسئول", "٢٠٢٥ النمو", "الشروق", "سندات سحاب"}
	before := make(map[string]*index.Result)
	for _, q := range queries {
		before[q] = search(t, ix, index.Request{Query: q, Size: 20})
	}
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	re, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	m, err := re.Count()
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(samples.Count()); m != n || n != want {
		t.Errorf("Count: %d before closing, %d after reopening; want %d both times", n, m, want)
	}
	for _, q := range queries {
		after := search(t, re, index.Request{Query: q, Size: 20})
		b := before[q]
		if len(b.Hits) == 0 {
			t.Errorf("%q: no hits; the test wants queries that match", q)
		}
		if b.Total != after.Total || len(b.Hits) != len(after.Hits) {
			t.Errorf("%q: total %d, %d hits before; total %d, %d hits after reopening",
				q, b.Total, len(b.Hits), after.Total, len(after.Hits))
			continue
		}
		for i := range b.Hits {
			x, y := b.Hits[i], after.Hits[i]
			if x.ID != y.ID || x.Score != y.Score {
				t.Errorf("%q rank %d: %s %.6f before, %s %.6f after reopening", q, i+1, x.ID, x.Score, y.ID, y.Score)
			}
		}
	}
}

func TestSearchSize(t *testing.T) {
	ix, _ := newSampleIndex(t)
	// One word from each of several articles: more than 10 match.
	const q = "شركة أكثر عام مسؤول الذكاء الشروق الكوليرا غزة ماراثون إيران النمو سحاب"
	res := search(t, ix, index.Request{Query: q})
	if res.Total <= 10 {
		t.Fatalf("%q matches %d articles; the test needs more than 10", q, res.Total)
	}
	if len(res.Hits) != 10 {
		t.Errorf("Size 0: %d hits, want the default 10", len(res.Hits))
	}
	if res := search(t, ix, index.Request{Query: q, Size: 3}); len(res.Hits) != 3 {
		t.Errorf("Size 3: %d hits", len(res.Hits))
	}
	for _, req := range []index.Request{{Query: q, Size: -1}, {Query: q, From: -1}} {
		_, err := ix.Search(context.Background(), req)
		if !errors.Is(err, index.ErrInvalidQuery) {
			t.Errorf("Size %d From %d: error %v, want ErrInvalidQuery", req.Size, req.From, err)
		}
	}
}

func TestStopWordsOnlyQuery(t *testing.T) {
	ix, _ := newSampleIndex(t)
	// Words that are all stop words match nothing.
	for _, q := range []string{"من هو في", "في و من"} {
		res := search(t, ix, index.Request{Query: q, Highlight: true})
		if res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("%q: total %d, hits %v; want none", q, res.Total, ids(res.Hits))
		}
	}
	// No words at all browses every article, newest first, as
	// Elasticsearch's match_all and Meilisearch's placeholder search do.
	n, _ := ix.Count()
	for _, q := range []string{"", "   ", "،؟!"} {
		res := search(t, ix, index.Request{Query: q, Highlight: true, Size: 100, NoCollapse: true})
		if res.Total != n || len(res.Hits) != int(n) {
			t.Errorf("%q: total %d, %d hits; want all %d", q, res.Total, len(res.Hits), n)
			continue
		}
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i].Article.PublishedAt.After(res.Hits[i-1].Article.PublishedAt) {
				t.Errorf("%q: hit %d (%s) is newer than hit %d", q, i, res.Hits[i].ID, i-1)
			}
		}
	}
}

func TestHighlightMarksOriginalSpelling(t *testing.T) {
	ix, _ := newSampleIndex(t)
	res := search(t, ix, index.Request{Query: "مسئول", Highlight: true})
	var s05 *index.Hit
	for i := range res.Hits {
		if res.Hits[i].ID == "s05" {
			s05 = &res.Hits[i]
		}
	}
	if s05 == nil {
		t.Fatalf("مسئول: hits %v, want s05 (which writes مسؤول)", ids(res.Hits))
	}
	body := strings.Join(s05.Snippets, " … ")
	if !strings.Contains(body, "<mark>مسؤول</mark>") {
		t.Errorf("s05 body snippets do not mark مسؤول as written:\n%s", body)
	}
	if strings.Contains(body, "مسئول") {
		t.Errorf("s05 body snippets show the query's spelling مسئول, not the article's:\n%s", body)
	}

	// Diacritics stay in the marked surface: s04 writes الحَاسُوبِ.
	res = search(t, ix, index.Request{Query: "الحاسوب", Highlight: true})
	if len(res.Hits) == 0 || res.Hits[0].ID != "s04" {
		t.Fatalf("الحاسوب: hits %v, want s04 first", ids(res.Hits))
	}
	if title := res.Hits[0].Title; !strings.Contains(title, "<mark>الحَاسُوبِ</mark>") {
		t.Errorf("s04 title snippet does not mark الحَاسُوبِ with its diacritics:\n%s", title)
	}

	// Without Highlight no snippets are computed.
	res = search(t, ix, index.Request{Query: "مسئول"})
	for _, h := range res.Hits {
		if h.Snippets != nil {
			t.Errorf("%s: snippets %v without Highlight", h.ID, h.Snippets)
		}
	}
}

func TestExplain(t *testing.T) {
	ix, _ := newSampleIndex(t)
	res := search(t, ix, index.Request{Query: "الكوليرا السودان", Explain: true})
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	for _, h := range res.Hits {
		if h.Explanation == nil {
			t.Errorf("%s: nil explanation with Explain", h.ID)
		} else if d := h.Explanation.Value - h.Score; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: explanation value %g, score %g", h.ID, h.Explanation.Value, h.Score)
		}
	}
	res = search(t, ix, index.Request{Query: "الكوليرا السودان"})
	if res.Hits[0].Explanation != nil {
		t.Errorf("explanation without Explain")
	}
}

func TestTiesBrokenByID(t *testing.T) {
	ix, _ := newIndex(t)
	a := index.Article{Title: "مؤتمر المناخ", Body: "اختتم مؤتمر المناخ أعماله في المدينة."}
	var arts []index.Article
	for _, id := range []string{"tie-c", "tie-a", "tie-b"} { // added out of order
		x := a
		x.ID = id
		arts = append(arts, x)
	}
	if err := ix.Add(arts); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, index.Request{Query: "مؤتمر المناخ"})
	got := ids(res.Hits)
	if strings.Join(got, " ") != "tie-a tie-b tie-c" {
		t.Errorf("identical articles came back as %v, want id order", got)
	}
	for _, h := range res.Hits {
		if h.Score != res.Hits[0].Score {
			t.Errorf("identical articles scored differently: %s %g, %s %g", res.Hits[0].ID, res.Hits[0].Score, h.ID, h.Score)
		}
	}
	// Paging keeps the order.
	page2 := search(t, ix, index.Request{Query: "مؤتمر المناخ", Size: 1, From: 1})
	if g := ids(page2.Hits); len(g) != 1 || g[0] != "tie-b" {
		t.Errorf("Size 1 From 1: %v, want [tie-b]", g)
	}
}

func TestLoadFileReportsLine(t *testing.T) {
	ix, _ := newIndex(t)
	path := filepath.Join(t.TempDir(), "x.jsonl")
	data := `{"id":"a1","title":"عنوان أول","body":"نص"}
{"id":"a2","title":"عنوان ثان","body":"نص"}
{"id":"a3","title": oops}
{"id":"a4","title":"عنوان رابع","body":"نص"}
`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := ix.LoadFile(path)
	if err == nil {
		t.Fatal("LoadFile accepted a malformed line")
	}
	if n != 3 {
		t.Errorf("LoadFile indexed %d articles; want the 3 good lines around the bad one", n)
	}
	if !strings.Contains(err.Error(), "x.jsonl:3:") {
		t.Errorf("error %q does not name x.jsonl:3:", err)
	}
	if !errors.Is(err, index.ErrInvalidArticle) {
		t.Errorf("error %q is not ErrInvalidArticle", err)
	}

	// The same file without the bad line loads, and a missing file fails.
	good := strings.Replace(data, "{\"id\":\"a3\",\"title\": oops}\n", "", 1)
	if err := os.WriteFile(path, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.LoadFile(path); err != nil || n != 3 {
		t.Errorf("LoadFile(good) = %d, %v; want 3, nil", n, err)
	}
	if _, err := ix.LoadFile(filepath.Join(t.TempDir(), "missing.jsonl")); err == nil {
		t.Error("LoadFile of a missing file succeeded")
	}
}

func TestParseArticle(t *testing.T) {
	day := time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		in     string
		reason string // a rejection must say this; "" means the line is accepted
		want   index.Article
	}{
		{name: "full", in: `{"id":"n1","title":"ت","summary":"م","body":"ب","author":["أ","ب"],"section":"س","tags":["x","y"],"source":"م","url":"https://x","lang":"ar","published_at":"2025-03-12T09:30:00+03:00","updated_at":"2025-03-12"}`,
			want: index.Article{ID: "n1", Title: "ت", Summary: "م", Body: "ب", Authors: []string{"أ", "ب"}, Section: "س", Tags: []string{"x", "y"},
				Source: "م", URL: "https://x", Lang: "ar", PublishedAt: time.Date(2025, 3, 12, 6, 30, 0, 0, time.UTC), UpdatedAt: day}},
		{name: "one author as a string", in: `{"id":"a1","title":"ت","author":"أ"}`, want: index.Article{ID: "a1", Title: "ت", Authors: []string{"أ"}}},
		{name: "one tag as a string", in: `{"id":"a2","title":"ت","tags":"x"}`, want: index.Article{ID: "a2", Title: "ت", Tags: []string{"x"}}},
		{name: "nulls are absent fields", in: `{"id":"a3","title":"ت","body":null,"tags":null}`, want: index.Article{ID: "a3", Title: "ت"}},
		{name: "unknown fields are kept", in: `{"id":"u1","title":"ت","views":12,"meta":{"a":1}}`,
			want: index.Article{ID: "u1", Title: "ت", Extra: map[string]json.RawMessage{"views": json.RawMessage(`12`), "meta": json.RawMessage(`{"a":1}`)}}},
		{name: "escapes", in: `{"id":"s\"1","title":"سطر\nآخر \u0627\/\t"}`, want: index.Article{ID: `s"1`, Title: "سطر\nآخر ا/\t"}},
		{name: "escapes Go reads", in: `{"id":"s3","title":"سطر\nآخر \u0627\t\\ \"ب\" \u00e9"}`, want: index.Article{ID: "s3", Title: "سطر\nآخر ا\t\\ \"ب\" é"}},
		{name: "a surrogate pair", in: `{"id":"s4","title":"ت \ud83d\ude00 \ud800"}`, want: index.Article{ID: "s4", Title: "ت 😀 \ufffd"}},
		{name: "spaces between values", in: `{ "id" : "s2" , "title" : "ت" , "meta" : { "a" : [1, 2] } }`,
			want: index.Article{ID: "s2", Title: "ت", Extra: map[string]json.RawMessage{"meta": json.RawMessage(`{ "a" : [1, 2] }`)}}},
		{name: "date alias", in: `{"id":"n2","title":"ت","date":"2025-03-12T00:00:00Z"}`, want: index.Article{ID: "n2", Title: "ت", PublishedAt: day}},
		{name: "plain date", in: `{"id":"n3","body":"ب","published_at":"2025-03-12"}`, want: index.Article{ID: "n3", Body: "ب", PublishedAt: day}},
		{name: "plain date alias", in: `{"id":"n4","body":"ب","date":"2025-03-12"}`, want: index.Article{ID: "n4", Body: "ب", PublishedAt: day}},
		{name: "no date", in: `{"id":"n5","title":"ت"}`, want: index.Article{ID: "n5", Title: "ت"}},
		{name: "missing id", in: `{"title":"ت","body":"ب"}`, reason: `no "id"`},
		{name: "empty id", in: `{"id":"","title":"ت"}`, reason: `"id" is empty`},
		{name: "blank id", in: `{"id":"  ","title":"ت"}`, reason: `"id" is empty`},
		{name: "numeric id", in: `{"id":7,"title":"ت"}`, reason: `field "id": want a string, got a number`},
		{name: "null id", in: `{"id":null,"title":"ت"}`, reason: `"id" is empty`},
		{name: "id over 512 bytes", in: `{"id":"` + strings.Repeat("x", 513) + `","title":"ت"}`, reason: `"id": the id is 513 bytes long; at most 512`},
		{name: "id with a control character", in: `{"id":"a\u0000b","title":"ت"}`, reason: `"id": the id holds control characters`},
		{name: "id with a C1 control character", in: `{"id":"a\u0085b","title":"ت"}`, reason: `"id": the id holds control characters`},
		{name: "title of the wrong type", in: `{"id":"w1","title":5}`, reason: `field "title": want a string, got a number`},
		{name: "tags of the wrong type", in: `{"id":"w2","title":"ت","tags":{"a":1}}`, reason: `field "tags": want a string or a list of strings, got an object`},
		{name: "authors of the wrong type", in: `{"id":"w3","title":"ت","author":[1,2]}`, reason: `field "author": want a string or a list of strings`},
		{name: "empty title and body", in: `{"id":"e1","title":"","body":""}`, reason: `"title" and "body" are both empty`},
		{name: "no title or body", in: `{"id":"e2","section":"س"}`, reason: `"title" and "body" are both empty`},
		{name: "bad date", in: `{"id":"d1","title":"ت","published_at":"12/03/2025"}`, reason: `field "published_at"`},
		{name: "bad date alias", in: `{"id":"d2","title":"ت","date":"yesterday"}`, reason: `field "published_at"`},
		{name: "a date a time zone carries before the year 0000", in: `{"id":"d4","title":"ت","published_at":"0000-01-01T00:00:00+01:00"}`, reason: `field "published_at": -0001-12-31T23:00:00Z is outside the dates an index can search, the years 1678 to 2261`},
		{name: "the first day an index holds", in: `{"id":"d9","title":"ت","published_at":"1678-01-01"}`, want: index.Article{ID: "d9", Title: "ت", PublishedAt: time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{name: "the last day", in: `{"id":"d10","title":"ت","published_at":"2261-12-31"}`, want: index.Article{ID: "d10", Title: "ت", PublishedAt: time.Date(2261, 12, 31, 0, 0, 0, 0, time.UTC)}},
		{name: "a date before 1678", in: `{"id":"d6","title":"ت","published_at":"1600-01-01"}`, reason: `field "published_at": 1600-01-01T00:00:00Z is outside the dates an index can search`},
		{name: "the year 1", in: `{"id":"d7","title":"ت","published_at":"0001-01-01T00:00:00Z"}`, reason: `field "published_at": 0001-01-01T00:00:00Z is outside`},
		{name: "a date from 2262", in: `{"id":"d8","title":"ت","updated_at":"2262-05-01"}`, reason: `field "updated_at": 2262-05-01T00:00:00Z is outside`},
		{name: "a date a time zone carries past the year 9999", in: `{"id":"d5","title":"ت","updated_at":"9999-12-31T23:00:00-02:00"}`, reason: `field "updated_at"`},
		{name: "bad updated_at", in: `{"id":"d3","title":"ت","updated_at":"soon"}`, reason: `field "updated_at"`},
		{name: "not json", in: `{"id":"j1",`, reason: "not a JSON object"},
		{name: "not an object", in: `["j2"]`, reason: "not a JSON object"},
		{name: "invalid UTF-8", in: "{\"id\":\"x\",\"title\":\"\xff\"}", reason: "invalid UTF-8 at byte 19"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := index.ParseArticle([]byte(tc.in))
			if tc.reason != "" {
				if err == nil {
					t.Fatalf("ParseArticle(%s) = %+v, want an error", tc.in, got)
				}
				if !errors.Is(err, index.ErrInvalidArticle) {
					t.Errorf("error %q is not ErrInvalidArticle", err)
				}
				if !strings.Contains(err.Error(), tc.reason) {
					t.Errorf("error %q does not say %q", err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseArticle(%s): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
			// A stored article reads back as it was, extra fields included;
			// it is stored as MarshalJSON writes it, which must be compact.
			raw, err := got.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, raw); err != nil || compact.String() != string(raw) {
				t.Errorf("MarshalJSON wrote %s, not compact JSON (%v)", raw, err)
			}
			stored := got // extra values come back compact
			if got.Extra != nil {
				stored.Extra = map[string]json.RawMessage{}
				for k, v := range got.Extra {
					var b bytes.Buffer
					_ = json.Compact(&b, v)
					stored.Extra[k] = b.Bytes()
				}
			}
			var back index.Article
			if err := json.Unmarshal(raw, &back); err != nil || !reflect.DeepEqual(back, stored) {
				t.Errorf("round trip through %s: %+v, %v", raw, back, err)
			}
		})
	}
}

func TestOpenRefusesOtherAnalysis(t *testing.T) {
	tests := []struct {
		name, from, to, want string
	}{
		{"older schema version", fmt.Sprintf(`"schema_version": %d`, index.SchemaVersion), `"schema_version": 1`, "schema version 1"},
		{"analyzer this build does not have", `"ar_news_v3"`, `"ar_news_v0"`, "analyzer ar_news_v0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "ix")
			ix, err := index.Create(dir)
			if err != nil {
				t.Fatal(err)
			}
			ix.Close()
			metaPath := filepath.Join(dir, "bahth.json")
			b, err := os.ReadFile(metaPath)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.from) {
				t.Fatalf("%s does not hold %s:\n%s", metaPath, tc.from, b)
			}
			if err := os.WriteFile(metaPath, []byte(strings.Replace(string(b), tc.from, tc.to, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = index.Open(dir)
			if !errors.Is(err, index.ErrReindex) {
				t.Fatalf("Open = %v; want ErrReindex", err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bahth reindex") {
				t.Errorf("error %q should name %q and say to rebuild", err, tc.want)
			}
		})
	}
	t.Run("index without a record", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "ix")
		ix, err := index.Create(dir)
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
		if err := os.Remove(filepath.Join(dir, "bahth.json")); err != nil {
			t.Fatal(err)
		}
		if _, err := index.Open(dir); !errors.Is(err, index.ErrReindex) {
			t.Fatalf("Open = %v; want ErrReindex", err)
		}
	})
}

// TestExplainRescored requires the explanation of a hit in the rescore
// window to show its pairs and to add up to its score, and one outside
// the window to say that its pairs were not read.
func TestExplainRescored(t *testing.T) {
	ix, _ := newSampleIndex(t)
	r := index.DefaultRanking
	r.Window = 1
	res := search(t, ix, index.Request{Query: "حملة تطعيم في السودان", Explain: true, Ranking: &r, NoCollapse: true})
	if len(res.Hits) < 2 {
		t.Fatalf("%d hits, want 2 or more", len(res.Hits))
	}
	for i, h := range res.Hits {
		e := h.Explanation
		if e == nil {
			t.Fatalf("%s: no explanation", h.ID)
		}
		if d := e.Value - h.Score; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: explanation value %g, score %g", h.ID, e.Value, h.Score)
		}
		pair := false
		for _, c := range e.Children { // a pair is two stems: "bm25(text:first second) = ..."
			term, _, _ := strings.Cut(strings.TrimPrefix(c.Message, "bm25(text:"), ")")
			pair = pair || strings.HasPrefix(c.Message, "bm25(text:") && strings.Contains(term, " ")
		}
		switch {
		case i == 0 && (!pair || !strings.Contains(e.Message, "adjacent query words scored")):
			t.Errorf("%s, rescored: %s, children %v", h.ID, e.Message, e.Children)
		case i > 0 && (pair || !strings.Contains(e.Message, "not scored")):
			t.Errorf("%s, outside the window: %s", h.ID, e.Message)
		}
	}
}

// FuzzParseArticle: any line is an article or an ErrInvalidArticle, never
// a panic, and an accepted article reads back from what is stored as it
// was (MarshalJSON compacts the extra fields' values).
func FuzzParseArticle(f *testing.F) {
	for _, s := range []string{
		`{"id":"n1","title":"ت","summary":"م","body":"ب","author":["أ","ب"],"section":"س","tags":["x","y"],"source":"م","url":"https://x","lang":"ar","published_at":"2025-03-12T09:30:00+03:00","updated_at":"2025-03-12"}`,
		`{"id":"a1","title":"ت","author":"أ","tags":"x","views":12,"meta":{"a":[1, 2]}}`,
		`{"id":"s\"1","title":"سطر\nآخر \u0627\/\t \ud83d\ude00 \ud800"}`,
		`{"id":"d","body":"ب","date":"0010-01-01"}`, `{"id":7}`, `[1]`, `{"id":"x","title":null,"body":"ب"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		a, err := index.ParseArticle(line)
		if err != nil {
			if !errors.Is(err, index.ErrInvalidArticle) {
				t.Fatalf("ParseArticle(%q): %v, not ErrInvalidArticle", line, err)
			}
			return
		}
		raw, err := a.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON of %q: %v", line, err)
		}
		back, err := index.ParseArticle(raw)
		if err != nil {
			t.Fatalf("the stored %s does not read back: %v", raw, err)
		}
		again, err := back.MarshalJSON()
		if err != nil || !bytes.Equal(again, raw) {
			t.Fatalf("stored %s, then %s (%v)", raw, again, err)
		}
	})
}
