package index

import (
	"math"
	"time"

	"github.com/blevesearch/bleve/v2/numeric"
	bindex "github.com/blevesearch/bleve_index_api"
)

// fieldPublished is the date recency, date sorting and date filters use.
const fieldPublished = "published_at"

// recency multiplies a relevance score by 0.5 + 0.5 × 2^(−age/HalfLife):
// 1 for an article published at Now (or later), 0.75 one half-life
// before, approaching 0.5 for old articles; an article without a date
// gets 0.5. Old articles still rank by relevance: one needs twice the
// score of a fresh one to beat it, never more.
type recency struct {
	HalfLife time.Duration
	Now      time.Time
}

// factor reads a document's publication date from its doc values.
func (r *recency) factor(dv bindex.DocValueReader, id bindex.IndexInternalID) float64 {
	var published int64
	found := false
	_ = dv.VisitDocValues(id, func(field string, term []byte) {
		if found || field != fieldPublished {
			return
		}
		pc := numeric.PrefixCoded(term)
		if shift, err := pc.Shift(); err != nil || shift != 0 {
			return
		}
		if v, err := pc.Int64(); err == nil {
			published, found = v, true
		}
	})
	if !found {
		return 0.5
	}
	age := r.Now.Sub(time.Unix(0, published))
	if age < 0 {
		age = 0
	}
	return 0.5 + 0.5*math.Exp2(-float64(age)/float64(r.HalfLife))
}
