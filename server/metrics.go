package server

import (
	"io/fs"
	"path/filepath"
	"strconv"
	"time"

	"github.com/bahth/bahth/index"
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
	if cs, ok := ix.(interface{ CacheStats() []index.CacheStat }); ok {
		m.reg.MustRegister(newCacheCollector(cs.CacheStats))
	}
	if dir != "" {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "bahth_index_size_bytes", Help: "Bytes of the index's files on disk.",
		}, func() float64 { return float64(dirSize(dir)) }))
	}
	return m
}

// cacheCollector reports the index's search caches (decoded postings,
// synonym pair hits) at each scrape: hits and misses tell whether their
// memory bounds suit the queries.
type cacheCollector struct {
	stats                                  func() []index.CacheStat
	hits, misses, evictions, bytes, limits *prometheus.Desc
}

func newCacheCollector(stats func() []index.CacheStat) *cacheCollector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, []string{"cache"}, nil)
	}
	return &cacheCollector{stats: stats,
		hits:      desc("bahth_cache_hits_total", "Lookups a search cache answered."),
		misses:    desc("bahth_cache_misses_total", "Lookups a search cache did not hold (then read from the index and kept)."),
		evictions: desc("bahth_cache_evictions_total", "Entries a search cache dropped to stay within its bytes."),
		bytes:     desc("bahth_cache_bytes", "Bytes a search cache holds, by its own estimate."),
		limits:    desc("bahth_cache_max_bytes", "Bytes a search cache may hold."),
	}
}

func (c *cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.hits, c.misses, c.evictions, c.bytes, c.limits} {
		ch <- d
	}
}

func (c *cacheCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.stats() {
		ch <- prometheus.MustNewConstMetric(c.hits, prometheus.CounterValue, float64(s.Hits), s.Name)
		ch <- prometheus.MustNewConstMetric(c.misses, prometheus.CounterValue, float64(s.Misses), s.Name)
		ch <- prometheus.MustNewConstMetric(c.evictions, prometheus.CounterValue, float64(s.Evictions), s.Name)
		ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(s.Bytes), s.Name)
		ch <- prometheus.MustNewConstMetric(c.limits, prometheus.GaugeValue, float64(s.MaxBytes), s.Name)
	}
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
