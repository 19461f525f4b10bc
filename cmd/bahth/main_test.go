package main

// End-to-end tests of the bahth binary: TestMain builds it once with
// `go build` and each test runs it as a user would.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bahth/bahth/internal/samples"
)

var bahthBin string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "bahth-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bahthBin = filepath.Join(dir, "bahth")
	build := exec.Command("go", "build", "-o", bahthBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// run runs the binary with args and stdin; it returns stdout, stderr and
// the exit code.
func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bahthBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running bahth %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

func TestAnalyzeJSON(t *testing.T) {
	const in = "المَدْرَسَةِ الكبيرة"
	stdout, stderr, code := run(t, "", "analyze", "--json", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var toks []map[string]any
	if err := json.Unmarshal([]byte(stdout), &toks); err != nil {
		t.Fatalf("not a JSON array of objects: %v\n%s", err, stdout)
	}
	if len(toks) != 2 {
		t.Fatalf("%d tokens, want 2:\n%s", len(toks), stdout)
	}
	want := []string{"end", "position", "start", "surface", "term"}
	for i, tok := range toks {
		var got []string
		for k := range tok {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("token %d has keys %v, want exactly %v", i, got, want)
		}
	}
	if s := toks[0]["surface"]; s != "المَدْرَسَةِ" {
		t.Errorf("first surface %q, want المَدْرَسَةِ with its diacritics", s)
	}
	// Offsets are bytes of the input, and the surface is exactly that slice.
	for i, tok := range toks {
		start, _ := tok["start"].(float64)
		end, _ := tok["end"].(float64)
		if int(end) > len(in) || start > end || in[int(start):int(end)] != tok["surface"] {
			t.Errorf("token %d: [%v:%v] does not cut its surface %q out of the input", i, start, end, tok["surface"])
		}
		if term, _ := tok["term"].(string); term == "" || strings.ContainsAny(term, "\u064E\u0652\u0650") {
			t.Errorf("token %d: term %q is empty or keeps diacritics", i, term)
		}
	}

	// No tokens is an empty array, not null.
	stdout, _, code = run(t, "", "analyze", "--json", "من هو")
	if code != 0 || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("stop words only: exit %d, output %q; want []", code, stdout)
	}
}

func TestAnalyzeStdin(t *testing.T) {
	stdout, stderr, code := run(t, "المَدْرَسَةِ الكبيرة\n", "analyze", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var toks []struct{ Surface string }
	if err := json.Unmarshal([]byte(stdout), &toks); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(toks) != 2 || toks[0].Surface != "المَدْرَسَةِ" || toks[1].Surface != "الكبيرة" {
		t.Errorf("tokens of stdin: %+v", toks)
	}
	// The text form too.
	stdout, _, code = run(t, "الكبيرة", "analyze", "-")
	if code != 0 || !strings.Contains(stdout, "الكبيرة") {
		t.Errorf("analyze - (text): exit %d, output %q", code, stdout)
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, cmd := range []string{"analyze", "index", "reindex", "stats", "search", "eval", "demo"} {
		t.Run(cmd, func(t *testing.T) {
			stdout, stderr, code := run(t, "", cmd, "--help")
			if code != 0 {
				t.Fatalf("bahth %s --help: exit %d: %s", cmd, code, stderr)
			}
			if !strings.Contains(stdout, "Usage:") {
				t.Errorf("bahth %s --help printed no usage:\n%s", cmd, stdout)
			}
		})
	}
}

func TestDemo(t *testing.T) {
	stdout, stderr, code := run(t, "", "demo")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "<mark>") {
		t.Errorf("demo printed no <mark>:\n%s", stdout)
	}
	if want := fmt.Sprintf("indexed %d sample articles", samples.Count()); !strings.Contains(stdout, want) {
		t.Errorf("demo did not report the %d samples:\n%s", samples.Count(), stdout)
	}
}

func TestEvalRequiresQueries(t *testing.T) {
	_, stderr, code := run(t, "", "eval", "--qrels", "q.txt")
	if code == 0 {
		t.Fatal("bahth eval without --queries exited 0")
	}
	if !strings.Contains(stderr, "queries") {
		t.Errorf("error does not name the missing flag: %q", stderr)
	}
}

func TestUnknownCommandFails(t *testing.T) {
	if _, _, code := run(t, "", "no-such-command"); code == 0 {
		t.Error("an unknown subcommand exited 0")
	}
	if _, _, code := run(t, "", "analyze"); code == 0 {
		t.Error("analyze without TEXT exited 0")
	}
}

// TestIndexStdinAndStats loads articles from standard input ("-"), reports
// a rejected line with its line number and a non-zero exit, and describes
// the index with stats.
func TestIndexStdinAndStats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	in := "{\"id\":\"a\",\"title\":\"خبر أول\",\"section\":\"اقتصاد\"}\n{\"id\":\"b\",\"body\":\"نص ثان\",\"section\":\"اقتصاد\"}\nbroken\n"
	_, stderr, code := run(t, in, "index", "--index", dir, "-")
	if code == 0 || !strings.Contains(stderr, "-:3: invalid article") || !strings.Contains(stderr, "added 2, updated 0, deleted 0, rejected 1") {
		t.Fatalf("index - exited %d with:\n%s", code, stderr)
	}
	stdout, stderr, code := run(t, "", "stats", "--index", dir, "--json")
	if code != 0 || !strings.Contains(stdout, `"articles":2`) || !strings.Contains(stdout, `"term":"اقتصاد","count":2`) {
		t.Fatalf("stats exited %d: %s %s", code, stdout, stderr)
	}
}

// TestSearch loads the sample articles and searches them as a user would:
// a variant spelling, filters and facets in the terminal, JSON for
// scripts, and a bad parameter.
func TestSearch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	if _, stderr, code := run(t, string(samples.Articles), "index", "--index", dir, "-"); code != 0 {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	// s16 writes الإستثمار; the query writes it without hamza.
	stdout, stderr, code := run(t, "", "search", "--index", dir, "--facets", "section,date", "الاستثمار")
	if code != 0 {
		t.Fatalf("search: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"results (", "»الإستثمار«", "section: ", "date: "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("search output lacks %q:\n%s", want, stdout)
		}
	}
	stdout, stderr, code = run(t, "", "search", "--index", dir, "--json", "--size", "2", "--section", "اقتصاد", "الاستثمار")
	if code != 0 {
		t.Fatalf("search --json: exit %d: %s", code, stderr)
	}
	var res struct {
		Total      int    `json:"total"`
		NextCursor string `json:"next_cursor"`
		Hits       []struct {
			ID      string `json:"id"`
			Article struct {
				Section string `json:"section"`
			} `json:"article"`
			Snippets []string `json:"snippets"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("search --json printed invalid JSON: %v\n%s", err, stdout)
	}
	if len(res.Hits) == 0 || res.Hits[0].Article.Section != "اقتصاد" || len(res.Hits[0].Snippets) == 0 {
		t.Errorf("search --json --section اقتصاد: %s", stdout)
	}
	_, stderr, code = run(t, "", "search", "--index", dir, "--sort", "popular", "x")
	if code == 0 || !strings.Contains(stderr, "sort") {
		t.Errorf("--sort popular: exit %d, stderr %s", code, stderr)
	}
}
