package index

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/internal/samples"
)

// TestPruningIsExact runs random queries drawn from the sample articles'
// words through bleve's collector (the reference), Bahth's collector
// without pruning and with it, and requires the same hits in the same
// order with the same scores and totals (with no rescore window, which
// bleve's collector lacks; with a small one, ours pruned and not).
// BAHTH_INDEX names a bigger index to run them on too (opened read-only
// in spirit: searches only).
func TestPruningIsExact(t *testing.T) {
	ix := openPruneIndex(t)
	words := sampleWords(t)
	rng := rand.New(rand.NewPCG(4, 2))
	windows := rand.New(rand.NewPCG(5, 1))
	n := 300
	if testing.Short() {
		n = 60
	}
	for q := 0; q < n; q++ {
		var qs []string
		for range 1 + rng.IntN(5) {
			qs = append(qs, words[rng.IntN(len(words))])
		}
		if rng.IntN(8) == 0 {
			qs = append(qs, "-"+words[rng.IntN(len(words))])
		}
		if rng.IntN(10) == 0 {
			qs[0] += "*"
		}
		req := Request{Query: strings.Join(qs, " "), Size: 1 + rng.IntN(10), Page: 1 + rng.IntN(3),
			NoSuggest: true, NoCollapse: rng.IntN(2) == 0, ExactTotal: true}
		if rng.IntN(6) == 0 {
			req.Recency = 30 * 24 * time.Hour
			req.Now = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) // the cursor's page must score alike
		}
		everywhere := DefaultRanking
		everywhere.Window = 0
		req.Ranking = &everywhere
		want := runWith(t, ix, req, true, false)
		for _, m := range pruneModes {
			got := runMode(t, ix, req, m)
			if got != want {
				t.Fatalf("%+v (%s):\n got %s\nwant %s", req, m.name, got, want)
			}
		}
		// With a window smaller than the hits (bleve's collector has
		// none: TestRescoreWindow checks its order), pruned and not.
		r := DefaultRanking
		r.Window = 1 + windows.IntN(4)
		req.Ranking = &r
		want = runWith(t, ix, req, false, false)
		for _, m := range pruneModes[1:] {
			if got := runMode(t, ix, req, m); got != want {
				t.Fatalf("%+v, window %d (%s):\n pruned %s\nwithout %s", req, r.Window, m.name, got, want)
			}
		}
	}
}

// TestRelatedPruningIsExact requires the same related articles, in the
// same order with the same scores, with pruning and without.
func TestRelatedPruningIsExact(t *testing.T) {
	ix := openPruneIndex(t)
	var ids []string
	for line := range bytes.Lines(samples.Articles) {
		var a struct{ ID string }
		if json.Unmarshal(line, &a) == nil && a.ID != "" {
			ids = append(ids, a.ID)
		}
	}
	if os.Getenv("BAHTH_INDEX") != "" {
		ids = ids[:0]
		res, err := ix.Search(context.Background(), Request{Size: 100, NoSuggest: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
	}
	for _, id := range ids {
		var out [2]string
		for i, pr := range []bool{false, true} {
			pruning = pr
			hits, err := ix.Related(context.Background(), id, RelatedOptions{Size: 1 + len(id)%10})
			pruning = true
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hits {
				out[i] += fmt.Sprintf(" %s %.9g", h.ID, h.Score)
			}
		}
		if out[0] != out[1] {
			t.Errorf("Related(%s):\n pruned %s\nwithout %s", id, out[1], out[0])
		}
	}
}

// TestTotalLimit requires a search to count its matches up to the limit
// and then answer the limit, "at least", with the same hits as an exact
// count.
func TestTotalLimit(t *testing.T) {
	ix := openPruneIndex(t)
	defer func(v uint64) { totalLimitVar = v }(totalLimitVar)
	const limit = 3
	words := sampleWords(t)
	var eq, gte int
	for _, w := range words[:40] {
		totalLimitVar = TotalLimit
		req := Request{Query: w, Size: 2, NoSuggest: true, ExactTotal: true}
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if res.TotalRelation != RelationEQ {
			t.Fatalf("%q with ExactTotal: relation %q", req.Query, res.TotalRelation)
		}
		_, page, _ := strings.Cut(runWith(t, ix, req, false, true), ":") // runWith prints the total first
		totalLimitVar = limit
		req.ExactTotal = false
		got, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		want, wantRel := res.Total, RelationEQ
		if res.Total >= limit {
			want, wantRel = limit, RelationGTE
			gte++
		} else {
			eq++
		}
		if got.Total != want || got.TotalRelation != wantRel {
			t.Errorf("%q: total %d %s, want %d %s (exactly %d)", req.Query, got.Total, got.TotalRelation, want, wantRel, res.Total)
		}
		if _, gotPage, _ := strings.Cut(runWith(t, ix, req, false, true), ":"); gotPage != page {
			t.Errorf("%q: page %s, want %s", req.Query, gotPage, page)
		}
	}
	if eq == 0 || gte == 0 {
		t.Fatalf("%d queries under the limit, %d over: want both", eq, gte)
	}
}

// pruneModes are the ways searchTop can find the top k: every match
// scored, MaxScore (prune.go), per-document bounds (ubound.go).
type pruneMode struct {
	name         string
	prune, bound bool
}

var pruneModes = []pruneMode{{"no pruning", false, false}, {"MaxScore", true, false}, {"bounds", true, true}}

func runMode(t *testing.T, ix *Index, req Request, m pruneMode) string {
	t.Helper()
	boundSearch = m.bound
	defer func() { boundSearch = true }()
	return runWith(t, ix, req, false, m.prune)
}

func runWith(t *testing.T, ix *Index, req Request, withBleve, prune bool) string {
	t.Helper()
	rankWithBleve, pruning = withBleve, prune
	defer func() { rankWithBleve, pruning = false, true }()
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "total %d:", res.Total)
	for _, h := range res.Hits {
		fmt.Fprintf(&b, " %s %.9g %v", h.ID, h.Score, h.Copies)
	}
	if res.NextCursor != "" {
		// The next page by cursor must agree too.
		next := req
		next.Cursor, next.Page, next.From = res.NextCursor, 0, 0
		if r2, err := ix.Search(context.Background(), next); err == nil {
			for _, h := range r2.Hits {
				fmt.Fprintf(&b, " +%s", h.ID)
			}
		} else {
			t.Fatal(err)
		}
	}
	return b.String()
}

func openPruneIndex(t *testing.T) *Index {
	t.Helper()
	if dir := os.Getenv("BAHTH_INDEX"); dir != "" {
		ix, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	ix, err := Create(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Load(bytes.NewReader(samples.Articles), "articles.jsonl"); err != nil {
		t.Fatal(err)
	}
	return ix
}

// sampleWords returns the words of the sample articles' titles.
func sampleWords(t *testing.T) []string {
	t.Helper()
	var out []string
	for line := range bytes.Lines(samples.Articles) {
		var a struct{ Title string }
		if err := json.Unmarshal(line, &a); err != nil {
			continue
		}
		out = append(out, strings.Fields(a.Title)...)
	}
	if len(out) == 0 {
		t.Fatal("no sample words")
	}
	return out
}

// TestRescoreWindow checks the rescore window's order (rescore.go) on
// random queries against one built from two searches without a window:
// the window documents (the best w without the pairs) score as with the
// pairs everywhere, the others as without them, ties by id. Paging
// through the hits by cursor and by page, two at a time, must join into
// the same list, across the window's edge.
func TestRescoreWindow(t *testing.T) {
	if os.Getenv("BAHTH_INDEX") != "" {
		t.Skip("pages through every hit: on the samples only")
	}
	ix := openPruneIndex(t)
	words := sampleWords(t)
	rng := rand.New(rand.NewPCG(7, 3))
	type hit struct {
		id    string
		all   bool
		score float64
	}
	list := func(req Request, r Ranking) []hit {
		req.Ranking = &r
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var out []hit
		for _, h := range res.Hits {
			out = append(out, hit{h.ID, h.AllWords, h.Score})
		}
		return out
	}
	show := func(hs []hit) string {
		var b strings.Builder
		for _, h := range hs {
			fmt.Fprintf(&b, " %s %v %.9g", h.id, h.all, h.score)
		}
		return b.String()
	}
	rescored := 0
	for q := 0; q < 150; q++ {
		var qs []string
		for range 2 + rng.IntN(4) {
			qs = append(qs, words[rng.IntN(len(words))])
		}
		// Adjacent title words, so that pairs match.
		if rng.IntN(2) == 0 {
			i := rng.IntN(len(words) - 1)
			qs = append(qs, words[i], words[i+1])
		}
		req := Request{Query: strings.Join(qs, " "), Size: MaxSize, NoSuggest: true, NoCollapse: true, ExactTotal: true}
		w := 1 + rng.IntN(6)
		noPairs, all, win := DefaultRanking, DefaultRanking, DefaultRanking
		noPairs.Pairs, all.Window, win.Window = 0, 0, w
		phase1, full := list(req, noPairs), list(req, all)
		score := map[string]hit{}
		for _, h := range phase1 {
			score[h.id] = h
		}
		for _, h := range phase1[:min(w, len(phase1))] {
			i := slices.IndexFunc(full, func(f hit) bool { return f.id == h.id })
			if full[i] != h {
				rescored++
			}
			score[h.id] = full[i]
		}
		var want []hit
		for _, h := range score {
			want = append(want, h)
		}
		slices.SortFunc(want, func(a, b hit) int {
			if a.all != b.all {
				if a.all {
					return -1
				}
				return 1
			}
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return strings.Compare(a.id, b.id)
		})
		got := list(req, win)
		if show(got) != show(want) {
			t.Fatalf("%q, window %d:\n got %s\nwant %s", req.Query, w, show(got), show(want))
		}
		// The same list two at a time, by cursor and by page.
		var byCursor, byPage []hit
		page := req
		page.Size = 2
		for i := 0; i < 100; i++ {
			r := win
			page.Ranking = &r
			res, err := ix.Search(context.Background(), page)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				byCursor = append(byCursor, hit{h.ID, h.AllWords, h.Score})
			}
			if res.NextCursor == "" {
				break
			}
			page.Cursor = res.NextCursor
		}
		page.Cursor = ""
		for page.Page = 1; ; page.Page++ {
			hs := list(page, win)
			if len(hs) == 0 {
				break
			}
			byPage = append(byPage, hs...)
		}
		if show(byCursor) != show(got) || show(byPage) != show(got) {
			t.Fatalf("%q, window %d, two at a time:\ncursor %s\n  page %s\n  want %s", req.Query, w, show(byCursor), show(byPage), show(got))
		}
	}
	if rescored == 0 {
		t.Fatal("no query had a pair in its window: the test checks nothing")
	}
}

// TestBoundSearchAcrossWrites checks the per-document bounds search and
// its caches of decoded postings and pair hits (kept per segment) on an
// index of several segments, before and after deletions and updates: the
// hits must stay those of the exhaustive search, with no deleted or stale
// article among them.
func TestBoundSearchAcrossWrites(t *testing.T) {
	ix, err := Create(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var lines [][]byte
	var ids, titles []string
	for line := range bytes.Lines(samples.Articles) {
		var a struct{ ID, Title string }
		if json.Unmarshal(line, &a) == nil && a.ID != "" {
			lines = append(lines, line)
			ids = append(ids, a.ID)
			titles = append(titles, a.Title)
		}
	}
	var st IngestStats
	if err := ix.Ingest(context.Background(), bytes.NewReader(bytes.Join(lines, nil)), "articles.jsonl", IngestOptions{BatchSize: 4}, &st); err != nil {
		t.Fatal(err)
	}
	words := sampleWords(t)
	rng := rand.New(rand.NewPCG(7, 3))
	var queries []string
	for range 40 {
		var qs []string
		for range 1 + rng.IntN(6) {
			qs = append(qs, words[rng.IntN(len(words))])
		}
		if rng.IntN(2) == 0 { // two words of a title to be deleted or changed, as a phrase: its pair is a clause of its own
			title := strings.Fields(titles[rng.IntN(len(titles)/2)])
			if i := rng.IntN(len(title)); i+1 < len(title) {
				qs = append(qs, `"`+title[i]+" "+title[i+1]+`"`)
			}
		}
		queries = append(queries, strings.Join(qs, " "))
	}
	check := func(stage string) {
		t.Helper()
		for _, q := range queries {
			req := Request{Query: q, Size: 10, NoSuggest: true, NoCollapse: true, ExactTotal: true}
			want := runMode(t, ix, req, pruneModes[0])
			if got := runMode(t, ix, req, pruneModes[2]); got != want {
				t.Fatalf("%s, %q:\n bounds %s\n   want %s", stage, q, got, want)
			}
		}
	}
	check("first load")
	// Delete a quarter of the articles and rewrite another quarter (the
	// old versions stay in their segments, masked).
	if _, err := ix.Delete(ids[:len(ids)/4]); err != nil {
		t.Fatal(err)
	}
	changed := bytes.Join(lines[len(lines)/4:len(lines)/2], nil)
	changed = bytes.ReplaceAll(changed, []byte(`"title":"`), []byte(`"title":"تحديث `))
	if err := ix.Ingest(context.Background(), bytes.NewReader(changed), "changed.jsonl", IngestOptions{BatchSize: 4}, &st); err != nil {
		t.Fatal(err)
	}
	check("after deletions and updates")
	for _, q := range queries {
		res, err := ix.Search(context.Background(), Request{Query: q, Size: 50, NoSuggest: true, NoCollapse: true})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, h := range res.Hits {
			if slices.Contains(ids[:len(ids)/4], h.ID) {
				t.Fatalf("%q: deleted article %s found", q, h.ID)
			}
			if seen[h.ID] {
				t.Fatalf("%q: article %s found twice (its old version too)", q, h.ID)
			}
			seen[h.ID] = true
		}
	}
}

// FuzzSearchIsExact holds the bounds search to the exhaustive one on any
// query over the sample articles: the same hits, scores and totals, or
// the same error. The seeds (the parser's and the samples' titles) run
// with go test; the fuzzing itself is opt-in:
//
//	go test ./index -run xxx -fuzz FuzzSearchIsExact -fuzztime 2m
func FuzzSearchIsExact(f *testing.F) {
	for _, s := range queryFuzzSeeds {
		f.Add(s)
	}
	for line := range bytes.Lines(samples.Articles) {
		var a struct{ Title string }
		if json.Unmarshal(line, &a) == nil && a.Title != "" {
			f.Add(a.Title)
		}
	}
	ix, err := Create(filepath.Join(f.TempDir(), "index"))
	if err != nil {
		f.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Load(bytes.NewReader(samples.Articles), "articles.jsonl"); err != nil {
		f.Fatal(err)
	}
	run := func(q string, m pruneMode) string {
		boundSearch = m.bound
		rankWithBleve, pruning = false, m.prune
		defer func() { boundSearch, pruning = true, true }()
		res, err := ix.Search(context.Background(), Request{Query: q, Size: 20, NoSuggest: true, NoCollapse: true, ExactTotal: true})
		if err != nil {
			return "error: " + err.Error()
		}
		var b strings.Builder
		fmt.Fprintf(&b, "total %d:", res.Total)
		for _, h := range res.Hits {
			fmt.Fprintf(&b, " %s %.9g", h.ID, h.Score)
		}
		return b.String()
	}
	f.Fuzz(func(t *testing.T, q string) {
		want := run(q, pruneModes[0])
		for _, m := range pruneModes[1:] {
			if got := run(q, m); got != want {
				t.Fatalf("%q (%s):\n got %s\nwant %s", q, m.name, got, want)
			}
		}
	})
}
