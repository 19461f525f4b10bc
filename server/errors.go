package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bahth/bahth/index"
	"github.com/labstack/echo/v4"
)

// Error is an error a client is meant to read: the status it is answered
// with, a stable code and a message that names the parameter at fault and
// what would be accepted. Handlers return it (or an index sentinel that the
// table below maps); Header carries extra response headers (Retry-After).
type Error struct {
	Status  int
	Code    string
	Message string
	Header  map[string]string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// errorf builds an Error.
func errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// badParam is the common 400 for a query parameter.
func badParam(format string, args ...any) *Error {
	return errorf(http.StatusBadRequest, "invalid_parameter", format, args...)
}

// errTimeout answers a search cut by the per-request deadline. It is a 4xx:
// the query asked for more work than the server gives one request.
var errTimeout = errorf(http.StatusRequestTimeout, "timeout", "the request took longer than the server's limit and was stopped; narrow the query (fewer words, filters, a smaller size)")

// sentinels maps the index's errors to answers, first match wins. The
// message of ErrInvalidQuery and ErrInvalidArticle is the error's own text
// (it names the parameter or field), less the sentinel's prefix.
var sentinels = []struct {
	err    error
	status int
	code   string
}{
	{index.ErrInvalidQuery, http.StatusBadRequest, "invalid_parameter"},
	{index.ErrInvalidArticle, http.StatusBadRequest, "invalid_article"},
	{index.ErrNotFound, http.StatusNotFound, "not_found"},
}

// echoCodes names the codes of the errors echo itself raises (router,
// body limit, middleware).
var echoCodes = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestTimeout:        "timeout",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusServiceUnavailable:    "unavailable",
}

// toError maps any error a handler or middleware returns to what the client
// is told. Unknown errors are 500s with a generic message; their cause is
// only logged (the bool says so).
func toError(err error) (e *Error, internal bool) {
	var ae *Error
	if errors.As(err, &ae) {
		return ae, false
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			msg := err.Error()
			if i := strings.Index(msg, s.err.Error()+": "); i >= 0 {
				msg = msg[i+len(s.err.Error())+2:]
			}
			return errorf(s.status, s.code, "%s", msg), false
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errTimeout, false
	}
	var he *echo.HTTPError
	if errors.As(err, &he) && he.Code >= 400 && he.Code < 500 {
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
		code := echoCodes[he.Code]
		if code == "" {
			code = "bad_request"
		}
		return errorf(he.Code, code, "%s", strings.ToLower(msg[:1])+msg[1:]), false
	}
	return errorf(http.StatusInternalServerError, "internal", "internal error; quote the X-Request-ID header when reporting it"), true
}

// errorBody is the one error shape: {"error":{"code","message"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorHandler is echo's HTTPErrorHandler: every error, from handlers,
// middleware, the router (404, 405) and recovered panics, leaves here in the
// one shape. Internal causes go to the log with the request id.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	e, internal := toError(err)
	switch {
	case errors.Is(err, echo.ErrNotFound):
		e = errorf(http.StatusNotFound, "not_found", "no such endpoint: %s %s; see /openapi.json", c.Request().Method, c.Request().URL.Path)
	case errors.Is(err, echo.ErrMethodNotAllowed):
		e = errorf(http.StatusMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s; allowed: %s", c.Request().Method, c.Request().URL.Path, c.Response().Header().Get(echo.HeaderAllow))
	}
	if internal {
		if errors.Is(err, context.Canceled) {
			s.log.Info("client went away", "request_id", requestID(c), "route", c.Path())
		} else {
			s.log.Error("internal error", "request_id", requestID(c), "route", c.Path(), "err", err)
		}
	}
	for k, v := range e.Header {
		c.Response().Header().Set(k, v)
	}
	body := errorBody{errorDetail{e.Code, e.Message}}
	var werr error
	if c.Request().Method == http.MethodHead {
		werr = c.NoContent(e.Status)
	} else {
		werr = c.JSON(e.Status, body)
	}
	if werr != nil {
		s.log.Warn("writing error response", "request_id", requestID(c), "err", werr)
	}
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}
