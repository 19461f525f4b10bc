package analyzer_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2/analysis"
	"golang.org/x/text/unicode/norm"
)

// tok is a token as the tests assert it (STYLE.md rule 5): the term it
// indexes and the surface it was made from, Surface = in[Start:End]. Arabic
// byte offsets can't be read; surfaces can.
type tok struct{ Term, Surface string }

// String quotes both parts so that invisible characters show as escapes.
func (t tok) String() string { return fmt.Sprintf("{%q %q}", t.Term, t.Surface) }

// none is an expected result with no tokens at all (nil in a table means
// "not checked" or "same as want", depending on the field).
var none = []tok{}

// tokenize runs the Tokenizer alone.
func tokenize(in string) analysis.TokenStream {
	return analyzer.Tokenizer{}.Tokenize([]byte(in))
}

// normalizeOnly runs the Tokenizer and the NormalizeFilter, nothing else:
// the filter alone, as opposed to the assembled analyzers.
func normalizeOnly(in string) analysis.TokenStream {
	return analyzer.NormalizeFilter{}.Filter(tokenize(in))
}

// analyze runs an assembled analyzer over a fresh copy of in.
func analyze(a analysis.Analyzer, in string) analysis.TokenStream {
	return a.Analyze([]byte(in))
}

// toks turns a token stream over in into {Term, Surface} pairs, failing the
// test at once if an offset does not point into in.
func toks(t testing.TB, in string, ts analysis.TokenStream) []tok {
	t.Helper()
	out := make([]tok, 0, len(ts))
	for i, x := range ts {
		if x.Start < 0 || x.Start > x.End || x.End > len(in) {
			t.Fatalf("token %d (%q) has offsets [%d:%d] outside the %d bytes of %q", i, x.Term, x.Start, x.End, len(in), in)
		}
		out = append(out, tok{Term: string(x.Term), Surface: in[x.Start:x.End]})
	}
	return out
}

// assertToks compares what one pipeline made of in with want.
func assertToks(t *testing.T, pipeline, in string, ts analysis.TokenStream, want []tok) {
	t.Helper()
	if got := toks(t, in, ts); !slices.Equal(got, want) {
		t.Errorf("%s(%q)\n got %v\nwant %v", pipeline, in, got, want)
	}
}

// assertNamed runs the analyzer registered under name, as an index mapping
// would reach it, and compares with want.
func assertNamed(t *testing.T, name, in string, want []tok) {
	t.Helper()
	res, err := analyzer.AnalyzeNamed(name, in)
	if err != nil {
		t.Fatalf("AnalyzeNamed(%q): %v", name, err)
	}
	got := make([]tok, 0, len(res))
	for _, x := range res {
		got = append(got, tok{Term: x.Term, Surface: x.Surface})
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s(%q)\n got %v\nwant %v", name, in, got, want)
	}
}

// assertIdempotent checks, for every word the tokenizer finds in in, that
// normalizing its surface twice changes nothing, and that every term the
// NormalizeFilter emits is a fixed point of Normalize.
func assertIdempotent(t *testing.T, in string) {
	t.Helper()
	for _, x := range tokenize(in) {
		once := analyzer.Normalize(slices.Clone(x.Term))
		twice := analyzer.Normalize(slices.Clone(once))
		if string(once) != string(twice) {
			t.Errorf("Normalize is not idempotent on %q: once %q, twice %q", x.Term, once, twice)
		}
	}
	for _, x := range normalizeOnly(in) {
		if again := analyzer.Normalize(slices.Clone(x.Term)); string(again) != string(x.Term) {
			t.Errorf("NormalizeFilter term %q is not a fixed point of Normalize: %q", x.Term, again)
		}
	}
}

// normCase is one row of the normalization tables.
type normCase struct {
	name, in string
	want     []tok // Tokenizer + NormalizeFilter alone, and ar_norm_v1
	exact    []tok // ar_exact_v2 (stop words removed); nil: the same as want
	news     []tok // ar_news_v3 (stemmed); nil: not checked by this case
}

// runNormCases runs each case through the filter alone and through the
// assembled analyzers, by constructor and by registered name, so that a
// filter that is written but not wired in fails.
func runNormCases(t *testing.T, tests []normCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertToks(t, "Tokenizer+NormalizeFilter", tc.in, normalizeOnly(tc.in), tc.want)
			assertToks(t, "NewNormalized", tc.in, analyze(analyzer.NewNormalized(), tc.in), tc.want)
			assertNamed(t, analyzer.Normalized, tc.in, tc.want)
			exact := tc.exact
			if exact == nil {
				exact = tc.want
			}
			assertToks(t, "NewExact", tc.in, analyze(analyzer.NewExact(), tc.in), exact)
			assertNamed(t, analyzer.Exact, tc.in, exact)
			if tc.news != nil {
				assertToks(t, "NewNews", tc.in, analyze(analyzer.NewNews(), tc.in), tc.news)
				assertNamed(t, analyzer.News, tc.in, tc.news)
			}
			assertIdempotent(t, tc.in)
		})
	}
}

// one is the expected result for an input that is a single word.
func one(term, surface string) []tok { return []tok{{term, surface}} }

func TestNormalize(t *testing.T) {
	tests := []normCase{
		// U+064B–U+065F: tanween, harakat, shadda, sukun, maddah, hamza above/below.
		{name: "fathatan U+064B (tanween)", in: "كتابًا", want: one("كتابا", "كتابًا")},
		{name: "dammatan U+064C (tanween)", in: "كتابٌ", want: one("كتاب", "كتابٌ")},
		{name: "kasratan U+064D (tanween)", in: "كتابٍ", want: one("كتاب", "كتابٍ")},
		{name: "fatha U+064E", in: "كَتب", want: one("كتب", "كَتب")},
		{name: "damma U+064F", in: "كتُب", want: one("كتب", "كتُب")},
		{name: "kasra U+0650", in: "بِنت", want: one("بنت", "بِنت")},
		{name: "shadda U+0651", in: "محمّد", want: one("محمد", "محمّد")},
		{name: "sukun U+0652", in: "مدْرسة", want: one("مدرسه", "مدْرسة")},
		{name: "maddah above U+0653 after alef reads as آ", in: "ا\u0653مال", want: one("امال", "ا\u0653مال")},
		{name: "hamza above U+0654 after alef reads as أ", in: "ا\u0654حمد", want: one("احمد", "ا\u0654حمد")},
		{name: "hamza below U+0655 after alef reads as إ", in: "ا\u0655سلام", want: one("اسلام", "ا\u0655سلام")},
		{
			name: "full vocalization of a phrase", in: "الذَّكَاءُ الاصْطِنَاعِيُّ",
			want: []tok{{"الذكاء", "الذَّكَاءُ"}, {"الاصطناعي", "الاصْطِنَاعِيُّ"}},
		},
		{
			name: "vocalized word equals the bare word in News", in: "المَدْرَسَةِ المدرسة",
			want: []tok{{"المدرسه", "المَدْرَسَةِ"}, {"المدرسه", "المدرسة"}},
			news: []tok{{"مدرس", "المَدْرَسَةِ"}, {"مدرس", "المدرسة"}},
		},

		// U+0670, U+0610–U+061A, U+06D6–U+06ED, U+0640.
		{name: "superscript alef U+0670", in: "الرحمٰن", want: one("الرحمن", "الرحمٰن")},
		{name: "superscript alef U+0670 in a stop word", in: "هٰذه", want: one("هذه", "هٰذه"), exact: none},
		{name: "honorific sign U+0610 above a name", in: "محمد\u0610", want: one("محمد", "محمد\u0610")},
		{name: "Quranic small high tah U+0615", in: "قا\u0615ل", want: one("قال", "قا\u0615ل")},
		{name: "small kasra U+061A", in: "كت\u061Aب", want: one("كتب", "كت\u061Aب")},
		{name: "Quranic annotation U+06D6", in: "العالمين\u06D6", want: one("العالمين", "العالمين\u06D6")},
		{name: "Quranic small high meem U+06E2", in: "سمي\u06E2ع", want: one("سميع", "سمي\u06E2ع")},
		{name: "Quranic small low meem U+06ED", in: "عل\u06EDيم", want: one("عليم", "عل\u06EDيم")},
		{name: "tatweel U+0640 once", in: "كـبير", want: one("كبير", "كـبير")},
		{
			name: "tatweel U+0640 many", in: "الكـــبيرة",
			want: one("الكبيره", "الكـــبيرة"),
			news: one("كبير", "الكـــبيرة"),
		},

		// Alef forms -> U+0627 ا.
		{name: "alef with hamza above U+0623 أ", in: "أحمد", want: one("احمد", "أحمد")},
		{name: "alef with hamza below U+0625 إ", in: "إسلام", want: one("اسلام", "إسلام")},
		{name: "alef with madda U+0622 آ", in: "آمال", want: one("امال", "آمال")},
		{name: "alef wasla U+0671 ٱ", in: "ٱلذكاء", want: one("الذكاء", "ٱلذكاء")},
		{name: "alef wavy hamza above U+0672 ٲ", in: "ٲحمد", want: one("احمد", "ٲحمد")},
		{name: "alef wavy hamza below U+0673 ٳ", in: "ٳسلام", want: one("اسلام", "ٳسلام")},
		{name: "high hamza alef U+0675 ٵ", in: "ٵحمد", want: one("احمد", "ٵحمد")},

		// Yeh, heh and kaf forms.
		{name: "alef maksura U+0649 ى -> ي", in: "مستوى", want: one("مستوي", "مستوى")},
		{
			name: "alef maksura and yeh meet in News", in: "مستوى مستوي",
			want: []tok{{"مستوي", "مستوى"}, {"مستوي", "مستوي"}},
			news: []tok{{"مستو", "مستوى"}, {"مستو", "مستوي"}},
		},
		{name: "teh marbuta U+0629 ة -> ه", in: "مدرسة", want: one("مدرسه", "مدرسة")},
		{
			name: "teh marbuta and heh meet in News", in: "الشركة الشركه",
			want: []tok{{"الشركه", "الشركة"}, {"الشركه", "الشركه"}},
			news: []tok{{"شرك", "الشركة"}, {"شرك", "الشركه"}},
		},
		{name: "Persian yeh U+06CC ی -> ي", in: "فارسی", want: one("فارسي", "فارسی")},
		{name: "Pashto yeh U+06D0 ې -> ي", in: "بېت", want: one("بيت", "بېت")},
		{name: "keheh U+06A9 ک -> ك", in: "کتاب", want: one("كتاب", "کتاب")},
		{name: "swash kaf U+06AA ڪ -> ك", in: "ڪتاب", want: one("كتاب", "ڪتاب")},
		{name: "heh with yeh above U+06C0 ۀ -> ه", in: "خانۀ", want: one("خانه", "خانۀ")},
		{name: "ae U+06D5 ە -> ه", in: "مدرسە", want: one("مدرسه", "مدرسە")},
		{name: "heh goal U+06C1 ہ -> ه", in: "مدرسہ", want: one("مدرسه", "مدرسہ")},
		{name: "heh doachashmee U+06BE ھ -> ه", in: "شھر", want: one("شهر", "شھر")},

		// Hamza policy: every seat folds to ء; a ي just before the hamza goes.
		{name: "hamza on waw U+0624 مسؤول", in: "مسؤول", want: one("مسءول", "مسؤول")},
		{name: "hamza on yeh U+0626 مسئول", in: "مسئول", want: one("مسءول", "مسئول")},
		{
			name: "مسؤول equals مسئول", in: "مسؤول مسئول",
			want: []tok{{"مسءول", "مسؤول"}, {"مسءول", "مسئول"}},
			news: []tok{{"مسءول", "مسؤول"}, {"مسءول", "مسئول"}},
		},
		{
			name: "شيء equals شئ (ي before hamza dropped)", in: "شيء شئ",
			want: []tok{{"شء", "شيء"}, {"شء", "شئ"}},
			news: []tok{{"شء", "شيء"}, {"شء", "شئ"}},
		},
		{name: "شيئا becomes شءا", in: "شيئا", want: one("شءا", "شيئا")},
		{name: "شؤون equals شئون", in: "شؤون شئون", want: []tok{{"شءون", "شؤون"}, {"شءون", "شئون"}}},
		{name: "سؤال", in: "سؤال", want: one("سءال", "سؤال")},
		{name: "رئيس", in: "رئيس", want: one("رءيس", "رئيس")},
		{name: "yeh starting the word before hamza is kept", in: "يئس", want: one("يءس", "يئس")},
		{name: "high hamza U+0674 ٴ -> ء", in: "مسٴول", want: one("مسءول", "مسٴول")},
		{name: "hamza on alef is an alef, not a seat", in: "سأل", want: one("سال", "سأل")},
		{
			// Documented known failure: when this fails, update the doc comment.
			name: "known failure: مائة and مئة stay apart", in: "مائة مئة",
			want: []tok{{"ماءه", "مائة"}, {"مءه", "مئة"}},
		},

		// Presentation forms and ligatures (NFKC).
		{
			name: "presentation forms ﻣﺪﺭﺳﺔ equal مدرسة", in: "ﻣﺪﺭﺳﺔ مدرسة",
			want: []tok{{"مدرسه", "ﻣﺪﺭﺳﺔ"}, {"مدرسه", "مدرسة"}},
			news: []tok{{"مدرس", "ﻣﺪﺭﺳﺔ"}, {"مدرس", "مدرسة"}},
		},
		{name: "lam-alef ligature U+FEFB ﻻ -> لا (a stop word)", in: "ﻻ", want: one("لا", "ﻻ"), exact: none},
		{name: "lam-alef final form U+FEFC inside a word", in: "سﻼم", want: one("سلام", "سﻼم")},
		{name: "hamza-on-yeh presentation form U+FE8B folds like ئ", in: "رﺋيس", want: one("رءيس", "رﺋيس")},
		{
			name: "Allah ligature U+FDF2 ﷲ -> الله, not stemmed to له", in: "ﷲ الله",
			want: []tok{{"الله", "ﷲ"}, {"الله", "الله"}},
			news: []tok{{"الله", "ﷲ"}, {"الله", "الله"}},
		},
		{
			name: "salla ligature U+FDFA ﷺ is a separator", in: "محمد ﷺ قال محمدﷺ",
			want: []tok{{"محمد", "محمد"}, {"قال", "قال"}, {"محمد", "محمد"}},
		},
		{name: "jalla ligature U+FDFB ﷻ is a separator", in: "اللهﷻ", want: one("الله", "الله")},
		{name: "basmala ligature U+FDFD ﷽ is a separator", in: "﷽ بسم", want: one("بسم", "بسم")},
		{
			name: "ornate parentheses ﴾ ﴿ separate and do not hang", in: "﴿بسم الله﴾ ﴾﴿",
			want: []tok{{"بسم", "بسم"}, {"الله", "الله"}},
		},
		{name: "full-width Latin U+FF21.. folds to ASCII", in: "ＯｐｅｎＡＩ", want: one("openai", "ＯｐｅｎＡＩ")},

		// Digits and number separators.
		{name: "Arabic-Indic digits U+0660–U+0669", in: "٠١٢٣٤٥٦٧٨٩", want: one("0123456789", "٠١٢٣٤٥٦٧٨٩")},
		{name: "Extended Arabic-Indic digits U+06F0–U+06F9", in: "۰۱۲۳۴۵۶۷۸۹", want: one("0123456789", "۰۱۲۳۴۵۶۷۸۹")},
		{
			name: "٢٠٢٤ equals ۲۰۲۴ equals 2024", in: "٢٠٢٤ ۲۰۲۴ 2024",
			want: []tok{{"2024", "٢٠٢٤"}, {"2024", "۲۰۲۴"}, {"2024", "2024"}},
			news: []tok{{"2024", "٢٠٢٤"}, {"2024", "۲۰۲۴"}, {"2024", "2024"}},
		},
		{name: "Arabic decimal separator U+066B ٫", in: "٩٧٫٤", want: one("97.4", "٩٧٫٤"), news: one("97.4", "٩٧٫٤")},
		{name: "ASCII decimal point kept", in: "97.4", want: one("97.4", "97.4")},
		{name: "Arabic thousands separator U+066C ٬ removed", in: "١٬٥٠٠", want: one("1500", "١٬٥٠٠"), news: one("1500", "١٬٥٠٠")},
		{name: "ASCII comma thousands separator removed", in: "1,500", want: one("1500", "1,500"), news: one("1500", "1,500")},

		// Latin and other scripts.
		{
			name: "Latin lowercased and accent-folded", in: "Société",
			want: one("societe", "Société"),
			news: one("societ", "Société"),
		},
		{name: "Latin lowercase accents folded", in: "société", want: one("societe", "société")},
		{name: "sharp s ß -> ss", in: "Straße", want: one("strasse", "Straße")},
		{name: "æ -> ae and ø -> o", in: "Ærø", want: one("aero", "Ærø")},
		{name: "Œ -> oe", in: "ŒUVRE", want: one("oeuvre", "ŒUVRE")},
		{name: "ASCII lowercased", in: "OpenAI", want: one("openai", "OpenAI"), news: one("openai", "OpenAI")},
		{name: "other scripts lowercased", in: "ΑΘΗΝΑ", want: one("αθηνα", "ΑΘΗΝΑ")},
	}
	runNormCases(t, tests)
}

// invisibles are the characters NormalizeFilter's doc lists as removed
// inside a word, which the tokenizer never splits on.
var invisibles = []struct {
	name string
	r    rune
}{
	{"ZWNJ U+200C", 0x200C},
	{"ZWJ U+200D", 0x200D},
	{"LRM U+200E", 0x200E},
	{"RLM U+200F", 0x200F},
	{"ALM U+061C", 0x061C},
	{"LRE U+202A", 0x202A},
	{"RLE U+202B", 0x202B},
	{"PDF U+202C", 0x202C},
	{"LRO U+202D", 0x202D},
	{"RLO U+202E", 0x202E},
	{"LRI U+2066", 0x2066},
	{"RLI U+2067", 0x2067},
	{"FSI U+2068", 0x2068},
	{"PDI U+2069", 0x2069},
	{"BOM U+FEFF", 0xFEFF},
	{"soft hyphen U+00AD", 0x00AD},
}

func TestNormalizeInvisibleInsideWord(t *testing.T) {
	var tests []normCase
	for _, c := range invisibles {
		ar := "مدر" + string(c.r) + "سة"
		la := "Open" + string(c.r) + "AI"
		tests = append(tests,
			normCase{
				name: c.name + " inside an Arabic word", in: ar,
				want: one("مدرسه", ar),
				news: one("مدرس", ar),
			},
			normCase{
				name: c.name + " inside a Latin word", in: la,
				want: one("openai", la),
				news: one("openai", la),
			},
		)
	}
	runNormCases(t, tests)
}

// TestNormalizeRemovesEveryMark walks every code point of the mark ranges
// the doc lists, inside a word, through the filter and the analyzers.
func TestNormalizeRemovesEveryMark(t *testing.T) {
	ranges := []struct {
		name   string
		lo, hi rune
	}{
		{"tanween harakat shadda sukun", 0x064B, 0x065F},
		{"superscript alef", 0x0670, 0x0670},
		{"honorific signs", 0x0610, 0x061A},
		{"Quranic annotation marks", 0x06D6, 0x06ED},
		{"tatweel", 0x0640, 0x0640},
	}
	var tests []normCase
	for _, rg := range ranges {
		for r := rg.lo; r <= rg.hi; r++ {
			if r == 0x06DD || r == 0x06DE || r == 0x06E9 {
				continue // symbols among the Quranic marks: they separate words (TestQuranicSymbolsSeparateWords)
			}
			in := "كت" + string(r) + "ب"
			tests = append(tests, normCase{
				name: fmt.Sprintf("%s %U", rg.name, r), in: in,
				want: one("كتب", in),
			})
		}
	}
	runNormCases(t, tests)
}

// TestNormalizeIdempotent: normalizing a word twice changes nothing
// (STYLE.md rule 6), for every case of the tables above and for letters
// whose lowercase is itself an accented letter.
func TestNormalizeIdempotent(t *testing.T) {
	tests := []struct{ name, in string }{
		{"capital sharp s U+1E9E lowercases to ß", "STRAẞE"},
		{"angstrom sign U+212B lowercases to å", "\u212Bngström"},
		{"kelvin sign U+212A", "\u212Aelvin"},
		{"waw with high hamza U+0677 folds through ۇ and ٴ", "ٷ"},
		{"ligatures expanding past the input", "ﷲﷲﷲﷲﷲﷲ"},
		{"yeh runs before hamza", "شييء ييء بيَء"},
		{"marks between yeh and hamza", "شيٌّء"},
		{"presentation yeh before hamza", "شﻲء ﻱء"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertIdempotent(t, tc.in)
		})
	}
}

// TestNormalizeCanonicalEquivalence: canonically equivalent spellings
// (NFC and NFD of one word) are the same word to a reader, so they must
// normalize to one term. Decomposed text comes from macOS file names and
// some CMS exports.
func TestNormalizeCanonicalEquivalence(t *testing.T) {
	tests := []struct{ name, nfc string }{
		{"hamza on alef أ", "أحمد"},
		{"madda on alef آ", "آمال"},
		{"hamza below alef إ", "إسلام"},
		{"hamza on waw ؤ", "مسؤول"},
		{"hamza on yeh ئ", "رئيس"},
		{"heh with yeh above ۀ", "خانۀ"},
		{"Latin é", "Société"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nfd := norm.NFD.String(tc.nfc)
			if nfd == tc.nfc {
				t.Fatalf("%q has no decomposition; the case tests nothing", tc.nfc)
			}
			want := string(analyzer.Normalize([]byte(tc.nfc)))
			if got := string(analyzer.Normalize([]byte(nfd))); got != want {
				t.Errorf("Normalize(NFD %q) = %q, Normalize(NFC %q) = %q", nfd, got, tc.nfc, want)
			}
			assertToks(t, "Tokenizer+NormalizeFilter", nfd, normalizeOnly(nfd), one(want, nfd))
		})
	}
}

func TestNormalizeReturnsInputWhenNothingChanges(t *testing.T) {
	for _, w := range []string{"كتب", "openai", "2024", "شركه"} {
		in := []byte(w)
		if out := analyzer.Normalize(in); string(out) != w {
			t.Errorf("Normalize(%q) = %q; want it unchanged", w, out)
		}
	}
}

func TestNormalizeFilterDropsTokensOfMarksAlone(t *testing.T) {
	// U+FE70 is a spacing (letter) form of fathatan: the tokenizer sees a
	// word, normalization leaves nothing of it.
	in := "كتب \uFE70 قلم"
	assertToks(t, "Tokenizer+NormalizeFilter", in, normalizeOnly(in), []tok{{"كتب", "كتب"}, {"قلم", "قلم"}})
	ts := normalizeOnly(in)
	if len(ts) == 2 && ts[1].Position != 3 {
		t.Errorf("position after a dropped token = %d; want 3 (gaps are kept)", ts[1].Position)
	}
}

func TestStopWordsAreFixedPointsOfNormalize(t *testing.T) {
	words := analyzer.StopWords()
	if len(words) < 100 {
		t.Fatalf("StopWords() has %d entries; want the whole list", len(words))
	}
	for _, w := range words {
		if got := string(analyzer.Normalize([]byte(w))); got != w {
			t.Errorf("stop word %q is not normalized: Normalize gives %q", w, got)
		}
		if !analyzer.IsStopWord(w) {
			t.Errorf("IsStopWord(%q) = false for an entry of StopWords()", w)
		}
		if !utf8.ValidString(w) || strings.TrimSpace(w) != w || w == "" {
			t.Errorf("stop word %q is not one clean word", w)
		}
	}
}

func TestStopWordsIncludeConjunctionForms(t *testing.T) {
	// The doc: the same words with a leading و or ف (وفي، فقد، ولم ...), the
	// lone letters and the bare article (و، ب، ال), a few English words.
	for _, w := range []string{"في", "وفي", "فقد", "ولم", "ومن", "فان", "و", "ب", "ال", "هءلاء", "the", "of"} {
		if !analyzer.IsStopWord(w) {
			t.Errorf("IsStopWord(%q) = false", w)
		}
	}
	// Deliberately not stop words: قال/كان as verbs of substance ... قال is not.
	for _, w := range []string{"قال", "شرك", "لبنان"} {
		if analyzer.IsStopWord(w) {
			t.Errorf("IsStopWord(%q) = true; want false", w)
		}
	}
}

func TestStopFilter(t *testing.T) {
	tests := []struct {
		name, in string
		want     []tok
	}{
		{
			name: "unnormalized spellings of stop words go too", in: "إلى على هؤلاء أولئك حتى",
			want: none,
		},
		{
			name: "و/ف forms go", in: "وفي فقد ولم الشركة",
			want: one("الشركه", "الشركة"),
		},
		{
			name: "English function words go", in: "the State of Palestine",
			want: []tok{{"state", "State"}, {"palestine", "Palestine"}},
		},
		{
			name: "a query of stop words alone finds nothing (deliberate loss)", in: "من هو",
			want: none,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			filtered := analyzer.StopFilter{}.Filter(normalizeOnly(tc.in))
			assertToks(t, "Tokenizer+NormalizeFilter+StopFilter", tc.in, filtered, tc.want)
			assertToks(t, "NewExact", tc.in, analyze(analyzer.NewExact(), tc.in), tc.want)
			assertNamed(t, analyzer.Exact, tc.in, tc.want)
		})
	}
}

func TestStopFilterKeepsPositionGaps(t *testing.T) {
	ts := analyze(analyzer.NewExact(), "وزير في لبنان")
	var got []int
	for _, x := range ts {
		got = append(got, x.Position)
	}
	if want := []int{1, 3}; !slices.Equal(got, want) {
		t.Errorf("positions = %v; want %v (the stop word's position stays empty)", got, want)
	}
}
