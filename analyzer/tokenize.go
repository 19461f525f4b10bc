package analyzer

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Tokenizer splits text into words and numbers, with Start and End the byte
// offsets of the word as written (diacritics, tatweel and invisible marks
// included), and Term the same bytes; NormalizeFilter folds the term later.
//
// A word is a run of letters (any script), combining marks (Mn, Mc, Me),
// tatweel U+0640 and the invisible characters listed on NormalizeFilter
// (ZWNJ, ZWJ, LRM, RLM, ALM, bidi embeddings and isolates, BOM, soft hyphen):
// none of those splits a word. A leading or trailing run of invisible
// characters is not part of the word.
//
// A number is a run of digits (0–9, ٠–٩ U+0660–U+0669, ۰–۹ U+06F0–U+06F9)
// in which '.', ',', ٫ U+066B and ٬ U+066C are kept when a digit follows them
// (97.4, ٩٧٫٤, 1,500, ١٬٥٠٠). Latin letters and digits stay in one token
// (gpt4, covid19), but a word splits where Arabic letters meet digits
// (2024م -> 2024 م) and where Arabic script meets Latin (لـOpenAI -> لـ OpenAI).
//
// Everything else separates words: spaces (including ZWSP U+200B), ASCII and
// Arabic punctuation (، U+060C ؛ U+061B ؟ U+061F ٪ U+066A « » ...), symbols
// (including ۝ U+06DD, ۞ U+06DE and ۩ U+06E9 among the Quranic marks), and
// the formula ligatures ﷺ U+FDFA, ﷻ U+FDFB and ﷽ U+FDFD, which expand to
// whole phrases and carry nothing to search for.
//
// Positions count words from 1.
type Tokenizer struct{}

type class uint8

const (
	clSep class = iota
	clArabic
	clLetter // any other letter, Latin included
	clDigit
	clJoin // marks, tatweel and invisible characters: part of a word, never its start
	clNumSep
)

// asciiClass is the class of each ASCII byte.
var asciiClass = func() (t [utf8.RuneSelf]class) {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			t[c] = clLetter
		case '0' <= c && c <= '9':
			t[c] = clDigit
		case c == '.' || c == ',':
			t[c] = clNumSep
		}
	}
	return t
}()

func classify(r rune) class {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	if (r >= 0x0621 && r <= 0x063A) || (r >= 0x0641 && r <= 0x064A) {
		return clArabic // the common case first
	}
	switch {
	case r == 0xFDFA || r == 0xFDFB || r == 0xFDFD, r == 0x06DD, r == 0x06DE, r == 0x06E9:
		return clSep
	case r == 0x0640 || isMark(r) || isInvisible(r):
		return clJoin
	case (r >= 0x0660 && r <= 0x0669) || (r >= 0x06F0 && r <= 0x06F9):
		return clDigit
	case r == 0x066B || r == 0x066C:
		return clNumSep
	case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0x08A0 && r <= 0x08FF,
		r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFC:
		switch {
		case unicode.IsLetter(r):
			return clArabic
		case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
			return clJoin
		}
		return clSep // ، ؛ ؟ ٪ ۔ and other Arabic punctuation
	case unicode.IsLetter(r):
		return clLetter
	case unicode.IsDigit(r):
		return clDigit
	case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
		return clJoin
	}
	return clSep
}

// decode returns the rune at b[i] and its length, with fast paths for
// ASCII and the two-byte sequences of Arabic script.
func decode(b []byte, i int) (rune, int) {
	c := b[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xC2 && c < 0xE0 && i+1 < len(b) && b[i+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(b[i+1]&0x3F), 2
	}
	return utf8.DecodeRune(b[i:])
}

// Tokenize implements analysis.Tokenizer.
func (Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	// One backing array for all tokens: Arabic news has a word every ~11
	// bytes (stop words included).
	toks := make([]analysis.Token, 0, len(input)/9+1)
	rv := make(analysis.TokenStream, 0, len(input)/9+1)
	pos := 0
	i := 0
	for i < len(input) {
		r, size := decode(input, i)
		cl := classify(r)
		if cl == clSep || cl == clJoin || cl == clNumSep {
			i += size
			continue
		}
		start := i
		end := i + size // end of the last letter or digit
		i = end
		kind := cl
		for i < len(input) {
			r, size = decode(input, i)
			c := classify(r)
			if c == clJoin {
				i += size
				continue
			}
			if c == clNumSep && kind == clDigit {
				if j := i + size; j < len(input) {
					if r2, _ := decode(input, j); classify(r2) == clDigit {
						i = j
						continue
					}
				}
				break
			}
			if !joins(kind, c) {
				break
			}
			if c == clArabic || (c == clLetter && kind == clDigit) {
				kind = c
			}
			i += size
			end = i
		}
		// Trailing marks and tatweel belong to the word; trailing invisible
		// controls (an RLM after a name) do not.
		i = end
		for i < len(input) {
			r, size = decode(input, i)
			if classify(r) != clJoin || isInvisible(r) {
				break
			}
			i += size
		}
		end = i
		pos++
		typ := analysis.AlphaNumeric
		if kind == clDigit {
			typ = analysis.Numeric
		}
		toks = append(toks, analysis.Token{
			Term:     input[start:end:end],
			Start:    start,
			End:      end,
			Position: pos,
			Type:     typ,
		})
		rv = append(rv, &toks[len(toks)-1])
	}
	return rv
}

// joins reports whether a character of class next continues a word that so
// far is of class kind.
func joins(kind, next class) bool {
	switch kind {
	case clArabic:
		return next == clArabic
	case clLetter:
		return next == clLetter || next == clDigit
	case clDigit:
		return next == clDigit || next == clLetter
	}
	return false
}
