package corpus

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func collect(t *testing.T, path string) ([]int, []string) {
	t.Helper()
	var nums []int
	var lines []string
	if err := Lines(path, func(n int, text []byte) error {
		nums = append(nums, n)
		lines = append(lines, string(text))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return nums, lines
}

func TestLines(t *testing.T) {
	long := strings.Repeat("ب", 3<<20) // longer than the 1 MiB read buffer
	data := "first\r\n\n  \nsecond\n" + long + "\nlast without newline"
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.jsonl")
	os.WriteFile(plain, []byte(data), 0o644)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(data))
	zw.Close()
	gz := filepath.Join(dir, "a.jsonl.gz")
	os.WriteFile(gz, buf.Bytes(), 0o644)

	for _, path := range []string{plain, gz} {
		nums, lines := collect(t, path)
		wantNums := []int{1, 4, 5, 6}
		if len(nums) != 4 || nums[0] != 1 || nums[1] != 4 || nums[2] != 5 || nums[3] != 6 {
			t.Errorf("%s: line numbers %v; want %v (blank lines skipped but counted)", path, nums, wantNums)
			continue
		}
		if lines[0] != "first" || lines[1] != "second" || lines[2] != long || lines[3] != "last without newline" {
			t.Errorf("%s: lines read wrong (first %q, long %d bytes, last %q)", path, lines[0], len(lines[2]), lines[3])
		}
	}
}

func TestLinesBadGzip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.jsonl.gz")
	os.WriteFile(path, []byte("not gzip"), 0o644)
	err := Lines(path, func(int, []byte) error { return nil })
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v should name %s", err, path)
	}
}
