package index

import (
	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Field names in the bleve index. Only the ranking fields are indexed as
// text; the article itself is stored once, as JSON in _source, and snippets
// are cut from it by analyzing its text again (offsets point into the text).
const (
	fieldTitle = "title"     // stemmed title: the title's extra weight
	fieldText  = "text"      // title, summary and body (stemmed), with positions: the main ranking field, pairs and phrases
	fieldExact = "exact"     // title, summary and body, normalized but unstemmed
	fieldLead  = "lead"      // the first words of the body (stemmed): news puts the story there
	fieldID    = "id"        // the article id, for sorting
	fieldMonth = "pub_month" // published_at's UTC month, 2006-01, for the date histogram
	fieldDay   = "pub_day"   // published_at's UTC day, 2006-01-02, for the date histogram
)

// SchemaVersion changes whenever the mapping below changes meaning.
// Version 4: text is a real field with positions (was a composite of
// title, summary and body), the pairs field is gone (pairs are found from
// text's positions at query time), and title, summary and body are no
// longer stored or indexed apart from text (the article is in _source).
// Version 5: the v2 analyzers (analyzer/registry.go): more stop words and
// a second ال stripped, which changes the terms of every field and the
// wire-copy shingles.
// Version 6: a bulk build writes its articles' LSH band terms to the
// wire-bands file (bandfile.go), not to the "lsh" field, which then holds
// only the articles written since; an older build would not read them.
// The keyword and date fields are no longer stored (_source holds them),
// which lets every segment of a bulk build define the same fields
// (sameFields in bulkseg.go).
// Version 7: the v3 stemmed analyzers (analyzer/registry.go), which give
// words behind an ambiguous و or ل two readings.
// Version 8: the same session's v3 stemmer also joins مائة and مئة (no
// longer ماء, water); an index of version 7 was built with the first v3
// and is refused rather than mixed.
const SchemaVersion = 8

// Options choose the analyzers of a new index. The zero value is Bahth's
// analysis; other analyzers exist for ablations and comparisons.
type Options struct {
	Analyzer      string // stemmed fields (title, text, lead); default ar_news_v3
	ExactAnalyzer string // unstemmed fields (exact); default ar_exact_v2
}

func (o Options) withDefaults() Options {
	if o.Analyzer == "" {
		o.Analyzer = analyzer.News
	}
	if o.ExactAnalyzer == "" {
		o.ExactAnalyzer = analyzer.Exact
	}
	return o
}

// newMapping maps an article's ranking fields; see Index.document for
// what goes in each. Loading cost decided the options (BENCHMARKS.md):
// only the wire-copy group and the url are stored besides _source, which
// holds the article; only text keeps term vectors (positions for pairs
// and phrases); and nothing is indexed twice except what the ranking
// reads: text, exact, title and lead.
func newMapping(o Options) *mapping.IndexMappingImpl {
	o = o.withDefaults()
	text := func(an string, positions bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = an
		f.Store = false
		f.IncludeTermVectors = positions
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping { // not stored: _source holds the article
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.IncludeInAll = false
		f.Store = false
		return f
	}
	doc := bleve.NewDocumentMapping()
	doc.AddFieldMappingsAt(fieldTitle, text(o.Analyzer, false))
	doc.AddFieldMappingsAt(fieldText, text(o.Analyzer, true))
	doc.AddFieldMappingsAt(fieldExact, text(o.ExactAnalyzer, false))
	doc.AddFieldMappingsAt(fieldLead, text(o.Analyzer, false))
	for _, f := range []string{"section", "source", "author", "tags", "lang"} {
		doc.AddFieldMappingsAt(f, kw())
	}
	// Wire copies (dedup.go): the group key, stored; the LSH band terms,
	// indexed only (a bulk build writes its own to the wire-bands file).
	// Ingest adds them to each document itself, beside the stored-only
	// packed signature "minhash".
	wire := kw()
	wire.Store = true
	wire.DocValues = false
	doc.AddFieldMappingsAt(fieldWire, wire)
	lsh := kw()
	lsh.DocValues = false
	doc.AddFieldMappingsAt(fieldLSH, lsh)
	// The id again as a keyword with doc values: sorting on it breaks ties
	// without loading each candidate's stored document, which "_id" costs.
	doc.AddFieldMappingsAt(fieldID, kw())
	for _, f := range []string{fieldMonth, fieldDay} {
		doc.AddFieldMappingsAt(f, kw())
	}
	url := kw()
	url.Index = false
	url.Store = true
	url.DocValues = false
	doc.AddFieldMappingsAt("url", url)
	for _, f := range []string{"published_at", "updated_at"} {
		date := bleve.NewDateTimeFieldMapping()
		date.IncludeInAll = false
		date.Store = false
		doc.AddFieldMappingsAt(f, date)
	}
	all := bleve.NewDocumentDisabledMapping()
	doc.AddSubDocumentMapping("_all", all)
	doc.Dynamic = false

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = o.Analyzer
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}
