package relevance

import (
	"strings"
	"testing"
)

func TestWriteTREC(t *testing.T) {
	run := Run{
		"spell-2":  {{DocID: "d7", Score: 2.5}, {DocID: "d3", Score: 1e-7}},
		"phrase-1": {{DocID: "d1", Score: 12}},
		"empty-1":  nil,
		"spell-10": {{DocID: "d9", Score: -0.25}},
	}
	var b strings.Builder
	if err := WriteTREC(&b, run, "bahth"); err != nil {
		t.Fatal(err)
	}
	// qids in byte order ("spell-10" < "spell-2"), docs in run order.
	const want = "" +
		"phrase-1 Q0 d1 1 12 bahth\n" +
		"spell-10 Q0 d9 1 -0.25 bahth\n" +
		"spell-2 Q0 d7 1 2.5 bahth\n" +
		"spell-2 Q0 d3 2 1e-07 bahth\n"
	if got := b.String(); got != want {
		t.Errorf("WriteTREC wrote\n%s\nwant\n%s", got, want)
	}
}

func TestWriteTRECErrors(t *testing.T) {
	tests := []struct {
		name string
		run  Run
		tag  string
		want string
	}{
		{"empty tag", Run{}, "", "run tag"},
		{"tag with space", Run{}, "my run", "run tag"},
		{"qid with space", Run{"q 1": {{DocID: "d"}}}, "t", `query id "q 1"`},
		{"docid with tab", Run{"q-1": {{DocID: "a\tb"}}}, "t", `query q-1 rank 1: docid "a\tb"`},
		{"empty docid", Run{"q-1": {{DocID: "a"}, {DocID: ""}}}, "t", "query q-1 rank 2"},
		{"repeated docid", Run{"q-1": {{DocID: "a"}, {DocID: "b"}, {DocID: "a"}}}, "t", `query q-1 rank 3: docid "a" already at rank 1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteTREC(&strings.Builder{}, tc.run, tc.tag)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("WriteTREC error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
