#!/usr/bin/env bash
#
# bench/preflight-cost.sh - what the preflight costs at Rapyd's default limit (issue 11).
#
# Usage: bench/preflight-cost.sh [GROUPS]     (default 100; builds nothing: run ./mvnw -q -B package -DskipTests)
#
# Makes GROUPS closed group payments in the built-in sandbox and a file refunding 1.00 from each, then runs the real
# job (target/group-refunds.jar, --sandbox, the default throttle: 3.3 requests/s less 2%, 200/min, 1000/5 min) three
# times on fresh embedded ledgers: a dry run (the preflight is always on there), a real run without the preflight and
# a real run with refunds.rapyd.preflight=true. Prints each one's wall time and the run metrics' step lines.
# Expected: the preflight costs one query per distinct group, through the same throttle as the refunds, so
# GROUPS / 3.23 s (100 groups: about 31 s), doubling the time of a file with one row per group.
set -euo pipefail
groups="${1:-100}"
here="$(cd -- "$(dirname -- "$0")/.." && pwd)"
jar="$here/target/group-refunds.jar"
work="$here/bench/work/preflight-$groups"
rm -rf -- "$work" && mkdir -p -- "$work"
[[ -f "$jar" ]] || { echo "build the jar first: ./mvnw -q -B package -DskipTests" >&2; exit 2; }
{
	echo "group_payment,currency,status,payments"
	for ((i = 1; i <= groups; i++)); do printf 'gp_%032x,USD,closed,60.00;40.00\n' "$((0x9F000000 + i))"; done
} >"$work/groups.csv"
{
	echo "request_id,group_id,amount,currency,reason"
	for ((i = 1; i <= groups; i++)); do printf 'pf-%05d,gp_%032x,1.00,USD,preflight cost\n' "$i" "$((0x9F000000 + i))"; done
} >"$work/refunds.csv"

run() {
	local name="$1"
	shift
	mkdir -p -- "$work/$name"
	local start end
	start=$(date +%s.%N)
	(cd -- "$work/$name" && java -jar "$jar" run "$work/refunds.csv" --provider rapyd --sandbox "$work/groups.csv" "$@" \
		>"$work/$name/output.txt" 2>&1) || true
	end=$(date +%s.%N)
	printf '%-22s wall %6.1f s  ' "$name" "$(echo "$end - $start" | bc)"
	grep -E "^exit |^preflight: [0-9]+ group" "$work/$name/output.txt" | tr '\n' ' '
	echo
	grep -m1 -E "steps:" "$work/$name/output.txt" | sed 's/^/    /' || true
}

echo "preflight cost, $groups groups (one row each), default throttle, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
run dry-run --dry-run
run without-preflight
run with-preflight --refunds.rapyd.preflight=true
