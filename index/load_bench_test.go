package index_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/bahth/bahth/index"
	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// loadCorpus is the news corpus beside the project; BAHTH_CORPUS names
// another copy (a git worktree elsewhere has no ../shared beside it).
const loadCorpus = "../../shared/corpus/news-ar-70k.jsonl.gz"

// readCorpusLines returns the first n lines of the news corpus, or skips.
func readCorpusLines(b *testing.B, n int) [][]byte {
	path := loadCorpus
	if p := os.Getenv("BAHTH_CORPUS"); p != "" {
		path = p
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		b.Skipf("%s not present (../shared not present; BAHTH_CORPUS names the corpus): the load benchmark needs the news corpus", path)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(gz)
	sc.Buffer(nil, 64<<20)
	var lines [][]byte
	for sc.Scan() && len(lines) < n {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	return lines
}

// BenchmarkLoad loads the first 5,000 articles of the news corpus
// (BAHTH_LOAD_N articles, 0 for all) side by side: Bahth's loader (what
// bahth index runs into a new index: index.BuildFiles, with stored
// articles; stemmed text with positions, exact, title and lead fields;
// wire copies; on disk before it returns) and a plain bleve loader with the
// built-in ar analyzer on title and body, storing nothing (the reference
// loader of issue 3). bahth-online, for context, loads the same articles
// into an existing empty index batch by batch (Index.Ingest, what bahth
// index runs into an existing index and the write API runs). It reports
// articles/s.
//
//	go test -run xxx -bench BenchmarkLoad -benchtime 1x -count 3 ./index
func BenchmarkLoad(b *testing.B) {
	n := 5000
	if v := os.Getenv("BAHTH_LOAD_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("BAHTH_LOAD_N=%q: %v", v, err)
		}
		if n <= 0 {
			n = math.MaxInt
		}
	}
	lines := readCorpusLines(b, n)
	size := 0
	for _, l := range lines {
		size += len(l)
	}
	data := bytes.Join(lines, []byte("\n"))
	file := filepath.Join(b.TempDir(), "corpus.jsonl")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		b.Fatal(err)
	}
	// bahthLoad runs one of Bahth's loaders per iteration and checks that it
	// stored every article.
	bahthLoad := func(load func(dir string, st *index.IngestStats) (*index.Index, error)) func(*testing.B) {
		return func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				var st index.IngestStats
				ix, err := load(filepath.Join(b.TempDir(), "ix"), &st)
				if err != nil {
					b.Fatal(err)
				}
				if n, _ := ix.Count(); int(n) != len(lines) || st.Added != len(lines) {
					b.Fatalf("indexed %d (added %d) of %d", n, st.Added, len(lines))
				}
				ix.Close()
			}
			b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "articles/s")
		}
	}
	b.Run("bahth", bahthLoad(func(dir string, st *index.IngestStats) (*index.Index, error) {
		return index.BuildFiles(context.Background(), dir, []string{file}, index.IngestOptions{}, st)
	}))
	b.Run("bahth-online", bahthLoad(func(dir string, st *index.IngestStats) (*index.Index, error) {
		ix, err := index.Create(dir)
		if err != nil {
			return nil, err
		}
		return ix, ix.Ingest(context.Background(), bytes.NewReader(data), "corpus.jsonl", index.IngestOptions{}, st)
	}))
	b.Run("bleve-ar", func(b *testing.B) {
		b.SetBytes(int64(size))
		m := bleve.NewIndexMapping()
		m.DefaultAnalyzer = "ar"
		doc := bleve.NewDocumentStaticMapping()
		for _, f := range []string{"title", "body"} {
			fm := bleve.NewTextFieldMapping()
			fm.Analyzer, fm.Store, fm.IncludeTermVectors, fm.IncludeInAll, fm.DocValues = "ar", false, false, false, false
			doc.AddFieldMappingsAt(f, fm)
		}
		m.DefaultMapping = doc
		for b.Loop() {
			ix, err := bleve.NewUsing(filepath.Join(b.TempDir(), "ix"), m, scorch.Name, scorch.Name, nil)
			if err != nil {
				b.Fatal(err)
			}
			loadPlainBleve(b, ix, lines)
			if n, _ := ix.DocCount(); int(n) != len(lines) {
				b.Fatalf("indexed %d of %d", n, len(lines))
			}
			ix.Close()
		}
		b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "articles/s")
	})
}

// loadPlainBleve indexes corpus lines' title and body into a plain bleve
// index in batches of 500: the reference loader of issue 3.
func loadPlainBleve(b *testing.B, ix bleve.Index, lines [][]byte) {
	batch := ix.NewBatch()
	for i, l := range lines {
		var d struct{ ID, Title, Body string }
		if err := json.Unmarshal(l, &d); err != nil {
			b.Fatal(err)
		}
		if err := batch.Index(d.ID, map[string]string{"title": d.Title, "body": d.Body}); err != nil {
			b.Fatal(err)
		}
		if batch.Size() == 500 || i == len(lines)-1 {
			if err := ix.Batch(batch); err != nil {
				b.Fatal(err)
			}
			batch = ix.NewBatch()
		}
	}
}
