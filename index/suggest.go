package index

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	"golang.org/x/text/unicode/norm"
)

// Suggestion is one completion of what the user is typing.
type Suggestion struct {
	// Text is the completed query as the user should see it: the words
	// typed before, as typed, then the completed word in the spelling most
	// common in the articles; for a title, the title as written.
	Text  string `json:"text"`
	Kind  string `json:"kind"`         // "term" or "title"
	Count int    `json:"count"`        // articles holding the word completed (الاستثمار for والاستثمار found after و); for a title, its copies
	ID    string `json:"id,omitempty"` // for a title suggestion, the newest article with that title
}

// Kinds of suggestion.
const (
	KindTerm  = "term"
	KindTitle = "title"
)

// The ranking of suggestions (docs/suggest.md has the formula and its
// reasons).
const (
	// recencyBoost (B) and recencyHalfLife (H): an article counts
	// 1 + B·2^(−age/H), where age is how much older it is than the newest
	// article in the index, so a word of today's news counts up to three
	// times a word of last year's.
	recencyBoost    = 2.0
	recencyHalfLife = 7 * 24 * time.Hour
	// strippedWeight weighs a completion found after taking a clitic
	// (و ف ب ل ك) off the typed word: وزير is a word of its own before it
	// is و + زير.
	strippedWeight = 0.25
	// minStrippedRunes is the shortest rest a clitic is taken off for: a
	// one-letter rest completes to everything.
	minStrippedRunes = 2
	// maxSuggestRunes: longer input is a paste, not typing; it gets no
	// suggestions.
	maxSuggestRunes = 200
	// contextWords is how many of the previous words give context.
	contextWords = 3
	// contextHeads caps the titles and leads scanned for context (the most
	// recently added ones are scanned).
	contextHeads = 1000
	// adjacentWeight: a completion right after the last previous word (a
	// phrase: وزير الخارجية الأمريكي) counts ten times one elsewhere in
	// the title or lead.
	adjacentWeight = 10
	// defaultSuggestions and maxSuggestions bound n.
	defaultSuggestions = 10
	maxSuggestions     = 50
)

// clitics are the proclitics taken off the typed word to find completions
// (the article ال stays: the index holds the words with it). ل before ال
// is written لل: typing للاستث looks up الاستث.
var clitics = []string{"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"}

// Suggest completes the last word of input from the words of the index's
// articles (title, summary and body, normalized and unstemmed, stop words
// left out) and offers titles that hold the words typed.
//
// The last word is unfinished unless input ends in a space or punctuation;
// it matches words that start with it after normalization, so أحم, احم
// and إحم all complete to أحمد, shown in its commonest spelling. A leading
// و ف ب ل ك (or two of them: وب، فل ...) is also taken off to find
// completions and kept in the text shown: والاستث shows والاستثمار, found
// from الاستثمار. The words typed before (up to three, stop words left
// out) give context: completions found in the titles and leads that hold
// them come first. Words are ranked by articles with a recency boost
// (docs/suggest.md). Stop words are never completions.
//
// At most n suggestions come back (0 means 10, at most 50): terms first,
// then up to a third of them titles. Empty or whitespace input, invalid
// UTF-8 and input over 200 characters give none; no input is an error.
// The vocabulary is built on the first call (seconds for 70k articles, see
// PrepareSuggest) and kept up to date by Add and Delete afterwards.
func (ix *Index) Suggest(ctx context.Context, input string, n int) ([]Suggestion, error) {
	if n <= 0 {
		n = defaultSuggestions
	}
	n = min(n, maxSuggestions)
	in, ok := parseTyped(input)
	if !ok {
		return []Suggestion{}, nil
	}
	v, err := ix.vocabulary(ctx)
	if err != nil {
		return nil, err
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.suggest(in, n), nil
}

// PrepareSuggest builds the vocabulary behind Suggest and DidYouMean now
// rather than on their first call (a server calls it at start).
func (ix *Index) PrepareSuggest(ctx context.Context) error {
	_, err := ix.vocabulary(ctx)
	return err
}

// typed is the user's input cut into the words before and the last word.
type typed struct {
	before   string   // the input up to the last word, as typed
	prev     []string // the previous words, normalized, stop words left out, at most contextWords
	frag     string   // the last word as typed; empty when input ends in a separator
	fragNorm string   // frag normalized
}

// parseTyped cuts input; ok is false when there is nothing to complete.
func parseTyped(input string) (typed, bool) {
	var t typed
	if !utf8.ValidString(input) || utf8.RuneCountInString(input) > maxSuggestRunes {
		return t, false
	}
	toks := analyzer.Tokenizer{}.Tokenize([]byte(input))
	if len(toks) == 0 {
		return t, false
	}
	last := toks[len(toks)-1]
	words := toks
	if last.End == len(input) {
		t.frag = input[last.Start:]
		t.fragNorm = string(analyzer.Normalize([]byte(t.frag)))
		t.before = strings.TrimLeftFunc(input[:last.Start], unicode.IsSpace)
		words = toks[:len(toks)-1]
	} else {
		t.before = strings.TrimLeftFunc(input, unicode.IsSpace)
	}
	for _, w := range words {
		nw := string(analyzer.Normalize(w.Term))
		if nw != "" && !analyzer.IsStopWord(nw) {
			t.prev = append(t.prev, nw)
		}
	}
	if len(t.prev) > contextWords {
		t.prev = t.prev[len(t.prev)-contextWords:]
	}
	return t, t.fragNorm != "" || len(t.prev) > 0
}

// reading is one way to look the typed word up: its normalized form, or
// the rest after a clitic.
type reading struct {
	lookup    string  // normalized prefix looked up in the vocabulary
	keep      string  // the typed text kept before the completion (a clitic as typed)
	keyPrefix string  // the normalized clitic
	dropAlef  bool    // the completion's leading ا is not shown (ل + ال = لل)
	weight    float64 // 1 as typed, strippedWeight after a clitic
	lo, hi    int     // the range of sorted words starting with lookup
}

// readings returns the ways to read the typed word.
func readings(frag, f string) []reading {
	rs := []reading{{lookup: f, weight: 1}}
	for _, c := range clitics {
		rest, ok := strings.CutPrefix(f, c)
		if !ok {
			continue
		}
		r := reading{lookup: rest, keep: typedPrefix(frag, utf8.RuneCountInString(c)), keyPrefix: c, weight: strippedWeight}
		if strings.HasSuffix(c, "ل") && strings.HasPrefix(rest, "ل") {
			r.lookup, r.dropAlef = "ا"+rest, true // لل = ل + ال
		}
		if utf8.RuneCountInString(r.lookup) < minStrippedRunes {
			continue
		}
		rs = append(rs, r)
	}
	return rs
}

// typedPrefix returns the start of the typed word that holds its first n
// letters and the marks after them.
func typedPrefix(s string, n int) string {
	for i, r := range s {
		if !dropped(r) {
			if n == 0 {
				return s[:i]
			}
			n--
		}
	}
	return s
}

// dropped reports the runes normalization removes from a word: marks,
// tatweel and invisible format characters.
func dropped(r rune) bool {
	return r == 0x0640 || unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf)
}

// vocabulary returns the vocabulary, building it on first use.
func (ix *Index) vocabulary(ctx context.Context) (*vocab, error) {
	if v := ix.sugg.v.Load(); v != nil {
		return v, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select { // one build at a time; the others wait for it or give up
	case ix.sugg.building <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-ix.sugg.building }()
	if v := ix.sugg.v.Load(); v != nil {
		return v, nil
	}
	ix.sugg.gate.Lock() // no write runs while the build reads
	defer ix.sugg.gate.Unlock()
	v, err := ix.buildVocab(ctx)
	if err != nil {
		return nil, fmt.Errorf("building the suggestion vocabulary: %w", err)
	}
	ix.sugg.v.Store(v)
	return v, nil
}

// suggestState is the Index's part for Suggest and DidYouMean.
type suggestState struct {
	v        atomic.Pointer[vocab]
	building chan struct{} // holds a token while a build runs
	// gate orders writes and the build: a write holds it shared from before
	// its batch until the vocabulary is updated; the build holds it alone,
	// so it sees each batch either whole, and then the write finds no
	// vocabulary yet, or not at all, and then the write updates what the
	// build made.
	gate sync.RWMutex
}

func newSuggestState() suggestState { return suggestState{building: make(chan struct{}, 1)} }

// vocabWrite is one write's part in keeping the vocabulary current: begun
// before the batch, committed with the new articles once bleve has them.
type vocabWrite struct {
	ix  *Index
	v   *vocab
	old []docWords
}

// beginVocabWrite is called by a write before its batch with the ids it
// replaces or deletes; call end when the write is over, and commit with
// the new articles if the batch went in.
func (ix *Index) beginVocabWrite(ids []string) (*vocabWrite, error) {
	ix.sugg.gate.RLock()
	w := &vocabWrite{ix: ix, v: ix.sugg.v.Load()}
	if w.v == nil || len(ids) == 0 {
		return w, nil
	}
	old, err := ix.storedArticles(ids)
	if err != nil {
		ix.sugg.gate.RUnlock()
		return nil, err
	}
	for _, a := range old {
		w.old = append(w.old, ix.docWordsOf(a, true))
	}
	return w, nil
}

// commit replaces the old versions of the write's articles by added.
func (w *vocabWrite) commit(added []Article) {
	if w.v == nil {
		return
	}
	fresh := make([]docWords, len(added))
	for i, a := range added {
		fresh[i] = w.ix.docWordsOf(a, true)
	}
	w.v.mu.Lock()
	defer w.v.mu.Unlock()
	for _, d := range w.old {
		w.v.remove(d)
	}
	for _, d := range fresh {
		w.v.add(d)
	}
	w.v.compact()
}

func (w *vocabWrite) end() { w.ix.sugg.gate.RUnlock() }

// storedArticles returns the stored articles with these ids.
func (ix *Index) storedArticles(ids []string) ([]Article, error) {
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{sourceField}
	req.Score = "none"
	res, err := ix.bleve.Search(req)
	if err != nil {
		return nil, fmt.Errorf("reading stored articles: %w", err)
	}
	out := make([]Article, 0, len(res.Hits))
	for _, h := range res.Hits {
		a, err := storedSource(h.Fields)
		if err != nil {
			return nil, fmt.Errorf("stored article %s: %w", h.ID, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// docWords is what the vocabulary takes from one article.
type docWords struct {
	id, title string
	date      int64    // published_at in Unix seconds; 0 when unknown
	words     []string // its distinct words (title, summary and body)
	head      []string // the words of the title then of the lead, in order
	headSurf  []string // their spellings, marks and tatweel taken out
	titleLen  int      // how many of head are the title's
}

// docWordsOf analyzes an article with the index's unstemmed analyzer; with
// all false only its head (title and lead) is read.
func (ix *Index) docWordsOf(a Article, all bool) docWords {
	d := docWords{id: a.ID, title: strings.Join(strings.Fields(a.Title), " ")}
	if !a.PublishedAt.IsZero() {
		d.date = a.PublishedAt.Unix()
	}
	head := func(text string) {
		for _, t := range ix.exact.Analyze([]byte(text)) {
			w := string(t.Term)
			d.head = append(d.head, w)
			d.headSurf = append(d.headSurf, surface(text[t.Start:t.End], w))
		}
	}
	head(a.Title)
	d.titleLen = len(d.head)
	body := lead(a.Body)
	head(body)
	if all {
		d.words = slices.Clone(d.head)
		for _, text := range []string{a.Summary, a.Body[len(body):]} {
			for _, t := range ix.exact.Analyze([]byte(text)) {
				d.words = append(d.words, string(t.Term))
			}
		}
		slices.Sort(d.words)
		d.words = slices.Compact(d.words)
	}
	return d
}

// surface returns a word as written without its marks, tatweel and
// invisible characters; word (its normalized form) when they are the same.
func surface(raw, word string) string {
	if raw == word {
		return word
	}
	clean := true
	for _, r := range raw {
		if dropped(r) {
			clean = false
			break
		}
	}
	if clean {
		return raw
	}
	raw = norm.NFC.String(raw) // و + U+0654 is ؤ before the marks go
	s := strings.Map(func(r rune) rune {
		if dropped(r) {
			return -1
		}
		return r
	}, raw)
	if s == word {
		return word
	}
	return s
}

// vocab is the in-memory vocabulary behind Suggest and DidYouMean.
//
// Words are the terms of the exact field (normalized, unstemmed, no stop
// words), each with the number of articles holding it, read from the
// index's term dictionary when the vocabulary is built and counted from the
// articles written afterwards. Word ids are stable: the words of the
// dictionary come first, in sorted order, so a prefix is a range of ids;
// words first seen later follow, kept sorted in a side list.
//
// Heads are each article's title and lead words (the first 40 of the
// body): they give the recency sums, the spellings shown, the context of
// previous words and the title suggestions, for they are short enough to
// keep for every article.
type vocab struct {
	mu       sync.RWMutex
	words    []string          // by id
	nMain    int               // words[:nMain] are sorted
	extra    map[string]uint32 // ids of words[nMain:]
	extraIDs []uint32          // words[nMain:] ids, sorted by word
	df       []int32           // by id: articles holding the word
	rec      []float64         // by id: Σ 2^((t_d − t0)/H) over the dated heads holding it
	plain    []int32           // by id: times heads wrote the word as its normalized form
	surf     map[uint32][]surfCount
	postings [][]int32 // by id: heads holding the word, ascending; may name dead heads
	heads    []head
	slot     map[string]int32  // article id -> its head
	dead     int               // heads of deleted or replaced articles
	t0       int64             // rec is relative to this date (Unix seconds)
	tmax     int64             // the newest article date seen (0: none)
	buildIDs map[string]uint32 // ids of words[:nMain] while the vocabulary is built
}

// surfCount is a spelling of a word other than its normalized form and how
// many times heads wrote it so.
type surfCount struct {
	s string
	n int32
}

// head is an article's title and lead words.
type head struct {
	id       string
	title    string
	date     int64
	words    []uint32 // title then lead
	titleLen int
	dead     bool
}

// newVocab makes a vocabulary of the sorted words with their counts.
func newVocab(t0 int64, words []string, df []int32) *vocab {
	n := len(words)
	return &vocab{
		words: words, nMain: n, extra: map[string]uint32{}, df: df,
		rec: make([]float64, n), plain: make([]int32, n), surf: map[uint32][]surfCount{},
		postings: make([][]int32, n), slot: map[string]int32{}, t0: t0,
	}
}

// recWeight is an article's weight in recency sums: 2^((t − t0)/H).
func (v *vocab) recWeight(t int64) float64 {
	if t == 0 {
		return 0
	}
	return math.Exp2(float64(t-v.t0) / recencyHalfLife.Seconds())
}

// scale turns a recency sum into the boost relative to the newest article.
func (v *vocab) scale() float64 {
	if v.tmax == 0 {
		return 0
	}
	return recencyBoost * math.Exp2(float64(v.t0-v.tmax)/recencyHalfLife.Seconds())
}

// headWeight is what one head counts in context: 1 + B·2^(−age/H).
func (v *vocab) headWeight(h *head, scale float64) float64 {
	return 1 + scale*v.recWeight(h.date)
}

// id returns the word's id.
func (v *vocab) id(w string) (uint32, bool) {
	if v.buildIDs != nil {
		if id, ok := v.buildIDs[w]; ok {
			return id, true
		}
	} else if i, ok := slices.BinarySearch(v.words[:v.nMain], w); ok {
		return uint32(i), true
	}
	id, ok := v.extra[w]
	return id, ok
}

// idOrNew returns the word's id, adding the word if needed.
func (v *vocab) idOrNew(w string) uint32 {
	if id, ok := v.id(w); ok {
		return id
	}
	id := uint32(len(v.words))
	v.words = append(v.words, w)
	v.df = append(v.df, 0)
	v.rec = append(v.rec, 0)
	v.plain = append(v.plain, 0)
	v.postings = append(v.postings, nil)
	v.extra[w] = id
	i, _ := slices.BinarySearchFunc(v.extraIDs, w, func(e uint32, w string) int { return strings.Compare(v.words[e], w) })
	v.extraIDs = slices.Insert(v.extraIDs, i, id)
	return id
}

// ids returns the ids of the words the vocabulary has.
func (v *vocab) ids(words []string) []uint32 {
	out := make([]uint32, 0, len(words))
	for _, w := range words {
		if id, ok := v.id(w); ok {
			out = append(out, id)
		}
	}
	return out
}

// dfOf returns how many articles hold the word.
func (v *vocab) dfOf(w string) int {
	if id, ok := v.id(w); ok {
		return int(v.df[id])
	}
	return 0
}

// add counts an article in: its words, when d has them, and its head.
func (v *vocab) add(d docWords) {
	for _, w := range d.words {
		v.df[v.idOrNew(w)]++
	}
	if old, ok := v.slot[d.id]; ok { // written again without its old version
		v.heads[old].dead = true
		v.dead++
	}
	if d.date > v.tmax {
		v.tmax = d.date
		v.rebase()
	}
	rw := v.recWeight(d.date)
	s := int32(len(v.heads))
	h := head{id: d.id, title: d.title, date: d.date, titleLen: d.titleLen, words: make([]uint32, len(d.head))}
	for i, w := range d.head {
		id := v.idOrNew(w)
		h.words[i] = id
		v.addSurface(id, d.headSurf[i], 1)
		if p := v.postings[id]; len(p) == 0 || p[len(p)-1] != s {
			v.postings[id] = append(p, s)
			v.rec[id] += rw
		}
	}
	v.heads = append(v.heads, h)
	v.slot[d.id] = s
}

// remove counts an article out: d is its analysis with all its words.
func (v *vocab) remove(d docWords) {
	for _, w := range d.words {
		if id, ok := v.id(w); ok && v.df[id] > 0 {
			v.df[id]--
		}
	}
	s, ok := v.slot[d.id]
	if !ok {
		return
	}
	h := &v.heads[s]
	h.dead = true
	v.dead++
	delete(v.slot, d.id)
	rw := v.recWeight(h.date)
	for i, id := range h.words {
		if i < len(d.headSurf) && d.head[i] == v.words[id] {
			v.addSurface(id, d.headSurf[i], -1)
		}
		if !slices.Contains(h.words[:i], id) {
			v.rec[id] = max(0, v.rec[id]-rw)
		}
	}
}

// rebase keeps recency sums far from overflow: t0 moves up once the newest
// article is 500 half-lives past it.
func (v *vocab) rebase() {
	shift := float64(v.tmax-v.t0) / recencyHalfLife.Seconds()
	if shift <= 500 {
		return
	}
	f := math.Exp2(-shift)
	for i := range v.rec {
		v.rec[i] *= f
	}
	v.t0 = v.tmax
}

// addSurface counts sign times a spelling of word id.
func (v *vocab) addSurface(id uint32, s string, sign int32) {
	if s == v.words[id] {
		v.plain[id] = max(0, v.plain[id]+sign)
		return
	}
	surf := v.surf[id]
	i := slices.IndexFunc(surf, func(c surfCount) bool { return c.s == s })
	switch {
	case i >= 0:
		surf[i].n += sign
		if surf[i].n <= 0 {
			surf = slices.Delete(surf, i, i+1)
		}
	case sign > 0:
		surf = append(surf, surfCount{s, sign})
	}
	if len(surf) == 0 {
		delete(v.surf, id)
	} else {
		v.surf[id] = surf
	}
}

// display is the word's commonest spelling in titles and leads (its
// normalized form when it is in none).
func (v *vocab) display(id uint32) string {
	best := surfCount{v.words[id], v.plain[id]}
	for _, s := range v.surf[id] {
		if s.n > best.n || (s.n == best.n && s.s < best.s) {
			best = s
		}
	}
	return best.s
}

// compact drops dead heads once they are a quarter of all.
func (v *vocab) compact() {
	if v.dead <= 1024 || v.dead*4 <= len(v.heads) {
		return
	}
	live := make([]head, 0, len(v.heads)-v.dead)
	for _, h := range v.heads {
		if !h.dead {
			live = append(live, h)
		}
	}
	for i := range v.postings {
		v.postings[i] = v.postings[i][:0]
	}
	clear(v.slot)
	for i, h := range live {
		v.slot[h.id] = int32(i)
		for _, id := range h.words {
			if p := v.postings[id]; len(p) == 0 || p[len(p)-1] != int32(i) {
				v.postings[id] = append(p, int32(i))
			}
		}
	}
	v.heads, v.dead = live, 0
}

// prefixRange returns the ids of the sorted words starting with p.
func (v *vocab) prefixRange(p string) (lo, hi int) {
	main := v.words[:v.nMain]
	lo, _ = slices.BinarySearch(main, p)
	hi = lo + sort.Search(len(main)-lo, func(i int) bool { return !strings.HasPrefix(main[lo+i], p) })
	return lo, hi
}

// extraRange returns the later words starting with p, as a range of extraIDs.
func (v *vocab) extraRange(p string) []uint32 {
	lo, _ := slices.BinarySearchFunc(v.extraIDs, p, func(e uint32, p string) int { return strings.Compare(v.words[e], p) })
	hi := lo
	for hi < len(v.extraIDs) && strings.HasPrefix(v.words[v.extraIDs[hi]], p) {
		hi++
	}
	return v.extraIDs[lo:hi]
}

// buildVocab reads the exact field's dictionary and every article's title
// and lead into a vocabulary.
func (ix *Index) buildVocab(ctx context.Context) (*vocab, error) {
	newest, err := ix.edgeDate("-published_at")
	if err != nil {
		return nil, err
	}
	t0 := time.Now().Unix()
	if !newest.IsZero() {
		t0 = newest.Unix()
	}
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("the index is not a scorch index")
	}
	words, df, err := liveDictionary(snap, fieldExact)
	if err != nil {
		return nil, err
	}
	v := newVocab(t0, words, df)
	// A map speeds the build's lookups; it is dropped afterwards (binary
	// search serves the few lookups of queries and writes).
	v.buildIDs = make(map[string]uint32, len(words))
	for i, w := range words {
		v.buildIDs[w] = uint32(i)
	}
	defer func() { v.buildIDs = nil }()

	// The heads, read on every core from each segment's live documents.
	type docRef struct {
		seg *scorch.SegmentSnapshot
		num uint64
	}
	refs := make(chan docRef, 256)
	heads := make(chan docWords, 256)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var errOnce sync.Once
	var readErr error
	fail := func(err error) {
		errOnce.Do(func() { readErr = err })
		cancel()
	}
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for ref := range refs {
				a, err := storedHead(ref.seg, ref.num)
				if err != nil {
					fail(err)
					continue
				}
				select {
				case heads <- ix.docWordsOf(a, false):
				case <-ctx.Done():
				}
			}
		})
	}
	go func() {
		defer close(refs)
		for _, seg := range snap.Segments() {
			live := seg.DocNumbersLive()
			it := live.Iterator()
			for it.HasNext() {
				select {
				case refs <- docRef{seg, uint64(it.Next())}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	go func() { wg.Wait(); close(heads) }()
	for d := range heads {
		v.add(d)
	}
	if readErr != nil {
		return nil, readErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

// liveDictionary returns the terms of field in sorted order with the number
// of live documents holding each.
//
// It does not take the counts of bleve's FieldDict, for two reasons: they
// include the documents a segment has deleted (or replaced) until the
// segment is merged away; and zap v17's dictionary iterator reuses one
// postings list whose "1-hit" flag is never reset, so after a term held by
// one document the counts of the following terms can read 1
// (TestDidYouMeanNeedsFrequentWord caught it). So each segment's terms are
// listed and each term's postings read afresh with the segment's
// deletions left out.
func liveDictionary(snap *scorch.IndexSnapshot, field string) ([]string, []int32, error) {
	counts := map[string]int32{}
	for _, seg := range snap.Segments() {
		dict, err := seg.Segment().Dictionary(field)
		if err != nil {
			return nil, nil, err
		}
		deleted := seg.Deleted()
		// An empty postings list, refilled for every term.
		pl, err := dict.PostingsList(nil, deleted, nil)
		if err != nil {
			return nil, nil, err
		}
		err = eachTerm(dict.AutomatonIterator(nil, nil, nil).Next, func(e *bindex.DictEntry) error {
			pl, err = dict.PostingsList([]byte(e.Term), deleted, pl)
			if err != nil {
				return err
			}
			if n := pl.Count(); n > 0 {
				counts[e.Term] += int32(n)
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("reading the %s dictionary: %w", field, err)
		}
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	slices.Sort(words)
	df := make([]int32, len(words))
	for i, w := range words {
		df[i] = counts[w]
	}
	return words, df, nil
}

// eachTerm calls fn with each entry of a dictionary until the end.
func eachTerm(next func() (*bindex.DictEntry, error), fn func(*bindex.DictEntry) error) error {
	for {
		e, err := next()
		if err != nil || e == nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}

// storedHead reads an article's id, title, publication date and body from
// its stored JSON (_source, the only stored text since schema 4).
func storedHead(seg *scorch.SegmentSnapshot, num uint64) (Article, error) {
	var a Article
	var raw []byte
	err := seg.VisitDocument(num, func(field string, _ byte, value []byte, _ []uint64) bool {
		if field == sourceField {
			raw = append(raw[:0], value...) // value is only valid in the callback
			return false
		}
		return true
	})
	if err != nil {
		return a, fmt.Errorf("reading stored article %d: %w", num, err)
	}
	var head struct {
		ID          string    `json:"id"`
		Title       string    `json:"title"`
		Body        string    `json:"body"`
		PublishedAt time.Time `json:"published_at"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return a, fmt.Errorf("reading stored article %d: %w", num, err)
	}
	a.ID, a.Title, a.Body, a.PublishedAt = head.ID, head.Title, head.Body, head.PublishedAt
	return a, nil
}

// candidate is one completion being ranked.
type candidate struct {
	key    string // the completed word, normalized, clitic included
	r      *reading
	id     uint32
	ctx, g float64 // context and global scores, weighted by the reading
}

// suggest ranks completions and titles for the parsed input; v.mu is held.
func (v *vocab) suggest(in typed, n int) []Suggestion {
	scale := v.scale()
	var rs []reading
	if in.fragNorm != "" {
		rs = readings(in.frag, in.fragNorm)
		for i := range rs {
			rs[i].lo, rs[i].hi = v.prefixRange(rs[i].lookup)
		}
	}
	cands := map[string]*candidate{}
	offer := func(r *reading, id uint32, ctx float64) {
		if v.df[id] <= 0 {
			return
		}
		w := v.words[id]
		key := r.keyPrefix + w
		if r.dropAlef {
			key = r.keyPrefix + w[len("ا"):]
		}
		c := &candidate{key: key, r: r, id: id, ctx: ctx * r.weight, g: v.score(id, scale) * r.weight}
		if old, ok := cands[key]; ok && (old.ctx > c.ctx || old.ctx == c.ctx && old.g >= c.g) {
			return
		}
		cands[key] = c
	}
	// The best completions of each reading by their global score.
	k := max(4*n, 20)
	for i := range rs {
		r := &rs[i]
		for _, id := range v.topRange(r.lo, r.hi, k, scale) {
			offer(r, id, 0)
		}
		for _, id := range v.extraRange(r.lookup) {
			offer(r, id, 0)
		}
	}
	// Context: the completions found in the heads holding the previous
	// words, ten times when right after the last of them.
	heads := v.contextHeads(in.prev)
	prevIDs := v.ids(in.prev)
	if len(rs) > 0 && len(heads) > 0 {
		lastPrev, hasLast := v.id(in.prev[len(in.prev)-1])
		ctx := map[uint32]float64{}
		type seenWord struct {
			id       uint32
			adjacent bool
		}
		var seen []seenWord
		for _, s := range heads {
			h := &v.heads[s]
			seen = seen[:0]
			for i, id := range h.words {
				if !v.matchesAny(id, rs) {
					continue
				}
				adj := hasLast && i > 0 && h.words[i-1] == lastPrev
				j := slices.IndexFunc(seen, func(x seenWord) bool { return x.id == id })
				if j < 0 {
					seen = append(seen, seenWord{id, adj})
				} else if adj {
					seen[j].adjacent = true
				}
			}
			w := v.headWeight(h, scale)
			for _, x := range seen {
				if x.adjacent {
					ctx[x.id] += adjacentWeight * w
				} else {
					ctx[x.id] += w
				}
			}
		}
		for id, c := range ctx {
			if slices.Contains(prevIDs, id) {
				continue // a word typed before is no completion
			}
			for i := range rs {
				if v.matches(id, &rs[i]) {
					offer(&rs[i], id, c)
				}
			}
		}
	}
	terms := make([]*candidate, 0, len(cands))
	for _, c := range cands {
		if !analyzer.IsStopWord(c.key) && !slices.Contains(prevIDs, c.id) {
			terms = append(terms, c)
		}
	}
	slices.SortFunc(terms, func(a, b *candidate) int {
		switch {
		case a.ctx != b.ctx:
			return cmpDesc(a.ctx, b.ctx)
		case a.g != b.g:
			return cmpDesc(a.g, b.g)
		}
		return strings.Compare(a.key, b.key)
	})
	nTitles := max(1, n/3)
	if n == 1 && len(terms) > 0 {
		nTitles = 0
	}
	titles := v.titles(in, rs, terms, heads, scale, n)
	nTitles = min(len(titles), nTitles)
	nTerms := min(len(terms), n-nTitles)
	nTitles = min(len(titles), n-nTerms)
	out := make([]Suggestion, 0, nTerms+nTitles)
	for _, c := range terms[:nTerms] {
		shown := v.display(c.id)
		if c.r.dropAlef {
			_, size := utf8.DecodeRuneInString(shown)
			shown = shown[size:]
		}
		out = append(out, Suggestion{Text: in.before + c.r.keep + shown, Kind: KindTerm, Count: int(v.df[c.id])})
	}
	return append(out, titles[:nTitles]...)
}

// score is a word's global score: df + B·Σ 2^(−age/H) (scale holds B and
// the age of t0).
func (v *vocab) score(id uint32, scale float64) float64 {
	return float64(v.df[id]) + scale*v.rec[id]
}

func cmpDesc(a, b float64) int {
	if a > b {
		return -1
	}
	return 1
}

// topRange returns the ids of the k best-scored live words among ids
// [lo, hi), best first.
func (v *vocab) topRange(lo, hi, k int, scale float64) []uint32 {
	type scored struct {
		id uint32
		s  float64
	}
	top := make([]scored, 0, k+1)
	floor := -1.0
	for i := lo; i < hi; i++ {
		if v.df[i] <= 0 {
			continue
		}
		s := float64(v.df[i]) + scale*v.rec[i]
		if len(top) == k && s <= floor {
			continue
		}
		j, _ := slices.BinarySearchFunc(top, s, func(x scored, s float64) int { return cmpDesc(x.s, s) })
		top = slices.Insert(top, j, scored{uint32(i), s})
		if len(top) > k {
			top = top[:k]
		}
		if len(top) == k {
			floor = top[k-1].s
		}
	}
	out := make([]uint32, len(top))
	for i, t := range top {
		out[i] = t.id
	}
	return out
}

// matches reports whether word id starts with the reading's lookup.
func (v *vocab) matches(id uint32, r *reading) bool {
	if int(id) < v.nMain {
		return r.lo <= int(id) && int(id) < r.hi
	}
	return strings.HasPrefix(v.words[id], r.lookup)
}

func (v *vocab) matchesAny(id uint32, rs []reading) bool {
	for i := range rs {
		if v.matches(id, &rs[i]) {
			return true
		}
	}
	return false
}

// contextHeads returns the live heads holding all the previous words (or,
// when none holds all, the last of them), at most contextHeads of them,
// the most recently indexed.
func (v *vocab) contextHeads(prev []string) []int32 {
	var lists [][]int32
	for _, w := range prev {
		if id, ok := v.id(w); ok && len(v.postings[id]) > 0 {
			lists = append(lists, v.postings[id])
		}
	}
	if len(lists) == 0 {
		return nil
	}
	last := lists[len(lists)-1]
	heads := intersect(lists)
	if len(heads) == 0 {
		heads = last
	}
	return v.latestLive(heads, contextHeads)
}

// latestLive returns the last n live heads of an ascending list.
func (v *vocab) latestLive(heads []int32, n int) []int32 {
	out := make([]int32, 0, min(len(heads), n))
	for i := len(heads) - 1; i >= 0 && len(out) < n; i-- {
		if !v.heads[heads[i]].dead {
			out = append(out, heads[i])
		}
	}
	slices.Reverse(out)
	return out
}

// intersect returns the slots in all the ascending lists.
func intersect(lists [][]int32) []int32 {
	lists = slices.Clone(lists)
	slices.SortFunc(lists, func(a, b []int32) int { return len(a) - len(b) })
	out := slices.Clone(lists[0])
	for _, l := range lists[1:] {
		keep := out[:0]
		j := 0
		for _, s := range out {
			for j < len(l) && l[j] < s {
				j++
			}
			if j < len(l) && l[j] == s {
				keep = append(keep, s)
			}
		}
		out = keep
	}
	return out
}

// titles returns title suggestions: titles holding the previous words and
// a completion of the last one (without previous words: the titles of the
// best completion, then of the next two while few). A title whose words
// follow each other as typed counts double; otherwise the newest come
// first. Wire copies (one title
// text) among the best 8n give one suggestion, counting them.
func (v *vocab) titles(in typed, rs []reading, terms []*candidate, heads []int32, scale float64, n int) []Suggestion {
	if len(in.prev) == 0 {
		// The heads of the best completion, and of the next ones while
		// they are few.
		heads = nil
		for _, c := range terms[:min(3, len(terms))] {
			if len(heads) >= 100 {
				break
			}
			heads = append(heads, v.latestLive(v.postings[c.id], contextHeads)...)
		}
	}
	prev := v.ids(in.prev)
	type titleHit struct {
		s     int32
		score float64
	}
	// The best 8n hits, kept in order as they come.
	limit := 8 * n
	hits := make([]titleHit, 0, limit+1)
	before := func(a, b titleHit) int {
		ha, hb := &v.heads[a.s], &v.heads[b.s]
		switch {
		case a.score != b.score:
			return cmpDesc(a.score, b.score)
		case ha.date != hb.date:
			return cmp.Compare(hb.date, ha.date)
		}
		return strings.Compare(ha.id, hb.id)
	}
	for _, s := range heads {
		h := &v.heads[s]
		if h.titleLen == 0 {
			continue
		}
		together, ok := titleMatch(h.words[:h.titleLen], prev, func(id uint32) bool { return len(rs) == 0 || v.matchesAny(id, rs) })
		if !ok {
			continue
		}
		sc := v.headWeight(h, scale)
		if together {
			sc *= 2
		}
		hit := titleHit{s, sc}
		if len(hits) == limit && before(hit, hits[limit-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(hits, hit, before)
		hits = slices.Insert(hits, i, hit)
		if len(hits) > limit {
			hits = hits[:limit]
		}
	}
	var out []Suggestion
	at := map[string]int{}
	for i, t := range hits {
		if i > 0 && hits[i-1].s == t.s {
			continue // one head reached from two completions
		}
		h := &v.heads[t.s]
		key := titleKey(h.words[:h.titleLen])
		if j, ok := at[key]; ok {
			out[j].Count++
			continue
		}
		if len(out) == n {
			continue // still counting copies of those taken
		}
		at[key] = len(out)
		out = append(out, Suggestion{Text: h.title, Kind: KindTitle, Count: 1, ID: h.id})
	}
	return out
}

// titleMatch reports whether a title's words hold every previous word and
// a word last accepts, and whether they stand together in the order typed.
func titleMatch(words, prev []uint32, last func(uint32) bool) (together, ok bool) {
	for _, p := range prev {
		if !slices.Contains(words, p) {
			return false, false
		}
	}
	for i, id := range words {
		if !last(id) {
			continue
		}
		ok = true
		if i >= len(prev) && slices.Equal(words[i-len(prev):i], prev) {
			return true, true
		}
	}
	return false, ok
}

// titleKey identifies a title by its words.
func titleKey(words []uint32) string {
	b := make([]byte, 0, 4*len(words))
	for _, w := range words {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	return string(b)
}

func articleIDs(articles []Article) []string {
	ids := make([]string, len(articles))
	for i, a := range articles {
		ids[i] = a.ID
	}
	return ids
}
