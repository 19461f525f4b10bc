package server_test

// End-to-end tests of the search page (issue 6) in headless Chromium: the
// real echo app over a real index of the sample articles plus an XSS
// fixture, driven with chromedp the way a reader uses the page.
//
// Chromium is Debian's `chromium` package (.ci/run installs it). Without a
// chromium binary the tests skip with a message, except under CI=true, where
// they fail. BAHTH_CHROMIUM names another binary. Screenshots go to
// $BAHTH_SCREENSHOTS, or to bahth-screenshots under the system's temporary
// folder; the test logs where.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/samples"
	"github.com/bahth/bahth/server"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// xssArticle is indexed beside the samples: its title, summary and body
// carry markup that would run if the page inserted article text as HTML.
// Each payload sets window.__xss, which the test asserts stays unset.
var xssArticle = map[string]any{
	"id":           "xss-1",
	"title":        `اختبار أمان الصفحة <script>window.__xss="title-script"</script><img src=x onerror="window.__xss='title-img'">`,
	"summary":      `ملخص اختبار أمان <img src=x onerror="window.__xss='summary-img'">`,
	"body":         "فقرة اختبار أمان أولى فيها <img src=x onerror=\"window.__xss='body-img'\"> وسط الكلام.\nفقرة ثانية عن اختبار أمان الصفحة <script>window.__xss='body-script'</script> وتنتهي هنا.",
	"section":      `أمن <b onmouseover="window.__xss='section'">`,
	"source":       `مختبر <img src=x onerror="window.__xss='source-img'">`,
	"author":       []string{`كاتب <img src=x onerror="window.__xss='author-img'">`},
	"url":          `javascript:window.__xss='url'`,
	"published_at": "2025-01-05T10:00:00Z",
}

// chromiumPath finds the browser, or skips (fails under CI=true).
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BAHTH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH under CI: .ci/run installs it with apt-get install -y chromium")
	}
	t.Skip("browser tests skipped: no chromium binary on PATH (apt-get install -y chromium, or set BAHTH_CHROMIUM)")
	return ""
}

// slowEngine is the real index with searches for slowQuery held back by
// slowBy, to show the page's slow state.
type slowEngine struct{ *index.Index }

const (
	slowQuery = "بطيء"
	slowBy    = 2500 * time.Millisecond
)

func (e slowEngine) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	if strings.Contains(req.Query, slowQuery) {
		select {
		case <-time.After(slowBy):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return e.Index.Search(ctx, req)
}

// pageServer serves the page and the API over a real index of the samples
// and the XSS fixture (searches for slowQuery are slowed down); configure,
// when given, changes the server's Config.
func pageServer(t *testing.T, configure ...func(*server.Config)) *httptest.Server {
	t.Helper()
	ix, err := index.Create(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	xss, err := json.Marshal(xssArticle)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"samples": samples.Articles, "xss": xss} {
		if _, err := ix.Load(bytes.NewReader(data), name); err != nil {
			t.Fatalf("loading %s: %v", name, err)
		}
	}
	cfg := server.Config{Web: server.Web(), RateLimit: -1, SearchTimeout: 2 * slowBy}
	for _, f := range configure {
		f(&cfg)
	}
	srv := server.New(slowEngine{ix}, cfg)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// browser starts headless Chromium at 1280×900 and returns a tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "ar"),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	// The first action starts the browser, which lives as long as the
	// context of that call: it gets no timeout; the steps after it do.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancelC()
		cancelA()
		t.Fatalf("starting %s: %v", path, err)
	}
	tctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return tctx
}

func screenshotDir(t *testing.T) string {
	dir := os.Getenv("BAHTH_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "bahth-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// run runs actions, failing the test with what step names.
func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second) // one step; leaves time to report
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({status: document.getElementById("status")?.textContent, q: document.getElementById("q")?.value, loading: document.body.className, hits: document.querySelectorAll("#results > li").length})`))
		t.Fatalf("%s: %v (at %s, page %s)", step, err, loc, state)
	}
}

// eval runs a JavaScript expression and decodes its value into out. An
// evaluation that races a navigation (the page's execution context was
// replaced: "Cannot find context with specified id") is retried, a few
// times, in the new page.
func eval[T any](t *testing.T, ctx context.Context, expr string, out *T) {
	t.Helper()
	var err error
	for range 5 {
		var v T
		if v, err = chromedp.Run(ctx, chromedp.Evaluate[T](expr)); err == nil {
			*out = v
			return
		}
		if !strings.Contains(err.Error(), "Cannot find context") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("evaluating %s: %v", expr, err)
}

// waitIdle waits until the page has shown what it loaded: no request in
// flight and the status line not "searching". A poll that races a
// navigation (its execution context replaced: "Cannot find context with
// specified id", seen once in CI right after a first Navigate) polls
// again in the new page, a few times.
func waitIdle() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		var err error
		for range 5 {
			poll := chromedp.Poll[chromedp.Void](`!document.body.classList.contains("loading") && !/جارٍ/.test(document.getElementById("status").textContent)`,
				chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))
			if _, err = poll(ctx, tg); err == nil || !strings.Contains(err.Error(), "Cannot find context") {
				return chromedp.Void{}, err
			}
			time.Sleep(100 * time.Millisecond)
		}
		return chromedp.Void{}, err
	}
}

// hitIDs returns the ids of the results shown, in order.
func hitIDs(t *testing.T, ctx context.Context) []string {
	var ids []string
	eval(t, ctx, `[...document.querySelectorAll("#results > li.hit")].map(li => li.dataset.id)`, &ids)
	return ids
}

func location(t *testing.T, ctx context.Context) *url.URL {
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// apiSearch asks the API what the page should show.
func apiSearch(t *testing.T, ts *httptest.Server, params url.Values) (res struct {
	Total      int    `json:"total"`
	Suggestion string `json:"suggestion"`
	Hits       []struct {
		ID     string   `json:"id"`
		Copies []string `json:"copies"`
	} `json:"hits"`
}) {
	t.Helper()
	resp, err := http.Get(ts.URL + "/v1/search?" + params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /v1/search?%s: %s", params.Encode(), resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

// do runs a JavaScript statement as a step.
func do(stmt string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](stmt+"; true")(ctx, tg)
		return err
	})
}

// chooseSort picks an option of the sort menu as a reader's choice does.
func chooseSort(value string) chromedp.Action[chromedp.Void] {
	return do(`{ const s = document.getElementById("sort"); s.value = ` + jsString(value) + `; s.dispatchEvent(new Event("change")) }`)
}

// typeQuery clears the search box and types text as key presses.
func typeQuery(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Focus(chromedp.ID("q")),
		do(`document.getElementById("q").value = ""`),
		chromedp.SendKeys(chromedp.ID("q"), text),
	)
}

// TestBrowserSearchJourney walks a reader through the page: type-ahead
// picked with the keyboard, marked results, a facet, paging, an article
// and its related coverage, and back.
func TestBrowserSearchJourney(t *testing.T) {
	ts := pageServer(t)
	ctx := browser(t)

	run(t, ctx, "opening the page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("welcome")))
	var lang, dir string
	eval(t, ctx, `document.documentElement.lang`, &lang)
	eval(t, ctx, `document.documentElement.dir`, &dir)
	if lang != "ar" || dir != "rtl" {
		t.Errorf("<html lang=%q dir=%q>, want ar rtl", lang, dir)
	}

	// Type-ahead: a hamza variant of an unfinished word, the first
	// suggestion picked with ArrowDown and Enter.
	run(t, ctx, "typing الإستثم",
		typeQuery("الإستثم"),
		chromedp.WaitVisible(chromedp.CSS(`#suggestions [role=option]`)))
	var expanded, active, firstOption string
	eval(t, ctx, `document.getElementById("q").getAttribute("aria-expanded")`, &expanded)
	eval(t, ctx, `document.querySelector("#suggestions [role=option]").textContent`, &firstOption)
	if expanded != "true" {
		t.Errorf("combobox aria-expanded = %q with suggestions shown", expanded)
	}
	run(t, ctx, "ArrowDown", chromedp.KeyEvent(kb.ArrowDown))
	eval(t, ctx, `document.getElementById("q").getAttribute("aria-activedescendant") || ""`, &active)
	if active == "" {
		t.Error("ArrowDown highlighted no option (aria-activedescendant empty)")
	}
	run(t, ctx, "Enter on the suggestion", chromedp.KeyEvent(kb.Enter), waitIdle(),
		chromedp.WaitVisible(chromedp.CSS(`#results > li.hit`)))
	if !strings.Contains(firstOption, "ستثمار") {
		t.Errorf("first suggestion for الإستثم = %q, want a completion to الاستثمار", firstOption)
	}
	u := location(t, ctx)
	q := u.Query().Get("q")
	if q != strings.TrimSpace(firstOption) {
		t.Errorf("address q = %q after picking %q", q, firstOption)
	}
	want := apiSearch(t, ts, url.Values{"q": {q}})
	ids := hitIDs(t, ctx)
	if len(ids) == 0 || len(want.Hits) == 0 || ids[0] != want.Hits[0].ID {
		t.Fatalf("results %v, want the API's first hit %v first", ids, want.Hits)
	}
	if g := map[string]bool{"s15": true, "s16": true, "s17": true}; !g[ids[0]] {
		t.Errorf("first hit for %q is %s, want the Samsung Duqm story (s15, s16 or s17)", q, ids[0])
	}
	var marks []string
	eval(t, ctx, `[...document.querySelectorAll("#results > li.hit:first-child mark")].map(m => m.textContent)`, &marks)
	if !anyContains(marks, "ستثمار") {
		t.Errorf("first hit marks %q, want the استثمار words marked", marks)
	}
	var summary string
	eval(t, ctx, `document.getElementById("summary").textContent`, &summary)
	if !strings.Contains(summary, "نتائج") && !strings.Contains(summary, "نتيجة") || !strings.Contains(summary, "ثانية") {
		t.Errorf("summary line %q lacks the result count and timing", summary)
	}

	// Wire copies: folded under the first story, listed when opened.
	checkCopies(t, ctx, ts)

	// A section facet narrows the results; its chip removes it.
	run(t, ctx, "clicking the اقتصاد facet",
		chromedp.Click(chromedp.CSS(`#facets details[data-facet=section] button[data-value="اقتصاد"]`)), waitIdle())
	if got := location(t, ctx).Query().Get("section"); got != "اقتصاد" {
		t.Errorf("address section = %q after the facet click", got)
	}
	var sections []string
	eval(t, ctx, `[...document.querySelectorAll("#results > li.hit .meta .section")].map(s => s.textContent)`, &sections)
	narrowed := apiSearch(t, ts, url.Values{"q": {q}, "section": {"اقتصاد"}})
	if len(sections) == 0 || len(sections) != len(narrowed.Hits) {
		t.Errorf("%d hits shown after the facet, the API has %d", len(sections), len(narrowed.Hits))
	}
	for _, s := range sections {
		if s != "اقتصاد" {
			t.Errorf("hit in section %q shown under the اقتصاد facet", s)
		}
	}
	run(t, ctx, "removing the facet", chromedp.Click(chromedp.CSS(`#active-filters .chip`)), waitIdle())
	if u := location(t, ctx); u.Query().Has("section") || len(hitIDs(t, ctx)) != len(want.Hits) {
		t.Errorf("after removing the facet: address %s, %d hits (want %d)", u, len(hitIDs(t, ctx)), len(want.Hits))
	}

	// Sorted by date: newest first, and said in the address.
	run(t, ctx, "sorting by date", chromedp.Focus(chromedp.ID("sort")),
		chooseSort("date"), waitIdle())
	if got := location(t, ctx).Query().Get("sort"); got != "date" {
		t.Errorf("address sort = %q after choosing الأحدث", got)
	}
	var dates []string
	eval(t, ctx, `[...document.querySelectorAll("#results > li.hit .meta time")].map(t => t.getAttribute("datetime"))`, &dates)
	if len(dates) < 2 || !slices.IsSortedFunc(dates, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("dates sorted by date: %v, want newest first", dates)
	}
	run(t, ctx, "sorting by relevance again",
		chooseSort("relevance"), waitIdle())
	if got := hitIDs(t, ctx); strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Errorf("back to relevance: %v, want %v again", got, ids)
	}

	// A broad query, paged.
	run(t, ctx, "searching العربية", typeQuery("العربية"), chromedp.KeyEvent(kb.Enter), waitIdle(), chromedp.WaitVisible(chromedp.CSS(`#pager a[rel=next]`)))
	page1 := hitIDs(t, ctx)
	run(t, ctx, "next page", chromedp.Click(chromedp.CSS(`#pager a[rel=next]`)), waitIdle())
	u = location(t, ctx)
	if u.Query().Get("page") != "2" || u.Query().Get("q") != "العربية" {
		t.Errorf("address after next page: %s", u)
	}
	page2 := hitIDs(t, ctx)
	wantPage2 := apiSearch(t, ts, url.Values{"q": {"العربية"}, "page": {"2"}, "size": {"10"}})
	if len(page2) == 0 || page2[0] != wantPage2.Hits[0].ID || page2[0] == page1[0] {
		t.Errorf("page 2 shows %v (page 1 %v), the API's page 2 starts with %s", page2, page1, wantPage2.Hits[0].ID)
	}
	var current string
	eval(t, ctx, `document.querySelector("#pager [aria-current=page]").textContent`, &current)
	if current != "٢" {
		t.Errorf("current page shown as %q, want ٢ (Arabic-Indic digits by default)", current)
	}

	// An article and its related coverage.
	var title string
	eval(t, ctx, `document.querySelector("#results > li.hit:first-child h2").textContent`, &title)
	run(t, ctx, "opening the first article", do("window.scrollTo(0, 120)"),
		chromedp.Click(chromedp.CSS(`#results > li.hit:first-child h2 a`)),
		chromedp.WaitVisible(chromedp.ID("article-view")), waitIdle(),
		chromedp.Poll[chromedp.Void](`!/جارٍ/.test(document.getElementById("related").textContent)`, chromedp.WithPollingTimeout(10*time.Second)))
	u = location(t, ctx)
	if u.Path != "/articles/"+page2[0] || u.Query().Get("q") != "العربية" {
		t.Errorf("article address %s, want /articles/%s keeping the search", u, page2[0])
	}
	var h1 string
	eval(t, ctx, `document.getElementById("article-title").textContent`, &h1)
	if h1 != stripSpace(title) && !strings.Contains(stripSpace(title), h1) {
		t.Errorf("article title %q, result title %q", h1, title)
	}
	related := relatedIDs(t, ctx)
	if len(related) == 0 {
		t.Fatalf("article %s shows no related coverage", page2[0])
	}
	run(t, ctx, "opening related coverage",
		chromedp.Click(chromedp.CSS(`#related > li.hit:first-child h3 a`)), waitIdle())
	if u := location(t, ctx); u.Path != "/articles/"+related[0] {
		t.Errorf("related link went to %s, want /articles/%s", u, related[0])
	}
	shot(t, ctx, desktop, "article-desktop.png")

	// Back twice: the first article, then the results page as it was.
	run(t, ctx, "back to the first article", chromedp.NavigateBack(), waitIdle())
	if u := location(t, ctx); u.Path != "/articles/"+page2[0] {
		t.Errorf("back went to %s, want /articles/%s", u, page2[0])
	}
	run(t, ctx, "back to the results", chromedp.NavigateBack(), waitIdle(), chromedp.WaitVisible(chromedp.CSS(`#results > li.hit`)))
	u = location(t, ctx)
	if u.Path != "/" || u.Query().Get("q") != "العربية" || u.Query().Get("page") != "2" {
		t.Errorf("back at %s, want /?q=العربية&page=2", u)
	}
	if got := hitIDs(t, ctx); strings.Join(got, " ") != strings.Join(page2, " ") {
		t.Errorf("results after back %v, want page 2 again %v", got, page2)
	}
	var y float64
	eval(t, ctx, `window.scrollY`, &y)
	if y < 110 || y > 130 {
		t.Errorf("back at the results scrolled to %v, want where the reader left them (120)", y)
	}
	var box string
	eval(t, ctx, `document.getElementById("q").value`, &box)
	if box != "العربية" {
		t.Errorf("search box holds %q after back, want العربية", box)
	}

	// Back again to page 1, forward to page 2.
	run(t, ctx, "back to page 1", chromedp.NavigateBack(), waitIdle())
	if got := hitIDs(t, ctx); len(got) == 0 || got[0] != page1[0] {
		t.Errorf("page 1 after back shows %v, want %v", got, page1)
	}
}

// TestBrowserStates checks the did-you-mean link, the empty and error
// states, Latin digits on request, and takes the desktop and phone
// screenshots of a results page.
func TestBrowserStates(t *testing.T) {
	ts := pageServer(t)
	ctx := browser(t)

	// No results: a clear Arabic message.
	run(t, ctx, "a search with no results",
		chromedp.Navigate(ts.URL+"/?q="+url.QueryEscape("زخرفةمستحيلةجدا")), waitIdle())
	var status string
	eval(t, ctx, `document.getElementById("status").textContent`, &status)
	if !strings.Contains(status, "لم نجد") {
		t.Errorf("empty state says %q", status)
	}

	// A slow search says so while it runs, then shows its results.
	run(t, ctx, "a slow search", chromedp.Navigate(ts.URL+"/?q="+url.QueryEscape(slowQuery+" الكويت")),
		chromedp.Poll[chromedp.Void](`/ما زال البحث جاريًا/.test(document.getElementById("status").textContent)`,
			chromedp.WithPollingTimeout(slowBy)),
		waitIdle(), chromedp.WaitVisible(chromedp.CSS(`#results > li.hit`)))

	// An error from the server (q over the length limit): said in Arabic,
	// with the server's message.
	run(t, ctx, "a rejected search",
		chromedp.Navigate(ts.URL+"/?q="+strings.Repeat("ب", 600)), waitIdle())
	var isError bool
	eval(t, ctx, `document.getElementById("status").classList.contains("error")`, &isError)
	eval(t, ctx, `document.getElementById("status").textContent`, &status)
	if !isError || !strings.Contains(status, "طلب البحث") {
		t.Errorf("error state: error class %v, text %q", isError, status)
	}

	// Did you mean: a misspelling the API corrects is offered as a link.
	miss := "الكويط"
	if res := apiSearch(t, ts, url.Values{"q": {miss}}); res.Suggestion != "" {
		run(t, ctx, "a misspelled search", chromedp.Navigate(ts.URL+"/?q="+url.QueryEscape(miss)), waitIdle(),
			chromedp.WaitVisible(chromedp.ID("did-you-mean")))
		var dym string
		eval(t, ctx, `document.getElementById("did-you-mean").textContent`, &dym)
		if !strings.Contains(dym, res.Suggestion) {
			t.Errorf("did-you-mean line %q lacks %q", dym, res.Suggestion)
		}
	} else {
		t.Errorf("the API offers no suggestion for %q; pick another misspelling for this test", miss)
	}

	// Latin digits on request.
	run(t, ctx, "Latin digits", chromedp.Navigate(ts.URL+"/?digits=latn&q="+url.QueryEscape("العربية")), waitIdle(),
		chromedp.WaitVisible(chromedp.CSS(`#pager [aria-current=page]`)))
	var cur string
	eval(t, ctx, `document.querySelector("#pager [aria-current=page]").textContent`, &cur)
	if cur != "1" {
		t.Errorf("?digits=latn shows page %q, want 1", cur)
	}

	// Screenshots of a results page, desktop and phone.
	results := ts.URL + "/?q=" + url.QueryEscape("الذكاء الاصطناعي")
	run(t, ctx, "desktop results", chromedp.Navigate(results), waitIdle(), chromedp.WaitVisible(chromedp.CSS(`#results > li.hit`)))
	// An Arabic headline that starts with an English name still reads
	// right to left (dir="auto" alone would make it left to right).
	var dirs map[string]string
	eval(t, ctx, `Object.fromEntries([...document.querySelectorAll("#results > li.hit")].map(li => [li.dataset.id, li.querySelector("h2 bdi").dir]))`, &dirs)
	if d, ok := dirs["s13"]; !ok || d != "rtl" {
		t.Errorf("title of s13 (Nvidia تتجاوز…) has dir %q, want rtl (all: %v)", d, dirs)
	}
	shot(t, ctx, desktop, "results-desktop-1280.png")
	run(t, ctx, "phone results",
		phone.emulate(phone.height),
		chromedp.Navigate(results), waitIdle(), chromedp.WaitVisible(chromedp.CSS(`#results > li.hit`)))
	var overflow bool
	eval(t, ctx, `document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)
	if overflow {
		t.Error("the results page scrolls sideways at 390 px")
	}
	shot(t, ctx, phone, "results-phone-390.png")
	run(t, ctx, "an article on the phone", chromedp.Click(chromedp.CSS(`#results > li.hit:first-child h2 a`)),
		chromedp.WaitVisible(chromedp.ID("article-view")), waitIdle())
	var filters string
	eval(t, ctx, `getComputedStyle(document.getElementById("filters")).display`, &filters)
	if filters != "none" {
		t.Errorf("the results' facets show above an article on a phone (display %s)", filters)
	}
	run(t, ctx, "desktop again", chromedp.ResetViewport())
}

// TestBrowserXSS indexes markup in every text field and checks that none of
// it runs or becomes elements, in results, type-ahead and the article view,
// and that it reads as the text it is.
func TestBrowserXSS(t *testing.T) {
	ts := pageServer(t)
	ctx := browser(t)

	run(t, ctx, "type-ahead over the fixture",
		chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")),
		typeQuery("اختبار أمان"),
		chromedp.WaitVisible(chromedp.CSS(`#suggestions [role=option]`)))
	noScript(t, ctx, "type-ahead")

	run(t, ctx, "searching the fixture", chromedp.KeyEvent(kb.Enter),
		waitIdle(), chromedp.WaitVisible(chromedp.CSS(`#results > li.hit[data-id="xss-1"]`)))
	noScript(t, ctx, "results")
	var title, meta, snippets string
	eval(t, ctx, `document.querySelector('li.hit[data-id="xss-1"] h2').textContent`, &title)
	eval(t, ctx, `document.querySelector('li.hit[data-id="xss-1"] .meta').textContent`, &meta)
	eval(t, ctx, `[...document.querySelectorAll('li.hit[data-id="xss-1"] .snippet')].map(p => p.textContent).join(" ")`, &snippets)
	if !strings.Contains(title, `<script>window.__xss="title-script"</script>`) {
		t.Errorf("title shown as %q, want the markup as literal text", title)
	}
	if !strings.Contains(meta, `onmouseover=`) || !strings.Contains(meta, `<img src=x`) {
		t.Errorf("section/source/author shown as %q, want their markup as literal text", meta)
	}
	if !strings.Contains(snippets, "<img src=x") && !strings.Contains(snippets, "<script>") {
		t.Errorf("snippets shown as %q, want the body's markup as literal text", snippets)
	}
	var marks int
	eval(t, ctx, `document.querySelectorAll('li.hit[data-id="xss-1"] h2 mark').length`, &marks)
	if marks == 0 {
		t.Error("the fixture's title has no marked words: its <mark> tags were not kept")
	}

	run(t, ctx, "opening the fixture",
		chromedp.Click(chromedp.CSS(`li.hit[data-id="xss-1"] h2 a`)),
		chromedp.WaitVisible(chromedp.ID("article-view")), waitIdle())
	noScript(t, ctx, "article view")
	var body string
	eval(t, ctx, `document.getElementById("article-body").textContent`, &body)
	if !strings.Contains(body, `<img src=x onerror="window.__xss='body-img'">`) {
		t.Errorf("article body shown as %q, want the markup as literal text", body)
	}
	var links int
	eval(t, ctx, `document.querySelectorAll('#article-view a[href^="javascript:"]').length`, &links)
	if links != 0 {
		t.Error("a javascript: url became a link")
	}
}

// checkCopies searches for the samples' wire stories and, for every hit
// the API returns with wire copies, checks that the page folds them under
// it and lists them by title once opened. It leaves the page on the
// results it started from.
func checkCopies(t *testing.T, ctx context.Context, ts *httptest.Server) {
	t.Helper()
	back := location(t, ctx).String()
	q := "ايران مسقط الكويت حراري الألمنيوم حكام"
	res := apiSearch(t, ts, url.Values{"q": {q}, "size": {"10"}})
	folded := 0
	for _, h := range res.Hits {
		folded += len(h.Copies)
	}
	if folded == 0 {
		// The samples' wire copies (internal/samples/README.md) must fold.
		t.Fatalf("the API folded no wire copies for %q: the copies view can't be checked", q)
	}
	run(t, ctx, "searching the wire stories", chromedp.Navigate(ts.URL+"/?q="+url.QueryEscape(q)), waitIdle())
	for _, h := range res.Hits {
		if len(h.Copies) == 0 {
			continue
		}
		sel := fmt.Sprintf(`#results > li.hit[data-id=%q] details.copies`, h.ID)
		run(t, ctx, "opening the copies of "+h.ID, chromedp.Click(chromedp.CSS(sel+" summary")),
			chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelectorAll(%q).length == %d`, sel+" li .meta", len(h.Copies)),
				chromedp.WithPollingTimeout(5*time.Second)))
		var ids []string
		eval(t, ctx, fmt.Sprintf(`[...document.querySelectorAll(%q)].map(li => li.dataset.id)`, sel+" li"), &ids)
		if strings.Join(ids, " ") != strings.Join(h.Copies, " ") {
			t.Errorf("copies shown under %s: %v, the API folded %v", h.ID, ids, h.Copies)
		}
	}
	run(t, ctx, "back to the results", chromedp.Navigate(back), waitIdle())
}

// TestBrowserEmbedBox puts the embeddable box on a page of another origin
// (a news site), as docs/search-page.md tells: type-ahead comes from
// Bahth's API across origins (CORS), and picking a suggestion with the
// keyboard opens Bahth's results page.
func TestBrowserEmbedBox(t *testing.T) {
	var bahth string
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>صحيفة</title></head>
<body><header><h1>صحيفة الواحة</h1><script src="%s/static/bahth-box.js" data-bahth="%s"></script></header>
<main><bahth-search-box host="%s" placeholder="عنصر ثان"></bahth-search-box></main></body></html>`, bahth, bahth, bahth)
	}))
	t.Cleanup(site.Close)
	ts := pageServer(t, func(c *server.Config) { c.CORSOrigins = []string{site.URL} })
	bahth = ts.URL
	ctx := browser(t)

	const input = `document.querySelector("bahth-search-box").shadowRoot.querySelector("input")`
	const options = `document.querySelector("bahth-search-box").shadowRoot.querySelectorAll("[role=option]")`
	run(t, ctx, "opening the news site", chromedp.Navigate(site.URL+"/"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("bahth-search-box").length == 2 && !!`+input, chromedp.WithPollingTimeout(5*time.Second)),
		do(input+".focus()"), chromedp.KeyEvent("ايران مسق"),
		chromedp.Poll[chromedp.Void](options+".length > 0", chromedp.WithPollingTimeout(5*time.Second)))
	var first, role string
	eval(t, ctx, options+"[0].textContent", &first)
	eval(t, ctx, input+`.getAttribute("role")`, &role)
	if role != "combobox" || !strings.Contains(first, "مسقط") {
		t.Errorf("box input role %q, first suggestion %q (want a combobox completing to مسقط)", role, first)
	}
	run(t, ctx, "picking it with the keyboard", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	waitAcross(t, ctx, "Bahth's results", `location.origin == `+jsString(ts.URL)+` && document.querySelectorAll("#results > li.hit").length > 0`)
	if u := location(t, ctx); u.Path != "/" || u.Query().Get("q") != strings.TrimSpace(first) {
		t.Errorf("the box sent the reader to %s, want %s/?q=%s", u, ts.URL, first)
	}
}

// waitAcross waits for expr to be true on a page that is navigating
// (chromedp's Poll ends with the document it started in).
func waitAcross(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("waiting for %s: not there after 10 s (at %s)", what, loc)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// noScript fails if any payload ran or any payload element exists.
func noScript(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	var flag string
	eval(t, ctx, `String(window.__xss === undefined ? "" : window.__xss)`, &flag)
	if flag != "" {
		t.Errorf("%s: injected script ran (window.__xss = %q)", where, flag)
	}
	var n int
	eval(t, ctx, `document.querySelectorAll("main img, main script, main b, #suggestions img, #suggestions script").length`, &n)
	if n != 0 {
		t.Errorf("%s: %d elements made from article text", where, n)
	}
}

func relatedIDs(t *testing.T, ctx context.Context) []string {
	var ids []string
	eval(t, ctx, `[...document.querySelectorAll("#related > li.hit")].map(li => li.dataset.id)`, &ids)
	return ids
}

// A viewport is a screen size the screenshots are taken at.
type viewport struct {
	width, height int64
	phone         bool // a phone's touch screen at 2× pixels
}

var (
	desktop = viewport{1280, 900, false}
	phone   = viewport{390, 844, true}
)

func (v viewport) emulate(height int64) chromedp.Action[chromedp.Void] {
	if v.phone {
		return chromedp.EmulateViewport(v.width, height, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(v.width, height)
}

// shot saves a screenshot of the whole page at the viewport's width: the
// viewport is made as tall as the page for the capture (chromedp's
// FullScreenshot misplaces a right-to-left page once it has scrolled).
func shot(t *testing.T, ctx context.Context, v viewport, name string) {
	t.Helper()
	var h int64
	eval(t, ctx, `document.documentElement.scrollHeight`, &h)
	run(t, ctx, "sizing for "+name, v.emulate(max(h, v.height)), do("window.scrollTo(0, 0)"))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	run(t, ctx, "resizing after "+name, v.emulate(v.height))
	path := filepath.Join(screenshotDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func stripSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
