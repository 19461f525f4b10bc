// Package dupeval measures Bahth's wire-copy detection (index/dedup.go)
// against pairs of articles labelled by hand, and its related coverage
// (index/related.go) against the corpus's sections.
//
// # Duplicates
//
// The detector is judged on pairs: it calls two articles copies when the
// index puts them in one wire group. The hand labels (labels.tsv) say
// whether two articles are the same agency story with small edits
// (dup: the same sentences in the same order, allowing a new title, cuts,
// a sentence or paragraph added, small rewording) or not (no: the same
// event written independently, two issues of a recurring template story,
// or unrelated).
//
// Recall needs pairs drawn without looking at the detector. They come from
// a cheaper and broader generator, Broad: every pair of articles sharing at
// least broadMinShared rare words (in 2 to broadMaxDF articles), kept when
// the Jaccard similarity of their word sets (normalized, unstemmed, stop
// words dropped: single words, not the detector's 4-word shingles, and
// computed exactly) is at least broadMinJaccard. Those pairs are cut into
// strata by that similarity, and a fixed number is drawn from each stratum
// at random; recall is the share of the labelled copies the detector
// found, each stratum weighted by its size over its sample (Recall).
// Copies whose word sets are less similar than broadMinJaccard are missed
// by both; the labels show how rare copies are near that bound.
//
// Precision comes from pairs the detector groups, drawn at random from all
// its grouped pairs, and from the broad sample's pairs it grouped. Pairs the
// detector compared and rejected near its thresholds are labelled too
// (stratum "near"), to show what it misses; they enter neither estimate.
package dupeval

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bahth/bahth/analyzer"
	"github.com/bahth/bahth/index"
)

// The broad generator's parameters.
const (
	broadMaxDF      = 30  // a rare word is in at most this many articles
	broadMinShared  = 3   // rare words two articles must share
	broadMinJaccard = 0.3 // word-set similarity from which a pair is kept
)

// Strata of the broad pairs by word-set similarity: [0.3,0.4), [0.4,0.5),
// [0.5,0.6), [0.6,0.8), [0.8,1].
var strata = []float64{0.3, 0.4, 0.5, 0.6, 0.8}

// StratumOf names the stratum of a word-set similarity ("b0.3" ...), or ""
// below the first.
func StratumOf(j float64) string {
	name := ""
	for _, lo := range strata {
		if j >= lo {
			name = "b" + strconv.FormatFloat(lo, 'f', 1, 64)
		}
	}
	return name
}

// Pair is two articles, A < B by id.
type Pair struct {
	A, B    string
	Jaccard float64 // of their word sets
}

// NewPair orders the ids.
func NewPair(a, b string, j float64) Pair {
	if b < a {
		a, b = b, a
	}
	return Pair{A: a, B: b, Jaccard: j}
}

// Key identifies a pair.
func (p Pair) Key() string { return p.A + "\t" + p.B }

var words = analyzer.NewExact()

// WordSet returns the article's distinct normalized words of two letters
// or more, sorted.
func WordSet(a index.Article) []string {
	var out []string
	for _, text := range []string{a.Title, a.Summary, a.Body} {
		for _, t := range words.Analyze([]byte(text)) {
			if utf8.RuneCount(t.Term) >= 2 {
				out = append(out, string(t.Term))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jaccard of two sorted sets.
func jaccard(a, b []int32) float64 {
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	if u := len(a) + len(b) - inter; u > 0 {
		return float64(inter) / float64(u)
	}
	return 0
}

// Broad returns the broad generator's pairs over the articles, in key
// order (see the package comment).
func Broad(articles []index.Article) []Pair {
	ids := map[string]int32{}
	sets := make([][]int32, len(articles))
	for i, a := range articles {
		for _, w := range WordSet(a) {
			id, ok := ids[w]
			if !ok {
				id = int32(len(ids))
				ids[w] = id
			}
			sets[i] = append(sets[i], id)
		}
		slices.Sort(sets[i])
	}
	postings := make([][]int32, len(ids))
	for i, s := range sets {
		for _, w := range s {
			if len(postings[w]) <= broadMaxDF {
				postings[w] = append(postings[w], int32(i))
			}
		}
	}
	shared := map[uint64]uint16{}
	for _, p := range postings {
		if len(p) < 2 || len(p) > broadMaxDF {
			continue
		}
		for x := range p {
			for y := x + 1; y < len(p); y++ {
				shared[uint64(p[x])<<32|uint64(p[y])]++
			}
		}
	}
	var out []Pair
	for k, n := range shared {
		if n < broadMinShared {
			continue
		}
		i, j := int(k>>32), int(k&math.MaxUint32)
		if s := jaccard(sets[i], sets[j]); s >= broadMinJaccard {
			out = append(out, NewPair(articles[i].ID, articles[j].ID, s))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// Sample draws up to n pairs at random (seeded), in key order.
func Sample(pairs []Pair, n int, seed uint64) []Pair {
	r := rand.New(rand.NewPCG(seed, 0x64757065))
	idx := r.Perm(len(pairs))
	out := make([]Pair, 0, min(n, len(pairs)))
	for _, i := range idx[:min(n, len(pairs))] {
		out = append(out, pairs[i])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// Label is one hand-labelled pair.
type Label struct {
	Stratum string // "b0.3" ... (broad sample), "group" (detector's pairs), "near" (its near misses)
	Pair
	Dup    bool
	Reason string
}

// ReadLabels reads labels.tsv: stratum, id A, id B, word-set similarity,
// dup|no, reason; '#' starts a comment line.
func ReadLabels(r io.Reader) ([]Label, error) {
	var out []Label
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("labels line %d: %d fields, want 6", n, len(f))
		}
		j, err := strconv.ParseFloat(f[3], 64)
		if err != nil {
			return nil, fmt.Errorf("labels line %d: similarity: %w", n, err)
		}
		var dup bool
		switch f[4] {
		case "dup":
			dup = true
		case "no":
		default:
			return nil, fmt.Errorf("labels line %d: label %q, want dup or no", n, f[4])
		}
		out = append(out, Label{Stratum: f[0], Pair: NewPair(f[1], f[2], j), Dup: dup, Reason: f[5]})
	}
	return out, sc.Err()
}

// Estimate is a proportion measured on labelled pairs.
type Estimate struct {
	Value    float64
	Hits, Of int // unweighted counts behind it
}

func (e Estimate) String() string {
	return fmt.Sprintf("%.3f (%d of %d)", e.Value, e.Hits, e.Of)
}

// Precision is the share of labelled pairs the detector grouped that are
// copies, over the strata given (pairs drawn independently of whether they
// are copies).
func Precision(labels []Label, grouped func(Pair) bool, strata ...string) Estimate {
	var e Estimate
	for _, l := range labels {
		if slices.Contains(strata, l.Stratum) && grouped(l.Pair) {
			e.Of++
			if l.Dup {
				e.Hits++
			}
		}
	}
	if e.Of > 0 {
		e.Value = float64(e.Hits) / float64(e.Of)
	}
	return e
}

// Recall is the share of copies the detector grouped, estimated from the
// broad sample: in each stratum s of size sizes[s], each labelled copy
// stands for sizes[s]/(pairs labelled in s) copies.
func Recall(labels []Label, grouped func(Pair) bool, sizes map[string]int) Estimate {
	sampled := map[string]int{}
	for _, l := range labels {
		if _, ok := sizes[l.Stratum]; ok {
			sampled[l.Stratum]++
		}
	}
	var e Estimate
	var found, copies float64
	for _, l := range labels {
		if _, ok := sizes[l.Stratum]; !ok || !l.Dup {
			continue
		}
		w := float64(sizes[l.Stratum]) / float64(sampled[l.Stratum])
		e.Of++
		copies += w
		if grouped(l.Pair) {
			e.Hits++
			found += w
		}
	}
	if copies > 0 {
		e.Value = found / copies
	}
	return e
}
