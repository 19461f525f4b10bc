package index

// Segment building for bulk builds (bulk.go). Scorch's Builder writes each
// segment under its lock, on the goroutine that indexes: a build of the
// news corpus then spent half its time on one core. segmentSink does what
// the Builder does, on every core: the sequencer fills a batch of
// bulkSegmentDocs documents and hands it over; segment workers (one per
// core) analyze what is left to analyze and write a zap segment each, in
// parallel. At the end the segments are merged in input order, as the
// Builder merges them, so the documents keep the numbers a Builder gives
// them and the index is the same; but into bulkFinalSegments segments,
// each the merge of a run of consecutive segments, merged at the same
// time on as many cores, instead of one segment merged on one core.
//
// Scorch exports no way to write the root.bolt that makes segments an
// index, but the one its Builder writes for a single segment names the
// segment's file and nothing of its contents (segment type and version,
// the internal values, the file name; no count, size or checksum). So a
// Builder builds a one-document index with the same internal values and
// segment plugin, and the first merged segment takes the place of its
// segment file, under the same name; the others are added to its
// snapshot as copies of that segment's entry naming their files
// (addSegments). TestBuildParallelSegments checks that the result opens
// as an ordinary scorch index with every document and searches as a
// one-segment build does; TestBuildWireAndStats writes into such an index
// and reopens it.

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// segPlugin writes every segment of a bulk build; the Builder that writes
// the root.bolt is forced to the same type and version.
var segPlugin = &zap.ZapPlugin{}

// segmentSink builds the segments of one build in dir, in parallel.
type segmentSink struct {
	dir     string
	segDocs int
	shapes  []fieldShape // the unstored fields every segment defines
	batch   []index.Document
	jobs    chan segJob
	wg      sync.WaitGroup

	mu    sync.Mutex
	paths []string // by segment number; "" while being written
	err   error    // the first worker error
}

type segJob struct {
	n    int
	docs []index.Document
}

func newSegmentSink(dir string, segDocs int, shapes []fieldShape) (*segmentSink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &segmentSink{dir: dir, segDocs: segDocs, shapes: shapes, jobs: make(chan segJob)}
	for range runtime.GOMAXPROCS(0) {
		s.wg.Add(1)
		go s.work(s.jobs) // not s.jobs read later: abort sets it to nil
	}
	return s, nil
}

// add takes the next document of the build; it returns the error of a
// segment written before, if any.
func (s *segmentSink) add(doc *document.Document) error {
	s.batch = append(s.batch, doc)
	if len(s.batch) < s.segDocs {
		return nil
	}
	return s.flush()
}

// flush hands the batch to a worker, waiting for one to be free.
func (s *segmentSink) flush() error {
	s.mu.Lock()
	err := s.err
	n := len(s.paths)
	s.paths = append(s.paths, "")
	s.mu.Unlock()
	if err != nil {
		return err
	}
	s.jobs <- segJob{n: n, docs: s.batch}
	s.batch = make([]index.Document, 0, s.segDocs)
	return nil
}

func (s *segmentSink) work(jobs <-chan segJob) {
	defer s.wg.Done()
	for j := range jobs {
		path := filepath.Join(s.dir, fmt.Sprintf("%06d.zap", j.n))
		err := writeSegment(j.docs, path, s.shapes)
		s.mu.Lock()
		if err != nil && s.err == nil {
			s.err = fmt.Errorf("writing segment %d: %w", j.n, err)
		}
		s.paths[j.n] = path
		s.mu.Unlock()
	}
}

// writeSegment analyzes what the workers of the build left to analyze (the
// keyword fields; the text fields are analyzedField) as the Builder does,
// and writes the documents as a zap segment at path, defining every field
// of shapes (sameFields).
func writeSegment(docs []index.Document, path string, shapes []fieldShape) error {
	sameFields(docs, shapes)
	for _, d := range docs {
		d.AddIDField()
		analyzeRest(d)
	}
	seg, _, err := segPlugin.New(docs)
	if err != nil {
		return err
	}
	defer seg.Close()
	us, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("segment %T can't be written", seg)
	}
	return us.Persist(path)
}

// fieldShape is a field's name and indexing options.
type fieldShape struct {
	name string
	opts index.FieldIndexingOptions
}

// unstoredShapes returns the indexed, unstored fields of a Bahth document
// mapped by m, with their options: those of an article with every field.
func unstoredShapes(m mapping.IndexMapping) ([]fieldShape, error) {
	day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	full := Article{ID: "x", Title: "t", Summary: "s", Body: "b", Authors: []string{"a"}, Section: "s",
		Tags: []string{"t"}, Source: "s", URL: "u", Lang: "ar", PublishedAt: day, UpdatedAt: day}
	doc, err := articleDocument(m, full)
	if err != nil {
		return nil, err
	}
	(&wireInfo{id: full.ID, key: full.ID, sig: make(packed, packedLen)}).addTo(doc)
	opts := map[string]index.FieldIndexingOptions{}
	for _, f := range doc.Fields {
		if o := f.Options(); o.IsIndexed() && !o.IsStored() {
			opts[f.Name()] |= o
		}
	}
	var out []fieldShape
	for _, name := range slices.Sorted(maps.Keys(opts)) {
		out = append(out, fieldShape{name, opts[name]})
	}
	return out, nil
}

// sameFields adds to the first document an empty field (no term, no
// length, nothing stored) for each of shapes that none of docs has, so
// that every segment of a build defines the same fields. Zap merges
// segments that do by copying their stored documents and their postings'
// frequencies and locations as they are; one segment without a field
// (500 articles from a source without sections) made the final merge
// decode and encode all of them again. Stored fields are left out of
// shapes: an empty one would be stored.
func sameFields(docs []index.Document, shapes []fieldShape) {
	if len(docs) == 0 || len(shapes) == 0 {
		return
	}
	first, ok := docs[0].(*document.Document)
	if !ok {
		return
	}
	present := map[string]bool{}
	for _, d := range docs {
		d.VisitFields(func(f index.Field) { present[f.Name()] = true })
	}
	for _, s := range shapes {
		if !present[s.name] {
			f := document.NewTextFieldWithIndexingOptions(s.name, nil, nil, s.opts)
			first.AddField(analyzedField{Field: f, freqs: index.TokenFrequencies{}})
		}
	}
}

// analyzeRest is scorch's analyze for the documents of a build: it analyzes
// the indexed fields and composes the composite ones (Bahth's documents
// have neither geo shapes nor nested documents).
func analyzeRest(d index.Document) {
	d.VisitFields(func(f index.Field) {
		if !f.Options().IsIndexed() {
			return
		}
		f.Analyze()
		if d.HasComposite() && f.Name() != "_id" {
			d.VisitComposite(func(cf index.CompositeField) {
				cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
			})
		}
	})
}

// wait writes the last batch and waits for every segment, and returns
// their paths in input order.
func (s *segmentSink) wait() ([]string, error) {
	var err error
	if len(s.batch) > 0 {
		err = s.flush()
	}
	s.abort()
	if err == nil {
		err = s.err
	}
	return s.paths, err
}

// abort stops the workers once they wrote the segments they have.
func (s *segmentSink) abort() {
	if s.jobs != nil {
		close(s.jobs)
		s.jobs = nil
	}
	s.wg.Wait()
}

// mergeParts merges the segments at paths, in order, into parts segments
// at most (bulkFinalSegments), each the merge of a run of consecutive
// ones, merged at the same time, and returns their paths in order. A
// scorch index numbers its documents across its segments in their order,
// so the documents keep the numbers one merged segment would give them.
func mergeParts(paths []string, dir string, mergeMax, parts int) ([]string, error) {
	if len(paths) == 0 {
		return nil, errors.New("no segment to merge")
	}
	parts = max(1, min(parts, len(paths)))
	out := make([]string, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		run := slices.Clone(paths[i*len(paths)/parts : (i+1)*len(paths)/parts]) // mergeSegments appends to it
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = mergeSegments(run, dir, fmt.Sprintf("merged-%d", i), mergeMax)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// mergeSegments merges the segments at paths, in order and mergeMax at a
// time as the Builder does, into one segment in dir named after name, and
// returns its path. It removes the segments it merged.
func mergeSegments(paths []string, dir, name string, mergeMax int) (string, error) {
	for n := 0; len(paths) > 1; n++ {
		k := min(mergeMax, len(paths))
		merged := filepath.Join(dir, fmt.Sprintf("%s-%d.zap", name, n))
		if err := mergeFiles(paths[:k], merged); err != nil {
			return "", err
		}
		for _, p := range paths[:k] {
			if err := os.Remove(p); err != nil {
				return "", err
			}
		}
		paths = append(paths[k:], merged)
	}
	if len(paths) == 0 {
		return "", errors.New("no segment to merge")
	}
	return paths[0], nil
}

func mergeFiles(paths []string, to string) (err error) {
	segs := make([]segment.Segment, 0, len(paths))
	defer func() {
		for _, s := range segs {
			if cerr := s.Close(); err == nil {
				err = cerr
			}
		}
	}()
	for _, p := range paths {
		s, err := segPlugin.Open(p)
		if err != nil {
			return fmt.Errorf("opening segment %s to merge: %w", p, err)
		}
		segs = append(segs, s)
	}
	if _, _, err := segPlugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), to, nil, nil); err != nil {
		return fmt.Errorf("merging %d segments: %w", len(segs), err)
	}
	return nil
}

// writeStore makes store (a directory that must not exist) a scorch store
// holding the segments at segs (moved there), in order, with the internal
// values, as a Builder that wrote the first segment would (see the top of
// this file), with the others added to the snapshot its root.bolt holds
// (addSegments).
func writeStore(store, staging string, segs []string, internal map[string][]byte) error {
	b, err := scorch.NewBuilder(map[string]interface{}{
		"path":                store,
		"buildPathPrefix":     staging,
		"internal":            internal,
		"forceSegmentType":    segPlugin.Type(),
		"forceSegmentVersion": int(segPlugin.Version()),
	})
	if err != nil {
		return err
	}
	if err := b.Index(document.NewDocument("")); err != nil {
		return err
	}
	if err := b.Close(); err != nil {
		return err
	}
	// The Builder names a single segment as scorch names the segment of
	// an index's first batch (epoch 2); the others take the next names.
	var names []string
	for i, seg := range segs {
		name := fmt.Sprintf("%012x.zap", 2+i)
		if err := os.Rename(seg, filepath.Join(store, name)); err != nil {
			return err
		}
		if i > 0 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return addSegments(filepath.Join(store, "root.bolt"), names)
}

// addSegments adds segment files to the one snapshot of a root.bolt that
// a Builder wrote, after its segment: each a copy of that segment's bucket
// (a path and nothing else a Builder writes: no deletions, no statistics)
// naming another file, under the next segment id. Scorch opens the
// segments in the order of their ids, numbering the documents across them
// in that order, and names its own next segments after the highest file
// name in the store.
func addSegments(rootBolt string, names []string) error {
	db, err := util.OpenBolt(rootBolt, 0o600, nil)
	if err != nil {
		return err
	}
	err = db.Update(func(tx *util.BoltTxImpl) error {
		snaps := tx.Bucket(util.BoltSnapshotsBucket)
		if snaps == nil {
			return errors.New("no snapshots")
		}
		var snapKeys [][]byte
		if err := snaps.Bucket.ForEach(func(k, _ []byte) error {
			snapKeys = append(snapKeys, slices.Clone(k))
			return nil
		}); err != nil {
			return err
		}
		if len(snapKeys) != 1 {
			return fmt.Errorf("%d snapshots, want the Builder's one", len(snapKeys))
		}
		snap := snaps.GetBucket(snapKeys[0])
		var segKeys [][]byte
		if err := snap.Bucket.ForEach(func(k, _ []byte) error {
			if k[0] != util.BoltInternalKey[0] && k[0] != util.BoltMetaDataKey[0] {
				segKeys = append(segKeys, slices.Clone(k))
			}
			return nil
		}); err != nil {
			return err
		}
		// The Builder's segment has id 0, a one-byte key in scorch's
		// ascending varint encoding, as are the next small ids.
		if len(segKeys) != 1 || len(segKeys[0]) != 1 {
			return fmt.Errorf("segment keys %x, want the Builder's one", segKeys)
		}
		var keys, vals [][]byte // the first segment's, copied out of the transaction's pages
		if err := snap.GetBucket(segKeys[0]).Bucket.ForEach(func(k, v []byte) error {
			keys, vals = append(keys, slices.Clone(k)), append(vals, slices.Clone(v))
			return nil
		}); err != nil {
			return err
		}
		for i, name := range names {
			seg, err := snap.Bucket.CreateBucket([]byte{segKeys[0][0] + byte(i+1)})
			if err != nil {
				return err
			}
			for j, k := range keys {
				v := vals[j]
				if bytes.Equal(k, util.BoltPathKey) {
					v = []byte(name)
				}
				if err := seg.Put(k, v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}
