package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bahth/bahth/index"
	"github.com/spf13/cobra"
)

func statsCmd() *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats [--index DIR] [--json]",
		Short: "Describe an index: articles, size on disk, date range, top sections and sources, analysis",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ix, err := index.Open(dir)
			if err != nil {
				return err
			}
			defer ix.Close()
			st, err := ix.Stats(dir, 10)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(out).Encode(st)
			}
			fmt.Fprintf(out, "articles     %d\nsize on disk %.1f MB\n", st.Articles, float64(st.DiskBytes)/1e6)
			if !st.Oldest.IsZero() {
				fmt.Fprintf(out, "published    %s to %s\n", st.Oldest.Format("2006-01-02"), st.Newest.Format("2006-01-02"))
			}
			fmt.Fprintf(out, "sections     %s\nsources      %s\n", counts(st.Sections), counts(st.Sources))
			fmt.Fprintf(out, "schema       version %d\nanalyzers    %v\n", st.SchemaVersion, st.Analyzers)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "index", "bahth-index", "index directory")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func counts(tc []index.TermCount) string {
	parts := make([]string, len(tc))
	for i, t := range tc {
		parts[i] = fmt.Sprintf("%s (%d)", t.Term, t.Count)
	}
	return strings.Join(parts, ", ")
}
