package index_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
)

const benchQueries = "../../shared/eval/news-headlines/queries.dev.tsv"

// benchDocs is how many corpus articles the search benchmarks index:
// BAHTH_BENCH_DOCS, 5,000 by default, 70239 for the whole corpus.
func benchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("BAHTH_BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 5000
}

// benchDir is where the benchmark indexes are kept between runs
// (BAHTH_BENCH_DIR), or a fresh temporary directory.
func benchDir(b *testing.B) string {
	if d := os.Getenv("BAHTH_BENCH_DIR"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.Fatal(err)
		}
		return d
	}
	return b.TempDir()
}

var benchIndexes struct {
	sync.Mutex
	bahth *index.Index
	bleve bleve.Index
}

// benchBahth opens or builds Bahth's index of the first benchDocs articles.
func benchBahth(b *testing.B) *index.Index {
	benchIndexes.Lock()
	defer benchIndexes.Unlock()
	if benchIndexes.bahth != nil {
		return benchIndexes.bahth
	}
	n := benchDocs()
	dir := filepath.Join(benchDir(b), fmt.Sprintf("bahth-%d", n))
	ix, err := index.Open(dir)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) && !strings.Contains(err.Error(), "no such file") {
			b.Logf("rebuilding %s: %v", dir, err)
		}
		_ = index.Remove(dir)
		lines := readCorpusLines(b, n)
		if ix, err = index.Create(dir); err != nil {
			b.Fatal(err)
		}
		var st index.IngestStats
		if err := ix.Ingest(context.Background(), bytes.NewReader(bytes.Join(lines, []byte("\n"))), "corpus", index.IngestOptions{}, &st); err != nil {
			b.Fatal(err)
		}
	}
	benchIndexes.bahth = ix
	return ix
}

// benchBleve opens or builds the baseline: a plain bleve index with the
// built-in ar analyzer on title and body, stored with term vectors so that
// bleve's highlighter can draw snippets.
func benchBleve(b *testing.B) bleve.Index {
	benchIndexes.Lock()
	defer benchIndexes.Unlock()
	if benchIndexes.bleve != nil {
		return benchIndexes.bleve
	}
	n := benchDocs()
	dir := filepath.Join(benchDir(b), fmt.Sprintf("bleve-ar-%d", n))
	ix, err := bleve.Open(dir)
	if err != nil {
		os.RemoveAll(dir)
		m := bleve.NewIndexMapping()
		m.DefaultAnalyzer = "ar"
		doc := bleve.NewDocumentStaticMapping()
		for _, f := range []string{"title", "body"} {
			fm := bleve.NewTextFieldMapping()
			fm.Analyzer, fm.Store, fm.IncludeTermVectors, fm.IncludeInAll = "ar", true, true, false
			doc.AddFieldMappingsAt(f, fm)
		}
		m.DefaultMapping = doc
		if ix, err = bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil); err != nil {
			b.Fatal(err)
		}
		loadPlainBleve(b, ix, readCorpusLines(b, n))
	}
	benchIndexes.bleve = ix
	return ix
}

// readBenchQueries returns the news-headlines dev queries, found in
// ../shared beside the checkout (a worktree sits one level deeper), or
// skips.
func readBenchQueries(b *testing.B) []string {
	path := benchQueries
	if _, err := os.Stat(path); err != nil {
		path = "../" + benchQueries
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		b.Skipf("%s not present (../shared not present): the search benchmark needs the news-headlines queries", benchQueries)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if _, q, ok := strings.Cut(sc.Text(), "\t"); ok && strings.TrimSpace(q) != "" {
			qs = append(qs, q)
		}
	}
	return qs
}

// latencies collects per-operation durations and reports percentiles.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	l.reportAs(b, "")
	b.ReportMetric(0, "ns/op") // the percentiles are the figures
}

// reportAs reports p50 and p99 with a prefix to their units.
func (l latencies) reportAs(b *testing.B, prefix string) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(p float64) float64 {
		return float64(s[min(len(s)-1, int(p*float64(len(s))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), prefix+"p50-ms")
	b.ReportMetric(at(0.99), prefix+"p99-ms")
}

// BenchmarkSearch runs the news-headlines dev queries over the first
// BAHTH_BENCH_DOCS articles of the news corpus (10 results with snippets),
// side by side: Bahth's Search as users get it (query language, synonyms,
// tier, collapse, snippets; no facets) and a plain bleve index with the
// built-in ar analyzer (a match query on title or body, bleve's html
// highlighter). Each iteration is one query; it reports p50 and p99, and
// for Bahth those of the first pass over the queries too, with its caches
// still empty.
//
//	BAHTH_BENCH_DOCS=70239 BAHTH_BENCH_DIR=/tmp/bahth-bench go test -run xxx -bench BenchmarkSearch -benchtime 2000x -timeout 60m ./index
func BenchmarkSearch(b *testing.B) {
	qs := readBenchQueries(b)
	ctx := context.Background()
	b.Run("bahth", func(b *testing.B) {
		ix := benchBahth(b)
		var lat latencies
		i := 0
		for b.Loop() {
			q := qs[i%len(qs)]
			i++
			start := time.Now()
			res, err := ix.Search(ctx, index.Request{Query: q, Size: 10, Highlight: true, NoSuggest: true})
			lat = append(lat, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Hits) > 0 && len(res.Hits[0].Snippets) == 0 {
				b.Fatalf("%q: first hit without a snippet", q)
			}
		}
		lat.report(b)
		if len(lat) > len(qs) {
			// The first pass over the queries, which fills the caches of
			// decoded postings and pair hits (index/postcache.go) of the
			// index opened for the benchmark.
			lat[:len(qs)].reportAs(b, "first-pass-")
		}
	})
	b.Run("bleve-ar", func(b *testing.B) {
		ix := benchBleve(b)
		var lat latencies
		i := 0
		for b.Loop() {
			q := qs[i%len(qs)]
			i++
			start := time.Now()
			mt := bleve.NewMatchQuery(q)
			mt.SetField("title")
			mb := bleve.NewMatchQuery(q)
			mb.SetField("body")
			sr := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(mt, mb), 10, 0, false)
			sr.Highlight = bleve.NewHighlightWithStyle(html.Name)
			sr.Highlight.AddField("body")
			sr.Highlight.AddField("title")
			res, err := ix.SearchInContext(ctx, sr)
			lat = append(lat, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Hits) > 0 && len(res.Hits[0].Fragments) == 0 {
				b.Fatalf("%q: first hit without a fragment", q)
			}
		}
		lat.report(b)
	})
}
