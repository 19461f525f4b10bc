package analyzer_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bahth/bahth/analyzer"
)

// update rewrites the goldens: go test ./analyzer -update. A changed golden
// is reviewed like code (STYLE.md rule 8).
var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

const (
	articlePath  = "../testdata/fixtures/article.txt"
	articleGold  = "testdata/article.golden"
	goldenHeader = "# position\tstart:end\tterm\tsurface — ar_news_v3 over ../testdata/fixtures/article.txt\n" +
		"# rewrite with: go test ./analyzer -run TestGoldenArticle -update\n"
)

// dumpTokens renders one line per token: position, byte offsets, term and
// surface, tab-separated.
func dumpTokens(t *testing.T, in string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(goldenHeader)
	for _, x := range analyzer.NewNews().Analyze([]byte(in)) {
		if x.Start < 0 || x.Start > x.End || x.End > len(in) {
			t.Fatalf("token %q has offsets [%d:%d] outside the input (%d bytes)", x.Term, x.Start, x.End, len(in))
		}
		fmt.Fprintf(&b, "%d\t%d:%d\t%s\t%s\n", x.Position, x.Start, x.End, x.Term, in[x.Start:x.End])
	}
	return b.String()
}

func TestGoldenArticle(t *testing.T) {
	raw, err := os.ReadFile(articlePath)
	if err != nil {
		t.Fatal(err)
	}
	got := dumpTokens(t, string(raw))
	if *update {
		if err := os.MkdirAll(filepath.Dir(articleGold), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(articleGold, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", articleGold)
		return
	}
	want, err := os.ReadFile(articleGold)
	if err != nil {
		t.Fatalf("%v (create it with: go test ./analyzer -run TestGoldenArticle -update)", err)
	}
	if d := lineDiff(string(want), got, 20); d != "" {
		t.Errorf("tokens of %s differ from %s (review, then go test ./analyzer -update):\n%s", articlePath, articleGold, d)
	}
}

// lineDiff is a small diff for goldens: it skips the common head and tail,
// then shows the differing lines of each side (up to max per side), with
// their line numbers. Invisible characters are shown escaped.
func lineDiff(want, got string, max int) string {
	if want == got {
		return ""
	}
	w := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	g := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	head := 0
	for head < len(w) && head < len(g) && w[head] == g[head] {
		head++
	}
	tail := 0
	for tail < len(w)-head && tail < len(g)-head && w[len(w)-1-tail] == g[len(g)-1-tail] {
		tail++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "golden: %d lines, got: %d lines; first difference at line %d\n", len(w), len(g), head+1)
	side := func(sign string, lines []string, from int) {
		for i, l := range lines {
			if i == max {
				fmt.Fprintf(&b, "%s ... %d more lines\n", sign, len(lines)-max)
				break
			}
			fmt.Fprintf(&b, "%s %4d  %s\n", sign, from+i+1, readable(l))
		}
	}
	side("-", w[head:len(w)-tail], head)
	side("+", g[head:len(g)-tail], head)
	return b.String()
}

// readable escapes the characters a terminal would not show.
func readable(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("\t")
		case r < ' ', r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
			r == 0xFEFF, r == 0x00AD, r == 0x061C:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestLineDiff(t *testing.T) {
	if d := lineDiff("a\nb\n", "a\nb\n", 5); d != "" {
		t.Errorf("equal inputs: diff %q", d)
	}
	d := lineDiff("1\ta\n2\tb\n3\tc\n", "1\ta\n2\tB\u200F\n3\tc\n", 5)
	for _, want := range []string{"first difference at line 2", "-    2  2\tb", "+    2  2\tB\\u200F"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
}
