// helmpeer renders chart templates as Helm 3's engine does, with Go's own
// text/template and Helm's FuncMap (helm.go): the peer of bench/helm.sh.
//
//	helmpeer [--values FILE]... [--bench N] --name NAME TEMPLATE...
//
// As Helm's engine (pkg/engine/engine.go) builds its set: one template set
// named "gotpl" with missingkey=zero, Helm's functions, every TEMPLATE parsed
// into it; the first file is named NAME (Helm names a file
// "CHART/templates/FILE"), the others by their base names, and NAME is
// executed over the values (YAML decoded with yaml.v3 into interface{},
// several files deep-merged left to right), as tmplrender loads them.
// Helm's own post-processing (removing "<no value>") is not applied: the
// two engines' outputs are compared before it. --bench N parses once,
// renders N times into memory and prints "ns/op T".
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"gopkg.in/yaml.v3"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

// merge copies src over dst, descending where both hold a map.
func merge(dst, src map[string]interface{}) {
	for k, v := range src {
		if sv, ok := v.(map[string]interface{}); ok {
			if dv, ok := dst[k].(map[string]interface{}); ok {
				merge(dv, sv)
				continue
			}
		}
		dst[k] = v
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	var values multi
	name := flag.String("name", "", "name of the first file, the executed template")
	bench := flag.Int("bench", 0, "render N times and print ns/op")
	flag.Var(&values, "values", "YAML values file (repeatable)")
	flag.Parse()
	if flag.NArg() < 1 || *name == "" {
		fmt.Fprintln(os.Stderr, "usage: helmpeer [--values FILE]... [--bench N] --name NAME TEMPLATE...")
		os.Exit(2)
	}
	data := map[string]interface{}{}
	for _, f := range values {
		b, err := os.ReadFile(f)
		if err != nil {
			fail(err)
		}
		var v map[string]interface{}
		if err := yaml.Unmarshal(b, &v); err != nil {
			fail(fmt.Errorf("%s: %v", f, err))
		}
		merge(data, v)
	}
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	helmFuncs(t)
	for i, f := range flag.Args() {
		src, err := os.ReadFile(f)
		if err != nil {
			fail(err)
		}
		n := filepath.Base(f)
		if i == 0 {
			n = *name
		}
		if _, err := t.New(n).Parse(string(src)); err != nil {
			fail(err)
		}
	}
	var buf bytes.Buffer
	if *bench > 0 {
		start := time.Now()
		for i := 0; i < *bench; i++ {
			buf.Reset()
			if err := t.ExecuteTemplate(&buf, *name, data); err != nil {
				fail(err)
			}
		}
		fmt.Printf("ns/op %d\n", time.Since(start).Nanoseconds()/int64(*bench))
		return
	}
	err := t.ExecuteTemplate(&buf, *name, data)
	os.Stdout.Write(buf.Bytes())
	if err != nil {
		fail(err)
	}
}
