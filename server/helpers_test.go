package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bahth/bahth/analyzer"
	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/samples"
)

// shared is the index of the sample articles that read-only tests share;
// tests that write build their own (newSampleIndex).
var shared *index.Index

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bahth-server-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared, err = buildSamples(filepath.Join(dir, "index"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	shared.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

func buildSamples(dir string) (*index.Index, error) {
	ix, err := index.Create(dir)
	if err != nil {
		return nil, err
	}
	var st index.IngestStats
	if err := ix.Ingest(context.Background(), bytes.NewReader(samples.Articles), "samples", index.IngestOptions{}, &st); err != nil {
		return nil, err
	}
	return ix, nil
}

// newSampleIndex builds a private sample index in t.TempDir().
func newSampleIndex(t testing.TB) (*index.Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := buildSamples(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

func analyzeTokens(name, text string) ([]Token, error) {
	toks, err := analyzer.AnalyzeNamed(name, text)
	out := make([]Token, len(toks))
	for i, t := range toks {
		out[i] = Token(t)
	}
	return out, err
}

// testConfig is the configuration of test servers: no rate limit unless
// a test sets one, the analyzers wired in, a write key.
func testConfig() Config {
	return Config{RateLimit: -1, APIKey: testKey, Analyze: analyzeTokens, Analyzers: analyzer.Names}
}

const testKey = "s3cret-key"

func newServer(t *testing.T, ix Engine, cfg Config) http.Handler {
	t.Helper()
	return New(ix, cfg).Handler()
}

// response is a recorded answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("status %d, body is not JSON (%v): %.300s", r.Status, err, r.Body)
	}
}

// errorCode returns the code of an error response, failing the test if the
// body is not the one error shape.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	var e struct {
		Error *struct{ Code, Message string } `json:"error"`
	}
	r.json(t, &e)
	if e.Error == nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("status %d, not an error shape: %.300s", r.Status, r.Body)
	}
	return e.Error.Code
}

// req is one request to make.
type req struct {
	method, target string
	body           string
	header         map[string]string
}

func do(t *testing.T, h http.Handler, r req) response {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, "http://bahth.test"+r.target, body)
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, hr)
	return response{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

func get(t *testing.T, h http.Handler, target string) response {
	t.Helper()
	return do(t, h, req{target: target})
}

// authJSON are the headers of an authorized JSON write.
func authJSON() map[string]string {
	return map[string]string{"Authorization": "Bearer " + testKey, "Content-Type": "application/json"}
}
