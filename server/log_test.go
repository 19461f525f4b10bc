package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for l := range strings.Lines(s.b.String()) {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// TestRequestLog: one JSON line per request with the request id of the
// response, the route pattern, status and latency; an internal error's
// cause is logged, not sent.
func TestRequestLog(t *testing.T) {
	var buf syncBuffer
	cfg := testConfig()
	cfg.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
	s := New(shared, cfg)
	s.echo.GET("/boom", func(c echo.Context) error { panic("the secret cause") })
	h := s.Handler()
	r := get(t, h, "/v1/articles/s01")
	id := r.Header.Get(echo.HeaderXRequestID)
	boom := get(t, h, "/boom")
	var found, cause bool
	for _, l := range buf.lines() {
		if l["msg"] == "request" && l["request_id"] == id {
			found = l["route"] == "/v1/articles/:id" && l["status"] == float64(http.StatusOK) && l["latency_ms"] != nil && l["method"] == "GET"
		}
		if e, _ := l["err"].(string); l["request_id"] == boom.Header.Get(echo.HeaderXRequestID) && strings.Contains(e, "the secret cause") {
			cause = true
		}
	}
	if !found {
		t.Errorf("no request line with id %s, route, status and latency: %v", id, buf.lines())
	}
	if !cause || strings.Contains(string(boom.Body), "secret") {
		t.Errorf("panic cause logged %v; body %s", cause, boom.Body)
	}
}
