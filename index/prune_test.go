package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/internal/samples"
)

// TestPruningIsExact runs random queries drawn from the sample articles'
// words through bleve's collector (the reference), Bahth's collector
// without pruning and with it, and requires the same hits in the same
// order with the same scores and totals. BAHTH_INDEX names a bigger index
// to run them on too (opened read-only in spirit: searches only).
func TestPruningIsExact(t *testing.T) {
	ix := openPruneIndex(t)
	words := sampleWords(t)
	rng := rand.New(rand.NewPCG(4, 2))
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
		want := runWith(t, ix, req, true, false)
		for _, pr := range []bool{false, true} {
			got := runWith(t, ix, req, false, pr)
			if got != want {
				t.Fatalf("%+v (pruning %v):\n got %s\nwant %s", req, pr, got, want)
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
