package analyzer

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// StemFilter reduces each normalized term to a light stem: Arabic words by
// StemArabic, Latin-script words by the Snowball English stemmer; numbers and
// other scripts are kept whole.
//
// A bare ب، ل or ك may be a preposition (بشركة) or the word's first letter
// (ليبوفيوسين، برنامج); the stemmer guesses, and when it strips one the
// filter also emits the stem of the word with the letter kept, at the same
// position and offsets. Both readings then match: a query for الليبوفيوسين
// finds ليبوفيوسين, and لشركة still meets الشركة. So too where the stemmer
// keeps a و or a ل that may be a clitic (StemArabic steps 1 and 3):
// وتركيا gives وترك and ترك, لأكثر gives لاكثر and اكثر.
type StemFilter struct{}

// Filter implements analysis.TokenFilter.
func (StemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream // made only when a second reading appears
	for i, tok := range input {
		if out != nil {
			out = append(out, tok)
		}
		if tok.Type == analysis.Numeric || len(tok.Term) == 0 {
			continue
		}
		switch c := tok.Term[0]; {
		case c == 0xD8 || c == 0xD9:
			stem, alt := stemArabic(tok.Term, true)
			tok.Term = stem
			if alt != nil && string(alt) != string(stem) {
				if out == nil {
					out = make(analysis.TokenStream, i+1, len(input)+len(input)/8+1)
					copy(out, input[:i+1])
				}
				second := *tok
				second.Term = alt
				out = append(out, &second)
			}
		case c < utf8.RuneSelf && len(tok.Term) > 2:
			tok.Term = stemEnglish(tok.Term)
		}
	}
	if out != nil {
		return out
	}
	return input
}

func stemEnglish(term []byte) []byte {
	env := snowballstem.NewEnv(string(term))
	english.Stem(env)
	return []byte(env.Current())
}

// StemArabic is a light stemmer for normalized Arabic words (see Normalize).
// It returns a subslice of term (or the shared words الله for لله and مءه
// for مائة), never a copy. The steps, in order; after
// each one a protected word (see protectedWords) stops the stemmer:
//
//  1. Conjunction: one leading و (U+0648) is removed when at least 3 letters
//     remain and the word does not start with a common و-initial stem
//     (وزير، وطن، وقت، وضع ... see wawStems), or when the rest is a protected
//     word (وعدد). A word that starts like such a stem may still be و + a
//     word (وتركيا against وترك، وزعيم against وزع): with at least 4 letters
//     after the و, StemFilter gives both readings, the word kept first and
//     the stem of the rest second. A bare ف is not removed (فرنسا،
//     فريق، فكرة are far commoner than ف + noun); فال and فلل are, as articles.
//  2. Article family, in Larkey's order: ال، وال، بال، كال، فال، لل (U+0627 U+0644 ...),
//     when at least 2 letters remain (3 after the three-letter ones, so that
//     والده is the father, not وال + ده). Then, once more, an ال that
//     begins the word itself (U+0627 U+0644: التزام، ألعاب، ألمانيا, whose
//     alef is written أ and folded to ا) when at least 2 letters remain and
//     the rest is not protected: the bare word loses that ال in this step as
//     if it were the article, so the word with the article must lose both
//     for the two to meet (الالتزام and التزام -> تزام; الالمانيه and
//     الالمان -> مان as المانيا, where they were الم; الالكتروني and
//     الكتروني -> كتر).
//  3. Otherwise a bare ب، ل، ك (U+0628, U+0644, U+0643) when at least 4
//     letters remain, a ل is not followed by ا (لاحقا، لاعب), and the word is
//     not a protected or common stem starting with that letter (بلد، لغة، كتاب ... see clingStems).
//     A ل followed by ا may be the preposition before a word that began
//     with a hamza, which normalization wrote ا (لإيران، لأكثر، لإدارة): it is
//     removed before a protected word (لإيران -> ايران), and otherwise, with
//     at least 3 letters after it and no listed stem (لاعب، لازم), both
//     readings are given, the word kept first. And the future
//     marker س (U+0633) before an imperfect prefix ي ت ن ا when at least 4
//     letters remain and the word does not end like a noun (ه، ات، ي).
//  4. The alef of tanween fath, which normalization leaves when it removes
//     the tanween (عامًا -> عام, رسميًا -> رسمي, شيئًا -> شء), when at least 3
//     letters remain, or 2 after a hamza (so نشأ, folded to نشا, keeps its
//     alef), and the word does not end in the pronouns ها، نا، هما، كما.
//     Country names in ـيا then meet their adjectives (سوريا -> سوري -> سور).
//     Conjunctions ending in ما (كلما، ربما، حينما) are stop words, so they
//     never reach this rule and become كلم (the stem of كلمة).
//  5. Pronoun suffixes, longest first: هما كما هم هن كم كن نا ها ه, when at
//     least 3 letters remain; a ت left at the end is the teh marbuta that
//     the pronoun was glued to (شركتها -> شركت -> شرك) and goes too, when 3
//     letters remain.
//  6. Plural, dual, nisba and feminine suffixes, longest first:
//     يات يون يين ات ون ين ان يه ي ه, at most twice (فلسطيني -> فلسطين -> فلسط,
//     matching فلسطين), each time when at least 3 letters remain; after
//     ان or ين a ت left at the end goes too (شركتين -> شرك).
//
// Known failures: broken plurals are not joined to their singulars (دول and
// دولة meet, but مدن and مدينة do not); stems are not roots, so the stem of
// مدرسة (school) equals that of مدرس (teacher); nisba names ending in ان or
// ين that are not in the protected list lose it (اليابان -> ياب, but
// consistently in every form); a word of 3 letters that starts with و and is
// not listed loses the و (ورد as "rose" and as "and returned" both become رد);
// "ني" (me) is not stripped because nisba adjectives ending in ني (لبناني،
// وطني) are commoner in news.
func StemArabic(term []byte) []byte {
	stem, _ := stemArabic(term, true)
	return stem
}

// stemArabic is StemArabic; when cling is set, alt is the second reading
// of a word whose clitic is ambiguous: the stem of the word with the bare
// ب، ل or ك that step 3 strips kept, or of the word without the و or the ل
// that steps 1 and 3 keep.
func stemArabic(term []byte, cling bool) (stem, alt []byte) {
	w := term
	if protected(w) {
		return w, alt
	}
	if isAllah(w) {
		return allah, nil
	}
	if h := hundredStem(w); h != nil {
		return h, nil
	}
	// n counts letters; every affix below is made of two-byte Arabic letters.
	n := letters(w)
	// 1. conjunction و
	if n >= 4 && hasPrefix(w, "و") && !hasPrefix(w, "وال") {
		switch {
		case protected(w[2:]) || !wawStems.match(w):
			w, n = w[2:], n-1
			if protected(w) {
				return w, alt
			}
		case cling && n >= 5:
			// A stem with a root و (وزير) or the conjunction before a
			// word that begins like one (وتركيا، وترامب، وزعيم): both
			// readings, the word kept first.
			alt, _ = stemArabic(w[2:], false)
		}
	}
	// 2. articles
	stripped := false
	for _, p := range articles {
		min := 2 // الدم -> دم
		if len(p) > len("ال") {
			min = 3 // والده is و + والد, not وال + ده
		}
		if n-len(p)/2 >= min && hasPrefix(w, p) {
			w, n = w[len(p):], n-len(p)/2
			stripped = true
			break
		}
	}
	// 2b. a word-initial ال after the article (الالمانيه، الالتزام)
	if stripped && n >= 4 && hasPrefix(w, "ال") && !protected(w) {
		w, n = w[4:], n-2
	}
	if stripped && protected(w) {
		return w, alt
	}
	// 3. bare ب ل ك and the future marker س
	bare := cling && (hasPrefix(w, "ب") || hasPrefix(w, "ل") && !hasPrefix(w[2:], "ا") || hasPrefix(w, "ك"))
	lamAlef := cling && hasPrefix(w, "لا") // لإيران، لأكثر, their hamza folded to ا; or لاعب
	switch {
	case stripped:
	case (bare || lamAlef) && len(w) > 2 && protected(w[2:]): // بغزة، لإيران
		return w[2:], nil
	case lamAlef && n >= 4 && alt == nil && !clingStems.match(w):
		// ل before a word that began with a hamza (لأكثر، لإدارة) or a
		// root ل before ا (لاعبين): both readings, the word kept first.
		alt, _ = stemArabic(w[2:], false)
	case n < 5:
	case bare && !clingStems.match(w):
		alt, _ = stemArabic(term, false)
		w, n = w[2:], n-1
	case hasPrefix(w, "س") && (hasPrefix(w[2:], "ي") || hasPrefix(w[2:], "ت") || hasPrefix(w[2:], "ن") || hasPrefix(w[2:], "ا")) &&
		!hasSuffix(w, "ه") && !hasSuffix(w, "ات") && !sinStems.match(w):
		w, n = w[2:], n-1
	}
	if len(w) < len(term) && protected(w) {
		return w, alt
	}
	// 4. the alef of tanween fath (عامًا -> عام, رسميًا -> رسمي -> رسم, سوريا -> سوري)
	if hasSuffix(w, "ا") && (n >= 4 || n >= 3 && hasSuffix(w, "ءا")) &&
		!hasSuffix(w, "ها") && !hasSuffix(w, "نا") && !hasSuffix(w, "هما") && !hasSuffix(w, "كما") {
		w, n = w[:len(w)-2], n-1
		if protected(w) {
			return w, alt
		}
	}
	// 5. pronoun suffixes
	for _, s := range pronounSuffixes {
		if n-len(s)/2 >= 3 && hasSuffix(w, s) {
			w, n = w[:len(w)-len(s)], n-len(s)/2
			if n >= 4 && hasSuffix(w, "ت") {
				w, n = w[:len(w)-2], n-1
			}
			if protected(w) {
				return w, alt
			}
			break
		}
	}
	// 6. plural, dual, nisba, feminine
	for round := 0; round < 2; round++ {
		cut := false
		for _, s := range inflectionSuffixes {
			if n-len(s)/2 >= 3 && hasSuffix(w, s) {
				w, n = w[:len(w)-len(s)], n-len(s)/2
				if (s == "ان" || s == "ين") && n >= 4 && hasSuffix(w, "ت") {
					w, n = w[:len(w)-2], n-1
				}
				cut = true
				break
			}
		}
		if !cut || protected(w) {
			break
		}
	}
	return w, alt
}

var (
	articles           = []string{"ال", "وال", "بال", "كال", "فال", "لل", "فلل", "ولل"}
	pronounSuffixes    = []string{"هما", "كما", "هم", "هن", "كم", "كن", "نا", "ها", "ه"}
	inflectionSuffixes = []string{"يات", "يون", "يين", "ات", "ون", "ين", "ان", "يه", "ي", "ه"}
)

// protectedWords are names and common words that light stemming breaks,
// normalized. A stem that reaches one of them stops there.
//
// Names are listed without the article: ال is stripped before the list is
// consulted, so السودان، بالسودان and السوداني all become سودان. Only الله is
// listed whole, since its ال is part of the word (له is a different word).
var protectedWords = newWordSet(`
الله لبنان غزه عمان ايران سودان وزاره وزارات وزير وزراء واشنطن
يمن يابان عثمان رمضان سليمان طهران عمران ابان
فلسطين بحرين صين تونس
اسرءيل قدس قطر مصر عراق هند فرنسا
امارات سعوديه كويت اردن مغرب جزاءر
افغانستان باكستان كازاخستان اذربيجان
بيان مكان زمان سلطان ميدان انسان برلمان
عدد
`)

// wawStems are common stems that start with a root و, so a leading و there
// is not the conjunction (a prefix match: وزير covers وزيره).
var wawStems = newPrefixSet(`
وزير وزرا وزار وطن وقت وضع وصل وصول وفد وسط وعد وقف وقع واقع وصف وجه وجد وجود
ولد ولاد وزن ورد وكال وكيل ولاي ولي وثيق وثاء ورق وحد وحيد وفا وفق وادي وسيل وساء
وظيف وظاء ورش وباء وعي وقود وجب واجب وصي وهب وراث وراء وحش وتر ودي وزع وكر
`)

// clingStems are common stems that start with ب، ل or ك as a root letter, so
// that letter is not a clinging preposition.
var clingStems = newPrefixSet(`
برنامج برامج بلد بلاد بحث بحر بحير بطول بنك بنوك بيت بيوت بيع بيان بعد بدء بداي بدا بريطان بريد
بطاق بطال بناء بني بءه بغداد بيروت برلين بكين بلجيك برازيل باكستان بنغلاد بورص بترول بلغ بلوغ
لبنان لغه لغات لجنه لجان لقاء لحظ لعب لاعب لقب لون لحم ليبيا ليل لندن لواء لوح لاجء
لازم لافت لاحق لامع لاءح
كتاب كتب كبير كبار كلم كلي كره كاس كاتب كامل كميه كهرب كنيس كورون كوري كندا كاليفورن
`)

// sinStems are common stems that start with a root س followed by one of the
// imperfect prefixes, so the س is not the future marker (سياسة، سيارة، سيطرة).
var sinStems = newPrefixSet(`
سياس سيار سياد سيطر سيد سيف سيول سينا سيناريو سيرك سيليكون ستار ستين ستوديو ستراتيج
سنو سنه سنين سنغافور سنت سنم ساع ساح ساب سال سام سان ساد ساق ساك ساف سار
`)

var allah = []byte("الله")

// hundred is the stem of مئة and of its older spelling مائة (normalized مءه
// and ماءه), which the suffix rules would otherwise make ماء, water: بالمائة
// (percent) must not meet الماء.
var hundred = []byte("مءه")

// hundredStem returns the stem of مئة or مائة, bare or behind the article
// and the clitics before it (بالمائة، والمئة، للمائة): the word's own مءه, or
// the shared hundred for ماءه; nil for any other word.
func hundredStem(w []byte) []byte {
	if !hasSuffix(w, "ءه") { // every word passes here: no allocation for the others
		return nil
	}
	for _, p := range []string{"", "ال", "بال", "وال", "فال", "كال", "لل", "وبال", "ولل", "و", "ب", "ل", "ف"} {
		switch string(w) {
		case p + "مءه":
			return w[len(p):]
		case p + "ماءه":
			return hundred
		}
	}
	return nil
}

// isAllah reports الله and لله with up to two clinging letters before them
// (والله، بالله، فلله، ولله), so none of them becomes the junk stem له.
func isAllah(w []byte) bool {
	if !hasSuffix(w, "لله") {
		return false
	}
	for i := 0; i <= 2; i++ {
		rest := w[min(len(w), 2*i):]
		if string(rest) == "الله" || string(rest) == "لله" {
			for j := 0; j < i; j++ {
				if !strings.Contains("وفبلك", string(w[2*j:2*j+2])) {
					return false
				}
			}
			return true
		}
	}
	return false
}

func protected(w []byte) bool { return protectedWords.has(w) }

// prefixSet is a list of stems matched as prefixes, indexed by their first
// two letters.
type prefixSet struct {
	list  []string
	byTwo map[string][]string
}

func newPrefixSet(s string) prefixSet {
	p := prefixSet{list: strings.Fields(s), byTwo: map[string][]string{}}
	for _, w := range p.list {
		p.byTwo[w[:4]] = append(p.byTwo[w[:4]], w)
	}
	return p
}

func (p prefixSet) match(w []byte) bool {
	if len(w) < 4 {
		return false
	}
	for _, s := range p.byTwo[string(w[:4])] {
		if hasPrefix(w, s) {
			return true
		}
	}
	return false
}

// ProtectedWords returns the protected list, normalized, in no particular order.
func ProtectedWords() []string { return protectedWords.list() }

func hasPrefix(w []byte, p string) bool {
	if len(w) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if w[i] != p[i] {
			return false
		}
	}
	return true
}

// hasSuffix compares from the end, where words differ most.
func hasSuffix(w []byte, s string) bool {
	if len(w) < len(s) {
		return false
	}
	for i, j := len(w)-1, len(s)-1; j >= 0; i, j = i-1, j-1 {
		if w[i] != s[j] {
			return false
		}
	}
	return true
}

// letters counts the runes of valid UTF-8: the bytes that start one.
func letters(w []byte) int {
	n := 0
	for _, c := range w {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}
