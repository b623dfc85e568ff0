package spec

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Bounds on a spec file, checked on the raw bytes before any YAML parser
// sees them: the parser's cost grows faster than the input on some shapes
// (200 KB of nested brackets took 10 GB and over a minute), so they are
// refused by a linear scan. The reference design is 2 KB and 4 levels
// deep; these bounds are far above any real landing zone.
const (
	// MaxSpecBytes is the largest spec file read (the YAML parser takes
	// about 0.7 s of CPU for one this size at worst, measured).
	MaxSpecBytes = 256 << 10
	// MaxFlowDepth is the deepest nesting of [ ] and { } accepted.
	MaxFlowDepth = 16
	// MaxIndentDepth is the deepest block nesting accepted, counted in
	// distinct indentation levels of one line's ancestors.
	MaxIndentDepth = 32
	// MaxEntries is the most entries of one mapping or list: goccy/go-yaml
	// parses a mapping in time quadratic in its keys (20,000 keys took
	// 6 s of CPU, measured); the largest list a spec may hold has 1,000.
	MaxEntries = 2000
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// guard checks data against the bounds above and returns the bytes to
// parse: a leading UTF-8 byte order mark is dropped (editors on Windows
// write one; YAML 1.2 allows it). Each problem is located.
func guard(data []byte) ([]byte, []Diagnostic) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(data) > MaxSpecBytes {
		return nil, []Diagnostic{{Message: fmt.Sprintf("the file is %d bytes; a spec is at most %d (256 KiB)", len(data), MaxSpecBytes)}}
	}
	if !utf8.Valid(data) {
		line, col := 1, 1
		for i := 0; i < len(data); {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			i += n
		}
		return nil, []Diagnostic{{Line: line, Column: col, Message: "not UTF-8 text: a spec is a UTF-8 YAML file"}}
	}
	if d, ok := scanDepth(data); !ok {
		return nil, []Diagnostic{d}
	}
	return data, nil
}

// scanDepth measures flow nesting ([ and { outside quotes and comments)
// and block nesting (indentation levels) in one pass. It is a lexical
// approximation of YAML, exact enough to bound the parser's work: it never
// refuses a file whose real nesting is within the bounds.
func scanDepth(data []byte) (Diagnostic, bool) {
	line, col := 1, 0
	flow := 0
	var flowEntries []int // entries of each open [ ] or { }
	var indents []int     // indentation of the open block levels
	var entries []int     // lines at each open block level
	atLineStart, indent := true, 0
	var quote byte
	inComment := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		col++
		if c == '\n' {
			line, col = line+1, 0
			atLineStart, indent, inComment = true, 0, false
			if quote == '\'' || quote == '"' {
				// Multi-line quoted scalars are legal; keep the quote open.
				continue
			}
			continue
		}
		if inComment {
			continue
		}
		if quote != 0 {
			switch {
			case quote == '"' && c == '\\':
				i++
				col++
			case c == quote:
				if quote == '\'' && i+1 < len(data) && data[i+1] == '\'' {
					i++
					col++
					continue
				}
				quote = 0
			}
			continue
		}
		if atLineStart {
			if c == ' ' {
				indent++
				continue
			}
			atLineStart = false
			if c != '#' && flow == 0 {
				for len(indents) > 0 && indents[len(indents)-1] > indent {
					indents, entries = indents[:len(indents)-1], entries[:len(entries)-1]
				}
				if len(indents) > 0 && indents[len(indents)-1] == indent {
					entries[len(entries)-1]++
					if entries[len(entries)-1] > MaxEntries {
						return Diagnostic{Line: line, Column: col, Message: fmt.Sprintf("more than %d entries at this level; a spec needs at most 1,000", MaxEntries)}, false
					}
				} else {
					indents, entries = append(indents, indent), append(entries, 1)
				}
				if len(indents) > MaxIndentDepth {
					return Diagnostic{Line: line, Column: col, Message: fmt.Sprintf("nested more than %d levels deep; a spec needs at most 6", MaxIndentDepth)}, false
				}
			}
		}
		switch c {
		case '#':
			if i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n' {
				inComment = true
			}
		case '"', '\'':
			// A quote opens a scalar only at its start, not inside a plain
			// scalar such as it's.
			if i == 0 || bytes.IndexByte([]byte(" \t\n[{,:-?"), data[i-1]) >= 0 {
				quote = c
			}
		case '[', '{':
			flow++
			flowEntries = append(flowEntries, 1)
			if flow > MaxFlowDepth {
				return Diagnostic{Line: line, Column: col, Message: fmt.Sprintf("brackets nested more than %d deep; a spec needs at most 2", MaxFlowDepth)}, false
			}
		case ',':
			if flow > 0 {
				flowEntries[len(flowEntries)-1]++
				if flowEntries[len(flowEntries)-1] > MaxEntries {
					return Diagnostic{Line: line, Column: col, Message: fmt.Sprintf("more than %d entries in these brackets; a spec needs at most 1,000", MaxEntries)}, false
				}
			}
		case ']', '}':
			if flow > 0 {
				flow--
				flowEntries = flowEntries[:len(flowEntries)-1]
			}
		}
	}
	return Diagnostic{}, true
}
