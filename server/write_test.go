package server

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/labstack/echo/v4"
)

// TestWriteVisibleAndDurable: an acknowledged PUT is found by search within
// a second, survives closing and reopening the index, and DELETE removes it.
func TestWriteVisibleAndDurable(t *testing.T) {
	ix, dir := newSampleIndex(t)
	h := newServer(t, ix, testConfig())
	body := `{"title":"مرصد فلكي جديد في وادي رم","body":"افتتح الأردن مرصدا فلكيا في وادي رم لرصد السماء المظلمة.","section":"علوم","published_at":"2026-04-01"}`
	start := time.Now()
	r := do(t, h, req{method: "PUT", target: "/v1/articles/n1", body: body, header: authJSON()})
	if r.Status != http.StatusCreated {
		t.Fatalf("put: %d %s", r.Status, r.Body)
	}
	res := search(t, h, "q="+url.QueryEscape("مرصد وادي رم"))
	if len(res.Hits) == 0 || res.Hits[0].ID != "n1" {
		t.Fatalf("new article not found first: %v", ids(res.Hits))
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("visible after %s, want under 1s", took)
	}
	r = do(t, h, req{method: "PUT", target: "/v1/articles/n1", body: strings.Replace(body, "جديد", "حديث", 1), header: authJSON()})
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"updated"`) {
		t.Fatalf("second put: %d %s", r.Status, r.Body)
	}

	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix2, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	a, err := ix2.Get(context.Background(), "n1")
	if err != nil || !strings.Contains(a.Title, "حديث") {
		t.Fatalf("after reopening: %+v, %v", a, err)
	}
	h2 := newServer(t, ix2, testConfig())
	if r := do(t, h2, req{method: "DELETE", target: "/v1/articles/n1", header: authJSON()}); r.Status != http.StatusOK {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := get(t, h2, "/v1/articles/n1"); r.Status != http.StatusNotFound {
		t.Errorf("deleted article still served: %d", r.Status)
	}
	if res := search(t, h2, "q="+url.QueryEscape("مرصد وادي رم")); len(res.Hits) > 0 && res.Hits[0].ID == "n1" {
		t.Errorf("deleted article still found")
	}
}

// TestBulk: a JSON array and NDJSON with a bad line; the good items are
// stored, the bad ones come back with their reason.
func TestBulk(t *testing.T) {
	ix, _ := newSampleIndex(t)
	h := newServer(t, ix, testConfig())
	nd := `{"id":"b1","title":"خبر أول عن الزراعة المائية"}` + "\n" +
		`{"id":"b2","title":` + "\n" +
		"\n" +
		`{"id":"s01","title":"OpenAI تحدث","body":"نص محدث"}` + "\n"
	r := do(t, h, req{method: "POST", target: "/v1/articles", body: nd, header: map[string]string{
		"Authorization": "Bearer " + testKey, "Content-Type": "application/x-ndjson"}})
	var out BulkResponse
	r.json(t, &out)
	if r.Status != http.StatusOK || out.Added != 1 || out.Updated != 1 || out.Rejected != 1 || !out.Errors || len(out.Items) != 3 {
		t.Fatalf("ndjson: %d %+v", r.Status, out)
	}
	if bad := out.Items[1]; bad.Item != 2 || bad.Error == nil || bad.Error.Code != "invalid_article" {
		t.Errorf("the bad line's result: %+v", bad)
	}
	if ok := out.Items[2]; ok.Item != 4 || ok.ID != "s01" || ok.Result != "indexed" {
		t.Errorf("line 4's result: %+v", ok)
	}
	arr := `[{"id":"b3","title":"خبر ثالث"},{"title":"بلا معرف"},{"id":"b3","title":"خبر ثالث محدث"}]`
	r = do(t, h, req{method: "POST", target: "/v1/articles", body: arr, header: authJSON()})
	out = BulkResponse{}
	r.json(t, &out)
	if out.Added != 1 || out.Updated != 1 || out.Rejected != 1 || out.Items[1].Error == nil {
		t.Fatalf("array: %+v", out)
	}
	if a := get(t, h, "/v1/articles/b3"); !strings.Contains(string(a.Body), "محدث") {
		t.Errorf("the last copy of b3 should win: %s", a.Body)
	}
}

// TestArticlePathEscapes: an id in a path names the same article however
// the path is escaped (lowercase hex, an escaped letter, %2F for a slash),
// and an id a write accepts can be fetched and deleted: a bulk write
// refuses the ids the paths refuse.
func TestArticlePathEscapes(t *testing.T) {
	ix, _ := newSampleIndex(t)
	h := newServer(t, ix, testConfig())
	r := do(t, h, req{method: "PUT", target: "/v1/articles/%d9%85%d9%82%d8%a7%d9%84", body: `{"title":"مقال صغير"}`, header: authJSON()})
	if r.Status != http.StatusCreated || !strings.Contains(string(r.Body), `"id":"مقال"`) {
		t.Fatalf("put with lowercase hex: %d %s", r.Status, r.Body)
	}
	for _, target := range []string{"/v1/articles/%D9%85%D9%82%D8%A7%D9%84", "/v1/articles/" + url.PathEscape("مقال"), "/v1/articles/%d9%85%d9%82%d8%a7%d9%84"} {
		if r := get(t, h, target); r.Status != http.StatusOK {
			t.Errorf("GET %s: %d %s", target, r.Status, r.Body)
		}
	}
	if r := get(t, h, "/v1/articles/%73%30%31"); r.Status != http.StatusOK { // s01, every letter escaped
		t.Errorf("GET s01 escaped: %d %s", r.Status, r.Body)
	}
	if r := get(t, h, "/v1/articles/%73%30%31/related"); r.Status != http.StatusOK {
		t.Errorf("related of s01 escaped: %d %s", r.Status, r.Body)
	}

	// A byte order mark before the JSON, as some editors save it.
	if r := do(t, h, req{method: "PUT", target: "/v1/articles/bom", body: "\uFEFF" + `{"title":"خبر"}`, header: authJSON()}); r.Status != http.StatusCreated {
		t.Errorf("PUT with a BOM: %d %s", r.Status, r.Body)
	}

	arr := `[{"id":"s/lash","title":"خبر بشرطة مائلة"},{"id":"c4\u0000","title":"خبر"},{"id":"` + strings.Repeat("i", 600) + `","title":"خبر"}]`
	r = do(t, h, req{method: "POST", target: "/v1/articles", body: arr, header: authJSON()})
	var out BulkResponse
	r.json(t, &out)
	if out.Added != 1 || out.Rejected != 2 || out.Items[1].Error == nil || out.Items[2].Error == nil {
		t.Fatalf("bulk with a control character and a long id: %d %+v", r.Status, out)
	}
	if r := get(t, h, "/v1/articles/s%2Flash"); r.Status != http.StatusOK {
		t.Errorf("GET s%%2Flash: %d %s", r.Status, r.Body)
	}
	if r := do(t, h, req{method: "DELETE", target: "/v1/articles/s%2Flash", header: authJSON()}); r.Status != http.StatusOK {
		t.Errorf("DELETE s%%2Flash: %d %s", r.Status, r.Body)
	}
}

// TestGracefulShutdown: cancelling Serve's context lets a request in flight
// finish with its answer, and refuses new connections afterwards.
func TestGracefulShutdown(t *testing.T) {
	s := New(shared, Config{RateLimit: -1})
	release := make(chan struct{})
	entered := make(chan struct{})
	s.echo.GET("/slow", func(c echo.Context) error {
		close(entered)
		<-release
		return c.String(http.StatusOK, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln, 5*time.Second) }()
	base := "http://" + ln.Addr().String()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 64)
		n, _ := resp.Body.Read(buf)
		b.Write(buf[:n])
		got <- b.String()
	}()
	<-entered
	cancel()
	time.Sleep(100 * time.Millisecond) // Shutdown has closed the listener
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Errorf("a new request was accepted during shutdown")
	}
	close(release)
	if body := <-got; body != "finished" {
		t.Errorf("in-flight request got %q", body)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}
