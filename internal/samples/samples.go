// Package samples embeds the sample articles the project wrote itself, so
// the binary can run on a fresh machine with no data.
//
// README.md beside articles.jsonl lists which samples are wire copies of one
// another and which are related stories; ReadGroups reads that list.
package samples

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

// Articles is a JSON Lines file of original Arabic news-style articles.
//
//go:embed articles.jsonl
var Articles []byte

// Count returns the number of articles in Articles (its non-blank lines).
func Count() int {
	n := 0
	for line := range bytes.Lines(Articles) {
		if len(bytes.TrimSpace(line)) > 0 {
			n++
		}
	}
	return n
}

//go:embed README.md
var readme []byte

// Groups are the sets of sample ids that README.md lists.
type Groups struct {
	// Wire lists wire copies: one agency story run by several sources with
	// small edits. The first id of each group is the original story.
	Wire [][]string
	// Related lists stories on one subject that are not copies: a
	// follow-up days later, or the same event from another angle.
	Related [][]string
}

// ReadGroups parses the group lines of README.md, list items of the form
// "- wire: s05 s06 — note" or "- related: s02 s03 — note". The ids run up to the "—" (or the end of the line). A line of either kind
// with fewer than two ids, or with one id twice, is an error; other lines are
// prose and ignored.
func ReadGroups() (Groups, error) { return parseGroups(readme) }

func parseGroups(text []byte) (Groups, error) {
	var g Groups
	n := 0
	for line := range bytes.Lines(text) {
		n++
		s := strings.TrimPrefix(strings.TrimSpace(string(line)), "- ")
		kind, rest, ok := strings.Cut(s, ":")
		var dst *[][]string
		switch {
		case ok && kind == "wire":
			dst = &g.Wire
		case ok && kind == "related":
			dst = &g.Related
		default:
			continue
		}
		list, _, _ := strings.Cut(rest, "—")
		ids := strings.Fields(list)
		if len(ids) < 2 {
			return Groups{}, fmt.Errorf("samples README.md line %d: a %s group needs two ids or more, got %q", n, kind, ids)
		}
		for i, id := range ids {
			if slices.Contains(ids[:i], id) {
				return Groups{}, fmt.Errorf("samples README.md line %d: %s listed twice", n, id)
			}
		}
		*dst = append(*dst, ids)
	}
	return g, nil
}
