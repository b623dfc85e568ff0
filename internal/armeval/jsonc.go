package armeval

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file reads JSON as ARM accepts it: "//" and "/* */" comments,
// trailing commas before '}' or ']', a UTF-8 byte order mark, and raw
// control characters (multi-line strings) inside strings. encoding/json
// reads none of these, and no well-kept Go JSONC library also records where
// each resource object starts and bounds depth and size the way a template
// reader must, so this small recursive-descent reader is written by hand.
// It is linear in the input and bounded in depth (MaxJSONDepth).

// posKey is the key under which the reader records, in every object that
// is an element (or, in languageVersion 2.0, a value) of a "resources"
// collection, the "line:column" where that object starts. It cannot clash
// with a key ARM reads; the evaluator never copies it into results.
const posKey = "\x00pos"

// symKey holds the symbolic name of a languageVersion 2.0 resource.
const symKey = "\x00sym"

// isPrivateKey reports keys the reader adds.
func isPrivateKey(k string) bool { return len(k) > 0 && k[0] == 0 }

// jsonError is a syntax error with its place in the input.
type jsonError struct {
	what      string
	line, col int
	msg       string
}

func (e *jsonError) Error() string {
	return fmt.Sprintf("read %s at %d:%d: %s", e.what, e.line, e.col, e.msg)
}

type jreader struct {
	what  string
	data  []byte
	pos   int
	depth int
	// kvs and elems are the members of the objects and arrays being read,
	// a stack shared by every level: each object or array is allocated
	// once at its end, at its final size, instead of growing.
	kvs   []kv
	elems []any
	// marks are the resource objects whose start offsets become posKey
	// entries once the whole input is read (lines are counted once).
	marks []mark
	// markDepth > 0 marks every object nested at most that deep too
	// (parameters files: each parameter's {"value": ...} object).
	markDepth int
}

type mark struct {
	m   map[string]any
	off int
}

type kv struct {
	k string
	v any
}

// readJSONC parses data (what names it in errors: "template",
// "parameters") into a generic value: nil, bool, float64, string, []any,
// map[string]any.
func readJSONC(what string, data []byte, maxBytes int) (any, error) {
	return readJSONCMarked(what, data, maxBytes, 0)
}

func readJSONCMarked(what string, data []byte, maxBytes, markDepth int) (any, error) {
	if len(data) > maxBytes {
		return nil, &LimitError{Limit: fmt.Sprintf("%s size %d MB (ARM limit)", what, maxBytes>>20),
			Detail: fmt.Sprintf("%d bytes", len(data))}
	}
	r := &jreader{what: what, data: data, markDepth: markDepth}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		r.pos = 3
	}
	r.space()
	if r.pos >= len(r.data) {
		return nil, r.errorf("empty input")
	}
	v, err := r.value(ctxNone)
	if err != nil {
		return nil, err
	}
	r.space()
	if r.pos < len(r.data) {
		return nil, r.errorf("unexpected %q after the top-level value", r.data[r.pos])
	}
	r.placeMarks()
	return v, nil
}

func (r *jreader) errorf(format string, args ...any) error {
	line, col := lineCol(r.data, min(r.pos, len(r.data)))
	return &jsonError{what: r.what, line: line, col: col, msg: fmt.Sprintf(format, args...)}
}

// lineCol returns the 1-based line and column of byte offset off.
func lineCol(data []byte, off int) (int, int) {
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

// placeMarks converts the recorded offsets to "line:column" in one pass.
func (r *jreader) placeMarks() {
	// col counts the runes of the current line up to offset i, so that a
	// template written on one line (json.Marshal's output) is not counted
	// from its start for every mark.
	line, col, i := 1, 1, 0
	for _, mk := range r.marks {
		start := i
		for ; i < mk.off; i++ {
			if r.data[i] == '\n' {
				line++
				col = 1
				start = i + 1
			}
		}
		col += utf8.RuneCount(r.data[start:mk.off])
		mk.m[posKey] = strconv.Itoa(line) + ":" + strconv.Itoa(col)
	}
	r.marks = nil
}

// space skips whitespace and comments.
func (r *jreader) space() {
	for r.pos < len(r.data) {
		switch c := r.data[r.pos]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			r.pos++
		case c == '/' && r.pos+1 < len(r.data) && r.data[r.pos+1] == '/':
			for r.pos < len(r.data) && r.data[r.pos] != '\n' {
				r.pos++
			}
		case c == '/' && r.pos+1 < len(r.data) && r.data[r.pos+1] == '*':
			end := bytes.Index(r.data[r.pos+2:], []byte("*/"))
			if end < 0 {
				r.pos = len(r.data)
				return
			}
			r.pos += 2 + end + 2
		default:
			return
		}
	}
}

// Where a value sits, for marking resource objects.
const (
	ctxNone = iota
	ctxColl // the value of a "resources" key
	ctxElem // an element of such an array, or a value of such an object
)

// value reads one value in context ctx.
func (r *jreader) value(ctx int) (any, error) {
	if r.pos >= len(r.data) {
		return nil, r.errorf("unexpected end of input")
	}
	switch c := r.data[r.pos]; {
	case c == '{':
		return r.object(ctx)
	case c == '[':
		return r.array(ctx == ctxColl)
	case c == '"':
		return r.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	case c == 't':
		return r.literal("true", true)
	case c == 'f':
		return r.literal("false", false)
	case c == 'n':
		return r.literal("null", nil)
	default:
		return nil, r.errorf("unexpected %q", c)
	}
}

func (r *jreader) literal(word string, v any) (any, error) {
	if !bytes.HasPrefix(r.data[r.pos:], []byte(word)) {
		return nil, r.errorf("unexpected %q", r.data[r.pos])
	}
	r.pos += len(word)
	return v, nil
}

func (r *jreader) enter() error {
	r.depth++
	if r.depth > MaxJSONDepth {
		line, col := lineCol(r.data, r.pos)
		return &LimitError{Limit: fmt.Sprintf("JSON nesting depth %d", MaxJSONDepth),
			Place: fmt.Sprintf("%s at %d:%d", r.what, line, col)}
	}
	return nil
}

func (r *jreader) object(ctx int) (any, error) {
	if err := r.enter(); err != nil {
		return nil, err
	}
	defer func() { r.depth-- }()
	start := r.pos
	r.pos++ // '{'
	// A marked object's mark is placed now, in input order, and given
	// its map at the end.
	mi := -1
	if ctx == ctxElem || r.depth <= r.markDepth {
		mi = len(r.marks)
		r.marks = append(r.marks, mark{nil, start})
	}
	base := len(r.kvs)
	defer func() {
		clear(r.kvs[base:])
		r.kvs = r.kvs[:base]
	}()
	for {
		r.space()
		if r.pos >= len(r.data) {
			return nil, r.errorf("unexpected end of input in object")
		}
		if r.data[r.pos] == '}' {
			r.pos++
			members := r.kvs[base:]
			n := len(members)
			if mi >= 0 {
				n++ // posKey
			}
			m := make(map[string]any, n)
			for _, e := range members {
				m[e.k] = e.v
			}
			if mi >= 0 {
				r.marks[mi].m = m
			}
			return m, nil
		}
		if r.data[r.pos] != '"' {
			return nil, r.errorf("want a string key or '}', got %q", r.data[r.pos])
		}
		k, err := r.str()
		if err != nil {
			return nil, err
		}
		r.space()
		if r.pos >= len(r.data) || r.data[r.pos] != ':' {
			return nil, r.errorf("want ':' after key %q", k)
		}
		r.pos++
		r.space()
		vctx := ctxNone
		switch {
		case ctx == ctxColl:
			vctx = ctxElem
		case strings.EqualFold(k, "resources"),
			// the top-level parameter declarations, so that a missing
			// required value is reported where it is declared
			r.depth == 1 && strings.EqualFold(k, "parameters"):
			vctx = ctxColl
		}
		v, err := r.value(vctx)
		if err != nil {
			return nil, err
		}
		r.kvs = append(r.kvs, kv{k, v})
		r.space()
		if r.pos < len(r.data) && r.data[r.pos] == ',' {
			r.pos++
			continue
		}
		if r.pos < len(r.data) && r.data[r.pos] == '}' {
			continue
		}
		return nil, r.errorf("want ',' or '}' in object")
	}
}

func (r *jreader) array(resources bool) (any, error) {
	if err := r.enter(); err != nil {
		return nil, err
	}
	defer func() { r.depth-- }()
	r.pos++ // '['
	base := len(r.elems)
	defer func() {
		clear(r.elems[base:])
		r.elems = r.elems[:base]
	}()
	for {
		r.space()
		if r.pos >= len(r.data) {
			return nil, r.errorf("unexpected end of input in array")
		}
		if r.data[r.pos] == ']' {
			r.pos++
			return append(make([]any, 0, len(r.elems)-base), r.elems[base:]...), nil
		}
		ectx := ctxNone
		if resources {
			ectx = ctxElem
		}
		v, err := r.value(ectx)
		if err != nil {
			return nil, err
		}
		r.elems = append(r.elems, v)
		r.space()
		if r.pos < len(r.data) && r.data[r.pos] == ',' {
			r.pos++
			continue
		}
		if r.pos < len(r.data) && r.data[r.pos] == ']' {
			continue
		}
		return nil, r.errorf("want ',' or ']' in array")
	}
}

func (r *jreader) str() (string, error) {
	start := r.pos
	r.pos++ // '"'
	// Fast path: no escapes.
	for i := r.pos; i < len(r.data); i++ {
		c := r.data[i]
		if c == '"' {
			s := string(r.data[r.pos:i])
			r.pos = i + 1
			return s, nil
		}
		if c == '\\' {
			break
		}
	}
	var b strings.Builder
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			r.pos++
			return b.String(), nil
		case c == '\\':
			if r.pos+1 >= len(r.data) {
				return "", r.errorf("unterminated string")
			}
			e := r.data[r.pos+1]
			r.pos += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				ru, ok := r.hex4()
				if !ok {
					return "", r.errorf("bad \\u escape")
				}
				if utf16.IsSurrogate(ru) {
					save := r.pos
					if r.pos+1 < len(r.data) && r.data[r.pos] == '\\' && r.data[r.pos+1] == 'u' {
						r.pos += 2
						if ru2, ok := r.hex4(); ok {
							if d := utf16.DecodeRune(ru, ru2); d != utf8.RuneError {
								b.WriteRune(d)
								continue
							}
						}
					}
					r.pos = save
					ru = utf8.RuneError
				}
				b.WriteRune(ru)
			default:
				r.pos -= 2
				return "", r.errorf("bad escape \\%c", e)
			}
		default:
			b.WriteByte(c)
			r.pos++
		}
	}
	r.pos = start
	return "", r.errorf("unterminated string")
}

func (r *jreader) hex4() (rune, bool) {
	if r.pos+4 > len(r.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(r.data[r.pos:r.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	r.pos += 4
	return rune(n), true
}

func (r *jreader) number() (any, error) {
	start := r.pos
	if r.data[r.pos] == '-' {
		r.pos++
	}
	digits := func() int {
		s := r.pos
		for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
			r.pos++
		}
		return r.pos - s
	}
	if digits() == 0 {
		return nil, r.errorf("bad number")
	}
	if r.pos < len(r.data) && r.data[r.pos] == '.' {
		r.pos++
		if digits() == 0 {
			return nil, r.errorf("bad number")
		}
	}
	if r.pos < len(r.data) && (r.data[r.pos] == 'e' || r.data[r.pos] == 'E') {
		r.pos++
		if r.pos < len(r.data) && (r.data[r.pos] == '+' || r.data[r.pos] == '-') {
			r.pos++
		}
		if digits() == 0 {
			return nil, r.errorf("bad number")
		}
	}
	f, err := strconv.ParseFloat(string(r.data[start:r.pos]), 64)
	if err != nil {
		r.pos = start
		return nil, r.errorf("bad number %q", r.data[start:r.pos])
	}
	return f, nil
}
