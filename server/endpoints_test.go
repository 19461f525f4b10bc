package server

import (
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSuggest(t *testing.T) {
	h := newServer(t, shared, testConfig())
	r := get(t, h, "/v1/suggest?q="+url.QueryEscape("الاستث")+"&size=3")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var out SuggestResponse
	r.json(t, &out)
	if len(out.Suggestions) == 0 || len(out.Suggestions) > 3 || out.Suggestions[0].Text != "الاستثمار" {
		t.Fatalf("suggestions %+v, want الاستثمار first and at most 3", out.Suggestions)
	}
}

func TestArticle(t *testing.T) {
	h := newServer(t, shared, testConfig())
	r := get(t, h, "/v1/articles/s23")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var out ArticleResponse
	r.json(t, &out)
	if out.Article.ID != "s23" || out.Article.Title == "" || out.Article.PublishedAt == nil {
		t.Errorf("article %+v", out.Article)
	}
	if !slices.Contains(out.Copies, "s24") {
		t.Errorf("copies %v, want s24 among them", out.Copies)
	}
	if r := get(t, h, "/v1/articles/nope"); r.Status != http.StatusNotFound || r.errorCode(t) != "not_found" {
		t.Errorf("unknown id: status %d %s", r.Status, r.Body)
	}
}

func TestRelated(t *testing.T) {
	h := newServer(t, shared, testConfig())
	r := get(t, h, "/v1/articles/s36/related?size=3&window=90d")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var out RelatedResponse
	r.json(t, &out)
	if len(out.Hits) == 0 || len(out.Hits) > 3 || out.Hits[0].ID != "s37" {
		t.Fatalf("related of s36 = %+v, want s37 first", out.Hits)
	}
	r = get(t, h, "/v1/articles/s36/related?section="+url.QueryEscape("رياضة")+"&from=2020&to=2030")
	r.json(t, &out)
	for _, hit := range out.Hits {
		if hit.Article.Section != "رياضة" {
			t.Errorf("section filter: %s is %s", hit.ID, hit.Article.Section)
		}
	}
	// section is a list, as in search: comma-separated or repeated.
	n := len(out.Hits)
	for _, q := range []string{"section=" + url.QueryEscape("رياضة,nothing"), "section=nothing&section=" + url.QueryEscape("رياضة")} {
		r = get(t, h, "/v1/articles/s36/related?"+q+"&from=2020&to=2030")
		out = RelatedResponse{}
		r.json(t, &out)
		if r.Status != http.StatusOK || len(out.Hits) != n || n == 0 {
			t.Errorf("%s: %d, %d hits, want the %d of رياضة", q, r.Status, len(out.Hits), n)
		}
	}
}

func TestAnalyze(t *testing.T) {
	h := newServer(t, shared, testConfig())
	r := get(t, h, "/v1/analyze?text="+url.QueryEscape("والإستثمارات")+"&analyzer=ar_exact_v2")
	var out AnalyzeResponse
	r.json(t, &out)
	if r.Status != http.StatusOK || out.Analyzer != "ar_exact_v2" || len(out.Tokens) != 1 || out.Tokens[0].Surface != "والإستثمارات" {
		t.Fatalf("status %d: %+v", r.Status, out)
	}
	r = get(t, h, "/v1/analyze?text="+url.QueryEscape("والإستثمارات"))
	r.json(t, &out)
	if out.Analyzer != "ar_news_v3" || len(out.Tokens) != 1 || out.Tokens[0].Term == "والإستثمارات" {
		t.Fatalf("default analyzer should stem: %+v", out)
	}
}

func TestFeeds(t *testing.T) {
	h := newServer(t, shared, testConfig())
	q := "q=" + url.QueryEscape("الاستثمار") + "&size=2"
	r := get(t, h, "/v1/search.rss?"+q)
	var feed rss
	if err := xml.Unmarshal(r.Body, &feed); err != nil || r.Status != http.StatusOK {
		t.Fatalf("rss: status %d, %v: %.300s", r.Status, err, r.Body)
	}
	if len(feed.Channel.Items) != 2 || !strings.Contains(feed.Channel.Items[0].Description, "<mark>") {
		t.Errorf("rss: %+v", feed.Channel)
	}
	if !strings.Contains(string(r.Body), "<opensearch:totalResults>4</opensearch:totalResults>") || !strings.Contains(r.Header.Get("Content-Type"), "application/rss+xml") {
		t.Errorf("rss lacks OpenSearch elements or its type: %s", r.Header.Get("Content-Type"))
	}
	r = get(t, h, "/v1/search.atom?"+q)
	var af struct {
		Entries []struct {
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
		} `xml:"entry"`
		Total int `xml:"http://a9.com/-/spec/opensearch/1.1/ totalResults"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
	}
	if err := xml.Unmarshal(r.Body, &af); err != nil || r.Status != http.StatusOK {
		t.Fatalf("atom: status %d, %v", r.Status, err)
	}
	if len(af.Entries) != 2 || af.Total == 0 {
		t.Errorf("atom: %+v", af)
	}
	if len(af.Links) == 0 || af.Links[0].Rel != "self" || !strings.Contains(af.Links[0].Href, "/v1/search.atom?") {
		t.Errorf("atom: the feed's links %+v, want its self link (an Atom <link>)", af.Links)
	}
	for _, e := range af.Entries {
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("atom entry %s: updated %q", e.ID, e.Updated)
		}
	}
	if r := get(t, h, "/v1/search.rss?size=0"); r.Status != http.StatusBadRequest || r.errorCode(t) != "invalid_parameter" {
		t.Errorf("rss with a bad size: %d %s", r.Status, r.Body)
	}
}

func TestOpenSearchDescription(t *testing.T) {
	h := newServer(t, shared, Config{RateLimit: -1, PublicURL: "https://news.example/search"})
	r := get(t, h, "/opensearch.xml")
	var d osDescription
	if err := xml.Unmarshal(r.Body, &d); err != nil || r.Status != http.StatusOK {
		t.Fatalf("status %d, %v", r.Status, err)
	}
	if d.ShortName == "" || len([]rune(d.ShortName)) > 16 || len(d.URLs) < 3 {
		t.Errorf("description %+v", d)
	}
	for _, u := range d.URLs {
		if !strings.HasPrefix(u.Template, "https://news.example/search/") {
			t.Errorf("template %q is not under the public URL", u.Template)
		}
	}
}

func TestProbes(t *testing.T) {
	h := newServer(t, shared, testConfig())
	for _, p := range []string{"/healthz", "/readyz", "/openapi.json", "/"} {
		if r := get(t, h, p); r.Status != http.StatusOK {
			t.Errorf("%s: %d %s", p, r.Status, r.Body)
		}
	}
	var ready struct{ Articles int }
	get(t, h, "/readyz").json(t, &ready)
	if ready.Articles != 45 {
		t.Errorf("readyz articles %d, want 45", ready.Articles)
	}
}

func TestMetricsCount(t *testing.T) {
	h := newServer(t, shared, Config{RateLimit: -1, IndexDir: t.TempDir()})
	line := `bahth_http_requests_total{code="200",method="GET",route="/v1/search"}`
	count := func() string {
		body := string(get(t, h, "/metrics").Body)
		for l := range strings.Lines(body) {
			if strings.HasPrefix(l, line) {
				return strings.TrimSpace(strings.TrimPrefix(l, line))
			}
		}
		return "0"
	}
	before := count()
	get(t, h, "/v1/search?q=Samsung")
	get(t, h, "/v1/search?q=Samsung")
	if after := count(); before != "0" || after != "2" {
		t.Errorf("search counter %s -> %s, want 0 -> 2", before, after)
	}
	z := do(t, h, req{target: "/metrics", header: map[string]string{"Accept-Encoding": "gzip"}})
	zr, err := gzip.NewReader(strings.NewReader(string(z.Body)))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); !strings.HasPrefix(string(b), "# HELP") {
		t.Errorf("gzipped metrics are not the text format once unzipped (compressed twice?): %.40q", b)
	}
	body := string(get(t, h, "/metrics").Body)
	for _, m := range []string{"bahth_index_articles 45", "bahth_http_request_duration_seconds_bucket", "bahth_search_results_count 2", "bahth_index_size_bytes",
		`bahth_cache_hits_total{cache="postings"}`, `bahth_cache_misses_total{cache="postings"}`, `bahth_cache_bytes{cache="pair_hits"}`, `bahth_cache_max_bytes{cache="postings"} 6.7108864e+07`} {
		if !strings.Contains(body, m) {
			t.Errorf("metrics lack %q", m)
		}
	}
	// The second of two searches for Samsung found its postings decoded.
	for l := range strings.Lines(body) {
		if v, ok := strings.CutPrefix(l, `bahth_cache_hits_total{cache="postings"} `); ok && strings.TrimSpace(v) == "0" {
			t.Errorf("postings cache: no hit after the same search twice")
		}
	}
}

// TestHead: every read endpoint answers HEAD as GET, headers only, over a
// real connection (net/http drops the body).
func TestHead(t *testing.T) {
	srv := httptest.NewServer(newServer(t, shared, testConfig()))
	defer srv.Close()
	for target, status := range map[string]int{"/healthz": 200, "/v1/articles/s01": 200, "/v1/articles/nope": 404,
		"/v1/search?q=" + url.QueryEscape("الاستثمار"): 200, "/v1/search?szie=1": 400, "/openapi.json": 200} {
		resp, err := http.Head(srv.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != status || len(b) != 0 {
			t.Errorf("HEAD %s: %d with %d bytes, want %d and no body", target, resp.StatusCode, len(b), status)
		}
	}
}

func TestMiddleware(t *testing.T) {
	cfg := testConfig()
	cfg.CORSOrigins = []string{"https://news.example"}
	h := newServer(t, shared, cfg)
	r := do(t, h, req{target: "/v1/search?size=50", header: map[string]string{"Origin": "https://news.example", "Accept-Encoding": "gzip"}})
	if r.Header.Get("Access-Control-Allow-Origin") != "https://news.example" {
		t.Errorf("CORS: allowed origin not echoed: %v", r.Header)
	}
	if r.Header.Get("X-Request-Id") == "" || r.Header.Get("Content-Security-Policy") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("request id or security headers missing: %v", r.Header)
	}
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not gzipped: %v", r.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(string(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); !strings.HasPrefix(string(b), `{"total":45`) {
		t.Errorf("gzipped body: %.100s", b)
	}
	r = do(t, h, req{target: "/v1/search", header: map[string]string{"Origin": "https://evil.example"}})
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("CORS: foreign origin allowed: %q", got)
	}
	pre := do(t, h, req{method: http.MethodOptions, target: "/v1/articles/x", header: map[string]string{
		"Origin": "https://news.example", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization,content-type"}})
	if pre.Status != http.StatusNoContent || !strings.Contains(pre.Header.Get("Access-Control-Allow-Methods"), "PUT") {
		t.Errorf("preflight: %d %v", pre.Status, pre.Header)
	}
}

func TestRateLimit(t *testing.T) {
	h := newServer(t, shared, Config{RateLimit: 1, RateBurst: 2})
	var last response
	for range 3 {
		last = get(t, h, "/v1/search?size=1")
	}
	if last.Status != http.StatusTooManyRequests || last.errorCode(t) != "rate_limited" || last.Header.Get("Retry-After") != "1" {
		t.Fatalf("third request: %d %v %s", last.Status, last.Header, last.Body)
	}
	if r := get(t, h, "/healthz"); r.Status != http.StatusOK {
		t.Errorf("probes are not limited: %d", r.Status)
	}
}

func TestSearchDeadline(t *testing.T) {
	h := newServer(t, shared, Config{RateLimit: -1, SearchTimeout: time.Nanosecond})
	// Suggest answers from memory once its vocabulary is built and is not cut.
	for _, p := range []string{"/v1/search?q=Samsung", "/v1/articles/s01/related", "/v1/search.rss?q=Samsung"} {
		r := get(t, h, p)
		if r.Status != http.StatusRequestTimeout || r.errorCode(t) != "timeout" {
			t.Errorf("%s with a 1ns deadline: %d %s", p, r.Status, r.Body)
		}
	}
}

// TestAdmission: with every turn taken, a search waits up to the queue
// timeout and is then told to retry.
func TestAdmission(t *testing.T) {
	s := New(shared, Config{RateLimit: -1, MaxSearches: 1, QueueTimeout: 50 * time.Millisecond})
	s.slots <- struct{}{} // a search in progress
	r := get(t, s.Handler(), "/v1/search?q=Samsung")
	if r.Status != http.StatusServiceUnavailable || r.errorCode(t) != "busy" || r.Header.Get("Retry-After") != "1" {
		t.Fatalf("%d %v %s", r.Status, r.Header, r.Body)
	}
	<-s.slots
	if r := get(t, s.Handler(), "/v1/search?q=Samsung"); r.Status != http.StatusOK {
		t.Fatalf("after the turn is free: %d", r.Status)
	}
}

// TestReadyWhilePreparing: /readyz is 503 until what Prepare runs is done.
func TestReadyWhilePreparing(t *testing.T) {
	s := New(shared, Config{RateLimit: -1})
	release := make(chan struct{})
	s.Prepare(t.Context(), "type-ahead", func(context.Context) error { <-release; return nil })
	if r := get(t, s.Handler(), "/readyz"); r.Status != http.StatusServiceUnavailable || !strings.Contains(string(r.Body), "type-ahead") {
		t.Fatalf("while preparing: %d %s", r.Status, r.Body)
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for get(t, s.Handler(), "/readyz").Status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("not ready after Prepare returned")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
