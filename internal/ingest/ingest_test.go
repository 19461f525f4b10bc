package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bahth/bahth/internal/ingest"
)

func TestRunRejectsAndSummary(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	data := "{\"id\":\"a\",\"title\":\"خبر أول\"}\nnot json\n{\"id\":\"b\",\"body\":\"نص\",\"extra\":1}\n"
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	ixDir := filepath.Join(dir, "ix")
	var log bytes.Buffer
	err := ingest.Run(context.Background(), ingest.Config{Index: ixDir, Files: []string{in}}, &log)
	if !errors.Is(err, ingest.ErrRejected) {
		t.Fatalf("Run = %v; want ErrRejected", err)
	}
	if !strings.Contains(err.Error(), ixDir+".rejects.jsonl") {
		t.Errorf("error %q does not say where the rejected lines are", err)
	}
	for _, want := range []string{in + ":2: invalid article: not a JSON object", `field "extra"`, "added 2, updated 0, deleted 0, rejected 1"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log does not say %q:\n%s", want, log.String())
		}
	}
	rej, err := os.ReadFile(ixDir + ".rejects.jsonl")
	if err != nil || string(rej) != "not json\n" {
		t.Errorf("rejects file = %q, %v; want the bad line whole", rej, err)
	}

	// Loading again updates; deleting removes.
	ids := filepath.Join(dir, "ids.txt")
	os.WriteFile(ids, []byte("a\n# a comment\nmissing\n"), 0o644)
	log.Reset()
	err = ingest.Run(context.Background(), ingest.Config{Index: ixDir, Files: []string{in}, Delete: ids, Rejects: filepath.Join(dir, "r2")}, &log)
	if !errors.Is(err, ingest.ErrRejected) {
		t.Fatalf("second Run = %v", err)
	}
	if !strings.Contains(log.String(), "added 0, updated 2, deleted 1, rejected 1") {
		t.Errorf("second summary wrong:\n%s", log.String())
	}
}

func TestRunNothingToDo(t *testing.T) {
	if err := ingest.Run(context.Background(), ingest.Config{Index: filepath.Join(t.TempDir(), "ix")}, &bytes.Buffer{}); err == nil {
		t.Error("Run with no files and no deletions succeeded")
	}
}
