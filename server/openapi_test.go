package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// TestOpenAPI loads /openapi.json, checks it is a valid OpenAPI 3 document,
// and validates real responses of every operation (successes and errors)
// against it; every operation must be exercised.
func TestOpenAPI(t *testing.T) {
	for _, ct := range []string{"application/rss+xml", "application/atom+xml", "application/opensearchdescription+xml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
	ix, _ := newSampleIndex(t)
	cfg := testConfig()
	cfg.MaxBulk = 2
	cfg.MaxBodyBytes = 2048
	h := newServer(t, ix, cfg)
	doc, err := openapi3.NewLoader().LoadFromData(get(t, h, "/openapi.json").Body)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi.json is not valid OpenAPI 3: %v", err)
	}
	doc.Servers = nil // match paths on any host
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	check := func(r req, status int) {
		t.Helper()
		resp := do(t, h, r)
		if resp.Status != status {
			t.Errorf("%s %s: status %d, want %d: %.200s", r.method, r.target, resp.Status, status, resp.Body)
			return
		}
		method := r.method
		if method == "" {
			method = http.MethodGet
		}
		hr := httptest.NewRequest(method, "http://bahth.test"+r.target, nil)
		if status == http.StatusMethodNotAllowed { // no operation to look up: check the error shape alone
			var v any
			resp.json(t, &v)
			if err := doc.Components.Schemas["Error"].Value.VisitJSON(v); err != nil {
				t.Errorf("%s %s: not an Error: %v", method, r.target, err)
			}
			return
		}
		route, params, err := router.FindRoute(hr)
		if err != nil {
			t.Errorf("%s %s: not in openapi.json: %v", method, r.target, err)
			return
		}
		seen[route.Operation.OperationID] = true
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: hr, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
			Status: resp.Status, Header: resp.Header, Options: &openapi3filter.Options{IncludeResponseStatus: true},
		}
		in.SetBodyBytes(resp.Body)
		if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
			t.Errorf("%s %s (%d): response does not match openapi.json: %v", method, r.target, resp.Status, err)
		}
	}
	qs := "q=" + url.QueryEscape("الاستثمار")
	check(req{target: "/v1/search?" + qs + "&facets=section,date&interval=year&explain=true&size=2"}, 200)
	check(req{target: "/v1/search?q=" + url.QueryEscape("الاستثمر")}, 200)
	check(req{target: "/v1/search?size=0"}, 400)
	check(req{target: "/v1/search?szie=1"}, 400)
	check(req{method: "POST", target: "/v1/search"}, 405)
	check(req{target: "/v1/search.rss?" + qs}, 200)
	check(req{target: "/v1/search.atom?" + qs}, 200)
	check(req{target: "/v1/suggest?q=" + url.QueryEscape("سام")}, 200)
	check(req{target: "/v1/suggest"}, 400)
	check(req{target: "/v1/articles/s16"}, 200)
	check(req{target: "/v1/articles/none"}, 404)
	check(req{target: "/v1/articles/s16/related?size=3"}, 200)
	check(req{target: "/v1/articles/none/related"}, 404)
	check(req{target: "/v1/analyze?text=" + url.QueryEscape("الإستثمار في عُمان")}, 200)
	check(req{method: "PUT", target: "/v1/articles/o1", body: `{"title":"خبر","author":"كاتب","published_at":"2025-01-02"}`, header: authJSON()}, 201)
	check(req{method: "PUT", target: "/v1/articles/o1", body: `{"title":"خبر محدث"}`, header: authJSON()}, 200)
	check(req{method: "PUT", target: "/v1/articles/o1", body: `{"title":"x"}`}, 401)
	check(req{method: "PUT", target: "/v1/articles/o1", body: `{"title":"x"}`, header: map[string]string{"Authorization": "Bearer " + testKey}}, 415)
	check(req{method: "PUT", target: "/v1/articles/o1", body: `{"title":"` + strings.Repeat("x", 3000) + `"}`, header: authJSON()}, 413)
	check(req{method: "POST", target: "/v1/articles", body: `[{"id":"o2","title":"ثان","x":1},{"title":"بلا معرف"}]`, header: authJSON()}, 200)
	check(req{method: "POST", target: "/v1/articles", body: `[{},{},{}]`, header: authJSON()}, 413)
	check(req{method: "DELETE", target: "/v1/articles/o1", header: authJSON()}, 200)
	check(req{method: "DELETE", target: "/v1/articles/o1", header: authJSON()}, 404)
	check(req{target: "/opensearch.xml"}, 200)
	check(req{target: "/openapi.json"}, 200)
	check(req{target: "/healthz"}, 200)
	check(req{target: "/readyz"}, 200)
	check(req{target: "/metrics"}, 200)
	check(req{target: "/v1/articles/o2"}, 200) // extra fields come back under extra

	// 403 with writes disabled, 408 past the deadline, 429 past the limit.
	h = newServer(t, ix, Config{RateLimit: 1, RateBurst: 1, SearchTimeout: time.Nanosecond})
	check(req{method: "DELETE", target: "/v1/articles/o2", header: authJSON()}, 403)
	h = newServer(t, ix, Config{RateLimit: -1, SearchTimeout: time.Nanosecond})
	check(req{target: "/v1/search?q=Samsung"}, 408)
	h = newServer(t, ix, Config{RateLimit: 1, RateBurst: 1})
	check(req{target: "/v1/search"}, 200)
	check(req{target: "/v1/search"}, 429)

	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			if !seen[op.OperationID] {
				t.Errorf("%s %s (%s) was not exercised", method, path, op.OperationID)
			}
		}
	}
}
