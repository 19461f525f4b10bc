package samples

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseGroups(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Groups
		wantErr string // a substring of the error; "" for none
	}{
		{
			name: "both kinds, notes and prose",
			in: "# Groups\n\nWire copies are listed as `- wire: ID ID`.\n" +
				"- wire: s05 s06 — Iran talks: ايران/إيران\n" +
				"- related: s02 s03 s09 — data centre\n" +
				"  - wire: s15 s16\n",
			want: Groups{Wire: [][]string{{"s05", "s06"}, {"s15", "s16"}}, Related: [][]string{{"s02", "s03", "s09"}}},
		},
		{name: "no note", in: "- related: a b\n", want: Groups{Related: [][]string{{"a", "b"}}}},
		{name: "no groups", in: "nothing here\n- a list item: with a colon\n", want: Groups{}},
		{name: "one id", in: "- wire: s05 — alone\n", wantErr: "line 1: a wire group needs two ids"},
		{name: "no ids", in: "text\n- related: — note only\n", wantErr: "line 2: a related group needs two ids"},
		{name: "id twice", in: "- wire: s05 s06 s05\n", wantErr: "line 1: s05 listed twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseGroups([]byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCount(t *testing.T) {
	saved := Articles
	defer func() { Articles = saved }()
	for in, want := range map[string]int{"": 0, "{}\n": 1, "{}\n\n  \n{}": 2, "{}\r\n{}\r\n": 2} {
		Articles = []byte(in)
		if got := Count(); got != want {
			t.Errorf("Count of %q = %d, want %d", in, got, want)
		}
	}
}
