package server

import (
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes registers the API. Reads are public; writes need the API key and
// have a body limit.
func (s *Server) routes() {
	e := s.echo
	v1 := e.Group("/v1")
	v1.GET("/search", s.search)
	v1.GET("/search.rss", s.searchRSS)
	v1.GET("/search.atom", s.searchAtom)
	v1.GET("/suggest", s.suggest)
	v1.GET("/articles/:id", s.getArticle)
	v1.GET("/articles/:id/related", s.related)
	v1.GET("/analyze", s.analyze)

	// Per route, not a group: a group's middleware would also run for the
	// group's unmatched paths, turning 404s and 405s into 403s.
	write := []echo.MiddlewareFunc{s.requireKey, s.bodyLimit()}
	v1.PUT("/articles/:id", s.putArticle, write...)
	v1.POST("/articles", s.postArticles, write...)
	v1.DELETE("/articles/:id", s.deleteArticle, write...)

	e.GET("/opensearch.xml", s.openSearch)
	e.GET("/openapi.json", s.openAPI)
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics.handler())
	s.webRoutes()
}

// webRoutes serves the search page (issue 6) when Config.Web is set: its
// index.html at / and at /articles/:id (the article view; the page reads
// the id from the URL), and its files under /static/. Without it, / answers
// a small JSON map of the API.
func (s *Server) webRoutes() {
	e := s.echo
	if s.cfg.Web == nil {
		e.GET("/", func(c echo.Context) error {
			return c.JSON(http.StatusOK, map[string]string{
				"name": "bahth", "api": "/openapi.json", "search": "/v1/search?q=...", "suggest": "/v1/suggest?q=...",
			})
		})
		return
	}
	page := func(c echo.Context) error {
		b, err := fs.ReadFile(s.cfg.Web, "index.html")
		if err != nil {
			return err
		}
		return c.HTMLBlob(http.StatusOK, b)
	}
	e.GET("/", page)
	e.GET("/articles/:id", page)
	if static, err := fs.Sub(s.cfg.Web, "static"); err == nil {
		e.StaticFS("/static", static)
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 once the index answers a count and nothing is being
// prepared (Prepare).
func (s *Server) readyz(c echo.Context) error {
	if what := s.warming.Load().(string); what != "" {
		e := errorf(http.StatusServiceUnavailable, "unavailable", "still preparing %s", what)
		e.Header = map[string]string{"Retry-After": "5"}
		return e
	}
	n, err := s.ix.Count()
	if err != nil {
		s.log.Error("readiness", "err", err)
		return errorf(http.StatusServiceUnavailable, "unavailable", "the index is not answering")
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ready", "articles": n})
}
