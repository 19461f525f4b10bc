// Package samples embeds the sample articles the project wrote itself, so
// the binary can run on a fresh machine with no data.
package samples

import _ "embed"

// Articles is a JSON Lines file of original Arabic news-style articles.
//
//go:embed articles.jsonl
var Articles []byte
