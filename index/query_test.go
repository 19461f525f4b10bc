package index

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
)

// Shorthands for the expected parsedQuery values.
func word(s string) queryTerm   { return queryTerm{Text: s} }
func phrase(s string) queryTerm { return queryTerm{Text: s, Phrase: true} }
func prefix(s string) queryTerm { return queryTerm{Text: s, Prefix: true} }

// words is one one-term group per word.
func words(ws ...string) []queryGroup {
	var gs []queryGroup
	for _, w := range ws {
		gs = append(gs, queryGroup{word(w)})
	}
	return gs
}

func groups(gs ...queryGroup) []queryGroup { return gs }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// endOf is the last instant before t.
func endOf(t time.Time) time.Time { return t.Add(-time.Nanosecond) }

type queryCase struct {
	name, in string
	want     parsedQuery
}

func runQueryCases(t *testing.T, tests []queryCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseQuery(tc.in)
			if err != nil {
				t.Fatalf("parseQuery(%q): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseQuery(%q)\n got %s\nwant %s", tc.in, dumpQuery(got), dumpQuery(tc.want))
			}
			// The canonical form reads back into the same query.
			if again, err := parseQuery(got.String()); err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("parseQuery(%q.String() = %q) = %s, %v; want %s", tc.in, got.String(), dumpQuery(again), err, dumpQuery(got))
			}
		})
	}
}

// dumpQuery shows a parsedQuery with its flags and dates readable.
func dumpQuery(q parsedQuery) string {
	var b strings.Builder
	term := func(t queryTerm) string {
		switch {
		case t.Phrase:
			return "phrase" + `(` + t.Text + `)`
		case t.Prefix:
			return "prefix(" + t.Text + ")"
		}
		return "word(" + t.Text + ")"
	}
	b.WriteString("groups[")
	for i, g := range q.Groups {
		if i > 0 {
			b.WriteString(" ")
		}
		for j, x := range g {
			if j > 0 {
				b.WriteString("|")
			}
			b.WriteString(term(x))
		}
	}
	b.WriteString("] excluded[")
	for i, x := range q.Excluded {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(term(x))
	}
	b.WriteString("]")
	if q.Filters != nil {
		b.WriteString(" filters" + strings.TrimPrefix(strings.ReplaceAll(strings.TrimSpace(fmtMap(q.Filters)), "\n", " "), ""))
	}
	if !q.From.IsZero() {
		b.WriteString(" from " + q.From.Format(time.RFC3339Nano))
	}
	if !q.To.IsZero() {
		b.WriteString(" to " + q.To.Format(time.RFC3339Nano))
	}
	return b.String()
}

func fmtMap(m map[string][]string) string {
	var b strings.Builder
	b.WriteString("{")
	for _, k := range []string{"author", "section", "source", "tags"} {
		if v, ok := m[k]; ok {
			b.WriteString(k + ":" + strings.Join(v, ",") + ";")
		}
	}
	b.WriteString("}")
	return b.String()
}

func TestParseQueryWords(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"empty", "", parsedQuery{}},
		{"spaces only", " \t\n ", parsedQuery{}},
		{"one word", "المدرسة", parsedQuery{Groups: words("المدرسة")}},
		{"words in order", "الذكاء الاصطناعي في مصر", parsedQuery{Groups: words("الذكاء", "الاصطناعي", "في", "مصر")}},
		{"diacritics and tatweel kept as typed", "المَدْرَسَةِ الكـــبيرة", parsedQuery{Groups: words("المَدْرَسَةِ", "الكـــبيرة")}},
		{"Arabic comma, semicolon, question mark separate", "شركة،دولة؛لماذا؟لأن", parsedQuery{Groups: words("شركة", "دولة", "لماذا", "لأن")}},
		{"full stop and comma separate", "ترامب.بايدن,بوتين. نهاية", parsedQuery{Groups: words("ترامب", "بايدن", "بوتين", "نهاية")}},
		{"decimal point and thousands kept in numbers", "97.4 مليون 1,500 ٩٧٫٤ ١٬٥٠٠", parsedQuery{Groups: words("97.4", "مليون", "1,500", "٩٧٫٤", "١٬٥٠٠")}},
		{"Arabic-Indic digits stay as typed", "موازنة ٢٠٢٥", parsedQuery{Groups: words("موازنة", "٢٠٢٥")}},
		{"hyphen inside a word is text", "covid-19 ثنائي-اللغة", parsedQuery{Groups: words("covid-19", "ثنائي-اللغة")}},
		{"apostrophe and colon inside a word", "O'Brien foo:bar", parsedQuery{Groups: words("O'Brien", "foo:bar")}},
		{"parentheses, slash, hashtag, emoji separate", "(ترامب/بايدن) #غزة 🔥النفط", parsedQuery{Groups: words("ترامب", "بايدن", "غزة", "النفط")}},
		{"punctuation only is dropped", "... ،،، ؟! ـــ", parsedQuery{}},
		{"lowercase or is a word", "ترامب or بايدن", parsedQuery{Groups: words("ترامب", "or", "بايدن")}},
		{"Arabic أو is a word", "ترامب أو بايدن", parsedQuery{Groups: words("ترامب", "أو", "بايدن")}},
		{"repeated words are kept", "غزة غزة", parsedQuery{Groups: words("غزة", "غزة")}},
		{"plus has no meaning", "+ترامب", parsedQuery{Groups: words("ترامب")}},
	})
}

func TestParseQueryInvisibleMarks(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"RLM around words", "\u200Fترامب\u200F \u200Eبايدن", parsedQuery{Groups: words("ترامب", "بايدن")}},
		{"RLM inside a word is removed", "مدر\u200Fسة", parsedQuery{Groups: words("مدرسة")}},
		{"RLM before a quote", "\u200F\"المدرسة الكبيرة\u200F\"", parsedQuery{Groups: groups(queryGroup{phrase("المدرسة الكبيرة")})}},
		{"RLM before minus", "ترامب \u200F-بايدن", parsedQuery{Groups: words("ترامب"), Excluded: []queryTerm{word("بايدن")}}},
		{"RLM between minus and word", "ترامب -\u200Fبايدن", parsedQuery{Groups: words("ترامب"), Excluded: []queryTerm{word("بايدن")}}},
		{"ALM and isolates around OR", "ترامب \u061COR\u2069 بايدن", parsedQuery{Groups: groups(queryGroup{word("ترامب"), word("بايدن")})}},
		{"RLM before a star", "الكتا\u200F*", parsedQuery{Groups: groups(queryGroup{prefix("الكتا")})}},
		{"RLM inside a field name", "sec\u200Ftion:رياضة", parsedQuery{Filters: map[string][]string{"section": {"رياضة"}}}},
		{"BOM, ZWJ, soft hyphen, embeddings", "\uFEFFOpen\u00ADAI \u202Bمدر\u200Dسة\u202C", parsedQuery{Groups: words("OpenAI", "مدرسة")}},
		{"ZWSP is a space", "ترامب\u200Bبايدن", parsedQuery{Groups: words("ترامب", "بايدن")}},
		{"NBSP and control characters are spaces", "ترامب\u00A0بايدن\x00بوتين", parsedQuery{Groups: words("ترامب", "بايدن", "بوتين")}},
		{"invalid UTF-8 is a space", "ترامب\xff\xfeبايدن\xd8", parsedQuery{Groups: words("ترامب", "بايدن")}},
	})
}

func TestParseQueryPhrases(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"straight quotes", `"المدرسة الكبيرة" غزة`, parsedQuery{Groups: groups(queryGroup{phrase("المدرسة الكبيرة")}, queryGroup{word("غزة")})}},
		{"one quoted word is a phrase", `"المدرسة"`, parsedQuery{Groups: groups(queryGroup{phrase("المدرسة")})}},
		{"typographic quotes", "“الذكاء الاصطناعي”", parsedQuery{Groups: groups(queryGroup{phrase("الذكاء الاصطناعي")})}},
		{"guillemets", "«الذكاء الاصطناعي» مصر", parsedQuery{Groups: groups(queryGroup{phrase("الذكاء الاصطناعي")}, queryGroup{word("مصر")})}},
		{"reversed guillemets", "»الذكاء الاصطناعي«", parsedQuery{Groups: groups(queryGroup{phrase("الذكاء الاصطناعي")})}},
		{"quote kinds are interchangeable", "\"الذكاء الاصطناعي»", parsedQuery{Groups: groups(queryGroup{phrase("الذكاء الاصطناعي")})}},
		{"spaces and punctuation inside collapse", `"  الذكاء ،  الاصطناعي  "`, parsedQuery{Groups: groups(queryGroup{phrase("الذكاء الاصطناعي")})}},
		{"operators inside are text", `"ترامب OR -بايدن section:x الكتا*"`, parsedQuery{Groups: groups(queryGroup{phrase("ترامب OR -بايدن section:x الكتا*")})}},
		{"date: inside a phrase is text", `"date:2024-13"`, parsedQuery{Groups: groups(queryGroup{phrase("date:2024-13")})}},
		{"quote glued to words", `قال"الذكاء الاصطناعي"اليوم`, parsedQuery{Groups: groups(queryGroup{word("قال")}, queryGroup{phrase("الذكاء الاصطناعي")}, queryGroup{word("اليوم")})}},
		{"empty phrase is dropped", `"" " " "،" غزة`, parsedQuery{Groups: words("غزة")}},
		{"unbalanced quote at the start is a space", `"المدرسة الكبيرة`, parsedQuery{Groups: words("المدرسة", "الكبيرة")}},
		{"unbalanced quote at the end is a space", `المدرسة الكبيرة"`, parsedQuery{Groups: words("المدرسة", "الكبيرة")}},
		{"third quote is a space", `"أ ب" ج "د`, parsedQuery{Groups: groups(queryGroup{phrase("أ ب")}, queryGroup{word("ج")}, queryGroup{word("د")})}},
		{"operators after an unbalanced quote still work", `"ترامب -بايدن`, parsedQuery{Groups: words("ترامب"), Excluded: []queryTerm{word("بايدن")}}},
		{"long phrase keeps its first 32 words", `"` + strings.Repeat("كلمة ", 40) + `"`, parsedQuery{Groups: groups(queryGroup{phrase(strings.TrimSpace(strings.Repeat("كلمة ", 32)))})}},
	})
}

func TestParseQueryExclusion(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"excluded word", "ترامب -بايدن", parsedQuery{Groups: words("ترامب"), Excluded: []queryTerm{word("بايدن")}}},
		{"excluded phrase", `غزة -"وقف إطلاق النار"`, parsedQuery{Groups: words("غزة"), Excluded: []queryTerm{phrase("وقف إطلاق النار")}}},
		{"excluded guillemet phrase", `غزة -«وقف إطلاق النار»`, parsedQuery{Groups: words("غزة"), Excluded: []queryTerm{phrase("وقف إطلاق النار")}}},
		{"excluded prefix", "الكتب -الكتا*", parsedQuery{Groups: words("الكتب"), Excluded: []queryTerm{prefix("الكتا")}}},
		{"double dash is one", "غزة --مصر", parsedQuery{Groups: words("غزة"), Excluded: []queryTerm{word("مصر")}}},
		{"exclusion after a separator", "غزة،-مصر", parsedQuery{Groups: words("غزة"), Excluded: []queryTerm{word("مصر")}}},
		{"lone dash is dropped", "غزة - مصر", parsedQuery{Groups: words("غزة", "مصر")}},
		{"trailing dash is dropped", "غزة -", parsedQuery{Groups: words("غزة")}},
		{"dashes only", "-- - ---", parsedQuery{}},
		{"dash before an unbalanced quote", `غزة -"مصر`, parsedQuery{Groups: words("غزة", "مصر")}},
		{"dash then star", "غزة -*مصر", parsedQuery{Groups: words("غزة"), Excluded: []queryTerm{word("مصر")}}},
		{"excluded OR is a word", "غزة -OR", parsedQuery{Groups: words("غزة"), Excluded: []queryTerm{word("OR")}}},
		{"only exclusions", "-ترامب -بايدن", parsedQuery{Excluded: []queryTerm{word("ترامب"), word("بايدن")}}},
		{"excluded filter is dropped", "غزة -section:رياضة", parsedQuery{Groups: words("غزة")}},
		{"excluded with nothing to search", "غزة -،،", parsedQuery{Groups: words("غزة")}},
		{"at most 16 exclusions", strings.Repeat("-كلمة ", 20), parsedQuery{Excluded: repeatTerm(word("كلمة"), 16)}},
	})
}

func repeatTerm(t queryTerm, n int) []queryTerm {
	out := make([]queryTerm, n)
	for i := range out {
		out[i] = t
	}
	return out
}

func TestParseQueryOr(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"OR joins two words", "ترامب OR ترمب", parsedQuery{Groups: groups(queryGroup{word("ترامب"), word("ترمب")})}},
		{"bar joins too", "ترامب | ترمب", parsedQuery{Groups: groups(queryGroup{word("ترامب"), word("ترمب")})}},
		{"bar without spaces", "ترامب|ترمب||Trump", parsedQuery{Groups: groups(queryGroup{word("ترامب"), word("ترمب"), word("Trump")})}},
		{"chain is one group", "أ OR ب OR ج د", parsedQuery{Groups: groups(queryGroup{word("أ"), word("ب"), word("ج")}, queryGroup{word("د")})}},
		{"OR with a phrase and a prefix", `غزة "وقف النار" OR هدنة*`, parsedQuery{Groups: groups(queryGroup{word("غزة")}, queryGroup{phrase("وقف النار"), prefix("هدنة")})}},
		{"leading OR ignored", "OR ترامب", parsedQuery{Groups: words("ترامب")}},
		{"trailing OR ignored", "ترامب OR", parsedQuery{Groups: words("ترامب")}},
		{"double OR is one", "ترامب OR OR | ترمب", parsedQuery{Groups: groups(queryGroup{word("ترامب"), word("ترمب")})}},
		{"OR alone", "OR | OR", parsedQuery{}},
		{"OR before an exclusion is ignored", "ترامب OR -بايدن بوتين", parsedQuery{Groups: words("ترامب", "بوتين"), Excluded: []queryTerm{word("بايدن")}}},
		{"OR after an exclusion is ignored", "-بايدن OR ترامب", parsedQuery{Groups: words("ترامب"), Excluded: []queryTerm{word("بايدن")}}},
		{"OR across a filter is ignored", "ترامب OR section:سياسة بايدن", parsedQuery{Groups: words("ترامب", "بايدن"), Filters: map[string][]string{"section": {"سياسة"}}}},
		{"OR across a dropped word joins", "ترامب OR ... ترمب", parsedQuery{Groups: groups(queryGroup{word("ترامب"), word("ترمب")})}},
		{"at most 8 alternatives", strings.Repeat("كلمة OR ", 10) + "آخر", parsedQuery{Groups: groups(queryGroup(repeatTerm(word("كلمة"), 8)))}},
	})
}

func TestParseQueryPrefix(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"trailing star", "الكتا*", parsedQuery{Groups: groups(queryGroup{prefix("الكتا")})}},
		{"stars count as one", "الكتا**", parsedQuery{Groups: groups(queryGroup{prefix("الكتا")})}},
		{"Arabic star", "الكتا٭", parsedQuery{Groups: groups(queryGroup{prefix("الكتا")})}},
		{"Latin prefix", "Open*", parsedQuery{Groups: groups(queryGroup{prefix("Open")})}},
		{"lone stars are dropped", "* ** غزة *", parsedQuery{Groups: words("غزة")}},
		{"leading star is dropped", "*غزة", parsedQuery{Groups: words("غزة")}},
		{"star inside a word is text", "ab*cd", parsedQuery{Groups: words("ab*cd")}},
		{"one letter before the star is a plain word", "ا* a*", parsedQuery{Groups: words("ا", "a")}},
		{"diacritics do not count as letters", "اَ*", parsedQuery{Groups: words("اَ")}},
		{"prefix then punctuation", "الكتا*،", parsedQuery{Groups: groups(queryGroup{prefix("الكتا")})}},
	})
}

func TestParseQueryFilters(t *testing.T) {
	f := func(kv ...string) map[string][]string {
		m := map[string][]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = append(m[kv[i]], kv[i+1])
		}
		return m
	}
	runQueryCases(t, []queryCase{
		{"section", "غزة section:سياسة", parsedQuery{Groups: words("غزة"), Filters: f("section", "سياسة")}},
		{"quoted value", `section:"شؤون دولية"`, parsedQuery{Filters: f("section", "شؤون دولية")}},
		{"guillemet value", `source:«صحيفة الأفق»`, parsedQuery{Filters: f("source", "صحيفة الأفق")}},
		{"quoted value spaces collapse", `author:"  سارة   علي "`, parsedQuery{Filters: f("author", "سارة علي")}},
		{"tag maps to tags", "tag:موازنة tags:ضرائب", parsedQuery{Filters: f("tags", "موازنة", "tags", "ضرائب")}},
		{"any case", "Section:رياضة SOURCE:bbc", parsedQuery{Filters: f("section", "رياضة", "source", "bbc")}},
		{"all four fields", "section:أ source:ب author:ج tag:د", parsedQuery{Filters: f("section", "أ", "source", "ب", "author", "ج", "tags", "د")}},
		{"repeated field adds values", "section:رياضة section:سياسة section:رياضة", parsedQuery{Filters: f("section", "رياضة", "section", "سياسة")}},
		{"value ends at Arabic comma", "section:اقتصاد،نفط", parsedQuery{Groups: words("نفط"), Filters: f("section", "اقتصاد")}},
		{"trailing punctuation trimmed", "غزة (section:سياسة).", parsedQuery{Groups: words("غزة"), Filters: f("section", "سياسة")}},
		{"hyphen kept in value", "source:bbc-arabic", parsedQuery{Filters: f("source", "bbc-arabic")}},
		{"empty value ignored", "section: رياضة", parsedQuery{Groups: words("رياضة")}},
		{"empty at the end", "غزة section:", parsedQuery{Groups: words("غزة")}},
		{"unbalanced quoted value", `section:"شؤون دولية`, parsedQuery{Groups: words("شؤون", "دولية")}},
		{"value with nothing to search", "section:... غزة", parsedQuery{Groups: words("غزة")}},
		{"unknown field is a word", "foo:bar http://x.y", parsedQuery{Groups: words("foo:bar", "http:", "x", "y")}},
		{"field name glued to letters is a word", "xsection:رياضة", parsedQuery{Groups: words("xsection:رياضة")}},
		{"filters only", "section:رياضة", parsedQuery{Filters: f("section", "رياضة")}},
	})
}

func TestParseQueryDates(t *testing.T) {
	may1, may2, jun1 := day(2024, 5, 1), day(2024, 5, 2), day(2024, 6, 1)
	runQueryCases(t, []queryCase{
		{"day", "date:2024-05-01", parsedQuery{From: may1, To: endOf(may2)}},
		{"month", "date:2024-05", parsedQuery{From: may1, To: endOf(jun1)}},
		{"year", "date:2024", parsedQuery{From: day(2024, 1, 1), To: endOf(day(2025, 1, 1))}},
		{"February of a leap year", "date:2024-02", parsedQuery{From: day(2024, 2, 1), To: endOf(day(2024, 3, 1))}},
		{"Arabic-Indic digits", "date:٢٠٢٤-٠٥", parsedQuery{From: may1, To: endOf(jun1)}},
		{"Persian digits", "date:۲۰۲۴-۰۵-۰۱", parsedQuery{From: may1, To: endOf(may2)}},
		{"range", "date:2024-01-01..2024-03-31", parsedQuery{From: day(2024, 1, 1), To: endOf(day(2024, 4, 1))}},
		{"range of months", "date:2024-01..2024-03", parsedQuery{From: day(2024, 1, 1), To: endOf(day(2024, 4, 1))}},
		{"open end", "date:2024..", parsedQuery{From: day(2024, 1, 1)}},
		{"open start", "date:..2024-02", parsedQuery{To: endOf(day(2024, 3, 1))}},
		{">=", "date:>=2024-01", parsedQuery{From: day(2024, 1, 1)}},
		{">", "date:>2024-01", parsedQuery{From: day(2024, 2, 1)}},
		{"<=", "date:<=2024", parsedQuery{To: endOf(day(2025, 1, 1))}},
		{"<", "date:<2025", parsedQuery{To: endOf(day(2025, 1, 1))}},
		{"instant in UTC", "date:>=2024-05-01T09:30:00+03:00", parsedQuery{From: time.Date(2024, 5, 1, 6, 30, 0, 0, time.UTC)}},
		{"several intersect", "date:2024 date:>=2024-05 date:<2024-07", parsedQuery{From: may1, To: endOf(day(2024, 7, 1))}},
		{"disjoint forms are not an error", "date:2023 date:2024", parsedQuery{From: day(2024, 1, 1), To: endOf(day(2024, 1, 1))}},
		{"with words", "غزة date:2024-05 هدنة", parsedQuery{Groups: words("غزة", "هدنة"), From: may1, To: endOf(jun1)}},
		{"any case", "Date:2024-05", parsedQuery{From: may1, To: endOf(jun1)}},
		{"sentence punctuation trimmed", "(date:2024-05). غزة", parsedQuery{Groups: words("غزة"), From: may1, To: endOf(jun1)}},
		{"empty value ignored", "date: 2024", parsedQuery{Groups: words("2024")}},
		{"excluded date ignored", "غزة -date:2024", parsedQuery{Groups: words("غزة")}},
		{"excluded bad date ignored", "غزة -date:soon", parsedQuery{Groups: words("غزة")}},
		{"year 9999 and after", "date:>9999", parsedQuery{From: lastDate}},
		{"time zone before year 0000", "date:<=0000-01-01T00:00:00+05:00", parsedQuery{To: firstDate}},
	})
}

func TestParseQueryInvalidDate(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"word", "غزة date:yesterday", `date: value "yesterday" is not a date`},
		{"month 13", "date:2024-13", `"2024-13" is not a date`},
		{"day 30 of February", "date:2024-02-30", `"2024-02-30" is not a date`},
		{"two-digit year", "date:24", `"24" is not a date`},
		{"single-digit month", "date:2024-5", `"2024-5" is not a date`},
		{"slashes", "date:2024/05/01", `"2024/05/01" is not a date`},
		{"range ends before it starts", "date:2025..2024", `"2025..2024" ends before it starts`},
		{"empty range", "date:..", `".." has no date`},
		{"bad range side", "date:2024..soon", `"2024..soon" is not a date`},
		{"bad comparison", "date:>=soon", `">=soon" is not a date`},
		{"quoted value", `date:"2024 05"`, `"2024 05" is not a date`},
		{"Arabic digits named as typed", "date:٢٠٢٤-١٣", `"٢٠٢٤-١٣" is not a date`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := parseQuery(tc.in)
			if err == nil {
				t.Fatalf("parseQuery(%q) = %s, want an error", tc.in, dumpQuery(q))
			}
			if !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("error %v does not wrap ErrInvalidQuery", err)
			}
			for _, part := range []string{tc.want, "date:YYYY-MM-DD", "date:A..B", "date:>=A"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not say %q", err, part)
				}
			}
			if !reflect.DeepEqual(q, parsedQuery{}) {
				t.Errorf("with the error, parseQuery returned %s; want the zero query", dumpQuery(q))
			}
		})
	}
}

func TestParseQueryCaps(t *testing.T) {
	var many []string
	for i := range 40 {
		many = append(many, "كلمة"+string(rune('ا'+i%20))+string(rune('0'+i/20)))
	}
	paste := strings.Join(many, " ")
	t.Run("32 groups, then filters still apply", func(t *testing.T) {
		q, err := parseQuery(paste + " -استثناء section:رياضة date:2024 OR آخر")
		if err != nil {
			t.Fatal(err)
		}
		want := parsedQuery{
			Groups:   words(many[:maxGroups]...),
			Excluded: []queryTerm{word("استثناء")},
			Filters:  map[string][]string{"section": {"رياضة"}},
			From:     day(2024, 1, 1), To: endOf(day(2025, 1, 1)),
		}
		if !reflect.DeepEqual(q, want) {
			t.Errorf("got  %s\nwant %s", dumpQuery(q), dumpQuery(want))
		}
	})
	t.Run("OR after the cap does not join the last group", func(t *testing.T) {
		q, _ := parseQuery(paste + " OR آخر")
		if last := q.Groups[len(q.Groups)-1]; len(last) != 1 {
			t.Errorf("last group %v; want one term", last)
		}
	})
	t.Run("500-character paste with stray operators is a word search", func(t *testing.T) {
		in := `قال الرئيس "إن الحكومة -ستعمل على* خفض الضرائب، OR | رفع الأجور` + strings.Repeat(" في العام المقبل، وفق ما أعلنه الوزير؟", 12)
		if n := len([]rune(in)); n < 500 {
			t.Fatalf("paste has %d characters", n)
		}
		q, err := parseQuery(in)
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Groups) != maxGroups || q.Groups[0][0] != word("قال") || q.Groups[2][0] != word("إن") {
			t.Errorf("got %s", dumpQuery(q))
		}
		if len(q.Excluded) != 1 || q.Excluded[0] != word("ستعمل") {
			t.Errorf("excluded %v; want the one -word", q.Excluded)
		}
	})
	t.Run("bytes after 4096 are ignored, cut at a space", func(t *testing.T) {
		in := strings.Repeat("ب", maxQueryBytes/2-5) + " أول " + strings.Repeat("ج", 100)
		q, _ := parseQuery(in)
		if len(q.Groups) != 2 || q.Groups[1][0] != word("أول") {
			t.Errorf("got %d groups, last %v; want the long word and أول", len(q.Groups), q.Groups[len(q.Groups)-1])
		}
	})
	t.Run("one huge word is cut at a rune boundary", func(t *testing.T) {
		q, _ := parseQuery(strings.Repeat("ب", maxQueryBytes))
		if len(q.Groups) != 1 || q.Groups[0][0].Text != strings.Repeat("ب", maxQueryBytes/2) {
			t.Errorf("got %d groups", len(q.Groups))
		}
	})
}

func TestParseDateParam(t *testing.T) {
	tests := []struct {
		name, in string
		end      bool
		want     time.Time
	}{
		{"empty is open", "", false, time.Time{}},
		{"spaces are open", "  ", true, time.Time{}},
		{"day start", "2024-05-01", false, day(2024, 5, 1)},
		{"day end", "2024-05-01", true, endOf(day(2024, 5, 2))},
		{"month start", "2024-05", false, day(2024, 5, 1)},
		{"month end", "2024-02", true, endOf(day(2024, 3, 1))},
		{"year end", "2024", true, endOf(day(2025, 1, 1))},
		{"RFC 3339 is itself as a start", "2024-05-01T09:30:00+03:00", false, time.Date(2024, 5, 1, 6, 30, 0, 0, time.UTC)},
		{"RFC 3339 is itself as an end", "2024-05-01T09:30:00Z", true, time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)},
		{"Arabic-Indic digits", "٢٠٢٤-٠٥-٠١", false, day(2024, 5, 1)},
		{"surrounding spaces", " 2024 ", false, day(2024, 1, 1)},
		{"the year 1 is a bound, not open", "0001-01-01", false, time.Time{}.Add(time.Nanosecond)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseDateParam("from", tc.in, tc.end)
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("parseDateParam(%q, %v) = %v, %v; want %v", tc.in, tc.end, got, err, tc.want)
			}
		})
	}
	for _, in := range []string{"yesterday", "2024-13", "2024-02-30", "24", "2024/05/01", "2024-05-01..2024-06-01", ">=2024"} {
		t.Run("invalid "+in, func(t *testing.T) {
			_, err := parseDateParam("to", in, true)
			if !errors.Is(err, ErrInvalidQuery) {
				t.Fatalf("parseDateParam(to, %q) = %v; want ErrInvalidQuery", in, err)
			}
			for _, part := range []string{"parameter to=", "YYYY-MM-DD", "YYYY-MM", "RFC 3339"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not say %q", err, part)
				}
			}
		})
	}
}

// queryFuzzSeeds are the nasty inputs of the table tests and of the issue:
// stray operators, unbalanced quotes, invisible marks, Arabic punctuation
// and digits, bad dates, a long paste, invalid UTF-8.
var queryFuzzSeeds = []string{
	"",
	"المدرسة",
	`"المدرسة" الكتا*`,
	`"المدرسة الكبيرة`,
	`غزة -"وقف إطلاق النار" OR هدنة*`,
	"«الذكاء الاصطناعي» section:\"شؤون دولية\" tag:موازنة",
	"\u200F\"ترامب\u200F\" \u200F-بايدن \u061COR\u2069 بوتين",
	"شركة،دولة؛لماذا؟لأن ٩٧٫٤ ١٬٥٠٠ 1,500 .5 2024.",
	"OR | OR - -- * ** : \" » « ” “",
	"date:2024-05-01 date:٢٠٢٤-٠٥ date:2024-01..2024-03 date:>=2024-01 date:<2025 date:..2024-02",
	"date:2024-13 date:yesterday date:2025..2024 date:.. date:>",
	"date:>9999 date:<=0000-01-01T00:00:00+05:00 date:<0001",
	"-section:رياضة -date:soon foo:bar http://x.y section: (date:2024..).",
	"ab*cd ا* *غزة -*-مصر covid-19 O'Brien",
	strings.Repeat("كلمة ", 120),
	"\xff\xfe\x00ترامب\xd8 \xd9\x8e",
	"\uFEFFOpen\u00ADAI \u202Bمدر\u200Dسة\u202C ترامب\u200Bبايدن",
}

// FuzzParseQuery holds parseQuery to the promise that no input is
// an error except a bad date: for any input, valid UTF-8 or not, it does
// not panic; it fails only when the input (invisible marks removed, any
// case) holds "date:", and then with ErrInvalidQuery; every term's Text is
// non-empty valid UTF-8 with something the analyzer can search; the caps
// hold; String() reads back into the same query; parsing the terms' texts
// put together does not panic.
//
//	go test ./index -run xxx -fuzz FuzzParseQuery -fuzztime 3m
func FuzzParseQuery(f *testing.F) {
	for _, s := range queryFuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		q, err := parseQuery(in)
		if err != nil {
			plain := strings.ToLower(strings.Map(func(r rune) rune {
				if analyzer.IsInvisible(r) {
					return -1
				}
				return r
			}, strings.ToValidUTF8(in, " ")))
			if !strings.Contains(plain, "date:") {
				t.Fatalf("parseQuery(%q): %v, but the input has no date:", in, err)
			}
			if !errors.Is(err, ErrInvalidQuery) {
				t.Fatalf("parseQuery(%q): %v does not wrap ErrInvalidQuery", in, err)
			}
			return
		}
		if len(q.Groups) > maxGroups || len(q.Excluded) > maxExcluded {
			t.Fatalf("%d groups, %d excluded: over the caps", len(q.Groups), len(q.Excluded))
		}
		var texts []string
		check := func(x queryTerm) {
			if x.Text == "" || !utf8.ValidString(x.Text) || len(analyzeWords(x.Text)) == 0 {
				t.Fatalf("parseQuery(%q): term %+v is empty, invalid or has nothing to search", in, x)
			}
			if x.Phrase && x.Prefix {
				t.Fatalf("parseQuery(%q): term %+v is a phrase and a prefix", in, x)
			}
			texts = append(texts, x.Text)
		}
		for _, g := range q.Groups {
			if len(g) == 0 || len(g) > maxAlternatives {
				t.Fatalf("parseQuery(%q): group of %d terms", in, len(g))
			}
			for _, x := range g {
				check(x)
			}
		}
		for _, x := range q.Excluded {
			check(x)
		}
		for k, vs := range q.Filters {
			if len(vs) == 0 || len(vs) > maxFilterValues {
				t.Fatalf("parseQuery(%q): filter %s has %d values", in, k, len(vs))
			}
			for _, v := range vs {
				if v != strings.TrimSpace(v) || !utf8.ValidString(v) || len(analyzeWords(v)) == 0 {
					t.Fatalf("parseQuery(%q): filter %s value %q", in, k, v)
				}
			}
		}
		if s := q.String(); len(s) <= maxQueryBytes {
			again, err := parseQuery(s)
			if err != nil || !reflect.DeepEqual(again, q) {
				t.Fatalf("parseQuery(%q) = %s\nits String() %q reads back as %s, %v", in, dumpQuery(q), s, dumpQuery(again), err)
			}
		}
		_, _ = parseQuery(strings.Join(texts, " "))
	})
}

// TestInvisibleMatchesAnalyzer pins analyzer.IsInvisible, the set
// parseQuery deletes, to what analyzer.Normalize removes: among the format
// characters (Cf) and the soft hyphen, exactly those.
func TestInvisibleMatchesAnalyzer(t *testing.T) {
	n := 0
	for _, rt := range unicode.Cf.R16 {
		for r := rune(rt.Lo); r <= rune(rt.Hi); r += rune(rt.Stride) {
			if r == 0x06DD {
				continue // ۝ is in the Quranic marks Normalize drops, but the tokenizer splits words at it
			}
			removed := string(analyzer.Normalize([]byte("ب"+string(r)+"ب"))) == "بب"
			if removed != analyzer.IsInvisible(r) {
				t.Errorf("U+%04X: analyzer removes it %v, IsInvisible %v", r, removed, analyzer.IsInvisible(r))
			}
			if removed {
				n++
			}
		}
	}
	if n < 15 {
		t.Errorf("only %d format characters removed; the test reads the wrong table", n)
	}
}

// BenchmarkParseQuery parses a typical query with operators and a long
// pasted paragraph, and checks the result each time.
//
//	go test ./index -run xxx -bench BenchmarkParseQuery -benchtime 2s
func BenchmarkParseQuery(b *testing.B) {
	paste := strings.Repeat(`قال الرئيس "إن الحكومة ستعمل على خفض الضرائب، ورفع الأجور في العام المقبل" وفق ما أعلنه الوزير؟ `, 40)
	cases := []struct {
		name, in string
		groups   int
	}{
		{"typical", `"وقف إطلاق النار" غزة OR رفح -رياضة section:سياسة date:2024-05 الهدن*`, 3},
		{"paste4KB", paste, maxGroups},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(min(len(bc.in), maxQueryBytes)))
			b.ReportAllocs()
			for b.Loop() {
				q, err := parseQuery(bc.in)
				if err != nil || len(q.Groups) != bc.groups {
					b.Fatalf("parseQuery: %d groups, %v; want %d", len(q.Groups), err, bc.groups)
				}
			}
		})
	}
}
