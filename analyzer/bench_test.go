package analyzer_test

// Throughput of Bahth's analyzer against bleve's built-in Arabic analyzer
// ("ar": unicode tokenizer, lowercase, NFKC, Arabic stop words, Arabic
// normalization, light stemmer), side by side in one run (STYLE.md rule 7).
//
//	go test -run xxx -bench BenchmarkAnalyze -benchtime 2s -count 5 ./analyzer
//
// Input. BenchmarkAnalyze uses the project's own article,
// testdata/fixtures/article.txt, split at blank lines into its paragraphs
// (headline included). Each paragraph is analyzed as a separate document,
// as the index analyzes one field of one article at a time, so the per-call
// costs (token slices, filter buffers) are counted as they are paid in
// ingest; one benchmark operation is the whole article, and SetBytes is the
// article's size. BenchmarkAnalyzeCorpus does the same over the title and
// the body of the first 2,000 articles of the real news corpus in
// ../shared/corpus, when it is present.
//
// Each iteration first copies the input into a scratch buffer (a memcpy,
// negligible next to analysis) because bleve's lowercase filter rewrites its
// input in place.
//
// Check. Before the timer starts, each analyzer's token count and summed term
// length over the input are computed once; every iteration recomputes them
// and fails the benchmark if either differs, so a fast path that drops or
// mangles tokens cannot look fast. The token count must also be above 100,
// so an analyzer that returns nothing fails at once.

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/registry"
)

const (
	benchArticlePath = "../testdata/fixtures/article.txt"
	benchCorpusPath  = "../../shared/corpus/news-ar-70k.jsonl.gz"
	benchCorpusDocs  = 2000
)

// benchAnalyzers are the analyzers compared, in the order reported.
func benchAnalyzers(b *testing.B) []struct {
	name string
	an   analysis.Analyzer
} {
	b.Helper()
	ar, err := registry.NewCache().AnalyzerNamed("ar")
	if err != nil {
		b.Fatalf("bleve's ar analyzer: %v", err)
	}
	return []struct {
		name string
		an   analysis.Analyzer
	}{
		{"bahth", analyzer.NewNews()},
		{"bleve-ar", ar},
	}
}

// benchSummary summarizes what an analyzer made of docs: the number of tokens
// and the summed length of their terms.
type benchSummary struct{ tokens, termBytes int }

// benchAnalyzeDocs analyzes a fresh copy of each doc in scratch: bleve's
// unicode tokenizer makes terms that point into the input and its lowercase
// filter rewrites them in place, so analyzing the same bytes again would
// measure bleve on text it had already lowercased.
func benchAnalyzeDocs(an analysis.Analyzer, docs, scratch [][]byte) benchSummary {
	var out benchSummary
	for i, d := range docs {
		copy(scratch[i], d)
		ts := an.Analyze(scratch[i])
		out.tokens += len(ts)
		for _, t := range ts {
			out.termBytes += len(t.Term)
		}
	}
	return out
}

// benchRun benchmarks every analyzer over docs, each doc analyzed
// separately, one operation being all of docs.
func benchRun(b *testing.B, docs [][]byte) {
	size := 0
	scratch := make([][]byte, len(docs))
	for i, d := range docs {
		size += len(d)
		scratch[i] = make([]byte, len(d))
	}
	for _, a := range benchAnalyzers(b) {
		b.Run(a.name, func(b *testing.B) {
			want := benchAnalyzeDocs(a.an, docs, scratch)
			if want.tokens <= 100 {
				b.Fatalf("%s made %d tokens of %d bytes; want more than 100", a.name, want.tokens, size)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if got := benchAnalyzeDocs(a.an, docs, scratch); got != want {
					b.Fatalf("%s: got %d tokens (%d term bytes), first run made %d (%d)",
						a.name, got.tokens, got.termBytes, want.tokens, want.termBytes)
				}
			}
			b.ReportMetric(float64(want.tokens), "tokens/op")
		})
	}
}

// BenchmarkAnalyze compares the analyzers on the paragraphs of the
// project's own article (see the comment at the top of this file).
func BenchmarkAnalyze(b *testing.B) {
	raw, err := os.ReadFile(benchArticlePath)
	if err != nil {
		b.Fatal(err)
	}
	var docs [][]byte
	for _, p := range strings.Split(string(raw), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			docs = append(docs, []byte(p))
		}
	}
	if len(docs) < 5 {
		b.Fatalf("%s: %d paragraphs; want the whole article", benchArticlePath, len(docs))
	}
	benchRun(b, docs)
}

// BenchmarkAnalyzeCorpus compares the analyzers on the titles and bodies of
// the first 2,000 articles of the news corpus, each field a document.
func BenchmarkAnalyzeCorpus(b *testing.B) {
	docs, err := benchReadCorpus(benchCorpusPath, benchCorpusDocs)
	if errors.Is(err, os.ErrNotExist) {
		b.Skipf("%s not found (../shared not present): the corpus lives beside the project, never in it", benchCorpusPath)
	}
	if err != nil {
		b.Fatal(err)
	}
	benchRun(b, docs)
}

// benchReadCorpus returns the non-empty titles and bodies of the first n
// articles of a gzip-compressed JSON Lines file.
func benchReadCorpus(path string, n int) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer gz.Close()
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	var docs [][]byte
	articles := 0
	for line := 1; articles < n && sc.Scan(); line++ {
		var a struct{ Title, Body string }
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		articles++
		for _, s := range []string{a.Title, a.Body} {
			if s != "" {
				docs = append(docs, []byte(s))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if articles < n {
		return nil, fmt.Errorf("%s: %d articles; want at least %d", path, articles, n)
	}
	return docs, nil
}
