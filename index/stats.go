package index

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// Stats describes an index for `bahth stats`.
type Stats struct {
	Articles      uint64            `json:"articles"`
	DiskBytes     int64             `json:"disk_bytes"`
	Oldest        time.Time         `json:"oldest,omitzero"` // published_at range
	Newest        time.Time         `json:"newest,omitzero"`
	Sections      []TermCount       `json:"sections"`
	Sources       []TermCount       `json:"sources"`
	SchemaVersion int               `json:"schema_version"`
	Analyzers     map[string]string `json:"analyzers"`
}

// TermCount is a keyword and how many articles have it.
type TermCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// Stats counts the articles, their date range and top sections and
// sources, and reads the index's size and what it was built with.
func (ix *Index) Stats(dir string, top int) (*Stats, error) {
	st := &Stats{}
	var err error
	if st.Articles, err = ix.bleve.DocCount(); err != nil {
		return nil, err
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	err = filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, ierr := d.Info(); ierr == nil {
				st.DiskBytes += info.Size()
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("measuring %s: %w", dir, err)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet("section", bleve.NewFacetRequest("section", top))
	req.AddFacet("source", bleve.NewFacetRequest("source", top))
	res, err := ix.bleve.Search(req)
	if err != nil {
		return nil, err
	}
	for name, dst := range map[string]*[]TermCount{"section": &st.Sections, "source": &st.Sources} {
		if f := res.Facets[name]; f != nil && f.Terms != nil {
			for _, t := range f.Terms.Terms() {
				*dst = append(*dst, TermCount{Term: t.Term, Count: t.Count})
			}
		}
	}
	if st.Oldest, err = ix.edgeDate("published_at"); err != nil {
		return nil, err
	}
	if st.Newest, err = ix.edgeDate("-published_at"); err != nil {
		return nil, err
	}
	m, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	st.SchemaVersion, st.Analyzers = m.SchemaVersion, m.Analyzers
	return st, nil
}

// edgeDate returns the first published_at in the given sort order.
func (ix *Index) edgeDate(sort string) (time.Time, error) {
	// Every date bleve indexed, which it stores as int64 nanoseconds.
	req := bleve.NewSearchRequestOptions(publishedRange(minDate, maxDate), 1, 0, false)
	req.SortBy([]string{sort})
	req.Fields = []string{sourceField}
	res, err := ix.bleve.Search(req)
	if err != nil || len(res.Hits) == 0 {
		return time.Time{}, err
	}
	a, err := storedSource(res.Hits[0].Fields)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored article %s: %w", res.Hits[0].ID, err)
	}
	return a.PublishedAt, nil
}
