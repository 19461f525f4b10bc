package index

// Tests of the snippet rules written at the top of snippet.go. Spans are
// written inline as [[word]] so the marked surface is visible in the table.

import (
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2/analysis"
)

// update rewrites testdata/snippets/*.golden: go test ./index -run TestSnippetGolden -update.
// A changed golden is reviewed like code (STYLE.md rule 8).
var update = flag.Bool("update", false, "rewrite testdata/snippets/*.golden from the current output")

// marked returns s without its [[ ]] brackets and the spans they enclosed.
func marked(s string) (string, []span) {
	var b strings.Builder
	var sp []span
	for {
		i := strings.Index(s, "[[")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "]]")
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		start := b.Len()
		b.WriteString(s[i+2 : i+j])
		sp = append(sp, span{start, b.Len()})
		s = s[i+j+2:]
	}
	b.WriteString(s)
	return b.String(), sp
}

// matcherFor analyzes a query as Search will: words through ar_news_v3 and
// ar_exact_v2, a word ending in * as a normalized prefix.
func matcherFor(query string) termMatcher {
	m := termMatcher{stems: map[string]bool{}, exact: map[string]bool{}}
	var words []string
	for _, w := range strings.Fields(query) {
		if p, ok := strings.CutSuffix(w, "*"); ok {
			m.prefixes = append(m.prefixes, string(analyzer.Normalize([]byte(p))))
			continue
		}
		words = append(words, w)
	}
	q := []byte(strings.Join(words, " "))
	for _, t := range analyzer.NewNews().Analyze(q) {
		m.stems[string(t.Term)] = true
	}
	for _, t := range analyzer.NewExact().Analyze(q) {
		m.exact[string(t.Term)] = true
	}
	return m
}

func surfaces(text string, sp []span) []string {
	out := make([]string, len(sp))
	for i, s := range sp {
		out[i] = text[s.Start:s.End]
	}
	return out
}

func TestMatchSpans(t *testing.T) {
	tests := []struct {
		name, query, text string
		want              []string // surfaces marked, in order
	}{
		{"diacritics are inside the mark", "المدرسة", "افتتحت المَدْرَسَةِ أبوابها", []string{"المَدْرَسَةِ"}},
		{"tatweel and article are inside the mark", "كبيرة", "موجة الجفاف الكـــبيرة ضربت", []string{"الكـــبيرة"}},
		{"the other hamza seat", "مسئول", "وقال مسؤول في الوزارة", []string{"مسؤول"}},
		{"Latin case folds", "openai", "أعلنت OpenAI اليوم", []string{"OpenAI"}},
		{"an RLM after the word stays outside", "openai", "التعاون مع OpenAI\u200F سيبدأ", []string{"OpenAI"}},
		{"an RLM inside the word stays inside", "مسؤول", "قال مسؤ\u200Fول كبير", []string{"مسؤ\u200Fول"}},
		{"an RLM before the word stays outside", "مسؤول", "قال \u200Fمسؤول كبير", []string{"مسؤول"}},
		{"Arabic-Indic digits", "2024", "في عام ٢٠٢٤ وعام 2024", []string{"٢٠٢٤", "2024"}},
		{"prefix marks whole words", "الكتا*", "الكتاب والكتابة والكتب الكتابة كتاب", []string{"الكتاب", "الكتابة"}},
		{"prefix folds the hamza of alef, not the article", "اقتص*", "الاقتصاد والإقتصاد إقتصاديون", []string{"إقتصاديون"}},
		{"clitic form is marked whole", "المدرسة", "والمدرسة الجديدة وبالمدرسة", []string{"والمدرسة", "وبالمدرسة"}},
		{"the stem joins inflections", "المدرسة", "مدرسة ومدارس", []string{"مدرسة"}},
		{"two words", "مسئول الوزارة", "وقال مسؤول في الوزارة إن", []string{"مسؤول", "الوزارة"}},
		{"lam before a Latin name: the word as it stands, like والمدرسة", "openai", "الرئيس التنفيذي لـOpenAI، في", []string{"لـOpenAI"}},
		{"a clitic glued to a Latin word or a number", "google 19 1436", "وGoogle بـ19 في 1436هـ", []string{"وGoogle", "بـ19", "1436هـ"}},
		{"a separator ends the word", "covid", "covid-19 و(covid)", []string{"covid", "covid"}},
		{"two words of two scripts with no space: the matched one alone", "cnn www", "CNNبالعربية التاليwww.site", []string{"CNN", "www"}},
		{"a number glued to a longer word", "2014", "عام 2014ميلادية", []string{"2014"}},
		{"stop words alone match nothing", "في من", "في المدرسة من الكتب", nil},
		{"empty prefix matches nothing", "*", "أي كلمة", nil},
		{"no query terms", "", "أي كلمة", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp := matchSpans(analyzer.NewNews(), analyzer.NewExact(), tc.text, matcherFor(tc.query))
			got := surfaces(tc.text, sp)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("matchSpans(%q, query %q) marks %q; want %q", tc.text, tc.query, got, tc.want)
			}
			for i := 1; i < len(sp); i++ {
				if sp[i].Start < sp[i-1].End {
					t.Errorf("spans %v and %v overlap", sp[i-1], sp[i])
				}
			}
		})
	}
}

// TestMatchSpansPhrases: the several words of a synonym (تنظيم الدولة
// for داعش) are marked where they stand together, a stop word between
// them or not, and not each alone.
func TestMatchSpansPhrases(t *testing.T) {
	stems := func(s string) [][]string {
		var out [][]string
		for _, t := range analyzer.NewNews().Analyze([]byte(s)) {
			out = append(out, []string{string(t.Term)})
		}
		return out
	}
	m := matcherFor("داعش")
	m.phrases = [][][]string{stems("تنظيم الدولة"), stems("الدولة الإسلامية")}
	tests := []struct {
		name, text string
		want       []string
	}{
		{"together", "هاجم تنظيم الدولة مواقع للجيش", []string{"تنظيم", "الدولة"}},
		{"each alone", "ست دول عربية وتنظيم إداري جديد للدولة", nil},
		{"a stop word between", "أعلنت الدولة في الإسلامية", []string{"الدولة", "الإسلامية"}},
		{"too far apart", "تنظيم المؤتمر الكبير في الدولة", nil},
		{"beside the typed word", "مقاتلو داعش أو تنظيم الدولة", []string{"داعش", "تنظيم", "الدولة"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := surfaces(tc.text, matchSpans(analyzer.NewNews(), analyzer.NewExact(), tc.text, m))
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%q marks %q; want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestSnippetsThroughAnalyzers renders what a reader sees for a query:
// matchSpans with the real analyzers, then snippets.
func TestSnippetsThroughAnalyzers(t *testing.T) {
	tests := []struct{ name, query, text, want string }{
		{"diacritics", "المدرسة", "افتتحت المَدْرَسَةِ أبوابها.", "افتتحت <mark>المَدْرَسَةِ</mark> أبوابها."},
		{"tatweel", "كبيرة", "موجة الجفاف الكـــبيرة.", "موجة الجفاف <mark>الكـــبيرة</mark>."},
		{"hamza seat", "مسئول", "وقال مسؤول في الوزارة.", "وقال <mark>مسؤول</mark> في الوزارة."},
		{"Latin case, RLM after the name outside", "openai", "مع OpenAI\u200F سيبدأ.", "مع <mark>OpenAI</mark>\u200F سيبدأ."},
		{"RLM inside the word inside", "مسؤول", "قال مسؤ\u200Fول.", "قال <mark>مسؤ\u200Fول</mark>."},
		{"digits", "2024", "في ٢٠٢٤.", "في <mark>٢٠٢٤</mark>."},
		{"prefix", "الكتا*", "الكتاب والكتابة والكتابة الكتابة.", "<mark>الكتاب</mark> والكتابة والكتابة <mark>الكتابة</mark>."},
		{"clitic", "المدرسة", "والمدرسة الجديدة.", "<mark>والمدرسة</mark> الجديدة."},
		{"HTML around a match", "الشركة", `<script>alert(1)</script> <img src=x onerror=alert(1)> الشركة & "هي" 'هنا'.`,
			`&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; <mark>الشركة</mark> &amp; &#34;هي&#34; &#39;هنا&#39;.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp := matchSpans(analyzer.NewNews(), analyzer.NewExact(), tc.text, matcherFor(tc.query))
			got := snippets(tc.text, sp, 1, 0)
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("query %q over %q: %q; want %q", tc.query, tc.text, got, tc.want)
			}
		})
	}
}

// opaque hides an analyzer's type, so matchSpans runs it on its own.
type opaque struct{ analysis.Analyzer }

// TestMatchSpansOnePass: analyzing once and stemming the exact tokens marks
// the same words as running the two analyzers apart.
func TestMatchSpansOnePass(t *testing.T) {
	stem, exact := analyzer.NewNews(), analyzer.NewExact()
	if _, ok := extraFilters(stem, exact); !ok {
		t.Fatal("ar_news_v3 is not seen as ar_exact_v2 plus filters: the one-pass path is never taken")
	}
	if _, ok := extraFilters(exact, stem); ok {
		t.Error("ar_exact_v2 seen as ar_news_v3 plus filters")
	}
	for name, queries := range goldenQueries {
		raw, err := os.ReadFile(filepath.Join("testdata", "snippets", name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range queries {
			m := matcherFor(q)
			one := matchSpans(stem, exact, string(raw), m)
			two := matchSpans(opaque{stem}, opaque{exact}, string(raw), m)
			if fmt.Sprint(one) != fmt.Sprint(two) {
				t.Errorf("%s, query %q: one pass marks %q, two passes %q", name, q, surfaces(string(raw), one), surfaces(string(raw), two))
			}
		}
	}
}

func TestMergeSpans(t *testing.T) {
	got := mergeSpans([]span{{10, 14}, {0, 4}, {2, 6}, {10, 14}, {6, 8}})
	want := []span{{0, 6}, {6, 8}, {10, 14}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("mergeSpans = %v; want %v (overlaps merged, touching spans kept apart)", got, want)
	}
}

func TestSnippets(t *testing.T) {
	tests := []struct {
		name          string
		in            string // spans written as [[word]]
		count, length int
		want          []string
	}{
		{
			name:   "the matched sentence whole, then the next while it fits",
			in:     "افتتحت الوزارة مدرسة جديدة. وقال [[مسؤول]] إن الدوام يبدأ غدًا. وتضم المدرسة مكتبة.",
			length: 60,
			want:   []string{"وقال <mark>مسؤول</mark> إن الدوام يبدأ غدًا. وتضم المدرسة مكتبة."},
		},
		{
			name:   "a long sentence is cut at words with ellipses at both ends",
			in:     "قال المتحدث باسم الوزارة في مؤتمر صحفي عقده ظهر اليوم في العاصمة إن [[المدرسة]] الجديدة ستفتح أبوابها في بداية العام الدراسي المقبل بعد اكتمال أعمال البناء والتجهيز",
			length: 60,
			want:   []string{"…في العاصمة إن <mark>المدرسة</mark> الجديدة ستفتح أبوابها في بداية العام…"},
		},
		{
			name:   "the sentence start is kept when it is close",
			in:     "انتهى الاجتماع. وقال [[المدير]] إن الدوام سيكون بنظام الفترتين حتى نهاية العام الدراسي المقبل وبعده",
			length: 50,
			want:   []string{"وقال <mark>المدير</mark> إن الدوام سيكون بنظام الفترتين حتى…"},
		},
		{
			name: "HTML is escaped, marks stay",
			in:   `نشر <script>alert(1)</script> و<img src=x onerror=alert(1)> عن [[الشركة]] & "الموظفين" و'الإدارة'.`,
			want: []string{`نشر &lt;script&gt;alert(1)&lt;/script&gt; و&lt;img src=x onerror=alert(1)&gt; عن <mark>الشركة</mark> &amp; &#34;الموظفين&#34; و&#39;الإدارة&#39;.`},
		},
		{
			name: "an RLM after a Latin name stays outside the mark",
			in:   "التعاون مع [[OpenAI]]\u200F سيبدأ قريبًا.",
			want: []string{"التعاون مع <mark>OpenAI</mark>\u200F سيبدأ قريبًا."},
		},
		{
			name: "adjacent words get a mark each",
			in:   "قال [[الرئيس]] [[التنفيذي]] [[لـ]][[OpenAI]] إن.",
			want: []string{"قال <mark>الرئيس</mark> <mark>التنفيذي</mark> <mark>لـ</mark><mark>OpenAI</mark> إن."},
		},
		{
			name: "newlines and runs of spaces collapse to one space",
			in:   "عنوان الخبر\n\nقال   [[المسؤول]]\tإن\r\nالخطة جاهزة",
			want: []string{"عنوان الخبر قال <mark>المسؤول</mark> إن الخطة جاهزة"},
		},
		{
			name:   "a closing » stays with its sentence",
			in:     "وقال المدير: «[[المدرسة]] جاهزة. سنبدأ غدًا.» وأضاف أن الطلاب سيصلون في الثامنة صباحًا من كل يوم دراسي وحتى نهاية الفصل الأول",
			length: 45,
			want:   []string{"وقال المدير: «<mark>المدرسة</mark> جاهزة. سنبدأ غدًا.»"},
		},
		{
			name:   "a number with a decimal point is not cut",
			in:     "نما الاقتصاد 97.4 [[بالمئة]] في الربع الأخير من العام",
			length: 30,
			want:   []string{"…97.4 <mark>بالمئة</mark> في الربع الأخير من…"},
		},
		{
			name:   "a word longer than the length is shown whole",
			in:     "قال إن [[الاستراتيجيات]] جديدة",
			length: 5,
			want:   []string{"…<mark>الاستراتيجيات</mark>…"},
		},
		{
			name:   "fragments are cut after punctuation, never inside a word",
			in:     "الأولى،الثانية،الثالثة،[[الرابعة]]،الخامسة،السادسة،السابعة",
			length: 24,
			want:   []string{"…<mark>الرابعة</mark>،الخامسة،السادسة،…"},
		},
		{
			name:  "count 2: the cluster of two words first, then the single word, extended as it is short",
			in:    "زار [[الوزير]] المعرض. ثم عاد إلى مكتبه في العاصمة وعقد اجتماعًا طويلًا مع المستشارين. وقال [[الوزير]] إن [[المدرسة]] جاهزة.",
			count: 2, length: 40,
			want: []string{"وقال <mark>الوزير</mark> إن <mark>المدرسة</mark> جاهزة.", "زار <mark>الوزير</mark> المعرض. ثم عاد إلى مكتبه في…"},
		},
		{
			name:  "a fragment takes in the matches of its window",
			in:    "قال [[الوزير]] إن [[الوزير]] السابق غادر.",
			count: 3,
			want:  []string{"قال <mark>الوزير</mark> إن <mark>الوزير</mark> السابق غادر."},
		},
		{
			name:  "no spans, no snippets",
			in:    "نص بلا كلمات مطابقة.",
			count: 3,
			want:  nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, sp := marked(tc.in)
			got := snippets(text, sp, tc.count, tc.length)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") || len(got) != len(tc.want) {
				t.Errorf("snippets(count %d, length %d) =\n%s\nwant\n%s", tc.count, tc.length,
					strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestSnippetsCountRunesNotBytes(t *testing.T) {
	text, sp := marked("قالت الحكومة في بيان رسمي صدر صباح اليوم إن [[الموازنة]] الجديدة ستعرض على البرلمان الأسبوع المقبل للمناقشة")
	got := snippets(text, sp, 1, 40)
	if len(got) != 1 {
		t.Fatalf("got %d fragments; want 1", len(got))
	}
	shown := visible(got[0])
	n := utf8.RuneCountInString(strings.ReplaceAll(shown, "…", ""))
	if n > 40 || n < 30 {
		t.Errorf("fragment %q shows %d characters; want 30..40", got[0], n)
	}
	if len(shown) < 2*n-10 {
		t.Errorf("fragment %q: %d bytes for %d characters, the test needs two-byte letters", shown, len(shown), n)
	}
}

// visible strips the marks and unescapes a fragment: the text a reader sees.
func visible(frag string) string {
	frag = strings.ReplaceAll(frag, "<mark>", "")
	frag = strings.ReplaceAll(frag, "</mark>", "")
	return html.UnescapeString(frag)
}

func TestSnippetsLongBodyMatchNearEnd(t *testing.T) {
	var b strings.Builder
	words := strings.Fields("قال المتحدث إن الحكومة ستواصل العمل على تحسين الخدمات العامة في المحافظات كافة خلال الأشهر المقبلة")
	for n := 0; n < 3000; n += len(words) {
		b.WriteString(strings.Join(words, " ") + ". ")
	}
	b.WriteString("وفي الختام أعلن المجلس أن [[الانتخابات]] البلدية ستجري في الربيع. ")
	b.WriteString(strings.Repeat("وستواصل الحكومة العمل. ", 3))
	text, sp := marked(b.String())
	got := snippets(text, sp, 3, 160)
	want := "وفي الختام أعلن المجلس أن <mark>الانتخابات</mark> البلدية ستجري في الربيع. وستواصل الحكومة العمل. وستواصل الحكومة العمل. وستواصل الحكومة العمل."
	if len(got) != 1 || got[0] != want {
		t.Errorf("3000-word body: snippets %q; want [%q]", got, want)
	}
}

func TestLeadSnippet(t *testing.T) {
	tests := []struct {
		name, in string
		length   int
		want     string
	}{
		{"first sentences that fit", "الجملة الأولى قصيرة. والثانية أيضًا. والثالثة طويلة جدًا ولا تدخل في الطول المسموح به هنا", 40,
			"الجملة الأولى قصيرة. والثانية أيضًا."},
		{"a first sentence longer than the length is cut with …", "قال المتحدث باسم الوزارة إن الخطة الجديدة ستطبق في جميع المدارس", 30,
			"قال المتحدث باسم الوزارة إن…"},
		{"a headline line is its own sentence", "  عنوان بلا نقطة\nقال المسؤول إن الخطة جاهزة وستطبق في العام المقبل على المدارس", 30,
			"عنوان بلا نقطة قال المسؤول إن…"},
		{"spans inside the lead are marked; diacritics count", "أعلنت [[المَدْرَسَةِ]] برنامجًا جديدًا. وقال المدير إن التسجيل مفتوح.", 40,
			"أعلنت <mark>المَدْرَسَةِ</mark> برنامجًا جديدًا."},
		{"escaped", `قال "المدير" إن <b> & </b> ممنوعة.`, 0, `قال &#34;المدير&#34; إن &lt;b&gt; &amp; &lt;/b&gt; ممنوعة.`},
		{"a first word longer than the length is shown whole", "الاستراتيجيات الجديدة", 5, "الاستراتيجيات…"},
		{"whitespace only", " \n\t ", 0, ""},
		{"empty", "", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, sp := marked(tc.in)
			if got := leadSnippet(text, sp, tc.length); got != tc.want {
				t.Errorf("leadSnippet(length %d) =\n%s\nwant\n%s", tc.length, got, tc.want)
			}
		})
	}
}

func TestMarkText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"title with diacritics", "افتتاح [[المَدْرَسَةِ]] الجديدة", "افتتاح <mark>المَدْرَسَةِ</mark> الجديدة"},
		{"escaped and collapsed", " [[OpenAI]] تطلق <GPT-5>\n& \"أكثر\" ", "<mark>OpenAI</mark> تطلق &lt;GPT-5&gt; &amp; &#34;أكثر&#34;"},
		{"no spans", "عنوان الخبر", "عنوان الخبر"},
		{"a span at the very end", "سعر [[٢٠٢٤]]", "سعر <mark>٢٠٢٤</mark>"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, sp := marked(tc.in)
			if got := markText(text, sp); got != tc.want {
				t.Errorf("markText =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestSnippetsBadSpans: spans outside the text, reversed, inside a rune or
// around spaces never panic and never produce broken UTF-8.
func TestSnippetsBadSpans(t *testing.T) {
	text := "قال المسؤول إن الخطة جاهزة."
	word := strings.Index(text, "المسؤول")
	sp := []span{{-5, 2}, {7, 3}, {5, 9}, {30, 1000}, {word - 1, word}, {0, 0}, {len(text) - 1, len(text) + 3}}
	for _, f := range append(snippets(text, sp, 5, 10), leadSnippet(text, sp, 10), markText(text, sp)) {
		if !utf8.ValidString(f) {
			t.Errorf("invalid UTF-8 in %q", f)
		}
	}
	if got, want := markText(text, []span{{word - 1, word}}), text; got != want {
		t.Errorf("a span of one space marks nothing: %q; want %q", got, want)
	}
	if got, want := markText(text, []span{{word + 1, word + 3}}), "قال <mark>ال</mark>مسؤول إن الخطة جاهزة."; got != want {
		t.Errorf("a span inside runes widens to whole runes: %q; want %q", got, want)
	}
}

// goldenQueries are the queries run over each fixture of testdata/snippets.
var goldenQueries = map[string][]string{
	"school":  {"المدرسة", "الكتابة", "مسئول", "2026", "مكتب*", "مختبر*", "المدرسة الوزارة", "أبوابها"},
	"tech":    {"openai", "gpt", "2025", "الشركة", "لهجة", "1.5 مليار", "دولار"},
	"economy": {"اقتصاد", "مسؤول", "كبيرة", "4.2", "مستوى", "السنة المالية", "المقرضين", "الأزمة"},
	"long":    {"مجلس الأمن", "بحر البقر", "السد", "إثيو*", "الأرز", "مياه النيل", "الفيضان", "ترامب"},
}

// TestSnippetGolden renders each fixture (first line the title, the rest the
// body) for each of its queries: the marked surfaces, the title, up to three
// body fragments of 160 characters, or the lead when the body has no match.
func TestSnippetGolden(t *testing.T) {
	stem, exact := analyzer.NewNews(), analyzer.NewExact()
	for name, queries := range goldenQueries {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "snippets", name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			title, body, _ := strings.Cut(string(raw), "\n")
			var b strings.Builder
			fmt.Fprintf(&b, "# snippets of testdata/snippets/%s.txt: count 3, length 160\n", name)
			b.WriteString("# rewrite with: go test ./index -run TestSnippetGolden -update\n")
			for _, q := range queries {
				m := matcherFor(q)
				tsp := matchSpans(stem, exact, title, m)
				bsp := matchSpans(stem, exact, body, m)
				fmt.Fprintf(&b, "\n## %s\n", q)
				fmt.Fprintf(&b, "marked: %s\n", strings.Join(surfaces(body, bsp), " | "))
				fmt.Fprintf(&b, "title: %s\n", markText(title, tsp))
				frags := snippets(body, bsp, 3, 160)
				checkDisjoint(t, body, frags)
				for i, f := range frags {
					fmt.Fprintf(&b, "%d: %s\n", i+1, f)
				}
				if len(frags) == 0 {
					fmt.Fprintf(&b, "lead: %s\n", leadSnippet(body, bsp, 160))
				}
			}
			checkGolden(t, filepath.Join("testdata", "snippets", name+".golden"), b.String())
		})
	}
}

// checkDisjoint finds each fragment in the text (the fixtures repeat no
// long phrase) and fails if two of them share any of it.
func checkDisjoint(t *testing.T, text string, frags []string) {
	t.Helper()
	whole := collapse(text)
	type piece struct{ from, to int }
	var seen []piece
	for _, f := range frags {
		shown := strings.TrimSuffix(strings.TrimPrefix(visible(f), "…"), "…")
		i := strings.Index(whole, shown)
		if i < 0 {
			t.Errorf("fragment %q is not in the text", f)
			continue
		}
		p := piece{i, i + len(shown)}
		for _, q := range seen {
			if p.from < q.to && q.from < p.to {
				t.Errorf("fragment %q overlaps another", f)
			}
		}
		seen = append(seen, p)
	}
}

// checkGolden compares got with the golden file, or rewrites it under -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with: go test ./index -run TestSnippetGolden -update)", err)
	}
	if string(want) == got {
		return
	}
	w, g := strings.Split(string(want), "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			t.Errorf("%s differs from the output at line %d (review, then -update):\n- %q\n+ %q", path, i+1, wl, gl)
			return
		}
	}
}

// collapse is the text fragments are cut from, computed apart from the
// code under test: each invalid byte as U+FFFD, whitespace runs as one
// space, trimmed.
func collapse(s string) string {
	return strings.Join(strings.Fields(string([]rune(s))), " ")
}

// checkMarks reports unbalanced, nested or empty marks.
func checkMarks(frag string) error {
	open := false
	for i := 0; i < len(frag); {
		switch {
		case strings.HasPrefix(frag[i:], "<mark>"):
			if open {
				return fmt.Errorf("nested <mark> at %d", i)
			}
			if strings.HasPrefix(frag[i+6:], "</mark>") {
				return fmt.Errorf("empty mark at %d", i)
			}
			open = true
			i += 6
		case strings.HasPrefix(frag[i:], "</mark>"):
			if !open {
				return fmt.Errorf("</mark> without <mark> at %d", i)
			}
			open = false
			i += 7
		case frag[i] == '<' || frag[i] == '>':
			return fmt.Errorf("unescaped %q at %d", frag[i], i)
		default:
			i++
		}
	}
	if open {
		return fmt.Errorf("<mark> not closed")
	}
	return nil
}

func FuzzSnippets(f *testing.F) {
	for _, name := range []string{"school", "tech"} {
		raw, err := os.ReadFile(filepath.Join("testdata", "snippets", name+".txt"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(raw), []byte{0, 40, 0, 60, 2, 0, 2, 30}, 3, 160)
	}
	f.Add("قال <b>\"المسؤول\"</b>\u200F إن ٢٠٢٤ & 97.4.\n\nجملة", []byte{0, 4, 0, 18, 0, 30, 0, 31}, 2, 10)
	f.Add("a\xffb \xe0\x80 c\u0301 ـــ", []byte{0, 1, 0, 3, 0, 5, 0, 9}, 0, 0)
	f.Add("", []byte{0, 1}, 1, 1)
	f.Fuzz(func(t *testing.T, text string, raw []byte, count, length int) {
		var sp []span
		longest := 0
		for i := 0; i+3 < len(raw) && len(sp) < 64; i += 4 {
			s := (int(raw[i])<<8 | int(raw[i+1])) % (len(text) + 1)
			e := (int(raw[i+2])<<8 | int(raw[i+3])) % (len(text) + 1)
			sp = append(sp, span{s, e})
		}
		// Spans widen to whole runes and then merge when they overlap: the
		// longest text that may not be cut is at most the longest union of
		// the spans widened by three bytes.
		var wide []span
		for _, s := range sp {
			if s.Start < s.End {
				wide = append(wide, span{max(0, s.Start-3), min(len(text), s.End+3)})
			}
		}
		for _, s := range mergeSpans(wide) {
			longest = max(longest, utf8.RuneCountInString(text[s.Start:s.End]))
		}
		count = count % 8 // a huge count is allowed, but slow to fuzz
		_, L := snippetDefaults(count, length)
		whole := strings.ReplaceAll(collapse(text), "…", "")
		check := func(kind, frag string, limit int) {
			if !utf8.ValidString(frag) {
				t.Fatalf("%s %q is not valid UTF-8", kind, frag)
			}
			if err := checkMarks(frag); err != nil {
				t.Fatalf("%s %q: %v", kind, frag, err)
			}
			shown := strings.ReplaceAll(visible(frag), "…", "")
			if !strings.Contains(whole, shown) {
				t.Fatalf("%s %q shows %q, not a piece of the text %q", kind, frag, shown, whole)
			}
			if n := utf8.RuneCountInString(shown); n > limit {
				t.Fatalf("%s %q shows %d characters; limit %d", kind, frag, n, limit)
			}
		}
		frags := snippets(text, sp, count, length)
		if n, want := len(frags), max(count, 0); n > want && count > 0 || count <= 0 && n > defaultSnippetCount {
			t.Fatalf("%d fragments for count %d", n, count)
		}
		for _, frag := range frags {
			check("fragment", frag, max(L, longest))
		}
		first := 0
		if fs := strings.Fields(text); len(fs) > 0 {
			first = utf8.RuneCountInString(fs[0])
		}
		lead := leadSnippet(text, sp, length)
		check("lead", lead, max(L, first)+longest) // a random span may hold the only cut
		if lead == "" && collapse(text) != "" {
			t.Fatalf("empty lead for %q", text)
		}
		title := markText(text, sp)
		check("title", title, len(text))
		if got, want := visible(title), collapse(text); got != want {
			t.Fatalf("markText shows %q; want %q", got, want)
		}
	})
}

// BenchmarkSnippets marks and cuts the snippets of a page of 10 hits, each
// a ~600-word body made of the fixtures' paragraphs in a different order,
// for a two-word query, and checks every hit got a marked fragment.
func BenchmarkSnippets(b *testing.B) {
	var paras []string
	for _, name := range []string{"long", "school", "tech", "economy"} {
		raw, err := os.ReadFile(filepath.Join("testdata", "snippets", name+".txt"))
		if err != nil {
			b.Fatal(err)
		}
		_, body, _ := strings.Cut(string(raw), "\n")
		for _, p := range strings.Split(body, "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				paras = append(paras, p)
			}
		}
	}
	bodies := make([]string, 10)
	size := 0
	for h := range bodies {
		var parts []string
		words := 0
		for i := 0; words < 600; i++ {
			p := paras[(h*7+i*3)%len(paras)]
			parts = append(parts, p)
			words += len(strings.Fields(p))
		}
		bodies[h] = strings.Join(parts, "\n\n")
		size += len(bodies[h])
	}
	stem, exact := analyzer.NewNews(), analyzer.NewExact()
	m := matcherFor("مسئول الوزارة")
	spans := make([][]span, len(bodies))
	for h, body := range bodies {
		spans[h] = matchSpans(stem, exact, body, m)
	}
	check := func(b *testing.B, frags []string) {
		if len(frags) == 0 || !strings.Contains(frags[0], "<mark>") {
			b.Fatalf("no marked fragment in a body holding مسؤول: %q", frags)
		}
	}
	// What Search pays per page: analyze each body once, cut the fragments.
	b.Run("match+cut", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, body := range bodies {
				check(b, snippets(body, matchSpans(stem, exact, body, m), 3, 160))
			}
		}
	})
	// The same with the two analyzers run apart (no shared tokenizing).
	b.Run("match-two-passes+cut", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, body := range bodies {
				check(b, snippets(body, matchSpans(opaque{stem}, opaque{exact}, body, m), 3, 160))
			}
		}
	})
	// Cutting and marking alone, from spans found beforehand.
	b.Run("cut", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for h, body := range bodies {
				check(b, snippets(body, spans[h], 3, 160))
			}
		}
	})
}

// TestFastPaths: isSpace is unicode.IsSpace and decodeAt is
// utf8.DecodeRuneInString, on every rune and on invalid bytes.
func TestFastPaths(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isSpace(r) != unicode.IsSpace(r) {
			t.Errorf("isSpace(%U) = %v; unicode.IsSpace says %v", r, isSpace(r), unicode.IsSpace(r))
		}
	}
	for _, s := range []string{"a", "ب", "\u200F", "😀", "\xff", "\xd8", "\xd8a", "\xc0\x80", "\xe0\x80", "\xed\xa0\x80"} {
		r, n := decodeAt(s, 0)
		wr, wn := utf8.DecodeRuneInString(s)
		if r != wr || n != wn {
			t.Errorf("decodeAt(%q) = %U, %d; want %U, %d", s, r, n, wr, wn)
		}
	}
}
