package index

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// writeArticles writes articles as a JSON Lines file.
func writeArticles(t *testing.T, articles []Article) string {
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
	ix, err := BuildFiles(context.Background(), dir, []string{path}, IngestOptions{}, &st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
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
}
