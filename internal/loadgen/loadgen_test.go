package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCountsRequestsAndErrors(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/bad" {
			http.Error(w, "no", http.StatusTeapot)
			return
		}
		time.Sleep(time.Millisecond)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	urls := []string{srv.URL + "/a", srv.URL + "/b", srv.URL + "/bad", srv.URL + "/c"}
	res, err := Run(context.Background(), Options{URLs: urls, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 4 || res.Errors != 1 || hits.Load() != 4 || res.FirstError == "" {
		t.Fatalf("%+v (server saw %d)", res, hits.Load())
	}
	if res.P50 < time.Millisecond || res.P99 < res.P50 || res.Max < res.P99 || res.RPS <= 0 || res.Bytes == 0 {
		t.Errorf("implausible figures: %+v", res)
	}
	res, _ = Run(context.Background(), Options{URLs: urls[:2], Concurrency: 3, Duration: 100 * time.Millisecond, Warmup: 20 * time.Millisecond})
	if res.Requests < 10 || res.Errors != 0 || res.Elapsed < 90*time.Millisecond {
		t.Errorf("timed run: %+v", res)
	}
}

func TestPercentile(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for p, want := range map[float64]time.Duration{0.5: 5, 0.9: 9, 0.99: 10, 0: 1} {
		if got := percentile(d, p); got != want {
			t.Errorf("p%v = %d, want %d", p, got, want)
		}
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("empty")
	}
}
