package cli

import (
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether v is an *os.File attached to a terminal, as
// golang.org/x/term decides it (an ioctl on the descriptor): /dev/null, a
// pipe or a file is not one, although /dev/null is a character device.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// ansiAllowed reports whether output to a terminal may use ANSI escape
// sequences (colours, redrawn lines): not when TERM=dumb (Emacs shells,
// some CI consoles), nor, for colour, when NO_COLOR is set (no-color.org).
func ansiAllowed(getenv func(string) string) bool { return getenv("TERM") != "dumb" }

// colourFor reports whether text written to a terminal (or not) gets colour.
func colourFor(terminal bool, getenv func(string) string) bool {
	return terminal && ansiAllowed(getenv) && getenv("NO_COLOR") == ""
}
