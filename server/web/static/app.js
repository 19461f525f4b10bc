/*
 * Bahth's search page (docs/search-page.md).
 *
 * The address is the whole state: /?q=...&section=...&source=...&from=...
 * &to=...&sort=...&page=... is a results page, and /articles/ID?<the same>
 * is the article ID opened from those results (the server answers both
 * paths with this page). Every change goes through navigate(),
 * which pushes the new address and renders it; the back button renders the
 * address it returns to (popstate), so a shared link and a back step show
 * what a reader saw.
 *
 * Safety: article text is untrusted. It is only ever set with textContent.
 * The one exception is the HTML the server builds for a hit's title and
 * snippets (title_html, snippets), which the server escapes whole and then
 * marks with <mark>; that HTML is inserted only after a check that it holds no
 * tag other than <mark> and </mark> (a stale or foreign server that sent
 * more gets its tags shown as text).
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var SLOW_MS = 1500;      // show "still searching" after this
  var TIMEOUT_MS = 15000;  // give up and say so after this
  var FILTERS = ["section", "source", "author", "tag", "from", "to"];
  var STATE_KEYS = ["q"].concat(FILTERS, ["sort", "page"]); // s.a, the article, is in the path
  var FACET_NAMES = { section: "القسم", source: "المصدر", date: "التاريخ", author: "الكاتب", tag: "الوسم" };

  var $ = function (id) { return document.getElementById(id); };
  var el = {
    form: $("search-form"), q: $("q"), list: $("suggestions"), status: $("status"),
    filters: $("filters"), active: $("active-filters"), facets: $("facets"),
    resultsView: $("results-view"), summary: $("summary"), sort: $("sort"), dym: $("did-you-mean"),
    results: $("results"), pager: $("pager"), welcome: $("welcome"), main: $("main"),
    articleView: $("article-view"), back: $("back-link"), aTitle: $("article-title"), aMeta: $("article-meta"),
    aSummary: $("article-summary"), aBody: $("article-body"), aLink: $("article-link"), related: $("related")
  };

  // ---- digits and dates -------------------------------------------------

  // The site picks digits with <html data-digits="arab|latn">; ?digits= in
  // the address overrides it.
  function digits() {
    var p = new URLSearchParams(location.search).get("digits");
    var d = p || document.documentElement.getAttribute("data-digits") || "arab";
    return d === "latn" ? "latn" : "arab";
  }
  function locale() { return "ar-u-nu-" + digits(); }
  function num(n) { return new Intl.NumberFormat(locale()).format(n); }
  function dateText(iso, opts) {
    var d = new Date(iso);
    if (!iso || isNaN(d)) return "";
    return new Intl.DateTimeFormat(locale(), opts || { year: "numeric", month: "long", day: "numeric" }).format(d);
  }
  // A date-facet key: 2024, 2024-05 or 2024-05-01.
  function bucketText(key) {
    var parts = String(key).split("-");
    var opts = parts.length === 1 ? { year: "numeric" } : parts.length === 2 ? { year: "numeric", month: "long" } : { year: "numeric", month: "long", day: "numeric" };
    var d = new Date(Date.UTC(+parts[0], parts[1] ? +parts[1] - 1 : 0, parts[2] ? +parts[2] : 1));
    if (isNaN(d)) return String(key);
    opts.timeZone = "UTC";
    return new Intl.DateTimeFormat(locale(), opts).format(d);
  }
  // resultsText is "N results" with Arabic's plural forms.
  function resultsText(n) {
    if (n === 0) return "لا نتائج";
    if (n === 1) return "نتيجة واحدة";
    if (n === 2) return "نتيجتان";
    var rule = new Intl.PluralRules("ar").select(n);
    return num(n) + (rule === "few" ? " نتائج" : " نتيجة");
  }
  function tookText(ms) {
    if (ms == null || isNaN(ms)) return "";
    return ms < 1000 ? "في " + num(Math.max(1, Math.round(ms))) + " ملّي ثانية" : "في " + num(Math.round(ms / 100) / 10) + " ثانية";
  }

  // ---- state and the address ------------------------------------------

  // readState reads an address: the search from its query string, the
  // article from its path (/articles/ID).
  function readState(path, search) {
    var p = new URLSearchParams(search);
    var s = {};
    STATE_KEYS.forEach(function (k) { var v = p.get(k); if (v != null && v !== "") s[k] = v; });
    var m = /^\/articles\/([^/]+)\/?$/.exec(path);
    if (m) {
      try { s.a = decodeURIComponent(m[1]); } catch (e) { /* a malformed path is no article */ }
    }
    if (s.page && !(+s.page >= 1)) delete s.page;
    return s;
  }
  function stateURL(s) {
    var p = new URLSearchParams();
    STATE_KEYS.forEach(function (k) { if (s[k] != null && s[k] !== "") p.set(k, s[k]); });
    var d = new URLSearchParams(location.search).get("digits");
    if (d) p.set("digits", d);
    var qs = p.toString();
    return (s.a ? "/articles/" + encodeURIComponent(s.a) : "/") + (qs ? "?" + qs : "");
  }
  function hasSearch(s) { return !!(s.q || FILTERS.some(function (k) { return s[k]; })); }
  function withChange(s, change) {
    var n = {};
    Object.keys(s).forEach(function (k) { n[k] = s[k]; });
    Object.keys(change).forEach(function (k) { if (change[k] == null) delete n[k]; else n[k] = String(change[k]); });
    return n;
  }
  var current = {};
  // cameFrom is the address shown before the current one, so the article's
  // back link can step back instead of pushing a new entry.
  var cameFrom = null;
  function navigate(s, replace) {
    var url = stateURL(s);
    if (replace) history.replaceState({ bahth: true }, "", url);
    else {
      cameFrom = location.pathname + location.search;
      // Remember where the reader was on the page left, for the back button.
      history.replaceState({ bahth: true, y: window.scrollY }, "", location.href);
      history.pushState({ bahth: true }, "", url);
    }
    render(s);
  }
  // A link that navigate()s on a plain click and is a real address for
  // every other use (new tab, copy, share).
  function stateLink(s, text) {
    var a = document.createElement("a");
    a.href = stateURL(s);
    if (text != null) a.textContent = text;
    a.addEventListener("click", function (e) {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(s);
    });
    return a;
  }

  // ---- the API ----------------------------------------------------------

  function APIError(kind, status, message) { this.kind = kind; this.status = status; this.message = message; }
  var inflight = null;
  function getJSON(path, signal) {
    return fetch(path, { headers: { Accept: "application/json" }, signal: signal }).then(function (r) {
      return r.text().then(function (t) {
        var body = null;
        try { body = t ? JSON.parse(t) : null; } catch (e) { /* not JSON */ }
        if (!r.ok) {
          var e = body && body.error;
          throw new APIError("http", r.status, e && e.message ? String(e.message) : "");
        }
        return body;
      });
    }, function (err) {
      if (err && err.name === "AbortError") throw err;
      throw new APIError("network", 0, "");
    });
  }
  // load fetches path, cancelling the previous page load, showing the slow
  // state after SLOW_MS and failing after TIMEOUT_MS.
  function load(path) {
    if (inflight) inflight.abort();
    var ctrl = new AbortController();
    inflight = ctrl;
    var timedOut = false;
    var slow = setTimeout(function () {
      setStatus("ما زال البحث جاريًا… قد يستغرق بعض الوقت.");
    }, SLOW_MS);
    var stop = setTimeout(function () { timedOut = true; ctrl.abort(); }, TIMEOUT_MS);
    document.body.classList.add("loading");
    return getJSON(path, ctrl.signal).then(function (body) {
      return body;
    }, function (err) {
      if (timedOut) throw new APIError("timeout", 0, "");
      throw err;
    }).finally(function () {
      clearTimeout(slow);
      clearTimeout(stop);
      if (inflight === ctrl) { inflight = null; document.body.classList.remove("loading"); }
    });
  }
  function searchPath(s) {
    var p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    FILTERS.forEach(function (k) { if (s[k]) p.set(k, s[k]); });
    if (s.sort) p.set("sort", s.sort);
    if (s.page) p.set("page", s.page);
    p.set("size", PAGE_SIZE);
    p.set("facets", "section,source,date");
    p.set("interval", "month");
    return "/v1/search?" + p.toString();
  }

  // ---- status lines ----------------------------------------------------

  function setStatus(text, isError, retry) {
    el.status.textContent = text || "";
    el.status.classList.toggle("error", !!isError);
    if (retry) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "retry";
      b.textContent = "أعد المحاولة";
      b.addEventListener("click", retry);
      el.status.appendChild(b);
    }
  }
  function showError(err, retry) {
    if (err && err.name === "AbortError") return; // replaced by a newer request
    var text;
    if (err instanceof APIError && err.kind === "timeout") text = "استغرق البحث وقتًا أطول من اللازم فتوقف. جرّب كلمات أقل أو أعد المحاولة.";
    else if (err instanceof APIError && err.kind === "network") text = "تعذّر الاتصال بخادم البحث. تحقّق من اتصالك بالإنترنت ثم أعد المحاولة.";
    else if (err instanceof APIError && err.status === 404) text = "لم نجد هذا الخبر. ربما حُذف أو تغيّر رابطه.";
    else if (err instanceof APIError && err.status === 429) text = "طلبات كثيرة في وقت قصير. انتظر لحظة ثم أعد المحاولة.";
    else if (err instanceof APIError && err.status >= 400 && err.status < 500) text = "لم نستطع قراءة طلب البحث. راجع الكلمات أو المرشحات ثم حاول مجددًا.";
    else text = "حدث خطأ في خادم البحث. أعد المحاولة بعد قليل.";
    setStatus(text, true, err instanceof APIError && err.status >= 400 && err.status < 500 && err.status !== 429 ? null : retry);
    if (err instanceof APIError && err.message) {
      // The API's own words (English today), on a line of their own.
      var detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = err.message;
      setDir(detail);
      el.status.appendChild(detail);
    }
  }

  // ---- server HTML (title and snippets) -------------------------------

  // markedHTML returns the server's escaped-and-marked HTML when it holds no
  // tag but <mark>, and otherwise the same string escaped again, so it shows
  // as text.
  function setMarked(node, html) {
    var s = String(html);
    if (/<(?!\/?mark>)/i.test(s)) node.textContent = s;
    else node.innerHTML = s;
  }

  // setDir gives article text the direction of its letters (dirOf in
  // bahth-box.js says why not just dir="auto").
  function setDir(node) { node.setAttribute("dir", window.Bahth.dirOf(node.textContent)); }

  // ---- rendering: results ---------------------------------------------

  function render(s) {
    current = s;
    el.q.value = s.q || "";
    document.title = s.q ? s.q + " - بحث" : "بحث في الأخبار";
    if (s.a) return renderArticle(s);
    el.articleView.hidden = true;
    if (!hasSearch(s)) {
      setStatus("");
      el.resultsView.hidden = true;
      el.filters.hidden = true;
      el.welcome.hidden = false;
      return Promise.resolve();
    }
    el.welcome.hidden = true;
    setStatus("جارٍ البحث…");
    return load(searchPath(s)).then(function (res) {
      if (current !== s) return;
      renderResults(s, res || {});
    }, function (err) {
      if (current !== s) return;
      el.resultsView.hidden = true;
      showError(err, function () { render(s); });
    });
  }

  function metaLine(art) {
    var p = document.createElement("p");
    p.className = "meta";
    function part(cls, text, tag) {
      if (!text) return;
      var n = document.createElement(tag || "span");
      n.className = cls;
      n.textContent = text;
      p.appendChild(n);
      return n;
    }
    part("section", art.section);
    part("source", art.source, "bdi");
    var t = part("date", dateText(art.published_at), "time");
    if (t) t.setAttribute("datetime", art.published_at);
    var authors = [].concat(art.authors || art.author || []);
    if (authors.length) part("author", authors.join("، "), "bdi");
    return p;
  }

  // hitItem renders one hit; level is the heading level (2 in results, 3 in
  // related coverage).
  function hitItem(hit, level, snippets) {
    var art = hit.article || {};
    var li = document.createElement("li");
    li.className = "hit";
    li.dataset.id = hit.id || art.id;
    var h = document.createElement("h" + level);
    var a = stateLink(withChange(current, { a: hit.id || art.id }));
    var title = document.createElement("bdi");
    var titleHTML = hit.title; // the server's escaped, marked title
    if (titleHTML) setMarked(title, titleHTML);
    else title.textContent = art.title || hit.id;
    setDir(title);
    a.appendChild(title);
    h.appendChild(a);
    li.appendChild(h);
    li.appendChild(metaLine(art));
    if (snippets) {
      var snips = hit.snippets && hit.snippets.length ? hit.snippets : null;
      if (snips) {
        snips.forEach(function (sn) {
          var p = document.createElement("p");
          p.className = "snippet";
          setMarked(p, sn);
          setDir(p);
          li.appendChild(p);
        });
      } else if (art.summary) {
        var p = document.createElement("p");
        p.className = "snippet";
        p.textContent = art.summary;
        setDir(p);
        li.appendChild(p);
      }
    }
    if (hit.copies && hit.copies.length) li.appendChild(copiesBlock(hit.copies));
    return li;
  }

  // copiesBlock folds the wire copies of a story; their titles are fetched
  // when the reader opens it.
  function copiesBlock(ids) {
    var d = document.createElement("details");
    d.className = "copies";
    var sum = document.createElement("summary");
    sum.textContent = ids.length === 1 ? "نسخة أخرى من الخبر نفسه في مصدر آخر" : num(ids.length) + " نسخ أخرى من الخبر نفسه في مصادر أخرى";
    d.appendChild(sum);
    var ul = document.createElement("ul");
    d.appendChild(ul);
    var loaded = false;
    d.addEventListener("toggle", function () {
      if (!d.open || loaded) return;
      loaded = true;
      ids.forEach(function (id) {
        var li = document.createElement("li");
        li.dataset.id = id;
        var a = stateLink(withChange(current, { a: id }), id);
        li.appendChild(a);
        ul.appendChild(li);
        getJSON("/v1/articles/" + encodeURIComponent(id)).then(function (body) {
          var art = articleOf(body);
          var b = document.createElement("bdi");
          b.textContent = art.title || id;
          setDir(b);
          a.textContent = "";
          a.appendChild(b);
          var m = document.createElement("span");
          m.className = "meta";
          m.textContent = " — " + [art.source, dateText(art.published_at)].filter(Boolean).join("، ");
          li.appendChild(m);
        }, function () { /* the id stays as the link text */ });
      });
    });
    return d;
  }

  function renderResults(s, res) {
    var hits = res.hits || [];
    var total = +res.total || 0;
    el.resultsView.hidden = false;
    el.sort.value = s.sort || (s.q ? "relevance" : "date");
    var took = res.took_ms != null ? res.took_ms : res.took != null && res.took > 1e5 ? res.took / 1e6 : res.took;
    // total_relation "gte": the server stopped counting at 10,000.
    var summary = res.total_relation === "gte" ? num(total) + " نتيجة أو أكثر" : resultsText(total);
    el.summary.textContent = summary + (total ? " " + tookText(took) : "");

    // did you mean
    el.dym.textContent = "";
    el.dym.hidden = !res.suggestion;
    if (res.suggestion) {
      var sug = document.createElement("bdi");
      if (res.suggestion_used) {
        // The hits are for the corrected spelling (typo tolerance, or
        // did-you-mean after an empty search).
        el.dym.appendChild(document.createTextNode("نتائج «"));
        sug.textContent = res.suggestion;
        el.dym.appendChild(sug);
        el.dym.appendChild(document.createTextNode("» بدلا من «"));
        var orig = document.createElement("bdi");
        orig.textContent = s.q || "";
        el.dym.appendChild(orig);
        el.dym.appendChild(document.createTextNode("»"));
      } else {
        el.dym.appendChild(document.createTextNode("هل تقصد: "));
        var a = stateLink(withChange(s, { q: res.suggestion, page: null }));
        sug.textContent = res.suggestion;
        a.appendChild(sug);
        el.dym.appendChild(a);
        el.dym.appendChild(document.createTextNode("؟"));
      }
    }

    el.results.textContent = "";
    hits.forEach(function (hit) { el.results.appendChild(hitItem(hit, 2, true)); });
    if (!hits.length) {
      var msg = s.page && +s.page > 1 ? "لا نتائج في هذه الصفحة." : "لم نجد أخبارًا تطابق بحثك.";
      var tips = [];
      if (FILTERS.some(function (k) { return s[k]; })) tips.push("أزل بعض المرشحات");
      if (s.q) tips.push("تأكد من الإملاء أو جرّب كلمات أعم أو أقل");
      setStatus(msg + (tips.length ? " " + tips.join("، أو ") + "." : ""));
    } else {
      setStatus("");
    }
    renderFacets(s, res);
    renderPager(s, total);
  }

  // ---- facets ---------------------------------------------------------

  function renderFacets(s, res) {
    el.active.textContent = "";
    el.facets.textContent = "";
    var chips = [];
    function chip(label, change) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "chip";
      b.textContent = label;
      b.setAttribute("aria-label", "إزالة المرشح: " + label);
      b.addEventListener("click", function () { navigate(withChange(s, Object.assign({ page: null }, change))); });
      chips.push(b);
    }
    ["section", "source", "author", "tag"].forEach(function (k) {
      if (s[k]) chip((FACET_NAMES[k] || k) + ": " + s[k], (function () { var c = {}; c[k] = null; return c; })());
    });
    if (s.from || s.to) {
      var label = s.from && s.from === s.to ? bucketText(s.from) : [s.from ? "من " + bucketText(s.from) : "", s.to ? "إلى " + bucketText(s.to) : ""].join(" ").trim();
      chip(FACET_NAMES.date + ": " + label, { from: null, to: null });
    }
    chips.forEach(function (c) { el.active.appendChild(c); });
    if (chips.length > 1) {
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "chip clear";
      clear.textContent = "إزالة كل المرشحات";
      clear.addEventListener("click", function () {
        var change = { page: null };
        FILTERS.forEach(function (k) { change[k] = null; });
        navigate(withChange(s, change));
      });
      el.active.appendChild(clear);
    }

    var facets = res.facets || {};
    var groups = [];
    ["section", "source"].forEach(function (k) {
      var vals = facets[k] || [];
      if (!vals.length) return;
      groups.push(facetGroup(k, vals.map(function (v) {
        var on = s[k] === v.value;
        var change = { page: null };
        change[k] = on ? null : v.value;
        return { label: v.value, count: v.count, on: on, next: withChange(s, change) };
      })));
    });
    var dates = res.dates || (facets.date && facets.date.map(function (v) { return { key: v.value, count: v.count }; })) || [];
    if (dates.length) {
      groups.push(facetGroup("date", dates.slice().reverse().filter(function (b) { return b.count > 0; }).map(function (b) {
        var on = s.from === b.key && s.to === b.key;
        return {
          label: bucketText(b.key), count: b.count, on: on,
          next: withChange(s, on ? { from: null, to: null, page: null } : { from: b.key, to: b.key, page: null })
        };
      })));
    }
    groups.forEach(function (g) { el.facets.appendChild(g); });
    el.filters.hidden = !groups.length && !chips.length;
  }

  var narrow = window.matchMedia ? window.matchMedia("(max-width: 760px)") : { matches: false };
  function facetGroup(name, entries) {
    var d = document.createElement("details");
    d.open = !narrow.matches || entries.some(function (e) { return e.on; });
    d.dataset.facet = name;
    var sum = document.createElement("summary");
    var h = document.createElement("h2");
    h.textContent = FACET_NAMES[name] || name;
    sum.appendChild(h);
    d.appendChild(sum);
    var ul = document.createElement("ul");
    ul.className = "facet";
    entries.forEach(function (e) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("aria-pressed", e.on ? "true" : "false");
      b.dataset.value = e.label;
      var lab = document.createElement("bdi");
      lab.textContent = e.label;
      var c = document.createElement("span");
      c.className = "count";
      c.textContent = num(e.count);
      c.setAttribute("aria-label", resultsText(e.count));
      b.appendChild(lab);
      b.appendChild(c);
      b.addEventListener("click", function () { navigate(e.next); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    d.appendChild(ul);
    return d;
  }

  // ---- paging -----------------------------------------------------------

  var MAX_PAGES = 1000; // the server's paging window (10,000 hits) at 10 a page
  function renderPager(s, total) {
    el.pager.textContent = "";
    var pages = Math.min(Math.ceil(total / PAGE_SIZE), MAX_PAGES);
    if (pages <= 1) return;
    var page = Math.min(+s.page || 1, pages);
    function link(p, text, rel) {
      var a = stateLink(withChange(s, { page: p === 1 ? null : p }), text);
      if (rel) a.rel = rel;
      if (p === page) a.setAttribute("aria-current", "page");
      a.setAttribute("aria-label", rel === "prev" ? "الصفحة السابقة" : rel === "next" ? "الصفحة التالية" : "الصفحة " + num(p));
      el.pager.appendChild(a);
    }
    if (page > 1) link(page - 1, "السابق", "prev");
    var lo = Math.max(1, page - 3), hi = Math.min(pages, page + 3);
    if (lo > 1) { link(1, num(1)); if (lo > 2) el.pager.appendChild(ellipsis()); }
    for (var p = lo; p <= hi; p++) link(p, num(p));
    if (hi < pages) { if (hi < pages - 1) el.pager.appendChild(ellipsis()); link(pages, num(pages)); }
    if (page < pages) link(page + 1, "التالي", "next");
  }
  function ellipsis() { var s = document.createElement("span"); s.textContent = "…"; s.setAttribute("aria-hidden", "true"); return s; }

  // ---- the article view ---------------------------------------------------

  function articleOf(body) { return (body && (body.article || body)) || {}; }

  function renderArticle(s) {
    el.welcome.hidden = true;
    el.resultsView.hidden = true;
    el.filters.hidden = true;
    setStatus("جارٍ فتح الخبر…");
    var id = s.a;
    var back = withChange(s, { a: null });
    el.back.href = stateURL(back);
    el.back.textContent = hasSearch(back) ? "→ العودة إلى النتائج" : "→ الصفحة الأولى";
    el.back.onclick = function (e) {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      // Came here from the results: step back, so the results come back as
      // they were and the history has no loop.
      if (cameFrom === stateURL(back)) history.back();
      else navigate(back);
    };
    return load("/v1/articles/" + encodeURIComponent(id)).then(function (body) {
      if (current !== s) return;
      var art = articleOf(body);
      el.articleView.hidden = false;
      el.aTitle.textContent = art.title || id;
      setDir(el.aTitle);
      var meta = metaLine(art);
      el.aMeta.replaceWith(meta);
      meta.id = "article-meta";
      el.aMeta = meta;
      el.aSummary.textContent = art.summary || "";
      setDir(el.aSummary);
      el.aSummary.hidden = !art.summary;
      el.aBody.textContent = "";
      String(art.body || "").split(/\n+/).forEach(function (para) {
        if (!para.trim()) return;
        var p = document.createElement("p");
        p.textContent = para;
        setDir(p);
        el.aBody.appendChild(p);
      });
      el.aLink.textContent = "";
      if (art.url && /^https?:\/\//i.test(art.url)) {
        var a = document.createElement("a");
        a.href = art.url;
        a.rel = "noopener noreferrer";
        a.textContent = "اقرأ الخبر في مصدره" + (art.source ? " (" + art.source + ")" : "");
        el.aLink.appendChild(a);
      }
      document.title = (art.title || id) + " - بحث";
      setStatus("");
      el.aTitle.setAttribute("tabindex", "-1");
      el.aTitle.focus({ preventScroll: true });
      window.scrollTo(0, 0);
      return loadRelated(s, id);
    }, function (err) {
      if (current !== s) return;
      el.articleView.hidden = true;
      showError(err, function () { render(s); });
    });
  }

  function loadRelated(s, id) {
    el.related.textContent = "";
    var wait = document.createElement("li");
    wait.textContent = "جارٍ البحث عن تغطية ذات صلة…";
    el.related.appendChild(wait);
    return getJSON("/v1/articles/" + encodeURIComponent(id) + "/related").then(function (body) {
      if (current !== s) return;
      var hits = Array.isArray(body) ? body : (body && (body.hits || body.related)) || [];
      el.related.textContent = "";
      hits.forEach(function (h) {
        // Related hits carry no query marks: their titles are plain text.
        var plain = { id: h.id, article: h.article || h, copies: h.copies };
        el.related.appendChild(hitItem(plain, 3, false));
      });
      if (!hits.length) {
        var li = document.createElement("li");
        li.textContent = "لا توجد تغطية أخرى لهذا الخبر.";
        el.related.appendChild(li);
      }
    }, function () {
      if (current !== s) return;
      el.related.textContent = "";
      var li = document.createElement("li");
      li.textContent = "تعذّر تحميل التغطية ذات الصلة.";
      el.related.appendChild(li);
    });
  }

  // ---- wiring -----------------------------------------------------------

  var ta = window.Bahth.typeahead(el.q, el.list, {
    host: "",
    onPick: function (sug) {
      if (sug.kind === "title" && sug.id) navigate(withChange(current, { a: sug.id }));
      else navigate(withChange(current, { q: sug.text.trim(), page: null, a: null }));
    }
  });

  el.form.addEventListener("submit", function (e) {
    e.preventDefault();
    ta.cancel();
    var q = el.q.value.trim();
    // A new query keeps the filters and the sort, and starts at page 1.
    navigate(withChange(current, { q: q || null, page: null, a: null }));
  });
  el.sort.addEventListener("change", function () {
    navigate(withChange(current, { sort: el.sort.value, page: null }));
  });
  // The page restores the scroll position itself, once the results it
  // fetches again are shown (the browser would restore it too early).
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  window.addEventListener("popstate", function (e) {
    cameFrom = null;
    var y = e.state && e.state.y;
    var s = readState(location.pathname, location.search);
    render(s).then(function () {
      if (y != null && current === s) window.scrollTo(0, y);
    });
  });

  document.documentElement.setAttribute("data-ready", "true");
  var first = readState(location.pathname, location.search);
  history.replaceState({ bahth: true }, "", stateURL(first));
  render(first);
})();
