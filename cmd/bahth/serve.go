package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/bahth/bahth/analyzer"
	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/samples"
	"github.com/bahth/bahth/server"
	"github.com/spf13/cobra"
)

func serveCmd() *cobra.Command {
	cfg := server.DefaultConfig
	var dir, origins, level string
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Serve the HTTP API (and search page) over an index; with no --index, over the built-in samples",
		Long: "Serves /v1/search, /v1/suggest, /v1/articles, feeds, /metrics and /openapi.json (docs/api.md).\n" +
			"Every flag can also be set by the environment variable in brackets; a flag given wins.\n" +
			"Without --index the 45 sample articles are indexed once into the user cache directory\n" +
			"($XDG_CACHE_HOME/bahth or ~/.cache/bahth, keyed by a hash of the samples) and reused next time.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := errors.Join(envErrs...); err != nil {
				return err
			}
			if cfg.RateLimit == 0 {
				cfg.RateLimit = -1 // 0 on the command line means off, not the default
			}
			var err error
			if cfg.CORSOrigins, err = splitOrigins(origins); err != nil {
				return err
			}
			var lv slog.Level
			if err := lv.UnmarshalText([]byte(level)); err != nil {
				return fmt.Errorf("--log-level: %w", err)
			}
			cfg.Logger = slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: lv}))
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, cmd, dir, cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Addr, "addr", env("BAHTH_ADDR", cfg.Addr), "listen address [BAHTH_ADDR]")
	f.StringVar(&dir, "index", env("BAHTH_INDEX", ""), "index directory, created when missing; empty: the sample index [BAHTH_INDEX]")
	f.StringVar(&cfg.APIKey, "api-key", env("BAHTH_API_KEY", ""), "bearer key that enables PUT/POST/DELETE; empty: writes answer 403 [BAHTH_API_KEY]")
	f.StringVar(&origins, "cors-origins", env("BAHTH_CORS_ORIGINS", ""), "comma-separated origins allowed to call the API from a browser, or * [BAHTH_CORS_ORIGINS]")
	f.StringVar(&cfg.PublicURL, "public-url", env("BAHTH_PUBLIC_URL", ""), "base URL in feeds and opensearch.xml; empty: the request's host [BAHTH_PUBLIC_URL]")
	f.BoolVar(&cfg.TrustProxy, "trust-proxy", envBool("BAHTH_TRUST_PROXY"), "rate-limit by X-Forwarded-For (only behind your own proxy) [BAHTH_TRUST_PROXY]")
	f.Float64Var(&cfg.RateLimit, "rate-limit", envFloat("BAHTH_RATE_LIMIT", cfg.RateLimit), "requests per second per client IP; 0: no limit [BAHTH_RATE_LIMIT]")
	f.IntVar(&cfg.RateBurst, "rate-burst", envInt("BAHTH_RATE_BURST", cfg.RateBurst), "burst per client IP [BAHTH_RATE_BURST]")
	f.DurationVar(&cfg.SearchTimeout, "search-timeout", envDuration("BAHTH_SEARCH_TIMEOUT", cfg.SearchTimeout), "deadline of one search; a slower one is cut with 408 [BAHTH_SEARCH_TIMEOUT]")
	f.IntVar(&cfg.MaxSearches, "max-searches", envInt("BAHTH_MAX_SEARCHES", 0), "searches run at once, the others wait for a turn; 0: one per core [BAHTH_MAX_SEARCHES]")
	f.DurationVar(&cfg.QueueTimeout, "queue-timeout", envDuration("BAHTH_QUEUE_TIMEOUT", cfg.QueueTimeout), "longest wait for a turn to search; then 503 [BAHTH_QUEUE_TIMEOUT]")
	f.IntVar(&cfg.MaxQueryLength, "max-query", envInt("BAHTH_MAX_QUERY", cfg.MaxQueryLength), "longest q, in characters [BAHTH_MAX_QUERY]")
	f.Int64Var(&cfg.MaxBodyBytes, "max-body", int64(envInt("BAHTH_MAX_BODY", int(cfg.MaxBodyBytes))), "largest write body, in bytes [BAHTH_MAX_BODY]")
	f.IntVar(&cfg.MaxBulk, "max-bulk", envInt("BAHTH_MAX_BULK", cfg.MaxBulk), "most articles per POST /v1/articles [BAHTH_MAX_BULK]")
	f.StringVar(&level, "log-level", env("BAHTH_LOG_LEVEL", "info"), "debug, info, warn or error; logs are JSON on stderr [BAHTH_LOG_LEVEL]")
	return cmd
}

// serve opens the index (or the samples'), listens, prints where, and
// serves until ctx ends; then it drains and closes the index.
func serve(ctx context.Context, cmd *cobra.Command, dir string, cfg server.Config) error {
	start := time.Now()
	if dir == "" {
		var err error
		if dir, err = sampleIndex(ctx); err != nil {
			return err
		}
	}
	ix, err := index.OpenOrCreate(dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	cfg.IndexDir = dir
	cfg.Analyzers = analyzer.Names
	cfg.Analyze = analyze
	cfg.Web = server.Web() // the search page at / (docs/search-page.md)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	n, _ := ix.Count()
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(cmd.OutOrStdout(), "bahth: serving %d articles from %s at %s/ (ready in %s)\n  try: %s/v1/search?q=%s\n",
		n, dir, base, time.Since(start).Round(time.Millisecond), base, url.QueryEscape("الاستثمار"))
	srv := server.New(ix, cfg)
	srv.Prepare(ctx, "type-ahead", ix.PrepareSuggest) // the first type-ahead should not pay for the vocabulary
	return srv.Serve(ctx, ln, 10*time.Second)
}

// analyze adapts package analyzer to the server's /v1/analyze.
func analyze(name, text string) ([]server.Token, error) {
	toks, err := analyzer.AnalyzeNamed(name, text)
	out := make([]server.Token, len(toks))
	for i, t := range toks {
		out[i] = server.Token(t)
	}
	return out, err
}

// sampleIndex returns the index of the built-in samples in the user cache
// directory, building it on first use: samples-HASH, where HASH covers the
// articles and the schema version, so a change to either builds afresh.
// The index is built beside it and renamed into place, so a run killed
// half way leaves nothing that looks finished.
func sampleIndex(ctx context.Context) (string, error) {
	root, err := os.UserCacheDir()
	if err != nil {
		root = os.TempDir()
	}
	root = filepath.Join(root, "bahth")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	sum := sha256.Sum256(fmt.Appendf(bytes.Clone(samples.Articles), "\nschema %d", index.SchemaVersion))
	final := filepath.Join(root, "samples-"+hex.EncodeToString(sum[:6]))
	dir := filepath.Join(final, "index")
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(root, "building-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	ix, err := index.Create(filepath.Join(tmp, "index"))
	if err != nil {
		return "", err
	}
	var st index.IngestStats
	err = ix.Ingest(ctx, bytes.NewReader(samples.Articles), "samples/articles.jsonl", index.IngestOptions{}, &st)
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("indexing the samples: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		if _, serr := os.Stat(dir); serr == nil {
			return dir, nil // another process got there first
		}
		return "", err
	}
	return dir, nil
}

func splitOrigins(s string) ([]string, error) {
	var out []string
	for o := range strings.SplitSeq(s, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if u, err := url.Parse(o); o != "*" && (err != nil || u.Scheme == "" || u.Host == "" || u.Path != "") {
			return nil, fmt.Errorf("--cors-origins: %q is not an origin like https://news.example", o)
		}
		out = append(out, o)
	}
	return out, nil
}

// env, envInt ... read a flag's default from the environment.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// envErrs collects environment values that don't parse; serve reports
// them instead of silently using the default.
var envErrs []error

func envParse[T any](name string, def T, parse func(string) (T, error)) T {
	s, ok := os.LookupEnv(name)
	if !ok || s == "" {
		return def
	}
	v, err := parse(s)
	if err != nil {
		envErrs = append(envErrs, fmt.Errorf("%s=%q: %w", name, s, err))
		return def
	}
	return v
}

func envInt(name string, def int) int { return envParse(name, def, strconv.Atoi) }

func envFloat(name string, def float64) float64 {
	return envParse(name, def, func(s string) (float64, error) { return strconv.ParseFloat(s, 64) })
}

func envBool(name string) bool { return envParse(name, false, strconv.ParseBool) }

func envDuration(name string, def time.Duration) time.Duration {
	return envParse(name, def, time.ParseDuration)
}
