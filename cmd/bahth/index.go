package main

import (
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/ingest"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func indexCmd() *cobra.Command {
	var cfg ingest.Config
	cmd := &cobra.Command{
		Use:   "index [--index DIR] [--delete FILE] FILE...",
		Short: "Load articles from JSON Lines files (plain, .gz, or - for stdin) into an index",
		Long: "Each article replaces the stored one with its id, so loading a file twice leaves the same index.\n" +
			"A malformed line is reported as FILE:LINE: reason and written whole to the rejects file; the\n" +
			"other lines still load, and the exit status is non-zero. Ctrl-C stops after storing what was read.\n" +
			"A missing index is built whole, faster, and appears only once complete: Ctrl-C while the files\n" +
			"are read leaves no index, and running the command again builds it.\n" +
			"The article schema is in the README.",
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Files = args
			if os.Getenv("GOMEMLIMIT") == "" {
				// A soft heap limit, for issue 3's 1.5 GB: loading the 70k news
				// corpus peaked at 1.59 GB RSS without it, 1.35–1.57 GB with
				// 1.1 GiB and 1.26 GB with 700 MiB (BENCHMARKS.md).
				debug.SetMemoryLimit(700 << 20)
			}
			if os.Getenv("GOGC") == "" {
				// Under that limit, collecting at 300% growth instead of 100%
				// took 7% less CPU to build an index of 5,000 articles, for
				// 150 MB more peak RSS (BENCHMARKS.md).
				debug.SetGCPercent(300)
			}
			cfg.Terminal = term.IsTerminal(int(os.Stderr.Fd()))
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return ingest.Run(ctx, cfg, cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Index, "index", "bahth-index", "index directory (created when missing)")
	f.StringVar(&cfg.Delete, "delete", "", "file of article ids to remove, one per line")
	f.StringVar(&cfg.Rejects, "rejects", "", "file for rejected lines (default: beside the index, INDEX.rejects.jsonl)")
	f.IntVar(&cfg.MaxLineBytes, "max-line-bytes", index.DefaultMaxLineBytes, "reject longer lines")
	f.IntVar(&cfg.BatchSize, "batch", 500, "articles per index batch")
	return cmd
}
