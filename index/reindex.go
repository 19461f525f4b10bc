package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/registry"
)

// generationPath is the directory of generation n of the index at dir.
func generationPath(dir string, n int) string {
	return fmt.Sprintf("%s.gen%d", strings.TrimRight(dir, string(filepath.Separator)), n)
}

// generationOf returns the number of the generation dir points to (0 when
// dir is a plain directory).
func generationOf(dir string) int {
	target, err := os.Readlink(dir)
	if err != nil {
		return 0
	}
	i := strings.LastIndex(target, ".gen")
	if i < 0 {
		return 0
	}
	n, _ := strconv.Atoi(target[i+len(".gen"):])
	return n
}

// Reindex rebuilds the index at dir from its stored articles with this
// build's analysis, into the next generation directory beside it, and then
// points dir at it with one atomic rename, so that whoever opens dir gets
// either the old or the new index, never a half-built one. An index that
// is still open keeps reading its own files; the old generation is removed
// afterwards. It returns the number of articles copied.
func Reindex(dir string) (int, error) {
	oldPath, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return 0, err
	}
	if err := registerMissingAnalyzers(oldPath); err != nil {
		return 0, err
	}
	old, err := bleve.Open(oldPath)
	if err != nil {
		return 0, fmt.Errorf("opening %s to rebuild it: %w", dir, err)
	}
	defer old.Close()
	newPath := generationPath(dir, generationOf(dir)+1)
	os.RemoveAll(newPath) // a rebuild that was interrupted
	var st IngestStats
	var rejected []error
	opts := IngestOptions{MaxLineBytes: math.MaxInt, Reject: func(_ []byte, err error) { rejected = append(rejected, err) }}
	err = buildAt(context.Background(), newPath, opts, &st, storedLines(old), func(text []byte) error {
		return fmt.Errorf("an id stored twice: %.100s", text)
	})
	if err == nil && len(rejected) > 0 {
		err = fmt.Errorf("%d stored articles are not valid articles: %w", len(rejected), errors.Join(rejected...))
	}
	n := st.Building
	if err != nil {
		os.RemoveAll(newPath)
		return 0, err
	}
	// The swap: a new link renamed over the old one, atomically.
	tmp := dir + ".swap"
	os.Remove(tmp)
	if err := os.Symlink(filepath.Base(newPath), tmp); err != nil {
		return n, err
	}
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&os.ModeSymlink == 0 {
		// An index made before generations: move it aside first (not atomic).
		if err := os.Rename(dir, generationPath(dir, 0)); err != nil {
			return n, err
		}
		oldPath = generationPath(dir, 0)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return n, fmt.Errorf("swapping in the rebuilt index: %w", err)
	}
	return n, os.RemoveAll(oldPath)
}

// storedLines pages through the stored articles of old in id order and
// emits each one's stored JSON.
func storedLines(old bleve.Index) func(emit func(string, int, []byte) error) error {
	return func(emit func(string, int, []byte) error) error {
		const page = 500
		n := 0
		var after []string
		for {
			req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), page, 0, false)
			req.SortBy([]string{"_id"})
			req.Fields = []string{sourceField}
			if after != nil {
				req.SearchAfter = after
			}
			res, err := old.Search(req)
			if err != nil {
				return err
			}
			if len(res.Hits) == 0 {
				return nil
			}
			for _, h := range res.Hits {
				raw, _ := h.Fields[sourceField].(string)
				n++
				if err := emit("stored article "+h.ID, n, []byte(raw)); err != nil {
					return err
				}
			}
			after = []string{res.Hits[len(res.Hits)-1].ID}
		}
	}
}

// standIns are the analyzer names registerMissingAnalyzers registered:
// bleve's registry keeps them for the life of the process, and checkMeta
// must still count them as analyzers this build does not have.
var standIns sync.Map // name -> struct{}

// registerMissingAnalyzers registers a stand-in for each analyzer the old
// index names that this build lacks, so bleve can open it to read its
// stored articles (nothing is analyzed with them).
func registerMissingAnalyzers(path string) error {
	m, err := readMeta(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // an index without a record: bleve says what it lacks
	}
	if err != nil {
		return err
	}
	cache := registry.NewCache()
	for _, name := range m.Analyzers {
		if _, err := cache.AnalyzerNamed(name); err == nil {
			continue
		}
		err := registry.RegisterAnalyzer(name, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
			return &analysis.DefaultAnalyzer{Tokenizer: single.NewSingleTokenTokenizer()}, nil
		})
		if err != nil {
			return err
		}
		standIns.Store(name, struct{}{})
	}
	return nil
}
