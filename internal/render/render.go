// Package render prints search results for people (a terminal) and for
// scripts (JSON).
package render

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/bahth/bahth/index"
)

// JSON writes the result as indented JSON.
func JSON(w io.Writer, res *index.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

const (
	bold   = "\x1b[1m"
	yellow = "\x1b[1;33m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

// Terminal writes a readable page of results: one block per hit with its
// title, date, section and source, and snippets whose marked words are
// shown in colour when color is set and between »« otherwise.
func Terminal(w io.Writer, res *index.Result, req index.Request, color bool) error {
	st := styles{color: color}
	p := &errWriter{w: w}
	if res.SuggestionUsed {
		p.printf("Showing results for %s (a word as typed is in no article)\n\n", st.b(res.Suggestion))
	} else if res.Suggestion != "" {
		p.printf("Did you mean: %s\n\n", st.b(res.Suggestion))
	}
	first := (req.Page-1)*req.Size + 1
	if req.Cursor != "" || req.Page < 1 {
		first = 1
	}
	atLeast := "" // counting stopped at index.TotalLimit
	if res.TotalRelation == index.RelationGTE {
		atLeast = "+"
	}
	p.printf("%d%s results (%s)\n", res.Total, atLeast, res.Took.Round(time.Microsecond))
	for i, h := range res.Hits {
		a := h.Article
		p.printf("\n%s %s\n", st.d(fmt.Sprintf("%3d.", first+i)), st.marks(h.Title, bold))
		var meta []string
		if !a.PublishedAt.IsZero() {
			meta = append(meta, a.PublishedAt.Format(time.DateOnly))
		}
		for _, s := range []string{a.Section, a.Source, strings.Join(a.Authors, "، ")} {
			if s != "" {
				meta = append(meta, s)
			}
		}
		meta = append(meta, "id "+h.ID, fmt.Sprintf("score %.3f", h.Score))
		p.printf("     %s\n", st.d(strings.Join(meta, " · ")))
		for _, s := range h.Snippets {
			p.printf("     %s\n", st.marks(s, ""))
		}
		if len(h.Copies) > 0 {
			p.printf("     %s\n", st.d(fmt.Sprintf("+%d wire copies: %s", len(h.Copies), strings.Join(h.Copies, ", "))))
		}
		if h.Explanation != nil {
			explain(p, h.Explanation, "     ")
		}
	}
	for _, name := range req.Facets {
		if vals, ok := res.Facets[name]; ok && len(vals) > 0 {
			var parts []string
			for _, v := range vals {
				parts = append(parts, fmt.Sprintf("%s (%d)", v.Value, v.Count))
			}
			p.printf("\n%s: %s\n", st.b(name), strings.Join(parts, " · "))
		}
	}
	if len(res.Dates) > 0 {
		var parts []string
		for _, d := range res.Dates {
			if d.Count > 0 {
				parts = append(parts, fmt.Sprintf("%s (%d)", d.Key, d.Count))
			}
		}
		p.printf("\n%s: %s\n", st.b("date"), strings.Join(parts, " · "))
	}
	if res.NextCursor != "" {
		p.printf("\n%s --cursor %s\n", st.d("next page:"), res.NextCursor)
	}
	return p.err
}

func explain(p *errWriter, e *index.Explanation, indent string) {
	p.printf("%s%.4f %s\n", indent, e.Value, e.Message)
	for _, c := range e.Children {
		explain(p, c, indent+"  ")
	}
}

type styles struct{ color bool }

func (s styles) wrap(code, text string) string {
	if !s.color {
		return text
	}
	return code + text + reset
}
func (s styles) b(t string) string { return s.wrap(bold, t) }
func (s styles) d(t string) string { return s.wrap(dim, t) }

// marks turns a fragment with <mark> tags and HTML escapes into terminal
// text, the marked words in colour (or between »« without colour); base is
// the style of the rest.
func (s styles) marks(frag, base string) string {
	open, closeTag := "»", "«"
	if s.color {
		open, closeTag = yellow, reset+base
	}
	frag = strings.NewReplacer("<mark>", open, "</mark>", closeTag).Replace(frag)
	return s.wrap(base, html.UnescapeString(frag))
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
