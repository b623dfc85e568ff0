#!/bin/sh
# fuzz-all.sh runs every fuzz target of the module for FUZZTIME (default
# 3000x: 3000 inputs) each, one after another: `go test -fuzz` takes one target of one
# package at a time. Targets are discovered from the test files
# (`func FuzzX(f *testing.F)`), so a new one is fuzzed in CI without editing
# this file. A crasher fails the run and is left in the package's
# testdata/fuzz/<Target>/ folder.
set -eu
cd "$(dirname "$0")/.."
# FUZZTIME is a count rather than a duration because, with a duration, Go
# 1.26's coordinator races its own -fuzztime deadline and can fail a target
# with "context deadline exceeded" and no crasher when the machine is busy
# (golang/go#75804, fixed in Go 1.27): CI failed that way on FuzzEvaluate.
t=${FUZZTIME:-3000x}
go=${GO:-go}
n=0
for dir in $(grep -l '^func Fuzz[A-Za-z0-9_]*(f \*testing.F)' $(find . -name '*_test.go' -not -path './.git/*') | xargs -n1 dirname | sort -u); do
	pkg=$dir
	targets=$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(f \*testing.F).*/\1/p' "$dir"/*_test.go | sort -u)
	for f in $targets; do
		echo "fuzz $pkg $f ($t)"
		$go test "$pkg" -run '^$' -fuzz "^$f\$" -fuzztime "$t" >/tmp/privaks-fuzz.$$ 2>&1 || {
			cat /tmp/privaks-fuzz.$$
			rm -f /tmp/privaks-fuzz.$$
			exit 1
		}
		n=$((n + 1))
	done
done
rm -f /tmp/privaks-fuzz.$$
echo "fuzz-all: $n targets, $t each, no crasher"
