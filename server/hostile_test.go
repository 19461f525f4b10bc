package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHostileRequests is the catalogue of bad and hostile requests: each
// gets the right 4xx and the one error shape, never a 5xx.
func TestHostileRequests(t *testing.T) {
	ix, _ := newSampleIndex(t)
	cfg := testConfig()
	cfg.MaxBodyBytes = 4096
	cfg.MaxBulk = 3
	h := newServer(t, ix, cfg)
	auth := "Bearer " + testKey
	js := map[string]string{"Authorization": auth, "Content-Type": "application/json"}
	nd := map[string]string{"Authorization": auth, "Content-Type": "application/x-ndjson"}
	big := strings.Repeat("أ", 501)
	tests := []struct {
		name   string
		r      req
		status int
		code   string
	}{
		// search parameters
		{"invalid UTF-8 in q", req{target: "/v1/search?q=%ff%fe"}, 400, "invalid_parameter"},
		{"invalid UTF-8 in a parameter name", req{target: "/v1/search?%ff=1"}, 400, "invalid_parameter"},
		{"a ; between parameters (Go drops the pair)", req{target: "/v1/search?q=a;b"}, 400, "invalid_parameter"},
		{"a bad %-escape", req{target: "/v1/search?q=a%zz"}, 400, "invalid_parameter"},
		{"a ; in suggest", req{target: "/v1/suggest?q=x;y"}, 400, "invalid_parameter"},
		{"a ; in related", req{target: "/v1/articles/s01/related?size=1;"}, 400, "invalid_parameter"},
		{"a bad escape on an article", req{target: "/v1/articles/s01?x=%ZZ"}, 400, "invalid_parameter"},
		{"a parameter on an article", req{target: "/v1/articles/s01?pretty=1"}, 400, "invalid_parameter"},
		{"a bad escape on opensearch.xml", req{target: "/opensearch.xml?%ZZ"}, 400, "invalid_parameter"},
		{"huge q", req{target: "/v1/search?q=" + big}, 400, "invalid_parameter"},
		{"unknown parameter", req{target: "/v1/search?szie=10"}, 400, "invalid_parameter"},
		{"track_total_hits as a number (Elasticsearch's other form)", req{target: "/v1/search?q=a&track_total_hits=100"}, 400, "invalid_parameter"},
		{"typo_tolerance not a boolean", req{target: "/v1/search?q=a&typo_tolerance=maybe"}, 400, "invalid_parameter"},
		{"parameter given twice", req{target: "/v1/search?size=1&size=2"}, 400, "invalid_parameter"},
		{"negative size", req{target: "/v1/search?size=-1"}, 400, "invalid_parameter"},
		{"zero size", req{target: "/v1/search?size=0"}, 400, "invalid_parameter"},
		{"huge size", req{target: "/v1/search?size=1000000"}, 400, "invalid_parameter"},
		{"size beyond int64", req{target: "/v1/search?size=99999999999999999999999"}, 400, "invalid_parameter"},
		{"non-numeric size", req{target: "/v1/search?size=ten"}, 400, "invalid_parameter"},
		{"float size", req{target: "/v1/search?size=1.5"}, 400, "invalid_parameter"},
		{"zero page", req{target: "/v1/search?page=0"}, 400, "invalid_parameter"},
		{"page past int overflow", req{target: "/v1/search?page=9223372036854775807"}, 400, "invalid_parameter"},
		{"paging window", req{target: "/v1/search?page=200&size=100"}, 400, "invalid_parameter"},
		{"bad cursor", req{target: "/v1/search?cursor=garbage"}, 400, "invalid_parameter"},
		{"cursor of base64 junk", req{target: "/v1/search?cursor=eyJ4IjoxfQ"}, 400, "invalid_parameter"},
		{"cursor with page", req{target: "/v1/search?cursor=x&page=2"}, 400, "invalid_parameter"},
		{"huge cursor", req{target: "/v1/search?cursor=" + strings.Repeat("A", 2000)}, 400, "invalid_parameter"},
		{"bad from date", req{target: "/v1/search?from=yesterday"}, 400, "invalid_parameter"},
		{"bad to date", req{target: "/v1/search?to=2024-13-45"}, 400, "invalid_parameter"},
		{"to before from", req{target: "/v1/search?from=2025-01-01&to=2024-01-01"}, 400, "invalid_parameter"},
		{"unknown sort", req{target: "/v1/search?sort=popularity"}, 400, "invalid_parameter"},
		{"unknown facet", req{target: "/v1/search?facets=section,colour"}, 400, "invalid_parameter"},
		{"unknown interval", req{target: "/v1/search?facets=date&interval=week"}, 400, "invalid_parameter"},
		{"bad recency", req{target: "/v1/search?recency=-3d"}, 400, "invalid_parameter"},
		{"bad collapse", req{target: "/v1/search?collapse=maybe"}, 400, "invalid_parameter"},
		{"bad explain", req{target: "/v1/search?explain=yes"}, 400, "invalid_parameter"},
		{"too many snippets", req{target: "/v1/search?snippets=11"}, 400, "invalid_parameter"},
		{"snippet_length too long", req{target: "/v1/search?snippet_length=100000"}, 400, "invalid_parameter"},
		{"facet_size too big", req{target: "/v1/search?facet_size=101"}, 400, "invalid_parameter"},
		{"too many filter values", req{target: "/v1/search?section=" + strings.Repeat("a,", 60)}, 400, "invalid_parameter"},
		{"feed with unknown parameter", req{target: "/v1/search.atom?format=x"}, 400, "invalid_parameter"},
		// suggest, analyze, related
		{"suggest without q", req{target: "/v1/suggest"}, 400, "invalid_parameter"},
		{"suggest blank q", req{target: "/v1/suggest?q=%20%20"}, 400, "invalid_parameter"},
		{"suggest huge size", req{target: "/v1/suggest?q=a&size=500"}, 400, "invalid_parameter"},
		{"suggest huge q", req{target: "/v1/suggest?q=" + strings.Repeat("ب", 201)}, 400, "invalid_parameter"},
		{"analyze without text", req{target: "/v1/analyze"}, 400, "invalid_parameter"},
		{"analyze unknown analyzer", req{target: "/v1/analyze?text=a&analyzer=standard"}, 400, "invalid_parameter"},
		{"related of unknown id", req{target: "/v1/articles/nope/related"}, 404, "not_found"},
		{"related bad window", req{target: "/v1/articles/s01/related?window=forever"}, 400, "invalid_parameter"},
		{"related unknown parameter", req{target: "/v1/articles/s01/related?q=x"}, 400, "invalid_parameter"},
		// paths and methods
		{"unknown route", req{target: "/v2/search"}, 404, "not_found"},
		{"path traversal in an id", req{target: "/v1/articles/..%2F..%2Fetc%2Fpasswd"}, 404, "not_found"},
		{"dot-dot path", req{target: "/v1/articles/../../etc/passwd"}, 404, "not_found"},
		{"control character in an id", req{target: "/v1/articles/a%00b"}, 400, "invalid_parameter"},
		{"over-long id", req{target: "/v1/articles/" + strings.Repeat("x", 600)}, 400, "invalid_parameter"},
		{"wrong method on search", req{method: "POST", target: "/v1/search"}, 405, "method_not_allowed"},
		{"wrong method on an article", req{method: "PATCH", target: "/v1/articles/s01", header: js}, 405, "method_not_allowed"},
		{"delete on the collection", req{method: "DELETE", target: "/v1/articles", header: js}, 405, "method_not_allowed"},
		// keys
		{"write without a key", req{method: "PUT", target: "/v1/articles/x", body: `{"title":"t"}`, header: map[string]string{"Content-Type": "application/json"}}, 401, "unauthorized"},
		{"write with a wrong key", req{method: "DELETE", target: "/v1/articles/s01", header: map[string]string{"Authorization": "Bearer wrong"}}, 401, "unauthorized"},
		{"write with basic auth", req{method: "DELETE", target: "/v1/articles/s01", header: map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}}, 401, "unauthorized"},
		{"key prefix only", req{method: "DELETE", target: "/v1/articles/s01", header: map[string]string{"Authorization": "Bearer " + testKey[:3]}}, 401, "unauthorized"},
		// bodies
		{"put without content type", req{method: "PUT", target: "/v1/articles/x", body: `{"title":"t"}`, header: map[string]string{"Authorization": auth}}, 415, "unsupported_media_type"},
		{"put as text/plain", req{method: "PUT", target: "/v1/articles/x", body: `{"title":"t"}`, header: map[string]string{"Authorization": auth, "Content-Type": "text/plain"}}, 415, "unsupported_media_type"},
		{"put in latin-1", req{method: "PUT", target: "/v1/articles/x", body: `{"title":"t"}`, header: map[string]string{"Authorization": auth, "Content-Type": "application/json; charset=latin-1"}}, 415, "unsupported_media_type"},
		{"put empty body", req{method: "PUT", target: "/v1/articles/x", header: js}, 400, "invalid_body"},
		{"put malformed JSON", req{method: "PUT", target: "/v1/articles/x", body: `{"title":`, header: js}, 400, "invalid_body"},
		{"put a JSON array", req{method: "PUT", target: "/v1/articles/x", body: `[{"title":"t"}]`, header: js}, 400, "invalid_body"},
		{"put invalid UTF-8", req{method: "PUT", target: "/v1/articles/x", body: "{\"title\":\"\xff\"}", header: js}, 400, "invalid_body"},
		{"put without title or body", req{method: "PUT", target: "/v1/articles/x", body: `{"section":"s"}`, header: js}, 400, "invalid_article"},
		{"put with a wrong field type", req{method: "PUT", target: "/v1/articles/x", body: `{"title":"t","published_at":12}`, header: js}, 400, "invalid_article"},
		{"put with another id", req{method: "PUT", target: "/v1/articles/x", body: `{"id":"y","title":"t"}`, header: js}, 400, "invalid_article"},
		{"put oversized body", req{method: "PUT", target: "/v1/articles/x", body: `{"title":"` + strings.Repeat("x", 5000) + `"}`, header: js}, 413, "body_too_large"},
		{"put with a numeric id in the body", req{method: "PUT", target: "/v1/articles/5", body: `{"id":5,"title":"ت"}`, header: js}, 400, "invalid_article"},
		{"bulk not an array", req{method: "POST", target: "/v1/articles", body: `{"id":"a","title":"t"}`, header: js}, 400, "invalid_body"},
		{"bulk empty array", req{method: "POST", target: "/v1/articles", body: `[]`, header: js}, 400, "invalid_body"},
		{"bulk too many articles", req{method: "POST", target: "/v1/articles", body: `[{},{},{},{}]`, header: js}, 413, "too_many_articles"},
		{"bulk ndjson of blank lines", req{method: "POST", target: "/v1/articles", body: "\n\n \n", header: nd}, 400, "invalid_body"},
		{"bulk as form", req{method: "POST", target: "/v1/articles", body: "a=b", header: map[string]string{"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"}}, 415, "unsupported_media_type"},
		{"delete unknown id", req{method: "DELETE", target: "/v1/articles/nope", header: js}, 404, "not_found"},
	}
	if len(tests) < 40 {
		t.Fatalf("the catalogue has %d cases, want at least 40", len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, h, tc.r)
			if r.Status >= 500 {
				t.Fatalf("5xx: %d %s", r.Status, r.Body)
			}
			if r.Status != tc.status {
				t.Errorf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if got := r.errorCode(t); got != tc.code {
				t.Errorf("code %q, want %q: %s", got, tc.code, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if strings.Contains(string(r.Body), "goroutine") || strings.Contains(string(r.Body), ".go:") {
				t.Errorf("internal detail leaked: %s", r.Body)
			}
		})
	}
	big413 := do(t, h, req{method: "PUT", target: "/v1/articles/x", body: `{"title":"` + strings.Repeat("x", 5000) + `"}`, header: js})
	if !strings.Contains(string(big413.Body), "--max-body") {
		t.Errorf("413 should name the limit: %s", big413.Body)
	}
	if r := do(t, h, req{method: http.MethodGet, target: "/v1/search?q=%D8"}); r.Status != 400 {
		t.Errorf("truncated UTF-8: %d", r.Status)
	}
}

// TestWritesDisabled: without a key, writes are refused with a message
// saying how to enable them.
func TestWritesDisabled(t *testing.T) {
	h := newServer(t, shared, Config{RateLimit: -1})
	r := do(t, h, req{method: "DELETE", target: "/v1/articles/s01", header: map[string]string{"Authorization": "Bearer x"}})
	if r.Status != http.StatusForbidden || r.errorCode(t) != "writes_disabled" || !strings.Contains(string(r.Body), "BAHTH_API_KEY") {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
}

// FuzzReadEndpoints: whatever query string a client sends to a read
// endpoint, the answer is a 2xx or a 4xx in the one error shape, never a
// 5xx, and a JSON endpoint answers JSON.
func FuzzReadEndpoints(f *testing.F) {
	paths := []string{"/v1/search", "/v1/suggest", "/v1/articles/s01/related", "/v1/search.rss", "/v1/analyze", "/v1/articles/s01"}
	for _, s := range []string{
		"q=مصر", "q=مصر+٣&size=5&page=2", `q="الكتاب&sort=date`, "q=a&from=2020-01-01&to=bad", "q=x&facets=section,source&interval=month",
		"q=ترامب&recency=7d", "q=x&cursor=abc", "q=-&collapse=false&explain=true", "q=الكتا*&snippets=3&snippet_length=40",
		"q=x&track_total_hits=true&typo_tolerance=false", "prefix=الك&size=3", "size=3&from=2018-01-01", "text=وزارة&analyzer=ar_news_v3",
		"q=%D9%85%D8%B5%D8%B1&section=%D8%B3", "q=\u200fمصر\u200f&page=0", "q=a&facet_size=-1", "fields=title",
	} {
		for i := range paths {
			f.Add(uint8(i), s)
		}
	}
	h := New(shared, testConfig()).Handler()
	f.Fuzz(func(t *testing.T, which uint8, rawQuery string) {
		path := paths[int(which)%len(paths)]
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.URL.RawQuery = rawQuery
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body := w.Body.Bytes()
		switch {
		case w.Code >= 500:
			t.Fatalf("GET %s?%s: %d %.300s", path, rawQuery, w.Code, body)
		case w.Code >= 400:
			res := response{Status: w.Code, Body: body}
			res.errorCode(t)
		case !strings.HasSuffix(path, ".rss") && !json.Valid(body):
			t.Fatalf("GET %s?%s: %d, not JSON: %.300s", path, rawQuery, w.Code, body)
		}
	})
}

// FuzzWriteEndpoints: whatever body and id a client with the key sends to
// the write endpoints, the answer is a 2xx or a 4xx in the one error
// shape, never a 5xx.
func FuzzWriteEndpoints(f *testing.F) {
	for _, b := range []string{
		`{"title":"خبر","body":"نص الخبر","published_at":"2020-01-01"}`,
		`{"id":"x","title":"خبر"}` + "\n" + `{"id":"y","body":"نص","published_at":"0000-01-01T00:00:00+01:00"}`,
		`[{"id":"z","title":"ت"}]`, `{"title":5}`, `{"id":"q","title":"ت","tags":{"a":1}}`, "\xff\xfe", `{"title":"ت","date":"9999-12-31T23:00:00-02:00"}`,
	} {
		for m := range 3 {
			f.Add(uint8(m), "f1", b)
		}
	}
	ix, _ := newSampleIndex(f)
	cfg := testConfig()
	cfg.MaxBodyBytes = 1 << 16
	h := New(ix, cfg).Handler()
	f.Fuzz(func(t *testing.T, which uint8, id, body string) {
		var r *http.Request
		switch which % 3 {
		case 0:
			r = httptest.NewRequest(http.MethodPut, "/v1/articles/x", strings.NewReader(body))
			r.URL.Path = "/v1/articles/" + id
			r.Header.Set("Content-Type", "application/json")
		case 1:
			r = httptest.NewRequest(http.MethodPost, "/v1/articles", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-ndjson")
		default:
			r = httptest.NewRequest(http.MethodDelete, "/v1/articles/x", nil)
			r.URL.Path = "/v1/articles/" + id
		}
		r.Header.Set("Authorization", "Bearer "+testKey)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch {
		case w.Code >= 500:
			t.Fatalf("%s %s %q: %d %.300s", r.Method, r.URL.Path, body, w.Code, w.Body.Bytes())
		case w.Code >= 400:
			res := response{Status: w.Code, Body: w.Body.Bytes()}
			res.errorCode(t)
		}
	})
}
