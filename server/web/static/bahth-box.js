/*
 * bahth-box.js: Bahth's type-ahead, for its own search page and for any site.
 *
 * On another site (docs/search-page.md has the full snippet):
 *
 *   <script src="https://HOST/static/bahth-box.js" data-bahth="https://HOST" defer></script>
 *
 * puts a search box where the script tag is (or inside the element named by
 * data-target, a CSS selector). The same box can be written as an element:
 *
 *   <bahth-search-box host="https://HOST" placeholder="ابحث…"></bahth-search-box>
 *
 * Typing shows suggestions from HOST/v1/suggest (the server must list the
 * site's origin in its CORS allow-list); Enter or a click sends the reader
 * to HOST/?q=... (a title suggestion opens HOST/articles/ID, the article).
 *
 * window.Bahth.dirOf(text) is the direction the page gives article text.
 * window.Bahth.typeahead(input, listbox, options) is the ARIA combobox both
 * use (WAI-ARIA APG "combobox with listbox popup"): ArrowDown/ArrowUp move
 * through the options, Enter picks the highlighted one, Escape closes the
 * list (a second Escape clears the box), Tab leaves it. Suggestion text is
 * always set with textContent, never as HTML.
 */
(function () {
  "use strict";
  if (window.Bahth && window.Bahth.typeahead) return;

  var script = document.currentScript;

  // dirOf picks a text's direction by its letters: "rtl" when Arabic-script
  // letters are at least as many as Latin ones, "ltr" when Latin ones
  // outnumber them, "auto" with neither. dir="auto" alone is not enough for
  // news: it takes the first strong letter, so an Arabic headline that starts
  // with a brand ("Samsung تضيف الترجمة…") would be laid out left to right.
  var ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/g;
  var LATIN = /[A-Za-z\u00C0-\u024F]/g;
  function dirOf(text) {
    var s = String(text || "");
    var ar = (s.match(ARABIC) || []).length, la = (s.match(LATIN) || []).length;
    if (!ar && !la) return "auto";
    return ar >= la ? "rtl" : "ltr";
  }

  // typeahead wires an <input role=combobox> to a <ul role=listbox>.
  // options: host (API origin, "" for same origin), onPick(suggestion)
  // called for a chosen suggestion, n (how many to ask for), delay (ms).
  function typeahead(input, list, options) {
    var host = (options.host || "").replace(/\/+$/, "");
    var delay = options.delay == null ? 120 : options.delay;
    var items = [], active = -1, timer = 0, ctrl = null, seq = 0;
    var idBase = list.id || "bahth-list";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      var opts = list.children;
      if (active >= 0 && opts[active]) opts[active].setAttribute("aria-selected", "false");
      active = i;
      if (i >= 0 && opts[i]) {
        opts[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", opts[i].id);
        if (opts[i].scrollIntoView) opts[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function render(list_) {
      items = list_;
      list.textContent = "";
      active = -1;
      if (!items.length) { close(); return; }
      items.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = idBase + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.kind = s.kind || "term";
        if (s.kind === "title") li.className = "title-option";
        var text = document.createElement("bdi");
        text.textContent = s.text;
        text.dir = dirOf(s.text);
        li.appendChild(text);
        if (s.kind === "title") {
          var k = document.createElement("span");
          k.className = "kind";
          k.textContent = "خبر";
          li.appendChild(k);
        }
        // mousedown, not click: picking must happen before the input's blur closes the list.
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function pick(i) {
      var s = items[i];
      close();
      if (!s) return;
      if (s.kind !== "title") input.value = s.text;
      options.onPick(s);
    }
    function fetchSuggestions() {
      var text = input.value;
      if (!text.trim()) { render([]); return; }
      if (ctrl) ctrl.abort();
      ctrl = typeof AbortController === "function" ? new AbortController() : null;
      var mine = ++seq;
      var url = host + "/v1/suggest?q=" + encodeURIComponent(text) + "&size=" + (options.n || 8);
      fetch(url, { signal: ctrl && ctrl.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (body) {
          if (mine !== seq || input.value !== text) return; // typed on since
          var got = Array.isArray(body) ? body : (body && body.suggestions) || [];
          render(got.filter(function (s) { return s && typeof s.text === "string"; }));
        })
        .catch(function () { /* type-ahead is a help: a failure just shows nothing */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, delay);
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden && items.length > 0;
      switch (e.key) {
        case "ArrowDown":
          e.preventDefault();
          if (!open) { if (items.length) { render(items); highlight(0); } else fetchSuggestions(); return; }
          highlight(active + 1 >= items.length ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!open) return;
          e.preventDefault();
          highlight(active <= 0 ? items.length - 1 : active - 1);
          break;
        case "Enter":
          if (open && active >= 0) { e.preventDefault(); pick(active); }
          else close();
          break;
        case "Escape":
          if (open) { e.preventDefault(); close(); }
          else if (input.value) { e.preventDefault(); input.value = ""; items = []; }
          break;
        case "Tab":
          close();
          break;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 0); });
    return { close: close, cancel: function () { clearTimeout(timer); seq++; if (ctrl) ctrl.abort(); close(); } };
  }

  window.Bahth = window.Bahth || {};
  window.Bahth.typeahead = typeahead;
  window.Bahth.dirOf = dirOf;

  // The page itself loads this file only for typeahead.
  if (script && script.hasAttribute("data-bahth-page")) return;

  var BOX_CSS =
    ":host{display:block;font-family:\"Noto Naskh Arabic\",\"Noto Sans Arabic\",\"Segoe UI\",Tahoma,sans-serif;max-width:36rem}" +
    "form{display:flex;gap:.4rem}" +
    ".combo{position:relative;flex:1}" +
    "input{width:100%;box-sizing:border-box;font:inherit;font-size:1rem;padding:.45rem .7rem;border:1px solid #8a8f96;border-radius:8px;color:#1b1b1b;background:#fff}" +
    "button{font:inherit;padding:.4rem 1rem;border-radius:8px;border:1px solid #0a4f96;background:#0a4f96;color:#fff;cursor:pointer}" +
    ":focus-visible{outline:3px solid #e36209;outline-offset:2px}" +
    "ul{position:absolute;inset-inline:0;top:calc(100% + 2px);margin:0;padding:.25rem 0;list-style:none;background:#fff;border:1px solid #8a8f96;border-radius:8px;box-shadow:0 6px 18px rgba(0,0,0,.12);z-index:2147483000;color:#1b1b1b}" +
    "ul[hidden]{display:none}" +
    "li{padding:.3rem .7rem;cursor:pointer;display:flex;justify-content:space-between;gap:1rem}" +
    "li[aria-selected=true],li:hover{background:#e4edf7}" +
    ".kind{color:#4f5359;font-size:.85em}" +
    "label{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}";

  var counter = 0;

  // adoptStyle styles the box's shadow root with a constructed style sheet:
  // a Content-Security-Policy without 'unsafe-inline' (Bahth's own, and many
  // news sites') blocks a <style> element but not a sheet made from script.
  var sheet = null;
  function adoptStyle(root) {
    try {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(BOX_CSS); }
      root.adoptedStyleSheets = [sheet];
    } catch (e) { // browsers before constructable style sheets
      var style = document.createElement("style");
      style.textContent = BOX_CSS;
      root.appendChild(style);
    }
  }

  // <bahth-search-box host="https://HOST" placeholder="..." label="...">
  function defineElement() {
    if (!window.customElements || customElements.get("bahth-search-box")) return;
    class Box extends HTMLElement {}
    Box.prototype.connectedCallback = function () {
      if (this.shadowRoot) return;
      var self = this;
      var host = (this.getAttribute("host") || (script && script.getAttribute("data-bahth")) || "").replace(/\/+$/, "");
      var n = ++counter;
      var root = this.attachShadow({ mode: "open" });
      var form = document.createElement("form");
      form.setAttribute("role", "search");
      form.setAttribute("dir", "rtl");
      form.setAttribute("lang", "ar");
      var label = document.createElement("label");
      label.htmlFor = "bahth-q-" + n;
      label.textContent = this.getAttribute("label") || "ابحث في الأخبار";
      var combo = document.createElement("div");
      combo.className = "combo";
      var input = document.createElement("input");
      input.id = "bahth-q-" + n;
      input.type = "search";
      input.name = "q";
      input.dir = "auto";
      input.autocomplete = "off";
      input.placeholder = this.getAttribute("placeholder") || "ابحث في الأخبار…";
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-expanded", "false");
      var list = document.createElement("ul");
      list.id = "bahth-list-" + n;
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "اقتراحات البحث");
      list.hidden = true;
      input.setAttribute("aria-controls", list.id);
      var button = document.createElement("button");
      button.type = "submit";
      button.textContent = this.getAttribute("button") || "ابحث";
      combo.appendChild(input);
      combo.appendChild(list);
      form.appendChild(label);
      form.appendChild(combo);
      form.appendChild(button);
      adoptStyle(root);
      root.appendChild(form);

      function go(params) {
        var url = host + "/" + params;
        self.dispatchEvent(new CustomEvent("bahth-search", { detail: { url: url }, bubbles: true }));
        window.location.assign(url);
      }
      var ta = typeahead(input, list, {
        host: host,
        onPick: function (s) {
          if (s.kind === "title" && s.id) go("articles/" + encodeURIComponent(s.id));
          else go("?q=" + encodeURIComponent(s.text));
        }
      });
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        ta.cancel();
        if (input.value.trim()) go("?q=" + encodeURIComponent(input.value.trim()));
      });
    };
    customElements.define("bahth-search-box", Box);
  }
  defineElement();

  // <script src=".../bahth-box.js" data-bahth="https://HOST" [data-target="#where"]>
  if (script && script.hasAttribute("data-bahth")) {
    var place = function () {
      var box = document.createElement("bahth-search-box");
      box.setAttribute("host", script.getAttribute("data-bahth"));
      ["placeholder", "label", "button"].forEach(function (a) {
        var v = script.getAttribute("data-" + a);
        if (v) box.setAttribute(a, v);
      });
      var sel = script.getAttribute("data-target");
      var target = sel && document.querySelector(sel);
      if (target) target.appendChild(box);
      else script.parentNode.insertBefore(box, script);
    };
    // A deferred or async script runs when the target may not exist yet.
    if (document.readyState === "loading" && script.getAttribute("data-target")) document.addEventListener("DOMContentLoaded", place);
    else place();
  }
})();
