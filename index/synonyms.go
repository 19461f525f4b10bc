package index

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Limits of a synonyms file.
const (
	maxSynonymWords  = 8        // analyzer words in one spelling
	maxSynonymLine   = 64 << 10 // bytes in one line
	maxExpandedTerms = 16       // terms of one group after expansion
)

// synonyms holds the entries of a synonyms file: each entry is a set of
// spellings of one name or word (ترامب | ترمب | Trump) that a query for any
// of them also searches.
//
// A spelling is compared by its normalized words (analyzer.NewNormalized:
// the analyzer's words, with its folding of alef and hamza forms, ة/ه, ى/ي,
// diacritics, tatweel, digits and Latin case), so spellings that differ only
// in those need not be listed, and اوبن ايه اي typed without hamzas finds the
// entry of أوبن إيه آي. A clitic glued to the first word (وترامب, لترمب,
// والامم المتحده) is taken off when the word as typed is no spelling
// (cliticRun).
type synonyms struct {
	entries  [][]synSpelling
	byKey    map[string]synRef // normalized words, joined by a space
	maxWords int               // words of the longest spelling
}

// synSpelling is one spelling of an entry.
type synSpelling struct {
	text  string // as written in the file, inner spaces collapsed
	words int    // analyzer words: more than one makes a phrase term
	line  int
}

type synRef struct{ entry, spelling int }

//go:embed synonyms.txt
var defaultSynonymsFile string

var loadDefaultSynonyms = sync.OnceValue(func() *synonyms {
	s, err := loadSynonyms(strings.NewReader(defaultSynonymsFile), "synonyms.txt")
	if err != nil {
		panic(err) // the embedded file is tested (TestDefaultSynonymsLoad)
	}
	return s
})

// defaultSynonyms returns the entries of the embedded synonyms.txt.
func defaultSynonyms() *synonyms { return loadDefaultSynonyms() }

// loadSynonyms reads a synonyms file (name is used in errors). The format,
// documented in docs/query-language.md:
//
//   - one entry per line, its spellings separated by |:
//     ترامب | ترمب | Trump
//   - # starts a comment when it begins the line or follows a space
//     (so C# is a spelling); blank lines are skipped; a BOM is ignored;
//   - a spelling is one or more words, at most maxSynonymWords (8);
//     multi-word spellings are searched as phrases;
//   - an entry needs two spellings that differ after normalization;
//     spellings equal after it are kept once (the first);
//   - a spelling may belong to one entry only.
//
// Errors name the file and line (synonyms.txt:12: ...).
func loadSynonyms(r io.Reader, name string) (*synonyms, error) {
	s := &synonyms{byKey: map[string]synRef{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxSynonymLine)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("%s:%d: invalid UTF-8", name, n)
		}
		line = strings.TrimSpace(stripComment(line))
		if line == "" {
			continue
		}
		entry, err := s.parseEntry(line, n)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		for i, sp := range entry {
			s.byKey[synKey(sp.text)] = synRef{len(s.entries), i}
			s.maxWords = max(s.maxWords, sp.words)
		}
		s.entries = append(s.entries, entry)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s:%d: line longer than %d bytes: %w", name, n+1, maxSynonymLine, err)
		}
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return s, nil
}

// parseEntry reads the spellings of one line (comment removed, not blank).
func (s *synonyms) parseEntry(line string, n int) ([]synSpelling, error) {
	var entry []synSpelling
	keys := map[string]bool{}
	for _, field := range strings.Split(line, "|") {
		text := strings.Join(strings.Fields(field), " ")
		words := analyzeWords(text)
		key := strings.Join(words, " ")
		switch {
		case text == "":
			return nil, errors.New("empty spelling (a | with nothing on one side)")
		case len(words) == 0:
			return nil, fmt.Errorf("spelling %q has no letter or digit", text)
		case len(words) > maxSynonymWords:
			return nil, fmt.Errorf("spelling %q has %d words; at most %d", text, len(words), maxSynonymWords)
		case keys[key]:
			continue
		}
		if ref, ok := s.byKey[key]; ok {
			other := s.entries[ref.entry][ref.spelling]
			return nil, fmt.Errorf("spelling %q is already in the entry on line %d (as %q); a spelling belongs to one entry", text, other.line, other.text)
		}
		keys[key] = true
		entry = append(entry, synSpelling{text: text, words: len(words), line: n})
	}
	if len(entry) < 2 {
		return nil, fmt.Errorf("%q: an entry needs two or more spellings, separated by |, that differ after normalization", line)
	}
	return entry, nil
}

// stripComment cuts line at a # that starts it or follows a space.
func stripComment(line string) string {
	for i, r := range line {
		if r == '#' {
			if i == 0 {
				return ""
			}
			if prev, _ := utf8.DecodeLastRuneInString(line[:i]); unicode.IsSpace(prev) {
				return line[:i]
			}
		}
	}
	return line
}

// synKey is the text's normalized words joined by a space.
func synKey(text string) string { return strings.Join(analyzeWords(text), " ") }

// expand adds alternatives to the query's groups and returns the new list;
// groups is not modified.
//
// A run of consecutive groups that each hold one plain word (no phrase, no
// prefix) and whose words together equal a spelling (the longest one, from
// the left) is replaced by ONE group: the typed words (a phrase term when
// there are several, else the typed term) followed by every other spelling
// of the entry, multi-word spellings as phrase terms. So أوبن إيه آي typed
// as three words becomes one group {"أوبن إيه آي", OpenAI}, and it counts
// once toward "all the words" (plan.go); call expand before counting.
//
// In a group of several terms (a OR b), each plain word that is a spelling
// gets the entry's other spellings added. Phrases and prefixes are never
// expanded: quotes ask for those words. Excluded terms are not expanded
// here. A group keeps at most maxExpandedTerms (16) terms.
func (s *synonyms) expand(groups []queryGroup) []queryGroup {
	if s == nil || len(s.entries) == 0 {
		return groups
	}
	words := make([][]string, len(groups))
	for i, g := range groups {
		if (len(g) == 1 || len(g) == 2 && g[1].Fix) && plainWord(g[0]) { // a typo fix (typoFixes) gives way to a synonym
			words[i] = analyzeWords(g[0].Text)
		}
	}
	out := make([]queryGroup, 0, len(groups))
	for i := 0; i < len(groups); {
		if n, ref := s.longestRun(words[i:]); n > 0 {
			out = append(out, s.replace(groups[i:i+n], ref, false))
			i += n
			continue
		}
		if n, ref := s.cliticRun(words[i:]); n > 0 {
			out = append(out, s.replace(groups[i:i+n], ref, true))
			i += n
			continue
		}
		out = append(out, s.addAlternatives(groups[i]))
		i++
	}
	return out
}

func plainWord(t queryTerm) bool { return !t.Phrase && !t.Prefix }

// longestRun returns how many of the leading groups (their normalized words,
// nil for a group that can't start or continue a run) form the longest
// spelling, and which; 0 when none does.
func (s *synonyms) longestRun(words [][]string) (int, synRef) {
	var (
		best    int
		bestRef synRef
		key     strings.Builder
		count   int
	)
	for n, w := range words {
		if len(w) == 0 {
			break
		}
		if count += len(w); count > s.maxWords {
			break
		}
		if n > 0 {
			key.WriteByte(' ')
		}
		key.WriteString(strings.Join(w, " "))
		if ref, ok := s.byKey[key.String()]; ok {
			best, bestRef = n+1, ref
		}
	}
	return best, bestRef
}

// cliticPrefixes are the clitics glued to a name, as normalized: a
// conjunction, a preposition or both, or the article after them (لل is
// ل + ال, its alef dropped).
var cliticPrefixes = []string{"وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك"}

// cliticRun is longestRun for a run whose first word carries a clitic
// (وترامب، لترمب، والامم المتحده): the longest run spelled once a clitic
// is taken off the first word, leaving at least 3 letters (with ال put
// back after لل). The stemmer keeps some such words whole (وترامب, whose
// وتر is a stem), so the caller searches the bare spelling too.
func (s *synonyms) cliticRun(words [][]string) (int, synRef) {
	if len(words) == 0 || len(words[0]) == 0 {
		return 0, synRef{}
	}
	first := words[0][0]
	run := slices.Clone(words)
	for _, p := range cliticPrefixes {
		rest, ok := strings.CutPrefix(first, p)
		if !ok || utf8.RuneCountInString(rest) < 3 {
			continue
		}
		if strings.HasSuffix(p, "لل") {
			rest = "ال" + rest
		}
		run[0] = append([]string{rest}, words[0][1:]...)
		if n, ref := s.longestRun(run); n > 0 {
			return n, ref
		}
	}
	return 0, synRef{}
}

// lookup returns the spelling that text is, as it stands or with a clitic
// taken off its first word (cliticRun).
func (s *synonyms) lookup(text string) (synRef, bool) {
	if s == nil {
		return synRef{}, false
	}
	w := [][]string{analyzeWords(text)}
	n, ref := s.longestRun(w)
	if n == 0 {
		n, ref = s.cliticRun(w)
	}
	return ref, n > 0
}

// replace returns the group for a run of one-word groups that spells the
// entry's spelling ref; with bare, ref's own spelling is added after the
// typed words (the run had a clitic, cliticRun).
func (s *synonyms) replace(run []queryGroup, ref synRef, bare bool) queryGroup {
	g := make(queryGroup, 0, len(s.entries[ref.entry]))
	if len(run) == 1 {
		g = append(g, run[0][0])
	} else {
		texts := make([]string, len(run))
		for i, r := range run {
			texts[i] = r[0].Text
		}
		g = append(g, queryTerm{Text: strings.Join(texts, " "), Phrase: true})
	}
	for i, sp := range s.entries[ref.entry] {
		if (i != ref.spelling || bare) && len(g) < maxExpandedTerms {
			g = append(g, queryTerm{Text: sp.text, Phrase: sp.words > 1})
		}
	}
	return g
}

// addAlternatives returns g with the other spellings of each of its plain
// words that is a spelling; g itself when nothing is added.
func (s *synonyms) addAlternatives(g queryGroup) queryGroup {
	if len(g) < 2 {
		return g // a lone plain word was tried as a run
	}
	have := map[string]bool{}
	for _, t := range g {
		have[synKey(t.Text)] = true
	}
	var out queryGroup
	for _, t := range g {
		if !plainWord(t) {
			continue
		}
		ref, ok := s.lookup(t.Text)
		if !ok {
			continue
		}
		for _, sp := range s.entries[ref.entry] {
			if k := synKey(sp.text); !have[k] && len(g)+len(out) < maxExpandedTerms {
				have[k] = true
				out = append(out, queryTerm{Text: sp.text, Phrase: sp.words > 1})
			}
		}
	}
	if len(out) == 0 {
		return g
	}
	return append(append(make(queryGroup, 0, len(g)+len(out)), g...), out...)
}

// UseSynonyms replaces the index's synonyms (the embedded synonyms.txt by
// default) with those of the file at path, for this process; the index on
// disk is unchanged, since synonyms apply at query time. Call it before
// searching starts: it is not synchronized with running searches.
func (ix *Index) UseSynonyms(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("synonyms: %w", err)
	}
	defer f.Close()
	s, err := loadSynonyms(f, path)
	if err != nil {
		return err
	}
	ix.synonyms = s
	return nil
}
