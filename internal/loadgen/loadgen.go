// Package loadgen is a small closed-loop HTTP load generator for `bahth
// bench-http`: a fixed number of clients, each sending its next request as
// soon as the previous answer is read, over a list of URLs taken in turn.
// It reports requests per second and latency percentiles, and counts as an
// error every transport failure and every status other than 200.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Options of one run.
type Options struct {
	URLs        []string      // requested in turn (client i starts at URL i)
	Concurrency int           // clients; 0 means 1
	Duration    time.Duration // how long to send; 0 means until every URL was sent once
	Warmup      time.Duration // requests in this first stretch are not measured
	Client      *http.Client  // nil: one with keep-alive sized for Concurrency
}

// Result of one run.
type Result struct {
	Concurrency   int
	Requests      int           // measured answers, errors included
	Errors        int           // transport errors and statuses other than 200
	FirstError    string        // the first error, for the report
	Elapsed       time.Duration // of the measured stretch
	RPS           float64
	P50, P90, P99 time.Duration
	Max           time.Duration
	Bytes         int64 // response bytes read
}

func (r Result) String() string {
	return fmt.Sprintf("c=%-3d %7d req %4d err %8.1f req/s  p50 %6.2fms  p90 %6.2fms  p99 %6.2fms  max %6.1fms",
		r.Concurrency, r.Requests, r.Errors, r.RPS, msf(r.P50), msf(r.P90), msf(r.P99), msf(r.Max))
}

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Run sends requests until the duration is over (or every URL was sent
// once) or ctx ends.
func Run(ctx context.Context, o Options) (Result, error) {
	if len(o.URLs) == 0 {
		return Result{}, fmt.Errorf("loadgen: no URLs")
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 1
	}
	client := o.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: o.Concurrency, MaxIdleConnsPerHost: o.Concurrency, DisableCompression: false,
		}}
	}
	start := time.Now()
	measureFrom := start.Add(o.Warmup)
	var stop time.Time
	if o.Duration > 0 {
		stop = measureFrom.Add(o.Duration)
	}
	var next atomic.Int64
	var mu sync.Mutex
	res := Result{Concurrency: o.Concurrency}
	var lats []time.Duration
	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Go(func() {
			var mine []time.Duration
			var errs, n int
			var first string
			var bytes int64
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if stop.IsZero() && i >= len(o.URLs) {
					break
				}
				t0 := time.Now()
				if !stop.IsZero() && t0.After(stop) {
					break
				}
				b, err := fetch(ctx, client, o.URLs[i%len(o.URLs)])
				d := time.Since(t0)
				if t0.Before(measureFrom) {
					continue
				}
				n++
				bytes += b
				mine = append(mine, d)
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			lats = append(lats, mine...)
			res.Requests += n
			res.Errors += errs
			res.Bytes += bytes
			if res.FirstError == "" {
				res.FirstError = first
			}
		})
	}
	wg.Wait()
	end := time.Now()
	if stop.IsZero() || end.Before(stop) {
		stop = end
	}
	res.Elapsed = stop.Sub(measureFrom)
	if res.Elapsed > 0 {
		res.RPS = float64(res.Requests) / res.Elapsed.Seconds()
	}
	slices.Sort(lats)
	res.P50, res.P90, res.P99 = percentile(lats, 0.50), percentile(lats, 0.90), percentile(lats, 0.99)
	if len(lats) > 0 {
		res.Max = lats[len(lats)-1]
	}
	return res, ctx.Err()
}

// fetch GETs url, reads the whole body and returns its size; a status
// other than 200 is an error.
func fetch(ctx context.Context, c *http.Client, url string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return n, err
	}
	if resp.StatusCode != http.StatusOK {
		return n, fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	return n, nil
}

// percentile of sorted latencies by the nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
