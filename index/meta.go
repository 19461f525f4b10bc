package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2/registry"
)

// ErrReindex is returned when an index was built with other analysis than
// this build's: searching it would mix terms of two analyses, so it must be
// rebuilt instead.
var ErrReindex = errors.New("index must be rebuilt")

// metaFile sits in the index directory beside bleve's files and records
// what the index was built with.
const metaFile = "bahth.json"

type meta struct {
	SchemaVersion int               `json:"schema_version"`
	Analyzers     map[string]string `json:"analyzers"` // field -> analyzer name
}

func metaOf(o Options) meta {
	o = o.withDefaults()
	return meta{SchemaVersion: SchemaVersion, Analyzers: map[string]string{
		fieldTitle: o.Analyzer, fieldExact: o.ExactAnalyzer,
	}}
}

func writeMeta(dir string, m meta) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, metaFile), append(b, '\n'), 0o644)
}

// readMeta reads the record of the index in dir.
func readMeta(dir string) (meta, error) {
	var m meta
	path := filepath.Join(dir, metaFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// checkMeta fails with ErrReindex unless the index in dir was built with
// this build's schema and with analyzers this build registers. Analyzer
// names are versioned (STYLE.md rule 4), so a build that changed an
// analysis no longer registers the old name.
func checkMeta(dir string) error {
	m, err := readMeta(dir)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w: %s has no %s (built by an older Bahth); rebuild it: bahth reindex --index %s", ErrReindex, dir, metaFile, dir)
	}
	if err != nil {
		return err
	}
	if m.SchemaVersion != SchemaVersion {
		return fmt.Errorf("%w: %s was built with schema version %d and this build uses %d; rebuild it: bahth reindex --index %s",
			ErrReindex, dir, m.SchemaVersion, SchemaVersion, dir)
	}
	cache := registry.NewCache()
	for field, name := range m.Analyzers {
		_, standIn := standIns.Load(name)
		if _, err := cache.AnalyzerNamed(name); err != nil || standIn {
			return fmt.Errorf("%w: %s was built with analyzer %s (field %s), which this build does not have; rebuild it: bahth reindex --index %s",
				ErrReindex, dir, name, field, dir)
		}
	}
	return nil
}
