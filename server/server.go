// Package server is Bahth's HTTP API: the echo v4 app behind `bahth serve`.
// It parses and limits requests, shapes JSON (dto.go), maps errors to one
// shape (errors.go) and adds the middleware a public service needs. All
// search logic stays in package index, reached through the Engine interface
// declared here; this package never imports bleve.
package server

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/labstack/echo/v4"
)

// Engine is what the server needs of an index; *index.Index is one.
type Engine interface {
	Searcher
	Reader
	Writer
	Count() (uint64, error)
}

// Searcher answers the search box: ranked hits and type-ahead.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
	Suggest(ctx context.Context, input string, n int) ([]index.Suggestion, error)
}

// Reader reads one article and what is around it.
type Reader interface {
	Get(ctx context.Context, id string) (index.Article, error)
	Related(ctx context.Context, id string, opt index.RelatedOptions) ([]index.Hit, error)
	WireCopies(ctx context.Context, id string) ([]string, error)
}

// Writer stores and deletes articles; both return once the change is on
// disk.
type Writer interface {
	Ingest(ctx context.Context, r io.Reader, name string, opts index.IngestOptions, st *index.IngestStats) error
	Delete(ids []string) (int, error)
}

var _ Engine = (*index.Index)(nil)

// Config is the server's configuration; zero fields take the defaults in
// DefaultConfig (applied by New).
type Config struct {
	Addr      string // listen address, default localhost:8080
	IndexDir  string // for the index size metric; may be empty
	APIKey    string // bearer key for writes; empty disables writes (403)
	PublicURL string // base URL used in feeds and opensearch.xml; empty: from the request

	CORSOrigins []string // origins allowed to call the API from a browser; "*" for any
	TrustProxy  bool     // take the client IP from X-Forwarded-For (behind a proxy you run)

	RateLimit float64 // requests per second per client IP; < 0 disables
	RateBurst int     // bucket size per client IP

	SearchTimeout  time.Duration // deadline of one search, suggest or related call, from when it starts running
	MaxSearches    int           // searches run at once (more only share the cores); 0 means GOMAXPROCS (a search is CPU-bound: one per core)
	QueueTimeout   time.Duration // longest wait for a turn; then 503 with Retry-After
	MaxQueryLength int           // characters of q
	MaxBodyBytes   int64         // bytes of a write request body
	MaxBulk        int           // articles per POST /v1/articles

	// Analyze runs a named analyzer for /v1/analyze; Analyzers lists the
	// names it accepts, the first being the default. Nil disables the
	// endpoint (404). cmd/bahth wires package analyzer in: the server
	// can't import it (it would pull bleve in, see STYLE.md rule 14).
	Analyze   func(name, text string) ([]Token, error)
	Analyzers []string

	Web    fs.FS        // the search page (index.html, static/...); nil serves a JSON index at /
	Logger *slog.Logger // nil: JSON to stderr
}

// DefaultConfig holds the defaults documented in README and --help.
var DefaultConfig = Config{
	Addr:           "localhost:8080",
	RateLimit:      20,
	RateBurst:      40,
	SearchTimeout:  2 * time.Second,
	QueueTimeout:   10 * time.Second,
	MaxQueryLength: 500,
	MaxBodyBytes:   16 << 20,
	MaxBulk:        1000,
}

func (c Config) withDefaults() Config {
	d := DefaultConfig
	if c.Addr == "" {
		c.Addr = d.Addr
	}
	if c.RateLimit == 0 {
		c.RateLimit = d.RateLimit
	}
	if c.RateBurst <= 0 {
		c.RateBurst = max(d.RateBurst, int(2*c.RateLimit))
	}
	if c.SearchTimeout <= 0 {
		c.SearchTimeout = d.SearchTimeout
	}
	if c.MaxSearches <= 0 {
		c.MaxSearches = runtime.GOMAXPROCS(0)
	}
	if c.QueueTimeout <= 0 {
		c.QueueTimeout = d.QueueTimeout
	}
	if c.MaxQueryLength <= 0 {
		c.MaxQueryLength = d.MaxQueryLength
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = d.MaxBodyBytes
	}
	if c.MaxBulk <= 0 {
		c.MaxBulk = d.MaxBulk
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	return c
}

// Server is the HTTP API over one Engine.
type Server struct {
	cfg     Config
	ix      Engine
	echo    *echo.Echo
	log     *slog.Logger
	metrics *metrics
	slots   chan struct{} // a token per search running (admission control)
	warming atomic.Value  // string: what is still being prepared ("" when ready)
}

// New builds the server and its routes. It does not listen.
func New(ix Engine, cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, ix: ix, log: cfg.Logger, slots: make(chan struct{}, cfg.MaxSearches)}
	s.warming.Store("")
	s.metrics = newMetrics(ix, cfg.IndexDir)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	s.echo = e
	s.middleware()
	s.routes()
	return s
}

// Prepare runs fn (such as building the type-ahead vocabulary) in the
// background; until it returns, /readyz answers 503 naming what, and a
// request of that kind cut by its deadline is told to retry (503,
// Retry-After) rather than that its query was too slow.
func (s *Server) Prepare(ctx context.Context, what string, fn func(context.Context) error) {
	s.warming.Store(what)
	go func() {
		err := fn(ctx)
		if err != nil {
			s.log.Error("preparing "+what, "err", err)
		}
		s.warming.Store("")
	}()
}

// Handler is the server as an http.Handler (tests use it with httptest).
func (s *Server) Handler() http.Handler { return s.echo }

// Serve answers on ln until ctx is cancelled, then stops accepting, drains
// in-flight requests for up to drain (10 s when 0) with a fresh context
// (ctx is already done) and returns. The caller closes the index after.
func (s *Server) Serve(ctx context.Context, ln net.Listener, drain time.Duration) error {
	if drain <= 0 {
		drain = 10 * time.Second
	}
	hs := &http.Server{
		Handler: s.echo,
		// Slow-loris: a client gets 10 s to send its headers.
		ReadHeaderTimeout: 10 * time.Second,
		// A 16 MiB bulk body over a slow link still fits in a minute.
		ReadTimeout: 60 * time.Second,
		// Searches are cut at SearchTimeout; writes wait for the disk.
		WriteTimeout: 60 * time.Second,
		// Keep-alive connections idle longer than this are closed.
		IdleTimeout: 120 * time.Second,
		// Headers beyond 64 KiB are an attack, not a search.
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.echo.Server = hs
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	s.log.Info("shutting down", "drain", drain.String())
	if err := s.echo.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
