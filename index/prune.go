package index

// Exact top-k pruning of the BM25 disjunction (MaxScore, Turtle and Flood
// 1995, as Lucene's MaxScoreBulkScorer): the collector tells the searcher
// the score a document must reach to enter the top k (theta), and the
// searcher skips every document whose score cannot reach it.
//
// Each clause's score is bounded: BM25 saturates, weight × tf(k1+1) /
// (tf + lenNorm) < weight × (k1+1); coordination multiplies by at most
// (matched groups / groups)^exp, recency by at most 1, and the tier adds
// its bonus only to documents matching every group. So a document holding
// only clauses of a set S scores at most sum(bound, S) × coord(groups of
// S) + tier(S covers every group).
//
// Candidates come from the "drivers", a set of clauses that every
// competitive document holds at least one of; the other clauses are only
// advanced to candidates. Clauses are grouped into units (a term's text
// clause carries its title and lead clauses, which match only documents
// it matches). The drivers are the smaller (by postings) of:
//   - MaxScore: the primary clauses of the units left when units are set
//     aside, those with the most postings per unit of bound first, while
//     their bounds together stay under theta;
//   - the tier: once theta is above every score without the tier, only
//     documents matching all groups compete, so the units of the rarest
//     group suffice (the disjunction becomes a conjunction).
//
// A candidate's clauses are then read in turn (a title or lead clause not
// at all when its text clause is absent), and the candidate is dropped as
// soon as what it has plus the bounds of what is left falls under theta. Scores of the candidates kept are computed exactly as
// collect computes them (same clauses, same order of summation), so the
// top k are the same documents in the same order as without pruning;
// ties at theta are kept (the comparison is strict, with a margin for
// rounding), because the id decides them.

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
)

// pruneMargin keeps a candidate whose bound is under theta by less than
// rounding could explain (the bound and the score add the same numbers in
// different orders).
const pruneMargin = 1e-9

// bound is an upper bound of the child's score on any document: for a
// pair, whose documents findPairs read, the highest score among them;
// for a term, what BM25 saturates to.
func (c *bm25Searcher) bound() float64 {
	if c.reader == nil { // a pair
		return c.max
	}
	return c.weight * (c.k1 + 1)
}

// count is the number of documents the child can match.
func (c *bm25Searcher) count() uint64 {
	if c.reader == nil {
		return uint64(len(c.pairs))
	}
	return c.reader.Count()
}

// A unit is what MaxScore sets aside or keeps: a term's text clause with
// its title and lead clauses, whose documents are all in the text clause's
// (the text field holds the title and the body, the lead is the body's
// first words, all analyzed alike), or any other clause alone. A document
// outside the unit's primary clause scores nothing from the unit.
type unit struct {
	primary int // the child whose documents hold all the unit's matches
	bound   float64
	groups  []int // groups of its children (>= 0)
}

// pruner holds the searcher's pruning state.
type pruner struct {
	bounds   []float64 // per child
	counts   []uint64  // per child, its postings
	total    float64   // sum of bounds
	byBound  []int     // children, lowest bound first
	units    []unit    // most postings per bound first
	drivers  []int     // children whose documents are the candidates
	theta    float64   // the theta the drivers were chosen for
	isDriver []bool
	scores   []float64 // per child, its score on the candidate, or -1
	order    []int     // children in the order a candidate reads them
	primary  []int     // per child, the primary child of its unit
	implied  []bool    // per child, read after its unit's primary: absent when the primary is
	left     []int     // per group, children not yet read on the candidate
	perGroup []int     // per group, its children
	open     int       // groups with children
	coordTab []float64 // coordAt(m) for m = 0..groups
	seenG    []bool
	last     scoreParts // of the candidate scoreTop kept last
}

// canPrune reports whether the bounds above hold for this query: no
// negative weight, coordination never above 1.
func (s *sumSearcher) canPrune() bool {
	if s.coordExp < 0 || s.tierBonus < 0 {
		return false
	}
	for _, c := range s.children {
		if c.weight < 0 || c.k1 < 0 {
			return false
		}
	}
	return true
}

// startPruning sets up the state of nextTop; call before the first Next.
func (s *sumSearcher) startPruning() error {
	n := len(s.children)
	p := &pruner{bounds: make([]float64, n), byBound: make([]int, n), isDriver: make([]bool, n),
		scores: make([]float64, n), left: make([]int, s.nGroups+1), perGroup: make([]int, s.nGroups+1),
		seenG: make([]bool, s.nGroups+1), theta: math.Inf(-1)}
	text := map[string]int{} // term -> its text clause
	for i, c := range s.children {
		p.bounds[i] = c.bound()
		p.counts = append(p.counts, c.count())
		p.total += p.bounds[i]
		p.byBound[i] = i
		if g := s.groups[i]; g >= 0 {
			if p.perGroup[g] == 0 {
				p.open++
			}
			p.perGroup[g]++
		}
		if c.field == fieldText && c.reader != nil {
			text[c.term] = i
		}
	}
	slices.SortStableFunc(p.byBound, func(a, b int) int { return cmp.Compare(p.bounds[a], p.bounds[b]) })
	at := map[int]int{} // primary child -> its unit
	p.primary = make([]int, n)
	p.implied = make([]bool, n)
	for i, c := range s.children {
		primary := i
		if t, ok := text[c.term]; ok && c.reader != nil && (c.field == fieldTitle || c.field == fieldLead) {
			primary = t
		}
		p.primary[i] = primary
		u, ok := at[primary]
		if !ok {
			u = len(p.units)
			at[primary] = u
			p.units = append(p.units, unit{primary: primary})
		}
		p.units[u].bound += p.bounds[i]
		if g := s.groups[i]; g >= 0 && !slices.Contains(p.units[u].groups, g) {
			p.units[u].groups = append(p.units[u].groups, g)
		}
	}
	// Set aside first the units that save the most postings per unit of
	// bound (any set whose bounds stay under theta may be set aside; this
	// greedy order leaves the fewest candidates).
	slices.SortStableFunc(p.units, func(a, b unit) int {
		return cmp.Compare(float64(p.counts[b.primary])/b.bound, float64(p.counts[a.primary])/a.bound)
	})
	for m := 0; m <= s.nGroups; m++ {
		p.coordTab = append(p.coordTab, s.coordAt(m))
	}
	p.setDrivers(s, allChildren(n))
	s.prune = p
	return s.init(nil)
}

func allChildren(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// setDrivers makes ds the drivers and orders the reading of a candidate:
// drivers first (they are on it already), then the others, highest bound
// first, so that a hopeless candidate is dropped early.
func (p *pruner) setDrivers(s *sumSearcher, ds []int) {
	p.drivers = ds
	for i := range p.isDriver {
		p.isDriver[i] = false
	}
	for _, d := range ds {
		p.isDriver[d] = true
	}
	p.order = append(p.order[:0], ds...)
	for i := len(p.byBound) - 1; i >= 0; i-- {
		if c := p.byBound[i]; !p.isDriver[c] {
			p.order = append(p.order, c)
		}
	}
	read := make([]bool, len(p.implied))
	for _, c := range p.order {
		p.implied[c] = p.primary[c] != c && read[p.primary[c]]
		read[c] = true
	}
}

// coordAt is the coordination factor of a document matching m groups.
func (s *sumSearcher) coordAt(m int) float64 {
	if s.coordExp == 0 || s.nGroups == 0 {
		return 1
	}
	return math.Pow(float64(m)/float64(s.nGroups), s.coordExp)
}

// tierAt is the tier bonus of a document matching m groups.
func (s *sumSearcher) tierAt(m int) float64 {
	if s.minGroups > 0 && m >= s.minGroups {
		return s.tierBonus
	}
	return 0
}

// below reports whether a bound cannot reach theta.
func below(bound, theta float64) bool {
	return bound+pruneMargin*(1+math.Abs(bound)) < theta
}

// chooseDrivers picks the drivers for theta (see the top of the file).
func (p *pruner) chooseDrivers(s *sumSearcher, theta float64) {
	p.theta = theta
	// MaxScore: set aside the lowest-bound units while a document
	// holding only them stays under theta.
	sum := 0.0
	for g := range p.seenG {
		p.seenG[g] = false
	}
	groups, cut := 0, 0
	for i, u := range p.units {
		sum += u.bound
		for _, g := range u.groups {
			if !p.seenG[g] {
				p.seenG[g] = true
				groups++
			}
		}
		if !below(sum*s.coordAt(groups)+s.tierAt(groups), theta) {
			break
		}
		cut = i + 1
	}
	var best []int
	for _, u := range p.units[cut:] {
		best = append(best, u.primary)
	}
	bestCount := p.postings(best)
	// The tier: above every score without it, a competitive document
	// matches every group; drive from the rarest group.
	if s.minGroups > 0 && s.minGroups == s.nGroups {
		if below(p.total*s.coordAt(s.nGroups), theta) {
			for g := 0; g < s.nGroups; g++ {
				var ds []int
				for _, u := range p.units {
					if slices.Contains(u.groups, g) {
						ds = append(ds, u.primary)
					}
				}
				if n := p.postings(ds); n < bestCount {
					best, bestCount = ds, n
				}
			}
		}
	}
	slices.Sort(best)
	if !slices.Equal(best, p.drivers) {
		p.setDrivers(s, best)
	}
}

func (p *pruner) postings(cs []int) uint64 {
	var n uint64
	for _, c := range cs {
		n += p.counts[c]
	}
	return n
}

// nextTop returns the next document that can score at least theta and
// that accept takes, with its score, or found false at the end. Documents
// under theta may be returned too (the caller compares).
func (s *sumSearcher) nextTop(theta float64, accept func(doc uint64) bool) (doc uint64, score float64, found bool, err error) {
	p := s.prune
	for {
		if theta != p.theta {
			p.chooseDrivers(s, theta)
		}
		found = false
		for _, i := range p.drivers {
			if c := s.children[i]; !c.done && (!found || c.doc < doc) {
				doc, found = c.doc, true
			}
		}
		if !found {
			return 0, 0, false, nil
		}
		ok := accept == nil || accept(doc)
		if ok {
			score, ok, err = s.scoreTop(doc, theta)
			if err != nil {
				return 0, 0, false, err
			}
		}
		for _, i := range p.drivers {
			if c := s.children[i]; !c.done && c.doc == doc {
				if err := c.next(); err != nil {
					return 0, 0, false, err
				}
			}
		}
		if ok {
			return doc, score, true, nil
		}
	}
}

// scoreTop reads the candidate's clauses, dropping it (ok false) once it
// cannot reach theta; otherwise it returns the score collect would give.
func (s *sumSearcher) scoreTop(doc uint64, theta float64) (score float64, ok bool, err error) {
	p := s.prune
	copy(p.left, p.perGroup)
	for g := range p.seenG {
		p.seenG[g] = false
	}
	rest := p.total
	partial, matched, open := 0.0, 0, p.open // open: groups unseen with clauses left
	for j, i := range p.order {
		c := s.children[i]
		if p.implied[i] && p.scores[p.primary[i]] < 0 {
			// not in the text field, so not in its title or lead: no need to look
		} else if !c.done && c.doc < doc {
			if err := c.advance(docID(doc)); err != nil {
				return 0, false, err
			}
		}
		rest -= p.bounds[i]
		g := s.groups[i]
		p.scores[i] = -1
		if !c.done && c.doc == doc && !(p.implied[i] && p.scores[p.primary[i]] < 0) {
			p.scores[i] = c.score
			partial += c.score
			if g >= 0 && !p.seenG[g] {
				p.seenG[g] = true
				matched++
				open--
			}
		}
		if g >= 0 {
			p.left[g]--
			if p.left[g] == 0 && !p.seenG[g] {
				open--
			}
		}
		if j+1 < len(p.drivers) {
			continue // the drivers are on the candidate or past it: check once they are read
		}
		if m := matched + open; below((partial+rest)*p.coordTab[m]+s.tierAt(m), theta) {
			return 0, false, nil
		}
	}
	// The same sum, in the same order, as collect.
	sum := 0.0
	for i := range s.children {
		if p.scores[i] >= 0 {
			sum += p.scores[i]
		}
	}
	p.last = scoreParts{sum: sum, coord: p.coordTab[matched], factor: 1, tier: s.tierAt(matched)}
	if s.recency != nil {
		p.last.factor = s.recency.factor(s.dates, docID(doc))
	}
	return p.last.score(), true, nil
}

// scoreParts are the parts of a document's score: the sum of its
// clauses, times coordination and recency, plus the tier.
type scoreParts struct {
	sum, coord, factor, tier float64
}

// score is the score as collect computes it: (sum × coord) × factor +
// tier. Rescoring adds the pairs to sum one by one, in the order collect
// adds them, so that a rescored score equals the one without a window.
func (sp scoreParts) score() float64 {
	x := sp.sum * sp.coord
	if sp.factor != 1 {
		x *= sp.factor
	}
	return x + sp.tier
}

// docID is scorch's internal id of a document number.
func docID(doc uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, doc)
}
