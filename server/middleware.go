package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// csp lets the embedded page (issue 6) load its own scripts, styles and
// fonts and call the API; nothing from elsewhere, no inline script, no
// framing.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// unlimited routes are not rate limited: probes and scrapes.
var unlimited = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// middleware installs, outermost first: request ids, logging and metrics
// (which also turn errors into responses so they see the final status),
// panic recovery, security headers, CORS, gzip and the per-client rate
// limit. Writes add a body limit and the API key check (routes.go).
func (s *Server) middleware() {
	e := s.echo
	e.Use(middleware.RequestID())
	e.Use(s.observe)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "request_id", requestID(c), "route", c.Path(), "err", err, "stack", string(stack))
			return fmt.Errorf("recovered: %w", err)
		},
	}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0", // the legacy auditor is off in browsers and harmful; CSP replaces it
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            31536000, // sent only over TLS or behind an https proxy
		ContentSecurityPolicy: csp,
		ReferrerPolicy:        "strict-origin-when-cross-origin",
	}))
	if len(s.cfg.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:  s.cfg.CORSOrigins,
			AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete},
			AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderContentType},
			ExposeHeaders: []string{echo.HeaderXRequestID, "Retry-After"},
			MaxAge:        600,
		}))
	}
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024}))
	if s.cfg.RateLimit > 0 {
		e.Use(s.rateLimit())
	}
}

// observe logs each request (slog JSON: route, status, latency, request id)
// and counts it in the metrics. It hands errors to the error handler itself
// so that the status it records is the one sent.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" || route == "/*" && c.Response().Status == http.StatusNotFound {
			route = "unmatched"
		}
		status := c.Response().Status
		latency := time.Since(start)
		s.metrics.observe(route, c.Request().Method, status, latency)
		level := s.log.Info
		if status >= 500 {
			level = s.log.Error
		}
		level("request", "request_id", requestID(c), "method", c.Request().Method, "route", route,
			"status", status, "latency_ms", float64(latency.Microseconds())/1000, "bytes", c.Response().Size,
			"remote_ip", c.RealIP())
		return nil
	}
}

// rateLimit allows each client IP RateLimit requests per second with bursts
// of RateBurst; beyond, 429 with Retry-After in whole seconds.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(s.cfg.RateLimit), Burst: s.cfg.RateBurst, ExpiresIn: 3 * time.Minute,
	})
	retry := fmt.Sprint(int(math.Ceil(1 / s.cfg.RateLimit)))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool { return unlimited[c.Path()] },
		Store:   store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			return c.RealIP(), nil
		},
		DenyHandler: func(c echo.Context, id string, err error) error {
			e := errorf(http.StatusTooManyRequests, "rate_limited",
				"more than %g requests per second from %s; retry after %s s", s.cfg.RateLimit, id, retry)
			e.Header = map[string]string{"Retry-After": retry}
			return e
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return badParam("could not tell the client's address: %v", err)
		},
	})
}

// requireKey guards the write routes: with no key configured they are
// disabled (403 saying how to enable them); otherwise the request needs
// "Authorization: Bearer KEY", compared in constant time.
func (s *Server) requireKey(next echo.HandlerFunc) echo.HandlerFunc {
	want := sha256.Sum256([]byte(s.cfg.APIKey))
	return func(c echo.Context) error {
		if s.cfg.APIKey == "" {
			return errorf(http.StatusForbidden, "writes_disabled",
				"writes are disabled on this server; start it with --api-key KEY (or BAHTH_API_KEY=KEY) and send Authorization: Bearer KEY")
		}
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			e := errorf(http.StatusUnauthorized, "unauthorized", "writes need an Authorization: Bearer KEY header")
			e.Header = map[string]string{echo.HeaderWWWAuthenticate: `Bearer realm="bahth"`}
			return e
		}
		got := sha256.Sum256([]byte(token))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			e := errorf(http.StatusUnauthorized, "unauthorized", "the API key in the Authorization header is not the server's")
			e.Header = map[string]string{echo.HeaderWWWAuthenticate: `Bearer realm="bahth", error="invalid_token"`}
			return e
		}
		return next(c)
	}
}

// bodyLimit caps a write body at MaxBodyBytes.
func (s *Server) bodyLimit() echo.MiddlewareFunc {
	limit := middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: fmt.Sprintf("%dB", s.cfg.MaxBodyBytes)})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		h := limit(next)
		return func(c echo.Context) error {
			err := h(c)
			var he *echo.HTTPError
			if errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
				// echo's own message is its status text ("Request Entity Too Large").
				return errorf(http.StatusRequestEntityTooLarge, "body_too_large",
					"the body is over %d bytes, the most a write accepts (--max-body)", s.cfg.MaxBodyBytes)
			}
			return err
		}
	}
}
