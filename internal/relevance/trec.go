package relevance

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// WriteTREC writes run in the TREC run format read by trec_eval, one line
// per result:
//
//	qid Q0 docid rank score tag
//
// Queries come in qid order (byte-wise) so the output is deterministic;
// results keep the order of the run and are ranked from 1. Scores are written
// as given, in the shortest form that reads back exactly.
//
// trec_eval ranks by score, not by line order (ties broken by docid,
// descending), so it agrees with Evaluate only when each query's scores
// strictly decrease down the list.
//
// A qid, docid or tag that is empty or contains white space would break the
// format and is an error; so is a query whose list repeats a docid, which
// trec_eval rejects.
func WriteTREC(w io.Writer, run Run, tag string) error {
	if !isField(tag) {
		return fmt.Errorf("run tag %q: must be non-empty and without white space", tag)
	}
	qids := make([]string, 0, len(run))
	for qid := range run {
		qids = append(qids, qid)
	}
	slices.Sort(qids)

	bw := bufio.NewWriter(w)
	for _, qid := range qids {
		if !isField(qid) {
			return fmt.Errorf("query id %q: must be non-empty and without white space", qid)
		}
		seen := make(map[string]int, len(run[qid]))
		for i, r := range run[qid] {
			if !isField(r.DocID) {
				return fmt.Errorf("query %s rank %d: docid %q must be non-empty and without white space", qid, i+1, r.DocID)
			}
			if first, dup := seen[r.DocID]; dup {
				return fmt.Errorf("query %s rank %d: docid %q already at rank %d", qid, i+1, r.DocID, first)
			}
			seen[r.DocID] = i + 1
			score := strconv.FormatFloat(r.Score, 'g', -1, 64)
			if _, err := fmt.Fprintf(bw, "%s Q0 %s %d %s %s\n", qid, r.DocID, i+1, score, tag); err != nil {
				return fmt.Errorf("writing TREC run: %w", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing TREC run: %w", err)
	}
	return nil
}

// isField reports whether s can be one white-space-separated field.
func isField(s string) bool {
	return s != "" && !strings.ContainsFunc(s, unicode.IsSpace)
}
