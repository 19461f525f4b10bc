package analyzer_test

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2/analysis"
)

// fuzzSeeds are the tricky inputs of the table tests, so that the fuzzer
// starts from the places where the analyzers branch.
var fuzzSeeds = []string{
	"",
	"المَدْرَسَةِ الكـــبيرة",
	"الذَّكَاءُ الاصْطِنَاعِيُّ لم يَعُدْ رفاهيةً",
	"هٰذه الرحمٰن محمد\u0610 العالمين\u06D6 ـــكتب كتبَـ",
	"أحمد إسلام آمال ٱلذكاء ٲحمد ٳسلام ٵحمد",
	"مستوى مدرسة فارسی بېت کتاب ڪتاب خانۀ مدرسە مدرسہ شھر",
	"مسؤول مسئول شيء شئ شيئًا سؤال رئيس يئس مسٴول مائة مئة شييء",
	"ﻣﺪﺭﺳﺔ ﻻ سﻼم رﺋيس ﷲ محمد ﷺ اللهﷻ ﷽ ﴿بسم الله﴾ ﴾﴿ ＯｐｅｎＡＩ \uFE70",
	"٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ٩٧٫٤ ١٬٥٠٠ 1,500 2024. 1,,500 .5 2024م عام2024",
	"مدر\u200Cسة مدر\u200Dسة Open\u200EAI Open\u200FAI مدر\u061Cسة مدر\u202Aسة مدر\u202Eسة مدر\u2066سة مدر\u2069سة مدر\uFEFFسة Open\u00ADAI",
	"OpenAI\u200F وتشمل \u200Fكتب كتب\u200F\u200E\u2069 كتب\u200Bقلم",
	"لـOpenAI gpt4 covid19 4K Société société Straße Ærø ŒUVRE ΑΘΗΝΑ",
	"شركة،دولة؛لماذا؟لأن ٣٥٪ «رمال» پاکستان۔اور كٮاب",
	"والشركة وقال وزير وزيرة وطني ولد ورد فريق فرنسا بالشركة كالنفط فالشركات للشركة الدم والده بالله",
	"بشركة لشركة كشريك بلد لعام بلاده لاعبين سيعلن ستطلق سيارة سيارات عامًا رسميًا سوريا",
	"شركتها كتابهم كتابهما حكومتنا يده مسؤولون مسؤولية فلسطيني سياسيون شركتين دولة",
	"لبنان اللبنانية وزارة غزة عمان إيران الإيرانية السودان بالسودان الله والله واشنطن",
	"وزير في لبنان من هو و ب ال",
	"Nguyễn Ǆemal ǅ İstanbul ΣΟΦΙΑ \u2126hm \u212Aelvin Ⅻ ﬀ", // letters whose lowercase is another letter
	"\xd9\x8e\xd8", // a fatha, then a truncated letter
	"\xff\xfe\x00abc\xd8\xa7",
}

// FuzzAnalyze checks the invariants of STYLE.md rule 6 on NewNews,
// NewExact and NewPairs: no panic; terms non-empty valid UTF-8;
// 0 <= Start <= End <= len(in); positions never go back; normalizing a
// token's surface twice changes nothing. Also: the input is not modified,
// an Exact term is the normalized surface, and every pair is made of two
// adjacent News tokens.
//
//	go test -fuzz FuzzAnalyze -fuzztime 60s ./analyzer
func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	if raw, err := os.ReadFile(articlePath); err == nil {
		for _, p := range strings.Split(string(raw), "\n\n") {
			f.Add(p)
		}
	}
	news, exact, pairs := analyzer.NewNews(), analyzer.NewExact(), analyzer.NewPairs()
	f.Fuzz(func(t *testing.T, in string) {
		buf := []byte(in)
		n := analyzeChecked(t, "NewNews", news, in, buf)
		e := analyzeChecked(t, "NewExact", exact, in, buf)
		p := analyzeChecked(t, "NewPairs", pairs, in, buf)

		for _, x := range n {
			assertSurfaceIdempotent(t, "NewNews", in, x)
		}
		for _, x := range e {
			assertSurfaceIdempotent(t, "NewExact", in, x)
			if norm := analyzer.Normalize([]byte(in[x.Start:x.End])); string(norm) != string(x.Term) {
				t.Errorf("NewExact term %q differs from the normalized surface %q", x.Term, norm)
			}
		}

		// A word with two readings (a bare ب، ل or ك) gives two News tokens
		// at one position; pairs are made of the first reading.
		var firsts []analysis.Token
		for i, x := range n {
			if i == 0 || x.Position != n[i-1].Position {
				firsts = append(firsts, x)
			}
		}
		n = firsts
		if want := max(0, len(n)-1); len(p) != want {
			t.Fatalf("NewPairs made %d pairs of %d News positions; want %d", len(p), len(n), want)
		}
		for i, x := range p {
			a, b := n[i], n[i+1]
			if string(x.Term) != string(a.Term)+" "+string(b.Term) || x.Start != a.Start || x.End != b.End || x.Position != a.Position {
				t.Errorf("pair %d = %q [%d:%d] @%d; want %q [%d:%d] @%d", i, x.Term, x.Start, x.End, x.Position,
					string(a.Term)+" "+string(b.Term), a.Start, b.End, a.Position)
			}
		}
	})
}

// analyzeChecked analyzes buf (the bytes of in) and checks the invariants
// every analyzer must keep. It returns copies of the tokens, since a later
// analysis may reuse nothing of them but the tests compare across analyzers.
func analyzeChecked(t *testing.T, name string, a analysis.Analyzer, in string, buf []byte) []analysis.Token {
	t.Helper()
	ts := a.Analyze(buf)
	if string(buf) != in {
		t.Fatalf("%s modified its input: %q became %q", name, in, buf)
	}
	out := make([]analysis.Token, 0, len(ts))
	prev := 0
	for i, x := range ts {
		switch {
		case len(x.Term) == 0:
			t.Fatalf("%s: token %d [%d:%d] has an empty term", name, i, x.Start, x.End)
		case !utf8.Valid(x.Term):
			t.Fatalf("%s: token %d [%d:%d] term %q is not valid UTF-8", name, i, x.Start, x.End, x.Term)
		case x.Start < 0 || x.Start > x.End || x.End > len(in):
			t.Fatalf("%s: token %d %q offsets [%d:%d] outside 0..%d", name, i, x.Term, x.Start, x.End, len(in))
		case x.Position < 1 || x.Position < prev:
			t.Fatalf("%s: token %d %q position %d after %d", name, i, x.Term, x.Position, prev)
		}
		prev = x.Position
		c := *x
		c.Term = []byte(string(x.Term))
		out = append(out, c)
	}
	return out
}

// assertSurfaceIdempotent checks that normalizing the surface of x twice
// changes nothing.
func assertSurfaceIdempotent(t *testing.T, name, in string, x analysis.Token) {
	t.Helper()
	surface := in[x.Start:x.End]
	once := analyzer.Normalize([]byte(surface))
	twice := analyzer.Normalize([]byte(string(once)))
	if string(once) != string(twice) {
		t.Errorf("%s: Normalize is not idempotent on the surface %q: once %q, twice %q", name, surface, once, twice)
	}
}
