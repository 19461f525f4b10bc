package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bahth/bahth/analyzer"
	// bleve's built-in Arabic analyzer "ar", for side-by-side comparisons in
	// `analyze --analyzer ar` and `eval --analyzer ar`.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/spf13/cobra"
)

func analyzeCmd() *cobra.Command {
	var name string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "analyze [--analyzer NAME] [--json] TEXT|-",
		Short: "Show the tokens an analyzer makes of TEXT (stdin when TEXT is -)",
		Long: "Prints each token's term, its surface (the original text it came from), position and byte offsets,\n" +
			"like Elasticsearch's _analyze. Analyzers: " + strings.Join(analyzer.Names, ", ") + ", and bleve's ar.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			text := args[0]
			if text == "-" {
				b, err := io.ReadAll(os.Stdin)
				if err != nil {
					return err
				}
				text = string(b)
			}
			toks, err := analyzer.AnalyzeNamed(name, text)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				if toks == nil {
					toks = []analyzer.Tok{}
				}
				return json.NewEncoder(out).Encode(toks)
			}
			for _, t := range toks {
				fmt.Fprintf(out, "%4d  %-20s %-24q [%d:%d]\n", t.Position, t.Term, t.Surface, t.Start, t.End)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "analyzer", analyzer.News, "analyzer name")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON array of {term, surface, start, end, position}")
	return cmd
}
