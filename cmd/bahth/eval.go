package main

import (
	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/evaluate"
	"github.com/spf13/cobra"
)

func evalCmd() *cobra.Command {
	cfg := evaluate.Config{Ranking: index.DefaultRanking}
	cmd := &cobra.Command{
		Use:   "eval --docs FILE --queries FILE --qrels FILE [--index DIR] [--json] [--run OUT]",
		Short: "Measure ranking on a relevance collection (nDCG@10, MRR@10, Recall@100, MAP@100)",
		Long: "Builds a temporary index from --docs (JSON Lines, plain or .gz), or uses --index, runs every query\n" +
			"(top 100) through the same search users get, and prints the trec_eval metrics overall and per\n" +
			"query-id prefix. --index DIR that does not exist yet is built from --docs and kept.\n" +
			"The ranking flags override the defaults, for ablations.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return evaluate.Run(cmd.Context(), cfg, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Docs, "docs", "", "documents, JSON Lines (.jsonl or .jsonl.gz)")
	f.StringVar(&cfg.Queries, "queries", "", "queries, qid<TAB>text")
	f.StringVar(&cfg.Qrels, "qrels", "", "TREC qrels")
	f.StringVar(&cfg.Index, "index", "", "index directory to use (built from --docs if missing)")
	f.BoolVar(&cfg.JSON, "json", false, "print one JSON object")
	f.BoolVar(&cfg.Collapse, "collapse", false, "fold wire copies as search does for users (the collections judge each document)")
	f.StringVar(&cfg.RunFile, "run", "", "write a TREC run file")
	f.StringVar(&cfg.Options.Analyzer, "analyzer", "", "analyzer of the stemmed fields when building (ablation)")
	f.StringVar(&cfg.Options.ExactAnalyzer, "exact-analyzer", "", "analyzer of the unstemmed fields when building (ablation)")
	r := &cfg.Ranking
	f.Float64Var(&r.K1, "k1", r.K1, "BM25 k1")
	f.Float64Var(&r.B, "b", r.B, "BM25 b")
	f.Float64Var(&r.Text, "w-text", r.Text, "weight of stemmed title+body matches")
	f.Float64Var(&r.Exact, "w-exact", r.Exact, "weight of unstemmed title+body matches")
	f.Float64Var(&r.Title, "w-title", r.Title, "extra weight of stemmed title matches")
	f.Float64Var(&r.Pairs, "w-pairs", r.Pairs, "weight of adjacent query words found adjacent")
	f.Float64Var(&r.Lead, "w-lead", r.Lead, "extra weight of matches in the body's first words")
	f.IntVar(&r.Window, "window", r.Window, "hits of the first phase the pairs are added to and sorted again (0: pairs on every hit)")
	f.Float64Var(&r.Tier, "tier", r.Tier, "score added to hits holding the minimum-should-match words (0: off)")
	f.Float64Var(&r.Coord, "coord", r.Coord, "exponent of the fraction of query terms matched (0: off)")
	f.Float64Var(&r.Typo, "typo", r.Typo, "weight of the correction of a word the index barely holds (0: off)")
	cmd.MarkFlagRequired("queries")
	cmd.MarkFlagRequired("qrels")
	return cmd
}
