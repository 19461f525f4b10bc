package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/bahth/bahth/internal/loadgen"
	"github.com/spf13/cobra"
)

func benchHTTPCmd() *cobra.Command {
	var (
		base, queries string
		endpoints     []string
		conc          []int
		dur, warm     time.Duration
	)
	cmd := &cobra.Command{
		Use:   "bench-http --url URL --queries FILE.tsv [flags]",
		Short: "Load-test a running bahth serve: requests/s and latency percentiles of /v1/search and /v1/suggest",
		Long: "Each client sends its next request as soon as the previous answer is read (closed loop), over the\n" +
			"queries of a TSV file (id<TAB>query per line) in turn: /v1/search?q=QUERY, and for suggest the\n" +
			"prefixes a typist sends (every third character of each query). Any status other than 200 is an\n" +
			"error; the command fails if there was one. Run the server with --rate-limit 0.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			qs, err := readQueries(queries)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "| endpoint | clients | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|---|\n")
			failed := 0
			for _, ep := range endpoints {
				urls, err := benchURLs(strings.TrimSuffix(base, "/"), ep, qs)
				if err != nil {
					return err
				}
				for _, c := range conc {
					r, err := loadgen.Run(cmd.Context(), loadgen.Options{URLs: urls, Concurrency: c, Duration: dur, Warmup: warm})
					if err != nil {
						return err
					}
					fmt.Fprintf(out, "| %s | %d | %d | %d | %.0f | %.2f | %.2f | %.2f | %.1f |\n", ep, c, r.Requests, r.Errors, r.RPS,
						ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max))
					if r.Errors > 0 {
						failed += r.Errors
						fmt.Fprintf(cmd.ErrOrStderr(), "first error: %s\n", r.FirstError)
					}
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d requests failed", failed)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&base, "url", "http://localhost:8080", "base URL of the server")
	f.StringVar(&queries, "queries", "", "TSV file of id<TAB>query")
	f.StringSliceVar(&endpoints, "endpoint", []string{"search", "suggest"}, "search and/or suggest")
	f.IntSliceVar(&conc, "concurrency", []int{8, 32}, "concurrent clients, one run per value")
	f.DurationVar(&dur, "duration", 20*time.Second, "measured time of each run")
	f.DurationVar(&warm, "warmup", 3*time.Second, "unmeasured time before each run")
	cmd.MarkFlagRequired("queries")
	return cmd
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func readQueries(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var qs []string
	for line := range strings.Lines(string(b)) {
		_, q, ok := strings.Cut(strings.TrimRight(line, "\r\n"), "\t")
		if ok && strings.TrimSpace(q) != "" {
			qs = append(qs, q)
		}
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s: no id<TAB>query lines", path)
	}
	return qs, nil
}

// benchURLs makes the request URLs of one endpoint.
func benchURLs(base, endpoint string, qs []string) ([]string, error) {
	var urls []string
	switch endpoint {
	case "search":
		for _, q := range qs {
			urls = append(urls, base+"/v1/search?q="+url.QueryEscape(q))
		}
	case "suggest":
		for _, q := range qs {
			r := []rune(q)
			for n := 3; n <= len(r); n += 3 {
				if p := string(r[:n]); strings.TrimSpace(p) != "" {
					urls = append(urls, base+"/v1/suggest?q="+url.QueryEscape(p))
				}
			}
		}
	default:
		return nil, fmt.Errorf("--endpoint: %q is not search or suggest", endpoint)
	}
	return urls, nil
}
