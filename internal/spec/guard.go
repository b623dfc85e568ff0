package spec

import "fmt"

// YAML tags are refused before decoding by readStructure (structure.go),
// with their place: a spec is plain data and has no use for them, and
// goccy/go-yaml v1.19.2 panics on some of them: a tag with no value where
// a sequence is expected (`onPremises: !a`) reaches Decoder.decodeSlice as
// an *ast.TagNode whose value is nil; getArrayNode returns a nil ArrayNode
// and (*ArrayNodeIter).Len dereferences it.

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
