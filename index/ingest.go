package index

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/bahth/bahth/internal/corpus"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// IngestOptions control a load of JSON Lines.
type IngestOptions struct {
	BatchSize    int // articles per index batch; 0 means 500
	MaxLineBytes int // longer lines are rejected; 0 means 8 MiB
	// Reject is called for each rejected line with the line as it was and
	// the reason, which names FILE:LINE and wraps ErrInvalidArticle.
	Reject func(line []byte, reason error)
	// Unknown is called once per field outside the schema, with where it
	// was first seen (FILE:LINE); the field is kept in the stored article.
	Unknown func(field, where string)
	// Progress, if set, is called after each batch (from the goroutine
	// that wrote it, one call at a time).
	Progress func(*IngestStats)
}

// IngestStats counts what a load did.
type IngestStats struct {
	Added, Updated, Deleted, Rejected int
	// Building counts the articles read into a new index that is built
	// whole (BuildFiles): they are stored, and counted as added, only once
	// the build is complete.
	Building  int
	BytesRead atomic.Int64 // bytes of the input files read so far (compressed for .gz)
}

// Total is the number of articles stored (added or updated).
func (s *IngestStats) Total() int { return s.Added + s.Updated }

// DefaultMaxLineBytes is the longest line a load accepts by default.
const DefaultMaxLineBytes = 8 << 20

// IngestFile loads one JSON Lines file (plain, .gz, or "-" for stdin): each
// article replaces the one with its id (loading a file twice leaves the
// same index). A malformed line is rejected through opts.Reject and the rest
// still loads. It stops between batches when ctx is cancelled, after
// storing every article read so far, and returns ctx's error.
func (ix *Index) IngestFile(ctx context.Context, path string, opts IngestOptions, st *IngestStats) error {
	r, closeFn, err := corpus.Open(path, &st.BytesRead)
	if err != nil {
		return err
	}
	defer closeFn()
	return ix.Ingest(ctx, r, path, opts, st)
}

// Ingest is IngestFile over an open reader; name is used in reasons and,
// ending in .gz, says the stream is compressed.
func (ix *Index) Ingest(ctx context.Context, r io.Reader, name string, opts IngestOptions, st *IngestStats) error {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	w := newWriters(ix, runtime.GOMAXPROCS(0), opts, st)
	unknown := unknownFields{fn: opts.Unknown}
	reject := func(text []byte, err error) {
		w.mu.Lock()
		st.Rejected++
		w.mu.Unlock()
		if opts.Reject != nil {
			opts.Reject(text, err)
		}
	}
	err := corpus.Read(r, name, func(line int, text []byte) error {
		a, err := parseLine(name, line, text, opts.MaxLineBytes)
		if err != nil {
			reject(text, err)
			return nil
		}
		unknown.report(a, name, line)
		if err := w.add(a); err != nil {
			return err
		}
		return ctx.Err()
	})
	if werr := w.close(); err == nil || errors.Is(err, context.Canceled) {
		err = errors.Join(err, werr)
	}
	return err
}

// writers index batches on several goroutines, so that bleve builds
// several segments at once (one core each). An article goes to the writer
// its id hashes to, so two versions of one article are applied in order.
type writers struct {
	ix      *Index
	opts    IngestOptions
	st      *IngestStats
	mu      sync.Mutex // guards st and err
	err     error
	pending [][]Article
	queues  []chan []Article
	wg      sync.WaitGroup
}

func newWriters(ix *Index, n int, opts IngestOptions, st *IngestStats) *writers {
	w := &writers{ix: ix, opts: opts, st: st, pending: make([][]Article, n), queues: make([]chan []Article, n)}
	for i := range w.queues {
		w.queues[i] = make(chan []Article)
		w.wg.Add(1)
		go w.run(w.queues[i])
	}
	return w
}

func (w *writers) run(q chan []Article) {
	defer w.wg.Done()
	for batch := range q {
		updated, err := w.ix.upsert(batch)
		w.mu.Lock()
		if err != nil && w.err == nil {
			w.err = err
		}
		if err == nil {
			w.st.Updated += updated
			w.st.Added += len(batch) - updated
			if w.opts.Progress != nil {
				w.opts.Progress(w.st)
			}
		}
		w.mu.Unlock()
	}
}

// add queues an article; it returns the first error a writer met.
func (w *writers) add(a Article) error {
	h := fnv.New32a()
	h.Write([]byte(a.ID))
	i := int(h.Sum32() % uint32(len(w.queues)))
	w.pending[i] = append(w.pending[i], a)
	if len(w.pending[i]) >= w.opts.BatchSize {
		w.queues[i] <- w.pending[i]
		w.pending[i] = make([]Article, 0, w.opts.BatchSize)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// close sends what is pending, waits for the writers and returns the first
// error one met.
func (w *writers) close() error {
	for i, batch := range w.pending {
		if len(batch) > 0 {
			w.queues[i] <- batch
		}
		close(w.queues[i])
	}
	w.wg.Wait()
	return w.err
}

// upsert indexes a batch and reports how many of its ids were already there.
// A batch holding one id twice keeps the last.
func (ix *Index) upsert(batch []Article) (updated int, err error) {
	last := make(map[string]int, len(batch))
	for i, a := range batch {
		last[a.ID] = i
	}
	if len(last) < len(batch) {
		dedup := make([]Article, 0, len(last))
		for i, a := range batch {
			if last[a.ID] == i {
				dedup = append(dedup, a)
			}
		}
		updated += len(batch) - len(dedup) // a later copy replaced an earlier one
		batch = dedup
	}
	ids := make([]string, len(batch))
	for i, a := range batch {
		ids[i] = a.ID
	}
	existing, err := ix.existing(ids)
	if err != nil {
		return 0, err
	}
	if err := ix.add(batch, len(existing)); err != nil {
		return 0, err
	}
	return updated + len(existing), nil
}

// existing returns which of ids are in the index.
func (ix *Index) existing(ids []string) (map[string]bool, error) {
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Score = "none"
	res, err := ix.bleve.Search(req)
	if err != nil {
		return nil, fmt.Errorf("looking up ids: %w", err)
	}
	out := make(map[string]bool, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = true
	}
	return out, nil
}

// Delete removes the articles with these ids and returns how many existed.
func (ix *Index) Delete(ids []string) (int, error) {
	existing, err := ix.existing(ids)
	if err != nil || len(existing) == 0 {
		return 0, err
	}
	b := ix.bleve.NewBatch()
	gone := make([]string, 0, len(existing))
	for id := range existing {
		b.Delete(id)
		gone = append(gone, id)
	}
	// Keep the suggestion vocabulary current (suggest.go).
	vw, err := ix.beginVocabWrite(gone)
	if err != nil {
		return 0, err
	}
	defer vw.end()
	persisted := make(chan error, 1)
	b.SetPersistedCallback(func(err error) { persisted <- err })
	if err := ix.bleve.Batch(b); err != nil {
		return 0, fmt.Errorf("deleting: %w", err)
	}
	if err := <-persisted; err != nil {
		return 0, fmt.Errorf("persisting deletions: %w", err)
	}
	vw.commit(nil)
	return len(existing), ix.forget(len(existing))
}

// LoadFile indexes every article of a JSON Lines file and returns how many
// were stored. A malformed line is skipped and the rest still loads; the
// returned error then names each rejected line as FILE:LINE: reason
// (wrapping ErrInvalidArticle).
func (ix *Index) LoadFile(path string) (int, error) {
	return loadAll(func(o IngestOptions, st *IngestStats) error {
		return ix.IngestFile(context.Background(), path, o, st)
	})
}

// Load is LoadFile over an open reader; name is used in errors.
func (ix *Index) Load(r io.Reader, name string) (int, error) {
	return loadAll(func(o IngestOptions, st *IngestStats) error {
		return ix.Ingest(context.Background(), r, name, o, st)
	})
}

// loadAll runs one ingest, collecting its rejections into the error.
func loadAll(ingest func(IngestOptions, *IngestStats) error) (int, error) {
	var st IngestStats
	var rejected []error
	err := ingest(IngestOptions{Reject: func(_ []byte, e error) { rejected = append(rejected, e) }}, &st)
	if err == nil && len(rejected) > 0 {
		err = fmt.Errorf("%d lines rejected: %w", len(rejected), errors.Join(rejected...))
	}
	return st.Total(), err
}

// parseLine reads one input line as an article; a line over maxLine bytes
// or not a valid article is an error naming FILE:LINE that wraps
// ErrInvalidArticle. Both loaders (Ingest and the bulk build) use it.
func parseLine(name string, line int, text []byte, maxLine int) (Article, error) {
	if len(text) > maxLine {
		return Article{}, fmt.Errorf("%s:%d: %w: line of %d bytes is over the limit of %d", name, line, ErrInvalidArticle, len(text), maxLine)
	}
	a, err := ParseArticle(text)
	if err != nil {
		return Article{}, fmt.Errorf("%s:%d: %w", name, line, err)
	}
	return a, nil
}

// unknownFields reports each field outside the schema once per load, with
// where it was first seen (FILE:LINE), through IngestOptions.Unknown.
type unknownFields struct {
	fn   func(field, where string)
	seen map[string]bool
}

func (u *unknownFields) report(a Article, name string, line int) {
	for k := range a.Extra {
		if u.seen[k] {
			continue
		}
		if u.seen == nil {
			u.seen = map[string]bool{}
		}
		u.seen[k] = true
		if u.fn != nil {
			u.fn(k, fmt.Sprintf("%s:%d", name, line))
		}
	}
}
