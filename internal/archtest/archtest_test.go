// Package archtest holds STYLE.md rule 14 as a test: the layering of
// analyzer, index and server is checked against the import graph reported by
// `go list -deps`, so a forbidden import fails `go test ./...` instead of
// waiting for review. Model: tailscale tstest/deptest.
package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/bahth/bahth"

// A rule forbids a package some imports.
type rule struct {
	from   string   // import path of the package the rule is about
	forbid []string // forbidden import paths; each also covers the paths below it
	// direct limits the rule to from's own imports. Used where a forbidden
	// package is a legitimate transitive dependency: bleve imports expvar,
	// which imports net/http and log, and bleve's registry imports os.
	direct bool
	// through lists dependencies whose own imports are not followed: what is
	// reachable only through them is allowed.
	through []string
	why     string
}

var rules = []rule{
	{
		from:   module + "/analyzer",
		forbid: []string{module + "/index", module + "/server", "github.com/labstack"},
		why:    "analyzer turns text into tokens; it knows nothing of the index or of HTTP",
	},
	{
		from:   module + "/analyzer",
		forbid: []string{"os", "log", "net/http"}, // "log" covers log/slog
		direct: true,
		why:    "analyzer is pure: no I/O, no logging",
	},
	{
		from:   module + "/index",
		forbid: []string{"github.com/labstack"},
		why:    "index returns domain types and errors; HTTP belongs to server",
	},
	{
		from:   module + "/index",
		forbid: []string{"net/http"},
		direct: true,
		why:    "index returns domain types and errors; HTTP belongs to server",
	},
	{
		from:    module + "/server",
		forbid:  []string{"github.com/blevesearch"},
		through: []string{module + "/index"},
		why:     "server talks to index through an interface it defines; bleve stays behind index",
	},
}

// graph maps an import path to the import paths it imports directly.
type graph map[string][]string

// check returns one line per dependency of r.from that r forbids, with the
// import chain that reaches it, shortest first. Dependencies of a forbidden
// package are not reported: removing it removes them.
func check(r rule, g graph) []string {
	parent := map[string]string{r.from: ""}
	queue := []string{r.from}
	var bad []string
	for len(queue) > 0 {
		pkg := queue[0]
		queue = queue[1:]
		if pkg != r.from {
			if forbidden(pkg, r.forbid) {
				bad = append(bad, chain(parent, pkg))
				continue // what it imports in turn is its own business
			}
			if r.direct || slices.Contains(r.through, pkg) {
				continue
			}
		}
		for _, imp := range g[pkg] {
			if _, seen := parent[imp]; !seen {
				parent[imp] = pkg
				queue = append(queue, imp)
			}
		}
	}
	return bad
}

// forbidden reports whether pkg is one of the paths in forbid or below one.
func forbidden(pkg string, forbid []string) bool {
	for _, f := range forbid {
		if pkg == f || strings.HasPrefix(pkg, f+"/") {
			return true
		}
	}
	return false
}

// chain renders the import path from the root of parent to pkg.
func chain(parent map[string]string, pkg string) string {
	path := []string{pkg}
	for p := parent[pkg]; p != ""; p = parent[p] {
		path = append(path, p)
	}
	slices.Reverse(path)
	return strings.Join(path, " -> ")
}

func TestArchitecture(t *testing.T) {
	root := moduleRoot(t)
	for _, dir := range []string{"analyzer", "index", "server"} {
		t.Run(dir, func(t *testing.T) {
			if !hasGoFiles(t, filepath.Join(root, dir)) {
				t.Skipf("%s/ has no non-test .go files yet; nothing to check", dir)
			}
			pkg := module + "/" + dir
			g := loadGraph(t, root, pkg)
			for _, r := range rules {
				if r.from != pkg {
					continue
				}
				for _, v := range check(r, g) {
					t.Errorf("forbidden import %s\n\t%s (STYLE.md rule 14)", v, r.why)
				}
			}
		})
	}
}

// moduleRoot returns the directory holding go.mod, from `go env GOMOD`.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := goCmd(t, "", "env", "GOMOD")
	if err != nil {
		t.Fatal(err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatalf("go env GOMOD = %q: not inside the module", gomod)
	}
	return filepath.Dir(gomod)
}

// hasGoFiles reports whether dir exists and holds a non-test .go file, that
// is, whether there is a package to list yet.
func hasGoFiles(t *testing.T, dir string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			return true
		}
	}
	return false
}

// loadGraph returns the import graph of pkg and all its dependencies, from
// `go list -deps -json`. A package that does not load (syntax error, missing
// import) fails the test with go's message.
func loadGraph(t *testing.T, root, pkg string) graph {
	t.Helper()
	out, err := goCmd(t, root, "list", "-deps", "-json=ImportPath,Imports", pkg)
	if err != nil {
		t.Fatalf("cannot list the dependencies of %s: %v", pkg, err)
	}
	g := make(graph)
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output for %s: %v", pkg, err)
		}
		g[p.ImportPath] = p.Imports
	}
	if _, ok := g[pkg]; !ok {
		t.Fatalf("go list -deps %s did not list %s itself", pkg, pkg)
	}
	return g
}

// goCmd runs the go command in dir and returns its standard output; the error
// carries its standard error.
func goCmd(t *testing.T, dir string, args ...string) ([]byte, error) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go command not found: %v", err)
	}
	cmd := exec.Command(gobin, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out, nil
}

// TestCheck shows on a made-up graph that check flags what the rules forbid,
// names the chain that imports it, and lets pass what they allow.
func TestCheck(t *testing.T) {
	g := graph{
		"m/analyzer":  {"os", "strings", "github.com/blevesearch/bleve/v2/analysis", "m/util"},
		"m/util":      {"github.com/labstack/echo/v4", "strings"},
		"m/index":     {"github.com/blevesearch/bleve/v2", "context"},
		"m/server":    {"m/index", "github.com/labstack/echo/v4"},
		"m/badserver": {"m/index", "m/util", "github.com/blevesearch/bleve/v2/search"},
		"github.com/blevesearch/bleve/v2/analysis": {"os", "log"},
		"github.com/blevesearch/bleve/v2":          {"expvar"},
		"expvar":                                   {"net/http"},
		"github.com/labstack/echo/v4":              {"net/http", "github.com/labstack/gommon/log"},
	}
	tests := []struct {
		name string
		rule rule
		want []string
	}{
		{
			name: "transitive through a helper, reported once",
			rule: rule{from: "m/analyzer", forbid: []string{"github.com/labstack"}},
			want: []string{"m/analyzer -> m/util -> github.com/labstack/echo/v4"},
		},
		{
			name: "direct only ignores what bleve imports",
			rule: rule{from: "m/analyzer", forbid: []string{"os", "log"}, direct: true},
			want: []string{"m/analyzer -> os"},
		},
		{
			name: "prefix does not match a longer name",
			rule: rule{from: "m/analyzer", forbid: []string{"string"}, direct: true},
			want: nil,
		},
		{
			name: "net/http via bleve when not direct",
			rule: rule{from: "m/index", forbid: []string{"net/http"}},
			want: []string{"m/index -> github.com/blevesearch/bleve/v2 -> expvar -> net/http"},
		},
		{
			name: "net/http direct passes",
			rule: rule{from: "m/index", forbid: []string{"net/http"}, direct: true},
			want: nil,
		},
		{
			name: "bleve through index is allowed",
			rule: rule{from: "m/server", forbid: []string{"github.com/blevesearch"}, through: []string{"m/index"}},
			want: nil,
		},
		{
			name: "bleve around index is not",
			rule: rule{from: "m/badserver", forbid: []string{"github.com/blevesearch"}, through: []string{"m/index"}},
			want: []string{"m/badserver -> github.com/blevesearch/bleve/v2/search"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := check(tc.rule, g); !slices.Equal(got, tc.want) {
				t.Errorf("check = %q, want %q", got, tc.want)
			}
		})
	}
}
