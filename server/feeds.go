package server

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/labstack/echo/v4"
)

// Namespaces of the feeds.
const (
	nsOpenSearch = "http://a9.com/-/spec/opensearch/1.1/"
	nsAtom       = "http://www.w3.org/2005/Atom"
	nsBahth      = "https://github.com/bahth/bahth/ns/feed"
)

// baseURL is Config.PublicURL, or the scheme and host the request came to.
func (s *Server) baseURL(c echo.Context) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimSuffix(s.cfg.PublicURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// articleLink is the article's own URL when it is http(s), else its page
// on this server.
func articleLink(base string, a index.Article) string {
	if u, err := url.Parse(a.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return a.URL
	}
	return base + "/articles/" + url.PathEscape(a.ID)
}

type osQuery struct {
	Role        string `xml:"role,attr"`
	SearchTerms string `xml:"searchTerms,attr"`
	StartPage   int    `xml:"startPage,attr"`
}

// osElements are the OpenSearch 1.1 response elements of a feed.
type osElements struct {
	Total uint64 `xml:"opensearch:totalResults"`
	// Relation is "gte" when there are at least Total results (OpenSearch
	// has no word for it); absent when Total is exact.
	Relation     string   `xml:"bahth:totalRelation,omitempty"`
	StartIndex   int      `xml:"opensearch:startIndex"`
	ItemsPerPage int      `xml:"opensearch:itemsPerPage"`
	Query        osQuery  `xml:"opensearch:Query"`
	SearchLink   atomLink `xml:"atom:link"`
}

func (s *Server) osElements(c echo.Context, res *index.Result) osElements {
	page, size := intOr(c.QueryParam("page"), 1), intOr(c.QueryParam("size"), 10)
	return osElements{
		Total: res.Total, Relation: gteOnly(res.TotalRelation), StartIndex: (page-1)*size + 1, ItemsPerPage: size,
		Query:      osQuery{Role: "request", SearchTerms: c.QueryParam("q"), StartPage: page},
		SearchLink: atomLink{Rel: "search", Type: "application/opensearchdescription+xml", Href: s.baseURL(c) + "/opensearch.xml"},
	}
}

// gteOnly is relation when it is "gte", else empty.
func gteOnly(relation string) string {
	if relation == index.RelationGTE {
		return relation
	}
	return ""
}

func intOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	NSOS    string     `xml:"xmlns:opensearch,attr"`
	NSAtom  string     `xml:"xmlns:atom,attr"`
	NSBahth string     `xml:"xmlns:bahth,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	Description string `xml:"description"`
	Language    string `xml:"language"`
	osElements
	Items []rssItem `xml:"item"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	Description string   `xml:"description"`
	PubDate     string   `xml:"pubDate,omitempty"`
	GUID        rssGUID  `xml:"guid"`
	Categories  []string `xml:"category"`
}

// searchRSS is GET /v1/search.rss: the search as RSS 2.0 with OpenSearch
// response elements; an item's description is its snippets (HTML).
func (s *Server) searchRSS(c echo.Context) error {
	res, err := s.runSearch(c)
	if err != nil {
		return err
	}
	base, q := s.baseURL(c), c.QueryParam("q")
	feed := rss{Version: "2.0", NSOS: nsOpenSearch, NSAtom: nsAtom, NSBahth: nsBahth, Channel: rssChannel{
		Title: "بحث: " + q, Link: base + "/?q=" + url.QueryEscape(q), Language: "ar",
		Description: "نتائج البحث في بحث عن " + q, osElements: s.osElements(c, res),
	}}
	for _, h := range res.Hits {
		it := rssItem{Title: h.Article.Title, Link: articleLink(base, h.Article), Description: strings.Join(h.Snippets, " … "),
			GUID: rssGUID{Value: base + "/articles/" + url.PathEscape(h.ID)}}
		if !h.Article.PublishedAt.IsZero() {
			it.PubDate = h.Article.PublishedAt.Format(time.RFC1123Z)
		}
		if h.Article.Section != "" {
			it.Categories = []string{h.Article.Section}
		}
		feed.Channel.Items = append(feed.Channel.Items, it)
	}
	return xmlBlob(c, "application/rss+xml", feed)
}

type atomFeed struct {
	XMLName xml.Name   `xml:"feed"`
	NS      string     `xml:"xmlns,attr"`
	NSOS    string     `xml:"xmlns:opensearch,attr"`
	NSAtom  string     `xml:"xmlns:atom,attr"` // the OpenSearch link is written atom:link in both feeds
	NSBahth string     `xml:"xmlns:bahth,attr"`
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Author  atomName   `xml:"author"`
	Links   []atomLink `xml:"link"`
	osElements
	Entries []atomEntry `xml:"entry"`
}

type atomName struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Link       atomLink       `xml:"link"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Summary    atomText       `xml:"summary"`
	Authors    []atomName     `xml:"author"`
	Categories []atomCategory `xml:"category"`
}

// searchAtom is GET /v1/search.atom: the search as an Atom feed with
// OpenSearch response elements.
func (s *Server) searchAtom(c echo.Context) error {
	res, err := s.runSearch(c)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	self := base + c.Request().URL.RequestURI()
	var newest time.Time
	feed := atomFeed{NS: nsAtom, NSOS: nsOpenSearch, NSAtom: nsAtom, NSBahth: nsBahth, ID: self, Title: "بحث: " + c.QueryParam("q"),
		Author: atomName{"Bahth"}, Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}},
		osElements: s.osElements(c, res)}
	for _, h := range res.Hits {
		a := h.Article
		updated := a.UpdatedAt
		if updated.IsZero() {
			updated = a.PublishedAt
		}
		if updated.After(newest) {
			newest = updated
		}
		e := atomEntry{ID: base + "/articles/" + url.PathEscape(h.ID), Title: atomText{"text", a.Title},
			Link: atomLink{Rel: "alternate", Href: articleLink(base, a)}, Updated: atomTime(updated),
			Summary: atomText{"html", strings.Join(h.Snippets, " … ")}}
		if !a.PublishedAt.IsZero() {
			e.Published = atomTime(a.PublishedAt)
		}
		for _, au := range a.Authors {
			e.Authors = append(e.Authors, atomName{au})
		}
		if a.Section != "" {
			e.Categories = []atomCategory{{a.Section}}
		}
		feed.Entries = append(feed.Entries, e)
	}
	feed.Updated = atomTime(newest)
	return xmlBlob(c, "application/atom+xml", feed)
}

// atomTime formats an RFC 3339 date; an undated article gets the epoch
// (Atom requires a date).
func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

type osURL struct {
	Type     string `xml:"type,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Template string `xml:"template,attr"`
}

type osDescription struct {
	XMLName        xml.Name `xml:"OpenSearchDescription"`
	NS             string   `xml:"xmlns,attr"`
	ShortName      string   `xml:"ShortName"`
	Description    string   `xml:"Description"`
	Tags           string   `xml:"Tags"`
	URLs           []osURL  `xml:"Url"`
	Language       string   `xml:"Language"`
	InputEncoding  string   `xml:"InputEncoding"`
	OutputEncoding string   `xml:"OutputEncoding"`
}

// openSearch is GET /opensearch.xml, the OpenSearch 1.1 description that
// lets browsers and aggregators add Bahth as a search provider.
func (s *Server) openSearch(c echo.Context) error {
	if _, err := readParams(c, nil); err != nil {
		return err
	}
	base := s.baseURL(c)
	q := "?q={searchTerms}&page={startPage?}"
	d := osDescription{NS: nsOpenSearch, ShortName: "Bahth بحث", Description: "البحث في الأخبار العربية (Bahth)",
		Tags: "news arabic أخبار", Language: "ar", InputEncoding: "UTF-8", OutputEncoding: "UTF-8",
		URLs: []osURL{
			{Type: "text/html", Template: base + "/" + q},
			{Type: "application/rss+xml", Template: base + "/v1/search.rss" + q},
			{Type: "application/atom+xml", Template: base + "/v1/search.atom" + q},
			{Type: "application/json", Template: base + "/v1/search" + q},
			{Type: "application/opensearchdescription+xml", Rel: "self", Template: base + "/opensearch.xml"},
		}}
	return xmlBlob(c, "application/opensearchdescription+xml", d)
}

func xmlBlob(c echo.Context, contentType string, v any) error {
	b, err := xml.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, contentType+"; charset=utf-8", append([]byte(xml.Header), b...))
}
