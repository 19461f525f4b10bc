package index_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/samples"
)

// searchFixture is a small news desk written for these tests: three
// sections, three sources, dates over three months.
func searchFixture() []index.Article {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	return []index.Article{
		{ID: "a1", Title: "البنك المركزي يرفع سعر الفائدة", Body: "قرر البنك المركزي رفع سعر الفائدة نصف نقطة لمواجهة التضخم في الأسواق.", Section: "اقتصاد", Source: "الصباح", Authors: []string{"ليلى حسن"}, Tags: []string{"فائدة", "تضخم"}, PublishedAt: d("2025-01-10")},
		{ID: "a2", Title: "التضخم يتراجع في الربع الأول", Body: "تراجع التضخم في الربع الأول بعد قرار البنك المركزي بشأن سعر الفائدة.", Section: "اقتصاد", Source: "المساء", Authors: []string{"عمر سليم"}, Tags: []string{"تضخم"}, PublishedAt: d("2025-03-02")},
		{ID: "a3", Title: "أسواق الأسهم تصعد", Body: "صعدت أسواق الأسهم الإقليمية مع تحسن شهية المستثمرين للمخاطرة.", Section: "اقتصاد", Source: "الصباح", Authors: []string{"ليلى حسن"}, Tags: []string{"أسهم"}, PublishedAt: d("2025-03-05")},
		{ID: "b1", Title: "المنتخب يفوز في مباراة ودية", Body: "فاز المنتخب الوطني في مباراة ودية استعدادا للبطولة القارية.", Section: "رياضة", Source: "الملعب", Authors: []string{"سامي نور"}, Tags: []string{"منتخب"}, PublishedAt: d("2025-01-20")},
		{ID: "b2", Title: "مدرب المنتخب يعلن القائمة", Body: "أعلن مدرب المنتخب قائمة اللاعبين المشاركين في البطولة القارية.", Section: "رياضة", Source: "الملعب", Authors: []string{"سامي نور", "عمر سليم"}, Tags: []string{"منتخب", "بطولة"}, PublishedAt: d("2025-03-15")},
		{ID: "b3", Title: "ملعب جديد للبطولة", Body: "افتتح ملعب جديد يستضيف مباريات البطولة القارية العام المقبل.", Section: "رياضة", Source: "المساء", Authors: []string{"سامي نور"}, Tags: []string{"بطولة"}, PublishedAt: d("2025-03-15")},
		{ID: "c1", Title: "معرض الكتاب يفتح أبوابه", Body: "افتتح معرض الكتاب الدولي أبوابه بمشاركة مئات دور النشر العربية.", Section: "ثقافة", Source: "المساء", Authors: []string{"هدى جابر"}, Tags: []string{"كتاب"}, PublishedAt: d("2025-01-25")},
		{ID: "c2", Title: "جائزة الرواية العربية", Body: "أعلنت جائزة الرواية العربية قائمتها القصيرة وضمت ست روايات.", Section: "ثقافة", Source: "الصباح", Authors: []string{"هدى جابر"}, Tags: []string{"رواية", "كتاب"}, PublishedAt: d("2025-02-14")},
		{ID: "c3", Title: "الكتابة للأطفال", Body: "ندوة عن الكتابة للأطفال والكتب المصورة في معرض الكتاب.", Section: "ثقافة", Source: "الصباح", Authors: []string{"هدى جابر"}, Tags: []string{"كتاب"}},
	}
}

// newFixtureIndex builds a real index of searchFixture.
func newFixtureIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, _ := newIndex(t)
	if err := ix.Add(searchFixture()); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestFilters(t *testing.T) {
	ix := newFixtureIndex(t)
	jan1, _ := time.Parse(time.DateOnly, "2025-01-01")
	jan31, _ := time.Parse(time.DateOnly, "2025-01-31")
	tests := []struct {
		name string
		req  index.Request
		want []string // ids in any order
	}{
		{"section", index.Request{Filter: index.Filter{Sections: []string{"رياضة"}}}, []string{"b1", "b2", "b3"}},
		{"two sections are alternatives", index.Request{Filter: index.Filter{Sections: []string{"رياضة", "ثقافة"}}}, []string{"b1", "b2", "b3", "c1", "c2", "c3"}},
		{"fields are all required", index.Request{Filter: index.Filter{Sections: []string{"اقتصاد"}, Sources: []string{"الصباح"}}}, []string{"a1", "a3"}},
		{"author of many", index.Request{Filter: index.Filter{Authors: []string{"عمر سليم"}}}, []string{"a2", "b2"}},
		{"tag", index.Request{Filter: index.Filter{Tags: []string{"كتاب"}}}, []string{"c1", "c2", "c3"}},
		{"date range inclusive", index.Request{Filter: index.Filter{From: jan1, To: jan31}}, []string{"a1", "b1", "c1"}},
		{"a range from the year 10, beyond the dates an index holds", index.Request{Filter: index.Filter{From: time.Date(10, 1, 1, 0, 0, 0, 0, time.UTC), To: jan31}}, []string{"a1", "b1", "c1"}},
		{"a range to the year 9999", index.Request{Filter: index.Filter{From: jan1, To: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}}, []string{"a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2"}}, // c3 has no date
		{"a range wholly before them", index.Request{Filter: index.Filter{From: time.Date(10, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(20, 1, 1, 0, 0, 0, 0, time.UTC)}}, nil},
		{"a date typed in the query beyond them", index.Request{Query: "date:<0100"}, nil},
		{"from the year 1 still leaves out the undated", index.Request{Query: "date:>=0001-01-01"}, []string{"a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2"}},
		{"the year 1 as a range", index.Request{Query: "date:0001..9999"}, []string{"a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2"}},
		{"query and filter", index.Request{Query: "البطولة", Filter: index.Filter{Sources: []string{"الملعب"}}}, []string{"b1", "b2"}},
		{"filter typed in the query", index.Request{Query: "التضخم section:اقتصاد"}, []string{"a1", "a2"}},
		{"no match", index.Request{Filter: index.Filter{Sections: []string{"طقس"}}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Size = 50
			res := search(t, ix, tc.req)
			got := ids(res.Hits)
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) || res.Total != uint64(len(want)) {
				t.Errorf("got %v (total %d), want %v", got, res.Total, want)
			}
		})
	}
}

func TestFacets(t *testing.T) {
	ix := newFixtureIndex(t)
	res := search(t, ix, index.Request{Facets: []string{"section", "source", "author", "tags", "date"}, Size: 1})
	want := map[string][]index.FacetCount{
		"section": {{Value: "اقتصاد", Count: 3}, {Value: "ثقافة", Count: 3}, {Value: "رياضة", Count: 3}},
		"source":  {{Value: "الصباح", Count: 4}, {Value: "المساء", Count: 3}, {Value: "الملعب", Count: 2}},
	}
	for f, w := range want {
		got := res.Facets[f]
		slices.SortFunc(got, func(a, b index.FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("facet %s = %v, want %v", f, got, w)
		}
	}
	if got := res.Facets["author"]; len(got) == 0 || got[0] != (index.FacetCount{Value: "هدى جابر", Count: 3}) && got[0] != (index.FacetCount{Value: "سامي نور", Count: 3}) {
		t.Errorf("author facet %v: want a count of 3 first", got)
	}
	// The histogram runs from the first to the last month with articles;
	// c3 has no date.
	var months []string
	for _, b := range res.Dates {
		months = append(months, fmt.Sprintf("%s:%d", b.Key, b.Count))
	}
	if got, want := strings.Join(months, " "), "2025-01:3 2025-02:1 2025-03:4"; got != want {
		t.Errorf("date histogram %s, want %s", got, want)
	}
	// Facets count the filtered hits, not the index.
	res = search(t, ix, index.Request{Query: "البطولة", Facets: []string{"section", "date"}, DateInterval: "day"})
	if got := fmt.Sprint(res.Facets["section"]); got != "[{رياضة 3}]" {
		t.Errorf("section facet of البطولة = %s", got)
	}
	if n := len(res.Dates); n != 55 || res.Dates[0].Key != "2025-01-20" || res.Dates[n-1].Count != 2 {
		t.Errorf("day histogram of البطولة: %d buckets %v", n, res.Dates)
	}
}

func TestSortByDate(t *testing.T) {
	ix := newFixtureIndex(t)
	res := search(t, ix, index.Request{Query: "البطولة", Sort: index.SortDate})
	// b2 and b3 share a date: the id breaks the tie.
	if got := strings.Join(ids(res.Hits), " "); got != "b2 b3 b1" {
		t.Errorf("sort=date: %s, want b2 b3 b1", got)
	}
	res = search(t, ix, index.Request{Query: "البطولة", Sort: index.SortDateAsc})
	if got := strings.Join(ids(res.Hits), " "); got != "b1 b2 b3" {
		t.Errorf("sort=date_asc: %s, want b1 b2 b3", got)
	}
}

// TestCursorPagesEverything pages through whole result sets three hits at
// a time and checks that the pages join into the one-page answer: no
// duplicate, no gap, same order.
func TestCursorPagesEverything(t *testing.T) {
	ix := newFixtureIndex(t)
	for _, req := range []index.Request{
		{Query: "الكتاب البطولة التضخم المنتخب"},
		{Query: "الكتاب البطولة التضخم المنتخب", Sort: index.SortDate},
		{Sort: index.SortDateAsc}, // includes c3, which has no date
		{},
	} {
		t.Run(req.Query+"/"+req.Sort, func(t *testing.T) {
			all := req
			all.Size = 100
			want := ids(search(t, ix, all).Hits)
			var got []string
			page := req
			page.Size = 3
			for i := 0; ; i++ {
				res := search(t, ix, page)
				got = append(got, ids(res.Hits)...)
				if res.NextCursor == "" {
					break
				}
				if i > 20 {
					t.Fatal("cursor does not end")
				}
				page.Cursor = res.NextCursor
			}
			if !slices.Equal(got, want) {
				t.Errorf("paged %v\nwant  %v", got, want)
			}
		})
	}
}

func TestRecency(t *testing.T) {
	ix, _ := newIndex(t)
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	same := "هطول أمطار غزيرة على العاصمة"
	if err := ix.Add([]index.Article{
		{ID: "old", Title: same, Body: same, PublishedAt: d("2024-01-01")},
		{ID: "new", Title: same, Body: same, PublishedAt: d("2025-06-01")},
		{ID: "undated", Title: same, Body: same},
	}); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, index.Request{Query: "أمطار العاصمة"})
	if got := strings.Join(ids(res.Hits), " "); got != "new old undated" {
		t.Errorf("without recency: %s, want the id order of equal scores", got)
	}
	res = search(t, ix, index.Request{Query: "أمطار العاصمة", Recency: 30 * 24 * time.Hour, Now: d("2025-06-02"), Explain: true})
	if got := strings.Join(ids(res.Hits), " "); got != "new old undated" || !(res.Hits[0].Score > res.Hits[1].Score) {
		t.Errorf("with recency: %s scores %v", got, []float64{res.Hits[0].Score, res.Hits[1].Score})
	}
	if !strings.Contains(res.Hits[0].Explanation.Message, "recency") {
		t.Errorf("explanation does not mention recency: %s", res.Hits[0].Explanation.Message)
	}
	// A far more relevant old article still beats a barely relevant new one.
	if err := ix.Add([]index.Article{{ID: "weak", Title: "أخبار", Body: "أمطار", PublishedAt: d("2025-06-02")}}); err != nil {
		t.Fatal(err)
	}
	res = search(t, ix, index.Request{Query: "أمطار العاصمة", Recency: 30 * 24 * time.Hour, Now: d("2025-06-02")})
	if slices.Index(ids(res.Hits), "weak") < slices.Index(ids(res.Hits), "old") {
		t.Errorf("recency lifted a one-word match above a full match: %v", ids(res.Hits))
	}
}

// newTierIndex holds two articles: "one" repeats الفائدة many times,
// "all" holds الفائدة and التضخم once each.
func newTierIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, _ := newIndex(t)
	rep := strings.Repeat("الفائدة ", 30)
	if err := ix.Add([]index.Article{
		{ID: "one", Title: "الفائدة الفائدة الفائدة", Body: rep},
		{ID: "all", Title: "تقرير", Body: "ناقش البنك المركزي الفائدة والتضخم في اجتماعه الطويل الذي امتد ساعات"},
	}); err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestAllWordsFirst: an article holding every query word ranks above one
// that repeats one word many times.
func TestAllWordsFirst(t *testing.T) {
	ix := newTierIndex(t)
	res := search(t, ix, index.Request{Query: "الفائدة التضخم", Explain: true})
	if got := strings.Join(ids(res.Hits), " "); got != "all one" {
		t.Errorf("hits %s, want all first", got)
	}
	if m := res.Hits[0].Explanation.Message; !strings.Contains(m, "all 2 query words matched") || !res.Hits[0].AllWords || res.Hits[1].AllWords {
		t.Errorf("explanation of the tier: %s", m)
	}
}

// TestQuestionsRankByScore: a question, however few its content words,
// ranks by score alone, as a long query does; the same words typed as
// keywords keep the all-words tier.
func TestQuestionsRankByScore(t *testing.T) {
	ix := newTierIndex(t)
	for _, q := range []string{"ما الفائدة والتضخم", "وكيف الفائدة والتضخم", "الفائدة والتضخم؟", "ماهي الفائدة والتضخم"} {
		res := search(t, ix, index.Request{Query: q})
		if len(res.Hits) != 2 || res.Hits[0].AllWords || res.Hits[1].AllWords {
			t.Errorf("%s: hits %v, all words %v %v: want no tier", q, ids(res.Hits), len(res.Hits) > 0 && res.Hits[0].AllWords, len(res.Hits) > 1 && res.Hits[1].AllWords)
		}
	}
	if res := search(t, ix, index.Request{Query: "الفائدة والتضخم"}); len(res.Hits) == 0 || res.Hits[0].ID != "all" || !res.Hits[0].AllWords {
		t.Errorf("keywords: hits %v, want all first, in the tier", ids(res.Hits))
	}
}

func TestExcludePhrasePrefix(t *testing.T) {
	ix := newFixtureIndex(t)
	tests := []struct {
		q    string
		want []string
	}{
		{"البطولة -المنتخب", []string{"b3"}},
		{"الكتا*", []string{"c1", "c3"}},
	}
	for _, tc := range tests {
		got := ids(search(t, ix, index.Request{Query: tc.q}).Hits)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestInvalidRequests(t *testing.T) {
	ix := newFixtureIndex(t)
	page1 := search(t, ix, index.Request{Size: 2})
	tests := []struct {
		name string
		req  index.Request
		want string // in the message
	}{
		{"negative size", index.Request{Size: -1}, "size"},
		{"huge size", index.Request{Size: 1000}, "size"},
		{"negative page", index.Request{Page: -2}, "page"},
		{"window", index.Request{Page: 200, Size: 100}, "cursor"},
		{"unknown sort", index.Request{Sort: "popular"}, "sort"},
		{"garbage cursor", index.Request{Cursor: "!!!"}, "cursor"},
		{"cursor of another sort", index.Request{Cursor: page1.NextCursor, Sort: index.SortDateAsc}, "sort="},
		{"cursor and page", index.Request{Cursor: page1.NextCursor, Page: 2}, "cursor"},
		{"unknown facet", index.Request{Facets: []string{"colour"}}, "facets"},
		{"bad interval", index.Request{Facets: []string{"date"}, DateInterval: "week"}, "interval"},
		{"to before from", index.Request{Filter: index.Filter{From: time.Now(), To: time.Now().AddDate(-1, 0, 0)}}, "before"},
		{"snippet length", index.Request{SnippetLength: 5000}, "snippet_length"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), tc.req)
			if !errors.Is(err, index.ErrInvalidQuery) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrInvalidQuery naming %q", err, tc.want)
			}
		})
	}
}

func TestQuotedWordIsExact(t *testing.T) {
	ix, _ := newIndex(t)
	if err := ix.Add([]index.Article{
		{ID: "school", Title: "زيارة المدرسة", Body: "زار الوزير المَدْرَسَة الجديدة"},
		{ID: "schools", Title: "زيارة المدارس", Body: "زار الوزير مدرسته القديمة ومدارس أخرى"},
	}); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, index.Request{Query: `"المدرسة"`, Highlight: true})
	if got := strings.Join(ids(res.Hits), " "); got != "school" {
		t.Fatalf(`"المدرسة": %s, want only school`, got)
	}
	if !strings.Contains(strings.Join(res.Hits[0].Snippets, " "), "<mark>المَدْرَسَة</mark>") {
		t.Errorf("snippet does not mark the diacritized word: %v", res.Hits[0].Snippets)
	}
	if got := strings.Join(ids(search(t, ix, index.Request{Query: "المدرسة"}).Hits), " "); !strings.Contains(got, "schools") {
		t.Errorf("unquoted المدرسة: %s, want the stem to match schools too", got)
	}
}

func TestPhraseRequired(t *testing.T) {
	ix, _ := newIndex(t)
	if err := ix.Add([]index.Article{
		{ID: "adjacent", Title: "خبر", Body: "أعلن البنك المركزي قراره اليوم"},
		{ID: "apart", Title: "خبر", Body: "أعلن البنك قراره وقال المركزي إنه سيراجع"},
	}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ids(search(t, ix, index.Request{Query: `"البنك المركزي"`}).Hits), " "); got != "adjacent" {
		t.Errorf(`"البنك المركزي": %s, want adjacent only`, got)
	}
	if got := ids(search(t, ix, index.Request{Query: `البنك المركزي`}).Hits); len(got) != 2 || got[0] != "adjacent" {
		t.Errorf("البنك المركزي: %v, want both, adjacent first", got)
	}
}

// TestPrefixFindsCliticForms: a prefix typed without clitics finds the
// words behind them, as a plain word does (استثما* finds للاستثمار), and
// marks them whole; a short prefix does not take a bare clitic letter
// (زير* is not وزير).
func TestPrefixFindsCliticForms(t *testing.T) {
	ix, _ := newIndex(t)
	if err := ix.Add([]index.Article{
		{ID: "inv", Title: "خبر", Body: "خطة جديدة للاستثمارات في الموانئ"},
		{ID: "inv2", Title: "خبر", Body: "قال إن استثمارهم زاد وبالاستثمار نبني"},
		{ID: "hosp", Title: "خبر", Body: "نقل المصابون إلى المستشفى الجامعي"},
		{ID: "min", Title: "خبر", Body: "قال الوزير إن الميزانية جاهزة"},
		{ID: "xer", Title: "خبر", Body: "آلة زيروكس قديمة"},
		{ID: "games", Title: "خبر", Body: "متجر ألعاب إلكترونية جديد"},
		{ID: "elec", Title: "خبر", Body: "أطلقت الحكومة البوابة الإلكترونية"},
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, want, mark string }{
		{"استثما*", "inv inv2", "<mark>للاستثمارات</mark>"},
		{"الاستثما*", "inv inv2", "<mark>وبالاستثمار</mark>"},
		{"مستشف*", "hosp", "<mark>المستشفى</mark>"},
		{"زير*", "xer", "<mark>زيروكس</mark>"},
		{"عاب*", "", ""}, // not ألعاب, written العاب once normalized
		{"إلكترو*", "elec games", "<mark>الإلكترونية</mark>"},
	} {
		res := search(t, ix, index.Request{Query: tc.q, Highlight: true})
		got := ids(res.Hits)
		slices.Sort(got)
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: %v, want %s", tc.q, got, tc.want)
			continue
		}
		if tc.want == "" {
			continue
		}
		var snips []string
		for _, h := range res.Hits {
			snips = append(snips, h.Snippets...)
		}
		if !strings.Contains(strings.Join(snips, " "), tc.mark) {
			t.Errorf("%s: snippets %q, want %s", tc.q, snips, tc.mark)
		}
	}
}

// TestRequiredPhraseMarkedWhole: a phrase the query requires is marked
// where its words stand together, not each word wherever it stands; beside
// other words (scored word by word) each word is marked.
func TestRequiredPhraseMarkedWhole(t *testing.T) {
	ix, _ := newIndex(t)
	if err := ix.Add([]index.Article{{ID: "un", Title: "خبر",
		Body: "دعت الأمم المتحدة إلى الهدوء، وقالت الولايات المتحدة إنها تتابع الوضع."}}); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, index.Request{Query: `"الأمم المتحدة"`, Highlight: true})
	if len(res.Hits) != 1 {
		t.Fatalf(`"الأمم المتحدة": %v`, ids(res.Hits))
	}
	snip := strings.Join(res.Hits[0].Snippets, " ")
	if !strings.Contains(snip, "<mark>الأمم</mark> <mark>المتحدة</mark>") || strings.Contains(snip, "الولايات <mark>") {
		t.Errorf(`"الأمم المتحدة" marks %s; want the phrase and not the المتحدة of الولايات المتحدة`, snip)
	}
	// A word of the phrase that matched through its second reading
	// (وتركيا is وترك and ترك) is marked all the same.
	if err := ix.Add([]index.Article{{ID: "tr", Title: "خبر", Body: "عقدت تركيا وروسيا محادثات في أنقرة."}}); err != nil {
		t.Fatal(err)
	}
	res = search(t, ix, index.Request{Query: `"وتركيا وروسيا"`, Highlight: true})
	if len(res.Hits) != 1 || !strings.Contains(strings.Join(res.Hits[0].Snippets, " "), "<mark>تركيا</mark> <mark>وروسيا</mark>") {
		t.Errorf(`"وتركيا وروسيا": %v %+v; want tr with تركيا وروسيا marked`, ids(res.Hits), res.Hits)
	}
	res = search(t, ix, index.Request{Query: `"الأمم المتحدة" الوضع`, Highlight: true})
	if snip := strings.Join(res.Hits[0].Snippets, " "); !strings.Contains(snip, "الولايات <mark>المتحدة</mark>") {
		t.Errorf(`beside another word the phrase's words count apart, and are marked so: %s`, snip)
	}
}

// TestJoinedWordsArePhrases: a word of several analyzer words joined by a
// hyphen (F-16, كوفيد-19) finds them where they stand together, alone or
// beside its synonyms, and -F-16 excludes only that.
func TestJoinedWordsArePhrases(t *testing.T) {
	ix, _ := newIndex(t)
	if err := ix.Add([]index.Article{
		{ID: "jet", Title: "خبر", Body: "تحطمت مقاتلة F-16 قرب القاعدة الجوية"},
		{ID: "apart", Title: "خبر", Body: "حصلت الفرقة F على 16 نقطة في القاعدة"},
		{ID: "covid", Title: "خبر", Body: "ارتفعت إصابات كوفيد 19 في المدينة"},
		{ID: "nineteen", Title: "خبر", Body: "سجلت المدينة 19 إصابة جديدة بالإنفلونزا"},
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ q, want string }{
		{"F-16", "jet"},
		{"f-16", "jet"},
		{"covid-19", "covid"}, // a synonym of كوفيد-19 (synonyms.txt)
		{"كوفيد-19", "covid"},
		{"القاعدة -F-16", "apart"},
		{"المدينة -covid-19", "covid nineteen"}, // an excluded word is not expanded
		{"المدينة -كوفيد-19", "nineteen"},
		{"sport:المدينة", "covid nineteen"}, // a colon joins no phrase: an unknown filter's words are words
	} {
		if got := strings.Join(ids(search(t, ix, index.Request{Query: tc.q, NoSuggest: true}).Hits), " "); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.q, got, tc.want)
		}
	}
}

// TestSynonyms: ترمب finds the sample articles written ترامب (s18, s20)
// and marks them, and the one written as typed (s19) ranks first.
func TestSynonyms(t *testing.T) {
	ix, _ := newSampleIndex(t)
	res := search(t, ix, index.Request{Query: "ترمب", Highlight: true, NoCollapse: true})
	got := ids(res.Hits)
	for _, want := range []string{"s18", "s19", "s20"} {
		if !slices.Contains(got, want) {
			t.Errorf("ترمب: hits %v lack %s", got, want)
		}
	}
	if len(got) == 0 || got[0] != "s19" {
		t.Errorf("ترمب: %v, want s19 (written ترمب) first", got)
	}
	for _, h := range res.Hits {
		if h.ID == "s20" && !strings.Contains(strings.Join(h.Snippets, " ")+h.Title, "<mark>ترامب</mark>") {
			t.Errorf("s20 does not mark ترامب: %s %v", h.Title, h.Snippets)
		}
	}
}

// TestSearchFallsBackToSuggestion: a misspelt query with no results returns the results of
// the closest spelling, flagged (through typo tolerance, or did-you-mean when it is off);
// one with results only suggests.
func TestSearchFallsBackToSuggestion(t *testing.T) {
	ix := newFixtureIndex(t)
	// القارية is in b1, b2 and b3; القاريت is in none. Before the
	// vocabulary is built the correction shows as an article writes it.
	res := search(t, ix, index.Request{Query: "القاريت"})
	if !res.SuggestionUsed || res.Total != 3 || res.Suggestion != "القارية" {
		t.Fatalf("القاريت, no vocabulary: suggestion %q used %v total %d; want القارية and its 3 results", res.Suggestion, res.SuggestionUsed, res.Total)
	}

	if err := ix.PrepareSuggest(context.Background()); err != nil {
		t.Fatal(err)
	}
	res = search(t, ix, index.Request{Query: "القاريت"})
	if !res.SuggestionUsed || res.Total != 3 {
		t.Fatalf("القاريت: suggestion %q used %v total %d; want the 3 results of a suggestion", res.Suggestion, res.SuggestionUsed, res.Total)
	}
	if !strings.Contains(res.Suggestion, "القارية") {
		t.Errorf("suggestion %q, want القارية", res.Suggestion)
	}
	if res := search(t, ix, index.Request{Query: "القاريت", NoSuggest: true}); res.Suggestion != "" {
		t.Errorf("NoSuggest: suggestion %q", res.Suggestion)
	}
	// Without typo tolerance, the same through did-you-mean.
	off := index.DefaultRanking
	off.Typo = 0
	res = search(t, ix, index.Request{Query: "القاريت", Ranking: &off})
	if !res.SuggestionUsed || res.Total != 3 || !strings.Contains(res.Suggestion, "القارية") {
		t.Errorf("Typo 0: suggestion %q used %v total %d; want the 3 results of القارية", res.Suggestion, res.SuggestionUsed, res.Total)
	}
	if res := search(t, ix, index.Request{Query: "القاريت", NoSuggest: true, Ranking: &off}); res.Total != 0 || res.Suggestion != "" {
		t.Errorf("Typo 0, NoSuggest: total %d suggestion %q", res.Total, res.Suggestion)
	}
	// A filter that matches nothing is not a typo: its value is never
	// rewritten into a word the index holds, which would drop the filter.
	for typos, r := range map[string]index.Request{"on": {Query: "section:القاريت القارية"}, "off": {Query: "section:القاريت القارية", Ranking: &off}} {
		if res := search(t, ix, r); res.Total != 0 || res.Suggestion != "" {
			t.Errorf("%q, typo tolerance %s: total %d suggestion %q; want nothing, the section filter kept", r.Query, typos, res.Total, res.Suggestion)
		}
	}
	// A misspelt word beside such a filter is corrected, the filter kept.
	if res := search(t, ix, index.Request{Query: "section:القاريت القاريت"}); res.Total != 0 || res.Suggestion != "section:القاريت القارية" {
		t.Errorf("section:القاريت القاريت: total %d suggestion %q; want 0 and the word alone corrected", res.Total, res.Suggestion)
	}
}

// TestCollapseWireCopies: wire groups fold into one hit listing the
// others; NoCollapse shows them all. The samples' groups
// (internal/samples/README.md) that the detector finds are checked; three
// clear ones must be found (detection itself is measured in
// docs/wire-and-related.md).
func TestCollapseWireCopies(t *testing.T) {
	ix, _ := newSampleIndex(t)
	groups, err := samples.ReadGroups()
	if err != nil {
		t.Fatal(err)
	}
	all := search(t, ix, index.Request{Size: 100, NoCollapse: true})
	folded := search(t, ix, index.Request{Size: 100})
	if len(all.Hits) != samples.Count() || len(folded.Hits) >= len(all.Hits) {
		t.Fatalf("%d hits without collapsing, %d with", len(all.Hits), len(folded.Hits))
	}
	found := 0
	for _, g := range groups.Wire {
		copies, err := ix.WireCopies(context.Background(), g[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(copies) == 0 {
			t.Logf("group %v: not detected", g)
			continue
		}
		found++
		group := append([]string{g[0]}, copies...)
		slices.Sort(group)
		var shown []string
		for _, h := range folded.Hits {
			if slices.Contains(group, h.ID) {
				shown = append(shown, h.ID)
				members := append([]string{h.ID}, h.Copies...)
				slices.Sort(members)
				if !slices.Equal(members, group) {
					t.Errorf("group %v: hit %s lists copies %v", group, h.ID, h.Copies)
				}
			}
		}
		if len(shown) != 1 {
			t.Errorf("group %v: %d hits shown (%v), want one", group, len(shown), shown)
		}
	}
	if found < 3 {
		t.Errorf("%d of %d sample wire groups detected, want at least 3", found, len(groups.Wire))
	}
}

// TestCursorWithCollapse pages by cursor, two hits at a time, with wire
// copies folded, in every order: each article shows once, as a hit or as
// a copy of one, and each group once, at its first article in that order.
func TestCursorWithCollapse(t *testing.T) {
	ix, _ := newSampleIndex(t)
	for _, tc := range []struct{ query, sort string }{
		{"", index.SortDate}, {"", index.SortDateAsc}, {"الذكاء الاصطناعي", index.SortRelevance},
		{"الذكاء الاصطناعي", index.SortDate}, {"الشركة", ""},
	} {
		all := search(t, ix, index.Request{Query: tc.query, Sort: tc.sort, Size: 100, NoCollapse: true})
		folded := search(t, ix, index.Request{Query: tc.query, Sort: tc.sort, Size: 100})
		var got []string
		seen := map[string]bool{}
		cursor := ""
		for page := 0; page < 200; page++ {
			res := search(t, ix, index.Request{Query: tc.query, Sort: tc.sort, Size: 2, Cursor: cursor})
			for _, h := range res.Hits {
				got = append(got, h.ID)
				for _, id := range append([]string{h.ID}, h.Copies...) {
					if seen[id] {
						t.Errorf("%q sorted %q: %s shown twice (page %d, hit %s)", tc.query, tc.sort, id, page, h.ID)
					}
					seen[id] = true
				}
			}
			if cursor = res.NextCursor; cursor == "" {
				break
			}
		}
		if !slices.Equal(got, ids(folded.Hits)) {
			t.Errorf("%q sorted %q: by cursor %v\nin one page %v", tc.query, tc.sort, got, ids(folded.Hits))
		}
		for _, h := range all.Hits {
			if !seen[h.ID] {
				t.Errorf("%q sorted %q: %s neither a hit nor a copy of one", tc.query, tc.sort, h.ID)
			}
		}
	}
}

// TestPagesWithCollapse pages through all the samples five at a time with
// wire copies folded: the pages join into the one-page answer, no hit
// twice.
func TestPagesWithCollapse(t *testing.T) {
	ix, _ := newSampleIndex(t)
	want := ids(search(t, ix, index.Request{Size: 100}).Hits)
	var got []string
	for page := 1; page <= 20; page++ {
		res := search(t, ix, index.Request{Size: 5, Page: page})
		if len(res.Hits) == 0 {
			break
		}
		got = append(got, ids(res.Hits)...)
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged %v\nwant  %v", got, want)
	}
}
