package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bahth/bahth/index"
	"github.com/labstack/echo/v4"
)

// Content types accepted for POST /v1/articles: a JSON array, or NDJSON
// (one article per line) under any of its usual names.
var ndjsonTypes = []string{"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/json-lines"}

// putArticle is PUT /v1/articles/{id}: stores the article in the body under
// id (the body's "id", if any, must be the same), replacing any article
// with that id. 201 when new, 200 when replaced; the answer comes once the
// write is on disk and visible to search.
func (s *Server) putArticle(c echo.Context) error {
	id, err := articleID(c)
	if err != nil {
		return err
	}
	if _, err := needType(c, echo.MIMEApplicationJSON); err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	line, err := withID(body, id)
	if err != nil {
		return err
	}
	a, err := index.ParseArticle(line)
	if err != nil {
		return err
	}
	st, err := s.store(c, []index.Article{a})
	if err != nil {
		return err
	}
	if st.Added == 1 {
		return c.JSON(http.StatusCreated, WriteResult{ID: id, Result: "created"})
	}
	return c.JSON(http.StatusOK, WriteResult{ID: id, Result: "updated"})
}

// postArticles is POST /v1/articles: many articles at once, as a JSON array
// or NDJSON. Each item is validated on its own: the valid ones are stored
// (an id given twice keeps the last), the others come back with their
// reason, and the answer is 200 with "errors": true when any was rejected.
// A body that can't be read as items at all is a 400.
func (s *Server) postArticles(c echo.Context) error {
	start := time.Now()
	ct, err := needType(c, append([]string{echo.MIMEApplicationJSON}, ndjsonTypes...)...)
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	var items []json.RawMessage
	if ct == echo.MIMEApplicationJSON {
		if err := json.Unmarshal(body, &items); err != nil {
			return errorf(http.StatusBadRequest, "invalid_body", "the body must be a JSON array of articles (or NDJSON with Content-Type: application/x-ndjson): %v", err)
		}
	} else {
		for line := range bytes.Lines(body) {
			items = append(items, bytes.TrimSpace(line)) // blank lines are reported as items too: their position is the line
		}
	}
	if len(items) > s.cfg.MaxBulk {
		return errorf(http.StatusRequestEntityTooLarge, "too_many_articles", "the body holds %d articles; at most %d are accepted per request", len(items), s.cfg.MaxBulk)
	}
	out := BulkResponse{Items: make([]WriteResult, 0, len(items))}
	var good []index.Article
	for i, raw := range items {
		if ct != echo.MIMEApplicationJSON && len(raw) == 0 {
			continue
		}
		a, err := index.ParseArticle(raw)
		if err != nil {
			e, _ := toError(err)
			out.Items = append(out.Items, WriteResult{Item: i + 1, Error: &errorDetail{e.Code, e.Message}})
			out.Rejected++
			continue
		}
		good = append(good, a)
		out.Items = append(out.Items, WriteResult{Item: i + 1, ID: a.ID, Result: "indexed"})
	}
	if len(out.Items) == 0 {
		return errorf(http.StatusBadRequest, "invalid_body", "the body holds no articles")
	}
	if len(good) > 0 {
		st, err := s.store(c, good)
		if err != nil {
			return err
		}
		out.Added, out.Updated = st.Added, st.Updated
	}
	out.Errors = out.Rejected > 0
	out.TookMS = ms(time.Since(start))
	return c.JSON(http.StatusOK, out)
}

// deleteArticle is DELETE /v1/articles/{id}: 200 once the deletion is on
// disk, 404 for an id the index does not hold.
func (s *Server) deleteArticle(c echo.Context) error {
	id, err := articleID(c)
	if err != nil {
		return err
	}
	n, err := s.ix.Delete([]string{id})
	if err != nil {
		return err
	}
	if n == 0 {
		return errorf(http.StatusNotFound, "not_found", "article %q not found", id)
	}
	return c.JSON(http.StatusOK, WriteResult{ID: id, Result: "deleted"})
}

// store writes validated articles through the index's ingest, which
// returns once they are persisted. A client that hangs up does not cut a
// write half way: the context is detached from the request's.
func (s *Server) store(c echo.Context, articles []index.Article) (*index.IngestStats, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, a := range articles {
		if err := enc.Encode(a); err != nil {
			return nil, err
		}
	}
	st := &index.IngestStats{}
	var rejected []error
	opts := index.IngestOptions{BatchSize: len(articles), MaxLineBytes: int(s.cfg.MaxBodyBytes) + 1,
		Reject: func(_ []byte, reason error) { rejected = append(rejected, reason) }}
	ctx := context.WithoutCancel(c.Request().Context())
	if err := s.ix.Ingest(ctx, &buf, "request", opts, st); err != nil {
		return nil, err
	}
	if len(rejected) > 0 { // validated above: a rejection here is the index disagreeing with ParseArticle
		return nil, errors.Join(rejected...)
	}
	return st, nil
}

// needType checks the request's Content-Type against the accepted media
// types and returns the one given.
func needType(c echo.Context, accepted ...string) (string, error) {
	h := c.Request().Header.Get(echo.HeaderContentType)
	mt, params, err := mime.ParseMediaType(h)
	if err == nil {
		for _, a := range accepted {
			if mt == a {
				if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
					break
				}
				return mt, nil
			}
		}
	}
	return "", errorf(http.StatusUnsupportedMediaType, "unsupported_media_type",
		"Content-Type must be %s (UTF-8), got %q", strings.Join(accepted, " or "), h)
}

// readBody reads the whole body (the body limit middleware bounds it).
func readBody(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		return nil, errorf(http.StatusBadRequest, "invalid_body", "reading the body: %v", err)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF")) // a byte order mark some editors write
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errorf(http.StatusBadRequest, "invalid_body", "the body is empty; send the article as JSON")
	}
	if !utf8.Valid(b) {
		return nil, errorf(http.StatusBadRequest, "invalid_body", "the body is not valid UTF-8")
	}
	return b, nil
}

// withID returns the JSON object body with "id" set to id, or an error if
// body is not an object or names another id.
func withID(body []byte, id string) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, errorf(http.StatusBadRequest, "invalid_body", "the body must be one JSON object (an article)")
	}
	if raw, ok := fields["id"]; ok {
		var got string
		if json.Unmarshal(raw, &got) != nil {
			return nil, errorf(http.StatusBadRequest, "invalid_article", `field "id": want a string, got %s`, raw)
		}
		if got != id {
			return nil, errorf(http.StatusBadRequest, "invalid_article", "the body's id %s is not the id in the path %q; leave it out or make them equal", raw, id)
		}
	}
	fields["id"], _ = json.Marshal(id)
	return json.Marshal(fields)
}
