package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// WriteJSON writes findings as {"formatVersion":"1","findings":[...]};
// the array is never null.
func WriteJSON(w io.Writer, fs []Finding) error {
	if fs == nil {
		fs = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		FormatVersion string    `json:"formatVersion"`
		Findings      []Finding `json:"findings"`
	}{"1", fs})
}

// ANSI colours for WriteText.
const (
	red, yellow, cyan, dim, bold, reset = "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[2m", "\x1b[1m", "\x1b[0m"
)

// WriteText writes findings grouped by resource, with a summary line.
// color adds ANSI colours (for a terminal).
func WriteText(w io.Writer, fs []Finding, color bool) error {
	paint := func(c, s string) string {
		if !color {
			return s
		}
		return c + s + reset
	}
	sevColor := map[Severity]string{Error: red, Warning: yellow, Info: cyan}
	var b strings.Builder
	last := ""
	suppressed := 0
	for _, f := range fs {
		if f.Resource != last {
			if last != "" {
				b.WriteByte('\n')
			}
			b.WriteString(paint(bold, shortResource(f.Resource)) + "\n")
			last = f.Resource
		}
		sev := fmt.Sprintf("%-7s", f.Severity)
		if f.Suppressed != "" {
			suppressed++
			fmt.Fprintf(&b, "  %s %s %s %s\n", paint(dim, "off    "), f.Rule, f.Message, paint(dim, "(disabled: "+f.Suppressed+")"))
			continue
		}
		fmt.Fprintf(&b, "  %s %s %s\n", paint(sevColor[f.Severity], sev), f.Rule, f.Message)
		fmt.Fprintf(&b, "          %s\n", paint(dim, "fix: "+f.Fix))
	}
	if len(fs) > 0 {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%s, %s, %s", plural(Count(fs, Error), "error", "errors"), plural(Count(fs, Warning), "warning", "warnings"), plural(Count(fs, Info), "info", "info"))
	if suppressed > 0 {
		fmt.Fprintf(&b, " (%d suppressed)", suppressed)
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// shortResource renders a resource ID as type/name for display.
func shortResource(id string) string {
	frag := ""
	if i := strings.IndexByte(id, '#'); i >= 0 {
		id, frag = id[:i], id[i:]
	}
	p, err := arm.ParseResourceID(id)
	if err != nil || p.Namespace == "" {
		return id + frag
	}
	return p.Type() + "/" + p.Name() + frag
}
