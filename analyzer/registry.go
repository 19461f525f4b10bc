// Package analyzer turns Arabic news text into bleve tokens: a tokenizer that
// keeps byte offsets on the original text, normalization of the spellings
// readers treat as the same, Arabic stop words and a light stemmer.
//
// Analyzer names are stored in every index mapping, so they are contracts:
// a change to what an analyzer produces ships under a new versioned name and
// requires a reindex (STYLE.md rule 4). All names are registered here.
package analyzer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Registered names. Version 2 of News, Exact, Pairs and of the stop and
// stem filters (index schema 5) added the stop words ماهو، ماهي and لدي
// with its pronouns, and the stemmer's second ال (StemArabic step 2).
// Version 3 of News, Pairs and the stem filter (index schema 7; Exact is
// unchanged) gives a word two readings where a clitic is ambiguous: و
// before a stem with a root و (وتركيا، وزعيم) and ل before a word that
// began with a hamza (لإيران، لأكثر), strips و before a protected word
// (وعدد), and joins مائة and مئة (index schema 8: the first v3, without
// the last, made schema 7). Older versions are no longer registered, so an index made with
// them is refused and must be rebuilt.
const (
	// News is the stemmed analyzer: tokenize, normalize, stop words, stem.
	News = "ar_news_v3"
	// Exact is normalized but unstemmed: tokenize, normalize, stop words.
	Exact = "ar_exact_v2"
	// Pairs is News followed by PairFilter: adjacent stems as one term.
	Pairs = "ar_pairs_v3"
	// Normalized only: tokenize and normalize (for ablations: no stop words).
	Normalized = "ar_norm_v1"

	TokenizerName = "ar_tokenizer_v1"
	NormalizeName = "ar_normalize_v1"
	StopName      = "ar_stop_v2"
	StemName      = "ar_stem_v3"
)

// Names lists the analyzers this package registers.
var Names = []string{News, Exact, Pairs, Normalized}

// NewNews returns the stemmed analyzer without going through the registry.
func NewNews() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    Tokenizer{},
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}, StemFilter{}},
	}
}

// NewExact returns the unstemmed analyzer without going through the registry.
func NewExact() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    Tokenizer{},
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}},
	}
}

// NewPairs returns the analyzer of adjacent stem pairs.
func NewPairs() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    Tokenizer{},
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}, StemFilter{}, PairFilter{}},
	}
}

// NewNormalized returns the analyzer that only tokenizes and normalizes.
func NewNormalized() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{Tokenizer: Tokenizer{}, TokenFilters: []analysis.TokenFilter{NormalizeFilter{}}}
}

func init() {
	must(registry.RegisterTokenizer(TokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return Tokenizer{}, nil
	}))
	must(registry.RegisterTokenFilter(NormalizeName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return NormalizeFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(StopName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return StopFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(StemName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return StemFilter{}, nil
	}))
	must(registry.RegisterAnalyzer(News, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewNews(), nil
	}))
	must(registry.RegisterAnalyzer(Exact, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewExact(), nil
	}))
	must(registry.RegisterAnalyzer(Pairs, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewPairs(), nil
	}))
	must(registry.RegisterAnalyzer(Normalized, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewNormalized(), nil
	}))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Tok is one token as shown to people: its term and the surface text it
// was made from.
type Tok struct {
	Term     string `json:"term"`
	Surface  string `json:"surface"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Position int    `json:"position"`
}

// AnalyzeNamed runs the analyzer registered in bleve under name over text.
func AnalyzeNamed(name, text string) ([]Tok, error) {
	a, err := registry.NewCache().AnalyzerNamed(name)
	if err != nil {
		return nil, fmt.Errorf("analyzer %q: %w", name, err)
	}
	var out []Tok
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, Tok{Term: string(t.Term), Surface: text[t.Start:t.End], Start: t.Start, End: t.End, Position: t.Position})
	}
	return out, nil
}
