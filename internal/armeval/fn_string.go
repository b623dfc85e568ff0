package armeval

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

func init() {
	for name, fn := range map[string]function{
		"concat":               {min: 1, max: -1, call: fnConcat},
		"format":               {min: 1, max: -1, call: fnFormat},
		"uniquestring":         {min: 1, max: -1, call: fnUniqueString},
		"guid":                 {min: 1, max: -1, call: fnGuid},
		"tolower":              {min: 1, max: 1, call: strFn(strings.ToLower)},
		"toupper":              {min: 1, max: 1, call: strFn(strings.ToUpper)},
		"trim":                 {min: 1, max: 1, call: strFn(strings.TrimSpace)},
		"replace":              {min: 3, max: 3, call: fnReplace},
		"substring":            {min: 2, max: 3, call: fnSubstring},
		"split":                {min: 2, max: 2, call: fnSplit},
		"join":                 {min: 2, max: 2, call: fnJoin},
		"startswith":           {min: 2, max: 2, call: fnStartsWith},
		"endswith":             {min: 2, max: 2, call: fnEndsWith},
		"padleft":              {min: 2, max: 3, call: fnPadLeft},
		"base64":               {min: 1, max: 1, call: strFn(func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) })},
		"base64tostring":       {min: 1, max: 1, call: fnBase64ToString},
		"base64tojson":         {min: 1, max: 1, call: fnBase64ToJSON},
		"datauri":              {min: 1, max: 1, call: fnDataURI},
		"datauritostring":      {min: 1, max: 1, call: fnDataURIToString},
		"uri":                  {min: 2, max: 2, call: fnURI},
		"uricomponent":         {min: 1, max: 1, call: strFn(uriComponent)},
		"uricomponenttostring": {min: 1, max: 1, call: fnURIComponentToString},
		"string":               {min: 1, max: 1, call: func(_ *frame, a []any) (any, error) { return toText(a[0]), nil }},
	} {
		functions[name] = fn
	}
}

// maxLen bounds lengths that functions pad to, so that a template cannot
// make evaluation allocate without limit.
const maxLen = 1 << 20

func argString(args []any, i int, what string) (string, error) {
	s, ok := args[i].(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string, not %s", what, typeName(args[i]))
	}
	return s, nil
}

func argInt(args []any, i int, what string) (int, error) {
	n, ok := toInt(args[i])
	if !ok {
		return 0, fmt.Errorf("%s must be an integer, not %s", what, typeName(args[i]))
	}
	return n, nil
}

func strFn(g func(string) string) func(*frame, []any) (any, error) {
	return func(_ *frame, args []any) (any, error) {
		s, err := argString(args, 0, "argument")
		if err != nil {
			return nil, err
		}
		return g(s), nil
	}
}

// fnConcat concatenates arrays when every argument is an array (or null),
// strings otherwise.
func fnConcat(_ *frame, args []any) (any, error) {
	allArrays := true
	for _, a := range args {
		if _, ok := a.([]any); !ok && a != nil {
			allArrays = false
		}
	}
	if allArrays {
		n := 0
		for _, a := range args {
			arr, _ := a.([]any)
			n += len(arr)
		}
		if n > MaxArrayLen {
			return nil, arrayLimit(n)
		}
		out := make([]any, 0, n)
		for _, a := range args {
			if arr, ok := a.([]any); ok {
				out = append(out, arr...)
			}
		}
		return out, nil
	}
	var b strings.Builder
	for _, a := range args {
		if _, ok := a.([]any); ok {
			return nil, errors.New("cannot mix arrays and strings")
		}
		b.WriteString(toText(a))
		if b.Len() > MaxStringBytes {
			return nil, stringLimit(b.Len())
		}
	}
	return b.String(), nil
}

func stringArgs(args []any) ([]string, error) {
	out := make([]string, len(args))
	for i, a := range args {
		s, ok := a.(string)
		if !ok {
			return nil, fmt.Errorf("argument %d must be a string, not %s", i+1, typeName(a))
		}
		out[i] = s
	}
	return out, nil
}

func fnUniqueString(_ *frame, args []any) (any, error) {
	s, err := stringArgs(args)
	if err != nil {
		return nil, err
	}
	return uniqueString(s...), nil
}

func fnGuid(_ *frame, args []any) (any, error) {
	s, err := stringArgs(args)
	if err != nil {
		return nil, err
	}
	return guid(s...), nil
}

func fnReplace(_ *frame, args []any) (any, error) {
	s, err := stringArgs(args)
	if err != nil {
		return nil, err
	}
	if s[1] == "" {
		return nil, errors.New("old string must not be empty")
	}
	if n := len(s[0]) + strings.Count(s[0], s[1])*(len(s[2])-len(s[1])); n > MaxStringBytes {
		return nil, stringLimit(n)
	}
	return strings.ReplaceAll(s[0], s[1], s[2]), nil
}

// fnSubstring counts in characters (runes); ARM counts UTF-16 code units,
// which only differs outside the Basic Multilingual Plane.
func fnSubstring(_ *frame, args []any) (any, error) {
	s, err := argString(args, 0, "string")
	if err != nil {
		return nil, err
	}
	r := []rune(s)
	start, err := argInt(args, 1, "start index")
	if err != nil {
		return nil, err
	}
	if start < 0 || start > len(r) {
		return nil, fmt.Errorf("start index %d out of range for length %d", start, len(r))
	}
	n := len(r) - start
	if len(args) == 3 {
		if n, err = argInt(args, 2, "length"); err != nil {
			return nil, err
		}
		if n < 0 || start+n > len(r) {
			return nil, fmt.Errorf("length %d from %d out of range for length %d", n, start, len(r))
		}
	}
	return string(r[start : start+n]), nil
}

func fnSplit(_ *frame, args []any) (any, error) {
	s, err := argString(args, 0, "string")
	if err != nil {
		return nil, err
	}
	var seps []string
	switch d := args[1].(type) {
	case string:
		seps = []string{d}
	case []any:
		if seps, err = stringArgs(d); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("delimiter must be a string or array, not %s", typeName(d))
	}
	var out []any
	for {
		at, w := -1, 0
		for _, sep := range seps {
			if sep == "" {
				continue
			}
			if i := strings.Index(s, sep); i >= 0 && (at < 0 || i < at) {
				at, w = i, len(sep)
			}
		}
		if at < 0 {
			return append(out, s), nil
		}
		out = append(out, s[:at])
		s = s[at+w:]
	}
}

func fnJoin(_ *frame, args []any) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, fmt.Errorf("first argument must be an array, not %s", typeName(args[0]))
	}
	sep, err := argString(args, 1, "delimiter")
	if err != nil {
		return nil, err
	}
	parts := make([]string, len(arr))
	total := 0
	for i, e := range arr {
		switch e.(type) {
		case []any, map[string]any:
			return nil, fmt.Errorf("element %d is %s, not a string", i, typeName(e))
		}
		parts[i] = toText(e)
		if total += len(parts[i]) + len(sep); total > MaxStringBytes {
			return nil, stringLimit(total)
		}
	}
	return strings.Join(parts, sep), nil
}

// fnStartsWith and fnEndsWith compare case-insensitively, as ARM does.
func fnStartsWith(_ *frame, args []any) (any, error) {
	s, err := stringArgs(args)
	if err != nil {
		return nil, err
	}
	return strings.HasPrefix(strings.ToLower(s[0]), strings.ToLower(s[1])), nil
}

func fnEndsWith(_ *frame, args []any) (any, error) {
	s, err := stringArgs(args)
	if err != nil {
		return nil, err
	}
	return strings.HasSuffix(strings.ToLower(s[0]), strings.ToLower(s[1])), nil
}

func fnPadLeft(_ *frame, args []any) (any, error) {
	var s string
	switch v := args[0].(type) {
	case string:
		s = v
	case float64:
		s = formatNumber(v)
	default:
		return nil, fmt.Errorf("value must be a string or integer, not %s", typeName(v))
	}
	n, err := argInt(args, 1, "total length")
	if err != nil {
		return nil, err
	}
	pad := " "
	if len(args) == 3 {
		if pad, err = argString(args, 2, "padding character"); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(pad) != 1 {
			return nil, fmt.Errorf("padding must be one character, not %q", pad)
		}
	}
	if n > maxLen {
		return nil, fmt.Errorf("total length %d exceeds %d", n, maxLen)
	}
	if k := n - utf8.RuneCountInString(s); k > 0 {
		s = strings.Repeat(pad, k) + s
	}
	return s, nil
}

func fnBase64ToString(_ *frame, args []any) (any, error) {
	s, err := argString(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("decode base64: %w", err)
	}
	return string(b), nil
}

func fnBase64ToJSON(f *frame, args []any) (any, error) {
	s, err := fnBase64ToString(f, args)
	if err != nil {
		return nil, err
	}
	return fnJSON(f, []any{s})
}

func fnDataURI(_ *frame, args []any) (any, error) {
	s, err := argString(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	return "data:text/plain;charset=utf8;base64," + base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func fnDataURIToString(_ *frame, args []any) (any, error) {
	s, err := argString(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	head, data, ok := strings.Cut(s, ",")
	if !ok || !strings.HasPrefix(head, "data:") {
		return nil, fmt.Errorf("%q is not a data URI", s)
	}
	if strings.HasSuffix(head, ";base64") {
		b, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			return nil, fmt.Errorf("decode data URI: %w", err)
		}
		return string(b), nil
	}
	u, err := url.PathUnescape(data)
	if err != nil {
		return nil, fmt.Errorf("decode data URI: %w", err)
	}
	return u, nil
}

func fnURI(_ *frame, args []any) (any, error) {
	s, err := stringArgs(args)
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(s[0])
	if err != nil || !base.IsAbs() {
		return nil, fmt.Errorf("base %q is not an absolute URI", s[0])
	}
	rel, err := url.Parse(s[1])
	if err != nil {
		return nil, fmt.Errorf("relative URI %q: %w", s[1], err)
	}
	return base.ResolveReference(rel).String(), nil
}

// uriComponent escapes like .NET's Uri.EscapeDataString: everything but
// RFC 3986 unreserved characters.
func uriComponent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func fnURIComponentToString(_ *frame, args []any) (any, error) {
	s, err := argString(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	u, err := url.PathUnescape(s)
	if err != nil {
		return nil, fmt.Errorf("decode URI component: %w", err)
	}
	return u, nil
}
