#!/bin/sh
# stress-test.sh runs the whole suite RUNS times in a row (default 5,
# uncached) while two CPU-bound processes run beside it, as on a busy
# 2-core machine, and prints each run's wall time and result. Every run
# must pass: no test may depend on an idle machine.
set -u
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
go=${GO:-go}
$go test -count=1 -run '^$' ./... >/dev/null 2>&1 # build once, outside the timings
yes >/dev/null &
h1=$!
yes >/dev/null &
h2=$!
trap 'kill $h1 $h2 2>/dev/null' EXIT INT TERM
fail=0
i=1
while [ "$i" -le "$runs" ]; do
	start=$(date +%s)
	if $go test -count=1 ./... >/tmp/privaks-stress-$i.log 2>&1; then r=pass; else r=FAIL; fail=$((fail + 1)); fi
	end=$(date +%s)
	echo "run $i: $r in $((end - start)) s (log /tmp/privaks-stress-$i.log)"
	i=$((i + 1))
done
echo "stress-test: $((runs - fail)) passed, $fail failed, beside 2 CPU-bound processes"
[ "$fail" -eq 0 ]
