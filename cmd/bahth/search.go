package main

import (
	"os"
	"strings"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/render"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func searchCmd() *cobra.Command {
	var (
		req            index.Request
		dir            string
		from, to, half string
		synonyms       string
		asJSON         bool
	)
	cmd := &cobra.Command{
		Use:   "search [--index DIR] [flags] QUERY...",
		Short: "Search an index: ranked hits with highlighted snippets, facets and paging",
		Long: "The query language: plain words (articles holding all of them first), \"exact phrase\", -excluded,\n" +
			"a OR b, section:, source:, author:, tag:, date:2024-05 or date:2024-01-01..2024-03-31, and a\n" +
			"trailing * for a prefix. Every part goes through the same Arabic normalization, so any spelling\n" +
			"finds every spelling. --json prints the result for scripts; --cursor continues where a page ended.",
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Query = strings.Join(args, " ")
			var err error
			if req.Filter.From, err = index.ParseDate("from", from, false); err != nil {
				return err
			}
			if req.Filter.To, err = index.ParseDate("to", to, true); err != nil {
				return err
			}
			if req.Recency, err = index.ParseDuration("recency", half); err != nil {
				return err
			}
			ix, err := index.Open(dir)
			if err != nil {
				return err
			}
			defer ix.Close()
			if synonyms != "" {
				if err := ix.UseSynonyms(synonyms); err != nil {
					return err
				}
			}
			req.Highlight = true
			res, err := ix.Search(cmd.Context(), req)
			if err != nil {
				return err
			}
			if asJSON {
				return render.JSON(cmd.OutOrStdout(), res)
			}
			color := term.IsTerminal(int(os.Stdout.Fd())) && os.Getenv("NO_COLOR") == ""
			return render.Terminal(cmd.OutOrStdout(), res, req, color)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "index", "bahth-index", "index directory")
	f.IntVar(&req.Size, "size", 10, "hits per page (at most 100)")
	f.IntVar(&req.Page, "page", 1, "page number")
	f.StringVar(&req.Cursor, "cursor", "", "continue after the page that printed this cursor")
	f.StringVar(&req.Sort, "sort", "", "relevance, date (newest first) or date_asc; default relevance, or date without words")
	f.StringSliceVar(&req.Filter.Sections, "section", nil, "only these sections (repeat or comma-separate)")
	f.StringSliceVar(&req.Filter.Sources, "source", nil, "only these sources")
	f.StringSliceVar(&req.Filter.Authors, "author", nil, "only these authors")
	f.StringSliceVar(&req.Filter.Tags, "tag", nil, "only these tags")
	f.StringVar(&from, "from", "", "published on or after (2024-05-01, 2024-05, 2024 or RFC 3339)")
	f.StringVar(&to, "to", "", "published on or before (same forms; a month means its last day)")
	f.StringSliceVar(&req.Facets, "facets", []string{"section", "source"}, "facets to count: section, source, author, tags, date")
	f.StringVar(&req.DateInterval, "interval", "month", "date facet interval: day, month or year")
	f.StringVar(&half, "recency", "", "favour recent articles with this half-life (72h, 30d)")
	f.IntVar(&req.Snippets, "snippets", 2, "snippet fragments per hit")
	f.IntVar(&req.SnippetLength, "snippet-length", 160, "characters per fragment")
	f.BoolVar(&req.NoCollapse, "no-collapse", false, "show every wire copy instead of one hit per story")
	f.BoolVar(&req.Explain, "explain", false, "show how each hit's score was computed")
	f.BoolVar(&req.ExactTotal, "exact-total", false, "count every match (otherwise the count stops at 10,000: \"10000+ results\")")
	f.BoolVar(&req.NoTypos, "no-typos", false, "search the words as typed only (no typo tolerance for words the index does not hold)")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	f.StringVar(&synonyms, "synonyms", "", "synonyms file replacing the built-in list (docs/query-language.md)")
	return cmd
}
