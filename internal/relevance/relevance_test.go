package relevance

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeFile writes content to name in a fresh temporary directory and
// returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadQueries(t *testing.T) {
	path := writeFile(t, "queries.tsv", ""+
		"\uFEFFspell-1\tالقدس\r\n"+ // byte order mark and CRLF
		"\n"+
		"   \n"+
		"phrase-1\t- مؤتمر صحفي \r\n"+ // leading "- " and trailing space kept
		"tab-1\tمصر\t2024\n"+ // only the first tab separates
		"empty-1\t\n"+ // an empty query is a valid case
		"diacritics-1\tالْقُدْسُ")
	got, err := ReadQueries(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Query{
		{"spell-1", "القدس"},
		{"phrase-1", "- مؤتمر صحفي "},
		{"tab-1", "مصر\t2024"},
		{"empty-1", ""},
		{"diacritics-1", "الْقُدْسُ"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadQueries =\n%q\nwant\n%q", got, want)
	}
}

func TestReadQueriesErrors(t *testing.T) {
	tests := []struct {
		name, content string
		want          string // substring after "FILE:"
	}{
		{"no tab", "q-1\tok\n\nq-2 no tab here\n", ":3: "},
		{"empty id", "q-1\tok\n\tno id\n", ":2: empty query id"},
		{"duplicate id", "q-1\tone\nq-2\ttwo\nq-1\tagain\n", `:3: query id "q-1" already defined on line 1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "queries.tsv", tc.content)
			_, err := ReadQueries(path)
			if err == nil || !strings.Contains(err.Error(), path+tc.want) {
				t.Errorf("ReadQueries error = %v, want it to contain %q", err, path+tc.want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "absent.tsv")
		if _, err := ReadQueries(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("ReadQueries error = %v, want it to name %s", err, path)
		}
	})
}

func TestReadQrels(t *testing.T) {
	path := writeFile(t, "qrels.txt", ""+
		"spell-1 0 doc-1 1\n"+
		"spell-1\t0\tdoc-2\t2\r\n"+ // tabs and CRLF
		"\n"+
		"spell-1 0 doc-3 0\n"+
		"  phrase-1   0 doc-9   -1  \n") // extra spaces, negative grade
	got, err := ReadQrels(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Qrels{
		"spell-1":  {"doc-1": 1, "doc-2": 2, "doc-3": 0},
		"phrase-1": {"doc-9": -1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadQrels = %v, want %v", got, want)
	}
}

func TestReadQrelsErrors(t *testing.T) {
	tests := []struct {
		name, content string
		want          string // substring after "FILE"
	}{
		{"three fields", "q-1 0 d 1\nq-1 0 d2\n", `:2: want 4 fields "qid 0 docid rel", got 3`},
		{"five fields", "\n\nq-1 0 d 1 x\n", ":3: want 4 fields"},
		{"relevance not a number", "q-1 0 d high\n", `:1: relevance "high" is not an integer`},
		{"judged twice", "q-1 0 d 1\nq-2 0 d 1\nq-1 0 d 0\n", `:3: document "d" judged twice for query "q-1"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "qrels.txt", tc.content)
			_, err := ReadQrels(path)
			if err == nil || !strings.Contains(err.Error(), path+tc.want) {
				t.Errorf("ReadQrels error = %v, want it to contain %q", err, path+tc.want)
			}
		})
	}
}
