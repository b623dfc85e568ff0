package armeval

import (
	"fmt"
	"strconv"
	"strings"
)

// node is one element of a parsed ARM expression. start and end are byte
// offsets into the expression source (the text inside the brackets), so that
// an Unknown can name the exact sub-expression it stands for.
type node interface {
	span() (start, end int)
}

type strLit struct {
	start, end int
	val        string
}

type numLit struct {
	start, end int
	val        float64
}

// call is a function call; name keeps its spelling (lookup is
// case-insensitive) and may be "namespace.member" for user-defined functions.
type call struct {
	start, end int
	name       string
	lname      string // name in lower case, as functions are looked up
	args       []node
}

// prop is a property access x.name.
type prop struct {
	start, end int
	x          node
	name       string
}

// index is an index access x[idx].
type index struct {
	start, end int
	x, idx     node
}

func (n *strLit) span() (int, int) { return n.start, n.end }
func (n *numLit) span() (int, int) { return n.start, n.end }
func (n *call) span() (int, int)   { return n.start, n.end }
func (n *prop) span() (int, int)   { return n.start, n.end }
func (n *index) span() (int, int)  { return n.start, n.end }

// isExpression reports whether a JSON string value is an ARM expression:
// it starts with '[' and ends with ']' and does not start with the "[["
// escape.
func isExpression(s string) bool {
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && s[1] != '['
}

// unescapeLiteral returns the literal value of a JSON string that is not an
// expression: a leading "[[" (with a closing ']') stands for a single '['.
func unescapeLiteral(s string) string {
	if len(s) >= 3 && strings.HasPrefix(s, "[[") && s[len(s)-1] == ']' {
		return s[1:]
	}
	return s
}

// parseError is a syntax error in an expression, with its byte offset.
type parseError struct {
	src string
	pos int
	msg string
}

func (e *parseError) Error() string {
	return fmt.Sprintf("parse expression %q: %s at offset %d", e.src, e.msg, e.pos)
}

// parseExpr parses the text of an expression without its surrounding
// brackets.
func parseExpr(src string) (node, error) {
	p := &parser{src: src}
	p.skipSpace()
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return nil, p.errorf("unexpected %q", p.src[p.pos:p.pos+1])
	}
	return n, nil
}

type parser struct {
	src   string
	pos   int
	depth int
}

func (p *parser) errorf(format string, args ...any) error {
	return &parseError{src: p.src, pos: p.pos, msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) expr() (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxExpressionDepth {
		return nil, &LimitError{Limit: fmt.Sprintf("expression nesting depth %d", MaxExpressionDepth),
			Place: abbrev(p.src), Detail: fmt.Sprintf("at offset %d", p.pos)}
	}
	n, err := p.primary()
	if err != nil {
		return nil, err
	}
	start, _ := n.span()
	for {
		p.skipSpace()
		switch p.peek() {
		case '.':
			p.pos++
			p.skipSpace()
			name := p.ident()
			if name == "" {
				return nil, p.errorf("want property name after '.'")
			}
			n = &prop{start: start, end: p.pos, x: n, name: name}
		case '[':
			p.pos++
			p.skipSpace()
			idx, err := p.expr()
			if err != nil {
				return nil, err
			}
			p.skipSpace()
			if p.peek() != ']' {
				return nil, p.errorf("want ']'")
			}
			p.pos++
			n = &index{start: start, end: p.pos, x: n, idx: idx}
		default:
			return n, nil
		}
	}
}

func (p *parser) primary() (node, error) {
	start := p.pos
	c := p.peek()
	switch {
	case c == '\'':
		return p.str()
	case c == '-' || c == '+' || (c >= '0' && c <= '9'):
		return p.num()
	case isIdentStart(c):
		name := p.ident()
		for p.peek() == '.' && p.pos+1 < len(p.src) && isIdentStart(p.src[p.pos+1]) {
			// namespace.member( of a user-defined function; a '.' after a
			// plain identifier can only be that, as identifiers are only
			// function names.
			save := p.pos
			p.pos++
			member := p.ident()
			p.skipSpace()
			if p.peek() != '(' {
				p.pos = save
				break
			}
			name += "." + member
		}
		p.skipSpace()
		if p.peek() != '(' {
			switch strings.ToLower(name) {
			case "true", "false", "null":
				// Lenient: bare true/false/null as ARM writes true().
				return &call{start: start, end: p.pos, name: name, lname: strings.ToLower(name)}, nil
			}
			return nil, p.errorf("want '(' after function name %q", name)
		}
		p.pos++
		var args []node
		p.skipSpace()
		if p.peek() == ')' {
			p.pos++
			return &call{start: start, end: p.pos, name: name, lname: strings.ToLower(name)}, nil
		}
		for {
			p.skipSpace()
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			p.skipSpace()
			switch p.peek() {
			case ',':
				p.pos++
			case ')':
				p.pos++
				return &call{start: start, end: p.pos, name: name, lname: strings.ToLower(name), args: args}, nil
			default:
				return nil, p.errorf("want ',' or ')' in arguments of %q", name)
			}
		}
	case c == 0:
		return nil, p.errorf("unexpected end of expression")
	default:
		return nil, p.errorf("unexpected %q", string(c))
	}
}

func (p *parser) str() (node, error) {
	start := p.pos
	p.pos++ // opening quote
	var b strings.Builder
	for {
		i := strings.IndexByte(p.src[p.pos:], '\'')
		if i < 0 {
			p.pos = start
			return nil, p.errorf("unterminated string")
		}
		if b.Len() == 0 && (p.pos+i+1 >= len(p.src) || p.src[p.pos+i+1] != '\'') {
			// no escaped quote: the literal is a substring of the source
			val := p.src[p.pos : p.pos+i]
			p.pos += i + 1
			return &strLit{start: start, end: p.pos, val: val}, nil
		}
		b.WriteString(p.src[p.pos : p.pos+i])
		p.pos += i + 1
		if p.peek() == '\'' { // '' is an escaped quote
			b.WriteByte('\'')
			p.pos++
			continue
		}
		return &strLit{start: start, end: p.pos, val: b.String()}, nil
	}
}

func (p *parser) num() (node, error) {
	start := p.pos
	if c := p.peek(); c == '-' || c == '+' {
		p.pos++
	}
	digits := p.pos
	p.digits()
	if p.pos == digits {
		return nil, p.errorf("want digits")
	}
	if p.peek() == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9' {
		p.pos++
		p.digits()
	}
	v, err := strconv.ParseFloat(p.src[start:p.pos], 64)
	if err != nil {
		p.pos = start
		return nil, p.errorf("bad number %q", p.src[start:p.pos])
	}
	return &numLit{start: start, end: p.pos, val: v}, nil
}

func (p *parser) digits() {
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func (p *parser) ident() string {
	start := p.pos
	if p.pos < len(p.src) && isIdentStart(p.src[p.pos]) {
		p.pos++
		for p.pos < len(p.src) {
			c := p.src[p.pos]
			if !isIdentStart(c) && !(c >= '0' && c <= '9') && c != '-' {
				break
			}
			p.pos++
		}
	}
	return p.src[start:p.pos]
}

// quote renders s as an ARM string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// render writes n back as expression text in canonical form.
func render(n node) string {
	var b strings.Builder
	renderTo(&b, n)
	return b.String()
}

func renderTo(b *strings.Builder, n node) {
	switch n := n.(type) {
	case *strLit:
		b.WriteString(quote(n.val))
	case *numLit:
		b.WriteString(strconv.FormatFloat(n.val, 'f', -1, 64))
	case *call:
		b.WriteString(n.name)
		b.WriteByte('(')
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(", ")
			}
			renderTo(b, a)
		}
		b.WriteByte(')')
	case *prop:
		renderTo(b, n.x)
		b.WriteByte('.')
		b.WriteString(n.name)
	case *index:
		renderTo(b, n.x)
		b.WriteByte('[')
		renderTo(b, n.idx)
		b.WriteByte(']')
	}
}
