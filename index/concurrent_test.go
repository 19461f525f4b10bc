package index_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/bahth/bahth/index"
)

// TestSearchWhileWriting runs searches while batches are written (run it
// with -race): no search fails and every hit is a whole article.
func TestSearchWhileWriting(t *testing.T) {
	ix, _ := newIndex(t)
	article := func(i int) index.Article {
		id := fmt.Sprintf("w%04d", i)
		return index.Article{ID: id, Title: "خبر رقم " + id, Body: strings.Repeat("نص الخبر عن الاقتصاد والسياسة "+id+" ", 20)}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				res, err := ix.Search(ctx, index.Request{Query: "الاقتصاد خبر", Size: 20, Highlight: true})
				if err != nil {
					if ctx.Err() == nil {
						errs <- err
					}
					return
				}
				for _, h := range res.Hits {
					if h.Article.ID != h.ID || !strings.HasSuffix(h.Article.Title, h.ID) || !strings.Contains(h.Article.Body, h.ID) {
						errs <- fmt.Errorf("torn article for %s: %+v", h.ID, h.Article)
						return
					}
				}
			}
		}()
	}
	for b := 0; b < 10; b++ {
		var batch []index.Article
		for i := range 20 {
			batch = append(batch, article(b*20+i))
		}
		if err := ix.Add(batch); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := ix.Count(); n != 200 {
		t.Errorf("count = %d; want 200", n)
	}
}
