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
	read(v1.Add, "/search", s.search)
	read(v1.Add, "/search.rss", s.searchRSS)
	read(v1.Add, "/search.atom", s.searchAtom)
	read(v1.Add, "/suggest", s.suggest)
	read(v1.Add, "/articles/:id", s.getArticle)
	read(v1.Add, "/articles/:id/related", s.related)
	read(v1.Add, "/analyze", s.analyze)

	// Per route, not a group: a group's middleware would also run for the
	// group's unmatched paths, turning 404s and 405s into 403s.
	write := []echo.MiddlewareFunc{s.requireKey, s.bodyLimit()}
	v1.PUT("/articles/:id", s.putArticle, write...)
	v1.POST("/articles", s.postArticles, write...)
	v1.DELETE("/articles/:id", s.deleteArticle, write...)

	read(e.Add, "/opensearch.xml", s.openSearch)
	read(e.Add, "/openapi.json", s.openAPI)
	read(e.Add, "/healthz", s.healthz)
	read(e.Add, "/readyz", s.readyz)
	read(e.Add, "/metrics", s.metrics.handler())
	s.webRoutes()
}

// read registers a read endpoint for GET and HEAD: HEAD answers what GET
// would, headers only (net/http drops the body of a HEAD response), so a
// probe or a client checking that an article exists gets 200 or 404, not
// 405.
func read(add func(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route, path string, h echo.HandlerFunc) {
	add(http.MethodGet, path, h)
	add(http.MethodHead, path, h)
}

// webRoutes serves the search page (issue 6) when Config.Web is set: its
// index.html at / and at /articles/:id (the article view; the page reads
// the id from the URL), and its files under /static/. Without it, / answers
// a small JSON map of the API.
func (s *Server) webRoutes() {
	e := s.echo
	if s.cfg.Web == nil {
		read(e.Add, "/", func(c echo.Context) error {
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
	read(e.Add, "/", page)
	read(e.Add, "/articles/:id", page)
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
