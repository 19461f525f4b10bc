// Package index holds everything bleve: the article mapping, opening and
// creating indexes, ingest, ranking and snippets. It returns domain types
// and never speaks HTTP.
package index

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Article is one news article as stored and returned. The JSON names are
// the schema of the JSON Lines files `bahth index` reads (see README).
type Article struct {
	ID          string    `json:"id"`
	Title       string    `json:"title,omitempty"`
	Summary     string    `json:"summary,omitempty"`
	Body        string    `json:"body,omitempty"`
	Authors     []string  `json:"author,omitempty"`
	Section     string    `json:"section,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	Source      string    `json:"source,omitempty"`
	URL         string    `json:"url,omitempty"`
	Lang        string    `json:"lang,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at,omitzero"`
	// Extra holds the fields outside the schema, kept as they came.
	Extra map[string]json.RawMessage `json:"-"`
}

// ErrInvalidArticle is returned for an article that can't be indexed.
var ErrInvalidArticle = errors.New("invalid article")

// MarshalJSON writes the schema fields and then the extra ones, compact:
// a caller may take its output as it is, without json.Marshal's second
// pass over it.
func (a Article) MarshalJSON() ([]byte, error) {
	type plain Article
	b, err := json.Marshal(plain(a))
	if err != nil || len(a.Extra) == 0 {
		return b, err
	}
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	for _, k := range slices.Sorted(maps.Keys(a.Extra)) {
		key, _ := json.Marshal(k)
		buf.WriteByte(',')
		buf.Write(key)
		buf.WriteByte(':')
		if err := json.Compact(&buf, a.Extra[k]); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// storedSource reads the article a hit's fields hold in _source, parsed
// once: json.Unmarshal would check the whole text before handing it to
// UnmarshalJSON, which reads it again. Every article is stored with its
// source, so fields without one (not asked for, or a damaged index) are
// an error.
func storedSource(fields map[string]any) (a Article, err error) {
	raw, ok := fields[sourceField].(string)
	if !ok {
		return Article{}, errors.New("nothing stored")
	}
	err = a.UnmarshalJSON([]byte(raw))
	return a, err
}

// UnmarshalJSON reads what MarshalJSON writes (a stored article).
func (a *Article) UnmarshalJSON(b []byte) error {
	p, err := ParseArticle(b)
	if err != nil {
		return err
	}
	*a = p
	return nil
}

// ParseArticle decodes and validates one JSON object: it must be valid
// UTF-8, have a non-empty string "id" and a non-empty "title" or "body",
// and each schema field must have its type (author and tags take a string
// or a list of strings; dates are RFC 3339 or YYYY-MM-DD). "date" is read as
// "published_at" (the evaluation collections use it). Other fields are kept
// in Extra. The error wraps ErrInvalidArticle and says which field is wrong.
func ParseArticle(line []byte) (Article, error) {
	if !utf8.Valid(line) {
		return Article{}, invalid("invalid UTF-8 at byte %d", invalidUTF8At(line))
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(line, &fields); err != nil {
		return Article{}, invalid("not a JSON object: %v", err)
	}
	var a Article
	str := map[string]*string{
		"title": &a.Title, "summary": &a.Summary, "body": &a.Body, "section": &a.Section,
		"source": &a.Source, "url": &a.URL, "lang": &a.Lang,
	}
	var published, updated, date string
	dates := map[string]*string{"published_at": &published, "updated_at": &updated, "date": &date}
	for k, v := range fields {
		var err error
		switch {
		case k == "id":
			err = decodeString(v, &a.ID)
		case str[k] != nil:
			err = decodeString(v, str[k])
		case dates[k] != nil:
			err = decodeString(v, dates[k])
		case k == "author":
			a.Authors, err = decodeStrings(v)
		case k == "tags":
			a.Tags, err = decodeStrings(v)
		default:
			if a.Extra == nil {
				a.Extra = map[string]json.RawMessage{}
			}
			a.Extra[k] = v
		}
		if err != nil {
			return Article{}, invalid("field %q: %v", k, err)
		}
	}
	switch {
	case fields["id"] == nil:
		return Article{}, invalid(`no "id"`)
	case strings.TrimSpace(a.ID) == "":
		return Article{}, invalid(`"id" is empty`)
	case CheckID(a.ID) != nil:
		return Article{}, invalid(`"id": %v`, CheckID(a.ID))
	case strings.TrimSpace(a.Title) == "" && strings.TrimSpace(a.Body) == "":
		return Article{}, invalid(`%s: "title" and "body" are both empty`, a.ID)
	}
	if published == "" {
		published = date
	}
	var err error
	if a.PublishedAt, err = articleDate(a.ID, "published_at", published); err != nil {
		return Article{}, err
	}
	if a.UpdatedAt, err = articleDate(a.ID, "updated_at", updated); err != nil {
		return Article{}, err
	}
	return a, nil
}

// MaxIDBytes bounds an article id, as Elasticsearch bounds _id.
const MaxIDBytes = 512

// CheckID says what is wrong with a non-empty article id, or nil: longer
// than MaxIDBytes, or holding control characters. Every write checks it
// (ParseArticle), and so do the server's article paths, so an id that can
// be stored can also be fetched, replaced and deleted.
func CheckID(id string) error {
	switch {
	case len(id) > MaxIDBytes:
		return fmt.Errorf("the id is %d bytes long; at most %d are accepted", len(id), MaxIDBytes)
	case strings.ContainsFunc(id, unicode.IsControl): // C0, DEL and C1
		return errors.New("the id holds control characters")
	}
	return nil
}

// articleDate parses the date field name of article id ("" is no date). A
// date must lie within those bleve indexes (minDate, 1678, to maxDate,
// 2262): an article dated 1600 or 0001-01-01 could be stored but not found
// by a date range nor sorted by date, and the date histogram would stretch
// to it, so it is rejected with its line instead.
func articleDate(id, name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := parseDate(s)
	if err != nil {
		return time.Time{}, invalid("%s: field %q: %v", id, name, err)
	}
	if t.Before(minDate) || !t.Before(maxDate) {
		return time.Time{}, invalid("%s: field %q: %s is outside the dates an index can search, the years 1678 to 2261 in UTC",
			id, name, t.UTC().Format(time.RFC3339))
	}
	return t, nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArticle, fmt.Sprintf(format, args...))
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// decodeString accepts a JSON string or null. v comes from a document
// already decoded, so a string without escapes is its bytes between the
// quotes (the line is valid UTF-8, checked first), and one with escapes is
// mostly what strconv.Unquote makes of it: json.Unmarshal would validate
// it once more before decoding it.
func decodeString(v json.RawMessage, dst *string) error {
	if string(v) == "null" {
		return nil
	}
	if n := len(v); n >= 2 && v[0] == '"' && v[n-1] == '"' {
		if bytes.IndexByte(v, '\\') < 0 {
			*dst = string(v[1 : n-1])
			return nil
		}
		// Go's escapes include JSON's but \/ and surrogate pairs, which
		// fail here and are left to json.Unmarshal; JSON's other escapes
		// mean the same in Go, and Go's own cannot be in valid JSON.
		if u, err := strconv.Unquote(string(v)); err == nil {
			*dst = u
			return nil
		}
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("want a string, got %s", jsonKind(v))
	}
	return nil
}

// decodeStrings accepts a string, a list of strings or null.
func decodeStrings(v json.RawMessage) ([]string, error) {
	var one string
	if err := decodeString(v, &one); err == nil {
		if one == "" {
			return nil, nil
		}
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(v, &many); err != nil {
		return nil, fmt.Errorf("want a string or a list of strings, got %s", jsonKind(v))
	}
	return many, nil
}

func jsonKind(v json.RawMessage) string {
	switch t := bytes.TrimSpace(v); {
	case len(t) == 0:
		return "nothing"
	case t[0] == '"':
		return "a string"
	case t[0] == '[':
		return "a list of other things"
	case t[0] == '{':
		return "an object"
	case t[0] == 't' || t[0] == 'f':
		return "a boolean"
	default:
		return "a number"
	}
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD", s)
}
