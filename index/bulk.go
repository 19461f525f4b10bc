package index

// Bulk building: a new index (the first load into a missing index, and
// Reindex) is built offline, as scorch's Builder builds one, instead of
// batch by batch through a live index. A segment is written every
// bulkSegmentDocs articles and the segments are merged once at the end
// (into bulkFinalSegments segments, merged at the same time),
// without the snapshots, the persister and the online merges a live index
// runs after every batch (BENCHMARKS.md, "Loading"). The index appears
// whole: it is built in PATH.building and renamed to PATH once complete
// and on disk, so a crash or Ctrl-C while reading leaves no index, and
// rerunning builds it again.
//
// Several workers parse, map and analyze the articles and compute their
// wire signatures; one goroutine takes them in input order, rejects, finds
// wire copies in an in-memory LSH table (the index can't be searched while
// it is built; the table's band terms are written to the wire-bands file at
// the end, bandfile.go) and hands the documents to the segment workers
// (bulkseg.go), which write the segments in parallel, one per core. An id
// seen a second time is passed back to the caller (dup), who applies it
// once the index is open, as an ordinary upsert: the later version wins,
// as in a live load.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bahth/bahth/analyzer"
	"github.com/bahth/bahth/internal/corpus"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
)

// Articles per segment and segments merged at once; variables so that a
// test can build many segments from a few articles.
var (
	// Articles per segment (half scorch's Builder's default). Each article
	// analyzed holds about 300 KB until its segment is written, and a
	// build holds one segment being filled and one being written per core.
	bulkSegmentDocs = 500
	// Segments merged at once at the end. Scorch's default of 10 would
	// merge the 141 segments of the news corpus in three rounds, rewriting
	// everything more than once; 200 merges them in one.
	bulkMergeMax = 200
	// Segments a build ends with, merged at the same time (mergeParts):
	// the final merge of the news corpus took a fifth of the CPU of a
	// build, on one core while the other waited.
	bulkFinalSegments = 2
)

const (
	bulkChunk = 32 // lines a worker takes at a time
	bulkAhead = 8  // chunks prepared ahead of the sequencer
)

// bulkLine is one input line on its way through a build.
type bulkLine struct {
	name string // the input's name, for reasons
	line int
	text []byte
	// What a worker made of it: a rejection, or the article analyzed.
	reject error
	fail   error // a mapping error, which stops the build
	art    Article
	doc    *document.Document
	lens   [4]int64 // analyzed lengths of rankedFields
	bands  []uint64 // LSH band hashes; nil when too short to group
	sig    packed
}

type bulkBatch struct {
	lines []bulkLine
	done  chan struct{} // closed once a worker prepared the lines
}

// buildAt builds a new index in path (which must not exist) from the lines
// feed emits, with Bahth's analysis (Options{}). Rejected lines go to opts.Reject
// and count in st.Rejected; the later versions of an id seen twice go to
// dup (they are not in the built index). st.Building counts the articles
// in the build as it goes; the caller counts them as stored once buildAt
// returns nil, by when the index is on disk. It stops reading when ctx is
// cancelled and then removes what it built.
func buildAt(ctx context.Context, path string, opts IngestOptions, st *IngestStats,
	feed func(emit func(name string, line int, text []byte) error) error, dup func(text []byte) error) (err error) {
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	// opts.BatchSize is for live batches; a segment holds bulkSegmentDocs.
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("creating index: %s already exists", path)
	}
	staging := path + ".building"
	if err := os.RemoveAll(staging); err != nil { // a build that was interrupted
		return err
	}
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return err
	}
	defer func() {
		if rerr := os.RemoveAll(staging); err == nil {
			err = rerr
		}
	}()
	o := Options{} // analyzeDocument relies on Bahth's analyzers
	m := newMapping(o)
	// An empty index first (bleve's index_meta.json and the mapping in its
	// store); the segments are built beside it and become its store.
	ixPath := filepath.Join(staging, "index")
	empty, err := bleve.NewUsing(ixPath, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return fmt.Errorf("building index in %s: %w", path, err)
	}
	if err := empty.Close(); err != nil {
		return err
	}
	shapes, err := unstoredShapes(m)
	if err != nil {
		return err
	}
	sink, err := newBuilderSink(ixPath, staging, bulkSegmentDocs, shapes)
	if err != nil {
		return fmt.Errorf("building index in %s: %w", path, err)
	}

	var failed atomic.Bool // the sequencer stopped: stop reading
	work := make(chan *bulkBatch, 2*runtime.GOMAXPROCS(0))
	order := make(chan *bulkBatch, bulkAhead)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				for i := range b.lines {
					prepareLine(m, &b.lines[i], opts.MaxLineBytes)
				}
				close(b.done)
			}
		}()
	}
	seq := &bulkSequencer{sink: sink, opts: opts, st: st, dup: dup, seen: map[string]bool{}, unknown: unknownFields{fn: opts.Unknown}, lsh: newBandTable(),
		stats: fieldStats{Tokens: map[string]int64{}}}
	seqDone := make(chan error, 1)
	go func() {
		var err error
		for b := range order {
			<-b.done
			if err == nil {
				if err = seq.take(b.lines); err != nil {
					failed.Store(true)
				}
			}
		}
		seqDone <- err
	}()

	cur := &bulkBatch{done: make(chan struct{})}
	flush := func() {
		order <- cur
		work <- cur
		cur = &bulkBatch{done: make(chan struct{})}
	}
	ferr := feed(func(name string, line int, text []byte) error {
		cur.lines = append(cur.lines, bulkLine{name: name, line: line, text: slices.Clone(text)})
		if len(cur.lines) == bulkChunk {
			flush()
		}
		if failed.Load() {
			return errStopped
		}
		return ctx.Err()
	})
	if len(cur.lines) > 0 {
		flush()
	}
	close(work)
	close(order)
	wg.Wait()
	serr := <-seqDone
	if serr != nil || (ferr != nil && !errors.Is(ferr, errStopped)) {
		sink.abort()
		return errors.Join(ferr, serr) // staging is removed: nothing was built
	}
	return seq.finish(ixPath, path, o)
}

var errStopped = errors.New("stopped")

// prepareLine parses, maps and analyzes one line (in a worker).
func prepareLine(m mapping.IndexMapping, l *bulkLine, maxLine int) {
	a, err := parseLine(l.name, l.line, l.text, maxLine)
	if err != nil {
		l.reject = err
		return
	}
	l.art = a
	if l.doc, l.fail = articleDocument(m, a); l.fail != nil {
		return
	}
	var texts textTokens
	analyzeDocument(l.doc, &l.lens, &texts)
	if sh := articleShingles(&texts, a); len(sh) > 0 {
		sig := minHash(sh)
		l.bands, l.sig = sig.bandHashes(), sig.pack(len(sh))
	}
}

// textTokens analyzes each text of an article once for all its fields.
// Bahth's stemmed analyzer is its exact one followed by the stem filter
// (analyzer/registry.go), so text, title and lead take the exact tokens
// stemmed, and a lead, the body up to a space, takes the body's tokens
// that end within it. TestAnalyzeOnce checks that this gives what each
// field's own analyzer gives.
type textTokens struct {
	exacts, stems map[string]analysis.TokenStream
}

var stemFilter analyzer.StemFilter

func (t *textTokens) exact(v []byte) analysis.TokenStream {
	if ts, ok := t.exacts[string(v)]; ok {
		return ts
	}
	if t.exacts == nil {
		t.exacts = map[string]analysis.TokenStream{}
	}
	ts := wireAnalyzer.Analyze(v)
	t.exacts[string(v)] = ts
	return ts
}

func (t *textTokens) stem(v []byte) analysis.TokenStream {
	if ts, ok := t.stems[string(v)]; ok {
		return ts
	}
	if t.stems == nil {
		t.stems = map[string]analysis.TokenStream{}
	}
	ex := t.exact(v)
	toks := make([]analysis.Token, len(ex)) // the filter changes its tokens
	ts := make(analysis.TokenStream, len(ex))
	n := 0
	for _, tok := range ex {
		n += len(tok.Term)
	}
	terms := make([]byte, 0, n) // the terms' copies, in one allocation
	for i, tok := range ex {
		toks[i] = *tok
		k := len(terms)
		terms = append(terms, tok.Term...)
		toks[i].Term = terms[k:len(terms):len(terms)] // a term the filter grows is copied out
		ts[i] = &toks[i]
	}
	ts = stemFilter.Filter(ts)
	t.stems[string(v)] = ts
	return ts
}

// tokensFor returns the tokens of a field of an article document, or nil
// when the field is analyzed otherwise.
func (t *textTokens) tokensFor(f document.Field, body []byte) analysis.TokenStream {
	v := f.Value()
	switch f.Name() {
	case fieldExact:
		return t.exact(v)
	case fieldText, fieldTitle:
		return t.stem(v)
	case fieldLead:
		if !bytes.HasPrefix(body, v) {
			return nil
		}
		all := t.stem(body)
		n := 0
		for n < len(all) && all[n].End <= len(v) {
			n++
		}
		return all[:n]
	}
	return nil
}

// analyzeDocument analyzes the indexed fields of doc in the preparing
// workers, so that the segment workers do not analyze them again, and sums
// the lengths of the ranking fields. The text fields are analyzed through
// texts, once per text.
//
// A field with several values (text and exact hold the title, summary and
// body) is several fields of one name, whose frequencies zap merges into
// the first one's (TokenFrequencies.MergeAll, in field order) before
// indexing them. That is done here instead: the first field of a name
// takes the frequencies of all of them, added in field order straight
// from the tokens, and the later ones keep their lengths and no
// frequencies. Zap indexes the same postings, frequencies, norms and
// locations, without a map per value and a merge of the maps.
// TestAnalyzeOnce checks this against each field's own analyzer.
func analyzeDocument(doc *document.Document, lens *[4]int64, texts *textTokens) {
	if doc.HasComposite() {
		return // composite fields take their parts' tokens as they are analyzed
	}
	var body []byte
	for _, f := range doc.Fields {
		if f.Name() == fieldText {
			body = f.Value() // the last of title, summary and body
		}
	}
	// The first value's map is made to hold the terms of all the values
	// (at most their tokens), instead of growing as the later values add
	// theirs: its rehashes were most of the cost of filling it.
	tokens := map[string]int{} // by field name
	streams := make([]analysis.TokenStream, len(doc.Fields))
	for i, f := range doc.Fields {
		if f.Options().IsIndexed() {
			streams[i] = texts.tokensFor(f, body)
			tokens[f.Name()] += len(streams[i])
		}
	}
	first := map[string]index.TokenFrequencies{} // by field name
	for i, f := range doc.Fields {
		if !f.Options().IsIndexed() {
			continue
		}
		var length int
		var freqs index.TokenFrequencies
		prev := first[f.Name()]
		if ts := streams[i]; ts != nil {
			length = len(ts)
			if prev != nil {
				addTokenFrequencies(prev, ts, f.ArrayPositions(), f.Options())
			} else {
				freqs = make(index.TokenFrequencies, tokens[f.Name()])
				addTokenFrequencies(freqs, ts, f.ArrayPositions(), f.Options())
			}
		} else {
			f.Analyze()
			length = f.AnalyzedLength()
			freqs = f.AnalyzedTokenFrequencies()
			if prev != nil {
				prev.MergeAll(f.Name(), freqs)
				freqs = nil
			}
		}
		if prev == nil {
			first[f.Name()] = freqs
		} else {
			freqs = index.TokenFrequencies{}
		}
		doc.Fields[i] = analyzedField{Field: f, length: length, freqs: freqs}
		if k := slices.Index(rankedFields, f.Name()); k >= 0 {
			lens[k] += int64(length)
		}
	}
}

// addTokenFrequencies adds the tokens of a value to the frequencies of its
// field's earlier values (an empty map for the first), as
// analysis.TokenFrequency and then MergeAll would, with the same terms,
// counts and locations (the locations' Field is left empty: zap reads an
// empty Field as the field itself, which MergeAll names). It allocates the
// new terms' TokenFreq, their first location and the pointer to it in
// three slices for the whole value instead of one by one: a build
// allocates per token, and the collector's work follows the allocations.
func addTokenFrequencies(tfs index.TokenFrequencies, ts analysis.TokenStream, arrayPositions []uint64, o index.FieldIndexingOptions) {
	var locs []index.TokenLocation
	var ptrs []*index.TokenLocation
	if o.IncludeTermVectors() {
		locs = make([]index.TokenLocation, len(ts))
		ptrs = make([]*index.TokenLocation, len(ts))
	}
	freqs := make([]index.TokenFreq, 0, len(ts)) // never grows: a term per token at most
	for i, tok := range ts {
		tf := tfs[string(tok.Term)]
		isNew := tf == nil
		if isNew {
			freqs = append(freqs, index.TokenFreq{Term: tok.Term})
			tf = &freqs[len(freqs)-1]
			tfs[string(tok.Term)] = tf
		}
		if locs != nil {
			locs[i] = index.TokenLocation{ArrayPositions: arrayPositions, Start: tok.Start, End: tok.End, Position: tok.Position}
			if isNew {
				ptrs[i] = &locs[i]
				tf.Locations = ptrs[i : i+1 : i+1] // a second location copies it out
			} else {
				tf.Locations = append(tf.Locations, &locs[i])
			}
		}
		if !o.SkipFreqNorm() {
			tf.SetFrequency(tf.Frequency() + 1)
		}
	}
}

// analyzedField is a field already analyzed: analyzing it again does nothing.
type analyzedField struct {
	document.Field
	length int
	freqs  index.TokenFrequencies
}

func (analyzedField) Analyze()                                           {}
func (f analyzedField) AnalyzedLength() int                              { return f.length }
func (f analyzedField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// bulkSequencer takes the prepared lines in input order (one goroutine).
type bulkSequencer struct {
	sink    *builderSink
	opts    IngestOptions
	st      *IngestStats
	dup     func([]byte) error
	seen    map[string]bool // ids in the build
	unknown unknownFields
	lsh     *bandTable
	stats   fieldStats
}

func (s *bulkSequencer) take(lines []bulkLine) error {
	for i := range lines {
		l := &lines[i]
		switch {
		case l.reject != nil:
			s.st.Rejected++
			if s.opts.Reject != nil {
				s.opts.Reject(l.text, l.reject)
			}
			continue
		case l.fail != nil:
			return l.fail
		}
		s.unknown.report(l.art, l.name, l.line)
		id := l.art.ID
		if s.seen[id] {
			if err := s.dup(l.text); err != nil {
				return err
			}
			continue
		}
		s.seen[id] = true
		w := &wireInfo{id: id, key: id, sig: l.sig}
		if l.bands != nil {
			w.key = s.lsh.assign(w, l.bands)
		}
		w.addTo(l.doc) // no band terms: finish writes them to the wire-bands file
		if err := s.sink.add(l.doc); err != nil {
			return fmt.Errorf("article %s: %w", id, err)
		}
		for k, n := range l.lens {
			s.stats.Tokens[rankedFields[k]] += n
		}
		s.stats.Docs++
		s.st.Building++
		lines[i] = bulkLine{} // let the collector have the document once its segment is written
	}
	if s.opts.Progress != nil {
		s.opts.Progress(s.st)
	}
	return nil
}

// finish merges the segments, records the statistics and the analysis,
// and moves the index from ixPath to path once it is on disk.
func (s *bulkSequencer) finish(ixPath, path string, o Options) error {
	raw, err := json.Marshal(s.stats)
	if err != nil {
		return err
	}
	if err := s.sink.finish(s.stats.Docs > 0, raw); err != nil {
		return fmt.Errorf("building index in %s: %w", path, err)
	}
	if err := writeBandFile(ixPath, s.lsh); err != nil {
		return err
	}
	if err := writeMeta(ixPath, metaOf(o)); err != nil {
		return err
	}
	if err := syncPath(filepath.Join(ixPath, metaFile)); err != nil {
		return err
	}
	if err := syncPath(ixPath); err != nil {
		return err
	}
	if err := os.Rename(ixPath, path); err != nil {
		return err
	}
	return syncPath(filepath.Dir(path))
}

// syncPath flushes a file or a directory (its entries) to disk.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// bandTable finds wire copies among the articles of a build, in memory:
// the articles by LSH band hash, as linked lists in one slice (a build of
// 70,000 articles holds 2.8 million band entries).
type bandTable struct {
	head  map[uint64]int32 // band hash -> its last entry + 1
	entry []bandEntry
	infos []*wireInfo
}

type bandEntry struct {
	info int32 // index in infos
	next int32 // the band's previous entry + 1; 0 ends the list
}

func newBandTable() *bandTable { return &bandTable{head: map[uint64]int32{}} }

// assign returns w's group key: the key of the most similar earlier
// article that it is a copy of, as wireMatches decides for a live index
// (the maxCandidates sharing most bands are compared), else w's own id.
// Then it adds w to the table.
func (t *bandTable) assign(w *wireInfo, bands []uint64) string {
	shared := map[int32]int{}
	for _, h := range bands {
		for e := t.head[h]; e != 0; e = t.entry[e-1].next {
			shared[t.entry[e-1].info]++
		}
	}
	cands := make([]int32, 0, len(shared))
	for i := range shared {
		cands = append(cands, i)
	}
	if len(cands) > maxCandidates {
		sort.Slice(cands, func(i, j int) bool {
			a, b := cands[i], cands[j]
			if shared[a] != shared[b] {
				return shared[a] > shared[b]
			}
			return a < b
		})
		cands = cands[:maxCandidates]
	}
	key := w.id
	var best *WireMatch
	for _, i := range cands {
		o := t.infos[i]
		c := newWireMatch(o.id, o.key, w.sig, o.sig)
		if !c.Copy {
			continue
		}
		if best == nil || c.Similarity > best.Similarity ||
			(c.Similarity == best.Similarity && (c.Key < best.Key || (c.Key == best.Key && c.ID < best.ID))) {
			best, key = &c, c.Key
		}
	}
	w.key = key
	t.infos = append(t.infos, w)
	n := int32(len(t.infos) - 1)
	for _, h := range bands {
		t.entry = append(t.entry, bandEntry{info: n, next: t.head[h]})
		t.head[h] = int32(len(t.entry))
	}
	return key
}

// BuildFiles creates the index at dir, which must not exist, from JSON
// Lines files (plain, .gz, or "-" for stdin), as IngestFile would load them
// into an empty index, but built whole and offline (see the top of this
// file): faster, and nothing is stored until everything is read. The index
// then appears at once; st.Building counts the articles read so far, and
// they are counted as added once the index is on disk. A later line with
// an id seen before replaces it, as in IngestFile: those lines are kept in
// DIR.later.jsonl and loaded into the new index as ordinary upserts. When
// ctx is cancelled while the files are read, no index is made and ctx's
// error is returned; once they are read the build completes.
func BuildFiles(ctx context.Context, dir string, paths []string, opts IngestOptions, st *IngestStats) (*Index, error) {
	if _, err := os.Lstat(dir); err == nil {
		return nil, fmt.Errorf("creating index: %s already exists", dir)
	}
	gen := generationPath(dir, 1)
	if err := os.RemoveAll(gen); err != nil { // left by a crash before dir was linked to it
		return nil, err
	}
	later := &laterLines{path: strings.TrimRight(dir, string(filepath.Separator)) + ".later.jsonl"}
	defer later.remove()
	err := buildAt(ctx, gen, opts, st, func(emit func(string, int, []byte) error) error {
		for _, p := range paths {
			r, closeFn, err := corpus.Open(p, &st.BytesRead)
			if err != nil {
				return err
			}
			err = corpus.Read(r, p, func(line int, text []byte) error { return emit(p, line, text) })
			closeFn()
			if err != nil {
				return err
			}
		}
		return nil
	}, later.add)
	if err == nil {
		err = later.close()
	}
	if err != nil {
		os.RemoveAll(gen)
		st.Building = 0
		return nil, err
	}
	if err := os.Symlink(filepath.Base(gen), dir); err != nil {
		os.RemoveAll(gen)
		return nil, fmt.Errorf("creating index %s: %w", dir, err)
	}
	if err := syncPath(filepath.Dir(gen)); err != nil {
		return nil, err
	}
	st.Added += st.Building
	st.Building = 0
	ix, err := Open(dir)
	if err != nil || later.n == 0 {
		return ix, err
	}
	// The later versions, as a live load: unknown fields were reported.
	opts.Unknown, opts.Reject = nil, nil
	if err := ix.IngestFile(ctx, later.path, opts, st); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// laterLines keeps the lines whose id a build already holds, in order.
type laterLines struct {
	path string
	f    *os.File
	w    *bufio.Writer
	n    int
}

func (l *laterLines) add(text []byte) error {
	if l.f == nil {
		f, err := os.Create(l.path)
		if err != nil {
			return err
		}
		l.f, l.w = f, bufio.NewWriter(f)
	}
	l.n++
	l.w.Write(text)
	return l.w.WriteByte('\n')
}

func (l *laterLines) close() error {
	if l.f == nil {
		return nil
	}
	err := l.w.Flush()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

func (l *laterLines) remove() {
	l.close()
	os.Remove(l.path)
}

// builderSink writes the segments of a build in parallel (segmentSink)
// and makes them, merged, the store of the empty index at ixPath.
type builderSink struct {
	seg      *segmentSink
	ixPath   string
	staging  string
	internal map[string][]byte // the index's mapping, as bleve keeps it
}

func newBuilderSink(ixPath, staging string, segDocs int, shapes []fieldShape) (*builderSink, error) {
	b, err := bleve.Open(ixPath)
	if err != nil {
		return nil, err
	}
	mj, err := util.MarshalJSON(b.Mapping())
	b.Close()
	if err != nil {
		return nil, err
	}
	seg, err := newSegmentSink(filepath.Join(staging, "segments"), segDocs, shapes)
	if err != nil {
		return nil, err
	}
	return &builderSink{seg: seg, ixPath: ixPath, staging: staging,
		internal: map[string][]byte{string(util.MappingInternalKey): mj}}, nil
}

func (s *builderSink) add(doc *document.Document) error { return s.seg.add(doc) }

// abort stops the segment workers of a build that failed.
func (s *builderSink) abort() { s.seg.abort() }

// builtStore, when set (by a test), sees a build's store before anything
// opens it: scorch may merge small segments as soon as the index is open.
var builtStore func(store string)

// finish merges the segments into the index's store with the statistics
// (any is false when no document was added).
func (s *builderSink) finish(any bool, stats []byte) error {
	paths, err := s.seg.wait()
	if err != nil {
		return err
	}
	if any { // else the empty index stays
		final, err := mergeParts(paths, s.seg.dir, bulkMergeMax, bulkFinalSegments)
		if err != nil {
			return err
		}
		store := filepath.Join(s.ixPath, "store")
		if err := os.RemoveAll(store); err != nil {
			return err
		}
		if err := writeStore(store, s.staging, final, s.internal); err != nil {
			return err
		}
		if err := syncPath(store); err != nil {
			return err
		}
		if builtStore != nil {
			builtStore(store)
		}
	}
	b, err := bleve.Open(s.ixPath)
	if err != nil {
		return fmt.Errorf("opening the built index: %w", err)
	}
	err = b.SetInternal(statsKey, stats)
	if cerr := b.Close(); err == nil {
		err = cerr // closing persists the statistics
	}
	return err
}
