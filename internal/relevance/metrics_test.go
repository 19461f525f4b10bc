package relevance

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"
)

// near reports whether got and want agree to within rounding.
func near(got, want float64) bool { return math.Abs(got-want) < 1e-12 }

// docs builds a ranking of n unjudged docids "filler1" ... "fillerN" with the
// docids of at placed at their 1-based ranks, for relevant documents that sit
// deep in the list.
func docs(n int, at map[int]string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "filler" + strconv.Itoa(i+1)
		if id, ok := at[i+1]; ok {
			out[i] = id
		}
	}
	return out
}

func TestMetrics(t *testing.T) {
	// Three relevant documents of grade 1.
	binary := map[string]int{"r1": 1, "r2": 1, "r3": 1, "n": 0}
	// Graded: a is best. d is judged not relevant, e negatively.
	graded := map[string]int{"a": 3, "b": 2, "c": 1, "d": 0, "e": -1}

	tests := []struct {
		name   string
		ranked []string
		judged map[string]int
		k      int
		// want: NDCG, RR, Recall, AP at k.
		ndcg, rr, recall, ap float64
	}{
		{
			name:   "relevant at ranks 1 and 3 of 3 relevant",
			ranked: []string{"r1", "x", "r2", "n"},
			judged: binary,
			k:      10,
			// DCG  = 1/log2(2) + 1/log2(4) = 1 + 1/2
			// IDCG = 1/log2(2) + 1/log2(3) + 1/log2(4)
			ndcg:   (1 + 1.0/2) / (1 + 1/math.Log2(3) + 1.0/2),
			rr:     1,                   // r1 at rank 1
			recall: 2.0 / 3,             // r1, r2 of r1, r2, r3
			ap:     (1.0/1 + 2.0/3) / 3, // P@1 = 1/1, P@3 = 2/3, over 3 relevant
		},
		{
			name:   "graded gains",
			ranked: []string{"b", "d", "a", "c", "e"},
			judged: graded,
			k:      10,
			// DCG  = 2/log2(2) + 0/log2(3) + 3/log2(4) + 1/log2(5) + 0 (e is -1)
			// IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4)
			ndcg:   (2 + 3.0/2 + 1/math.Log2(5)) / (3 + 2/math.Log2(3) + 1.0/2),
			rr:     1,                           // b at rank 1
			recall: 1,                           // a, b, c all found
			ap:     (1.0/1 + 2.0/3 + 3.0/4) / 3, // P@1, P@3, P@4 over 3 relevant
		},
		{
			name:   "graded gains cut at 2",
			ranked: []string{"b", "d", "a", "c"},
			judged: graded,
			k:      2,
			// DCG@2  = 2/log2(2) + 0/log2(3) = 2
			// IDCG@2 = 3/log2(2) + 2/log2(3)
			ndcg:   2 / (3 + 2/math.Log2(3)),
			rr:     1,
			recall: 1.0 / 3,       // only b in the top 2
			ap:     (1.0 / 1) / 3, // P@1 over 3 relevant, not over min(k, 3)
		},
		{
			name:   "first relevant at rank 11 is outside @10",
			ranked: docs(11, map[int]string{11: "r1"}),
			judged: binary,
			k:      10,
		},
		{
			name:   "first relevant at rank 11 counts @11",
			ranked: docs(11, map[int]string{11: "r1"}),
			judged: binary,
			k:      11,
			// DCG = 1/log2(12); IDCG = 1 + 1/log2(3) + 1/log2(4)
			ndcg:   (1 / math.Log2(12)) / (1 + 1/math.Log2(3) + 1.0/2),
			rr:     1.0 / 11,
			recall: 1.0 / 3,
			ap:     (1.0 / 11) / 3, // P@11 = 1/11, over 3 relevant
		},
		{
			name:   "relevant at rank 101 is outside @100",
			ranked: docs(101, map[int]string{100: "r1", 101: "r2"}),
			judged: binary,
			k:      100,
			// DCG = 1/log2(101); IDCG = 1 + 1/log2(3) + 1/log2(4)
			ndcg:   (1 / math.Log2(101)) / (1 + 1/math.Log2(3) + 1.0/2),
			rr:     1.0 / 100,
			recall: 1.0 / 3,
			ap:     (1.0 / 100) / 3,
		},
		{
			name:   "duplicate counts once and wastes its slot",
			ranked: []string{"r1", "r1", "r2"},
			judged: binary,
			k:      10,
			// ranks: 1 r1 (relevant), 2 r1 again (counts 0), 3 r2 (relevant)
			// DCG = 1 + 1/log2(4); IDCG = 1 + 1/log2(3) + 1/log2(4)
			ndcg:   (1 + 1.0/2) / (1 + 1/math.Log2(3) + 1.0/2),
			rr:     1,
			recall: 2.0 / 3,
			ap:     (1.0/1 + 2.0/3) / 3,
		},
		{
			name:   "empty ranking",
			ranked: nil,
			judged: binary,
			k:      10,
		},
		{
			name:   "nothing relevant retrieved",
			ranked: []string{"n", "x", "d"},
			judged: binary,
			k:      10,
		},
		{
			name:   "query without relevant documents",
			ranked: []string{"d", "e"},
			judged: map[string]int{"d": 0, "e": -1},
			k:      10,
		},
		{
			name:   "zero cutoff",
			ranked: []string{"r1"},
			judged: binary,
			k:      0,
		},
		{
			name:   "perfect ranking",
			ranked: []string{"a", "b", "c"},
			judged: graded,
			k:      10,
			ndcg:   1,
			rr:     1,
			recall: 1,
			ap:     1, // (1/1 + 2/2 + 3/3) / 3
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, m := range []struct {
				name string
				f    func([]string, map[string]int, int) float64
				want float64
			}{
				{"NDCG", NDCG, tc.ndcg},
				{"RR", RR, tc.rr},
				{"Recall", Recall, tc.recall},
				{"AP", AP, tc.ap},
			} {
				if got := m.f(tc.ranked, tc.judged, tc.k); !near(got, m.want) {
					t.Errorf("%s@%d = %.15g, want %.15g", m.name, tc.k, got, m.want)
				}
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	qrels := Qrels{
		"spell-1":  {"a": 1, "b": 1},
		"spell-2":  {"c": 2, "junk": 0},
		"phrase-1": {"d": 1},
		"solo":     {"f": 1},          // absent from the run: scores 0
		"noref":    {"e": 0, "g": -1}, // nothing relevant: not evaluated
	}
	run := Run{
		"spell-1":  {{DocID: "a", Score: 9}, {DocID: "x", Score: 8}, {DocID: "b", Score: 7}},
		"spell-2":  {{DocID: "junk"}, {DocID: "c"}},
		"phrase-1": {},             // empty ranking: scores 0
		"noref":    {{DocID: "e"}}, // ignored
		"extra-1":  {{DocID: "a"}}, // not in qrels: ignored
	}
	rep := Evaluate(run, qrels)

	// spell-1: a at 1, b at 3, of 2 relevant.
	//   nDCG@10 = (1 + 1/log2(4)) / (1 + 1/log2(3)); RR = 1; recall = 1;
	//   AP = (1/1 + 2/3) / 2 = 5/6
	spell1 := Scores{
		NDCG10:    (1 + 1.0/2) / (1 + 1/math.Log2(3)),
		MRR10:     1,
		Recall100: 1,
		MAP100:    5.0 / 6,
		Queries:   1,
	}
	// spell-2: c (gain 2) at 2, of 1 relevant.
	//   nDCG@10 = (2/log2(3)) / (2/log2(2)) = 1/log2(3); RR = 1/2; recall = 1;
	//   AP = (1/2) / 1
	spell2 := Scores{
		NDCG10:    1 / math.Log2(3),
		MRR10:     0.5,
		Recall100: 1,
		MAP100:    0.5,
		Queries:   1,
	}
	zero := Scores{Queries: 1}

	wantPer := map[string]Scores{"spell-1": spell1, "spell-2": spell2, "phrase-1": zero, "solo": zero}
	if len(rep.PerQuery) != len(wantPer) {
		t.Errorf("PerQuery has %d queries, want %d: %v", len(rep.PerQuery), len(wantPer), rep.PerQuery)
	}
	for qid, want := range wantPer {
		checkScores(t, "PerQuery["+qid+"]", rep.PerQuery[qid], want)
	}

	// Overall: mean over the 4 evaluated queries; phrase-1 and solo add 0.
	checkScores(t, "Overall", rep.Overall, Scores{
		NDCG10:    (spell1.NDCG10 + spell2.NDCG10) / 4,
		MRR10:     (1 + 0.5) / 4,
		Recall100: (1 + 1) / 4.0,
		MAP100:    (5.0/6 + 0.5) / 4,
		Queries:   4,
	})

	// By prefix: "spell" averages its two queries; "solo" has no '-'.
	wantPrefix := map[string]Scores{
		"spell": {
			NDCG10:    (spell1.NDCG10 + spell2.NDCG10) / 2,
			MRR10:     (1 + 0.5) / 2,
			Recall100: 1,
			MAP100:    (5.0/6 + 0.5) / 2,
			Queries:   2,
		},
		"phrase": zero,
		"solo":   zero,
	}
	if len(rep.ByPrefix) != len(wantPrefix) {
		t.Errorf("ByPrefix has %d prefixes, want %d: %v", len(rep.ByPrefix), len(wantPrefix), rep.ByPrefix)
	}
	for prefix, want := range wantPrefix {
		checkScores(t, "ByPrefix["+prefix+"]", rep.ByPrefix[prefix], want)
	}
}

func TestEvaluateEmpty(t *testing.T) {
	rep := Evaluate(Run{"q-1": {{DocID: "a"}}}, Qrels{})
	if rep.Overall != (Scores{}) || len(rep.ByPrefix) != 0 || len(rep.PerQuery) != 0 {
		t.Errorf("Evaluate with no qrels = %+v, want zero scores and empty maps", rep)
	}
}

func checkScores(t *testing.T, what string, got, want Scores) {
	t.Helper()
	if got.Queries != want.Queries || !near(got.NDCG10, want.NDCG10) || !near(got.MRR10, want.MRR10) ||
		!near(got.Recall100, want.Recall100) || !near(got.MAP100, want.MAP100) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func TestScoresJSON(t *testing.T) {
	b, err := json.Marshal(Scores{NDCG10: 0.5, MRR10: 0.25, Recall100: 1, MAP100: 0.125, Queries: 3})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"ndcg@10":0.5,"mrr@10":0.25,"recall@100":1,"map@100":0.125,"queries":3}`
	if string(b) != want {
		t.Errorf("json.Marshal(Scores) = %s, want %s", b, want)
	}
}
