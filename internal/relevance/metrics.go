package relevance

import (
	"math"
	"slices"
	"strings"
)

// Scores are the metrics Bahth reports, each a mean over Queries queries.
type Scores struct {
	NDCG10    float64 `json:"ndcg@10"`
	MRR10     float64 `json:"mrr@10"`
	Recall100 float64 `json:"recall@100"`
	MAP100    float64 `json:"map@100"`
	Queries   int     `json:"queries"`
}

// Report is the result of Evaluate.
type Report struct {
	// Overall is the mean over every evaluated query.
	Overall Scores `json:"overall"`
	// ByPrefix is the mean over the queries of each family: the qid up to
	// its first '-' ("spell" for "spell-007"; a qid without '-' is its own
	// family).
	ByPrefix map[string]Scores `json:"by_prefix"`
	// PerQuery holds each evaluated query's own scores (Queries is 1).
	PerQuery map[string]Scores `json:"per_query"`
}

// Evaluate scores run against qrels. It evaluates every query of qrels that
// has at least one relevant document, like trec_eval -c: a query missing from
// run, or with no results, scores 0 on every metric. Queries of run that are
// not in qrels, or have no relevant document there, are ignored. Means are
// arithmetic, summed in qid order so the report is reproducible to the bit.
func Evaluate(run Run, qrels Qrels) Report {
	qids := make([]string, 0, len(qrels))
	for qid, judged := range qrels {
		if numRelevant(judged) > 0 {
			qids = append(qids, qid)
		}
	}
	slices.Sort(qids)

	rep := Report{ByPrefix: make(map[string]Scores), PerQuery: make(map[string]Scores)}
	sums := make(map[string]Scores)
	var all Scores
	for _, qid := range qids {
		ranked := make([]string, len(run[qid]))
		for i, r := range run[qid] {
			ranked[i] = r.DocID
		}
		judged := qrels[qid]
		s := Scores{
			NDCG10:    NDCG(ranked, judged, 10),
			MRR10:     RR(ranked, judged, 10),
			Recall100: Recall(ranked, judged, 100),
			MAP100:    AP(ranked, judged, 100),
			Queries:   1,
		}
		rep.PerQuery[qid] = s
		all = all.add(s)
		prefix, _, _ := strings.Cut(qid, "-")
		sums[prefix] = sums[prefix].add(s)
	}
	rep.Overall = all.mean()
	for prefix, sum := range sums {
		rep.ByPrefix[prefix] = sum.mean()
	}
	return rep
}

func (s Scores) add(t Scores) Scores {
	return Scores{
		NDCG10:    s.NDCG10 + t.NDCG10,
		MRR10:     s.MRR10 + t.MRR10,
		Recall100: s.Recall100 + t.Recall100,
		MAP100:    s.MAP100 + t.MAP100,
		Queries:   s.Queries + t.Queries,
	}
}

// mean turns sums over s.Queries queries into means; no queries gives zeros.
func (s Scores) mean() Scores {
	if s.Queries == 0 {
		return Scores{}
	}
	n := float64(s.Queries)
	return Scores{
		NDCG10:    s.NDCG10 / n,
		MRR10:     s.MRR10 / n,
		Recall100: s.Recall100 / n,
		MAP100:    s.MAP100 / n,
		Queries:   s.Queries,
	}
}

// The metrics below score one query: ranked is the engine's docids, best
// first, judged is that query's qrels (docid -> relevance) and k the cutoff.
// They follow trec_eval (ndcg_cut, recip_rank, recall, map_cut), with a
// cutoff added to recip_rank as is usual for MRR@10:
//
//   - a document is relevant when its judged relevance is above 0; a
//     document absent from judged is not relevant;
//   - ranks start at 1 and only the first k ranks count;
//   - a docid that appears again lower in the ranking keeps its rank position
//     but counts as not relevant there: a result list that repeats itself
//     wastes a slot, it does not earn twice (trec_eval rejects such runs);
//   - a query with no relevant document, or k <= 0, scores 0 (trec_eval
//     leaves such queries out; Evaluate never passes them).

// NDCG is normalized discounted cumulative gain at k (trec_eval ndcg_cut).
// The gain of a relevant document is its relevance value, discounted by
// log2(rank+1):
//
//	DCG@k  = sum over ranks r <= k of rel(r) / log2(r+1)
//	IDCG@k = the same sum over the relevance values of judged, sorted from
//	         highest to lowest and cut at k
//	nDCG@k = DCG@k / IDCG@k
func NDCG(ranked []string, judged map[string]int, k int) float64 {
	var ideal []int
	for _, rel := range judged {
		if rel > 0 {
			ideal = append(ideal, rel)
		}
	}
	if len(ideal) == 0 || k <= 0 {
		return 0
	}
	slices.Sort(ideal)
	slices.Reverse(ideal)
	return dcg(gains(ranked, judged, k)) / dcg(ideal[:min(k, len(ideal))])
}

// dcg sums gains[i] / log2(i+2): index i holds rank i+1.
func dcg(gains []int) float64 {
	sum := 0.0
	for i, g := range gains {
		if g > 0 {
			sum += float64(g) / math.Log2(float64(i+2))
		}
	}
	return sum
}

// RR is the reciprocal rank of the first relevant document within the top k,
// 1/rank, or 0 if none is there (trec_eval recip_rank, cut at k).
func RR(ranked []string, judged map[string]int, k int) float64 {
	if numRelevant(judged) == 0 {
		return 0
	}
	for i, g := range gains(ranked, judged, k) {
		if g > 0 {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// Recall is the fraction of all relevant documents found in the top k
// (trec_eval recall_k): relevant in top k / relevant in judged.
func Recall(ranked []string, judged map[string]int, k int) float64 {
	total := numRelevant(judged)
	if total == 0 {
		return 0
	}
	found := 0
	for _, g := range gains(ranked, judged, k) {
		if g > 0 {
			found++
		}
	}
	return float64(found) / float64(total)
}

// AP is average precision at k (trec_eval map_cut): the sum of precision@r
// over the ranks r <= k that hold a relevant document, divided by the number
// of relevant documents in judged (not by how many fit in k, so a cut that
// hides relevant documents costs score).
func AP(ranked []string, judged map[string]int, k int) float64 {
	total := numRelevant(judged)
	if total == 0 {
		return 0
	}
	found, sum := 0, 0.0
	for i, g := range gains(ranked, judged, k) {
		if g > 0 {
			found++
			sum += float64(found) / float64(i+1)
		}
	}
	return sum / float64(total)
}

// gains returns, for each of the first k ranks of ranked, the relevance of
// the document there when it is relevant and seen for the first time, else 0.
func gains(ranked []string, judged map[string]int, k int) []int {
	if k <= 0 {
		return nil
	}
	ranked = ranked[:min(k, len(ranked))]
	out := make([]int, len(ranked))
	seen := make(map[string]bool, len(ranked))
	for i, id := range ranked {
		if seen[id] {
			continue
		}
		seen[id] = true
		if rel := judged[id]; rel > 0 {
			out[i] = rel
		}
	}
	return out
}

// numRelevant counts the documents of judged with relevance above 0.
func numRelevant(judged map[string]int) int {
	n := 0
	for _, rel := range judged {
		if rel > 0 {
			n++
		}
	}
	return n
}
