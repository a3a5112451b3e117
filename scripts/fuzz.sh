#!/usr/bin/env bash
# fuzz.sh - run every Go fuzz target of the project for a while.
#
#   scripts/fuzz.sh [FUZZTIME] [PACKAGE ...]
#
# FUZZTIME is per target (default 60s). With packages, only their targets run; without, every package's.
# `go test -fuzz` runs one target at a time, so this finds them (func FuzzX(f *testing.F) in *_test.go) and
# runs each in turn. Each target's seed corpus also runs in every plain `go test`. New failing inputs are
# written under the package's testdata/fuzz/ by Go: commit them with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-60s}
shift || true
if [[ $# -gt 0 ]]; then
	pkgs=("$@")
else
	mapfile -t pkgs < <(grep -rl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)' . |
		xargs -n1 dirname | sort -u)
fi
status=0
for pkg in "${pkgs[@]}"; do
	pkg=./${pkg#./}
	for target in $(grep -h -o -E '^func Fuzz[A-Za-z0-9_]+\(f \*testing\.F\)' "$pkg"/*_test.go | sed -E 's/^func (Fuzz[A-Za-z0-9_]+).*/\1/'); do
		echo "fuzz: $pkg $target for $fuzztime"
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"; then
			status=1
		fi
	done
done
exit $status
