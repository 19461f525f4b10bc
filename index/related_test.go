package index_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bahth/bahth/index"
	"github.com/bahth/bahth/internal/samples"
)

// newRelatedIndex holds the sample articles as background and the wire
// fixtures of dedup_test.go (an agency story, two copies, a report of the
// same event, a similar story a year later in another section, unrelated
// stories).
func newRelatedIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, _ := newIndex(t)
	if _, err := ix.Load(bytes.NewReader(samples.Articles), "articles.jsonl"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(index.AllWireFixtures()); err != nil {
		t.Fatal(err)
	}
	return ix
}

func related(t *testing.T, ix *index.Index, id string, opt index.RelatedOptions) []string {
	t.Helper()
	hits, err := ix.Related(context.Background(), id, opt)
	if err != nil {
		t.Fatalf("Related(%s, %+v): %v", id, opt, err)
	}
	for _, h := range hits {
		if h.Article.ID != h.ID {
			t.Errorf("hit %s carries article %q", h.ID, h.Article.ID)
		}
	}
	return ids(hits)
}

func TestRelated(t *testing.T) {
	ix := newRelatedIndex(t)
	day := index.WireFixtures["w-agency"].PublishedAt
	tests := []struct {
		name    string
		id      string
		opt     index.RelatedOptions
		first   []string // the first hits, in any order
		exclude []string // never returned
		only    []string // when set, exactly these, in any order
	}{
		{name: "the same event and the similar story first, without the seed and its copies", id: "w-agency",
			first: []string{"w-report", "w-gulf"}, exclude: []string{"w-agency", "w-copy1", "w-copy2"}},
		{name: "from a copy: the same", id: "w-copy2",
			first: []string{"w-report", "w-gulf"}, exclude: []string{"w-agency", "w-copy1", "w-copy2"}},
		{name: "section filter", id: "w-agency", opt: index.RelatedOptions{Sections: []string{"politics"}},
			only: []string{"w-gulf"}},
		{name: "a section with nothing related", id: "w-agency", opt: index.RelatedOptions{Sections: []string{"no-such-section"}},
			only: []string{}},
		{name: "sections are alternatives", id: "w-agency", opt: index.RelatedOptions{Sections: []string{"no-such-section", "politics"}},
			only: []string{"w-gulf"}},
		{name: "window around the seed's date", id: "w-agency", opt: index.RelatedOptions{Window: 7 * 24 * time.Hour},
			first: []string{"w-report"}, exclude: []string{"w-gulf", "w-agency", "w-copy1"}},
		{name: "from and to", id: "w-agency", opt: index.RelatedOptions{From: day.AddDate(0, 11, 0), To: day.AddDate(1, 0, 1)},
			only: []string{"w-gulf"}},
		{name: "a window outside from and to is empty", id: "w-agency",
			opt:  index.RelatedOptions{From: day.AddDate(0, 11, 0), Window: 24 * time.Hour},
			only: []string{}},
		{name: "size", id: "w-agency", opt: index.RelatedOptions{Size: 1},
			first: []string{"w-report", "w-gulf"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := related(t, ix, tc.id, tc.opt)
			if tc.only != nil {
				// The sample articles are background: the filters are
				// checked on the fixtures (samples dated in the range,
				// such as s30, may be related too).
				got = slices.DeleteFunc(slices.Clone(got), func(id string) bool { return !strings.HasPrefix(id, "w-") })
				if len(got) != len(tc.only) {
					t.Fatalf("Related = %v, want exactly %v", got, tc.only)
				}
				for _, id := range tc.only {
					if !slices.Contains(got, id) {
						t.Fatalf("Related = %v, want exactly %v", got, tc.only)
					}
				}
				return
			}
			if tc.opt.Size > 0 && len(got) > tc.opt.Size {
				t.Errorf("Related = %v, more than size %d", got, tc.opt.Size)
			}
			n := len(tc.first)
			if tc.opt.Size > 0 {
				n = min(n, tc.opt.Size)
			}
			if len(got) < n {
				t.Fatalf("Related = %v, want %v first", got, tc.first)
			}
			for _, id := range got[:n] {
				if !slices.Contains(tc.first, id) {
					t.Errorf("Related = %v, want %v first", got, tc.first)
				}
			}
			for _, id := range tc.exclude {
				if slices.Contains(got, id) {
					t.Errorf("Related = %v holds %s", got, id)
				}
			}
		})
	}
}

// TestRelatedCollapsesCopies: the three copies of the agency story are
// related to the report of the same event, and take one place.
func TestRelatedCollapsesCopies(t *testing.T) {
	ix := newRelatedIndex(t)
	got := related(t, ix, "w-report", index.RelatedOptions{Size: 20})
	n := 0
	for _, id := range got {
		if id == "w-agency" || id == "w-copy1" || id == "w-copy2" {
			n++
		}
	}
	if n != 1 || slices.Contains(got, "w-report") {
		t.Errorf("Related(w-report) = %v: want one of the three copies, and not the seed", got)
	}
	if len(got) < 2 || !slices.Contains(got[:2], "w-gulf") {
		t.Errorf("Related(w-report) = %v: want w-gulf in the first two", got)
	}
}

func TestRelatedRanksSameStoryOverSameWords(t *testing.T) {
	ix := newRelatedIndex(t)
	// The Iran talks (s05, s06) and the football final (s08, s09) in the samples.
	for seed, want := range map[string]string{"s05": "s06", "s08": "s09"} {
		got := related(t, ix, seed, index.RelatedOptions{Size: 3})
		if len(got) == 0 || got[0] != want {
			t.Errorf("Related(%s) = %v, want %s first", seed, got, want)
		}
	}
}

func TestRelatedErrors(t *testing.T) {
	ix := newRelatedIndex(t)
	day := index.WireFixtures["w-agency"].PublishedAt
	tests := []struct {
		name string
		id   string
		opt  index.RelatedOptions
		want error
	}{
		{"unknown id", "no-such-article", index.RelatedOptions{}, index.ErrNotFound},
		{"empty id", "", index.RelatedOptions{}, index.ErrNotFound},
		{"negative size", "w-agency", index.RelatedOptions{Size: -1}, index.ErrInvalidQuery},
		{"negative window", "w-agency", index.RelatedOptions{Window: -time.Hour}, index.ErrInvalidQuery},
		{"from after to", "w-agency", index.RelatedOptions{From: day, To: day.AddDate(0, 0, -1)}, index.ErrInvalidQuery},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ix.Related(context.Background(), tc.id, tc.opt); !errors.Is(err, tc.want) {
				t.Errorf("Related = %v, want %v", err, tc.want)
			}
		})
	}
	// A huge window is not an error: it is every date.
	all := related(t, ix, "w-agency", index.RelatedOptions{})
	if got := related(t, ix, "w-agency", index.RelatedOptions{Window: 1<<63 - 1}); !slices.Equal(got, all) {
		t.Errorf("Related with the largest window = %v, want %v", got, all)
	}
	// Nor are dates beyond those bleve indexes (1678-2261): as in search,
	// a range reaching past them reaches their end, and one wholly outside
	// them holds nothing.
	far := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	if got := related(t, ix, "w-agency", index.RelatedOptions{From: far(1200), To: far(9000)}); !slices.Equal(got, all) {
		t.Errorf("Related from 1200 to 9000 = %v, want %v", got, all)
	}
	for _, r := range [][2]int{{1200, 1300}, {9000, 9999}} {
		if got := related(t, ix, "w-agency", index.RelatedOptions{From: far(r[0]), To: far(r[1])}); len(got) != 0 {
			t.Errorf("Related from %d to %d = %v, want none", r[0], r[1], got)
		}
	}
	if len(all) == 0 {
		t.Fatal("Related(w-agency) found nothing: the date checks above prove nothing")
	}
}

// TestRelatedPrefersTheSeedsSection: of two articles with the same words,
// the one in the seed's section ranks first; the section is one term of
// the query, not a filter, so the other is still related.
func TestRelatedPrefersTheSeedsSection(t *testing.T) {
	ix := newRelatedIndex(t)
	// The same words about olive farmers in each, beside a different
	// filler of about the same length, so that none is a wire copy of
	// another; sec-same has the filler that ranks it last without its
	// section.
	core := "مزارعي الزيتون الجفاف "
	arts := []index.Article{
		{ID: "sec-seed", Section: "economy", Title: "دعم مزارعي الزيتون", Body: core + "قروض ميسرة للموسم القادم وبذور محسنة وآبار جديدة في القرى الجنوبية البعيدة"},
		{ID: "sec-other", Section: "society", Title: "رسالة", Body: core + "حفل موسيقي في المسرح البلدي حضره جمهور كبير من الشباب والعائلات مساء السبت"},
		{ID: "sec-same", Section: "economy", Title: "رسالة", Body: core + "معرض للكتاب المستعمل يفتح أبوابه للزوار طيلة أسبوع كامل بأسعار رمزية جدا"},
		{ID: "sec-none", Title: "رسالة", Body: core + "مباراة ودية بين فريقين من الهواة انتهت بالتعادل بهدف لكل منهما في الملعب"},
	}
	if err := ix.Add(arts); err != nil {
		t.Fatal(err)
	}
	got := related(t, ix, "sec-seed", index.RelatedOptions{Size: 3})
	if len(got) != 3 || got[0] != "sec-same" || !slices.Contains(got, "sec-other") || !slices.Contains(got, "sec-none") {
		t.Errorf("Related(sec-seed) = %v, want sec-same first, then sec-other and sec-none", got)
	}
}
