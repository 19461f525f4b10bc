package index_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bahth/bahth/index"
)

// TestBuildFiles builds a new index from two files holding an id twice,
// rejected lines and unknown fields: the later version wins, each reason
// names FILE:LINE in input order, and the index reopens with every article.
func TestBuildFiles(t *testing.T) {
	a := writeFile(t, "a.jsonl", []byte(goodLines+
		`{"id":"g1","title":"الحكومة تعدل الموازنة","body":"عدلت الحكومة موازنة العام المقبل."}`+"\n"+
		"not json\n"))
	b := writeFile(t, "b.jsonl", []byte(`{"title":"بلا معرف"}`+"\n"+
		`{"id":"g4","title":"أمطار غزيرة في المدينة","body":"هطلت أمطار غزيرة."}`+"\n"+
		`{"id":"g2","title":"إغلاق معرض الكتاب","body":"أغلق معرض الكتاب أبوابه.","views":13}`+"\n"))
	dir := filepath.Join(t.TempDir(), "ix")
	var reasons, unknown []string
	opts := index.IngestOptions{
		Reject:  func(_ []byte, err error) { reasons = append(reasons, err.Error()) },
		Unknown: func(f, where string) { unknown = append(unknown, f+"@"+where) },
	}
	var st index.IngestStats
	ix, err := index.BuildFiles(context.Background(), dir, []string{a, b}, opts, &st)
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 4 || st.Updated != 2 || st.Rejected != 2 || st.Building != 0 {
		t.Errorf("added %d updated %d rejected %d building %d; want 4 2 2 0", st.Added, st.Updated, st.Rejected, st.Building)
	}
	want := []string{a + ":5: invalid article: not a JSON object", b + `:1: invalid article: no "id"`}
	for i, w := range want {
		if i >= len(reasons) || !strings.HasPrefix(reasons[i], w) {
			t.Errorf("reason %d = %q; want %s...", i, at(reasons, i), w)
		}
	}
	if len(reasons) != len(want) {
		t.Errorf("%d reasons; want %d", len(reasons), len(want))
	}
	if strings.Join(unknown, " ") != "views@"+a+":2 editor@"+a+":3" {
		t.Errorf("unknown fields reported as %v", unknown)
	}
	ix.Close()
	if _, err := os.Stat(dir + ".later.jsonl"); !os.IsNotExist(err) {
		t.Errorf("the later lines' file is left behind (%v)", err)
	}

	ix, err = index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 4 {
		t.Errorf("count = %d; want 4", n)
	}
	for q, id := range map[string]string{"تعدل الموازنة": "g1", "إغلاق معرض": "g2", "أمطار غزيرة": "g4"} {
		res, err := ix.Search(context.Background(), index.Request{Query: q})
		if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != id {
			t.Errorf("search %q: %v %+v; want %s first", q, err, res, id)
		}
	}
	res, _ := ix.Search(context.Background(), index.Request{Query: `"أقرت الحكومة"`})
	if len(res.Hits) != 0 {
		t.Errorf("the first version of g1 is still found: %+v", res.Hits)
	}
	got, err := ix.Get(context.Background(), "g2")
	if err != nil || got.Title != "إغلاق معرض الكتاب" || string(got.Extra["views"]) != "13" {
		t.Errorf("g2 = %+v, %v; want its later version", got, err)
	}
	if _, err := index.BuildFiles(context.Background(), dir, []string{a}, index.IngestOptions{}, &index.IngestStats{}); err == nil {
		t.Error("BuildFiles over an existing index succeeded")
	}
}

// TestBuildNothing: a build whose lines are all rejected makes an empty index.
func TestBuildNothing(t *testing.T) {
	path := writeFile(t, "bad.jsonl", []byte("not json\n"))
	dir := filepath.Join(t.TempDir(), "ix")
	var st index.IngestStats
	ix, err := index.BuildFiles(context.Background(), dir, []string{path}, index.IngestOptions{}, &st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 0 || st.Rejected != 1 {
		t.Errorf("count %d, rejected %d; want 0 and 1", n, st.Rejected)
	}
	if err := ix.Add([]index.Article{{ID: "x", Title: "خبر"}}); err != nil {
		t.Fatal(err)
	}
}

// TestBuildCancelled: a build cancelled while reading leaves no index and
// nothing beside it, and the same build run again makes the whole index.
func TestBuildCancelled(t *testing.T) {
	path := writeFile(t, "c.jsonl", []byte(manyLines(3000)))
	dir := filepath.Join(t.TempDir(), "ix")
	ctx, cancel := context.WithCancel(context.Background())
	var st index.IngestStats
	opts := index.IngestOptions{Progress: func(st *index.IngestStats) {
		if st.Building > 0 {
			cancel()
		}
	}}
	if _, err := index.BuildFiles(ctx, dir, []string{path}, opts, &st); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	if st.Total() != 0 || st.Building != 0 {
		t.Errorf("a cancelled build counts %d stored and %d building; want 0", st.Total(), st.Building)
	}
	if left, _ := filepath.Glob(dir + "*"); len(left) != 0 {
		t.Errorf("a cancelled build left %v", left)
	}
	ix, err := index.BuildFiles(context.Background(), dir, []string{path}, index.IngestOptions{}, &st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 3000 || st.Added != 3000 {
		t.Errorf("count %d, added %d after the second build; want 3000", n, st.Added)
	}
}

func manyLines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id":"c%05d","title":"خبر %d","body":"نص الخبر عن الاقتصاد والسياسة رقم %d"}`+"\n", i, i, i)
	}
	return b.String()
}

// runBuilder builds the index at dir from the file named by
// BAHTH_TEST_BUILD_INPUT, printing "reading" once it is under way and
// "built N" when BuildFiles returned.
func runBuilder(dir string) {
	var st index.IngestStats
	said := false
	opts := index.IngestOptions{Progress: func(st *index.IngestStats) {
		if !said && st.Building > 0 {
			said = true
			fmt.Println("reading")
		}
	}}
	ix, err := index.BuildFiles(context.Background(), dir, []string{os.Getenv("BAHTH_TEST_BUILD_INPUT")}, opts, &st)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	ix.Close()
	fmt.Println("built", st.Added)
}

// TestBuildKill9 kills a build with SIGKILL while it reads: no index
// appears, and running the build again makes the whole index.
func TestBuildKill9(t *testing.T) {
	input := writeFile(t, "k.jsonl", []byte(manyLines(20000)))
	dir := filepath.Join(t.TempDir(), "ix")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BAHTH_TEST_BUILDER="+dir, "BAHTH_TEST_BUILD_INPUT="+input)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "reading" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("builder: %q", sc.Text())
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Fatalf("an index appeared from a killed build (%v)", err)
	}
	var st index.IngestStats
	ix, err := index.BuildFiles(context.Background(), dir, []string{input}, index.IngestOptions{}, &st)
	if err != nil {
		t.Fatalf("building again after kill -9: %v", err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 20000 {
		t.Errorf("count = %d after building again; want 20000", n)
	}
	if left, _ := filepath.Glob(dir + ".*building*"); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
