package index

// The LSH band terms of a bulk build, in a file beside the index instead of
// in it. A build finds the wire copies among its own articles in memory
// (bandTable, bulk.go); the band terms are only needed afterwards, for an
// article written later to find its copies among the built ones. As index
// terms they were 40 one-document terms per article, each with its own
// dictionary entry and postings list, written by zap in every segment and
// again by the final merge: 12% of a build's CPU. The file holds the same
// information sorted by band hash, written once at the end of the build:
//
//	magic            16 bytes, "bahth wire bands"
//	n, ids           uint64 each: band entries, articles
//	hashes           n × uint64, ascending (one per band of each article)
//	ords             n × uint32, the article of each hash (0 .. ids-1)
//	offsets          (ids+1) × uint32, where each article's id starts in names
//	names            the ids, one after the other
//
// all little-endian. It is mapped into memory when the index opens and read
// by wireCandidates beside the band terms of the articles written since
// (which still go into the index). The file is never changed: an article
// updated or deleted since the build keeps its entries, which then name an
// article whose stored signature differs or that is gone; wireCandidates
// reads the stored signature of every candidate and drops the missing
// ones, so a stale entry costs a lookup and changes no group.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"

	mmap "github.com/blevesearch/mmap-go"
)

const bandsFile = "wire-bands"

var bandsMagic = []byte("bahth wire bands")

const bandsHeader = 16 + 8 + 8

// writeBandFile writes the bands of a build's table into dir and syncs it.
func writeBandFile(dir string, t *bandTable) error {
	path := filepath.Join(dir, bandsFile)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	hashes := make([]uint64, 0, len(t.head))
	for h := range t.head {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	var b [8]byte
	put64 := func(v uint64) { binary.LittleEndian.PutUint64(b[:], v); w.Write(b[:]) }
	put32 := func(v uint32) { binary.LittleEndian.PutUint32(b[:4], v); w.Write(b[:4]) }
	w.Write(bandsMagic)
	put64(uint64(len(t.entry)))
	put64(uint64(len(t.infos)))
	for _, h := range hashes {
		for e := t.head[h]; e != 0; e = t.entry[e-1].next {
			put64(h)
		}
	}
	for _, h := range hashes {
		for e := t.head[h]; e != 0; e = t.entry[e-1].next {
			put32(uint32(t.entry[e-1].info))
		}
	}
	var off uint32
	put32(0)
	for _, info := range t.infos {
		off += uint32(len(info.id))
		put32(off)
	}
	for _, info := range t.infos {
		w.WriteString(info.id)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Sync()
}

// bandFile is a wire-bands file mapped into memory.
type bandFile struct {
	m       mmap.MMap
	n, ids  int
	hashes  []byte
	ords    []byte
	offsets []byte
	names   []byte
}

// openBandFile maps dir's wire-bands file; an index without one (not built
// whole, or empty) gives nil.
func openBandFile(dir string) (*bandFile, error) {
	path := filepath.Join(dir, bandsFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	bad := func(why string) error { return fmt.Errorf("%s: %s; rebuild the index: bahth reindex", path, why) }
	if fi.Size() < bandsHeader {
		return nil, bad("too short")
	}
	m, err := mmap.Map(f, mmap.RDONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	b := &bandFile{m: m}
	if !bytes.Equal(m[:16], bandsMagic) {
		m.Unmap()
		return nil, bad("not a wire-bands file")
	}
	n, ids := binary.LittleEndian.Uint64(m[16:]), binary.LittleEndian.Uint64(m[24:])
	size := uint64(len(m))
	if n > size/12 || ids > size/4 || bandsHeader+12*n+4*(ids+1) > size {
		m.Unmap()
		return nil, bad("its counts exceed its size")
	}
	b.n, b.ids = int(n), int(ids)
	p := uint64(bandsHeader)
	b.hashes, p = m[p:p+8*n], p+8*n
	b.ords, p = m[p:p+4*n], p+4*n
	b.offsets, p = m[p:p+4*(ids+1)], p+4*(ids+1)
	b.names = m[p:]
	if uint64(b.offset(b.ids)) != uint64(len(b.names)) {
		m.Unmap()
		return nil, bad("its ids do not fill it")
	}
	return b, nil
}

func (b *bandFile) close() error {
	if b == nil {
		return nil
	}
	return b.m.Unmap()
}

func (b *bandFile) hash(i int) uint64   { return binary.LittleEndian.Uint64(b.hashes[8*i:]) }
func (b *bandFile) ord(i int) int       { return int(binary.LittleEndian.Uint32(b.ords[4*i:])) }
func (b *bandFile) offset(i int) uint32 { return binary.LittleEndian.Uint32(b.offsets[4*i:]) }

// id returns the id of article ord, or "" for an ord the file does not hold.
func (b *bandFile) id(ord int) string {
	if ord < 0 || ord >= b.ids {
		return ""
	}
	start, end := b.offset(ord), b.offset(ord+1)
	if start > end || int(end) > len(b.names) {
		return ""
	}
	return string(b.names[start:end])
}

// candidates returns the ids of the built articles that share a band term
// with terms, the ones sharing most first (ties in build order), at most
// limit of them, self excluded.
func (b *bandFile) candidates(terms []string, self string, limit int) []string {
	if b == nil {
		return nil
	}
	shared := map[int]int{}
	for _, t := range terms {
		h, err := strconv.ParseUint(t, 16, 64)
		if err != nil {
			continue
		}
		for i := sort.Search(b.n, func(i int) bool { return b.hash(i) >= h }); i < b.n && b.hash(i) == h; i++ {
			shared[b.ord(i)]++
		}
	}
	out, _ := mostShared(shared, self, limit, func(o int) (string, error) { return b.id(o), nil })
	return out
}
