// Package samples embeds the sample articles the project wrote itself, so
// the binary can run on a fresh machine with no data.
//
// README.md beside articles.jsonl lists which samples are wire copies of one
// another and which are related stories; Groups reads that list.
package samples

import (
	"bytes"
	_ "embed"
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
