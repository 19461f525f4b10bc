// Package evaluate runs a relevance collection through Bahth's search and
// scores it with the trec_eval definitions in internal/relevance.
package evaluate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/relevance"
)

// Config says what to evaluate.
type Config struct {
	Docs, Queries, Qrels string
	Index                string // an existing index to use, or where to build one and keep it
	JSON                 bool
	RunFile              string        // where to write a TREC run, if set
	Ranking              index.Ranking // the zero value means index.DefaultRanking
	Options              index.Options // analyzers, when building
	Depth                int           // results per query; 0 means 100
	// Collapse folds wire copies as users see them. Off by default: the
	// collections judge every document, and folding near-identical
	// paragraphs hides judged ones (arwiki-qa lost 0.027 nDCG@10).
	Collapse bool
}

// Run builds or opens the index, runs every query and prints the scores.
func Run(ctx context.Context, cfg Config, out io.Writer, log io.Writer) error {
	if cfg.Depth == 0 {
		cfg.Depth = 100
	}
	if cfg.Ranking == (index.Ranking{}) {
		cfg.Ranking = index.DefaultRanking
	}
	queries, err := relevance.ReadQueries(cfg.Queries)
	if err != nil {
		return err
	}
	qrels, err := relevance.ReadQrels(cfg.Qrels)
	if err != nil {
		return err
	}
	ix, cleanup, err := openIndex(cfg, log)
	if err != nil {
		return err
	}
	defer cleanup()

	run, err := search(ctx, ix, queries, cfg)
	if err != nil {
		return err
	}
	rep := relevance.Evaluate(run, qrels)
	if cfg.RunFile != "" {
		f, err := os.Create(cfg.RunFile)
		if err != nil {
			return err
		}
		if err := relevance.WriteTREC(f, run, "bahth"); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return print(out, rep, cfg.JSON)
}

func openIndex(cfg Config, log io.Writer) (*index.Index, func(), error) {
	dir := cfg.Index
	keep := dir != ""
	if keep {
		if _, err := os.Stat(dir); err == nil {
			ix, err := index.Open(dir)
			if err != nil {
				return nil, nil, err
			}
			stem, exact := ix.Analyzers()
			if (cfg.Options.Analyzer != "" && cfg.Options.Analyzer != stem) ||
				(cfg.Options.ExactAnalyzer != "" && cfg.Options.ExactAnalyzer != exact) {
				ix.Close()
				return nil, nil, fmt.Errorf("index %s was built with analyzers %s and %s; remove it or leave out --analyzer", dir, stem, exact)
			}
			return ix, func() { ix.Close() }, nil
		}
	}
	if cfg.Docs == "" {
		return nil, nil, errors.New("--docs is required unless --index names an existing index")
	}
	if !keep {
		tmp, err := os.MkdirTemp("", "bahth-eval-")
		if err != nil {
			return nil, nil, err
		}
		dir = filepath.Join(tmp, "index")
	}
	ix, err := index.CreateWith(dir, cfg.Options)
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() {
		ix.Close()
		if !keep {
			os.RemoveAll(filepath.Dir(dir))
		}
	}
	n, err := ix.LoadFile(cfg.Docs)
	if errors.Is(err, index.ErrInvalidArticle) {
		fmt.Fprintf(log, "warning: %v\n", err) // the other documents loaded
	} else if err != nil {
		cleanup()
		if keep {
			index.Remove(dir) // this run made it: a later run must not take it for a built index
		}
		return nil, nil, err
	}
	fmt.Fprintf(log, "indexed %d documents from %s\n", n, cfg.Docs)
	return ix, cleanup, nil
}

func search(ctx context.Context, ix *index.Index, queries []relevance.Query, cfg Config) (relevance.Run, error) {
	run := make(relevance.Run, len(queries))
	var mu sync.Mutex
	var firstErr error
	work := make(chan relevance.Query)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range work {
				res, err := ix.Search(ctx, index.Request{Query: q.Text, Size: cfg.Depth, Ranking: &cfg.Ranking, NoCollapse: !cfg.Collapse})
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("query %s: %w", q.ID, err)
				}
				if err == nil {
					ranked := make([]relevance.Ranked, len(res.Hits))
					for i, h := range res.Hits {
						ranked[i] = relevance.Ranked{DocID: h.ID, Score: h.Score}
					}
					run[q.ID] = ranked
				}
				mu.Unlock()
			}
		}()
	}
	for _, q := range queries {
		work <- q
	}
	close(work)
	wg.Wait()
	return run, firstErr
}

func print(w io.Writer, rep relevance.Report, asJSON bool) error {
	if asJSON {
		type out struct {
			relevance.Scores
			ByPrefix map[string]relevance.Scores `json:"by_prefix"`
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out{rep.Overall, rep.ByPrefix})
	}
	fmt.Fprintf(w, "%-10s %8s %8s %10s %8s %8s\n", "queries", "nDCG@10", "MRR@10", "Recall@100", "MAP@100", "n")
	line := func(name string, s relevance.Scores) {
		fmt.Fprintf(w, "%-10s %8.4f %8.4f %10.4f %8.4f %8d\n", name, s.NDCG10, s.MRR10, s.Recall100, s.MAP100, s.Queries)
	}
	line("all", rep.Overall)
	prefixes := make([]string, 0, len(rep.ByPrefix))
	for p := range rep.ByPrefix {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	if len(prefixes) > 1 {
		for _, p := range prefixes {
			line(p, rep.ByPrefix[p])
		}
	}
	return nil
}
