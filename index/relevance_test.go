package index_test

// Relevance is data (STYLE.md rule 9): the cases live in
// testdata/relevance/samples.txt at the repository root, one per line,
//
//	query -> id1 id2 ...
//
// with '#' comments. For each case the first id must be ranked first and
// every listed id must be within the top len(ids)+2 results.

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/bahth/bahth/index"
)

const relevanceCases = "../testdata/relevance/samples.txt"

type relevanceCase struct {
	line  int
	query string
	ids   []string
}

func readRelevanceCases(t *testing.T, path string) []relevanceCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []relevanceCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, want, ok := strings.Cut(line, "->")
		q = strings.TrimSpace(q)
		if !ok || q == "" || len(strings.Fields(want)) == 0 {
			t.Fatalf(`%s:%d: want "query -> id1 id2 ...", got %q`, path, n, line)
		}
		cases = append(cases, relevanceCase{line: n, query: q, ids: strings.Fields(want)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no cases", path)
	}
	return cases
}

func TestRelevanceSamples(t *testing.T) {
	ix, _ := newSampleIndex(t)
	for _, tc := range readRelevanceCases(t, relevanceCases) {
		t.Run(tc.query, func(t *testing.T) {
			depth := len(tc.ids) + 2
			res := search(t, ix, index.Request{Query: tc.query, Size: depth})
			got := ids(res.Hits)
			rank := make(map[string]int, len(got))
			for i, id := range got {
				rank[id] = i + 1
			}
			where := fmt.Sprintf("%s:%d", relevanceCases, tc.line)
			if len(got) == 0 || got[0] != tc.ids[0] {
				t.Errorf("%s: %q ranks %v, want %s first", where, tc.query, scored(res.Hits), tc.ids[0])
			}
			for _, id := range tc.ids {
				if rank[id] == 0 {
					t.Errorf("%s: %q: %s not in the top %d %v", where, tc.query, id, depth, scored(res.Hits))
				}
			}
		})
	}
}

// scored formats hits as "id(score)" for failure messages.
func scored(hits []index.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = fmt.Sprintf("%s(%.3f)", h.ID, h.Score)
	}
	return out
}
