package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bahth/bahth/index"
	"github.com/labstack/echo/v4"
)

// Parameter lists of each read endpoint. Unknown parameters are rejected
// with 400, as Elasticsearch does: a typo (szie=50) fails loudly instead of
// silently returning the default.
var (
	searchParams  = []string{"q", "section", "source", "author", "tag", "from", "to", "sort", "recency", "page", "size", "cursor", "snippets", "snippet_length", "collapse", "explain", "facets", "facet_size", "interval", "track_total_hits", "typo_tolerance"}
	suggestParams = []string{"q", "size"}
	relatedParams = []string{"size", "section", "from", "to", "window"}
	analyzeParams = []string{"text", "analyzer"}
)

// maxListValues bounds the values of one filter (section=a,b,...).
const maxListValues = 50

// params reads the query string of one request strictly: only the allowed
// names, each given once unless it is a list, all valid UTF-8.
type params struct {
	c     echo.Context
	lists []string // names that may repeat
}

func readParams(c echo.Context, allowed []string, lists ...string) (*params, error) {
	// Go's URL.Query, which echo reads, drops a pair it can't parse (a ;
	// separator, a bad %-escape) without a word: q=غزة;مصر would search
	// nothing at all. Say so instead.
	if _, err := url.ParseQuery(c.Request().URL.RawQuery); err != nil {
		return nil, badParam("the query string can't be read (%v); separate parameters with & and escape %% as %%25", err)
	}
	q := c.QueryParams()
	for name, vals := range q {
		if !utf8.ValidString(name) {
			return nil, badParam("a parameter name is not valid UTF-8")
		}
		if !slices.Contains(allowed, name) {
			return nil, badParam("unknown parameter %q; this endpoint accepts %s", name, strings.Join(allowed, ", "))
		}
		if len(vals) > 1 && !slices.Contains(lists, name) {
			return nil, badParam("%s is given %d times; give it once", name, len(vals))
		}
		for _, v := range vals {
			if !utf8.ValidString(v) {
				return nil, badParam("%s is not valid UTF-8", name)
			}
		}
	}
	return &params{c: c, lists: lists}, nil
}

func (p *params) str(name string) string { return p.c.QueryParam(name) }

// text reads a free-text parameter of at most max characters.
func (p *params) text(name string, max int) (string, error) {
	s := p.str(name)
	if n := utf8.RuneCountInString(s); n > max {
		return "", badParam("%s is %d characters long; at most %d are accepted", name, n, max)
	}
	return s, nil
}

// list reads a repeatable, comma-separated parameter: section=a&section=b,c.
func (p *params) list(name string) ([]string, error) {
	var out []string
	for _, v := range p.c.QueryParams()[name] {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	if len(out) > maxListValues {
		return nil, badParam("%s has %d values; at most %d are accepted", name, len(out), maxListValues)
	}
	return out, nil
}

// int reads a whole number in [lo, hi]; absent means def.
func (p *params) int(name string, def, lo, hi int) (int, error) {
	s := p.str(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badParam("%s must be a whole number from %d to %d, got %q", name, lo, hi, s)
	}
	return n, nil
}

// bool reads true/false (or 1/0); absent means def.
func (p *params) bool(name string, def bool) (bool, error) {
	switch p.str(name) {
	case "":
		return def, nil
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, badParam("%s must be true or false, got %q", name, p.str(name))
}

// searchRequest turns the query string of /v1/search (and the feeds) into an
// index.Request. Ranges the index checks itself (size, snippets, sort,
// facets, interval, the paging window) are left to it: its messages name
// the parameter too.
func (s *Server) searchRequest(c echo.Context) (index.Request, error) {
	var req index.Request
	p, err := readParams(c, searchParams, "section", "source", "author", "tag", "facets")
	if err != nil {
		return req, err
	}
	if req.Query, err = p.text("q", s.cfg.MaxQueryLength); err != nil {
		return req, err
	}
	f := &req.Filter
	for name, dst := range map[string]*[]string{"section": &f.Sections, "source": &f.Sources, "author": &f.Authors, "tag": &f.Tags, "facets": &req.Facets} {
		if *dst, err = p.list(name); err != nil {
			return req, err
		}
	}
	if f.From, err = index.ParseDate("from", p.str("from"), false); err != nil {
		return req, err
	}
	if f.To, err = index.ParseDate("to", p.str("to"), true); err != nil {
		return req, err
	}
	if req.Recency, err = index.ParseDuration("recency", p.str("recency")); err != nil {
		return req, err
	}
	req.Sort = p.str("sort")
	req.DateInterval = p.str("interval")
	if req.Cursor, err = p.text("cursor", 1000); err != nil {
		return req, err
	}
	ints := []struct {
		name         string
		dst          *int
		def, lo, max int
	}{
		{"page", &req.Page, 1, 1, index.MaxWindow},
		{"size", &req.Size, 10, 1, index.MaxSize},
		{"snippets", &req.Snippets, 2, 1, index.MaxSnippets},
		{"snippet_length", &req.SnippetLength, 160, 1, index.MaxSnippetLn},
		{"facet_size", &req.FacetSize, 10, 1, index.MaxFacetSize},
	}
	for _, n := range ints {
		if *n.dst, err = p.int(n.name, n.def, n.lo, n.max); err != nil {
			return req, err
		}
	}
	collapse, err := p.bool("collapse", true)
	if err != nil {
		return req, err
	}
	req.NoCollapse = !collapse
	if req.Explain, err = p.bool("explain", false); err != nil {
		return req, err
	}
	// Elasticsearch's name; only true/false (its integer form is not taken).
	if req.ExactTotal, err = p.bool("track_total_hits", false); err != nil {
		return req, err
	}
	typos, err := p.bool("typo_tolerance", true)
	if err != nil {
		return req, err
	}
	req.NoTypos = !typos
	req.Highlight = true
	return req, nil
}

// articleID reads and checks the {id} of an article path. Echo routes on
// the escaped path when the request's differs from Go's own escaping of it
// (lowercase hex, %2F, an escaped letter), and its parameters are then
// still escaped: such an id is unescaped here, so every spelling of a path
// names the same article (a%2Fb is the id a/b).
func articleID(c echo.Context) (string, error) {
	id := c.Param("id")
	if c.Request().URL.RawPath != "" {
		var err error
		if id, err = url.PathUnescape(id); err != nil {
			return "", badParam("the article id in the path is not escaped correctly: %v", err)
		}
	}
	switch {
	case id == "":
		return "", badParam("the article id in the path is empty")
	case !utf8.ValidString(id):
		return "", badParam("the article id is not valid UTF-8")
	}
	if err := index.CheckID(id); err != nil {
		return "", badParam("the article id is not valid: %v", err)
	}
	return id, nil
}
