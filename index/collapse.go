package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/search"
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
// collapsing, the total still counts every article, and when paging by
// cursor a group whose members straddle two pages may show on both.
func (ix *Index) collapsePage(ctx context.Context, hits []*search.DocumentMatch, skip, size int) ([]*search.DocumentMatch, [][]string, error) {
	keys := make([]string, len(hits))
	for i, h := range hits {
		keys[i], _ = h.Fields[fieldWire].(string)
	}
	keep := collapseWire(keys)
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
