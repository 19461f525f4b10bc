package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/labstack/echo/v4"
)

// maxAnalyzeText bounds the text of /v1/analyze, in characters.
const maxAnalyzeText = 10000

// deadline waits for a turn to run an engine call (at most MaxSearches run
// at once: more would only share the cores and all miss their deadline)
// and gives the call the server's search deadline, counted from when it
// runs. A turn not had within QueueTimeout is a 503 with Retry-After. The
// returned release ends the turn.
func (s *Server) deadline(c echo.Context) (context.Context, context.CancelFunc, error) {
	wait := time.NewTimer(s.cfg.QueueTimeout)
	defer wait.Stop()
	select {
	case s.slots <- struct{}{}:
	case <-wait.C:
		e := errorf(http.StatusServiceUnavailable, "busy", "the server is busy; retry in a second")
		e.Header = map[string]string{"Retry-After": "1"}
		return nil, nil, e
	case <-c.Request().Context().Done():
		return nil, nil, c.Request().Context().Err()
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.SearchTimeout)
	return ctx, func() { cancel(); <-s.slots }, nil
}

// errWarming answers a type-ahead cut while its vocabulary is being built.
var errWarming = &Error{Status: http.StatusServiceUnavailable, Code: "unavailable",
	Message: "type-ahead is still being prepared; retry in a few seconds", Header: map[string]string{"Retry-After": "5"}}

func timedOut(ctx context.Context, err error) error {
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return errTimeout
	}
	return err
}

// underDeadline runs fn in the request's turn and under its deadline
// (s.deadline); an error after the deadline passed becomes errTimeout.
func underDeadline[T any](s *Server, c echo.Context, fn func(ctx context.Context) (T, error)) (T, error) {
	var zero T
	ctx, release, err := s.deadline(c)
	if err != nil {
		return zero, err
	}
	defer release()
	v, err := fn(ctx)
	if err != nil {
		return zero, timedOut(ctx, err)
	}
	return v, nil
}

// runSearch parses the query string and runs the search under the deadline.
func (s *Server) runSearch(c echo.Context) (*index.Result, error) {
	req, err := s.searchRequest(c)
	if err != nil {
		return nil, err
	}
	res, err := underDeadline(s, c, func(ctx context.Context) (*index.Result, error) { return s.ix.Search(ctx, req) })
	if err != nil {
		return nil, err
	}
	s.metrics.hits.Observe(float64(res.Total))
	return res, nil
}

// search is GET /v1/search.
func (s *Server) search(c echo.Context) error {
	res, err := s.runSearch(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, searchResponse(res))
}

// suggest is GET /v1/suggest?q=: type-ahead completions and titles.
func (s *Server) suggest(c echo.Context) error {
	p, err := readParams(c, suggestParams)
	if err != nil {
		return err
	}
	q, err := p.text("q", 200)
	if err != nil {
		return err
	}
	if strings.TrimSpace(q) == "" {
		return badParam("q is required: the text typed so far")
	}
	n, err := p.int("size", 10, 1, 50)
	if err != nil {
		return err
	}
	start := time.Now()
	sugg, err := underDeadline(s, c, func(ctx context.Context) ([]index.Suggestion, error) { return s.ix.Suggest(ctx, q, n) })
	if err != nil {
		if errors.Is(err, errTimeout) && s.warming.Load() != "" {
			return errWarming
		}
		return err
	}
	out := SuggestResponse{Suggestions: make([]SuggestionDTO, len(sugg))}
	for i, g := range sugg {
		out.Suggestions[i] = SuggestionDTO{Text: g.Text, Kind: g.Kind, Count: g.Count, ID: g.ID}
	}
	out.TookMS = ms(time.Since(start))
	return c.JSON(http.StatusOK, out)
}

// getArticle is GET /v1/articles/{id}: the stored article and the ids of
// its wire copies.
func (s *Server) getArticle(c echo.Context) error {
	id, err := articleID(c)
	if err != nil {
		return err
	}
	if _, err := readParams(c, nil); err != nil { // no parameter: a typo fails loudly
		return err
	}
	out, err := underDeadline(s, c, func(ctx context.Context) (ArticleResponse, error) {
		a, err := s.ix.Get(ctx, id)
		if err != nil {
			return ArticleResponse{}, err
		}
		copies, err := s.ix.WireCopies(ctx, id)
		return ArticleResponse{Article: articleDTO(a), Copies: copies}, err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// related is GET /v1/articles/{id}/related.
func (s *Server) related(c echo.Context) error {
	id, err := articleID(c)
	if err != nil {
		return err
	}
	p, err := readParams(c, relatedParams, "section")
	if err != nil {
		return err
	}
	var opt index.RelatedOptions
	if opt.Size, err = p.int("size", 10, 1, 100); err != nil {
		return err
	}
	if opt.Sections, err = p.list("section"); err != nil {
		return err
	}
	if opt.From, err = index.ParseDate("from", p.str("from"), false); err != nil {
		return err
	}
	if opt.To, err = index.ParseDate("to", p.str("to"), true); err != nil {
		return err
	}
	if opt.Window, err = index.ParseDuration("window", p.str("window")); err != nil {
		return err
	}
	start := time.Now()
	hits, err := underDeadline(s, c, func(ctx context.Context) ([]index.Hit, error) { return s.ix.Related(ctx, id, opt) })
	if err != nil {
		return err
	}
	out := RelatedResponse{ID: id, Hits: make([]RelatedHitDTO, len(hits))}
	for i, h := range hits {
		out.Hits[i] = RelatedHitDTO{ID: h.ID, Score: h.Score, Article: articleDTO(h.Article), Copies: h.Copies}
	}
	out.TookMS = ms(time.Since(start))
	return c.JSON(http.StatusOK, out)
}

// analyze is GET /v1/analyze?text=&analyzer=.
func (s *Server) analyze(c echo.Context) error {
	if s.cfg.Analyze == nil || len(s.cfg.Analyzers) == 0 {
		return errorf(http.StatusNotFound, "not_found", "this server does not offer /v1/analyze")
	}
	p, err := readParams(c, analyzeParams)
	if err != nil {
		return err
	}
	text, err := p.text("text", maxAnalyzeText)
	if err != nil {
		return err
	}
	if text == "" {
		return badParam("text is required: the text to analyze")
	}
	name := p.str("analyzer")
	if name == "" {
		name = s.cfg.Analyzers[0]
	}
	if !slices.Contains(s.cfg.Analyzers, name) {
		return badParam("analyzer must be one of %s, got %q", strings.Join(s.cfg.Analyzers, ", "), name)
	}
	toks, err := s.cfg.Analyze(name, text)
	if err != nil {
		return err
	}
	if toks == nil {
		toks = []Token{}
	}
	return c.JSON(http.StatusOK, AnalyzeResponse{Analyzer: name, Tokens: toks})
}
