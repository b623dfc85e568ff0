package spec

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// refuseTags reports every YAML tag in data (`!a`, `!!str`, ...) as a
// located problem. A spec is plain data and has no use for tags, and
// goccy/go-yaml v1.19.2 panics on some of them: a tag with no value where
// a sequence is expected (`onPremises: !a`) reaches Decoder.decodeSlice as
// an *ast.TagNode whose value is nil; getArrayNode returns a nil
// ArrayNode and (*ArrayNodeIter).Len dereferences it. Refusing tags before
// decoding keeps that input (and every other tag) an input error.
// A document that does not parse is left to the decoder, which reports it.
func refuseTags(data []byte) []Diagnostic {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil
	}
	v := &tagFinder{}
	for _, doc := range file.Docs {
		ast.Walk(v, doc)
	}
	return v.diags
}

type tagFinder struct{ diags []Diagnostic }

func (v *tagFinder) Visit(n ast.Node) ast.Visitor {
	tag, ok := n.(*ast.TagNode)
	if !ok {
		return v
	}
	d := Diagnostic{Path: tag.GetPath(), Message: fmt.Sprintf("YAML tag %s is not supported: a spec is plain data; remove the tag", tag.Start.Value)}
	if p := tag.Start.Position; p != nil {
		d.Line, d.Column = p.Line, p.Column
	}
	v.diags = append(v.diags, d)
	return v
}

// decodeSafely runs decode and turns a panic inside the YAML library into
// an error, so that no input can crash privaks even through a library bug
// not known yet.
func decodeSafely(decode func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML decoder failed on this input (%v); please report it with the file", r)
		}
	}()
	return decode()
}
