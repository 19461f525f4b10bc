package main

import (
	"fmt"

	"github.com/bahth/bahth/index"
	"github.com/spf13/cobra"
)

func reindexCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "reindex [--index DIR]",
		Short: "Rebuild an index from its stored articles with this build's analysis, and swap it in atomically",
		Long: "Builds the next generation of the index beside it (DIR.genN) from the articles it stores, then\n" +
			"points DIR at it with one atomic rename: a reader opening DIR gets the old index or the new one,\n" +
			"never a half-built one. Needed when an index was built with another analysis or schema.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := index.Reindex(dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "rebuilt %s from %d stored articles\n", dir, n)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "index", "bahth-index", "index directory")
	return cmd
}
