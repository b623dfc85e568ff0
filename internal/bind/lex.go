package bind

import (
	"fmt"
	"strings"
)

// token is one word of named.conf: a bare word, a quoted string, or one of
// the punctuation marks { } ;.
type token struct {
	text   string
	quoted bool
	line   int
}

func (t token) punct(p string) bool { return !t.quoted && t.text == p }

// stmt is one statement: words, an optional { block }, then ";". Words
// after the block (rare in BIND grammar) are kept in words too.
type stmt struct {
	words    []token
	block    []stmt
	hasBlock bool
	line     int
}

// keyword returns the first word lower-cased, or "" for an empty statement.
func (s stmt) keyword() string {
	if len(s.words) == 0 {
		return ""
	}
	return strings.ToLower(s.words[0].text)
}

// lex splits named.conf text into tokens, dropping // # and /* */ comments.
func lex(text string) ([]token, error) {
	var toks []token
	line := 1
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#' || (c == '/' && i+1 < len(text) && text[i+1] == '/'):
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("line %d: unterminated /* comment", line)
			}
			line += strings.Count(text[i:i+2+end], "\n")
			i += end + 4
		case c == '{' || c == '}' || c == ';':
			toks = append(toks, token{text: string(c), line: line})
			i++
		case c == '"':
			var b strings.Builder
			start := line
			i++
			for {
				if i >= len(text) {
					return nil, fmt.Errorf("line %d: unterminated string", start)
				}
				if text[i] == '"' {
					i++
					break
				}
				if text[i] == '\\' && i+1 < len(text) {
					i++
				}
				if text[i] == '\n' {
					line++
				}
				b.WriteByte(text[i])
				i++
			}
			toks = append(toks, token{text: b.String(), quoted: true, line: start})
		default:
			j := i
			for j < len(text) && !strings.ContainsRune(" \t\r\n\f\v{};\"#", rune(text[j])) &&
				!(text[j] == '/' && j+1 < len(text) && (text[j+1] == '/' || text[j+1] == '*')) {
				j++
			}
			toks = append(toks, token{text: text[i:j], line: line})
			i = j
		}
	}
	return toks, nil
}

// parseStmts reads statements until a closing brace (nested) or the end of
// the tokens (top level).
func parseStmts(toks []token, pos int, nested bool) ([]stmt, int, error) {
	var out []stmt
	for pos < len(toks) {
		if toks[pos].punct("}") {
			if !nested {
				return nil, pos, fmt.Errorf("line %d: unexpected }", toks[pos].line)
			}
			return out, pos, nil
		}
		var s stmt
		s.line = toks[pos].line
		for {
			if pos >= len(toks) {
				return nil, pos, fmt.Errorf("line %d: statement not terminated by ;", s.line)
			}
			t := toks[pos]
			switch {
			case t.punct(";"):
				pos++
				if len(s.words) > 0 || s.hasBlock {
					out = append(out, s)
				}
				goto next
			case t.punct("{"):
				if s.hasBlock {
					return nil, pos, fmt.Errorf("line %d: second { block in one statement", t.line)
				}
				block, end, err := parseStmts(toks, pos+1, true)
				if err != nil {
					return nil, end, err
				}
				if end >= len(toks) {
					return nil, end, fmt.Errorf("line %d: { not closed", t.line)
				}
				s.block, s.hasBlock = block, true
				pos = end + 1
			case t.punct("}"):
				return nil, pos, fmt.Errorf("line %d: missing ; before }", t.line)
			default:
				s.words = append(s.words, t)
				pos++
			}
		}
	next:
	}
	if nested {
		return nil, pos, fmt.Errorf("unexpected end of input: { not closed")
	}
	return out, pos, nil
}
