package server

import (
	"io/fs"
	"path/filepath"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus series of one server, on their own registry
// (two servers in one process, as in tests, don't collide).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	hits     prometheus.Histogram
}

func newMetrics(ix Engine, dir string) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bahth_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "bahth_http_request_duration_seconds", Help: "HTTP request latency by route pattern, method and status code.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route", "method", "code"})
	m.hits = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "bahth_search_results", Help: "Total matching articles per search (10,000 where counting stopped: total_relation gte).",
		Buckets: []float64{0, 1, 10, 100, 1000, 10000, 100000},
	})
	articles := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "bahth_index_articles", Help: "Articles in the index.",
	}, func() float64 {
		n, err := ix.Count()
		if err != nil {
			return -1
		}
		return float64(n)
	})
	m.reg.MustRegister(m.requests, m.latency, m.hits, articles,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if dir != "" {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "bahth_index_size_bytes", Help: "Bytes of the index's files on disk.",
		}, func() float64 { return float64(dirSize(dir)) }))
	}
	return m
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(route, method, code).Inc()
	m.latency.WithLabelValues(route, method, code).Observe(d.Seconds())
}

func (m *metrics) handler() echo.HandlerFunc {
	// The gzip middleware compresses; promhttp doing it too would compress twice.
	return echo.WrapHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{DisableCompression: true}))
}

// dirSize adds up the sizes of the files under dir (following a symlinked
// dir itself); unreadable entries count as 0.
func dirSize(dir string) int64 {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return 0
	}
	var n int64
	filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
