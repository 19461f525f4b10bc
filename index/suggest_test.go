package index_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/analyzer"
	"github.com/bahth/bahth/index"
)

// newest is the date of the newest fixture article: recency is counted
// back from it.
var newest = time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC)

// art makes a fixture article published daysAgo days before newest.
func art(id string, daysAgo int, title, body string) index.Article {
	return index.Article{ID: id, Title: title, Body: body, PublishedAt: newest.AddDate(0, 0, -daysAgo)}
}

// suggestArticles are the fixture articles of the suggest tests, our own
// writing: each group exists for one test and says which.
func suggestArticles() []index.Article {
	var as []index.Article
	add := func(a index.Article) { as = append(as, a) }
	// Spelling variants: أحمد written with hamza (and once with a
	// diacritic), never bare; مستشفى with ى; المدرسة with ة; مسؤول.
	add(art("v1", 10, "أحمد يفوز بالجائزة", "فاز أحمد بجائزة الرواية في المدرسة الثانوية"))
	add(art("v2", 12, "تكريم أحمد في المستشفى", "كرم مستشفى المدينة الطبيب أحمد وهو مسؤول القسم"))
	add(art("v3", 14, "أحمد يعود", "عاد أَحمد إلى المدرسة بعد غياب"))
	add(art("v4", 15, "مسؤول في المستشفى", "قال مسؤول في مستشفى الأمل إن المدرسة أغلقت"))
	// Clitics: الاستثمار is written with ال, never with و or ب or ل.
	for i := range 12 {
		add(art(fmt.Sprintf("i%02d", i), 20+i, "صندوق الاستثمار يعلن أرباحه", "أعلن صندوق الاستثمار عن أرباح الاستثمارات في السندات"))
	}
	// Context: موسم is more frequent; موازنة follows الحكومة تقر.
	for i := range 6 {
		add(art(fmt.Sprintf("m%02d", i), 40+i, "بداية موسم الأمطار", "بدأ موسم الأمطار مبكرا هذا العام في الشمال"))
	}
	add(art("g1", 30, "الحكومة تقر موازنة العام المقبل", "أقرت الحكومة موازنة العام المقبل بعجز أقل"))
	add(art("g2", 31, "الحكومة تقر موازنة تكميلية", "أقرت الحكومة موازنة تكميلية للصحة"))
	// Recency: قمح in three articles a year old, قمر in two of the newest.
	for i := range 3 {
		add(art(fmt.Sprintf("old%d", i), 365+i, "تقرير عن محصول القمح", "ارتفع محصول القمح في السهول"))
	}
	add(art("new0", 0, "خسوف القمر الليلة", "يشهد العالم خسوف القمر الليلة"))
	add(art("new1", 1, "صور القمر من المرصد", "نشر المرصد صور القمر"))
	// Latin words and stop words are in the rest too.
	for i := range 4 {
		add(art(fmt.Sprintf("o%d", i), 50+i, "OpenAI تطلق نموذجا جديدا", "أطلقت شركة OpenAI نموذجا جديدا على موقعها، وقالت إن النموذج علي درجة من الدقة"))
	}
	return as
}

// newSuggestIndex is a fresh index holding the suggest fixtures.
func newSuggestIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, _ := newIndex(t)
	if err := ix.Add(suggestArticles()); err != nil {
		t.Fatal(err)
	}
	return ix
}

func suggest(t *testing.T, ix *index.Index, input string, n int) []index.Suggestion {
	t.Helper()
	s, err := ix.Suggest(context.Background(), input, n)
	if err != nil {
		t.Fatalf("Suggest(%q): %v", input, err)
	}
	return s
}

// texts lists the suggestions of one kind.
func texts(s []index.Suggestion, kind string) []string {
	var out []string
	for _, x := range s {
		if x.Kind == kind {
			out = append(out, x.Text)
		}
	}
	return out
}

func TestSuggestCompletes(t *testing.T) {
	ix := newSuggestIndex(t)
	tests := []struct {
		name, in string
		first    string // the first term suggestion
	}{
		{"hamza as written", "أحم", "أحمد"},
		{"bare alef", "احم", "أحمد"},
		{"alef with hamza below", "إحم", "أحمد"},
		{"madda", "آحم", "أحمد"},
		{"diacritic typed", "أَحْم", "أحمد"},
		{"tatweel typed", "احـــم", "أحمد"},
		{"yeh for alef maksura", "مستشفي", "مستشفى"},
		{"heh for teh marbuta", "المدرسه", "المدرسة"},
		{"hamza seat on yeh", "مسئو", "مسؤول"},
		{"waw glued", "والاستث", "والاستثمار"},
		{"waw glued to a bare word", "وأحم", "وأحمد"},
		{"bi glued", "بالاستث", "بالاستثمار"},
		{"lam glued to al: lil", "للاستث", "للاستثمار"},
		{"al typed", "الاستث", "الاستثمار"},
		{"latin, any case", "opena", "OpenAI"},
		{"words before kept as typed", "صندوق  الاستث", "صندوق  الاستثمار"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := texts(suggest(t, ix, tc.in, 5), index.KindTerm)
			if len(got) == 0 || got[0] != tc.first {
				t.Errorf("Suggest(%q) terms = %q, want %q first", tc.in, got, tc.first)
			}
		})
	}
}

func TestSuggestCountsArticles(t *testing.T) {
	ix := newSuggestIndex(t)
	s := suggest(t, ix, "الاستث", 10)
	want := map[string]int{"الاستثمار": 12, "الاستثمارات": 12}
	for _, x := range s {
		if n, ok := want[x.Text]; ok && x.Kind == index.KindTerm {
			if x.Count != n {
				t.Errorf("%s: count %d, want %d", x.Text, x.Count, n)
			}
			delete(want, x.Text)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing %v in %+v", want, s)
	}
}

func TestSuggestPreviousWordsRank(t *testing.T) {
	ix := newSuggestIndex(t)
	alone := texts(suggest(t, ix, "مو", 5), index.KindTerm)
	if len(alone) < 2 || alone[0] != "موسم" {
		t.Fatalf("Suggest(مو) = %q, want موسم (6 articles) before موازنة (2)", alone)
	}
	after := texts(suggest(t, ix, "الحكومة تقر مو", 5), index.KindTerm)
	if len(after) == 0 || after[0] != "الحكومة تقر موازنة" {
		t.Errorf("Suggest(الحكومة تقر مو) = %q, want الحكومة تقر موازنة first", after)
	}
}

func TestSuggestRecency(t *testing.T) {
	ix := newSuggestIndex(t)
	s := suggest(t, ix, "الق", 5)
	got := texts(s, index.KindTerm)
	// القمح: 3 articles a year old; القمر: 2 of the last two days, which
	// count 1 + 2·2^(−age/7 days) each.
	if len(got) < 2 || got[0] != "القمر" || !slices.Contains(got, "القمح") {
		t.Fatalf("Suggest(الق) = %q, want القمر (2 recent articles) before القمح (3 old ones)", got)
	}
	if s[0].Count != 2 {
		t.Errorf("القمر count %d, want 2", s[0].Count)
	}
}

func TestSuggestTitles(t *testing.T) {
	ix := newSuggestIndex(t)
	s := suggest(t, ix, "الحكومة تقر موا", 6)
	titles := texts(s, index.KindTitle)
	want := []string{"الحكومة تقر موازنة العام المقبل", "الحكومة تقر موازنة تكميلية"}
	if len(titles) == 0 || !slices.Contains(want, titles[0]) {
		t.Fatalf("titles %q, want one of %q", titles, want)
	}
	for _, x := range s {
		if x.Kind == index.KindTitle && x.ID != "g1" && x.ID != "g2" {
			t.Errorf("title %q has id %q", x.Text, x.ID)
		}
	}
	// Wire copies: twelve articles share one title, offered once.
	s = suggest(t, ix, "صندوق الاستث", 9)
	titles = texts(s, index.KindTitle)
	if len(titles) != 1 || titles[0] != "صندوق الاستثمار يعلن أرباحه" {
		t.Fatalf("titles %q, want the fund's title once", titles)
	}
	for _, x := range s {
		if x.Kind == index.KindTitle && x.Count != 12 {
			t.Errorf("title count %d, want 12", x.Count)
		}
	}
}

func TestSuggestNeverStopWords(t *testing.T) {
	ix := newSuggestIndex(t)
	for _, in := range []string{"عل", "وال", "في", "فيه", "الت", "هذ", "th"} {
		for _, x := range suggest(t, ix, in, 20) {
			if x.Kind != index.KindTerm {
				continue
			}
			if w := string(analyzer.Normalize([]byte(x.Text))); analyzer.IsStopWord(w) {
				t.Errorf("Suggest(%q) offers the stop word %q", in, x.Text)
			}
		}
	}
}

func TestSuggestOddInput(t *testing.T) {
	ix := newSuggestIndex(t)
	for name, in := range map[string]string{
		"empty":         "",
		"spaces":        "   \t ",
		"punctuation":   "،؟!",
		"invalid UTF-8": "احم\xff\xfe",
		"500 letters":   strings.Repeat("ا", 500),
	} {
		t.Run(name, func(t *testing.T) {
			if s := suggest(t, ix, in, 10); len(s) != 0 {
				t.Errorf("Suggest(%q) = %+v, want none", in, s)
			}
		})
	}
	if s := suggest(t, ix, "احم", -3); len(s) == 0 {
		t.Error("n < 0 gave nothing; it means the default")
	}
	if s := suggest(t, ix, "احم", 1); len(s) != 1 {
		t.Errorf("n = 1 gave %d suggestions", len(s))
	}
}

func TestSuggestFollowsWrites(t *testing.T) {
	ix, _ := newIndex(t)
	if err := ix.Add(suggestArticles()); err != nil {
		t.Fatal(err)
	}
	if got := texts(suggest(t, ix, "زعف", 5), index.KindTerm); len(got) != 0 {
		t.Fatalf("Suggest(زعف) before any article has it: %q", got)
	}
	// Added after the vocabulary was built.
	if err := ix.Add([]index.Article{art("z1", 0, "أسعار الزعفران", "ارتفعت أسعار الزعفران"), art("z2", 0, "الزعفران الإيراني", "تصدير الزعفران")}); err != nil {
		t.Fatal(err)
	}
	s := suggest(t, ix, "الزعف", 5)
	if len(s) == 0 || s[0].Text != "الزعفران" || s[0].Count != 2 {
		t.Fatalf("after adding: Suggest(الزعف) = %+v, want الزعفران in 2 articles", s)
	}
	// z1 rewritten without the word: one article left.
	if err := ix.Add([]index.Article{art("z1", 0, "أسعار الزعتر", "ارتفعت أسعار الزعتر")}); err != nil {
		t.Fatal(err)
	}
	s = suggest(t, ix, "الزع", 5)
	counts := map[string]int{}
	for _, x := range s {
		counts[x.Text] = x.Count
	}
	if counts["الزعفران"] != 1 || counts["الزعتر"] != 1 {
		t.Fatalf("after rewriting z1: %+v, want الزعفران and الزعتر in one article each", s)
	}
	if titles := texts(s, index.KindTitle); slices.Contains(titles, "أسعار الزعفران") {
		t.Errorf("the replaced title is still offered: %q", titles)
	}
	// Both deleted: nothing left.
	if _, err := ix.Delete([]string{"z1", "z2"}); err != nil {
		t.Fatal(err)
	}
	if s := suggest(t, ix, "الزع", 5); len(s) != 0 {
		t.Fatalf("after deleting: Suggest(الزع) = %+v, want none", s)
	}
	// The others are untouched.
	if got := texts(suggest(t, ix, "أحم", 1), index.KindTerm); len(got) != 1 || got[0] != "أحمد" {
		t.Errorf("Suggest(أحم) = %q after the writes", got)
	}
}

func TestSuggestAfterReopen(t *testing.T) {
	ix, dir := newIndex(t)
	if err := ix.Add(suggestArticles()); err != nil {
		t.Fatal(err)
	}
	// Rewrite and delete before the vocabulary exists: it is read from
	// the index, whose dictionary still holds the deleted versions.
	if err := ix.Add([]index.Article{art("v1", 10, "فوز بالجائزة", "فاز الكاتب بجائزة الرواية")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Delete([]string{"v2"}); err != nil {
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
	s := suggest(t, re, "أحم", 3)
	if len(s) == 0 || s[0].Text != "أحمد" || s[0].Count != 1 {
		t.Fatalf("Suggest(أحم) = %+v, want أحمد in 1 article (v3; v1 rewritten, v2 deleted)", s)
	}
}

func TestSuggestCancelled(t *testing.T) {
	ix := newSuggestIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Suggest(ctx, "احم", 5); err == nil {
		t.Error("Suggest with a cancelled context before the vocabulary was built: no error")
	}
	if _, err := ix.Suggest(context.Background(), "احم", 5); err != nil {
		t.Errorf("Suggest after a cancelled build: %v", err)
	}
}

// TestSuggestWhileWriting runs suggestions while articles are written, the
// first write racing the vocabulary's build; CI runs it under -race. The
// counts must end exact.
func TestSuggestWhileWriting(t *testing.T) {
	ix := newSuggestIndex(t)
	ctx := context.Background()
	done := make(chan error, 1)
	go func() {
		for i := range 20 {
			a := art(fmt.Sprintf("w%02d", i), 0, "أخبار الطقس اليوم", "توقعات الطقس")
			if err := ix.Add([]index.Article{a}); err != nil {
				done <- err
				return
			}
		}
		_, err := ix.Delete([]string{"w00", "w01"})
		done <- err
	}()
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		default:
		}
		if _, err := ix.Suggest(ctx, "الطق", 5); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ix.DidYouMean(ctx, "الطقص"); err != nil {
			t.Fatal(err)
		}
	}
	s := suggest(t, ix, "الطق", 1)
	if len(s) != 1 || s[0].Text != "الطقس" || s[0].Count != 18 {
		t.Errorf("Suggest(الطق) = %+v, want الطقس in 18 articles", s)
	}
}
