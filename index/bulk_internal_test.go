package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bahth/bahth/internal/corpus"
	"github.com/bahth/bahth/internal/samples"
	"github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// writeArticles writes articles as a JSON Lines file.
func writeArticles(t testing.TB, articles []Article) string {
	t.Helper()
	var buf bytes.Buffer
	for _, a := range articles {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBuildWireAndStats: a bulk build groups wire copies as a live load of
// the same articles in the same order does, indexes the band terms so that
// a later live write finds the group, and records the same statistics.
func TestBuildWireAndStats(t *testing.T) {
	order := []string{"w-agency", "w-football", "w-copy1", "w-report", "w-copy2", "w-phone", "w-brief"}
	path := writeArticles(t, fixtures(order...))
	dir := filepath.Join(t.TempDir(), "ix")
	var st IngestStats
	// Segments of 2 articles: the build ends with bulkFinalSegments
	// segments, which the later live writes and the reopening must handle.
	defer func(d int) { bulkSegmentDocs = d }(bulkSegmentDocs)
	bulkSegmentDocs = 2
	ix, err := BuildFiles(context.Background(), dir, []string{path}, IngestOptions{}, &st)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	if st.Added != len(order) || st.Building != 0 {
		t.Errorf("added %d, building %d; want %d and 0", st.Added, st.Building, len(order))
	}
	live := newWireIndex(t)
	for _, id := range order {
		if err := live.Add(fixtures(id)); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range order {
		if got, want := groupKey(t, ix, id), groupKey(t, live, id); got != want {
			t.Errorf("%s: group key %q after a build, %q after a live load", id, got, want)
		}
	}
	if !reflect.DeepEqual(ix.stats, live.stats) {
		t.Errorf("statistics after a build %+v, after a live load %+v", ix.stats, live.stats)
	}
	// The band terms are in the index: a live write after the build joins the group.
	if err := ix.Add(fixtures("w-gulf")); err != nil {
		t.Fatal(err)
	}
	late := WireFixtures["w-copy1"]
	late.ID = "w-late"
	if err := ix.Add([]Article{late}); err != nil {
		t.Fatal(err)
	}
	if got := groupKey(t, ix, "w-late"); got != "w-agency" {
		t.Errorf("an article written after the build has group key %q, want w-agency", got)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Count(); err != nil || int(n) != len(order)+2 {
		t.Errorf("reopened: %d articles, %v; want %d", n, err, len(order)+2)
	}
	late.ID = "w-later"
	if err := ix.Add([]Article{late}); err != nil {
		t.Fatal(err)
	}
	if got := groupKey(t, ix, "w-later"); got != "w-agency" {
		t.Errorf("an article written after reopening has group key %q, want w-agency", got)
	}
}

// sampleAndWireArticles returns the built-in sample articles and the wire
// fixtures.
func sampleAndWireArticles(t *testing.T) []Article {
	t.Helper()
	var articles []Article
	if err := corpus.Read(bytes.NewReader(samples.Articles), "samples", func(_ int, text []byte) error {
		a, err := ParseArticle(text)
		articles = append(articles, a)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return append(articles, AllWireFixtures()...)
}

// TestAnalyzeOnce: the fields analyzed once per text (analyzeDocument),
// get the tokens, lengths and frequencies each field's own analyzer gives,
// on the sample articles, the wire fixtures and, when present, the first
// 300 articles of the news corpus.
func TestAnalyzeOnce(t *testing.T) {
	articles := sampleAndWireArticles(t)
	articles = append(articles, Article{ID: "x", Body: strings.Repeat("كلمة ", 30) + "في والكتاب. " + strings.Repeat("ثانية ", 20)})
	path := os.Getenv("BAHTH_CORPUS")
	if path == "" {
		path = "../../shared/corpus/news-ar-70k.jsonl.gz"
	}
	if _, err := os.Stat(path); err == nil {
		n := 0
		err := corpus.Lines(path, func(_ int, text []byte) error {
			if n++; n > 300 {
				return errStopped
			}
			a, err := ParseArticle(text)
			articles = append(articles, a)
			return err
		})
		if err != nil && !errors.Is(err, errStopped) {
			t.Fatal(err)
		}
	}
	m := newMapping(Options{})
	for _, a := range articles {
		want, err := articleDocument(m, a)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := articleDocument(m, a)
		var lens [4]int64
		analyzeDocument(got, &lens, &textTokens{})
		byKey := map[string]document.Field{} // the mapping's field order varies
		for _, g := range got.Fields {
			byKey[fmt.Sprint(g.Name(), g.ArrayPositions())] = g
		}
		var wantLens [4]int64
		for _, f := range want.Fields {
			if !f.Options().IsIndexed() {
				continue
			}
			f.Analyze()
			if k := slices.Index(rankedFields, f.Name()); k >= 0 {
				wantLens[k] += int64(f.AnalyzedLength())
			}
			g := byKey[fmt.Sprint(f.Name(), f.ArrayPositions())]
			if g == nil || g.AnalyzedLength() != f.AnalyzedLength() {
				t.Errorf("%s field %s %v: analyzed once, %v; by its analyzer, %d tokens", a.ID, f.Name(), f.ArrayPositions(), g, f.AnalyzedLength())
			}
		}
		if lens != wantLens {
			t.Errorf("%s: lengths %v, want %v", a.ID, lens, wantLens)
		}
		// What zap indexes: each name's values' frequencies merged in order.
		gotTFs, wantTFs := zapFrequencies(got), zapFrequencies(want)
		if !reflect.DeepEqual(gotTFs, wantTFs) {
			for name, w := range wantTFs {
				for term, wtf := range w {
					if g := gotTFs[name][term]; !reflect.DeepEqual(g, wtf) {
						t.Errorf("%s field %s term %s: analyzed once %s; by its analyzer %s", a.ID, name, term, tfString(g), tfString(wtf))
					}
				}
				if len(gotTFs[name]) != len(w) {
					t.Errorf("%s field %s: %d terms analyzed once, %d by its analyzer", a.ID, name, len(gotTFs[name]), len(w))
				}
			}
			t.Errorf("%s: fields analyzed once %d, by their analyzers %d", a.ID, len(gotTFs), len(wantTFs))
		}
	}
	t.Logf("%d articles", len(articles))
}

// TestBuildParallelSegments builds the sample articles and the wire
// fixtures in segments of 4 articles, merged 3 at a time (so in rounds, as
// a corpus of over 100,000 articles is), and in one segment: both
// open as ordinary scorch indexes with every article, and give the same
// results, scores and stored articles.
func TestBuildParallelSegments(t *testing.T) {
	var lines bytes.Buffer
	lines.Write(samples.Articles)
	for _, a := range fixtures("w-agency", "w-football", "w-copy1", "w-report", "w-copy2", "w-phone", "w-brief") {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		lines.Write(b)
		lines.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(path, lines.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(segDocs, mergeMax int) *Index {
		t.Helper()
		defer func(d, m int) { bulkSegmentDocs, bulkMergeMax = d, m }(bulkSegmentDocs, bulkMergeMax)
		bulkSegmentDocs, bulkMergeMax = segDocs, mergeMax
		// Segments of 1000 are one segment; segments of 4 end as
		// bulkFinalSegments segments, merged bulkMergeMax at a time.
		// They are counted before the index opens: scorch merges
		// segments this small soon after.
		want := 1
		if segDocs == 4 {
			want = bulkFinalSegments
		}
		var zaps []string
		var globErr error
		builtStore = func(store string) { zaps, globErr = filepath.Glob(filepath.Join(store, "*.zap")) }
		defer func() { builtStore = nil }()
		dir := filepath.Join(t.TempDir(), "ix")
		ix, err := BuildFiles(context.Background(), dir, []string{path}, IngestOptions{}, &IngestStats{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		if globErr != nil || len(zaps) != want {
			t.Errorf("segments of %d: %v, %v; want %d segments", segDocs, zaps, globErr, want)
		}
		return ix
	}
	one, many := build(1000, 100), build(4, 3)
	var ids []string
	if err := corpus.Read(bytes.NewReader(lines.Bytes()), "in", func(_ int, text []byte) error {
		var a struct{ ID string }
		err := json.Unmarshal(text, &a)
		ids = append(ids, a.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for name, ix := range map[string]*Index{"one segment": one, "segments of 4": many} {
		if n, err := ix.Count(); err != nil || int(n) != len(ids) {
			t.Errorf("%s: count %d, %v; want %d", name, n, err, len(ids))
		}
	}
	for _, q := range []string{"الحكومة", "اللهجات العربية", "كرة القدم", "الاقتصاد", `"شركة OpenAI"`, "النفط OR الذهب"} {
		for _, sort := range []string{SortRelevance, SortDate} {
			a, err := one.Search(context.Background(), Request{Query: q, Sort: sort, Size: 50})
			if err != nil {
				t.Fatal(err)
			}
			b, err := many.Search(context.Background(), Request{Query: q, Sort: sort, Size: 50})
			if err != nil {
				t.Fatal(err)
			}
			a.Took, b.Took = 0, 0
			if !reflect.DeepEqual(a, b) {
				t.Errorf("search %q sort %q: one segment %+v\nsegments of 4 %+v", q, sort, a, b)
			}
			if q == "الحكومة" && sort == "" && len(a.Hits) == 0 {
				t.Errorf("search %q found nothing", q)
			}
		}
	}
	for _, id := range ids {
		a, aerr := one.Get(context.Background(), id)
		b, berr := many.Get(context.Background(), id)
		if aerr != nil || berr != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("get %s: %+v, %v; %+v, %v", id, a, aerr, b, berr)
		}
	}
}

// zapFrequencies merges the analyzed frequencies of an analyzed document's
// fields by name as zap does before indexing them (TokenFrequencies.MergeAll
// into the first field's, in field order), with the locations' Field left
// empty where it names the field itself and no locations nil (zap reads
// both alike).
func zapFrequencies(doc *document.Document) map[string]bindex.TokenFrequencies {
	out := map[string]bindex.TokenFrequencies{}
	for _, f := range doc.Fields {
		if !f.Options().IsIndexed() {
			continue
		}
		tfs := f.AnalyzedTokenFrequencies()
		if prev := out[f.Name()]; prev != nil {
			prev.MergeAll(f.Name(), tfs)
		} else if tfs != nil {
			out[f.Name()] = tfs
		}
	}
	for name, tfs := range out {
		for _, tf := range tfs {
			if len(tf.Locations) == 0 {
				tf.Locations = nil
			}
			for _, l := range tf.Locations {
				if l.Field == name {
					l.Field = ""
				}
			}
		}
	}
	return out
}

func tfString(tf *bindex.TokenFreq) string {
	if tf == nil {
		return "none"
	}
	s := fmt.Sprintf("%d×", tf.Frequency())
	for _, l := range tf.Locations {
		s += fmt.Sprintf(" %+v", *l)
	}
	return s
}

// TestBuildBandFile: a bulk build writes its band terms to the wire-bands
// file, not to the index, and the writes after it (an article deleted, one
// replaced by other text, new copies) group as they do in an index loaded
// live, whose band terms are all in the index.
func TestBuildBandFile(t *testing.T) {
	order := []string{"w-agency", "w-football", "w-copy1", "w-report", "w-copy2", "w-phone", "w-brief"}
	dir := filepath.Join(t.TempDir(), "ix")
	var st IngestStats
	built, err := BuildFiles(context.Background(), dir, []string{writeArticles(t, fixtures(order...))}, IngestOptions{}, &st)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { built.Close() }()
	// Every article but w-brief, too short to group.
	if built.bands == nil || built.bands.ids != len(order)-1 || built.bands.n != wireBands*(len(order)-1) {
		t.Fatalf("the built index has no band file or not its %d articles", len(order)-1)
	}
	if n := lshTerms(t, built); n != 0 {
		t.Errorf("the built index holds %d band terms, want none", n)
	}
	live := newWireIndex(t)
	if err := live.Add(fixtures(order...)); err != nil {
		t.Fatal(err)
	}
	late := func(id, like string) Article { a := WireFixtures[like]; a.ID = id; return a }
	replaced := late("w-copy2", "w-football")
	steps := []func(ix *Index) error{
		func(ix *Index) error { _, err := ix.Delete([]string{"w-agency"}); return err },
		func(ix *Index) error { return ix.Add([]Article{late("w-late1", "w-copy1")}) },
		func(ix *Index) error { return ix.Add([]Article{replaced}) },
		func(ix *Index) error { return ix.Add([]Article{late("w-late2", "w-copy2")}) },
	}
	for i, step := range steps {
		for _, ix := range []*Index{built, live} {
			if err := step(ix); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
	}
	ids := append(slices.DeleteFunc(slices.Clone(order), func(id string) bool { return id == "w-agency" }), "w-late1", "w-late2")
	for _, id := range ids {
		if got, want := groupKey(t, built, id), groupKey(t, live, id); got != want {
			t.Errorf("%s: group key %q after a build, %q after a live load", id, got, want)
		}
	}
	copiesOf := func(ix *Index) []string {
		ms, err := ix.WireCandidates(context.Background(), "w-late2")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			if m.Copy {
				out = append(out, m.ID)
			}
		}
		return out
	}
	if got, want := copiesOf(built), copiesOf(live); !reflect.DeepEqual(got, want) || len(got) == 0 {
		t.Errorf("copies of w-late2: %v after a build, %v after a live load", got, want)
	}
	// Reopened, the file is read again.
	if err := built.Close(); err != nil {
		t.Fatal(err)
	}
	if built, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	if err := built.Add([]Article{late("w-late3", "w-copy1")}); err != nil {
		t.Fatal(err)
	}
	if got := groupKey(t, built, "w-late3"); got != groupKey(t, live, "w-late1") {
		t.Errorf("an article written after reopening has group key %q, want %q", got, groupKey(t, live, "w-late1"))
	}
	// Closed, the index drops the file it unmapped, under the lock its
	// readers hold: a write still running when Close is called never reads
	// freed memory.
	if err := built.Close(); err != nil {
		t.Fatal(err)
	}
	built.wire.mu.Lock()
	kept := built.bands != nil
	built.wire.mu.Unlock()
	if kept {
		t.Error("a closed index still holds its unmapped band file")
	}
}

// lshTerms counts the band terms in the index.
func lshTerms(t *testing.T, ix *Index) int {
	t.Helper()
	d, err := ix.bleve.FieldDict(fieldLSH)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n := 0
	for e, err := d.Next(); e != nil || err != nil; e, err = d.Next() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

// TestBandFileDamaged: a wire-bands file that is not one, or is cut short,
// stops the index from opening, with a message that says to rebuild it.
func TestBandFileDamaged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	var st IngestStats
	ix, err := BuildFiles(context.Background(), dir, []string{writeArticles(t, fixtures("w-agency", "w-copy1"))}, IngestOptions{}, &st)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	path := filepath.Join(dir, bandsFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"empty":       nil,
		"other magic": append([]byte("bahth wire bandz"), good[16:]...),
		"cut short":   good[:len(good)-3],
		"too long":    append(slices.Clone(good), 'x'),
	} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		ix, err := Open(dir)
		if err == nil {
			ix.Close()
			t.Errorf("%s: the index opened", name)
		} else if !strings.Contains(err.Error(), "reindex") {
			t.Errorf("%s: %v does not say to reindex", name, err)
		}
	}
}

// TestSameFields: the segments of a build define the same fields, whether
// their articles have a section, tags and an update date or not, and the
// fields added for that hold no term.
func TestSameFields(t *testing.T) {
	m := newMapping(Options{})
	shapes, err := unstoredShapes(m)
	if err != nil {
		t.Fatal(err)
	}
	full := WireFixtures["w-agency"]
	full.Tags, full.Authors, full.UpdatedAt = []string{"وسم"}, []string{"كاتب"}, full.PublishedAt
	bare := Article{ID: "bare", Body: WireFixtures["w-football"].Body}
	dir := t.TempDir()
	write := func(a Article, shapes []fieldShape) segment.Segment {
		doc, err := articleDocument(m, a)
		if err != nil {
			t.Fatal(err)
		}
		var texts textTokens
		var lens [4]int64
		analyzeDocument(doc, &lens, &texts)
		(&wireInfo{id: a.ID, key: a.ID}).addTo(doc)
		path := filepath.Join(dir, fmt.Sprintf("%s-%d.zap", a.ID, len(shapes)))
		if err := writeSegment([]bindex.Document{doc}, path, shapes); err != nil {
			t.Fatal(err)
		}
		seg, err := segPlugin.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { seg.Close() })
		return seg
	}
	if a, b := write(full, nil).Fields(), write(bare, nil).Fields(); reflect.DeepEqual(a, b) {
		t.Fatalf("without shapes the two segments define the same fields %v: the test shows nothing", a)
	}
	fullSeg, bareSeg := write(full, shapes), write(bare, shapes)
	if a, b := fullSeg.Fields(), bareSeg.Fields(); !reflect.DeepEqual(a, b) {
		t.Errorf("fields %v and %v", a, b)
	}
	for _, f := range []string{"section", "tags", "author", "updated_at"} {
		d, err := bareSeg.Dictionary(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := d.Cardinality(); n != 0 {
			t.Errorf("%s holds %d terms in a segment whose article has none", f, n)
		}
	}
}

// TestAnalyzeOnceOnline: a live index that analyzes each text once for all
// its fields (analyzeOnce, Bahth's analyzers) indexes exactly what one that
// lets scorch run each field's analyzer does: the same terms, postings,
// frequencies, norms and positions in every field, the same field lengths,
// and the same wire-copy groups.
func TestAnalyzeOnceOnline(t *testing.T) {
	articles := sampleAndWireArticles(t)
	build := func(once bool) *Index {
		ix, err := Create(filepath.Join(t.TempDir(), "ix"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		if !ix.analyzeOnce {
			t.Fatal("a new index with Bahth's analyzers does not analyze once")
		}
		ix.analyzeOnce = once
		for i := 0; i < len(articles); i += 7 { // several batches, so copies meet across them
			if err := ix.Add(articles[i:min(i+7, len(articles))]); err != nil {
				t.Fatal(err)
			}
		}
		return ix
	}
	once, each := build(true), build(false)
	if !reflect.DeepEqual(once.stats, each.stats) {
		t.Errorf("field lengths %v, want %v", once.stats, each.stats)
	}
	postings := func(ix *Index) map[string]string {
		r, err := ix.reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		out := map[string]string{}
		for _, field := range []string{fieldText, fieldExact, fieldTitle, fieldLead, fieldSection, fieldWire, fieldLSH} {
			dict, err := r.FieldDict(field)
			if err != nil {
				t.Fatal(err)
			}
			for {
				e, err := dict.Next()
				if err != nil {
					t.Fatal(err)
				}
				if e == nil {
					break
				}
				tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, true)
				if err != nil {
					t.Fatal(err)
				}
				var docs []string // by id: the two indexes number their documents in their own order
				for {
					d, err := tfr.Next(nil)
					if err != nil {
						t.Fatal(err)
					}
					if d == nil {
						break
					}
					id, err := r.ExternalID(d.ID)
					if err != nil {
						t.Fatal(err)
					}
					var b strings.Builder
					fmt.Fprintf(&b, "%s:%d:%.4f", id, d.Freq, d.Norm)
					for _, v := range d.Vectors {
						fmt.Fprintf(&b, ":%d-%d-%d%v", v.Pos, v.Start, v.End, v.ArrayPositions)
					}
					docs = append(docs, b.String())
				}
				tfr.Close()
				slices.Sort(docs)
				out[field+"/"+e.Term] = strings.Join(docs, " ")
			}
			dict.Close()
		}
		return out
	}
	a, b := postings(once), postings(each)
	if len(a) == 0 {
		t.Fatal("no postings read: the comparison shows nothing")
	}
	for k, v := range b {
		if a[k] != v {
			t.Errorf("%s: analyzed once %q, by each field %q", k, a[k], v)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			t.Errorf("%s only when analyzed once", k)
		}
	}
	groups := 0
	for _, art := range articles {
		x, err := once.WireCopies(context.Background(), art.ID)
		if err != nil {
			t.Fatal(err)
		}
		y, err := each.WireCopies(context.Background(), art.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(x, y) {
			t.Errorf("copies of %s: %v analyzed once, %v by each field", art.ID, x, y)
		}
		groups += len(x)
	}
	if groups == 0 {
		t.Error("no wire copies found: the fixtures should hold some")
	}
}

// FuzzBandFile: whatever a wire-bands file holds, opening it and looking
// up candidates returns an error or ids, never a panic.
func FuzzBandFile(f *testing.F) {
	dir := f.TempDir()
	var st IngestStats
	ix, err := BuildFiles(context.Background(), filepath.Join(dir, "ix"), []string{writeArticles(f, fixtures("w-agency", "w-copy1", "w-football"))}, IngestOptions{}, &st)
	if err != nil {
		f.Fatal(err)
	}
	ix.Close()
	good, err := os.ReadFile(filepath.Join(dir, "ix", bandsFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:bandsHeader])
	f.Fuzz(func(t *testing.T, b []byte) {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, bandsFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
		bf, err := openBandFile(d)
		if err != nil {
			return
		}
		defer bf.close()
		terms, _ := wireSignature(WireFixtures["w-copy1"])
		bf.candidates(terms, "", maxCandidates)
	})
}
