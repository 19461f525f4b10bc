package main

import (
	"github.com/bahth/bahth/internal/demo"
	"github.com/spf13/cobra"
)

func demoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "demo [QUERY...]",
		Short: "Index the built-in sample articles and search them (sample queries when none are given)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return demo.Run(cmd.Context(), args, cmd.OutOrStdout())
		},
	}
}
