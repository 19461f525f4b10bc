package index_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bahth/bahth/index"
)

// The test binary doubles as the writer process that TestKill9 kills and
// the builder that TestBuildKill9 kills.
func TestMain(m *testing.M) {
	if dir := os.Getenv("BAHTH_TEST_WRITER"); dir != "" {
		runWriter(dir)
		return
	}
	if dir := os.Getenv("BAHTH_TEST_BUILDER"); dir != "" {
		runBuilder(dir)
		return
	}
	os.Exit(m.Run())
}

const writerBatch = 300

// runWriter adds batches of articles for ever, printing "ack N" once the
// first N articles are acknowledged (Add returned).
func runWriter(dir string) {
	ix, err := index.OpenOrCreate(dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	for b := 0; ; b++ {
		batch := make([]index.Article, writerBatch)
		for i := range batch {
			id := fmt.Sprintf("k%05d", b*writerBatch+i)
			batch[i] = index.Article{ID: id, Title: "خبر " + id, Body: strings.Repeat("نص الخبر عن الاقتصاد والسياسة "+id+" ", 60)}
		}
		if err := ix.Add(batch); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Printf("ack %d\n", (b+1)*writerBatch)
	}
}

// TestKill9 kills a writer mid-stream with SIGKILL: the index opens without
// repair and holds every article the writer had acknowledged.
func TestKill9(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BAHTH_TEST_WRITER="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "ack "); ok {
			acked, _ = strconv.Atoi(n)
			if acked >= 3*writerBatch {
				break
			}
			continue
		}
		t.Fatalf("writer: %s", line)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no chance to close the index
		t.Fatal(err)
	}
	cmd.Wait()
	if acked == 0 {
		t.Fatal("the writer acknowledged nothing")
	}

	ix, err := index.Open(dir)
	if err != nil {
		t.Fatalf("index does not open after kill -9: %v", err)
	}
	defer ix.Close()
	n, err := ix.Count()
	if err != nil || int(n) < acked {
		t.Fatalf("count after kill -9 = %d (%v); the writer had acknowledged %d", n, err, acked)
	}
	for _, i := range []int{0, acked / 2, acked - 1} {
		id := fmt.Sprintf("k%05d", i)
		res, err := ix.Search(context.Background(), index.Request{Query: id})
		if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != id {
			t.Errorf("acknowledged article %s is missing after kill -9 (%v)", id, err)
		}
	}
}
