package analyzer_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
)

// stemCase is one row of the stemmer tables: the words of in, through the
// whole News analyzer, as {Term, Surface}.
type stemCase struct {
	name, in string
	want     []tok
}

func runStemCases(t *testing.T, tests []stemCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertToks(t, "NewNews", tc.in, analyze(analyzer.NewNews(), tc.in), tc.want)
			assertNamed(t, analyzer.News, tc.in, tc.want)
			// The filter alone, after the filters it follows.
			alone := analyzer.StemFilter{}.Filter(analyzer.StopFilter{}.Filter(normalizeOnly(tc.in)))
			assertToks(t, "Tokenizer+NormalizeFilter+StopFilter+StemFilter", tc.in, alone, tc.want)
		})
	}
}

// same is the expected result for words that must all stem to term.
func same(term string, words ...string) []tok {
	out := make([]tok, len(words))
	for i, w := range words {
		out[i] = tok{term, w}
	}
	return out
}

func TestStemArabic(t *testing.T) {
	tests := []stemCase{
		// 1. Conjunction و.
		{name: "conjunction و before the article: والشركة", in: "والشركة الشركة", want: same("شرك", "والشركة", "الشركة")},
		{name: "conjunction و before a verb: وقال -> قال", in: "وقال قال", want: same("قال", "وقال", "قال")},
		{name: "conjunction و before a protected word: ولبنان", in: "ولبنان", want: one("لبنان", "ولبنان")},
		{name: "و-initial stem kept via wawStems: وزير", in: "وزير", want: one("وزير", "وزير")},
		{name: "و-initial stem kept via wawStems: وزيرة -> وزير, and the reading without و", in: "وزيرة", want: []tok{{"وزير", "وزيرة"}, {"زير", "وزيرة"}}},
		{name: "و before a word that starts like a wawStem: وتركيا gives both readings", in: "وتركيا تركيا", want: []tok{{"وترك", "وتركيا"}, {"ترك", "وتركيا"}, {"ترك", "تركيا"}}},
		{name: "و before a name: وترامب meets ترامب", in: "وترامب ترامب", want: []tok{{"وترامب", "وترامب"}, {"ترامب", "وترامب"}, {"ترامب", "ترامب"}}},
		{name: "و before a protected word is the conjunction: وعدد", in: "وعدد عدد", want: same("عدد", "وعدد", "عدد")},
		{name: "no second reading with 3 letters after و: وحدة", in: "وحدة", want: one("وحد", "وحدة")},
		{name: "و-initial stem kept via wawStems: وطني -> وطن", in: "وطني وطن", want: same("وطن", "وطني", "وطن")},
		{name: "و-initial stem kept via wawStems: وقت", in: "الوقت", want: one("وقت", "الوقت")},
		{name: "و kept when only 2 letters would remain: ولد", in: "ولد", want: one("ولد", "ولد")},
		{name: "3-letter word starting with و keeps it: ورد", in: "ورد", want: one("ورد", "ورد")},
		{name: "bare ف is not removed: فريق", in: "فريق", want: one("فريق", "فريق")},
		{name: "bare ف is not removed: فرنسا", in: "فرنسا", want: one("فرنسا", "فرنسا")},
		{name: "ف removed with the article فلل", in: "فللشركة", want: one("شرك", "فللشركة")},

		// 2. Article family.
		{name: "article ال", in: "الشركة", want: one("شرك", "الشركة")},
		{name: "article بال", in: "بالشركة", want: one("شرك", "بالشركة")},
		{name: "article كال", in: "كالنفط النفط", want: same("نفط", "كالنفط", "النفط")},
		{name: "article فال", in: "فالشركات", want: one("شرك", "فالشركات")},
		{name: "article لل", in: "للشركة", want: one("شرك", "للشركة")},
		{name: "article ال leaves 2 letters: الدم -> دم", in: "الدم", want: one("دم", "الدم")},
		{name: "three-letter article needs 3 letters left: والده is the father", in: "والده", want: one("والد", "والده")},
		{name: "three-letter article needs 3 letters left: بالله", in: "بالله", want: one("الله", "بالله")},
		{name: "word-initial ال after the article: الالتزام and التزام meet", in: "الالتزام التزام", want: same("تزام", "الالتزام", "التزام")},
		{name: "word-initial ال after the article: ألمانيا and its forms meet", in: "ألمانيا الألمانية الألمان ألماني", want: same("مان", "ألمانيا", "الألمانية", "الألمان", "ألماني")},
		{name: "word-initial ال after بال: بالالتزام", in: "بالالتزام", want: one("تزام", "بالالتزام")},
		{name: "word-initial ال kept when 1 letter would remain: الآلة as آلة", in: "الآلة آلة", want: same("اله", "الآلة", "آلة")},

		// 3. Bare ب ل ك, and the future marker س.
		{name: "bare ب: بشركة -> شرك, and the reading بشرك", in: "بشركة", want: []tok{{"شرك", "بشركة"}, {"بشرك", "بشركة"}}},
		{name: "bare ل: لشركة -> شرك, and the reading لشرك", in: "لشركة", want: []tok{{"شرك", "لشركة"}, {"لشرك", "لشركة"}}},
		{name: "bare ك: كشريك -> شريك, and the reading كشريك", in: "كشريك شريك", want: []tok{{"شريك", "كشريك"}, {"كشريك", "كشريك"}, {"شريك", "شريك"}}},
		{name: "bare ل that is the word's first letter: ليبوفيوسين keeps a reading with it", in: "ليبوفيوسين الليبوفيوسين", want: []tok{{"يبوفيوس", "ليبوفيوسين"}, {"ليبوفيوس", "ليبوفيوسين"}, {"ليبوفيوس", "الليبوفيوسين"}}},
		{name: "bare ب under the length guard: بلد", in: "بلد", want: one("بلد", "بلد")},
		{name: "bare ل under the length guard: لعام", in: "لعام", want: one("لعام", "لعام")},
		{name: "bare ب kept on a clingStem: بلاد", in: "بلاده", want: one("بلاد", "بلاده")},
		{name: "bare ك kept on a clingStem: كتاب", in: "كتاب", want: one("كتاب", "كتاب")},
		{name: "bare ل kept before ا on a listed stem: لاعب", in: "لاعبين", want: one("لاعب", "لاعبين")},
		{name: "ل before a folded hamza and a protected word: لإيران", in: "لإيران إيران", want: same("ايران", "لإيران", "إيران")},
		{name: "ل before a folded hamza: لأكثر gives both readings", in: "لأكثر أكثر", want: []tok{{"لاكثر", "لأكثر"}, {"اكثر", "لأكثر"}, {"اكثر", "أكثر"}}},
		{name: "ل before a folded hamza: لأول, 3 letters after it", in: "لأول", want: []tok{{"لاول", "لأول"}, {"اول", "لأول"}}},
		{name: "ل before ا on a listed stem: لازمة", in: "لازمة", want: one("لازم", "لازمة")},
		{name: "مائة and مئة meet, and not ماء (water)", in: "مائة مئة بالمائة بالمئة", want: same("مءه", "مائة", "مئة", "بالمائة", "بالمئة")},
		{name: "water stays water", in: "الماء ماء", want: same("ماء", "الماء", "ماء")},
		{name: "future س: سيعلن -> يعلن", in: "سيعلن يعلن", want: same("يعلن", "سيعلن", "يعلن")},
		{name: "future س: ستطلق -> تطلق", in: "ستطلق", want: one("تطلق", "ستطلق")},
		{name: "future س kept on a noun ending in ه: سيارة", in: "سيارة", want: one("سيار", "سيارة")},
		{name: "future س kept on a noun ending in ات: سيارات", in: "سيارات", want: one("سيار", "سيارات")},

		// 4. The alef of tanween fath.
		{name: "tanween alef: عامًا = عام", in: "عامًا عام", want: same("عام", "عامًا", "عام")},
		{name: "tanween alef: شيئًا = شيء", in: "شيئًا شيء", want: same("شء", "شيئًا", "شيء")},
		{name: "tanween alef: رسميًا = رسمي", in: "رسميًا رسمي", want: same("رسم", "رسميًا", "رسمي")},
		{name: "tanween alef: country in ـيا meets its adjective", in: "سوريا سوري", want: same("سور", "سوريا", "سوري")},
		{name: "tanween alef kept after the pronoun ها", in: "كتابها", want: one("كتاب", "كتابها")},

		// 5. Pronoun suffixes.
		{name: "pronoun ها after teh marbuta: شركتها = شركة", in: "شركتها شركة", want: same("شرك", "شركتها", "شركة")},
		{name: "pronoun هم", in: "كتابهم", want: one("كتاب", "كتابهم")},
		{name: "pronoun هما", in: "كتابهما", want: one("كتاب", "كتابهما")},
		{name: "pronoun نا", in: "حكومتنا", want: one("حكوم", "حكومتنا")},
		{name: "pronoun ه under the length guard: يده", in: "يده", want: one("يده", "يده")},

		// 6. Plural, dual, nisba and feminine suffixes.
		{name: "plural ون: مسؤولون = مسؤول", in: "مسؤولون مسؤول", want: same("مسءول", "مسؤولون", "مسؤول")},
		{name: "plural ين: مسؤولين = مسؤول", in: "مسؤولين", want: one("مسءول", "مسؤولين")},
		{name: "nisba feminine يه: مسؤولية = مسؤول", in: "مسؤولية", want: one("مسءول", "مسؤولية")},
		{name: "nisba ي: فلسطيني = فلسطين", in: "فلسطيني فلسطين", want: same("فلسطين", "فلسطيني", "فلسطين")},
		{name: "nisba plural يون: سياسيون = سياسة", in: "سياسيون سياسة سياسي", want: same("سياس", "سياسيون", "سياسة", "سياسي")},
		{name: "plural ات: شركات = شركة", in: "شركات", want: one("شرك", "شركات")},
		{name: "dual ين after teh: شركتين = شركة", in: "شركتين", want: one("شرك", "شركتين")},
		{name: "feminine ه: دولة = دول", in: "دولة دول", want: same("دول", "دولة", "دول")},
		{name: "suffix under the length guard: عمل", in: "عملي", want: one("عمل", "عملي")},

		// Minimum stem length: words of 3 letters are kept whole.
		{name: "3-letter word kept: كتب", in: "كتب", want: one("كتب", "كتب")},
		{name: "3-letter word kept: بيت", in: "بيت", want: one("بيت", "بيت")},
		{name: "3-letter word kept: ولي", in: "ولي", want: one("ولي", "ولي")},

		// Protected words stop the stemmer.
		{name: "protected لبنان, not لبن", in: "لبنان", want: one("لبنان", "لبنان")},
		{name: "protected لبنان from its nisba", in: "لبناني اللبنانية", want: same("لبنان", "لبناني", "اللبنانية")},
		{name: "protected وزارة, not زار", in: "وزارة الوزارة", want: same("وزاره", "وزارة", "الوزارة")},
		{name: "protected غزة", in: "غزة وغزة", want: same("غزه", "غزة", "وغزة")},
		{name: "protected عمان", in: "عمان", want: one("عمان", "عمان")},
		{name: "protected إيران and الإيرانية", in: "إيران الإيرانية", want: same("ايران", "إيران", "الإيرانية")},
		{name: "protected السودان", in: "السودان", want: one("سودان", "السودان")},
		{name: "protected الله", in: "الله والله", want: same("الله", "الله", "والله")},
		{name: "protected الله from the ligature ﷲ", in: "ﷲ", want: one("الله", "ﷲ")},
		{name: "protected واشنطن keeps its و", in: "واشنطن", want: one("واشنطن", "واشنطن")},

		// Latin words go to the Snowball English stemmer; numbers are kept.
		{name: "Latin word stemmed by Snowball", in: "Stargate companies", want: []tok{{"stargat", "Stargate"}, {"compani", "companies"}}},
		{name: "numbers are kept whole", in: "2024 ٢٠٢٤", want: same("2024", "2024", "٢٠٢٤")},
	}
	runStemCases(t, tests)
}

// TestStemProtectedNamesMeetTheirForms: a protected name and its forms with
// a clinging preposition, a conjunction or a nisba suffix must stem to one
// term, or a search for the name misses the articles that say "in Sudan" or
// "Sudanese". Which term it is does not matter here.
func TestStemProtectedNamesMeetTheirForms(t *testing.T) {
	tests := []struct{ name, in string }{
		{"لبنان", "لبنان ولبنان بلبنان لبناني اللبنانية"},
		{"إيران", "إيران وإيران الإيرانية إيراني"},
		{"غزة", "غزة وغزة"},
		{"السودان", "السودان والسودان بالسودان السوداني سودان"},
		{"اليابان", "اليابان باليابان اليابانية ياباني"},
		{"العراق", "العراق بالعراق العراقي عراقي"},
		{"الإمارات", "الإمارات بالإمارات الإماراتية"},
		{"البحرين", "البحرين بالبحرين البحريني"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := toks(t, tc.in, analyze(analyzer.NewNews(), tc.in))
			for _, x := range got[1:] {
				if x.Term != got[0].Term {
					t.Errorf("NewNews(%q): the forms of one name do not meet:\n got %v", tc.in, got)
					break
				}
			}
		})
	}
}

// TestStemKnownFailures pins the failures the doc comment names. When one
// of these starts failing, the stemmer got better: update the doc comment
// and this test together.
func TestStemKnownFailures(t *testing.T) {
	tests := []stemCase{
		{name: "broken plural مدن does not meet مدينة", in: "مدن مدينة", want: []tok{{"مدن", "مدن"}, {"مدين", "مدينة"}}},
		{name: "stems are not roots: مدرسة meets مدرس", in: "مدرسة مدرس", want: same("مدرس", "مدرسة", "مدرس")},
		{name: "ني (me) is not stripped: وطني", in: "وطني", want: one("وطن", "وطني")},
	}
	runStemCases(t, tests)
}

// TestStemArabicNeverEmpty tries every word of one to five letters over the
// letters the stemmer strips, plus the stop and protected lists: the stem
// is never empty, never shorter than two letters unless the word is, is
// valid UTF-8 and is a subslice of its input (never a copy).
func TestStemArabicNeverEmpty(t *testing.T) {
	alphabet := []rune("الوبكفسيتنهمء")
	var words []string
	var grow func(prefix []rune)
	grow = func(prefix []rune) {
		if len(prefix) > 0 {
			words = append(words, string(prefix))
		}
		if len(prefix) == 5 {
			return
		}
		for _, r := range alphabet {
			grow(append(prefix, r))
		}
	}
	grow(nil)
	words = append(words, analyzer.StopWords()...)
	words = append(words, analyzer.ProtectedWords()...)
	for _, w := range words {
		in := []byte(w)
		out := analyzer.StemArabic(in)
		n := utf8.RuneCount(out)
		switch {
		case len(out) == 0:
			t.Fatalf("StemArabic(%q) is empty", w)
		case !utf8.Valid(out):
			t.Fatalf("StemArabic(%q) = %q is not valid UTF-8", w, out)
		case n < min(2, utf8.RuneCountInString(w)):
			t.Fatalf("StemArabic(%q) = %q: %d letters, below the minimum stem length", w, out, n)
		case !isSubslice(in, out) && string(out) != "الله" && string(out) != "مءه":
			t.Fatalf("StemArabic(%q) = %q is not a subslice of its input", w, out)
		}
		if utf8.RuneCountInString(w) <= 2 && string(out) != w {
			t.Fatalf("StemArabic(%q) = %q; want words of two letters kept whole", w, out)
		}
	}
}

// isSubslice reports whether sub shares in's backing array within in.
func isSubslice(in, sub []byte) bool {
	if len(sub) == 0 || len(in) == 0 {
		return len(sub) == 0
	}
	for off := 0; off+len(sub) <= len(in); off++ {
		if &in[off] == &sub[0] {
			return true
		}
	}
	return false
}

func TestStemFilterNeverEmitsEmptyTerms(t *testing.T) {
	in := strings.Join(append(analyzer.ProtectedWords(), "و ب ل ك س ال وال بال لل ها ه ي ات ون a I ii iii sss ies ss s"), " ")
	for _, name := range []string{"NewNews", "NewPairs"} {
		a := analyzer.NewNews()
		if name == "NewPairs" {
			a = analyzer.NewPairs()
		}
		for _, x := range a.Analyze([]byte(in)) {
			if len(x.Term) == 0 {
				t.Errorf("%s: empty term at [%d:%d] %q", name, x.Start, x.End, in[x.Start:x.End])
			}
		}
	}
}

func TestProtectedWordsAreFixedPointsOfNormalize(t *testing.T) {
	words := analyzer.ProtectedWords()
	if len(words) < 20 {
		t.Fatalf("ProtectedWords() has %d entries; want the whole list", len(words))
	}
	for _, w := range words {
		if got := string(analyzer.Normalize([]byte(w))); got != w {
			t.Errorf("protected word %q is not normalized: Normalize gives %q", w, got)
		}
		if got := string(analyzer.StemArabic([]byte(w))); got != w {
			t.Errorf("StemArabic(protected %q) = %q; want it unchanged", w, got)
		}
	}
}

// TestStemListsAreFixedPointsOfNormalize: wawStems and clingStems are
// compared with normalized terms, so an entry that is not normalized
// (with ة or a ي before a hamza, say) can never match.
func TestStemListsAreFixedPointsOfNormalize(t *testing.T) {
	lists := []struct {
		name     string
		list     []string
		initials string
	}{
		{"wawStems", analyzer.WawStems, "و"},
		{"clingStems", analyzer.ClingStems, "بلك"},
	}
	for _, l := range lists {
		if len(l.list) == 0 {
			t.Fatalf("%s is empty", l.name)
		}
		for _, w := range l.list {
			t.Run(l.name+"/"+w, func(t *testing.T) {
				if got := string(analyzer.Normalize([]byte(w))); got != w {
					t.Errorf("%s entry %q is not normalized (Normalize gives %q): it never matches", l.name, w, got)
				}
				if r, _ := utf8.DecodeRuneInString(w); !strings.ContainsRune(l.initials, r) {
					t.Errorf("%s entry %q does not start with one of %q", l.name, w, l.initials)
				}
			})
		}
	}
}

func TestPairs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []tok
		pos      []int
	}{
		{
			name: "adjacent stems", in: "شركة أعلنت",
			want: []tok{{"شرك اعلنت", "شركة أعلنت"}},
			pos:  []int{1},
		},
		{
			name: "a pair spans a stop word", in: "وزير في لبنان",
			want: []tok{{"وزير لبنان", "وزير في لبنان"}},
			pos:  []int{1},
		},
		{
			name: "three words make two pairs at the first word's position", in: "مسؤول في الشركة الإماراتية",
			want: []tok{{"مسءول شرك", "مسؤول في الشركة"}, {"شرك امارات", "الشركة الإماراتية"}},
			pos:  []int{1, 3},
		},
		{name: "one word makes no pair", in: "الشركة", want: none},
		{name: "stop words alone make no pair", in: "في من", want: none},
		{name: "empty input", in: "", want: none},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts := analyze(analyzer.NewPairs(), tc.in)
			assertToks(t, "NewPairs", tc.in, ts, tc.want)
			assertNamed(t, analyzer.Pairs, tc.in, tc.want)
			alone := analyzer.PairFilter{}.Filter(analyze(analyzer.NewNews(), tc.in))
			assertToks(t, "NewNews+PairFilter", tc.in, alone, tc.want)
			var pos []int
			for _, x := range ts {
				pos = append(pos, x.Position)
			}
			if !slices.Equal(pos, tc.pos) {
				t.Errorf("positions = %v; want %v", pos, tc.pos)
			}
		})
	}
}
