#!/usr/bin/env bash
#
# nightly-refunds.sh - send every waiting group-refund CSV to its payment provider, one file at a time.
#
# Usage:
#   nightly-refunds.sh [ROOT]
#   nightly-refunds.sh -h|--help
#
# ROOT (argument, else $REFUNDS_HOME, else /var/lib/group-refunds) must exist and is laid out as:
#   ROOT/inbox/<provider>/*.csv   files to send; <provider> is the folder name (rapyd, issuer, ...)
#   ROOT/done/<provider>/         files the job completed (exit 0, 3, 4); a name already there gets a
#                                 UTC timestamp appended (name.20250101T021500Z.csv)
#   ROOT/failed/<provider>/       files the job refused or could not handle (exit 1, 2, 6, 7, other)
#   ROOT/logs/nightly-YYYYMMDD.log  (UTC date) one timestamped line per event, plus the job's own output
#   ROOT/nightly.lock             held (flock) while a run is going on; a second run exits 8 at once
# done/, failed/, logs/ (and inbox/) are created when missing.
# The job runs with ROOT as its working folder, whatever folder cron starts this script in (the service user's
# home): its own relative folders land under ROOT too, unless its settings say otherwise:
#   ROOT/reports/                 result and rejected-rows CSVs (refunds.reports.directory)
#   ROOT/logs/group-refunds.log   the job's full log (refunds.log-file)
#   ROOT/.group-refunds/postgres  the embedded database, when no datasource is set (trial use only)
#   ROOT/application.properties   read by the job if present (settings, never secrets)
#
# Files are taken per provider (providers in name order), in name order (byte order, LC_ALL=C).
# Only regular files whose name ends in ".csv" and does not start with "." are taken: "x.csv.part",
# "x.tmp", ".x.csv" are ignored. A file modified less than REFUNDS_MIN_AGE_SECONDS ago is skipped
# (it may still be being written) and left for the next run; a skip is not a failure.
#
# First it runs:      $GROUP_REFUNDS_CMD reconcile
#   which follows every PENDING, UNKNOWN and SENDING row of recent batches to the provider's final word (it
#   sends no refund). Its exit code is logged and counted, but does not keep the inbox from being processed:
#   0 nothing needs a person; 3 new DECLINED or DISCREPANCY rows need review; 4 rows still UNKNOWN (or
#   RETRYABLE), or PENDING past refunds.reconcile.max-age; 5 a batch has rows not sent yet, or the provider's
#   queries failed; 7 configuration error. 1, 2, 5, 7, 8 count as failures in this wrapper's exit code.
#   REFUNDS_NIGHTLY_RECONCILE=0 skips it.
#
# Per file it runs:   $GROUP_REFUNDS_CMD run FILE --provider PROVIDER
#
# Exit codes of `run`, and what this wrapper does with the file:
#   0  completed, every row succeeded or pending (reconcile follows pending)  -> done/
#   3  completed; some rows REJECTED (invalid), DECLINED by the provider, or DISCREPANCY:
#      a person must look at them, but the file is done                       -> done/ (needs review)
#   4  completed; some rows RETRYABLE or UNKNOWN: run `rerun-failed` or
#      `reconcile`, the file is done                                          -> done/ (needs review)
#   5  failed or stopped, restartable: running the same file again resumes
#      at the failed chunk                                                    -> left in inbox/ (failed)
#   6  refused (bad file, or the file was already processed): nothing sent    -> failed/
#   7  configuration error (credentials, URL): fix the configuration, then
#      move the file back to inbox/ to run it again. The provider's further
#      files are left in inbox/ untouched for this run                        -> failed/
#   8  busy: another process holds this batch/file                            -> left in inbox/ (failed)
#   9  waiting for approval: a valid total is above refunds.approval.above.<CCY>;
#      validated and recorded, nothing sent. Another database login runs
#      `approve BATCH`; the next nightly run of the file then sends it        -> left in inbox/ (waiting)
#   1  unexpected error                                                       -> failed/
#   2  usage error                                                            -> failed/
#   any other code (e.g. 126/127 command not found, 137 killed)               -> failed/
#
# Exit code of this wrapper:
#   0  every file taken was done (0, 3 or 4; the summary line says how many need review),
#      or there was nothing to do; and reconcile exited 0, 3 or 4 (or was skipped)
#   otherwise the highest-priority failing code among the files, in the order
#      7 (configuration) > 1 (unexpected) > 2 (usage) > 6 (refused) > 5 (restartable) > 8 (busy);
#      1 for any other failing code, or when a file could not be moved; reconcile's failing codes count too
#   9  nothing failed, but some files wait for approval (a second person must act; counted as
#      waiting_approval=N in the summary, not as failed)
#   8  another instance holds ROOT/nightly.lock (nothing was done)
#   2  bad arguments or settings (ROOT missing, REFUNDS_MIN_AGE_SECONDS not a number)
#
# Environment:
#   REFUNDS_HOME             root folder when no argument is given (default /var/lib/group-refunds)
#   REFUNDS_MIN_AGE_SECONDS  minimum age of a file before it is taken (default 60)
#   REFUNDS_NIGHTLY_RECONCILE  1 (default) runs `reconcile` before the inbox; 0 skips it
#   REFUNDS_NIGHTLY_STOP_AT  HH:MM in the host's time zone, or unset: the night's end. Fixed once when the
#                            wrapper starts (tomorrow if already past), passed to each run as
#                            --stop-at YYYY-MM-DDTHH:MM (the run stops sending then: exit 5, the file stays
#                            in inbox/ and the next night resumes it); files not started by then are left
#                            in inbox/ ("stop time reached") and the wrapper exits 5
#   GROUP_REFUNDS_CMD        command that runs the product; split on whitespace, no quoting (use a
#                            wrapper script for paths with spaces); it runs in ROOT, so give absolute
#                            paths. Default:
#                            java ${JAVA_OPTS:-} -jar ${GROUP_REFUNDS_JAR:-/opt/group-refunds/group-refunds.jar}
#   GROUP_REFUNDS_JAR, JAVA_OPTS  used by the default command only
#   The job's own settings (datasource, provider credentials) are read by the job from its environment;
#   load them from a file outside the repository (see crontab.example), never put them in a crontab.

set -euo pipefail

readonly DEFAULT_ROOT=/var/lib/group-refunds
readonly DEFAULT_JAR=/opt/group-refunds/group-refunds.jar

usage() {
	sed -n '3,/^$/{s/^# \{0,1\}//;p}' "$0"
}

meaning() {
	case "$1" in
		0) echo "completed, every row succeeded or pending" ;;
		3) echo "completed; some rows REJECTED, DECLINED or DISCREPANCY, need review" ;;
		4) echo "completed; some rows RETRYABLE or UNKNOWN, need rerun-failed/reconcile" ;;
		5) echo "failed or stopped, restartable: next run resumes at the failed chunk" ;;
		6) echo "refused (bad file or already processed): nothing was sent" ;;
		7) echo "configuration error: fix the configuration, then run the file again" ;;
		8) echo "busy: another process holds this batch/file" ;;
		9) echo "waiting for approval: nothing sent; another database login runs approve BATCH" ;;
		1) echo "unexpected error" ;;
		2) echo "usage error" ;;
		*) echo "unknown exit code" ;;
	esac
}

# Priority of a failing code for the wrapper's own exit code; higher wins.
priority() {
	case "$1" in
		7) echo 6 ;;
		1) echo 5 ;;
		2) echo 4 ;;
		6) echo 3 ;;
		5) echo 2 ;;
		8) echo 1 ;;
		*) echo 5 ;; # reported as 1
	esac
}

worst=0
worst_priority=0
note_failure() {
	local code="$1" p
	case "$code" in
		1 | 2 | 5 | 6 | 7 | 8) ;;
		*) code=1 ;;
	esac
	p="$(priority "$code")"
	if ((p > worst_priority)); then
		worst="$code"
		worst_priority="$p"
	fi
}

log_file=""
log() {
	local line
	line="$(date -u +%Y-%m-%dT%H:%M:%SZ) nightly[$$] $*"
	if [[ -n "$log_file" ]]; then
		printf '%s\n' "$line" >>"$log_file"
	fi
	printf '%s\n' "$line"
}

# Moves file $1 into folder $2, never overwriting; prints the destination.
move_into() {
	local file="$1" dir="$2" name dest stamp n=1
	name="$(basename -- "$file")"
	dest="$dir/$name"
	if [[ -e "$dest" ]]; then
		stamp="$(date -u +%Y%m%dT%H%M%SZ)"
		dest="$dir/${name%.csv}.$stamp.csv"
		while [[ -e "$dest" ]]; do
			dest="$dir/${name%.csv}.$stamp-$n.csv"
			n=$((n + 1))
		done
	fi
	mv -- "$file" "$dest" || return 1
	printf '%s\n' "$dest"
}

# ---- arguments and settings -------------------------------------------------------------------

case "${1:-}" in
	-h | --help)
		usage
		exit 0
		;;
	-*)
		echo "nightly-refunds.sh: unknown option: $1" >&2
		usage >&2
		exit 2
		;;
	*) ;;
esac
if (($# > 1)); then
	echo "nightly-refunds.sh: at most one argument (ROOT) expected" >&2
	exit 2
fi

root="${1:-${REFUNDS_HOME:-$DEFAULT_ROOT}}"
min_age="${REFUNDS_MIN_AGE_SECONDS:-60}"
reconcile_first="${REFUNDS_NIGHTLY_RECONCILE:-1}"

if [[ ! "$min_age" =~ ^[0-9]+$ ]]; then
	echo "nightly-refunds.sh: REFUNDS_MIN_AGE_SECONDS must be a whole number of seconds, got: $min_age" >&2
	exit 2
fi
min_age=$((10#$min_age)) # "08" is not octal
if [[ "$reconcile_first" != 0 && "$reconcile_first" != 1 ]]; then
	echo "nightly-refunds.sh: REFUNDS_NIGHTLY_RECONCILE must be 0 or 1, got: $reconcile_first" >&2
	exit 2
fi
stop_at="${REFUNDS_NIGHTLY_STOP_AT:-}"
stop_epoch=""
stop_arg=()
if [[ -n "$stop_at" ]]; then
	if [[ ! "$stop_at" =~ ^([01]?[0-9]|2[0-3]):[0-5][0-9]$ ]]; then
		echo "nightly-refunds.sh: REFUNDS_NIGHTLY_STOP_AT must be a time of day HH:MM, got: $stop_at" >&2
		exit 2
	fi
	# The next time the host's clock shows it, fixed once for the night and passed with its date, so that a run
	# started a few seconds before it cannot take it for tomorrow's.
	stop_epoch="$(date -d "today $stop_at" +%s)"
	if ((stop_epoch <= $(date +%s))); then stop_epoch="$(date -d "tomorrow $stop_at" +%s)"; fi
	stop_arg=(--stop-at "$(date -d "@$stop_epoch" +%Y-%m-%dT%H:%M)")
fi
if [[ ! -d "$root" ]]; then
	echo "nightly-refunds.sh: root folder does not exist: $root" >&2
	exit 2
fi
root="$(cd -- "$root" && pwd)"

if [[ -n "${GROUP_REFUNDS_CMD:-}" ]]; then
	read -r -a cmd <<<"$GROUP_REFUNDS_CMD"
	cmd_desc="${cmd[0]:-} (GROUP_REFUNDS_CMD)"
else
	read -r -a java_opts <<<"${JAVA_OPTS:-}"
	jar="${GROUP_REFUNDS_JAR:-$DEFAULT_JAR}"
	if [[ "$jar" != /* ]]; then jar="$PWD/$jar"; fi # the job runs in ROOT
	cmd=(java ${java_opts[@]+"${java_opts[@]}"} -jar "$jar")
	cmd_desc="java -jar ${GROUP_REFUNDS_JAR:-$DEFAULT_JAR}" # JAVA_OPTS not logged: it may hold -D secrets
fi
if ((${#cmd[@]} == 0)); then
	echo "nightly-refunds.sh: GROUP_REFUNDS_CMD is blank" >&2
	exit 2
fi

mkdir -p -- "$root/logs" "$root/inbox"

# The job runs in ROOT (see the header): its reports, log and embedded database land there, not in cron's folder.
run_job() {
	(cd -- "$root" && exec "${cmd[@]}" "$@")
}
log_file="$root/logs/nightly-$(date -u +%Y%m%d).log"

# ---- one instance at a time ------------------------------------------------------------------

exec 9>>"$root/nightly.lock"
if ! flock -n 9; then
	log "refused: another nightly run holds $root/nightly.lock; exit=8 ($(meaning 8))"
	exit 8
fi

log "start: root=\"$root\" min_age=${min_age}s command=\"$cmd_desc\"${stop_arg[1]:+ stop_at=${stop_arg[1]}}"

# ---- follow-up of accepted refunds first: the provider's final word on earlier runs' PENDING rows --------

reconcile_code=-
reconcile_meaning() {
	case "$1" in
		0) echo "nothing needs a person" ;;
		3) echo "new DECLINED or DISCREPANCY rows need review" ;;
		4) echo "rows still UNKNOWN/RETRYABLE, or PENDING past max-age: need a person" ;;
		5) echo "a batch has rows not sent yet, or the provider's queries failed: see the log" ;;
		*) meaning "$1" ;;
	esac
}
if ((reconcile_first)); then
	log "reconcile: following PENDING, UNKNOWN and SENDING rows (no refund is sent)"
	reconcile_code=0
	run_job reconcile </dev/null >>"$log_file" 2>&1 9>&- || reconcile_code=$?
	log "reconcile: exit=$reconcile_code ($(reconcile_meaning "$reconcile_code"))"
	case "$reconcile_code" in
		0 | 3 | 4) ;;
		*) note_failure "$reconcile_code" ;;
	esac
fi

# ---- the files ---------------------------------------------------------------------------------

taken=0 done_count=0 review_count=0 failed_count=0 left_count=0 skipped_count=0 waiting_count=0

while IFS= read -r -d '' provider_dir; do
	provider="$(basename -- "$provider_dir")"
	config_failed=0
	while IFS= read -r -d '' file; do
		[[ -f "$file" ]] || continue # moved away meanwhile
		name="$(basename -- "$file")"
		if ((config_failed)); then
			log "left: file=\"$name\" provider=$provider not run: configuration error earlier in this run (exit=7)"
			left_count=$((left_count + 1))
			continue
		fi

		mtime="$(stat -c %Y -- "$file" 2>/dev/null)" || continue # moved away meanwhile
		age=$(($(date +%s) - mtime))
		if ((age < min_age)); then
			log "skipped: file=\"$name\" provider=$provider modified ${age}s ago (< ${min_age}s), may still be being written"
			skipped_count=$((skipped_count + 1))
			continue
		fi

		if [[ -n "$stop_epoch" ]] && (($(date +%s) >= stop_epoch)); then
			log "left: file=\"$name\" provider=$provider not run: stop time $stop_at reached; the next run takes it"
			left_count=$((left_count + 1))
			note_failure 5
			continue
		fi

		taken=$((taken + 1))
		log "run: file=\"$name\" provider=$provider"
		code=0
		run_job run "$file" --provider "$provider" ${stop_arg[@]+"${stop_arg[@]}"} </dev/null >>"$log_file" 2>&1 9>&- \
			|| code=$?
		what="$(meaning "$code")"

		case "$code" in
			0 | 3 | 4)
				mkdir -p -- "$root/done/$provider"
				if dest="$(move_into "$file" "$root/done/$provider")"; then
					log "done: file=\"$name\" provider=$provider exit=$code ($what) -> ${dest#"$root"/}"
					done_count=$((done_count + 1))
					if ((code != 0)); then review_count=$((review_count + 1)); fi
				else
					log "error: file=\"$name\" provider=$provider exit=$code ($what) but could not be moved to done/$provider"
					failed_count=$((failed_count + 1))
					note_failure 1
				fi
				;;
			9)
				log "waiting: file=\"$name\" provider=$provider exit=$code ($what) -> stays in inbox/$provider"
				waiting_count=$((waiting_count + 1))
				;;
			5 | 8)
				log "left: file=\"$name\" provider=$provider exit=$code ($what) -> stays in inbox/$provider"
				left_count=$((left_count + 1))
				note_failure "$code"
				;;
			*)
				mkdir -p -- "$root/failed/$provider"
				if dest="$(move_into "$file" "$root/failed/$provider")"; then
					log "failed: file=\"$name\" provider=$provider exit=$code ($what) -> ${dest#"$root"/}"
				else
					log "error: file=\"$name\" provider=$provider exit=$code ($what) and could not be moved to failed/$provider"
				fi
				failed_count=$((failed_count + 1))
				note_failure "$code"
				if ((code == 7)); then config_failed=1; fi
				;;
		esac
	done < <(find "$provider_dir" -mindepth 1 -maxdepth 1 -type f -name '*.csv' ! -name '.*' -print0 | LC_ALL=C sort -z)
done < <(find "$root/inbox" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -print0 | LC_ALL=C sort -z)

if ((worst == 0 && waiting_count > 0)); then worst=9; fi # nothing failed, but a second person must act
log "summary: taken=$taken done=$done_count need_review=$review_count failed=$failed_count left_in_inbox=$left_count skipped_too_new=$skipped_count exit=$worst reconcile_exit=$reconcile_code waiting_approval=$waiting_count"
exit "$worst"
