package evaluate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/evaluate"
)

// A tiny collection: five articles on unrelated subjects, three families of
// queries. "easy" queries name words only their relevant article holds (one
// in another spelling: مسئول for مسؤول), so they must score RR 1; the "miss"
// query shares no word with any article, so it must score 0.
const (
	tinyDocs = `{"id":"d1","title":"افتتاح خط قطار سريع بين مدينتين","body":"افتتحت الحكومة خط القطار السريع الجديد الذي يختصر الرحلة إلى ساعتين."}
{"id":"d2","title":"مسؤول نفطي يتوقع ارتفاع الأسعار","body":"قال مسؤول في وزارة النفط إن أسعار الخام سترتفع خلال الشتاء."}
{"id":"d3","title":"حملة تطعيم ضد الكوليرا","body":"بدأت في السودان حملة تطعيم واسعة ضد الكوليرا تستهدف مليوني شخص."}
{"id":"d4","title":"فريق الشروق يفوز بالكأس","body":"فاز فريق الشروق بالكأس بعد ركلات الترجيح في المباراة النهائية."}
{"id":"d5","title":"معرض للكتاب في المدينة القديمة","body":"يستضيف المعرض مئات دور النشر ويستمر أسبوعين."}
`
	tinyQueries = "easy-1\tالكوليرا السودان\n" +
		"easy-2\tمسئول النفط\n" +
		"easy-3\tركلات الترجيح الشروق\n" +
		"miss-1\tطائرة مسيرة\n"
	tinyQrels = "easy-1 0 d3 1\n" +
		"easy-2 0 d2 1\n" +
		"easy-3 0 d4 1\n" +
		"miss-1 0 d5 1\n"
)

type scores struct {
	NDCG10    *float64 `json:"ndcg@10"`
	MRR10     *float64 `json:"mrr@10"`
	Recall100 *float64 `json:"recall@100"`
	MAP100    *float64 `json:"map@100"`
	Queries   *int     `json:"queries"`
}

// writeCollection writes the tiny collection and returns a Config for it.
func writeCollection(t *testing.T) evaluate.Config {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return evaluate.Config{
		Docs:    write("docs.jsonl", tinyDocs),
		Queries: write("queries.tsv", tinyQueries),
		Qrels:   write("qrels.txt", tinyQrels),
		JSON:    true,
		Ranking: index.DefaultRanking,
	}
}

func runJSON(t *testing.T, cfg evaluate.Config) (map[string]json.RawMessage, string) {
	t.Helper()
	var out, log bytes.Buffer
	if err := evaluate.Run(context.Background(), cfg, &out, &log); err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, log.String())
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &top); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out.String())
	}
	return top, log.String()
}

func TestRunJSON(t *testing.T) {
	cfg := writeCollection(t)
	cfg.RunFile = filepath.Join(t.TempDir(), "run.trec")
	top, log := runJSON(t, cfg)

	for _, k := range []string{"ndcg@10", "mrr@10", "recall@100", "map@100", "queries", "by_prefix"} {
		if _, ok := top[k]; !ok {
			t.Errorf("JSON output has no %q key; keys: %v", k, keys(top))
		}
	}
	var overall scores
	if err := json.Unmarshal(mustMarshal(t, top), &overall); err != nil {
		t.Fatal(err)
	}
	if overall.Queries == nil || *overall.Queries != 4 {
		t.Errorf("queries = %v, want 4", overall.Queries)
	}
	if overall.MRR10 == nil || *overall.MRR10 != 0.75 {
		t.Errorf("mrr@10 = %v, want 0.75 (three queries at RR 1, one at 0)", deref(overall.MRR10))
	}

	var byPrefix map[string]scores
	if err := json.Unmarshal(top["by_prefix"], &byPrefix); err != nil {
		t.Fatal(err)
	}
	easy, miss := byPrefix["easy"], byPrefix["miss"]
	if easy.MRR10 == nil || *easy.MRR10 != 1 || easy.NDCG10 == nil || *easy.NDCG10 != 1 {
		t.Errorf("easy queries: mrr@10 %v ndcg@10 %v, want 1 and 1: each relevant article is the only match",
			deref(easy.MRR10), deref(easy.NDCG10))
	}
	if miss.MRR10 == nil || *miss.MRR10 != 0 || miss.Recall100 == nil || *miss.Recall100 != 0 {
		t.Errorf("miss query: mrr@10 %v recall@100 %v, want 0 and 0", deref(miss.MRR10), deref(miss.Recall100))
	}
	if !strings.Contains(log, "indexed 5 documents") {
		t.Errorf("log %q does not report the 5 documents indexed", log)
	}

	run, err := os.ReadFile(cfg.RunFile)
	if err != nil {
		t.Fatalf("run file: %v", err)
	}
	if !strings.Contains(string(run), "easy-1 Q0 d3 1 ") {
		t.Errorf("run file does not rank d3 first for easy-1:\n%s", run)
	}
}

// TestRunKeepsIndex builds a named index on the first run and reuses it,
// without --docs, on the second: the scores must be the same.
func TestRunKeepsIndex(t *testing.T) {
	cfg := writeCollection(t)
	cfg.Index = filepath.Join(t.TempDir(), "index")
	first, _ := runJSON(t, cfg)
	if _, err := os.Stat(cfg.Index); err != nil {
		t.Fatalf("index not kept: %v", err)
	}
	cfg.Docs = ""
	second, log := runJSON(t, cfg)
	if strings.Contains(log, "indexed") {
		t.Errorf("second run re-indexed: %q", log)
	}
	if a, b := string(mustMarshal(t, first)), string(mustMarshal(t, second)); a != b {
		t.Errorf("scores differ on the reused index:\n%s\n%s", a, b)
	}
}

// TestRunZeroRanking: a library caller that leaves Config.Ranking unset
// should get the default ranking, not all-zero weights that match nothing.
func TestRunZeroRanking(t *testing.T) {
	cfg := writeCollection(t)
	cfg.Ranking = index.Ranking{}
	top, _ := runJSON(t, cfg)
	var overall scores
	if err := json.Unmarshal(mustMarshal(t, top), &overall); err != nil {
		t.Fatal(err)
	}
	if overall.MRR10 == nil || *overall.MRR10 == 0 {
		t.Errorf("evaluate.Run with a zero Config.Ranking scored MRR@10 %v; want index.DefaultRanking's non-zero score", overall.MRR10)
	}
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func deref(p *float64) any {
	if p == nil {
		return "missing"
	}
	return *p
}

// TestDevSets runs the three external dev collections in ../shared/eval
// (beside the project, never in it) and logs their scores. It asserts no
// thresholds: it is the one-command way to see the numbers.
//
//	BAHTH_EVAL=1 go test ./internal/evaluate -run TestDevSets -v -timeout 30m
//	BAHTH_EVAL=1 go test ./internal/evaluate -run TestDevSets/kaiflematha -v
//
// news-headlines indexes 70,239 articles: about 9 minutes on 2 cores, more
// than go test's default 10-minute timeout allows with the others.
func TestDevSets(t *testing.T) {
	if os.Getenv("BAHTH_EVAL") != "1" {
		t.Skip("set BAHTH_EVAL=1 to run the dev collections of ../shared/eval (slow; they are not part of the project)")
	}
	root := moduleRoot(t)
	evalDir := filepath.Join(root, "..", "shared", "eval")
	if _, err := os.Stat(evalDir); err != nil {
		t.Skipf("%s not present (../shared not present): %v", evalDir, err)
	}
	for _, c := range []struct{ name, docs string }{
		{"arwiki-qa", "docs.jsonl"},
		{"kaiflematha", "docs.jsonl"},
		{"news-headlines", "docs.jsonl.gz"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(evalDir, c.name)
			cfg := evaluate.Config{
				Docs:    filepath.Join(dir, c.docs),
				Queries: filepath.Join(dir, "queries.dev.tsv"),
				Qrels:   filepath.Join(dir, "qrels.dev.txt"),
				Ranking: index.DefaultRanking,
			}
			if _, err := os.Stat(cfg.Docs); err != nil {
				t.Skipf("%s not present: %v", cfg.Docs, err)
			}
			var out, log bytes.Buffer
			if err := evaluate.Run(context.Background(), cfg, &out, &log); err != nil {
				t.Fatalf("%v\n%s", err, log.String())
			}
			t.Logf("%s: %s\n%s", c.name, strings.TrimSpace(log.String()), out.String())
		})
	}
}

// moduleRoot walks up from the test's directory to the one holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// TestRunFailedBuildLeavesNoIndex: when loading the docs fails, the index
// directory this run made is removed, so a later run does not take it for
// a built index and score an empty one.
func TestRunFailedBuildLeavesNoIndex(t *testing.T) {
	cfg := writeCollection(t)
	cfg.Index = filepath.Join(t.TempDir(), "ix")
	cfg.Docs = filepath.Join(t.TempDir(), "missing.jsonl")
	if err := evaluate.Run(context.Background(), cfg, io.Discard, io.Discard); err == nil {
		t.Fatal("Run with missing docs succeeded")
	}
	if _, err := os.Stat(cfg.Index); !os.IsNotExist(err) {
		t.Errorf("%s is left behind after a failed build (%v)", cfg.Index, err)
	}
}
