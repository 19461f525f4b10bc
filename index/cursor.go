package index

import (
	"encoding/base64"
	"encoding/json"

	"github.com/blevesearch/bleve/v2/search"
)

// A cursor is the sort values of the last hit of a page (bleve's
// search_after), with the sort order they belong to, as URL-safe base64 of
// JSON. Each value is itself base64 because a date's sort value is bleve's
// binary prefix coding. Paging by cursor sees every hit once in a stable
// order (score or date, then id) however deep it goes; a write between two
// pages may shift later hits, as with Elasticsearch's search_after.
type cursor struct {
	Sort   string   `json:"s"`
	Values [][]byte `json:"v"`
}

func encodeCursor(sortBy string, h *search.DocumentMatch) string {
	vals := cursorValues(sortBy, h)
	c := cursor{Sort: sortBy, Values: make([][]byte, len(vals))}
	for i, v := range vals {
		c.Values[i] = []byte(v)
	}
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// decodeCursor returns the search_after values of a cursor made by a
// search with the same sort order.
func decodeCursor(s, sortBy string) ([]string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err != nil || len(c.Values) != 2 {
		return nil, invalidf("cursor is not one this server returned (pass next_cursor from the previous page unchanged)")
	}
	if c.Sort != sortBy {
		return nil, invalidf("cursor was made for sort=%s, not sort=%s", c.Sort, sortBy)
	}
	out := make([]string, len(c.Values))
	for i, v := range c.Values {
		out[i] = string(v)
	}
	return out, nil
}
