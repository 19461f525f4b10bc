package index

import (
	"context"
	"fmt"
)

// Get returns the stored article with this id. An unknown id is
// ErrNotFound (wrapped with the id).
func (ix *Index) Get(ctx context.Context, id string) (Article, error) {
	h, err := ix.storedArticle(ctx, id, sourceField)
	if err != nil {
		return Article{}, err
	}
	a, err := storedSource(h.Fields)
	if err != nil {
		return Article{}, fmt.Errorf("stored article %q: %w", id, err)
	}
	return a, nil
}
