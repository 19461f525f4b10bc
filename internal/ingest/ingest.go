// Package ingest runs `bahth index`: it loads JSON Lines files into an
// index with a progress display, a rejects file and a closing summary.
package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/schollz/progressbar/v3"
)

// Config says what to load.
type Config struct {
	Index        string   // index directory, created when missing
	Files        []string // JSON Lines, plain or .gz; "-" is standard input
	Delete       string   // a file of ids to remove, one per line
	Rejects      string   // where rejected lines go; default INDEX.rejects.jsonl
	MaxLineBytes int
	BatchSize    int
	Terminal     bool          // show a progress bar (stderr is a terminal)
	LogEvery     time.Duration // otherwise a progress line this often; default 5s
}

// ErrRejected is returned when some lines were rejected (the rest loaded).
var ErrRejected = errors.New("lines rejected")

// Run loads cfg.Files into cfg.Index and deletes cfg.Delete's ids,
// reporting progress and a summary on log.
func Run(ctx context.Context, cfg Config, log io.Writer) error {
	if len(cfg.Files) == 0 && cfg.Delete == "" {
		return errors.New("nothing to do: give JSON Lines files to load or --delete FILE")
	}
	if cfg.Rejects == "" {
		cfg.Rejects = strings.TrimRight(cfg.Index, "/") + ".rejects.jsonl"
	}
	if cfg.LogEvery == 0 {
		cfg.LogEvery = 5 * time.Second
	}
	rej := &rejects{path: cfg.Rejects, log: log}
	defer rej.close()
	var st index.IngestStats
	start := time.Now()
	report := newReporter(cfg, log, &st, start)
	opts := index.IngestOptions{
		BatchSize:    cfg.BatchSize,
		MaxLineBytes: cfg.MaxLineBytes,
		Reject:       rej.add,
		Unknown: func(field, where string) {
			report.printf("note: field %q (first at %s) is not in the schema; it is kept in the stored articles\n", field, where)
		},
		Progress: func(*index.IngestStats) { report.update() },
	}
	// A new index is built whole (index.BuildFiles), an existing one
	// updated batch by batch.
	var ix *index.Index
	var err error
	_, serr := os.Lstat(cfg.Index)
	built := errors.Is(serr, os.ErrNotExist) && len(cfg.Files) > 0
	if built {
		ix, err = index.BuildFiles(ctx, cfg.Index, cfg.Files, opts, &st)
	} else if ix, err = index.OpenOrCreate(cfg.Index); err == nil {
		for _, f := range cfg.Files {
			if err = ix.IngestFile(ctx, f, opts, &st); err != nil {
				break
			}
		}
	}
	if ix != nil {
		defer ix.Close()
	}
	if err == nil && cfg.Delete != "" {
		err = deleteIDs(ix, cfg.Delete, &st)
	}
	report.finish()
	elapsed := time.Since(start)
	fmt.Fprintf(log, "added %d, updated %d, deleted %d, rejected %d in %s (%.0f articles/s)\n",
		st.Added, st.Updated, st.Deleted, st.Rejected, elapsed.Round(time.Millisecond), float64(st.Total())/elapsed.Seconds())
	if errors.Is(err, context.Canceled) && built && st.Total() == 0 {
		return fmt.Errorf("interrupted before the new index %s was complete: nothing is stored; run the same command again", cfg.Index)
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted: the %d articles above are stored; run the same command again to finish", st.Total())
	}
	if err != nil {
		return err
	}
	if st.Rejected > 0 {
		return fmt.Errorf("%w: %d lines were not loaded; the reasons are printed above and the lines are in %s", ErrRejected, st.Rejected, cfg.Rejects)
	}
	return nil
}

// rejects writes rejected lines whole to a file made on the first one, and
// their reasons to the log.
type rejects struct {
	path string
	log  io.Writer
	f    *os.File
	w    *bufio.Writer
	err  error
}

func (r *rejects) add(line []byte, reason error) {
	fmt.Fprintf(r.log, "rejected %v\n", reason)
	if r.f == nil && r.err == nil {
		r.f, r.err = os.Create(r.path)
		if r.err != nil {
			fmt.Fprintf(r.log, "cannot write rejected lines: %v\n", r.err)
			return
		}
		r.w = bufio.NewWriter(r.f)
	}
	if r.w != nil {
		r.w.Write(line)
		r.w.WriteByte('\n')
	}
}

func (r *rejects) close() {
	if r.f != nil {
		r.w.Flush()
		r.f.Close()
	}
}

func deleteIDs(ix *index.Index, path string, st *index.IngestStats) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if id := strings.TrimSpace(sc.Text()); id != "" && !strings.HasPrefix(id, "#") {
			ids = append(ids, id)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		n, err := ix.Delete(chunk)
		if err != nil {
			return err
		}
		st.Deleted += n
	}
	return nil
}

// reporter shows progress: a bar on a terminal, a line every LogEvery
// otherwise.
type reporter struct {
	mu    sync.Mutex
	cfg   Config
	log   io.Writer
	st    *index.IngestStats
	start time.Time
	total int64 // bytes of the input files, -1 when unknown
	bar   *progressbar.ProgressBar
	last  time.Time
}

func newReporter(cfg Config, log io.Writer, st *index.IngestStats, start time.Time) *reporter {
	r := &reporter{cfg: cfg, log: log, st: st, start: start, last: start}
	for _, f := range cfg.Files {
		fi, err := os.Stat(f)
		if f == "-" || err != nil {
			r.total = -1
			break
		}
		r.total += fi.Size()
	}
	if cfg.Terminal && len(cfg.Files) > 0 {
		r.bar = progressbar.NewOptions64(r.total,
			progressbar.OptionSetWriter(log),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(r.total > 0),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return r
}

func (r *reporter) update() {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.st.Total()
	what := "stored"
	if r.st.Building > 0 { // a new index, stored whole at the end
		n, what = r.st.Building, "indexed (stored once the new index is complete)"
	}
	rate := float64(n) / time.Since(r.start).Seconds()
	if r.bar != nil {
		r.bar.Describe(fmt.Sprintf("%d articles, %.0f/s", n, rate))
		r.bar.Set64(r.st.BytesRead.Load())
		return
	}
	if time.Since(r.last) < r.cfg.LogEvery {
		return
	}
	r.last = time.Now()
	read := fmt.Sprintf("%.1f MB read", float64(r.st.BytesRead.Load())/1e6)
	if r.total > 0 {
		read = fmt.Sprintf("%.1f of %.1f MB read", float64(r.st.BytesRead.Load())/1e6, float64(r.total)/1e6)
	}
	fmt.Fprintf(r.log, "%d articles %s (%.0f/s), %d rejected, %s\n", n, what, rate, r.st.Rejected, read)
}

// printf writes a message above the bar.
func (r *reporter) printf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bar != nil {
		r.bar.Clear()
	}
	fmt.Fprintf(r.log, format, args...)
}

func (r *reporter) finish() {
	if r.bar != nil {
		r.bar.Finish()
	}
}
