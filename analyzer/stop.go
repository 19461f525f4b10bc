package analyzer

import (
	"github.com/blevesearch/bleve/v2/analysis"
)

// StopFilter removes function words after normalization. Positions of the
// remaining tokens keep their gaps, so phrases still line up.
//
// The list is stored normalized (ة->ه, ى->ي, أ/إ/آ->ا, hamza seats->ء) and a
// test asserts that each entry is a fixed point of Normalize. It holds
// prepositions, pronouns, demonstratives, relatives, particles, question
// words, the auxiliary كان in its commonest forms, and
// the same words with a leading و or ف (وفي، فقد، ولم ...), the question
// words that people type glued to the pronoun (ماهو، ماهي; ماهى folds to
// ماهي), لدي with its pronouns (لديه، لديها ...: the stemmer would make
// ديها of them), the imperatives
// that open exam-style questions (علل، اذكر، اشرح، وضح), and the lone
// letters and the bare article that noisy input leaves behind (و، ب، ال).
// A few English function words are included because the news mixes English
// names and phrases into Arabic text.
//
// Deliberate losses: a query made only of stop words ("من هو") finds
// nothing by these words; كان is dropped even where it means "existed",
// علل even where it is the plural of علة, and علي, which is على after
// ى -> ي, even where it is the name Ali; قال is kept.
type StopFilter struct{}

// Filter implements analysis.TokenFilter.
func (StopFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if !stopWords.has(tok.Term) {
			out = append(out, tok)
		}
	}
	return out
}

// IsStopWord reports whether the normalized term is a stop word.
func IsStopWord(term string) bool {
	_, ok := stopWords.m[term]
	return ok
}

// StopWords returns the stop list, normalized, in no particular order.
func StopWords() []string { return stopWords.list() }

const arabicStop = `
في من الي علي عن مع ب ل ك و ف ال ا ان انه انها ان اذا اذ او ام ثم بل لكن لكنه لكنها حتي
قد لقد لم لن لا ما ماذا لماذا بماذا وماذا متي اين كيف كم اي هل اما الا سوف
مما عما بما فيما لما ممن عمن كما كلما ربما طالما حينما انما مهما
هو هي هم هما هن انا نحن انت انتم انتما انتن
هذا هذه هذان هاتان هءلاء ذلك تلك اولءك هناك هنا هنالك ذاك
الذي التي الذين اللذان اللتان اللواتي اللاتي اللذين اللتين
كل بعض غير سوي عند عندما بين بينما حيث حين منذ خلال ضمن نحو لدي
فيه فيها فيهم منه منها منهم عنه عنها عنهم عليه عليها عليهم اليه اليها اليهم له لها لهم به بها بهم
كان كانت يكون تكون كانوا ليس ليست
وفي ومن والي وعلي وعن ومع وهو وهي وهم وقد ولم ولن ولا وما واذا وان وانه وكان وكانت
وهذا وهذه وذلك وتلك والذي والتي والذين وكل وبعض وبين وحيث ومنذ وخلال وله ولها وبها وبه
فقد فلم فلن فلا فما فاذا فان فانه فهو فهي فهم وهناك فهناك وكذلك كذلك ايضا وايضا
تم يتم وتم
ماهو ماهي لديه لديها لديهم لدينا لديك
علل اذكر اشرح وضح
`

const englishStop = `a an and are as at be by for from in is it of on or that the this to was were with`

var stopWords = newWordSet(arabicStop + " " + englishStop)
