package index

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func mustSynonyms(t *testing.T, file string) *synonyms {
	t.Helper()
	s, err := loadSynonyms(strings.NewReader(file), "test.txt")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// spellings lists the entries of s as their texts.
func spellings(s *synonyms) [][]string {
	var out [][]string
	for _, e := range s.entries {
		var texts []string
		for _, sp := range e {
			texts = append(texts, sp.text)
		}
		out = append(out, texts)
	}
	return out
}

func TestLoadSynonyms(t *testing.T) {
	tests := []struct {
		name, file string
		want       [][]string
	}{
		{"one entry", "ترامب | ترمب | Trump\n", [][]string{{"ترامب", "ترمب", "Trump"}}},
		{"comments and blank lines", "# people\n\n   \nترامب|ترمب # the spellings of 2016\n\t# indented comment\nبايدن | Biden", [][]string{{"ترامب", "ترمب"}, {"بايدن", "Biden"}}},
		{"# inside a spelling is text", "C# | سي شارب\n", [][]string{{"C#", "سي شارب"}}},
		{"inner spaces collapse", "أوبن   إيه\tآي |  OpenAI  \n", [][]string{{"أوبن إيه آي", "OpenAI"}}},
		{"spellings equal after normalization kept once", "أوبن إيه آي | اوبن ايه اي | OPENAI | OpenAI\n", [][]string{{"أوبن إيه آي", "OPENAI"}}},
		{"BOM and CRLF", "\uFEFFترامب | Trump\r\nبايدن | Biden\r\n", [][]string{{"ترامب", "Trump"}, {"بايدن", "Biden"}}},
		{"empty file", "", nil},
		{"comments only", "# nothing yet\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := spellings(mustSynonyms(t, tc.file)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("entries %q; want %q", got, tc.want)
			}
		})
	}
}

func TestLoadSynonymsErrors(t *testing.T) {
	tests := []struct{ name, file, want string }{
		{"one spelling", "# c\nترامب\n", `test.txt:2: "ترامب": an entry needs two or more spellings`},
		{"all spellings equal after normalization", "ايميل | إيميل\n", `test.txt:1: "ايميل | إيميل": an entry needs two or more spellings`},
		{"empty spelling", "ترامب | | Trump\n", "test.txt:1: empty spelling"},
		{"trailing bar", "ترامب | Trump |\n", "test.txt:1: empty spelling"},
		{"no letters", "ترامب | ... \n", `test.txt:1: spelling "..." has no letter or digit`},
		{"too many words", "a b c d e f g h i | x\n", `test.txt:1: spelling "a b c d e f g h i" has 9 words; at most 8`},
		{"spelling in two entries", "ترامب | Trump\n\nبايدن | Biden\nTRUMP | دونالد\n", `test.txt:4: spelling "TRUMP" is already in the entry on line 1 (as "Trump")`},
		{"invalid UTF-8", "ترامب | Trump\nبايدن | \xff\n", "test.txt:2: invalid UTF-8"},
		{"line too long", "a | " + strings.Repeat("b", maxSynonymLine) + "\n", "test.txt:1: line longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadSynonyms(strings.NewReader(tc.file), "test.txt")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want one containing %q", err, tc.want)
			}
		})
	}
}

func TestDefaultSynonymsLoad(t *testing.T) {
	s, err := loadSynonyms(strings.NewReader(defaultSynonymsFile), "synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.entries); n < 25 || n > 50 {
		t.Errorf("synonyms.txt has %d entries; want 25 to 50", n)
	}
	if first, again := defaultSynonyms(), defaultSynonyms(); first != again {
		t.Error("defaultSynonyms loads the file more than once")
	}
}

// TestSynonymsExpand uses the default file, so that it also shows what the
// entries the lead ships do.
func TestSynonymsExpand(t *testing.T) {
	s := defaultSynonyms()
	tests := []struct {
		name, query string
		want        []queryGroup
	}{
		{"one word, its other spellings", "ترامب",
			groups(queryGroup{word("ترامب"), word("ترمب"), word("Trump")})},
		{"other spelling typed", "ترمب",
			groups(queryGroup{word("ترمب"), word("ترامب"), word("Trump")})},
		{"normalization variant of a spelling", "ترامـــبَ",
			groups(queryGroup{word("ترامـــبَ"), word("ترمب"), word("Trump")})},
		{"Latin in any case", "TRUMP",
			groups(queryGroup{word("TRUMP"), word("ترامب"), word("ترمب")})},
		{"three typed words become one group", "أوبن إيه آي",
			groups(queryGroup{phrase("أوبن إيه آي"), word("OpenAI"), phrase("Open AI")})},
		{"typed without hamzas", "اوبن ايه اي",
			groups(queryGroup{phrase("اوبن ايه اي"), word("OpenAI"), phrase("Open AI")})},
		{"Latin typed finds the Arabic phrase", "OpenAI",
			groups(queryGroup{word("OpenAI"), phrase("أوبن إيه آي"), phrase("Open AI")})},
		{"the run is found among other words", "شركة أوبن إيه آي تطلق نموذجا",
			groups(queryGroup{word("شركة")}, queryGroup{phrase("أوبن إيه آي"), word("OpenAI"), phrase("Open AI")}, queryGroup{word("تطلق")}, queryGroup{word("نموذجا")})},
		{"longest spelling wins", "Open AI",
			groups(queryGroup{phrase("Open AI"), phrase("أوبن إيه آي"), word("OpenAI")})},
		{"two entries side by side", "ترامب بوتين",
			groups(queryGroup{word("ترامب"), word("ترمب"), word("Trump")}, queryGroup{word("بوتين"), word("Putin")})},
		{"multi-word spelling of a one-word entry", "الأمم المتحدة",
			groups(queryGroup{phrase("الأمم المتحدة"), word("UN"), phrase("United Nations")})},
		{"part of a spelling is not expanded", "أوبن إيه",
			words("أوبن", "إيه")},
		{"a phrase is not expanded", `"ترامب"`,
			groups(queryGroup{phrase("ترامب")})},
		{"a typed phrase does not join a run", `أوبن "إيه" آي`,
			groups(queryGroup{word("أوبن")}, queryGroup{phrase("إيه")}, queryGroup{word("آي")})},
		{"a prefix is not expanded", "ترامب*",
			groups(queryGroup{prefix("ترامب")})},
		{"a clitic taken off: the bare spelling is searched too", "وترامب",
			groups(queryGroup{word("وترامب"), word("ترامب"), word("ترمب"), word("Trump")})},
		{"a preposition on another spelling", "لترمب",
			groups(queryGroup{word("لترمب"), word("ترامب"), word("ترمب"), word("Trump")})},
		{"a clitic on the first word of a run", "والأمم المتحدة",
			groups(queryGroup{phrase("والأمم المتحدة"), phrase("الأمم المتحدة"), word("UN"), phrase("United Nations")})},
		{"لل is ل and the article", "للأمم المتحدة",
			groups(queryGroup{phrase("للأمم المتحدة"), phrase("الأمم المتحدة"), word("UN"), phrase("United Nations")})},
		{"a clitic in an OR group", "وترامب OR بايدن",
			groups(queryGroup{word("وترامب"), word("بايدن"), word("ترامب"), word("ترمب"), word("Trump"), word("Biden")})},
		{"no spelling once the clitic is off", "وزير",
			words("وزير")},
		{"OR group gets each word's spellings", "ترامب OR بايدن",
			groups(queryGroup{word("ترامب"), word("بايدن"), word("ترمب"), word("Trump"), word("Biden")})},
		{"OR group keeps what is typed once", "ترامب OR Trump",
			groups(queryGroup{word("ترامب"), word("Trump"), word("ترمب")})},
		{"unknown words unchanged", "الذكاء الاصطناعي في مصر",
			groups(queryGroup{phrase("الذكاء الاصطناعي"), word("AI")}, queryGroup{word("في")}, queryGroup{word("مصر")})},
		{"nothing to expand", "موازنة ٢٠٢٥",
			words("موازنة", "٢٠٢٥")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := parseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			before := dumpQuery(q)
			got := s.expand(q.Groups)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("expand(%q)\n got %s\nwant %s", tc.query, dumpQuery(parsedQuery{Groups: got}), dumpQuery(parsedQuery{Groups: tc.want}))
			}
			if after := dumpQuery(q); after != before {
				t.Errorf("expand modified its input: %s -> %s", before, after)
			}
		})
	}
}

func TestSynonymsExpandEdges(t *testing.T) {
	s := mustSynonyms(t, "a | b | c | d | e | f | g | h | i | j\nx y | z\n")
	t.Run("nil synonyms change nothing", func(t *testing.T) {
		var none *synonyms
		in := words("ترامب")
		if got := none.expand(in); !reflect.DeepEqual(got, in) {
			t.Errorf("got %v", got)
		}
	})
	t.Run("empty query", func(t *testing.T) {
		if got := s.expand(nil); len(got) != 0 {
			t.Errorf("got %v", got)
		}
	})
	t.Run("a group keeps at most 16 terms", func(t *testing.T) {
		in := groups(queryGroup{word("a"), word("k"), word("l"), word("m"), word("n"), word("o"), word("p"), word("q")})
		got := s.expand(in)
		if len(got) != 1 || len(got[0]) != maxExpandedTerms {
			t.Errorf("got %d groups, first of %d terms; want 1 of %d", len(got), len(got[0]), maxExpandedTerms)
		}
	})
	t.Run("a group of arbitrary terms", func(t *testing.T) {
		in := groups(queryGroup{word("x")}, queryGroup{word("")}, queryGroup{word("y")}, queryGroup{word("x")}, queryGroup{word("y")})
		want := groups(queryGroup{word("x")}, queryGroup{word("")}, queryGroup{word("y")}, queryGroup{phrase("x y"), word("z")})
		if got := s.expand(in); !reflect.DeepEqual(got, want) {
			t.Errorf("got %v; want %v", got, want)
		}
	})
}

func TestUseSynonyms(t *testing.T) {
	ix, err := Create(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Add([]Article{{ID: "a", Title: "الحاسوب المحمول"}, {ID: "b", Title: "الكمبيوتر المكتبي"}}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "syn.txt")
	if err := os.WriteFile(file, []byte("# test\nحاسوب | كمبيوتر\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ix.UseSynonyms(file); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Request{Query: "حاسوب"})
	if err != nil || res.Total != 2 {
		t.Fatalf("حاسوب with a custom synonym: %v %v, want both articles", res, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("ok | fine\nonly-one\n"), 0o644)
	if err := ix.UseSynonyms(bad); err == nil || !strings.Contains(err.Error(), "bad.txt:2") {
		t.Errorf("bad file: %v, want an error naming bad.txt:2", err)
	}
}
