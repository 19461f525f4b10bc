package analyzer_test

import (
	"os"
	"slices"
	"testing"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2/analysis"
)

// TestTokenize asserts the words the tokenizer finds, as {Term, Surface}
// after normalization (ar_norm_v1, so that stop words stay visible). The
// tokenizer alone is checked too: the same surfaces, with Term = Surface.
func TestTokenize(t *testing.T) {
	tests := []struct {
		name, in string
		want     []tok
	}{
		// Arabic punctuation separates words.
		{name: "Arabic comma U+060C ،", in: "شركة،دولة", want: []tok{{"شركه", "شركة"}, {"دوله", "دولة"}}},
		{name: "Arabic semicolon U+061B ؛", in: "شركة؛دولة", want: []tok{{"شركه", "شركة"}, {"دوله", "دولة"}}},
		{name: "Arabic question mark U+061F ؟", in: "لماذا؟لأن", want: []tok{{"لماذا", "لماذا"}, {"لان", "لأن"}}},
		{name: "Arabic percent sign U+066A ٪", in: "٣٥٪", want: one("35", "٣٥")},
		{name: "Arabic percent sign between words", in: "نسبة٪كبيرة", want: []tok{{"نسبه", "نسبة"}, {"كبيره", "كبيرة"}}},
		{name: "guillemets « »", in: "«رمال»", want: one("رمال", "رمال")},
		{name: "Arabic full stop U+06D4 ۔", in: "پاکستان۔اور", want: []tok{{"پاكستان", "پاکستان"}, {"اور", "اور"}}},
		{name: "ASCII punctuation", in: "قال:\"نعم\"!", want: []tok{{"قال", "قال"}, {"نعم", "نعم"}}},
		{name: "en dash", in: "أبوظبي – أعلنت", want: []tok{{"ابوظبي", "أبوظبي"}, {"اعلنت", "أعلنت"}}},
		{name: "zero-width space U+200B separates", in: "كتب\u200Bقلم", want: []tok{{"كتب", "كتب"}, {"قلم", "قلم"}}},
		{name: "no-break space separates", in: "كتب\u00A0قلم", want: []tok{{"كتب", "كتب"}, {"قلم", "قلم"}}},

		// Numbers are kept whole.
		{name: "year", in: "2024", want: one("2024", "2024")},
		{name: "decimal point between digits", in: "97.4", want: one("97.4", "97.4")},
		{name: "comma between digits", in: "1,500", want: one("1500", "1,500")},
		{name: "Arabic decimal separator between digits", in: "٩٧٫٤", want: one("97.4", "٩٧٫٤")},
		{name: "Arabic thousands separator between digits", in: "١٬٥٠٠", want: one("1500", "١٬٥٠٠")},
		{name: "full stop after a number at sentence end", in: "عام 2024.", want: []tok{{"عام", "عام"}, {"2024", "2024"}}},
		{name: "comma after a number", in: "1,500, 2024، ٢٠٢٥٫", want: []tok{{"1500", "1,500"}, {"2024", "2024"}, {"2025", "٢٠٢٥"}}},
		{name: "separator before a number is not part of it", in: ".5 ,5", want: []tok{{"5", "5"}, {"5", "5"}}},
		{name: "doubled separator splits", in: "1,,500", want: []tok{{"1", "1"}, {"500", "500"}}},

		// Script changes.
		{name: "digits then Arabic letter split: 2024م", in: "2024م", want: []tok{{"2024", "2024"}, {"م", "م"}}},
		{name: "Arabic letters then digits split", in: "عام2024", want: []tok{{"عام", "عام"}, {"2024", "2024"}}},
		{name: "Arabic meets Latin: لـOpenAI", in: "لـOpenAI", want: []tok{{"ل", "لـ"}, {"openai", "OpenAI"}}},
		{name: "Latin meets Arabic", in: "OpenAIو", want: []tok{{"openai", "OpenAI"}, {"و", "و"}}},
		{name: "Latin letters and digits stay together: gpt4", in: "gpt4", want: one("gpt4", "gpt4")},
		{name: "Latin letters and digits stay together: covid19", in: "covid19", want: one("covid19", "covid19")},
		{name: "digits then Latin letters stay together", in: "4K", want: one("4k", "4K")},
		{name: "Arabic-script letters outside U+0621–U+064A join Arabic words", in: "پاکستان", want: one("پاكستان", "پاکستان")},
		{name: "dotless beh U+066E is Arabic script", in: "كٮاب", want: one("كٮاب", "كٮاب")},

		// What the surface includes.
		{name: "trailing RLM after a name is not in the surface", in: "OpenAI\u200F وتشمل", want: []tok{{"openai", "OpenAI"}, {"وتشمل", "وتشمل"}}},
		{name: "trailing run of invisibles is not in the surface", in: "كتب\u200F\u200E\u2069", want: one("كتب", "كتب")},
		{name: "leading RLM is not in the surface", in: "\u200Fكتب", want: one("كتب", "كتب")},
		{name: "leading tatweel is not in the surface", in: "ـــكتب", want: one("كتب", "كتب")},
		{name: "leading mark is not in the surface", in: "َكتب", want: one("كتب", "كتب")},
		{name: "trailing marks and tatweel are in the surface", in: "كتبَـ", want: one("كتب", "كتبَـ")},
		{name: "trailing tanween is in the surface", in: "عامًا،", want: one("عاما", "عامًا")},
		{name: "ZWNJ inside a word is in the surface", in: "المهند\u200Cسين", want: one("المهندسين", "المهند\u200Cسين")},
		{name: "marks alone are not a word", in: "َ ُ ـ \u200F", want: none},
		{name: "empty input", in: "", want: none},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := make([]tok, len(tc.want))
			for i, w := range tc.want {
				raw[i] = tok{w.Surface, w.Surface}
			}
			assertToks(t, "Tokenizer", tc.in, tokenize(tc.in), raw)
			assertToks(t, "NewNormalized", tc.in, analyze(analyzer.NewNormalized(), tc.in), tc.want)
			assertNamed(t, analyzer.Normalized, tc.in, tc.want)
		})
	}
}

func TestTokenizeTypes(t *testing.T) {
	tests := []struct {
		name, in string
		want     analysis.TokenType
	}{
		{"ASCII digits are Numeric", "2024", analysis.Numeric},
		{"Arabic-Indic digits are Numeric", "٢٠٢٤", analysis.Numeric},
		{"Extended digits are Numeric", "۲۰۲۵", analysis.Numeric},
		{"decimal number is Numeric", "٩٧٫٤", analysis.Numeric},
		{"thousands number is Numeric", "1,500", analysis.Numeric},
		{"Arabic word is AlphaNumeric", "شركة", analysis.AlphaNumeric},
		{"Latin word is AlphaNumeric", "OpenAI", analysis.AlphaNumeric},
		{"letters and digits are AlphaNumeric", "gpt4", analysis.AlphaNumeric},
		{"digits then letters are AlphaNumeric", "4K", analysis.AlphaNumeric},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts := tokenize(tc.in)
			if len(ts) != 1 {
				t.Fatalf("Tokenize(%q) made %d tokens %v; want 1", tc.in, len(ts), toks(t, tc.in, ts))
			}
			if ts[0].Type != tc.want {
				t.Errorf("Tokenize(%q) type = %v; want %v", tc.in, ts[0].Type, tc.want)
			}
		})
	}
}

func TestTokenizeNumbersAreNotStemmed(t *testing.T) {
	// A Numeric token keeps its whole term through the stemmer.
	in := "2024 97.4 ١٬٥٠٠"
	want := []tok{{"2024", "2024"}, {"97.4", "97.4"}, {"1500", "١٬٥٠٠"}}
	assertToks(t, "NewNews", in, analyze(analyzer.NewNews(), in), want)
}

func TestTokenizePositionsCountFromOne(t *testing.T) {
	ts := tokenize("أعلنت شركة «رمال» عن 100 مليار")
	var got []int
	for _, x := range ts {
		got = append(got, x.Position)
	}
	if want := []int{1, 2, 3, 4, 5, 6}; !slices.Equal(got, want) {
		t.Errorf("positions = %v; want %v", got, want)
	}
}

func TestTokenizePositionsAndOffsetsIncrease(t *testing.T) {
	raw, err := os.ReadFile(articlePath)
	if err != nil {
		t.Fatal(err)
	}
	in := string(raw)
	ts := tokenize(in)
	if len(ts) < 300 {
		t.Fatalf("%d tokens in %s; want the whole article", len(ts), articlePath)
	}
	for i, x := range ts {
		if x.Position != i+1 {
			t.Fatalf("token %d (%q) has position %d; want %d", i, x.Term, x.Position, i+1)
		}
		if x.Start >= x.End {
			t.Fatalf("token %d (%q) is empty: [%d:%d]", i, x.Term, x.Start, x.End)
		}
		if string(x.Term) != in[x.Start:x.End] {
			t.Fatalf("token %d term %q differs from its surface %q", i, x.Term, in[x.Start:x.End])
		}
		if i > 0 && x.Start < ts[i-1].End {
			t.Fatalf("token %d [%d:%d] overlaps token %d [%d:%d]", i, x.Start, x.End, i-1, ts[i-1].Start, ts[i-1].End)
		}
	}
}
