#!/bin/sh
# lint.sh: what CI checks besides the tests. go.mod and go.sum tidy, gofmt,
# go vet and staticcheck (pinned as a tool in go.mod: `go tool staticcheck`).
set -eu
cd "$(dirname "$0")/.."
go=${GO:-go}
$go mod tidy -diff
# third_party/ (patched upstream code, its own module) is gofmt'd too.
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt needed:" >&2
	echo "$unformatted" >&2
	exit 1
fi
$go vet ./...
$go tool staticcheck ./...
echo "lint: tidy, gofmt, vet, staticcheck clean"
