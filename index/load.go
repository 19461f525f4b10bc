package index

import (
	"errors"
	"fmt"
	"io"

	"github.com/bahth/bahth/internal/corpus"
)

// LoadFile indexes every article of a JSON Lines file (plain, .gz, or "-"
// for stdin) in batches and returns how many were indexed. A malformed line
// is skipped and the rest still loads; the returned error then names each
// rejected line as FILE:LINE: reason (wrapping ErrInvalidArticle). An error
// reading the file or writing the index stops the load.
func (ix *Index) LoadFile(path string) (int, error) {
	return ix.load(path, func(fn func(int, []byte) error) error { return corpus.Lines(path, fn) })
}

// Load is LoadFile over an open reader; name is used in errors.
func (ix *Index) Load(r io.Reader, name string) (int, error) {
	return ix.load(name, func(fn func(int, []byte) error) error { return corpus.Read(r, name, fn) })
}

func (ix *Index) load(name string, lines func(func(int, []byte) error) error) (int, error) {
	const batchSize = 500
	batch := make([]Article, 0, batchSize)
	n := 0
	var rejected []error
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ix.Add(batch); err != nil {
			return err
		}
		n += len(batch)
		batch = batch[:0]
		return nil
	}
	err := lines(func(line int, text []byte) error {
		a, err := ParseArticle(text)
		if err != nil {
			rejected = append(rejected, fmt.Errorf("%s:%d: %w", name, line, err))
			return nil
		}
		batch = append(batch, a)
		if len(batch) == batchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return n, err
	}
	if len(rejected) > 0 {
		return n, fmt.Errorf("%d lines rejected: %w", len(rejected), errors.Join(rejected...))
	}
	return n, nil
}
