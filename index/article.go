// Package index holds everything bleve: the article mapping, opening and
// creating indexes, ingest, ranking and snippets. It returns domain types
// and never speaks HTTP.
package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Article is one news article as stored and returned.
type Article struct {
	ID          string    `json:"id"`
	Title       string    `json:"title,omitempty"`
	Body        string    `json:"body,omitempty"`
	Section     string    `json:"section,omitempty"`
	Source      string    `json:"source,omitempty"`
	URL         string    `json:"url,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
}

// ErrInvalidArticle is returned for an article that can't be indexed.
var ErrInvalidArticle = errors.New("invalid article")

// ParseArticle decodes one JSON object. It accepts "date" as a synonym of
// "published_at" (the evaluation collections use it), in RFC 3339 or as a
// plain date.
func ParseArticle(line []byte) (Article, error) {
	var raw struct {
		ID          json.RawMessage `json:"id"`
		Title       string          `json:"title"`
		Body        string          `json:"body"`
		Section     string          `json:"section"`
		Source      string          `json:"source"`
		URL         string          `json:"url"`
		PublishedAt string          `json:"published_at"`
		Date        string          `json:"date"`
	}
	if err := json.Unmarshal(line, &raw); err != nil {
		return Article{}, fmt.Errorf("%w: %v", ErrInvalidArticle, err)
	}
	var id string
	if err := json.Unmarshal(raw.ID, &id); err != nil || strings.TrimSpace(id) == "" {
		return Article{}, fmt.Errorf("%w: \"id\" must be a non-empty string", ErrInvalidArticle)
	}
	a := Article{ID: id, Title: raw.Title, Body: raw.Body, Section: raw.Section, Source: raw.Source, URL: raw.URL}
	if a.Title == "" && a.Body == "" {
		return Article{}, fmt.Errorf("%w: %s: title and body are both empty", ErrInvalidArticle, id)
	}
	date := raw.PublishedAt
	if date == "" {
		date = raw.Date
	}
	if date != "" {
		t, err := parseDate(date)
		if err != nil {
			return Article{}, fmt.Errorf("%w: %s: %v", ErrInvalidArticle, id, err)
		}
		a.PublishedAt = t
	}
	return a, nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is neither RFC 3339 nor YYYY-MM-DD", s)
}
