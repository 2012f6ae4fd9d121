"""Case shared-limit (issue 12): N job processes (1, 2, 3) on one provider account and one ledger database, against
one sandbox that answers 429 beyond its rate limit; each process is configured at that limit. Measured: the aggregate
applied rate while all N have work (from the sandbox's applied timestamps) against the limit, the 429s, the busiest
second, and the shared throttle's database round trips per request (from each job's end-of-step log line).

Needs REFUNDS_BENCH_DATABASE_URL (the processes must share one database server). Kept apart from bench.py, which
registers it, so that the cases of different issues do not edit the same lines."""

import datetime
import json
import os
import re
import shutil
import subprocess
import time

LIMIT = int(os.environ.get("BENCH_SHARED_LIMIT", "20"))
ROWS_PER_PROCESS = int(os.environ.get("BENCH_SHARED_ROWS", "400"))
HEADROOM = os.environ.get("BENCH_SHARED_HEADROOM", "0.05")
SHARED_LINE = re.compile(r"shared throttle of \S+: (\d+) slots booked \((\d+) given up late\), (\d+) pauses written, "
                         r"(\d+) database round trips")


def shared_limit(bench):
    database = os.environ.get("REFUNDS_BENCH_DATABASE_URL")
    if not database:
        raise SystemExit("shared-limit needs REFUNDS_BENCH_DATABASE_URL: the processes share one database server")
    return [run(bench, database, n) for n in (1, 2, 3)]


def run(bench, database, n):
    name = f"shared-limit-{n}" + ("" if HEADROOM == "0.05" else f"-h{HEADROOM}")
    work = bench.WORK / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(f"[{name}] {n} process(es) x {ROWS_PER_PROCESS} rows, one account, sandbox limit {LIMIT}/s, "
          f"each configured at {LIMIT}/s", flush=True)
    sandbox = bench.Sandbox(work, n * ROWS_PER_PROCESS, 5, LIMIT)
    try:
        jobs, started = [], time.time()
        for p in range(n):
            folder = work / f"host{p}"  # a working folder per process: another host, as far as the job can tell
            folder.mkdir()
            data = folder / "refunds.csv"
            with open(data, "w") as out:
                out.write("request_id,group_id,amount,currency,reason\n")
                for i in range(p * ROWS_PER_PROCESS + 1, (p + 1) * ROWS_PER_PROCESS + 1):
                    out.write(f"b{bench.RUN_ID}-{name}-{i:07d},gp_{i:032x},10.00,USD,bench\n")
            command = [bench.JAVA, "-Xmx256m", *os.environ.get("BENCH_JOB_OPTS", "").split(), "-jar",
                       str(bench.JAR), "run", str(data), "--provider", "rapyd",
                       f"--refunds.rapyd.base-url={sandbox.url}", f"--refunds.rapyd.access-key={bench.ACCESS_KEY}",
                       f"--refunds.rapyd.secret-key={bench.SECRET_KEY}", f"--spring.datasource.url={database}",
                       f"--refunds.reports.directory={folder / 'reports'}", f"--refunds.log-file={folder / 'job.log'}",
                       f"--refunds.throttle.rate-per-second={LIMIT}", f"--refunds.throttle.headroom={HEADROOM}",
                       "--refunds.throttle.quotas=", "--refunds.progress.interval=10s"]
            output = open(folder / "job-output.txt", "w")
            jobs.append((subprocess.Popen(command, cwd=folder, stdout=output, stderr=subprocess.STDOUT), output))
        exits = []
        for process, output in jobs:
            exits.append(process.wait())
            output.close()
        wall = time.time() - started
        stats = sandbox.get("/sandbox/stats?window=1000")
        applied = sandbox.get("/sandbox/applied")
    finally:
        sandbox.close()
    (work / "applied.json").write_text(json.dumps(applied))
    rate, seconds = together_rate(applied, n)
    slots = trips = given_up = pauses = 0
    for p in range(n):
        for line in (work / f"host{p}" / "job-output.txt").read_text(errors="replace").splitlines():
            found = SHARED_LINE.search(line)
            if found:
                slots += int(found.group(1))
                given_up += int(found.group(2))
                pauses += int(found.group(3))
                trips += int(found.group(4))
                break
    result = {
        "run": name, "rows": n * ROWS_PER_PROCESS, "latency_ms": 5, "sandbox_limit": LIMIT,
        "settings": f"{n} process(es), each rate {LIMIT}/s headroom {HEADROOM}", "exit": max(exits), "wall_s": round(wall, 1),
        "applied": stats["applied"], "http_429": stats["too_many_requests"], "max_in_1s": stats["max_arrivals_in_window"],
        "applied_per_s": rate, "together_s": seconds,
        "ratio": round(rate / LIMIT, 3) if rate else None,
        "of_paced": round(rate / (LIMIT * (1 - float(HEADROOM))), 3) if rate else None,
        "db_round_trips_per_request": round(trips / slots, 2) if slots else None,
        "slots_given_up": given_up, "pauses_written": pauses,
    }
    print(f"[{name}] exits {exits}, {rate}/s while all {n} had work ({seconds} s) = "
          f"{result['ratio']} of {LIMIT}/s, 429s {result['http_429']}, busiest second {result['max_in_1s']}, "
          f"{result['db_round_trips_per_request']} round trips per request, {given_up} slots given up late", flush=True)
    return result


def together_rate(applied, n):
    """Applied refunds a second between the moment every process had its 10th applied and the first one's last."""
    by_process = {}
    for refund in applied:
        index = int(refund["group_payment"][3:], 16)
        by_process.setdefault((index - 1) // ROWS_PER_PROCESS, []).append(parse(refund["applied_at"]))
    if len(by_process) < n or any(len(times) < 10 for times in by_process.values()):
        return None, None
    start = max(sorted(times)[9] for times in by_process.values())
    end = min(max(times) for times in by_process.values())
    seconds = (end - start).total_seconds()
    if seconds <= 0:
        return None, None
    count = sum(1 for times in by_process.values() for t in times if start <= t < end)
    return round(count / seconds, 2), round(seconds, 1)


def parse(text):
    """An Instant as Java writes it (up to nine decimals, Z); Python before 3.11 reads at most six."""
    found = re.match(r"(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$", text)
    whole = datetime.datetime.fromisoformat(found.group(1))
    return whole + datetime.timedelta(microseconds=int(((found.group(2) or "") + "000000")[:6]))


def verdict(results):
    lines = []
    for r in results:
        if r.get("run", "").startswith("shared-limit-") and r.get("ratio") is not None:
            lines.append(f"{r['run']}: {r['applied_per_s']}/s applied while all had work = {100 * r['ratio']:.1f}% "
                         f"of the {r['sandbox_limit']}/s limit (target >= 90%"
                         + (f"; {100 * r['of_paced']:.1f}% of the paced rate" if r.get("of_paced") else "")
                         + f"), {r['http_429']} 429s (target 0), "
                         f"{r['db_round_trips_per_request']} database round trips per request: "
                         + ("PASS" if r["ratio"] >= 0.9 and r["http_429"] == 0 and r["exit"] == 0 else "FAIL"))
    return lines
