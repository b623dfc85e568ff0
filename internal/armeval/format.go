package armeval

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// fnFormat implements format() with .NET composite formatting: "{0}",
// "{0,-8}" alignment, "{{"/"}}" escapes and the common numeric format
// strings D, N, F, X, P and zero-padding patterns such as "000".
func fnFormat(_ *frame, args []any) (any, error) {
	fs, err := argString(args, 0, "format string")
	if err != nil {
		return nil, err
	}
	vals := args[1:]
	var b strings.Builder
	for i := 0; i < len(fs); i++ {
		c := fs[i]
		switch {
		case c == '{' && i+1 < len(fs) && fs[i+1] == '{':
			b.WriteByte('{')
			i++
		case c == '}' && i+1 < len(fs) && fs[i+1] == '}':
			b.WriteByte('}')
			i++
		case c == '{':
			end := strings.IndexByte(fs[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("format string %q: unclosed '{'", fs)
			}
			item := fs[i+1 : i+end]
			i += end
			s, err := formatItem(item, vals)
			if err != nil {
				return nil, fmt.Errorf("format string %q: %w", fs, err)
			}
			b.WriteString(s)
			if b.Len() > MaxStringBytes {
				return nil, stringLimit(b.Len())
			}
		case c == '}':
			return nil, fmt.Errorf("format string %q: unmatched '}'", fs)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func formatItem(item string, vals []any) (string, error) {
	spec := ""
	if k := strings.IndexByte(item, ':'); k >= 0 {
		item, spec = item[:k], item[k+1:]
	}
	align := 0
	if k := strings.IndexByte(item, ','); k >= 0 {
		a, err := strconv.Atoi(strings.TrimSpace(item[k+1:]))
		if err != nil {
			return "", fmt.Errorf("bad alignment %q", item[k+1:])
		}
		item, align = item[:k], a
		if abs(align) > maxLen {
			return "", fmt.Errorf("alignment %d exceeds %d", align, maxLen)
		}
	}
	idx, err := strconv.Atoi(strings.TrimSpace(item))
	if err != nil || idx < 0 {
		return "", fmt.Errorf("bad placeholder {%s}", item)
	}
	if idx >= len(vals) {
		return "", fmt.Errorf("placeholder {%d} has no argument", idx)
	}
	s, err := formatValue(vals[idx], spec)
	if err != nil {
		return "", err
	}
	if pad := abs(align) - len([]rune(s)); pad > 0 {
		if align > 0 {
			s = strings.Repeat(" ", pad) + s
		} else {
			s += strings.Repeat(" ", pad)
		}
	}
	return s, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func formatValue(v any, spec string) (string, error) {
	f, isNum := v.(float64)
	if spec == "" || !isNum {
		return toText(v), nil
	}
	kind := spec[0]
	prec := -1
	if len(spec) > 1 {
		if p, err := strconv.Atoi(spec[1:]); err == nil {
			prec = p
		}
	}
	if prec > 99 || len(spec) > 100 {
		return "", errors.New("format precision exceeds 99")
	}
	switch {
	case kind == 'D' || kind == 'd':
		s := strconv.FormatInt(int64(math.Abs(f)), 10)
		if prec > len(s) {
			s = strings.Repeat("0", prec-len(s)) + s
		}
		if f < 0 {
			s = "-" + s
		}
		return s, nil
	case kind == 'N' || kind == 'n':
		if prec < 0 {
			prec = 2
		}
		return groupThousands(strconv.FormatFloat(f, 'f', prec, 64)), nil
	case kind == 'F' || kind == 'f':
		if prec < 0 {
			prec = 2
		}
		return strconv.FormatFloat(f, 'f', prec, 64), nil
	case kind == 'P' || kind == 'p':
		if prec < 0 {
			prec = 2
		}
		return groupThousands(strconv.FormatFloat(f*100, 'f', prec, 64)) + " %", nil
	case kind == 'X' || kind == 'x':
		s := strconv.FormatInt(int64(f), 16)
		if kind == 'X' {
			s = strings.ToUpper(s)
		}
		if prec > len(s) {
			s = strings.Repeat("0", prec-len(s)) + s
		}
		return s, nil
	case strings.Trim(spec, "0#") == "":
		s := formatNumber(math.Round(f))
		if n := strings.Count(spec, "0"); n > len(s) {
			s = strings.Repeat("0", n-len(s)) + s
		}
		return s, nil
	}
	return "", errors.New("unsupported format specifier " + strconv.Quote(spec))
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
