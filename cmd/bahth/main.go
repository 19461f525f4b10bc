// Command bahth is the Bahth search engine: one binary with subcommands.
package main

import (
	"log"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{
		Use:           "bahth",
		Short:         "Bahth: full-text search for Arabic news",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(analyzeCmd(), indexCmd(), reindexCmd(), statsCmd(), searchCmd(), evalCmd(), demoCmd(), serveCmd(), benchHTTPCmd())
	if err := root.Execute(); err != nil {
		log.SetFlags(0)
		log.Fatalf("bahth: %v", err)
	}
	os.Exit(0)
}
