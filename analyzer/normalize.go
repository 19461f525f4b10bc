package analyzer

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"golang.org/x/text/unicode/norm"
)

// Normalization folds the spellings of one Arabic word that readers treat as
// the same into one term. It rewrites the token's Term only; Start and End
// keep pointing at the word as written (STYLE.md rule 2).
//
// Removed (a deliberate loss: vocalization never distinguishes words in a
// search box):
//
//	U+064B–U+065F  tanween, harakat, shadda, sukun, maddah, hamza above/below, ...
//	U+0670         ٰ  superscript (dagger) alef
//	U+0610–U+061A  honorific and Quranic signs above letters
//	U+06D6–U+06ED  Quranic annotation marks
//	U+0640         ـ  tatweel (kashida), however many
//
// Invisible characters removed inside a word (the tokenizer never splits on them):
//
//	U+200C ZWNJ, U+200D ZWJ, U+200E LRM, U+200F RLM, U+061C ALM,
//	U+202A–U+202E bidi embeddings and overrides, U+2066–U+2069 bidi isolates,
//	U+FEFF BOM / zero-width no-break space, U+00AD soft hyphen.
//
// Letters folded:
//
//	U+0623 أ, U+0625 إ, U+0622 آ, U+0671 ٱ, U+0672 ٲ, U+0673 ٳ, U+0675 ٵ  -> U+0627 ا
//	U+0649 ى (alef maksura), U+06CC ی (Persian yeh), U+06D0 ې          -> U+064A ي
//	U+0629 ة (teh marbuta), U+06C0 ۀ, U+06D5 ە, U+06C1 ہ, U+06BE ھ      -> U+0647 ه
//	U+06A9 ک (keheh), U+06AA ڪ (swash kaf)                               -> U+0643 ك
//	U+0624 ؤ, U+0626 ئ, U+0674 ٴ                                         -> U+0621 ء
//
// Hamza policy, decided by counting spellings in the 70k news corpus
// (../shared/corpus): the seats of hamza vary between writers (مسؤول 1612
// times, مسئول 2; شيء 1809, شئ 17; شؤون 411, شئون 4), so every hamza seat
// folds to the bare hamza ء, and a ي written just before a hamza is dropped
// (U+064A U+0621 -> U+0621, unless the ي starts the word), which is how
// شيء and شئ meet (both شء) and شيئا becomes شءا. So مسؤول = مسئول = مسءول,
// رئيس = رءيس, سؤال = سءال. Hamza on alef (أ إ آ) is not a seat here: it folds
// to bare alef like every alef form.
// Known failures: مائة and مئة stay apart (ماءه vs مءه); folding ا before a
// hamza would merge them but would split ابناؤه from أبناءه, which is commoner.
//
// Digits and number separators (the tokenizer keeps ٫ ٬ . , only between digits):
//
//	U+0660–U+0669 ٠–٩ and U+06F0–U+06F9 ۰–۹  -> 0–9
//	U+066B ٫ (Arabic decimal separator)      -> '.'
//	U+066C ٬ and ',' (thousands separators)  -> removed, so ١٬٥٠٠ = 1,500 = 1500
//
// Presentation forms U+FB50–U+FDFF and U+FE70–U+FEFE (and full-width forms
// U+FF00–U+FFEF) are folded by NFKC and the result normalized again, so the
// lam-alef ligature ﻻ (U+FEFB) becomes لا and ﷲ (U+FDF2) becomes الله (which
// the stemmer protects, so it never becomes the junk stem له). The formula
// ligatures ﷺ U+FDFA, ﷻ U+FDFB and ﷽ U+FDFD expand to whole phrases; the
// tokenizer treats them as separators, so they never reach this filter.
//
// Other scripts (Latin above all): compatibility-decomposed, combining
// marks dropped and lowercased (é -> e, Å -> a, ﬁ -> fi), with the letters
// that have no decomposition spelled out (ß -> ss, æ -> ae, ø -> o), until
// nothing changes. Decomposed input (e + U+0301, و + U+0654 hamza above) is
// composed (NFC) first, so it folds like the composed letter.
type NormalizeFilter struct{}

// Filter normalizes every token's term, drops tokens whose term becomes
// empty (a token of marks alone), and never moves offsets.
func (NormalizeFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	// One shared buffer for the rewritten terms of the whole stream, sized
	// for all of them; a term that outgrows it (a ligature) gets a new one.
	var buf []byte
	out := input[:0]
	for i, tok := range input {
		if !needsNormalizing(tok.Term) {
			out = append(out, tok)
			continue
		}
		if cap(buf)-len(buf) < 2*len(tok.Term)+8 {
			rest := 0
			for _, t := range input[i:] {
				rest += len(t.Term)
			}
			buf = make([]byte, 0, rest+2*len(tok.Term)+8)
		}
		start := len(buf)
		buf = appendNormalized(buf, tok.Term)
		if len(buf) == start {
			continue
		}
		tok.Term = buf[start:len(buf):len(buf)]
		out = append(out, tok)
	}
	return out
}

// Normalize returns the normalized form of one word (see NormalizeFilter).
func Normalize(term []byte) []byte {
	if !needsNormalizing(term) {
		return term
	}
	return appendNormalized(make([]byte, 0, len(term)), term)
}

// needsNormalizing reports whether appendNormalized could change term. It is
// the fast path for lowercase ASCII words and plain Arabic letters.
func needsNormalizing(term []byte) bool {
	prevYeh := false
	for i := 0; i < len(term); {
		c := term[i]
		if c < utf8.RuneSelf {
			if ('A' <= c && c <= 'Z') || c == ',' {
				return true
			}
			prevYeh = false
			i++
			continue
		}
		r, size := decode(term, i)
		switch {
		case r == 'أ', r == 'إ', r == 'آ', r == 'ؤ', r == 'ئ', r == 'ة', r == 'ى':
			return true
		case r == hamza && prevYeh && i > 2:
			return true
		case (r >= 0x0621 && r <= 0x063A) || (r >= 0x0641 && r <= 0x064A):
		default:
			return true
		}
		prevYeh = r == yeh
		i += size
	}
	return false
}

const (
	alef  = 'ا'
	yeh   = 'ي'
	heh   = 'ه'
	kaf   = 'ك'
	hamza = 'ء'
)

// appendNormalized appends the normalized form of src to dst.
func appendNormalized(dst, src []byte) []byte {
	if hasCombining(src) {
		// و + U+0654 is ؤ, ا + U+0653 is آ, e + U+0301 is é: compose first,
		// so that decomposed spellings fold like the composed ones.
		src = norm.NFC.Bytes(src)
	}
	start := len(dst)
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+('a'-'A'))
			case c == ',':
				// thousands separator inside a number
			default:
				dst = append(dst, c)
			}
			continue
		}
		r, size := decode(src, i)
		i += size
		dst = appendRune(dst, start, r)
	}
	return dst
}

// hasCombining reports U+0300–U+036F (Latin combining marks) and
// U+0653–U+0655 (Arabic maddah and hamza above and below).
func hasCombining(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if c := b[i]; c == 0xCC || c == 0xCD || (c == 0xD9 && b[i+1] >= 0x93 && b[i+1] <= 0x95) {
			return true
		}
	}
	return false
}

// appendRune appends the normalized form of one non-ASCII rune; start is where
// the current word begins in dst (for the hamza rule).
func appendRune(dst []byte, start int, r rune) []byte {
	switch {
	case r >= 0x0621 && r <= 0x063A, r >= 0x0641 && r <= 0x064A:
		switch r {
		case 'أ', 'إ', 'آ':
			r = alef
		case 'ى':
			r = yeh
		case 'ة':
			r = heh
		case 'ؤ', 'ئ':
			r = hamza
		}
		if r == hamza {
			// drop a ي written just before the hamza (شيء = شئ), unless it starts the word
			for len(dst)-start > 2 && dst[len(dst)-2] == 0xD9 && dst[len(dst)-1] == 0x8A {
				dst = dst[:len(dst)-2]
			}
		}
		return utf8.AppendRune(dst, r)
	case isMark(r), isInvisible(r):
		return dst
	case r >= 0x0660 && r <= 0x0669:
		return append(dst, byte('0'+r-0x0660))
	case r >= 0x06F0 && r <= 0x06F9:
		return append(dst, byte('0'+r-0x06F0))
	case r == 0x066B:
		return append(dst, '.')
	case r == 0x066C:
		return dst
	case r == 0x0671 || r == 0x0672 || r == 0x0673 || r == 0x0675:
		return utf8.AppendRune(dst, alef)
	case r == 0x06CC || r == 0x06D0:
		return utf8.AppendRune(dst, yeh)
	case r == 0x06C0 || r == 0x06D5 || r == 0x06C1 || r == 0x06BE:
		return utf8.AppendRune(dst, heh)
	case r == 0x06A9 || r == 0x06AA:
		return utf8.AppendRune(dst, kaf)
	case r == 0x0674:
		return appendRune(dst, start, hamza)
	case isPresentationForm(r):
		var tmp [utf8.UTFMax]byte
		n := utf8.EncodeRune(tmp[:], r)
		for _, x := range string(norm.NFKC.Bytes(tmp[:n])) {
			switch {
			case x == ' ':
			case isPresentationForm(x): // NFKC leaves it as it is (ornate parentheses ﴾ ﴿)
				dst = utf8.AppendRune(dst, x)
			default:
				dst = appendRune(dst, start, x)
			}
		}
		return dst
	default:
		f := foldOther(r)
		if len(f) == utf8.RuneLen(r) && f == string(r) {
			return append(dst, f...)
		}
		// The fold may produce Arabic letters (ٷ U+0677 -> ۇ + ٴ), which
		// fold in turn.
		for _, x := range f {
			if x == r || x < utf8.RuneSelf {
				dst = utf8.AppendRune(dst, x)
			} else {
				dst = appendRune(dst, start, x)
			}
		}
		return dst
	}
}

// isMark reports the Arabic diacritics and annotation marks that are removed.
func isMark(r rune) bool {
	return (r >= 0x064B && r <= 0x065F) || r == 0x0670 || (r >= 0x0610 && r <= 0x061A) ||
		(r >= 0x06D6 && r <= 0x06ED) || r == 0x0640
}

// IsInvisible reports the zero-width and bidi controls that never split a
// word and that normalization removes: ZWNJ, ZWJ, LRM, RLM, ALM (U+061C),
// the bidi embeddings and isolates (U+202A–U+202E, U+2066–U+2069), BOM
// and soft hyphen. The query parser drops the same set around operators.
func IsInvisible(r rune) bool { return isInvisible(r) }

func isInvisible(r rune) bool {
	switch {
	case r == 0x200C, r == 0x200D, r == 0x200E, r == 0x200F, r == 0x061C,
		r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0xFEFF, r == 0x00AD:
		return true
	}
	return false
}

func isPresentationForm(r rune) bool {
	return (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFE) || (r >= 0xFF00 && r <= 0xFFEF)
}

// foldOther folds a rune of another script: its compatibility decomposition
// without combining marks, lowercased, with the letters that have no
// decomposition spelled out (ß -> ss, æ -> ae, ø -> o ...), repeated until
// nothing changes, so that normalizing twice changes nothing (ẞ -> ß -> ss,
// Å U+212B -> a). The result is cached per rune.
func foldOther(r rune) string {
	if v, ok := foldCache.Load(r); ok {
		return v.(string)
	}
	out := string(r)
	for range 4 {
		var b strings.Builder
		for _, x := range norm.NFKD.String(out) {
			switch {
			case unicode.Is(unicode.Mn, x), x == ',':
			case x < utf8.RuneSelf:
				b.WriteRune(unicode.ToLower(x))
			default:
				x = unicode.ToLower(x)
				if sp, ok := foldSpecial[x]; ok {
					b.WriteString(sp)
				} else {
					b.WriteRune(x)
				}
			}
		}
		if b.String() == out {
			break
		}
		out = b.String()
	}
	foldCache.Store(r, out)
	return out
}

var foldCache sync.Map

var foldSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'đ': "d", 'ł': "l", 'þ': "th", 'ð': "d", 'ı': "i", 'ħ': "h",
}
