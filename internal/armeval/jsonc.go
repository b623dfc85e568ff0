package armeval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// jsonc turns ARM's relaxed JSON into strict JSON: it blanks "//" and
// "/* */" comments (keeping newlines, so offsets keep their lines), removes
// trailing commas before '}' or ']', strips a UTF-8 byte order mark and
// escapes raw control characters (multi-line strings) inside strings. The
// returned shifts are the output offsets at which escapes added a byte, for
// mapping errors back to the input.
func jsonc(data []byte) (out []byte, shifts []int) {
	out = make([]byte, 0, len(data)+16)
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		out = append(out, "   "...)
		data = data[3:]
	}
	inStr := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inStr {
			switch {
			case c == '\\' && i+1 < len(data):
				out = append(out, c, data[i+1])
				i++
			case c == '"':
				inStr = false
				out = append(out, c)
			case c < 0x20:
				esc := map[byte]string{'\n': `\n`, '\r': `\r`, '\t': `\t`}[c]
				if esc == "" {
					esc = fmt.Sprintf(`\u%04x`, c)
				}
				for range len(esc) - 1 {
					shifts = append(shifts, len(out))
				}
				out = append(out, esc...)
			default:
				out = append(out, c)
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
			out = append(out, c)
		case c == '/' && i+1 < len(data) && data[i+1] == '/':
			for i < len(data) && data[i] != '\n' {
				out = append(out, ' ')
				i++
			}
			i--
		case c == '/' && i+1 < len(data) && data[i+1] == '*':
			end := bytes.Index(data[i+2:], []byte("*/"))
			stop := len(data)
			if end >= 0 {
				stop = i + 2 + end + 2
			}
			for ; i < stop; i++ {
				if data[i] == '\n' || data[i] == '\r' {
					out = append(out, data[i])
				} else {
					out = append(out, ' ')
				}
			}
			i--
		case c == ',' && closesNext(data[i+1:]):
			out = append(out, ' ')
		default:
			out = append(out, c)
		}
	}
	return out, shifts
}

// closesNext reports whether the next token after whitespace and comments
// is '}' or ']'.
func closesNext(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
		case '/':
			if i+1 < len(b) && b[i+1] == '/' {
				j := bytes.IndexByte(b[i:], '\n')
				if j < 0 {
					return false
				}
				i += j
			} else if i+1 < len(b) && b[i+1] == '*' {
				j := bytes.Index(b[i+2:], []byte("*/"))
				if j < 0 {
					return false
				}
				i += j + 3
			} else {
				return false
			}
		case '}', ']':
			return true
		default:
			return false
		}
	}
	return false
}

// position converts an offset in jsonc's output to a 1-based line and
// column in the original input.
func position(orig []byte, shifts []int, off int64) (line, col int) {
	n := sort.SearchInts(shifts, int(off))
	in := int(off) - n
	in = min(max(in, 0), len(orig))
	line, col = 1, 1
	for _, c := range orig[:in] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// decodeJSONC decodes relaxed JSON into v, naming line:column on errors.
func decodeJSONC(what string, data []byte, v any) error {
	strict, shifts := jsonc(data)
	return unmarshalAt(what, data, strict, shifts, v)
}

// unmarshalAt decodes strict, jsonc's output for data, into v and maps
// error offsets back to data.
func unmarshalAt(what string, data, strict []byte, shifts []int, v any) error {
	err := json.Unmarshal(strict, v)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// Offset counts the offending byte; report its own position.
		l, c := position(data, shifts, max(se.Offset-1, 0))
		return fmt.Errorf("read %s at %d:%d: %w", what, l, c, err)
	case errors.As(err, &te):
		l, c := position(data, shifts, te.Offset)
		return fmt.Errorf("read %s at %d:%d: %w", what, l, c, err)
	}
	return fmt.Errorf("read %s: %w", what, err)
}
