// Package demo runs Bahth on its built-in sample articles: the README's
// first command until the HTTP server exists.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/samples"
)

// Queries are searched when the user gives none: each is spelled unlike
// the articles it should find.
var Queries = []string{"مسئول ايراني", "الذكاء الإصطناعي", "المباراة النهائية", "٢٠٢٥ النمو", "openai"}

// Run indexes the samples in a temporary directory and prints the hits of
// each query with their highlighted snippets.
func Run(ctx context.Context, queries []string, out io.Writer) error {
	tmp, err := os.MkdirTemp("", "bahth-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ix, err := index.Create(filepath.Join(tmp, "index"))
	if err != nil {
		return err
	}
	defer ix.Close()
	n, err := ix.Load(bytes.NewReader(samples.Articles), "samples/articles.jsonl")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "indexed %d sample articles\n", n)
	if len(queries) == 0 {
		queries = Queries
	}
	for _, q := range queries {
		res, err := ix.Search(ctx, index.Request{Query: q, Size: 3, Highlight: true})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n» %s  (%d matches)\n", q, res.Total)
		for _, h := range res.Hits {
			fmt.Fprintf(out, "  %-4s %6.3f  %s\n", h.ID, h.Score, h.Article.Title)
			for _, f := range h.Snippets {
				fmt.Fprintf(out, "              %s\n", f)
			}
		}
	}
	return nil
}
