package dupeval

// Related coverage on the 70k news corpus: section agreement of the top 5
// against the random baseline, 20 examples to read, and latency side by
// side with a plain bleve baseline. They need the corpus and an index of it
// built by this code (see dupeval_test.go):
//
//	BAHTH_RELATED=1 BAHTH_INDEX=/tmp/wire70k go test ./internal/dupeval -run TestRelatedSections -v -timeout 30m
//	BAHTH_INDEX=/tmp/wire70k BAHTH_BLEVE_AR=/tmp/bleve-ar-70k go test ./internal/dupeval -run xxx \
//	    -bench BenchmarkRelated -benchtime 500x -count 1 -timeout 60m
//
// BAHTH_BLEVE_AR is the baseline's index, built there on the first run.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
)

const (
	relatedSeeds = 500 // articles with a section
	relatedTop   = 5
	examples     = 20
	seedsSeed    = 7
)

// sectionSeeds draws n articles with a section, at random (seeded).
func sectionSeeds(arts []index.Article, n int) []index.Article {
	var with []index.Article
	for _, a := range arts {
		if a.Section != "" {
			with = append(with, a)
		}
	}
	r := rand.New(rand.NewPCG(seedsSeed, 0))
	out := make([]index.Article, 0, n)
	for _, i := range r.Perm(len(with))[:min(n, len(with))] {
		out = append(out, with[i])
	}
	return out
}

// sectionBaseline is the chance that two articles drawn at random share a
// section: the sum of squares of the section shares, among the articles
// with a section and among all articles (an article without one shares
// with nothing).
func sectionBaseline(arts []index.Article) (amongSectioned, amongAll float64) {
	count := map[string]int{}
	with := 0
	for _, a := range arts {
		if a.Section != "" {
			count[a.Section]++
			with++
		}
	}
	for _, n := range count {
		p := float64(n) / float64(with)
		amongSectioned += p * p
		amongAll += p * float64(n) / float64(len(arts))
	}
	return amongSectioned, amongAll
}

func TestSectionBaseline(t *testing.T) {
	arts := []index.Article{{Section: "a"}, {Section: "a"}, {Section: "b"}, {}}
	s, all := sectionBaseline(arts)
	// Among sectioned: (2/3)^2 + (1/3)^2 = 5/9; among all, a seed with a
	// section meets a random article: 2/3*2/4 + 1/3*1/4 = 5/12.
	if math.Abs(s-5.0/9) > 1e-9 || math.Abs(all-5.0/12) > 1e-9 {
		t.Errorf("sectionBaseline = %v, %v, want 5/9, 5/12", s, all)
	}
}

func TestRelatedSections(t *testing.T) {
	if os.Getenv("BAHTH_RELATED") == "" {
		t.Skip("set BAHTH_RELATED=1")
	}
	arts := readCorpus(t)
	ix := openIndex(t)
	seeds := sectionSeeds(arts, relatedSeeds)
	var slots, same, sectioned, sameSectioned, short int
	var lines []string
	for i, s := range seeds {
		hits, err := ix.Related(context.Background(), s.ID, index.RelatedOptions{Size: relatedTop})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) < relatedTop {
			short++
		}
		slots += relatedTop
		var titles []string
		for _, h := range hits {
			if h.ID == s.ID {
				t.Fatalf("Related(%s) returned the seed", s.ID)
			}
			if h.Article.Section != "" {
				sectioned++
			}
			if h.Article.Section == s.Section {
				same++
				sameSectioned++
			}
			titles = append(titles, fmt.Sprintf("    [%s %s] %s", h.Article.Section, h.Article.Source, h.Article.Title))
		}
		if i < examples {
			lines = append(lines, fmt.Sprintf("%2d. [%s %s %s] %s\n%s", i+1, s.Section, s.Source, s.ID, s.Title, strings.Join(titles, "\n")))
		}
	}
	base, baseAll := sectionBaseline(arts)
	fmt.Printf("seeds: %d with a section; top %d related; %d seeds got fewer\n", len(seeds), relatedTop, short)
	fmt.Printf("top-%d related sharing the seed's section: %.3f (%d of %d slots)\n", relatedTop, float64(same)/float64(slots), same, slots)
	fmt.Printf("  among related articles that have a section: %.3f (%d of %d)\n", float64(sameSectioned)/float64(sectioned), sameSectioned, sectioned)
	fmt.Printf("random baseline: %.3f (a random article with a section), %.3f (any random article)\n", base, baseAll)
	fmt.Println(strings.Join(lines, "\n"))
}

// baseline is the plain bleve related: bleve's ar analyzer on title and
// body, the seed's 25 terms of highest tf-idf (title terms counted three
// times, terms in more than 5% of the articles left out) as a disjunction
// of boosted term queries in both fields, scored by bleve, the seed
// excluded. It reads the seed's text from memory, not from the index.
type baseline struct {
	ix bleve.Index
	an analysis.Analyzer
	n  float64
}

func openBaseline(b testing.TB, arts []index.Article) *baseline {
	dir := os.Getenv("BAHTH_BLEVE_AR")
	if dir == "" {
		b.Fatal("set BAHTH_BLEVE_AR to the baseline index directory")
	}
	ix, err := bleve.Open(dir)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		ix, err = buildBaseline(dir, arts)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	n, err := ix.DocCount()
	if err != nil {
		b.Fatal(err)
	}
	return &baseline{ix: ix, an: ix.Mapping().AnalyzerNamed("ar"), n: float64(n)}
}

func buildBaseline(dir string, arts []index.Article) (bleve.Index, error) {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = "ar"
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range []string{"title", "body"} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer, fm.Store, fm.IncludeInAll, fm.DocValues = "ar", false, false, false
		doc.AddFieldMappingsAt(f, fm)
	}
	m.DefaultMapping = doc
	ix, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, err
	}
	batch := ix.NewBatch()
	for i, a := range arts {
		if err := batch.Index(a.ID, map[string]string{"title": a.Title, "body": a.Summary + "\n" + a.Body}); err != nil {
			return nil, err
		}
		if batch.Size() == 1000 || i == len(arts)-1 {
			if err := ix.Batch(batch); err != nil {
				return nil, err
			}
			batch = ix.NewBatch()
		}
	}
	return ix, nil
}

func (bl *baseline) related(seed index.Article, size int) ([]string, error) {
	tf := map[string]float64{}
	for _, tok := range bl.an.Analyze([]byte(seed.Title)) {
		tf[string(tok.Term)] += 3
	}
	for _, tok := range bl.an.Analyze([]byte(seed.Summary + "\n" + seed.Body)) {
		tf[string(tok.Term)]++
	}
	adv, err := bl.ix.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	type tw struct {
		t string
		w float64
	}
	var terms []tw
	for t, f := range tf {
		tfr, err := r.TermFieldReader(context.Background(), []byte(t), "body", false, false, false)
		if err != nil {
			r.Close()
			return nil, err
		}
		df := float64(tfr.Count())
		tfr.Close()
		if df > 1 && df <= 0.05*bl.n {
			terms = append(terms, tw{t, f * math.Log(bl.n/df)})
		}
	}
	r.Close()
	sort.Slice(terms, func(i, j int) bool {
		return terms[i].w > terms[j].w || terms[i].w == terms[j].w && terms[i].t < terms[j].t
	})
	terms = terms[:min(len(terms), 25)]
	if len(terms) == 0 {
		return nil, nil
	}
	var qs []query.Query
	for _, t := range terms {
		for _, f := range []string{"title", "body"} {
			q := bleve.NewTermQuery(t.t)
			q.SetField(f)
			q.SetBoost(t.w / terms[0].w)
			qs = append(qs, q)
		}
	}
	q := bleve.NewBooleanQuery()
	q.AddShould(bleve.NewDisjunctionQuery(qs...))
	q.AddMustNot(query.NewDocIDQuery([]string{seed.ID}))
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	res, err := bl.ix.Search(req)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out, nil
}

// BenchmarkRelated times the top 5 related articles of the 500 section
// seeds, Bahth against the plain bleve baseline in the same run, and
// reports p50 and p99 latency and each one's section agreement. Each call's
// output is checked: no seed among its related articles, at most 5.
func BenchmarkRelated(b *testing.B) {
	if os.Getenv("BAHTH_INDEX") == "" {
		b.Skip("set BAHTH_INDEX and BAHTH_BLEVE_AR")
	}
	arts := readCorpus(b)
	section := map[string]string{}
	for _, a := range arts {
		section[a.ID] = a.Section
	}
	seeds := sectionSeeds(arts, relatedSeeds)
	ix := openIndex(b)
	bl := openBaseline(b, arts)
	run := func(b *testing.B, related func(index.Article) ([]string, error)) {
		var took []time.Duration
		same, slots := 0, 0
		i := 0
		for b.Loop() {
			s := seeds[i%len(seeds)]
			i++
			start := time.Now()
			got, err := related(s)
			took = append(took, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
			if len(got) > relatedTop || slices.Contains(got, s.ID) {
				b.Fatalf("related(%s) = %v", s.ID, got)
			}
			slots += relatedTop
			for _, id := range got {
				if section[id] == s.Section {
					same++
				}
			}
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(took[min(len(took)-1, len(took)*99/100)].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(same)/float64(slots), "same-section")
	}
	b.Run("bahth", func(b *testing.B) {
		run(b, func(s index.Article) ([]string, error) {
			hits, err := ix.Related(context.Background(), s.ID, index.RelatedOptions{Size: relatedTop})
			out := make([]string, len(hits))
			for i, h := range hits {
				out[i] = h.ID
			}
			return out, err
		})
	})
	b.Run("bleve-ar", func(b *testing.B) {
		run(b, func(s index.Article) ([]string, error) { return bl.related(s, relatedTop) })
	})
}
