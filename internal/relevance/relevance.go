// Package relevance reads relevance fixtures and scores ranked results with
// the trec_eval definitions of nDCG, reciprocal rank, recall and average
// precision, so that numbers printed by Bahth can be checked against
// trec_eval run on the same files (see WriteTREC).
//
// Three inputs meet here:
//
//   - queries: a TSV file, one "qid<TAB>query text" per line (ReadQueries);
//   - qrels: TREC judgments, one "qid 0 docid rel" per line (ReadQrels);
//   - a run: for each qid, the docids the engine returned, best first (Run).
//
// Query ids carry a family prefix before their first '-' ("spell-007",
// "phrase-003"); Evaluate reports means per family as well as overall.
package relevance

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Query is one line of a queries file.
type Query struct {
	ID   string
	Text string
}

// Qrels holds relevance judgments: qid -> docid -> relevance. As in
// trec_eval, only a relevance above 0 makes a document relevant; 0 and
// negative values record a document judged not relevant.
type Qrels map[string]map[string]int

// Ranked is one result of a run: a document id and the score the engine
// gave it.
type Ranked struct {
	DocID string
	Score float64
}

// Run holds ranked results: qid -> results, best first. The order of the
// slice is the ranking; scores are only carried through to WriteTREC.
type Run map[string][]Ranked

// maxLine bounds one line of a fixture file; bufio.Scanner's 64 KiB default
// is too small for a long Arabic query with tashkeel.
const maxLine = 1 << 20

// ReadQueries reads a queries file: one "qid<TAB>query text" per line, no
// header, in file order. Blank lines are skipped. The text is everything after
// the first tab, kept verbatim (Arabic, punctuation, a leading "- ", inner
// tabs) except for a trailing "\r". A line without a tab, an empty qid or a
// repeated qid is an error naming FILE:LINE.
func ReadQueries(path string) ([]Query, error) {
	var queries []Query
	seen := make(map[string]int) // qid -> line it was first seen on
	err := eachLine(path, func(n int, line string) error {
		id, text, ok := strings.Cut(line, "\t")
		if !ok {
			return errors.New(`want "qid<TAB>query text", found no tab`)
		}
		id = strings.TrimSpace(id)
		if id == "" {
			return errors.New("empty query id")
		}
		if first, dup := seen[id]; dup {
			return fmt.Errorf("query id %q already defined on line %d", id, first)
		}
		seen[id] = n
		queries = append(queries, Query{ID: id, Text: text})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return queries, nil
}

// ReadQrels reads a TREC qrels file: one "qid 0 docid rel" per line, fields
// separated by any whitespace. The second field (the "iteration") is ignored,
// as trec_eval ignores it. Blank lines are skipped. A line with other than
// four fields, a relevance that is not an integer, or a second judgment for
// the same (qid, docid) is an error naming FILE:LINE.
func ReadQrels(path string) (Qrels, error) {
	qrels := make(Qrels)
	err := eachLine(path, func(n int, line string) error {
		f := strings.Fields(line)
		if len(f) != 4 {
			return fmt.Errorf(`want 4 fields "qid 0 docid rel", got %d`, len(f))
		}
		qid, docid := f[0], f[2]
		rel, err := strconv.Atoi(f[3])
		if err != nil {
			return fmt.Errorf("relevance %q is not an integer", f[3])
		}
		judged := qrels[qid]
		if judged == nil {
			judged = make(map[string]int)
			qrels[qid] = judged
		}
		if _, dup := judged[docid]; dup {
			return fmt.Errorf("document %q judged twice for query %q", docid, qid)
		}
		judged[docid] = rel
		return nil
	})
	if err != nil {
		return nil, err
	}
	return qrels, nil
}

// eachLine calls fn for every non-blank line of the file at path, with its
// 1-based line number and without its trailing "\r" or a leading UTF-8 byte
// order mark. An error from fn is returned prefixed with "path:line: ".
func eachLine(path string, fn func(n int, line string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()

	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := fn(n, line); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", path, n+1, err)
	}
	return nil
}
