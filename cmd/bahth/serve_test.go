package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startServe runs `bahth serve` with env added to the environment and
// returns its base URL, the first line it printed and a stop function that
// sends SIGTERM and returns the exit error.
func startServe(t *testing.T, env []string, args ...string) (base, banner string, stop func() error) {
	t.Helper()
	cmd := exec.Command(bahthBin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(out).ReadString('\n')
		lines <- l
		io.Copy(io.Discard, out)
	}()
	select {
	case banner = <-lines:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("serve printed nothing in 30s; stderr: %s", stderr.String())
	}
	_, rest, ok := strings.Cut(banner, " at ")
	if !ok {
		cmd.Process.Kill()
		t.Fatalf("banner %q; stderr: %s", banner, stderr.String())
	}
	base = strings.TrimSuffix(strings.Fields(rest)[0], "/")
	return base, banner, func() error {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			return io.ErrUnexpectedEOF
		}
	}
}

// TestServeSamples: with no index, serve builds the samples' index into
// the cache directory, answers at once, writes with the key from the
// environment, stops cleanly on SIGTERM, and the next run reuses the index.
// bench-http runs against it without errors.
func TestServeSamples(t *testing.T) {
	cache := t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + cache, "BAHTH_API_KEY=k1", "BAHTH_RATE_LIMIT=0", "BAHTH_INDEX="}
	base, banner, stop := startServe(t, env)
	if !strings.Contains(banner, "serving 45 articles from "+filepath.Join(cache, "bahth")) {
		t.Errorf("banner %q", banner)
	}
	resp, err := http.Get(base + "/v1/search?q=Samsung")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("search: %v %v", resp, err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodPut, base+"/v1/articles/t1", strings.NewReader(`{"title":"اختبار الكتابة"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer k1")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("put with the key from BAHTH_API_KEY: %v %v", resp, err)
	}
	queries := filepath.Join(t.TempDir(), "q.tsv")
	os.WriteFile(queries, []byte("a\tSamsung الدقم\nb\tالاستثمار في عمان\n"), 0o644)
	stdout, stderr, code := run(t, "", "bench-http", "--url", base, "--queries", queries, "--duration", "300ms", "--warmup", "0s", "--concurrency", "2")
	if code != 0 || !strings.Contains(stdout, "| search | 2 |") || !strings.Contains(stdout, "| suggest | 2 |") {
		t.Errorf("bench-http: exit %d\n%s%s", code, stdout, stderr)
	}
	if err := stop(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	entries, _ := filepath.Glob(filepath.Join(cache, "bahth", "samples-*"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %v", entries)
	}
	_, banner2, stop2 := startServe(t, env)
	defer stop2()
	if !strings.Contains(banner2, "serving 46 articles from "+filepath.Join(entries[0], "index")) {
		t.Errorf("second run did not reuse the sample index (with its write): %q", banner2)
	}
}

func TestServeFlagsAndEnv(t *testing.T) {
	stdout, _, code := run(t, "", "serve", "--help")
	for _, env := range []string{"BAHTH_ADDR", "BAHTH_INDEX", "BAHTH_API_KEY", "BAHTH_CORS_ORIGINS", "BAHTH_RATE_LIMIT", "BAHTH_SEARCH_TIMEOUT"} {
		if !strings.Contains(stdout, env) {
			t.Errorf("serve --help does not mention %s", env)
		}
	}
	if code != 0 {
		t.Errorf("--help exit %d", code)
	}
	dir := filepath.Join(t.TempDir(), "ix")
	base, banner, stop := startServe(t, []string{"BAHTH_INDEX=" + dir, "BAHTH_CORS_ORIGINS=https://news.example"})
	defer stop()
	if !strings.Contains(banner, "serving 0 articles from "+dir) {
		t.Errorf("BAHTH_INDEX not used: %q", banner)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/search", nil)
	req.Header.Set("Origin", "https://news.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://news.example" {
		t.Errorf("BAHTH_CORS_ORIGINS not used: %v", resp.Header)
	}
	if _, stderr, code := run(t, "", "serve", "--cors-origins", "news.example"); code == 0 || !strings.Contains(stderr, "not an origin") {
		t.Errorf("a bad origin should fail: %d %s", code, stderr)
	}
	cmd := exec.Command(bahthBin, "serve")
	cmd.Env = append(os.Environ(), "BAHTH_RATE_LIMIT=fast")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "BAHTH_RATE_LIMIT") {
		t.Errorf("a bad environment value should fail: %v %s", err, out)
	}
}
