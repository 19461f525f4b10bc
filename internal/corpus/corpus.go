// Package corpus reads JSON Lines files of articles, plain or gzip-compressed.
package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
)

// Lines calls fn with every non-blank line of the file at path (1-based line
// numbers, the newline removed), stopping at the first error fn returns. A
// path ending in .gz is decompressed; "-" reads standard input. Lines of any
// length are read whole; the caller decides which are too long.
func Lines(path string, fn func(line int, text []byte) error) error {
	r, closeFn, err := Open(path, nil)
	if err != nil {
		return err
	}
	defer closeFn()
	return Read(r, path, fn)
}

// Open opens path for Read ("-" is standard input) and counts the bytes read
// from the file itself (compressed bytes for .gz) into counted, if not nil.
func Open(path string, counted *atomic.Int64) (io.Reader, func(), error) {
	var f *os.File
	if path == "-" {
		f = os.Stdin
	} else {
		var err error
		if f, err = os.Open(path); err != nil {
			return nil, nil, err
		}
	}
	closeFn := func() {
		if f != os.Stdin {
			f.Close()
		}
	}
	var r io.Reader = f
	if counted != nil {
		r = &countingReader{r: f, n: counted}
	}
	return r, closeFn, nil
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Read is Lines over an open reader; name is used in errors and, when it
// ends in .gz, says the stream is gzip-compressed.
func Read(r io.Reader, name string, fn func(line int, text []byte) error) error {
	if strings.HasSuffix(name, ".gz") {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer gz.Close()
		r = gz
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var long []byte // a line longer than the buffer, assembled
	n := 0
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, chunk...)
			continue
		}
		line := chunk
		if long != nil {
			line = append(long, chunk...)
			long = nil
		}
		if len(line) > 0 {
			n++
			line = bytes.TrimRight(line, "\r\n")
			if len(bytes.TrimSpace(line)) > 0 {
				if ferr := fn(n, line); ferr != nil {
					return ferr
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, n+1, err)
		}
	}
}
