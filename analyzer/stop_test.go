package analyzer_test

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/bahth/bahth/analyzer"
)

// TestConjunctionsInMaAreStopWords: كلما، ربما ... end in ما like the tanween
// alef words, and stemmed they would become كلم (the stem of كلمة).
func TestConjunctionsInMaAreStopWords(t *testing.T) {
	for _, w := range []string{"كلما", "ربما", "طالما", "حينما", "إنما", "مهما"} {
		if toks := analyzer.NewNews().Analyze([]byte(w)); len(toks) != 0 {
			t.Errorf("%s gives %q; want it removed as a stop word", w, toks[0].Term)
		}
	}
}

// TestQuranicSymbolsSeparateWords: \u06dd U+06DD, ۞ U+06DE and ۩ U+06E9 sit
// among the Quranic marks but are symbols; they separate words.
func TestQuranicSymbolsSeparateWords(t *testing.T) {
	for _, in := range []string{"سلام۩كلام", "سلام۞كلام", "سلام\u06ddكلام"} {
		toks := analyzer.NewExact().Analyze([]byte(in))
		if len(toks) != 2 || string(toks[0].Term) != "سلام" || string(toks[1].Term) != "كلام" {
			var got []string
			for _, t := range toks {
				got = append(got, string(t.Term))
			}
			t.Errorf("%q gives %q; want سلام and كلام", in, got)
		}
	}
}

// TestGluedQuestionWordsAreStopWords: ماهو and ماهي (ماهى after ى -> ي) are
// ما هو and ما هي typed without the space; لدي with a pronoun would stem
// to junk such as ديها.
func TestGluedQuestionWordsAreStopWords(t *testing.T) {
	for _, w := range []string{"ماهو", "ماهي", "ماهى", "لديه", "لديها", "لديهم", "لدينا", "لديك"} {
		for name, a := range map[string]interface {
			Analyze([]byte) analysis.TokenStream
		}{"NewNews": analyzer.NewNews(), "NewExact": analyzer.NewExact()} {
			if toks := a.Analyze([]byte(w)); len(toks) != 0 {
				t.Errorf("%s(%s) gives %q; want it removed as a stop word", name, w, toks[0].Term)
			}
		}
	}
}
