package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Index is an on-disk article index.
type Index struct {
	bleve bleve.Index

	// the analyzers the index was built with, for query text
	stem, exact analysis.Analyzer

	mu    sync.RWMutex
	stats fieldStats

	wire     wireState    // wire copies of the batches being written (dedup.go)
	bands    *bandFile    // the band terms of a bulk build (bandfile.go), or nil; read under wire.mu
	sugg     suggestState // the vocabulary of Suggest and DidYouMean (suggest.go)
	synonyms *synonyms    // query-time alternatives
	pairHits *pairCache   // pairs' documents per segment (paircache.go)
	postings *postCache   // terms' postings decoded per segment (postcache.go)

	// analyzeOnce: the index's analyzers are Bahth's, so a batch's texts
	// are analyzed once for all their fields (analyzeDocument).
	analyzeOnce bool

	closeOnce sync.Once
	closeErr  error
}

// fieldStats are the collection statistics BM25 needs and bleve does not
// keep: the number of documents indexed and the summed token counts of each
// ranking field. They are updated after every batch and stored in the index.
// A replaced article's length is not known, so a batch with replacements
// adds its mean length per new article; a deletion removes the index's mean
// length. Heavy rewriting makes the averages drift a little; a rebuild
// recomputes them.
type fieldStats struct {
	Docs   int64            `json:"docs"`
	Tokens map[string]int64 `json:"tokens"`
}

var statsKey = []byte("bahth:fieldstats")

// rankedFields are the fields whose lengths fieldStats sums.
var rankedFields = []string{fieldText, fieldExact, fieldTitle, fieldLead}

// Create makes a new empty index in dir, which must not exist, with Bahth's analyzers.
func Create(dir string) (*Index, error) { return CreateWith(dir, Options{}) }

// CreateWith makes a new empty index in dir with the given analyzers.
//
// dir is a symbolic link to a generation directory beside it (dir.gen1,
// dir.gen2 ...), so that Reindex can build the next generation and swap it
// in with one atomic rename: whoever opens dir gets a complete index.
func CreateWith(dir string, o Options) (*Index, error) {
	if _, err := os.Lstat(dir); err == nil {
		return nil, fmt.Errorf("creating index: %s already exists", dir)
	}
	gen := generationPath(dir, 1)
	ix, err := createAt(gen, o)
	if err != nil {
		return nil, err
	}
	if err := os.Symlink(filepath.Base(gen), dir); err != nil {
		ix.Close()
		os.RemoveAll(gen)
		return nil, fmt.Errorf("creating index %s: %w", dir, err)
	}
	return ix, nil
}

// createAt makes a new empty index in the directory path itself.
func createAt(path string, o Options) (*Index, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("creating index: %s already exists", path)
	}
	b, err := bleve.NewUsing(path, newMapping(o), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("creating index in %s: %w", path, err)
	}
	if err := writeMeta(path, metaOf(o)); err != nil {
		b.Close()
		return nil, fmt.Errorf("creating index in %s: %w", path, err)
	}
	return newIndex(b)
}

func newIndex(b bleve.Index) (*Index, error) {
	ix := &Index{bleve: b, stats: fieldStats{Tokens: map[string]int64{}}, sugg: newSuggestState(), synonyms: defaultSynonyms(), pairHits: newPairCache(), postings: newPostCache()}
	m := b.Mapping()
	ix.stem = m.AnalyzerNamed(m.AnalyzerNameForPath(fieldTitle))
	ix.exact = m.AnalyzerNamed(m.AnalyzerNameForPath(fieldExact))
	if ix.stem == nil || ix.exact == nil {
		b.Close()
		return nil, fmt.Errorf("index %s: its analyzers are not registered in this build", b.Name())
	}
	d := Options{}.withDefaults()
	ix.analyzeOnce = m.AnalyzerNameForPath(fieldTitle) == d.Analyzer && m.AnalyzerNameForPath(fieldText) == d.Analyzer &&
		m.AnalyzerNameForPath(fieldLead) == d.Analyzer && m.AnalyzerNameForPath(fieldExact) == d.ExactAnalyzer
	return ix, nil
}

// reader opens a reader of the index's current snapshot, which the caller
// closes.
func (ix *Index) reader() (bindex.IndexReader, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// Open opens an existing index. It fails with ErrReindex when the index was
// built with another schema or with analyzers this build does not have.
func Open(dir string) (*Index, error) {
	if err := checkMeta(dir); err != nil {
		return nil, err
	}
	b, err := bleve.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("opening index %s: %w", dir, err)
	}
	ix, err := newIndex(b)
	if err != nil {
		return nil, err
	}
	raw, err := b.GetInternal(statsKey)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("opening index %s: reading statistics: %w", dir, err)
	}
	if raw != nil {
		if err := json.Unmarshal(raw, &ix.stats); err != nil {
			b.Close()
			return nil, fmt.Errorf("opening index %s: statistics: %w", dir, err)
		}
	}
	if ix.bands, err = openBandFile(dir); err != nil {
		b.Close()
		return nil, fmt.Errorf("opening index %s: %w", dir, err)
	}
	return ix, nil
}

// OpenOrCreate opens dir if it holds an index and creates one otherwise.
func OpenOrCreate(dir string) (*Index, error) {
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return Create(dir)
	}
	return Open(dir)
}

// Remove deletes the index at dir: the link and the generation it points to.
func Remove(dir string) error {
	if target, err := filepath.EvalSymlinks(dir); err == nil && target != dir {
		if err := os.RemoveAll(target); err != nil {
			return err
		}
	}
	return os.RemoveAll(dir)
}

// Analyzers returns the names of the analyzers of the stemmed and the
// unstemmed fields, as stored in the index mapping.
func (ix *Index) Analyzers() (stem, exact string) {
	m := ix.bleve.Mapping()
	return m.AnalyzerNameForPath(fieldTitle), m.AnalyzerNameForPath(fieldExact)
}

// Close releases the index; closing it again does nothing.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		err := ix.bleve.Close()
		// The band file is read under the wire lock (wireCandidates): a
		// write still running finishes with it, a later one finds none,
		// and nothing reads the mapping once it is gone.
		ix.wire.mu.Lock()
		bands := ix.bands
		ix.bands = nil
		ix.wire.mu.Unlock()
		ix.closeErr = errors.Join(err, bands.close())
	})
	return ix.closeErr
}

// Count returns the number of articles.
func (ix *Index) Count() (uint64, error) { return ix.bleve.DocCount() }

// document maps an article to the bleve document with its ranking fields.
func (ix *Index) document(a Article) (*document.Document, error) {
	return articleDocument(ix.bleve.Mapping(), a)
}

// articleDocument maps an article with the index mapping m.
func articleDocument(m mapping.IndexMapping, a Article) (*document.Document, error) {
	// Each text a value of its own (its own array position), so that no
	// pair or phrase spans the end of the title and the start of the body.
	var all []string
	for _, t := range []string{a.Title, a.Summary, a.Body} {
		if t != "" {
			all = append(all, t)
		}
	}
	data := map[string]interface{}{
		"id":       a.ID,
		fieldTitle: a.Title,
		fieldText:  all,
		fieldExact: all,
		fieldLead:  lead(a.Body),
		"author":   a.Authors,
		"tags":     a.Tags,
	}
	for name, v := range map[string]string{"section": a.Section, "source": a.Source, "lang": a.Lang} {
		if v != "" { // an empty keyword would be a facet value
			data[name] = v
		}
	}
	for name, t := range map[string]time.Time{"published_at": a.PublishedAt, "updated_at": a.UpdatedAt} {
		if !t.IsZero() {
			data[name] = t.Format(time.RFC3339)
		}
	}
	if p := a.PublishedAt.UTC(); !a.PublishedAt.IsZero() {
		data[fieldMonth] = p.Format("2006-01")
		data[fieldDay] = p.Format(time.DateOnly)
	}
	doc := document.NewDocument(a.ID)
	if err := m.MapDocument(doc, data); err != nil {
		return nil, fmt.Errorf("mapping article %s: %w", a.ID, err)
	}
	raw, err := a.MarshalJSON() // compact already: json.Marshal would check and copy it again
	if err != nil {
		return nil, err
	}
	doc.AddField(document.NewTextFieldWithIndexingOptions(sourceField, nil, raw, bindex.StoreField))
	return doc, nil
}

// leadWords is how many words of the body make its lead.
const leadWords = 40

// lead returns the first leadWords words of the body.
func lead(body string) string {
	n := 0
	inWord := false
	for i, r := range body {
		if unicode.IsSpace(r) {
			if inWord {
				n++
				if n == leadWords {
					return body[:i]
				}
			}
			inWord = false
		} else {
			inWord = true
		}
	}
	return body
}

// sourceField stores the whole article as JSON, returned with hits.
const sourceField = "_source"

// Add indexes articles in one batch; an article with an existing id
// replaces it.
func (ix *Index) Add(articles []Article) error {
	_, err := ix.upsert(articles)
	return err
}

// add indexes a batch of distinct ids, replaced of which already existed,
// waits until it is persisted, and updates the ranking statistics. A replaced article's new length is
// counted in place of the old one's, which is not known: the averages
// drift only by the difference.
func (ix *Index) add(articles []Article, replaced int) error {
	// The documents and the wire signatures first, outside the wire lock.
	// With Bahth's analyzers each text is analyzed once for all its
	// fields and the shingles, as in a bulk build (analyzeDocument);
	// scorch then takes the fields as analyzed.
	docs := make([]*document.Document, 0, len(articles))
	wires := make([]*wireInfo, len(articles))
	for i, a := range articles {
		doc, err := ix.document(a)
		if err != nil {
			return err
		}
		var texts textTokens
		if ix.analyzeOnce {
			var lens [4]int64
			analyzeDocument(doc, &lens, &texts)
		}
		w := &wireInfo{id: a.ID, key: a.ID}
		w.bands, w.sig = wireSignatureOf(&texts, a)
		wires[i] = w
		docs = append(docs, doc)
	}
	done, err := ix.assignWire(context.Background(), wires)
	if err != nil {
		return err
	}
	defer done() // once the batch is searchable (or failed)
	batch := ix.bleve.NewBatch()
	for i, doc := range docs {
		wires[i].addTo(doc)
		if err := batch.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("article %s: %w", articles[i].ID, err)
		}
	}
	// Keep the suggestion vocabulary current (suggest.go).
	vw, err := ix.beginVocabWrite(articleIDs(articles))
	if err != nil {
		return err
	}
	defer vw.end()
	persisted := make(chan error, 1)
	batch.SetPersistedCallback(func(err error) { persisted <- err })
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("indexing batch: %w", err)
	}
	// Acknowledge only what is on disk: a write that returns survives kill -9.
	if err := <-persisted; err != nil {
		return fmt.Errorf("persisting batch: %w", err)
	}
	vw.commit(articles)
	// The documents were analyzed by the batch: read their field lengths.
	ix.mu.Lock()
	defer ix.mu.Unlock()
	added := make(map[string]int64, len(rankedFields))
	for _, doc := range docs {
		doc.VisitFields(func(f bindex.Field) {
			for _, name := range rankedFields {
				if f.Name() == name {
					added[name] += int64(f.AnalyzedLength())
				}
			}
		})
	}
	// Replaced articles: count their new lengths instead of adding them.
	fresh := int64(len(docs) - replaced)
	for name, n := range added {
		ix.stats.Tokens[name] += n * fresh / int64(len(docs))
	}
	ix.stats.Docs += fresh
	return ix.saveStats()
}

// forget removes n deleted articles from the statistics, at average length.
func (ix *Index) forget(n int) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.stats.Docs <= 0 {
		return nil
	}
	for name, tokens := range ix.stats.Tokens {
		ix.stats.Tokens[name] = tokens - tokens*int64(n)/ix.stats.Docs
	}
	ix.stats.Docs = max(0, ix.stats.Docs-int64(n))
	return ix.saveStats()
}

// saveStats stores the statistics; ix.mu must be held.
func (ix *Index) saveStats() error {
	raw, err := json.Marshal(ix.stats)
	if err != nil {
		return err
	}
	return ix.bleve.SetInternal(statsKey, raw)
}

// avgLengths returns the mean token count of each ranking field.
func (ix *Index) avgLengths() map[string]float64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	m := make(map[string]float64, len(ix.stats.Tokens))
	for f, n := range ix.stats.Tokens {
		if ix.stats.Docs > 0 {
			m[f] = float64(n) / float64(ix.stats.Docs)
		}
	}
	return m
}
