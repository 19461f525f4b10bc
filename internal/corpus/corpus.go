// Package corpus reads JSON Lines files of articles, plain or gzip-compressed.
package corpus

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// MaxLine is the longest line Lines accepts.
const MaxLine = 16 << 20

// Lines calls fn with every non-blank line of the file at path (1-based line
// numbers), stopping at the first error fn returns. A path ending in .gz is
// decompressed; "-" reads standard input. The line slice is reused between
// calls.
func Lines(path string, fn func(line int, text []byte) error) error {
	var r io.Reader
	if path == "-" {
		r = os.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	return Read(r, path, fn)
}

// Read is Lines over an open reader; name is used in errors and, when it
// ends in .gz, says the stream is gzip-compressed.
func Read(r io.Reader, name string, fn func(line int, text []byte) error) error {
	path := name
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), MaxLine)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("%s:%d: line longer than %d bytes", path, n+1, MaxLine)
		}
		return fmt.Errorf("%s:%d: %w", path, n+1, err)
	}
	return nil
}
