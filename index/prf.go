package index

// Prototype for docs/relevance.md only (reverted in the next commit):
// pseudo-relevance feedback and skip pairs behind X_PRF_* and X_SKIP
// environment variables, off unless set.

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"sort"
	"strconv"

	"github.com/blevesearch/bleve/v2"
)

func envf(k string, d float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(k), 64); err == nil {
		return v
	}
	return d
}

// expand adds pseudo-relevance-feedback terms (RM3-style) to p.score.
func (ix *Index) expand(ctx context.Context, p *plan) error {
	k := int(envf("X_PRF_DOCS", 0))
	if k == 0 || p.score == nil || float64(p.score.NGroups) < envf("X_PRF_MINWORDS", 0) {
		return nil
	}
	m := int(envf("X_PRF_TERMS", 10))
	lambda := envf("X_PRF_W", 0.3)
	sr := bleve.NewSearchRequestOptions(p.query(), k, 0, false)
	sr.Fields = []string{sourceField}
	sr.SortBy([]string{"-_score", fieldID})
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil || len(res.Hits) == 0 {
		return err
	}
	inQuery := map[string]bool{}
	for _, c := range p.score.Clauses {
		inQuery[c.Term] = true
	}
	tier := p.tier()
	total := 0.0
	scores := make([]float64, len(res.Hits))
	for i, h := range res.Hits {
		s := h.Score
		if tier > 0 && s >= tier {
			s -= tier
		}
		scores[i] = s
		total += s
	}
	w := map[string]float64{}
	for i, h := range res.Hits {
		raw, _ := h.Fields[sourceField].(string)
		var a Article
		if json.Unmarshal([]byte(raw), &a) != nil {
			continue
		}
		toks := ix.stem.Analyze([]byte(a.Title + "\n" + a.Body))
		if len(toks) == 0 {
			continue
		}
		pd := scores[i] / total
		for _, t := range toks {
			w[string(t.Term)] += pd / float64(len(toks))
		}
	}
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	count, err := r.DocCount()
	if err != nil {
		return err
	}
	n := float64(count)
	type tw struct {
		t string
		w float64
	}
	var cands []tw
	for t, v := range w {
		if !inQuery[t] && distinctive(t) {
			cands = append(cands, tw{t, v})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].w != cands[j].w {
			return cands[i].w > cands[j].w
		}
		return cands[i].t < cands[j].t
	})
	var out []tw
	maxDF := envf("X_PRF_MAXDF", 0.1)
	useIDF := envf("X_PRF_IDF", 0) != 0
	for _, c := range cands {
		if len(out) >= m*3 {
			break
		}
		df, err := docFreq(ctx, r, c.t)
		if err != nil {
			return err
		}
		if df < 2 || float64(df) > maxDF*n {
			continue
		}
		if useIDF {
			c.w *= math.Log(n / float64(df))
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].w > out[j].w })
	out = out[:min(len(out), m)]
	if len(out) == 0 {
		return nil
	}
	top := out[0].w
	for _, c := range out {
		p.score.Clauses = append(p.score.Clauses, termClause{Field: fieldText, Term: c.t, Weight: lambda * c.w / top})
		p.score.Groups = append(p.score.Groups, -1)
	}
	return nil
}
