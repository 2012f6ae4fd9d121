#!/usr/bin/env bash
#
# bench/run.sh - the group-refunds benchmark: the real job (the jar) against the sandbox (the jar's `sandbox`
# command, another process), on an embedded PostgreSQL per run, measured from outside.
#
# Usage:
#   bench/run.sh [CASE...]        cases: precision overhead scale naive versus-bare versus-copy attempt-cost
#                                 (default: all but attempt-cost)
#   bench/run.sh --no-build ...   use target/group-refunds.jar as it is
#
# Cases (see BENCHMARKS.md for what each one shows):
#   precision  10,000 rows, sandbox latency 50 ms and limit 200 req/s, throttle 200 req/s:
#              achieved rate (from the sandbox's applied timestamps) and 429s
#   overhead   100,000 rows, no latency, no throttle: rows/s end to end, with a JFR CPU profile
#   scale      1,000,000 rows with -Xmx256m, and the same with 10,000 rows: completes? peak memory ratio
#   naive      2,000 rows at 50 ms latency: one request in flight vs the default pipeline (same throttle),
#              and an unthrottled burst into the sandbox's limit
#   versus-bare  50,000 rows, no latency, unthrottled: the job's wall time (start-up included) against a bare
#              client (bench/java/BareClient.java: sign + POST, 16 in flight, no ledger) on a sandbox of its own
#   versus-copy  the same job run's ingest step against COPY of the same file into the same PostgreSQL server,
#              and the ledger table's own write cost; needs REFUNDS_BENCH_DATABASE_URL
#              (both cases share one job run when asked for together)
#   attempt-cost  40,000 rows (BENCH_ATTEMPT_ROWS), no latency, unthrottled: the submit step's rows/s with this
#              tree's jar and with the same tree with the attempt log taken out (bench.py without_attempt_log: no
#              attempt rows, no answers, no recount; built by the script from `git archive` of the tree into
#              bench/work/), in BENCH_ATTEMPT_PAIRS (4) interleaved pairs A B; the ratio of the means and of each
#              pair, and the share of the submit step this jar spent writing attempt rows (its `attempt log:` line).
#              BENCH_BASELINE_REF=<commit> takes that commit as it is for the baseline instead (e.g. 920bf51, the
#              commit before the attempt log, which also lacks everything landed since)
#   shared-limit  1, 2 and 3 job processes on one account and one database (needs REFUNDS_BENCH_DATABASE_URL)
#              against one sandbox limit of 20/s (BENCH_SHARED_LIMIT), 400 rows each (BENCH_SHARED_ROWS): aggregate
#              applied rate while all have work, 429s, database round trips per request; headroom 0.05
#              (BENCH_SHARED_HEADROOM); not in the default list
#
# Writes bench/results/<date>-<case>.md and .csv, and the results table of BENCHMARKS.md (between its markers),
# with the machine noted. Work files (CSVs, logs, databases, JFR) go to bench/work/, which is not committed.
#
# Environment:
#   REFUNDS_BENCH_DATABASE_URL  a JDBC URL of a PostgreSQL server to use instead of the embedded one; every run
#                               creates a batch of its own (request ids are unique per run), nothing is dropped
#   BENCH_JAVA                  the java to run (default: java on PATH)
#   BENCH_JOB_OPTS              extra JVM options for the job (the job always gets -Xmx256m)
#   BENCH_SANDBOX_OPTS          extra JVM options for the sandbox (e.g. a JFR recording of it)
#   BENCH_COMPARISON_ROWS       rows of the versus-* cases (default 50000)
#   BENCH_PROFILE               set (to anything): the versus-* cases' job run records a JFR CPU profile too
#                               (bench/work/versus-job/profile.md; it costs the job some speed)
#   BENCH_JAR                   the jar to measure (default target/group-refunds.jar; with --no-build)
#   BENCH_SANDBOX_JAR           the jar whose `sandbox` plays the provider (default: BENCH_JAR); a cross test of an
#                               old job against a new sandbox tells which side a change of figures comes from
#   BENCH_ATTEMPT_ROWS, BENCH_ATTEMPT_PAIRS, BENCH_BASELINE_REF  the attempt-cost case's rows (40000), pairs (4)
#                               and baseline commit (default: this tree without the attempt log)
#
# Needs: a JDK 17 (java, javac, jfr), python3, and /usr/bin/time (GNU time; `apt-get install time`) for the peak RSS
# of the whole process tree as seen from outside; the job also reports its own JVM peak RSS (VmHWM).
# Takes about 15 minutes on 2 cores; nothing else should run meanwhile (the figures are CPU-bound).

set -euo pipefail

cd "$(dirname "$0")/.."

build=1
cases=()
for arg in "$@"; do
	case "$arg" in
		--no-build) build=0 ;;
		-h|--help) sed -n '3,/^$/{s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
		*) cases+=("$arg") ;;
	esac
done

if [[ $build -eq 1 ]]; then
	echo "building the jar (tests skipped: the benchmark is not a test)"
	./mvnw -o -q -DskipTests package || ./mvnw -q -DskipTests package
fi

exec python3 bench/bench.py "${cases[@]}"
