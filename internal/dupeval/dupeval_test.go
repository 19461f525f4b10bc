package dupeval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/corpus"
)

func TestStratumOf(t *testing.T) {
	for _, tc := range []struct {
		j    float64
		want string
	}{{0.1, ""}, {0.3, "b0.3"}, {0.45, "b0.4"}, {0.5, "b0.5"}, {0.79, "b0.6"}, {0.8, "b0.8"}, {1, "b0.8"}} {
		if got := StratumOf(tc.j); got != tc.want {
			t.Errorf("StratumOf(%v) = %q, want %q", tc.j, got, tc.want)
		}
	}
}

func TestBroad(t *testing.T) {
	story := "أعلنت وزارة الصحة اليوم افتتاح مستشفى جديد في مدينة تبوك بسعة ثلاثمائة سرير ويضم أقساما للطوارئ والجراحة والأطفال والنساء والولادة"
	other := "فاز فريق الاتحاد على ضيفه الشباب بثلاثة أهداف مقابل هدف في مباراة مثيرة شهدت طرد لاعبين من الفريقين في الشوط الثاني"
	arts := []index.Article{
		{ID: "a", Title: "مستشفى جديد في تبوك", Body: story},
		{ID: "b", Title: "افتتاح مستشفى تبوك", Body: story + " وحضر الافتتاح أمير المنطقة"},
		{ID: "c", Title: "الاتحاد يفوز", Body: other},
		{ID: "d", Title: "مستشفى", Body: "مستشفى تبوك افتتاح"},
	}
	got := Broad(arts)
	if len(got) != 1 || got[0].A != "a" || got[0].B != "b" || got[0].Jaccard < 0.8 {
		t.Errorf("Broad = %+v, want the pair a, b with a high similarity", got)
	}
}

func TestEstimates(t *testing.T) {
	labels := []Label{
		{Stratum: "b0.3", Pair: NewPair("a", "b", 0.3), Dup: true},
		{Stratum: "b0.3", Pair: NewPair("a", "c", 0.3), Dup: false},
		{Stratum: "b0.8", Pair: NewPair("d", "e", 0.9), Dup: true},
		{Stratum: "b0.8", Pair: NewPair("d", "f", 0.9), Dup: true},
		{Stratum: "group", Pair: NewPair("g", "h", 0.5), Dup: true},
		{Stratum: "group", Pair: NewPair("g", "i", 0.5), Dup: false},
		{Stratum: "near", Pair: NewPair("x", "y", 0.5), Dup: true},
	}
	grouped := map[string]bool{"d\te": true, "d\tf": true, "g\th": true, "g\ti": true, "a\tc": true}
	isGrouped := func(p Pair) bool { return grouped[p.Key()] }
	// b0.3: 2 sampled of 100, one copy (missed): stands for 50 copies.
	// b0.8: 2 sampled of 10, two copies (found): 10 copies.
	rec := Recall(labels, isGrouped, map[string]int{"b0.3": 100, "b0.8": 10})
	if rec.Hits != 2 || rec.Of != 3 || fmt.Sprintf("%.4f", rec.Value) != "0.1667" {
		t.Errorf("Recall = %+v, want 10/60 from 2 of 3", rec)
	}
	prec := Precision(labels, isGrouped, "group")
	if prec.Hits != 1 || prec.Of != 2 || prec.Value != 0.5 {
		t.Errorf("Precision(group) = %+v, want 1 of 2", prec)
	}
	if p := Precision(labels, isGrouped, "b0.3", "b0.8"); p.Hits != 2 || p.Of != 3 {
		t.Errorf("Precision(broad) = %+v, want 2 of 3", p)
	}
}

func TestReadLabels(t *testing.T) {
	good := "# comment\nb0.3\tx\ta\t0.31\tdup\tsame release, cut\n\ngroup\tb\tc\t0.9\tno\trecurring template\n"
	got, err := ReadLabels(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []Label{
		{Stratum: "b0.3", Pair: Pair{A: "a", B: "x", Jaccard: 0.31}, Dup: true, Reason: "same release, cut"},
		{Stratum: "group", Pair: Pair{A: "b", B: "c", Jaccard: 0.9}, Reason: "recurring template"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ReadLabels = %+v, want %+v", got, want)
	}
	for _, bad := range []string{"b0.3\ta\tb\t0.3\tmaybe\tx\n", "b0.3\ta\tb\n", "b0.3\ta\tb\tx\tdup\tr\n"} {
		if _, err := ReadLabels(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadLabels(%q) succeeded", bad)
		}
	}
}

// The measurements below need the 70k news corpus and an index of it
// built by this code; they run only when asked:
//
//	go run ./cmd/bahth index --index /tmp/wire70k ../shared/corpus/news-ar-70k.jsonl.gz
//	BAHTH_DUPEVAL=sample BAHTH_INDEX=/tmp/wire70k go test ./internal/dupeval -run TestDupSample -v -timeout 30m
//	BAHTH_DUPEVAL=measure BAHTH_INDEX=/tmp/wire70k go test ./internal/dupeval -run TestDupMeasure -v
//
// BAHTH_CORPUS names the corpus when it is not ../shared/corpus beside the
// repository.

func corpusPath() string {
	if p := os.Getenv("BAHTH_CORPUS"); p != "" {
		return p
	}
	return "../../../shared/corpus/news-ar-70k.jsonl.gz"
}

func readCorpus(t testing.TB) []index.Article {
	t.Helper()
	var out []index.Article
	err := corpus.Lines(corpusPath(), func(line int, text []byte) error {
		a, err := index.ParseArticle(text)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		t.Fatalf("reading the corpus (set BAHTH_CORPUS): %v", err)
	}
	return out
}

func openIndex(t testing.TB) *index.Index {
	t.Helper()
	dir := os.Getenv("BAHTH_INDEX")
	if dir == "" {
		t.Fatal("set BAHTH_INDEX to an index of the corpus built by this code")
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// Sample sizes of the labelling round.
const (
	perStratum = 22 // pairs from each broad stratum
	fromGroups = 45 // pairs the detector grouped
	nearMisses = 25 // pairs it compared and rejected near its thresholds
	sampleSeed = 2024
)

// TestDupSample writes the pairs to label: strata.tsv (the size of each
// broad stratum, kept in the repository), and in BAHTH_OUT (default a
// temporary directory) tolabel.tsv (the pairs, with their stratum) and
// review.txt (the pairs' texts in random order, without the stratum or the
// detector's decision, for the person labelling).
func TestDupSample(t *testing.T) {
	if os.Getenv("BAHTH_DUPEVAL") != "sample" {
		t.Skip("set BAHTH_DUPEVAL=sample")
	}
	arts := readCorpus(t)
	byID := map[string]index.Article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	ix := openIndex(t)
	ctx := context.Background()

	broad := Broad(arts)
	sizes := map[string][]Pair{}
	for _, p := range broad {
		s := StratumOf(p.Jaccard)
		sizes[s] = append(sizes[s], p)
	}
	var strataOut strings.Builder
	strataOut.WriteString("# stratum\tbroad pairs (word-set similarity bins, see dupeval.go)\n")
	var rows []Label
	for i, lo := range strata {
		s := StratumOf(lo)
		fmt.Fprintf(&strataOut, "%s\t%d\n", s, len(sizes[s]))
		for _, p := range Sample(sizes[s], perStratum, sampleSeed+uint64(i)) {
			rows = append(rows, Label{Stratum: s, Pair: p})
		}
	}
	if err := os.WriteFile("strata.tsv", []byte(strataOut.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("broad pairs: %d", len(broad))

	// The detector's groups, from each article's copies.
	wordSim := func(a, b string) float64 {
		x, y := WordSet(byID[a]), WordSet(byID[b])
		inter := 0
		for _, w := range x {
			if _, ok := slices.BinarySearch(y, w); ok {
				inter++
			}
		}
		return float64(inter) / float64(len(x)+len(y)-inter)
	}
	var grouped []Pair
	for _, a := range arts {
		cs, err := ix.WireCopies(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if a.ID < c {
				grouped = append(grouped, NewPair(a.ID, c, 0))
			}
		}
	}
	t.Logf("grouped pairs: %d", len(grouped))
	for _, p := range Sample(grouped, fromGroups, sampleSeed+10) {
		p.Jaccard = wordSim(p.A, p.B)
		rows = append(rows, Label{Stratum: "group", Pair: p})
	}

	// Near misses, from the candidates of a random tenth of the articles.
	r := rand.New(rand.NewPCG(sampleSeed, 11))
	var near []Pair
	seen := map[string]bool{}
	for _, i := range r.Perm(len(arts))[:len(arts)/10] {
		ms, err := ix.WireCandidates(ctx, arts[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			p := NewPair(arts[i].ID, m.ID, 0)
			if !m.Copy && (m.Similarity >= 0.3 || m.Containment >= 0.6) && !seen[p.Key()] {
				seen[p.Key()] = true
				near = append(near, p)
			}
		}
	}
	t.Logf("near misses: %d", len(near))
	for _, p := range Sample(near, nearMisses, sampleSeed+12) {
		p.Jaccard = wordSim(p.A, p.B)
		rows = append(rows, Label{Stratum: "near", Pair: p})
	}

	out := os.Getenv("BAHTH_OUT")
	if out == "" {
		out = t.TempDir()
	}
	var tsv, review strings.Builder
	for _, l := range rows {
		fmt.Fprintf(&tsv, "%s\t%s\t%s\t%.3f\t\t\n", l.Stratum, l.A, l.B, l.Jaccard)
	}
	order := rand.New(rand.NewPCG(sampleSeed, 13)).Perm(len(rows))
	done := map[string]bool{}
	for _, i := range order {
		p := rows[i].Pair
		if done[p.Key()] {
			continue
		}
		done[p.Key()] = true
		fmt.Fprintf(&review, "===== %s %s\n", p.A, p.B)
		for _, id := range []string{p.A, p.B} {
			a := byID[id]
			body := strings.Join(strings.Fields(a.Body), " ")
			fmt.Fprintf(&review, "[%s %s %d words] %s || %s\n", a.Source, a.PublishedAt.Format("2006-01-02"),
				len(strings.Fields(a.Body)), a.Title, clip(body, 420))
		}
	}
	for name, data := range map[string]string{"tolabel.tsv": tsv.String(), "review.txt": review.String()} {
		if err := os.WriteFile(filepath.Join(out, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d pairs to label in %s", len(done), out)
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// TestDupMeasure computes the detector's precision and recall against
// labels.tsv on the index in BAHTH_INDEX.
func TestDupMeasure(t *testing.T) {
	if os.Getenv("BAHTH_DUPEVAL") != "measure" {
		t.Skip("set BAHTH_DUPEVAL=measure")
	}
	f, err := os.Open("labels.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	labels, err := ReadLabels(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("strata.tsv")
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Split(line, "\t"); len(f) == 2 && !strings.HasPrefix(line, "#") {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatalf("strata.tsv: %q", line)
			}
			sizes[f[0]] = n
		}
	}
	ix := openIndex(t)
	copies := map[string][]string{}
	grouped := func(p Pair) bool {
		cs, ok := copies[p.A]
		if !ok {
			var err error
			if cs, err = ix.WireCopies(context.Background(), p.A); err != nil {
				t.Fatal(err)
			}
			copies[p.A] = cs
		}
		return slices.Contains(cs, p.B)
	}
	distinct := map[string]bool{}
	byStratum := map[string][4]int{} // dup&grouped, dup&not, no&grouped, no&not
	for _, l := range labels {
		distinct[l.Key()] = true
		c := byStratum[l.Stratum]
		i := 0
		if !l.Dup {
			i = 2
		}
		if !grouped(l.Pair) {
			i++
		}
		c[i]++
		byStratum[l.Stratum] = c
	}
	var names []string
	for s := range byStratum {
		names = append(names, s)
	}
	sort.Strings(names)
	var broadNames []string
	for s := range sizes {
		broadNames = append(broadNames, s)
	}
	fmt.Printf("labelled pairs: %d (%d distinct)\n", len(labels), len(distinct))
	fmt.Printf("%-6s %6s %5s | %9s %9s %9s %9s\n", "stratum", "size", "label", "dup+grp", "dup+miss", "no+grp", "no+miss")
	for _, s := range names {
		c := byStratum[s]
		size := "-"
		if n, ok := sizes[s]; ok {
			size = strconv.Itoa(n)
		}
		fmt.Printf("%-7s %6s %5d | %9d %9d %9d %9d\n", s, size, c[0]+c[1]+c[2]+c[3], c[0], c[1], c[2], c[3])
	}
	fmt.Printf("precision (random grouped pairs): %v\n", Precision(labels, grouped, "group"))
	fmt.Printf("precision (broad sample pairs grouped, unweighted): %v\n", Precision(labels, grouped, broadNames...))
	fmt.Printf("recall (broad sample, weighted by stratum size): %v\n", Recall(labels, grouped, sizes))
}
