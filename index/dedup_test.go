package index

// Tests of wire-copy detection against a real scorch index (STYLE.md rule
// 13), on fixture articles written for them: an agency story (w-agency),
// two papers' copies of it with small edits, a third paper's own report of
// the same event, and unrelated stories. The fixtures are exported to the
// external tests (related_test.go) through this test file.

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The agency story, sentence by sentence, so that the copies can drop one.
var agencySentences = []string{
	"وقعت المملكة العربية السعودية وجمهورية مصر العربية اليوم الثلاثاء سبع اتفاقيات استثمار بقيمة ثلاثة مليارات دولار على هامش منتدى الأعمال المشترك الذي عقد في الرياض بحضور عدد من الوزراء ورجال الأعمال من البلدين.",
	"وقال وزير التجارة في كلمته الافتتاحية إن الاتفاقيات تشمل مشروعات في الطاقة المتجددة والنقل البحري والصناعات الغذائية، وإنها ستوفر أكثر من عشرين ألف فرصة عمل خلال السنوات الخمس المقبلة.",
	"وأضاف أن حجم التبادل التجاري بين البلدين بلغ العام الماضي نحو أحد عشر مليار دولار، وأن الحكومتين تعملان على مضاعفته بحلول نهاية العقد.",
	"من جهته أكد رئيس هيئة الاستثمار أن المنتدى يمثل خطوة مهمة نحو تذليل العقبات أمام المستثمرين، مشيرا إلى إطلاق منصة إلكترونية موحدة لتسجيل الشركات وإصدار التراخيص في غضون أسبوع واحد.",
	"وشهد المنتدى جلسات حوارية ناقشت فرص الشراكة في قطاعات السياحة والتقنية المالية والتعدين، بمشاركة أكثر من ثلاثمائة شركة من القطاعين العام والخاص.",
	"ومن المقرر أن تعقد الدورة المقبلة من المنتدى في القاهرة خلال شهر مارس من العام المقبل.",
}

var fixDay = time.Date(2023, 3, 12, 9, 0, 0, 0, time.UTC)

// WireFixtures are the fixture articles by id.
var WireFixtures = map[string]Article{
	"w-agency": {
		ID: "w-agency", Section: "economy", Source: "وكالة", PublishedAt: fixDay,
		Title: "توقيع سبع اتفاقيات استثمار بثلاثة مليارات دولار في منتدى الرياض",
		Body:  strings.Join(agencySentences, " "),
	},
	// A paper's copy: another title, إستثمار for استثمار, أمس for اليوم, the
	// third sentence dropped.
	"w-copy1": {
		ID: "w-copy1", Section: "economy", Source: "صحيفة الأولى", PublishedAt: fixDay.Add(3 * time.Hour),
		Title: "الرياض والقاهرة توقعان اتفاقيات إستثمار بثلاثة مليارات دولار",
		Body: strings.Join([]string{
			strings.NewReplacer("استثمار", "إستثمار", "اليوم", "أمس").Replace(agencySentences[0]),
			agencySentences[1],
			strings.ReplaceAll(agencySentences[3], "الاستثمار", "الإستثمار"),
			agencySentences[4], agencySentences[5],
		}, " "),
	},
	// Another paper's copy: the story with a sentence of its own at the end
	// and diacritics on a few words.
	"w-copy2": {
		ID: "w-copy2", Section: "economy", Source: "صحيفة الثانية", PublishedAt: fixDay.Add(5 * time.Hour),
		Title: "اتفاقيات سعودية مصرية بـ٣ مليارات دولار",
		Body: strings.ReplaceAll(strings.Join(agencySentences, " "), "المنتدى", "المُنتدى") +
			" وكانت صحيفتنا قد انفردت الأسبوع الماضي بنشر تفاصيل المفاوضات التي سبقت التوقيع.",
	},
	// The same event written independently: not a copy, but related.
	"w-report": {
		ID: "w-report", Section: "economy", Source: "صحيفة الثالثة", PublishedAt: fixDay.Add(26 * time.Hour),
		Title: "منتدى الأعمال السعودي المصري ينتهي بشراكات في الطاقة والموانئ",
		Body: "اختتم في العاصمة السعودية منتدى الأعمال الذي جمع مسؤولين ومستثمرين من مصر والسعودية، وأسفر عن صفقات تتجاوز قيمتها ثلاثة مليارات دولار. " +
			"وتركز الصفقات الجديدة على توليد الكهرباء من الشمس والرياح وعلى تطوير الموانئ وخطوط الشحن البحري، إضافة إلى مصانع لتعبئة الأغذية. " +
			"ويرى محللون اقتصاديون أن التقارب بين البلدين يعكس رغبة مشتركة في تنويع مصادر الدخل وجذب رؤوس الأموال الخليجية إلى السوق المصرية، " +
			"غير أنهم يحذرون من أن البيروقراطية لا تزال تعرقل تنفيذ كثير من المشروعات الموقعة في منتديات سابقة. " +
			"وينتظر المستثمرون المنصة الإلكترونية التي وعدت بها الحكومة لتسريع تسجيل الشركات والتراخيص.",
	},
	// Related by topic, in another section and a year later.
	"w-gulf": {
		ID: "w-gulf", Section: "politics", Source: "صحيفة الأولى", PublishedAt: fixDay.AddDate(1, 0, 0),
		Title: "منتدى استثمار خليجي مصري في القاهرة يبحث الطاقة المتجددة والموانئ",
		Body: "انطلقت في القاهرة أعمال منتدى الاستثمار الخليجي المصري بمشاركة وزراء ومستثمرين من دول الخليج ومصر. " +
			"وناقش المشاركون مشروعات الطاقة المتجددة وتطوير الموانئ والنقل البحري، وفرص الشراكة بين القطاعين العام والخاص. " +
			"وقال رئيس هيئة الاستثمار المصرية إن المنصة الإلكترونية لتسجيل الشركات بدأت العمل وإن التراخيص تصدر الآن في أيام.",
	},
	"w-football": {
		ID: "w-football", Section: "sport", Source: "صحيفة الثانية", PublishedAt: fixDay,
		Title: "الهلال يهزم النصر بهدفين ويبتعد بصدارة الدوري",
		Body: "حقق فريق الهلال فوزا ثمينا على غريمه النصر بهدفين نظيفين في المباراة التي جمعتهما مساء أمس على ملعب المملكة أرينا ضمن الجولة العشرين من الدوري. " +
			"وسجل المهاجم هدف التقدم في الدقيقة الخامسة عشرة قبل أن يضيف زميله الهدف الثاني من ركلة جزاء في الشوط الثاني. " +
			"وبهذا الفوز رفع الهلال رصيده إلى خمسين نقطة في الصدارة بفارق سبع نقاط عن أقرب ملاحقيه.",
	},
	"w-phone": {
		ID: "w-phone", Section: "technology", Source: "صحيفة الثالثة", PublishedAt: fixDay,
		Title: "شركة ناشئة تطلق هاتفا ذكيا بسعر منخفض للطلاب",
		Body: "أطلقت شركة ناشئة هاتفا ذكيا جديدا موجها للطلاب بسعر يقل عن مئة دولار، مزودا ببطارية تدوم يومين وكاميرا مزدوجة. " +
			"وقال مؤسس الشركة إن الجهاز صمم ليعمل بكفاءة مع تطبيقات التعليم عن بعد، وإن الشركة تخطط لبيع مليون وحدة خلال عامها الأول. " +
			"ويتوقع خبراء أن تشتد المنافسة في سوق الهواتف الرخيصة مع دخول شركات جديدة.",
	},
	"w-brief": {
		ID: "w-brief", Section: "economy", Source: "وكالة", PublishedAt: fixDay,
		Title: "اتفاقيات استثمار", Body: "وقعت السعودية ومصر اتفاقيات استثمار.",
	},
}

// fixtures returns the fixture articles with these ids, in order.
func fixtures(ids ...string) []Article {
	out := make([]Article, len(ids))
	for i, id := range ids {
		a, ok := WireFixtures[id]
		if !ok {
			panic("no fixture " + id)
		}
		out[i] = a
	}
	return out
}

// AllWireFixtures returns every fixture in id order.
func AllWireFixtures() []Article {
	var ids []string
	for id := range WireFixtures {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return fixtures(ids...)
}

func newWireIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := Create(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// groupKey reads the stored group key of an article.
func groupKey(t *testing.T, ix *Index, id string) string {
	t.Helper()
	h, err := ix.storedArticle(context.Background(), id, fieldWire)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := h.Fields[fieldWire].(string)
	return k
}

func copies(t *testing.T, ix *Index, id string) []string {
	t.Helper()
	got, err := ix.WireCopies(context.Background(), id)
	if err != nil {
		t.Fatalf("WireCopies(%s): %v", id, err)
	}
	return got
}

func TestWireCopiesDetected(t *testing.T) {
	ix := newWireIndex(t)
	// One article per batch, in this order: the agency story comes first.
	for _, id := range []string{"w-agency", "w-football", "w-copy1", "w-report", "w-copy2", "w-phone", "w-gulf", "w-brief"} {
		if err := ix.Add(fixtures(id)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		id   string
		key  string
		want []string
	}{
		{"w-agency", "w-agency", []string{"w-copy1", "w-copy2"}},
		{"w-copy1", "w-agency", []string{"w-agency", "w-copy2"}}, // إستثمار, أمس, a sentence dropped
		{"w-copy2", "w-agency", []string{"w-agency", "w-copy1"}}, // a sentence added, diacritics
		{"w-report", "w-report", nil},                            // the same event in other words
		{"w-gulf", "w-gulf", nil},                                // a similar story
		{"w-brief", "w-brief", nil},                              // too short to group
		{"w-football", "w-football", nil},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			if got := groupKey(t, ix, tc.id); got != tc.key {
				t.Errorf("group key %q, want %q", got, tc.key)
			}
			if got := copies(t, ix, tc.id); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("WireCopies = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWireCandidatesExplain(t *testing.T) {
	ix := newWireIndex(t)
	if err := ix.Add(AllWireFixtures()); err != nil {
		t.Fatal(err)
	}
	got, err := ix.WireCandidates(context.Background(), "w-copy1")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]WireMatch{}
	for _, m := range got {
		byID[m.ID] = m
	}
	if m := byID["w-agency"]; !m.Copy || m.Similarity < 0.5 {
		t.Errorf("w-agency as a candidate of w-copy1: %+v, want a copy with similarity >= 0.5", m)
	}
	if m, ok := byID["w-report"]; ok && m.Copy {
		t.Errorf("w-report taken for a copy of w-copy1: %+v", m)
	}
	if _, ok := byID["w-copy1"]; ok {
		t.Error("an article is its own candidate")
	}
	if _, err := ix.WireCandidates(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("WireCandidates(unknown) = %v, want ErrNotFound", err)
	}
}

// TestWireSimilarityEstimate compares the MinHash estimate with the exact
// Jaccard similarity of the shingle sets.
func TestWireSimilarityEstimate(t *testing.T) {
	pairs := [][2]string{{"w-agency", "w-copy1"}, {"w-agency", "w-copy2"}, {"w-copy1", "w-copy2"}, {"w-agency", "w-report"}, {"w-agency", "w-football"}}
	for _, p := range pairs {
		t.Run(p[0]+"~"+p[1], func(t *testing.T) {
			a, b := WireFixtures[p[0]], WireFixtures[p[1]]
			sa, sb := shingleHashes(a), shingleHashes(b)
			inter := 0
			for _, h := range sa {
				if slices.Contains(sb, h) {
					inter++
				}
			}
			exact := float64(inter) / float64(len(sa)+len(sb)-inter)
			_, pa := wireSignature(a)
			_, pb := wireSignature(b)
			est, _ := pa.similarity(pb)
			if d := est - exact; d > 0.15 || d < -0.15 {
				t.Errorf("estimated similarity %.3f, exact %.3f", est, exact)
			}
		})
	}
}

func TestWireWithinBatch(t *testing.T) {
	ix := newWireIndex(t)
	// The copy comes first in the batch: it starts the group.
	if err := ix.Add(fixtures("w-copy1", "w-football", "w-agency", "w-copy2")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"w-copy1", "w-agency", "w-copy2"} {
		if got := groupKey(t, ix, id); got != "w-copy1" {
			t.Errorf("%s: group key %q, want w-copy1", id, got)
		}
	}
	if got := copies(t, ix, "w-agency"); !reflect.DeepEqual(got, []string{"w-copy1", "w-copy2"}) {
		t.Errorf("WireCopies(w-agency) = %v", got)
	}
}

// TestWireConcurrentBatches writes two copies from two goroutines at once,
// as two ingest writers do: whichever comes first, they end in one group.
func TestWireConcurrentBatches(t *testing.T) {
	for round := range 4 {
		ix := newWireIndex(t)
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i, id := range []string{"w-agency", "w-copy1", "w-copy2"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = ix.Add(fixtures(id))
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		k := groupKey(t, ix, "w-agency")
		if k2, k3 := groupKey(t, ix, "w-copy1"), groupKey(t, ix, "w-copy2"); k2 != k || k3 != k {
			t.Errorf("round %d: group keys %q, %q, %q: want one group", round, k, k2, k3)
		}
	}
}

// TestWireIngestWriters loads copies through Ingest with one-article
// batches, so that several writers index them in parallel.
func TestWireIngestWriters(t *testing.T) {
	ix := newWireIndex(t)
	var lines []string
	for _, a := range AllWireFixtures() {
		b, err := a.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	var st IngestStats
	err := ix.Ingest(context.Background(), strings.NewReader(strings.Join(lines, "\n")), "fixtures.jsonl", IngestOptions{BatchSize: 1}, &st)
	if err != nil {
		t.Fatal(err)
	}
	got := copies(t, ix, "w-copy2")
	if len(got) != 2 || !slices.Contains(got, "w-agency") || !slices.Contains(got, "w-copy1") {
		t.Errorf("WireCopies(w-copy2) = %v, want w-agency and w-copy1", got)
	}
}

func TestWireUpsertChangesGroup(t *testing.T) {
	ix := newWireIndex(t)
	if err := ix.Add(fixtures("w-agency", "w-copy1", "w-football")); err != nil {
		t.Fatal(err)
	}
	rewrite := func(id, like string) Article {
		a := WireFixtures[like]
		a.ID = id
		return a
	}
	steps := []struct {
		name    string
		article Article
		keys    map[string]string // id -> group key afterwards ("#" means id#hash)
		copies  map[string][]string
	}{
		{"a copy rewritten into another story leaves the group", rewrite("w-copy1", "w-phone"),
			map[string]string{"w-agency": "w-agency", "w-copy1": "w-copy1"},
			map[string][]string{"w-agency": nil, "w-copy1": nil}},
		{"and rejoins it when it is a copy again", WireFixtures["w-copy1"],
			map[string]string{"w-copy1": "w-agency"},
			map[string][]string{"w-agency": {"w-copy1"}}},
		{"the group's key rewritten leaves the key to its copies", rewrite("w-agency", "w-phone"),
			map[string]string{"w-agency": "#", "w-copy1": "w-agency"},
			map[string][]string{"w-agency": nil, "w-copy1": nil}},
		{"it becomes a copy of the football story", rewrite("w-agency", "w-football"),
			map[string]string{"w-agency": "w-football", "w-copy1": "w-agency"},
			map[string][]string{"w-football": {"w-agency"}, "w-copy1": nil}},
		{"and back to a copy of its old group", WireFixtures["w-agency"],
			map[string]string{"w-agency": "w-agency", "w-copy1": "w-agency"},
			map[string][]string{"w-copy1": {"w-agency"}, "w-football": nil}},
	}
	for _, s := range steps {
		if err := ix.Add([]Article{s.article}); err != nil {
			t.Fatal(err)
		}
		for id, want := range s.keys {
			got := groupKey(t, ix, id)
			if want == "#" {
				if !strings.HasPrefix(got, id+"#") {
					t.Errorf("%s: %s: group key %q, want %s#hash", s.name, id, got, id)
				}
			} else if got != want {
				t.Errorf("%s: %s: group key %q, want %q", s.name, id, got, want)
			}
		}
		for id, want := range s.copies {
			if got := copies(t, ix, id); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: WireCopies(%s) = %v, want %v", s.name, id, got, want)
			}
		}
	}
}

func TestWireDeleteHead(t *testing.T) {
	ix := newWireIndex(t)
	if err := ix.Add(fixtures("w-agency", "w-copy1", "w-copy2")); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Delete([]string{"w-agency"}); err != nil || n != 1 {
		t.Fatalf("Delete: %d, %v", n, err)
	}
	// The others keep the deleted article's id as their key.
	if got := copies(t, ix, "w-copy1"); !reflect.DeepEqual(got, []string{"w-copy2"}) {
		t.Errorf("WireCopies(w-copy1) after deleting the group's first article = %v, want [w-copy2]", got)
	}
	if _, err := ix.WireCopies(context.Background(), "w-agency"); !errors.Is(err, ErrNotFound) {
		t.Errorf("WireCopies(deleted) = %v, want ErrNotFound", err)
	}
	// A new, unrelated article under the deleted id does not join them.
	other := WireFixtures["w-phone"]
	other.ID = "w-agency"
	if err := ix.Add([]Article{other}); err != nil {
		t.Fatal(err)
	}
	if got := copies(t, ix, "w-agency"); len(got) != 0 {
		t.Errorf("WireCopies(new w-agency) = %v, want none", got)
	}
	if got := copies(t, ix, "w-copy2"); !reflect.DeepEqual(got, []string{"w-copy1"}) {
		t.Errorf("WireCopies(w-copy2) = %v, want [w-copy1]", got)
	}
}

func TestWireSurvivesReindex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	// w-copy2 first: it starts the group. A reindex copies in id order.
	for _, id := range []string{"w-copy2", "w-copy1", "w-agency", "w-report"} {
		if err := ix.Add(fixtures(id)); err != nil {
			ix.Close()
			t.Fatal(err)
		}
	}
	ix.Close()
	if _, err := Reindex(dir); err != nil {
		t.Fatal(err)
	}
	re, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	if got := groupKey(t, re, "w-copy2"); got != "w-agency" {
		t.Errorf("after reindex, group key %q, want w-agency (the smallest id)", got)
	}
	if got := copies(t, re, "w-agency"); !reflect.DeepEqual(got, []string{"w-copy1", "w-copy2"}) {
		t.Errorf("after reindex, WireCopies(w-agency) = %v", got)
	}
}

func TestCollapseWire(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want []int
	}{
		{"no groups", []string{"a", "b", "c"}, []int{0, 1, 2}},
		{"copies after their first hit", []string{"a", "b", "a", "c", "b"}, []int{0, 1, 3}},
		{"a hit without a key stays", []string{"", "a", "", "a"}, []int{0, 1, 2}},
		{"nothing", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := collapseWire(tc.keys); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("collapseWire(%q) = %v, want %v", tc.keys, got, tc.want)
			}
		})
	}
}

func TestWireGroups(t *testing.T) {
	ix := newWireIndex(t)
	if err := ix.Add(AllWireFixtures()); err != nil {
		t.Fatal(err)
	}
	// In id order the group starts with w-agency.
	got, err := ix.wireGroups(context.Background(), []string{"w-copy1", "w-report", "x"}, []string{"w-agency", "w-report", ""})
	if err != nil {
		t.Fatal(err)
	}
	want := []WireGroup{
		{Key: "w-agency", Count: 3, Others: []string{"w-agency", "w-copy2"}},
		{Key: "w-report", Count: 1},
		{Key: "", Count: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("wireGroups = %+v, want %+v", got, want)
	}
}

func TestPackedSimilarityMalformed(t *testing.T) {
	_, good := wireSignature(WireFixtures["w-agency"])
	for _, tc := range []struct {
		name string
		a, b packed
	}{
		{"missing", nil, good},
		{"short", good[:10], good},
		{"both missing", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if j, c := tc.a.similarity(tc.b); j != 0 || c != 0 {
				t.Errorf("similarity = %v, %v, want 0, 0", j, c)
			}
		})
	}
	if j, c := good.similarity(good); j != 1 || c != 1 {
		t.Errorf("self-similarity %v, %v, want 1, 1", j, c)
	}
}
