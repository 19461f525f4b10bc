package index

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// collapseOverfetch is how many hits per page slot a collapsing search
// reads, so that a page still fills when copies fold into one hit.
const collapseOverfetch = 3

// collapses reports whether the index records wire groups.
func (ix *Index) collapses() bool {
	return ix.bleve.Mapping().FieldMappingForPath(fieldWire).Type != ""
}

// collapsePage keeps the first hit of each wire group, skips the first
// skip of those (earlier pages) and keeps up to size, listing the other
// articles of each kept hit's group. As with Elasticsearch's field
// collapsing, the total still counts every article.
//
// Paging by cursor, hits start after the cursor, and a group whose first
// article came before it showed on an earlier page: leaders, when set,
// names the first article of each group in the search's order, and a
// group whose first article is not the hit here is left out, so that each
// group shows once, at its first article, however the pages fall.
func (ix *Index) collapsePage(ctx context.Context, hits []*search.DocumentMatch, skip, size int,
	leaders func(keys []string) (map[string]string, error)) ([]*search.DocumentMatch, [][]string, error) {
	keys := make([]string, len(hits))
	for i, h := range hits {
		keys[i], _ = h.Fields[fieldWire].(string)
	}
	keep := collapseWire(keys)
	if leaders != nil {
		var grouped []string
		for _, k := range keep {
			if keys[k] != "" {
				grouped = append(grouped, keys[k])
			}
		}
		first, err := leaders(grouped)
		if err != nil {
			return nil, nil, err
		}
		keep = slices.DeleteFunc(keep, func(k int) bool {
			id, ok := first[keys[k]]
			return ok && id != hits[k].ID
		})
	}
	keep = keep[min(skip, len(keep)):]
	if len(keep) > size {
		keep = keep[:size]
	}
	kept := make([]*search.DocumentMatch, len(keep))
	ids, keptKeys := make([]string, len(keep)), make([]string, len(keep))
	for i, k := range keep {
		kept[i], ids[i], keptKeys[i] = hits[k], hits[k].ID, keys[k]
	}
	groups, err := ix.wireGroups(ctx, ids, keptKeys)
	if err != nil {
		return nil, nil, err
	}
	others := make([][]string, len(groups))
	for i, g := range groups {
		others[i] = g.Others
	}
	return kept, others, nil
}

// groupLeaders returns the first article of each wire group of keys among
// the matches of the search p sorted by sortBy (collapsePage), found by
// the same search restricted to the groups' articles. A group with no
// article among the matches is left out.
func (ix *Index) groupLeaders(ctx context.Context, p *plan, sortBy string, keys []string) (map[string]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	var members uint64
	var terms []query.Query
	for _, key := range keys {
		n, err := fieldDocFreq(ctx, r, key, fieldWire)
		if err != nil {
			_ = r.Close()
			return nil, err
		}
		members += n
		t := bleve.NewTermQuery(key)
		t.SetField(fieldWire)
		terms = append(terms, t)
	}
	_ = r.Close()
	k := int(min(members, MaxWindow))
	inGroups := bleve.NewDisjunctionQuery(terms...)
	var hits []*search.DocumentMatch
	if sortBy == SortRelevance && p.score != nil && !rankWithBleve {
		hits, _, _, err = ix.searchTop(ctx, topRequest{score: p.score, required: append(slices.Clone(p.required), inGroups),
			excluded: p.excluded, k: k, fields: []string{fieldWire}, noTotal: true})
	} else {
		sr := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(p.query(), inGroups), k, 0, false)
		sr.Fields = []string{fieldWire}
		sr.SortBy(sortOrder(sortBy))
		var res *bleve.SearchResult
		if res, err = ix.bleve.SearchInContext(ctx, sr); err == nil {
			hits = res.Hits
		}
	}
	if err != nil {
		return nil, fmt.Errorf("finding the first article of %d wire groups: %w", len(keys), err)
	}
	first := make(map[string]string, len(keys))
	for _, h := range hits {
		if key, _ := h.Fields[fieldWire].(string); key != "" && first[key] == "" {
			first[key] = h.ID
		}
	}
	return first, nil
}
