#!/usr/bin/env python3
"""The group-refunds benchmark (run it through bench/run.sh, which builds the jar first).

Each run starts the sandbox (the jar's `sandbox` command) in a process of its own, writes a refund CSV, runs the
job (the jar's `run` command) under /usr/bin/time against it on a fresh embedded PostgreSQL, and reads back:
the job's exit code, wall time, step times and own peak RSS (from its end-of-run summary), the peak RSS of its
process tree (GNU time), and the sandbox's view (`GET /sandbox/stats`: arrival and applied rates, the busiest
second, 429s). Standard library only.
"""

import csv
import datetime
import json
import os
import platform
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = Path(os.environ.get("BENCH_JAR", ROOT / "target" / "group-refunds.jar")).resolve()
# The sandbox's jar: the job's own unless BENCH_SANDBOX_JAR names another (a cross test: which side changed?).
SANDBOX_JAR = Path(os.environ.get("BENCH_SANDBOX_JAR", JAR)).resolve()
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
BENCHMARKS = ROOT / "BENCHMARKS.md"
JAVA = os.environ.get("BENCH_JAVA", "java")
ACCESS_KEY = "rak_SANDBOX_ACCESS_KEY"
SECRET_KEY = "rsk_SANDBOX_SECRET_KEY"  # the sandbox's published test key, not a secret
STAMP = datetime.datetime.now().strftime("%Y-%m-%d")
RUN_ID = str(int(time.time()))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_csv(path, rows, prefix):
    """One refund of 10.00 USD per generated group payment gp_00..01, gp_00..02, ... (the sandbox's --generate-groups)."""
    with open(path, "w") as out:
        out.write("request_id,group_id,amount,currency,reason\n")
        for i in range(1, rows + 1):
            out.write(f"{prefix}-{i:07d},gp_{i:032x},10.00,USD,bench\n")


class Sandbox:
    def __init__(self, work, groups, latency_ms=0, rate_limit=0):
        self.port = free_port()
        self.log = open(work / "sandbox.log", "w")
        # The sandbox is the provider, not what is measured: C1 only, so that its JIT does not take the job's CPU.
        command = [JAVA, "-Xmx3g", "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC",
                   *os.environ.get("BENCH_SANDBOX_OPTS", "").split(), "-jar", str(SANDBOX_JAR), "sandbox", "--port", str(self.port),
                   "--generate-groups", str(groups), "--latency-ms", str(latency_ms),
                   "--rate-limit", str(rate_limit), "--log-level", "WARN", "--threads", "128"]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                self.get("/sandbox/health")
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the sandbox exited; see {work / 'sandbox.log'}")
                time.sleep(0.2)
        raise RuntimeError("the sandbox did not come up within 120 s")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=60) as response:
            return json.loads(response.read())

    def cpu_seconds(self):
        """User + system CPU of the sandbox process so far (Linux)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def run_job(name, rows, settings, latency_ms=0, rate_limit=0, jvm=(), profile=False, jar=None):
    """One run of the job against a fresh sandbox and database; returns its measurements.
    jar: the job's jar (default: this tree's); the sandbox is always this tree's."""
    work = WORK / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = work / "refunds.csv"
    write_csv(data, rows, f"b{RUN_ID}-{name}")
    print(f"[{name}] {rows:,} rows, sandbox latency {latency_ms} ms, limit {rate_limit or 'none'}/s, "
          f"settings {' '.join(settings) or '(defaults)'}", flush=True)
    sandbox = Sandbox(work, rows, latency_ms, rate_limit)
    try:
        jfr = work / "job.jfr"
        java = [JAVA, "-Xmx256m", *jvm, *os.environ.get("BENCH_JOB_OPTS", "").split()]
        if profile:
            java.append(f"-XX:StartFlightRecording=filename={jfr},settings=profile,dumponexit=true")
        database = os.environ.get("REFUNDS_BENCH_DATABASE_URL")
        command = [*java, "-jar", str(jar or JAR), "run", str(data), "--provider", "rapyd",
                   f"--refunds.rapyd.base-url={sandbox.url}", f"--refunds.rapyd.access-key={ACCESS_KEY}",
                   f"--refunds.rapyd.secret-key={SECRET_KEY}",
                   f"--refunds.reports.directory={work / 'reports'}", f"--refunds.log-file={work / 'job.log'}",
                   "--refunds.progress.interval=10s",
                   (f"--spring.datasource.url={database}" if database
                    else f"--refunds.embedded-db.directory={work / 'postgres'}"),
                   *settings]
        timed = ["/usr/bin/time", "-v", "-o", str(work / "time.txt")] if Path("/usr/bin/time").exists() else []
        started = time.time()
        database_here = database and re.match(r"jdbc:postgresql://(127\.0\.0\.1|localhost)[:/]", database)
        postgres = PostgresCpu(None if database_here else work / "postgres")
        with open(work / "job-output.txt", "w") as output:
            exit_code = subprocess.call(timed + command, cwd=work, stdout=output, stderr=subprocess.STDOUT)
        wall = time.time() - started
        postgres.stop()
        stats = sandbox.get("/sandbox/stats?window=1000")
        if rows <= 20_000:
            # Every arrival, for a look at the busiest windows (microseconds from the first).
            (work / "arrivals.json").write_text(json.dumps(sandbox.get("/sandbox/arrivals")))
        sandbox_cpu = sandbox.cpu_seconds()
    finally:
        sandbox.close()
    printed = (work / "job-output.txt").read_text(errors="replace")
    result = {
        "run": name, "rows": rows, "latency_ms": latency_ms, "sandbox_limit": rate_limit, "_data": str(data),
        "settings": " ".join(settings), "exit": exit_code, "wall_s": round(wall, 1),
        "applied": stats["applied"], "requests": stats["requests"], "http_429": stats["too_many_requests"],
        "max_in_1s": stats["max_arrivals_in_window"], "arrivals_per_s": round(stats["arrivals_per_second"], 1),
        "applied_per_s": round(stats["applied_per_second"], 1), "sandbox_cpu_s": sandbox_cpu,
        "postgres_cpu_s": postgres.seconds() if not database or database_here else None,
    }
    result.update(step_times(printed))
    result.update(memory(printed, work / "time.txt"))
    attempt_log = re.search(r"attempt log: (\d+) writes, ([0-9.]+) s", printed)
    if attempt_log:
        result["attempt_writes"] = int(attempt_log.group(1))
        result["attempt_write_s"] = float(attempt_log.group(2))
    if result.get("steps_s"):
        result["rows_per_s_steps"] = round(rows / result["steps_s"], 0)
    result["rows_per_s_wall"] = round(rows / wall, 0)
    if profile and jfr.exists():
        result["profile"] = summarize_jfr(jfr, work)
    print(f"[{name}] exit {exit_code}, wall {wall:.1f} s, " + ", ".join(
        f"{k} {v}" for k, v in result.items() if k in (
            "steps_s", "submit_s", "rows_per_s_steps", "applied_per_s", "http_429", "max_in_1s",
            "jvm_peak_rss_mb", "tree_peak_rss_mb")), flush=True)
    if exit_code != 0:
        print(f"[{name}] the job did not complete cleanly; see {work / 'job-output.txt'}", flush=True)
    return result


class PostgresCpu:
    """Polls the CPU time of the embedded PostgreSQL's processes (their command line names the data directory) while
    the job runs; they are not the job's children once started, so GNU time does not count them."""

    def __init__(self, data_dir):
        """data_dir None: every postgres process of the machine (the PostgreSQL server of REFUNDS_BENCH_DATABASE_URL
        on this host), counted from what each had used when polling began."""
        self.data_dir = str(data_dir) if data_dir else None
        self.by_pid = {}
        self.at_start = {}
        self.first_poll = True
        self.running = True
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.thread.start()

    def poll(self):
        tick = os.sysconf("SC_CLK_TCK")
        while self.running:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    pid = stat.parent.name
                    text = stat.read_text()
                    if "postgres" not in text.split(")")[0]:
                        continue
                    # Backends and workers are children of the postmaster, whose command line names the directory.
                    cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    parent = text.rsplit(")", 1)[1].split()[1]
                    parent_cmdline = Path(f"/proc/{parent}/cmdline").read_bytes().replace(b"\0", b" ").decode(
                        errors="replace") if parent != "0" else ""
                    if self.data_dir is None or self.data_dir in cmdline or self.data_dir in parent_cmdline:
                        fields = text.rsplit(")", 1)[1].split()
                        used = (int(fields[11]) + int(fields[12])) / tick
                        if self.first_poll and self.data_dir is None:
                            self.at_start[pid] = used
                        self.by_pid[pid] = used - self.at_start.get(pid, 0)
                except (OSError, IndexError, ValueError):
                    continue
            self.first_poll = False
            time.sleep(0.5)

    def stop(self):
        self.running = False
        self.thread.join(5)

    def seconds(self):
        return round(sum(self.by_pid.values()), 1) if self.by_pid else None


def step_times(printed):
    """From the end-of-run summary: `steps: ingestStep 3.2 s (100000 rows, ...), submitStep 21.4 s ...`."""
    times = {}
    line = next((l for l in printed.splitlines() if l.strip().startswith("steps:")), "")
    for step, seconds in re.findall(r"(\w+)Step ([0-9.]+) s", line):
        times[f"{step}_s"] = float(seconds)
    if times:
        times["steps_s"] = round(sum(times.values()), 1)
    return times


def memory(printed, time_file):
    found = {}
    match = re.search(r"peak RSS (\d+) MB \(VmHWM\), heap peak (\d+) MB of (\d+) MB max"
                      r"(?:, old generation after last GC (\d+) MB)?", printed)
    if match:
        found["jvm_peak_rss_mb"] = int(match.group(1))
        found["heap_peak_mb"] = int(match.group(2))
        if match.group(4):
            found["old_gen_after_gc_mb"] = int(match.group(4))
    if time_file.exists():
        text = time_file.read_text()
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        user = re.search(r"User time \(seconds\): ([0-9.]+)", text)
        system = re.search(r"System time \(seconds\): ([0-9.]+)", text)
        if rss:
            found["tree_peak_rss_mb"] = int(rss.group(1)) // 1024
        if user and system:
            found["job_cpu_s"] = round(float(user.group(1)) + float(system.group(1)), 1)
    return found


def summarize_jfr(jfr, work):
    """CPU samples of the job: where its threads ran, by top frame and by area of the code."""
    printed = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", str(jfr)],
                             capture_output=True, text=True).stdout
    samples = []
    for block in printed.split("jdk.ExecutionSample")[1:]:
        stack = block.split("stackTrace = [", 1)[-1]
        frames = re.findall(r"^\s+([\w$.<>/]+)\(", stack, re.M)
        if frames:
            samples.append(frames)
    total = len(samples)
    cpu = thread_cpu(jfr)
    top = {}
    for frames in samples:
        top[frames[0]] = top.get(frames[0], 0) + 1
    areas = [
        ("CSV read + validation (ingest)", ("io.grouprefunds.ingest",)),
        ("ledger SQL (JDBC, PostgreSQL driver)", ("org.postgresql", "com.zaxxer", "org.springframework.jdbc")),
        ("Spring Batch bookkeeping", ("org.springframework.batch",)),
        ("HTTP client (Reactor Netty, WebClient)", ("reactor.netty", "io.netty", "org.springframework.web.reactive",
                                                    "org.springframework.http")),
        ("Reactor operators", ("reactor.core",)),
        ("signing (HMAC-SHA256)", ("io.grouprefunds.provider.rapyd.RapydSigner", "javax.crypto", "com.sun.crypto")),
        ("JSON (Jackson)", ("tools.jackson", "com.fasterxml")),
        ("logging", ("ch.qos.logback", "org.slf4j")),
        ("metrics (Micrometer)", ("io.micrometer",)),
    ]
    inclusive = {}
    for label, prefixes in areas:
        inclusive[label] = sum(1 for frames in samples if any(f.startswith(prefixes) for f in frames))
    lines = ["CPU of the job's threads (JFR jdk.ThreadCPULoad, sampled every 10 s, so the last seconds of each thread "
             "are missing; GC workers and other JVM-internal threads are not Java threads and are not in it):", "",
             "| threads | CPU s |", "|---|---:|"]
    for group, seconds in sorted(cpu.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {group} | {seconds:.1f} |")
    gc = subprocess.run(["jfr", "print", "--events", "jdk.GarbageCollection", str(jfr)], capture_output=True,
                        text=True).stdout
    pauses = [float(ms) for ms in re.findall(r"sumOfPauses = ([0-9.]+) ms", gc)]
    pauses += [float(s) * 1000 for s in re.findall(r"sumOfPauses = ([0-9.]+) s", gc)]
    lines += ["", f"Garbage collection: {len(pauses)} collections, {sum(pauses) / 1000:.1f} s of pauses in all."]
    lines += ["", f"{total} execution samples of Java code (JFR jdk.ExecutionSample, every 10-20 ms per running "
              "thread), by area:", "", "| area (samples with a frame there, %) | share |", "|---|---:|"]
    for label, count in sorted(inclusive.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {label} | {100 * count / max(total, 1):.0f}% |")
    lines += ["", "| top frame (self) | share |", "|---|---:|"]
    for frame, count in sorted(top.items(), key=lambda kv: -kv[1])[:15]:
        lines.append(f"| `{frame}` | {100 * count / max(total, 1):.1f}% |")
    summary = "\n".join(lines)
    (work / "profile.md").write_text(summary + "\n")
    return summary


def thread_cpu(jfr):
    """CPU seconds by group of threads, from jdk.ThreadCPULoad (percent of one CPU over each 10 s period)."""
    printed = subprocess.run(["jfr", "print", "--events", "jdk.ThreadCPULoad", str(jfr)], capture_output=True,
                             text=True).stdout
    groups = [("JIT compiler", "CompilerThread"), ("HTTP client event loops (reactor-http-epoll)", "reactor-http"),
              ("step thread (main: read, claim, commit; ingest)", "main"), ("outcome recorder", "submit-recorder"),
              ("Reactor timers (parallel)", "parallel")]
    seconds = {}
    for block in printed.split("jdk.ThreadCPULoad")[1:]:
        user = re.search(r"user = ([0-9.]+)%", block)
        system = re.search(r"system = ([0-9.]+)%", block)
        thread = re.search(r'eventThread = "(.*?)"', block)
        if not (user and system and thread):
            continue
        group = next((label for label, key in groups if key in thread.group(1)), "other Java threads")
        seconds[group] = seconds.get(group, 0) + (float(user.group(1)) + float(system.group(1))) / 100 * 10
    return seconds


# ---- the cases

def precision():
    return [run_job("precision", 10_000, ["--refunds.throttle.rate-per-second=200", "--refunds.throttle.quotas="],
                    latency_ms=50, rate_limit=200)]


def overhead():
    return [run_job("overhead", 100_000, ["--refunds.throttle.rate-per-second=0"], profile=True)]


def scale():
    # refunds.ingest.max-rows (100,000 by default) refuses a bigger file: raised for the million
    settings = ["--refunds.throttle.rate-per-second=0", "--refunds.ingest.max-rows=1000000"]
    return [run_job("scale-10k", 10_000, settings), run_job("scale-1m", 1_000_000, settings)]


def naive():
    throttle = ["--refunds.throttle.rate-per-second=200", "--refunds.throttle.quotas="]
    return [run_job("naive-1-in-flight", 2_000, throttle + ["--refunds.throttle.max-in-flight=1"],
                    latency_ms=50, rate_limit=200),
            run_job("naive-default", 2_000, throttle, latency_ms=50, rate_limit=200),
            run_job("naive-burst", 2_000, ["--refunds.throttle.rate-per-second=0",
                                           "--refunds.throttle.max-in-flight=64"], latency_ms=50, rate_limit=200)]


# ---- side by side: the job against what the machine allows (issue 13)

COMPARISON_ROWS = int(os.environ.get("BENCH_COMPARISON_ROWS", "50000"))
JAVA_CLASSES = WORK / "classes"


def java_helpers():
    """Compiles bench/java (the bare client, the COPY reference) against the PostgreSQL driver inside the jar."""
    lib = WORK / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    import zipfile
    with zipfile.ZipFile(JAR) as jar:
        driver = next(n for n in jar.namelist() if re.match(r"BOOT-INF/lib/postgresql-[0-9.]+\.jar$", n))
        (lib / "postgresql.jar").write_bytes(jar.read(driver))
    JAVA_CLASSES.mkdir(parents=True, exist_ok=True)
    javac = str(Path(JAVA).with_name("javac")) if os.path.sep in JAVA else "javac"
    subprocess.run([javac, "-d", str(JAVA_CLASSES), "-cp", str(lib / "postgresql.jar"),
                    *map(str, (ROOT / "bench" / "java").glob("*.java"))], check=True)
    return f"{JAVA_CLASSES}{os.pathsep}{lib / 'postgresql.jar'}"


def helper(classpath, *args):
    """Runs a bench/java helper; returns its `key=value` output, its wall time (JVM start included) and its CPU."""
    started = time.time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    printed = subprocess.run([JAVA, "-cp", classpath, *args], capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = dict(re.findall(r"(\w+)=(\S+)", printed))
    found["wall_s"] = time.time() - started
    found["cpu_s"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)
    return found


_comparison_job = {}


def comparison_job():
    """The job run both comparisons measure: 50,000 rows, no latency, unthrottled, 16 in flight (the default).
    Run once per invocation when both cases are asked for; returns it, and whether it is new (to be reported)."""
    fresh = "job" not in _comparison_job
    if fresh:
        _comparison_job["job"] = run_job("versus-job", COMPARISON_ROWS, ["--refunds.throttle.rate-per-second=0"],
                                         profile=bool(os.environ.get("BENCH_PROFILE")))
    return _comparison_job["job"], fresh


def versus_bare():
    """The job (wall time, JVM start and everything included) against a bare client on a sandbox of its own with
    the same settings: sign + POST, 16 in flight, no ledger, no validation."""
    classpath = java_helpers()
    work = WORK / "versus-bare"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = work / "refunds.csv"
    write_csv(data, COMPARISON_ROWS, f"b{RUN_ID}-bare")
    print(f"[versus-bare] bare client: {COMPARISON_ROWS:,} rows, 16 in flight", flush=True)
    sandbox = Sandbox(work, COMPARISON_ROWS)
    try:
        bare = helper(classpath, "BareClient", sandbox.url, ACCESS_KEY, SECRET_KEY, str(data), "16")
        stats = sandbox.get("/sandbox/stats?window=1000")
        bare_sandbox_cpu = sandbox.cpu_seconds()
    finally:
        sandbox.close()
    job, fresh = comparison_job()
    bare_rate = COMPARISON_ROWS / bare["wall_s"]
    result = {"run": "versus-bare", "rows": COMPARISON_ROWS, "settings": "bare client: 16 in flight, JDK HttpClient",
              "exit": 0 if stats["applied"] == COMPARISON_ROWS else 1, "wall_s": round(bare["wall_s"], 1),
              "rows_per_s_wall": round(bare_rate, 0), "applied_per_s": round(stats["applied_per_second"], 1),
              "bare_statuses": bare.get("statuses"), "job_rows_per_s_wall": job["rows_per_s_wall"],
              "job_wall_s": job["wall_s"], "job_exit": job["exit"],
              "ratio": round(job["rows_per_s_wall"] / bare_rate, 3),
              "job_cpu_s": bare["cpu_s"], "sandbox_cpu_s": bare_sandbox_cpu}
    # The CPU each side used, in CPU seconds (2 cores give 2 per second of wall time): the job's JVM, its sandbox and
    # the PostgreSQL server; the bare client and its sandbox. For 0.8 the job's side must fit in bare wall / 0.8.
    job_side = [job.get("job_cpu_s"), job.get("sandbox_cpu_s"), job.get("postgres_cpu_s")]
    if all(x is not None for x in job_side) and bare_sandbox_cpu is not None:
        result["cpu_account"] = {"job": job_side[0], "job_sandbox": job_side[1], "job_postgres": job_side[2],
                                 "job_total": round(sum(job_side), 1), "job_wall_s": job["wall_s"],
                                 "bare": bare["cpu_s"], "bare_sandbox": bare_sandbox_cpu,
                                 "bare_total": round(bare["cpu_s"] + bare_sandbox_cpu, 1),
                                 "bare_wall_s": round(bare["wall_s"], 1),
                                 "cpu_s_at_0_8": round(os.cpu_count() * bare["wall_s"] / 0.8, 1)}
    print(f"[versus-bare] bare {bare_rate:.0f} rows/s ({bare['wall_s']:.1f} s, {bare.get('statuses')}), job "
          f"{job['rows_per_s_wall']:.0f} rows/s ({job['wall_s']} s): ratio {result['ratio']}", flush=True)
    return ([job] if fresh else []) + [result]


def versus_copy():
    """The job's ingest step (rows over the step's time) against COPY of the same file into the same server (a
    table of the five text columns); and, for where the difference goes, the ledger's own write cost: the ingested
    rows inserted again into a scratch copy of refund_row (its indexes and constraints), without the job."""
    database = os.environ.get("REFUNDS_BENCH_DATABASE_URL")
    if not database:
        print("[versus-copy] skipped: it needs REFUNDS_BENCH_DATABASE_URL (COPY and the job on the same server)",
              flush=True)
        return []
    classpath = java_helpers()
    job, fresh = comparison_job()
    copy = helper(classpath, "CopyRate", "copy", database, job["_data"])
    floor = helper(classpath, "CopyRate", "floor", database, job["_data"])
    copy_rate = int(copy["rows"]) / float(copy["seconds"])
    floor_rate = int(floor["rows"]) / float(floor["seconds"]) if int(floor["rows"]) else None
    ingest_rate = COMPARISON_ROWS / job["ingest_s"] if job.get("ingest_s") else None
    result = {"run": "versus-copy", "rows": COMPARISON_ROWS, "settings": "COPY FROM STDIN (csv) into 5 text columns",
              "exit": 0, "wall_s": round(float(copy["seconds"]), 2), "copy_rows_per_s": round(copy_rate, 0),
              "ledger_floor_rows_per_s": round(floor_rate, 0) if floor_rate else None,
              "ingest_s": job.get("ingest_s"), "ingest_rows_per_s": round(ingest_rate, 0) if ingest_rate else None,
              "ratio": round(ingest_rate / copy_rate, 3) if ingest_rate else None,
              "floor_ratio": round(floor_rate / copy_rate, 3) if floor_rate else None}
    print(f"[versus-copy] COPY {copy_rate:.0f} rows/s, ledger floor {floor_rate or 0:.0f} rows/s, ingest step "
          f"{ingest_rate or 0:.0f} rows/s: ratio {result['ratio']} (floor {result['floor_ratio']})", flush=True)
    return ([job] if fresh else []) + [result]


ATTEMPT_LOG = Path("src/main/java/io/grouprefunds/ledger/AttemptLog.java")


def without_attempt_log(source):
    """Takes the attempt log out of a source tree, and nothing else: AttemptLog inserts no attempt rows (its callers
    get attempt ids made up in memory) and no answers, and the recording statements keep refund_row.attempts as the
    claim counted it (`attempts + 1`, as before the attempt log) instead of recounting the attempt rows; the claim is
    its UPDATE alone (as before the attempt log). Everything else (send, record, status events, throttle, ...) is the
    same code. Fails loudly when AttemptLog changed so much that an edit no longer applies: the
    baseline must be remade then, not silently measured."""
    path = source / ATTEMPT_LOG
    text = path.read_text()
    edits = [
        (r'static final String ATTEMPTS_OF_ROW = "\(SELECT COUNT\(\*\) FROM refund_attempt.*?\)";',
         'static final String ATTEMPTS_OF_ROW = "r.attempts";'),
        (r"(static List<Attempt> insert\(JdbcTemplate jdbc, String kind, Collection<Long> rowIds, Long jobExecutionId,"
         r"\s*String where\) \{).*?\n\t\}\n",
         r"\1\n\t\treturn rowIds.stream().map(id -> new Attempt(BENCH_IDS.incrementAndGet(), id, 1)).toList();\n\t}\n\n"
         r"\tprivate static final java.util.concurrent.atomic.AtomicLong BENCH_IDS = "
         r"new java.util.concurrent.atomic.AtomicLong();\n"),
        (r"(static List<Attempt> claim\(JdbcTemplate jdbc, Collection<Long> rowIds, Long jobExecutionId\) \{)"
         r".*?\n\t\}\n",
         r'\1\n\t\treturn insert(jdbc, "REFUND", jdbc.queryForList("UPDATE refund_row SET status = \'SENDING\', '
         r"attempts = attempts + 1, sent_at = now() WHERE row_id = ANY (?) AND status IN ('READY', 'RETRYABLE', "
         r"""'SENDING', 'UNKNOWN') RETURNING row_id", Long.class, (Object) rowIds.toArray(new Long[0])), """
         r'jobExecutionId, "TRUE");\n\t}\n'),
        (r"(static void insertAnswers\(JdbcTemplate jdbc, List<Answer> answers\) \{).*?\n\t\}\n",
         r"\1\n\t}\n"),
    ]
    for pattern, replacement in edits:
        text, n = re.subn(pattern, replacement, text, count=1, flags=re.S)
        if n != 1:
            raise SystemExit(f"[attempt-cost] cannot take the attempt log out of {path}: no match for {pattern[:60]}")
    path.write_text(text)


def baseline_jar():
    """The baseline of the attempt-cost case, built once into bench/work/baseline-<commit>[-no-attempt-log]/ from
    `git archive` (no worktree is registered) and reused while it exists: by default this tree's HEAD with the attempt
    log taken out (without_attempt_log), so the two jars differ in the attempt log only; with BENCH_BASELINE_REF, that
    commit as it is (e.g. 920bf51, the commit before the attempt log, which also lacks everything landed since)."""
    ref = os.environ.get("BENCH_BASELINE_REF")
    if not ref:
        # the tree as it is, uncommitted changes to tracked files included (what target/group-refunds.jar is built
        # from): `git stash create` makes a commit of it without touching anything, or prints nothing when clean
        ref_of_tree = subprocess.run(["git", "stash", "create"], cwd=ROOT, capture_output=True, text=True,
                                     check=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", (ref or ref_of_tree or "HEAD") + "^{commit}"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.strip()
    label = commit if ref else f"{commit} without the attempt log"
    source = WORK / (f"baseline-{commit}" if ref else f"baseline-{commit}-no-attempt-log")
    jar = source / "target" / "group-refunds.jar"
    if not jar.exists():
        shutil.rmtree(source, ignore_errors=True)
        source.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
        if not ref:
            without_attempt_log(source)
        print(f"[attempt-cost] building the baseline jar ({label}) in {source}", flush=True)
        subprocess.run(["sh", "-c", "./mvnw -o -q -B -Dmaven.test.skip=true package "
                        "|| ./mvnw -q -B -Dmaven.test.skip=true package"], cwd=source, check=True)
    return label, jar


def attempt_cost():
    """The attempt log's cost on the submit rate: the overhead case (no latency, unthrottled) with this tree's jar and
    with the baseline's, interleaved A B A B ... so that drifting load hits both alike; submit-step rows/s of each,
    the ratio of their means and of each pair, and this jar's own account of the time it spent writing attempt rows
    (a share of its submit step)."""
    rows = int(os.environ.get("BENCH_ATTEMPT_ROWS", "40000"))
    pairs = int(os.environ.get("BENCH_ATTEMPT_PAIRS", "4"))
    commit, base = baseline_jar()
    settings = ["--refunds.throttle.rate-per-second=0"]
    runs = []
    for i in range(1, pairs + 1):
        runs.append(run_job(f"attempt-cost-baseline-{i}", rows, settings, jar=base))
        runs.append(run_job(f"attempt-cost-log-{i}", rows, settings))
    for r in runs:
        if r.get("submit_s"):
            r["submit_rows_per_s"] = round(rows / r["submit_s"], 0)
    def rates(prefix):
        return [r.get("submit_rows_per_s") for r in runs if r["run"].startswith(prefix)]
    base_rates, log_rates = rates("attempt-cost-baseline"), rates("attempt-cost-log")
    complete = all(base_rates) and all(log_rates)
    base_rate = sum(base_rates) / pairs if complete else None
    log_rate = sum(log_rates) / pairs if complete else None
    pair_ratios = sorted(round(l / b, 3) for b, l in zip(base_rates, log_rates)) if complete else []
    logged = [r for r in runs if r["run"].startswith("attempt-cost-log") and r.get("attempt_write_s") is not None]
    share = (sum(r["attempt_write_s"] for r in logged) / sum(r["submit_s"] for r in logged)) if logged else None
    summary = {"run": "attempt-cost", "rows": rows,
               "settings": f"baseline {commit} vs this tree, {pairs} pairs A B; pair ratios "
                           + " ".join(str(x) for x in pair_ratios),
               "baseline_submit_rows_per_s": round(base_rate or 0), "log_submit_rows_per_s": round(log_rate or 0),
               "ratio": round(log_rate / base_rate, 3) if base_rate and log_rate else None,
               "pair_ratios": pair_ratios,
               "attempt_write_share": round(share, 4) if share is not None else None,
               "exit": max(r["exit"] for r in runs)}
    print(f"[attempt-cost] submit step: baseline {summary['baseline_submit_rows_per_s']} rows/s, with the attempt log "
          f"{summary['log_submit_rows_per_s']} rows/s: ratio {summary['ratio']} (pairs {pair_ratios}); attempt "
          f"writes {100 * (share or 0):.1f}% of the submit step", flush=True)
    return runs + [summary]


CASES = {"precision": precision, "overhead": overhead, "scale": scale, "naive": naive, "versus-bare": versus_bare,
         "versus-copy": versus_copy, "attempt-cost": attempt_cost}
DEFAULT_CASES = ["precision", "overhead", "scale", "naive", "versus-bare", "versus-copy"]

# Issue 12's case, shared-limit, lives in bench/shared_limit.py (not in the default list: it needs a database server).
import shared_limit  # noqa: E402
CASES["shared-limit"] = lambda: shared_limit.shared_limit(sys.modules[__name__])
COLUMNS_SHARED_LIMIT = ["together_s", "of_paced", "db_round_trips_per_request", "slots_given_up"]


def machine():
    def out(command):
        try:
            return subprocess.run(command, capture_output=True, text=True, shell=True).stdout.strip() or \
                subprocess.run(command, capture_output=True, text=True, shell=True).stderr.strip()
        except OSError:
            return "?"
    cpu = out("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    return {
        "date": datetime.datetime.now().isoformat(timespec="minutes"),
        "cpu": f"{out('nproc')} cores ({cpu})",
        "memory": out("free -h | awk '/Mem:/ {print $2 \" total, \" $7 \" available\"}'"),
        "java": out(f"{JAVA} -version 2>&1 | head -1"),
        "os": platform.platform(),
        "load before": out("cut -d' ' -f1-3 /proc/loadavg"),
        "database": "PostgreSQL server (REFUNDS_BENCH_DATABASE_URL)" if os.environ.get("REFUNDS_BENCH_DATABASE_URL")
        else "embedded PostgreSQL 17 (zonky), started by the job, fresh per run",
    }


def verdicts(results):
    by_run = {r["run"]: r for r in results}
    lines = []
    p = by_run.get("precision")
    if p:
        ratio = p["applied_per_s"] / 200
        lines.append(f"precision: {p['applied_per_s']} applied/s = {100 * ratio:.1f}% of the 200/s limit "
                     f"(target >= 97%), {p['http_429']} 429s (target 0), busiest second {p['max_in_1s']} requests: "
                     + ("PASS" if ratio >= 0.97 and p["http_429"] == 0 and p["exit"] == 0 else "FAIL"))
    o = by_run.get("overhead")
    if o and o.get("rows_per_s_steps"):
        lines.append(f"overhead: {o['rows_per_s_steps']:.0f} rows/s over the job's steps, "
                     f"{o['rows_per_s_wall']:.0f} rows/s over the process's wall time (target >= 3,000): "
                     + ("PASS" if o["rows_per_s_steps"] >= 3000 and o["exit"] == 0 else "SHORT"))
    small, large = by_run.get("scale-10k"), by_run.get("scale-1m")
    if small and large and small.get("jvm_peak_rss_mb") and large.get("jvm_peak_rss_mb"):
        ratio = large["jvm_peak_rss_mb"] / small["jvm_peak_rss_mb"]
        lines.append(f"scale: 1,000,000 rows exit {large['exit']}, JVM peak RSS {large['jvm_peak_rss_mb']} MB vs "
                     f"{small['jvm_peak_rss_mb']} MB for 10,000 rows = {ratio:.2f}x (target <= 1.2x): "
                     + ("PASS" if ratio <= 1.2 and large["exit"] == 0 else "FAIL"))
    bare = by_run.get("versus-bare")
    if bare and bare.get("ratio") is not None:
        lines.append(f"versus-bare: the job {bare['job_rows_per_s_wall']:.0f} rows/s over its wall time (start-up "
                     f"included, {bare['job_wall_s']} s), a bare client {bare['rows_per_s_wall']:.0f} rows/s: ratio "
                     f"{bare['ratio']} (target >= 0.8): " + ("PASS" if bare["ratio"] >= 0.8 else "SHORT"))
        cpu = bare.get("cpu_account")
        if cpu:
            lines.append(f"versus-bare, CPU seconds: the job's side {cpu['job_total']} (job {cpu['job']}, sandbox "
                         f"{cpu['job_sandbox']}, PostgreSQL {cpu['job_postgres']}) in {cpu['job_wall_s']} s; the bare "
                         f"side {cpu['bare_total']} (client {cpu['bare']}, sandbox {cpu['bare_sandbox']}) in "
                         f"{cpu['bare_wall_s']} s; {os.cpu_count()} cores give {cpu['cpu_s_at_0_8']} CPU seconds in "
                         f"the wall time of 0.8")
    copy = by_run.get("versus-copy")
    if copy and copy.get("ratio") is not None:
        lines.append(f"versus-copy: ingest step {copy['ingest_rows_per_s']:.0f} rows/s, COPY of the file "
                     f"{copy['copy_rows_per_s']:.0f} rows/s: ratio {copy['ratio']} (target >= 0.1): "
                     + ("PASS" if copy["ratio"] >= 0.1 else "SHORT")
                     + (f"; the ledger table alone (rows re-inserted without the job) "
                        f"{copy['ledger_floor_rows_per_s']:.0f} rows/s = {copy['floor_ratio']} of COPY"
                        if copy.get("ledger_floor_rows_per_s") else ""))
    cost = by_run.get("attempt-cost")
    if cost and cost.get("ratio") is not None:
        lines.append(f"attempt-cost: submit step with the attempt log {cost['log_submit_rows_per_s']} rows/s, baseline "
                     f"{cost['baseline_submit_rows_per_s']} rows/s: ratio {cost['ratio']} (target >= 0.95); attempt "
                     f"rows written in {100 * (cost['attempt_write_share'] or 0):.1f}% of the submit step: "
                     # faster with more work to do: the load varied more than the cost; nothing is shown
                     + ("INCONCLUSIVE (noise larger than the cost)" if cost["ratio"] > 1.05
                        else "PASS" if cost["ratio"] >= 0.95 else "SHORT"))
    one, default = by_run.get("naive-1-in-flight"), by_run.get("naive-default")
    if one and default and one.get("submit_s") and default.get("submit_s"):
        lines.append(f"naive: one in flight {one['applied_per_s']} refunds/s (submit step {one['submit_s']} s), "
                     f"default {default['applied_per_s']}/s ({default['submit_s']} s): "
                     f"{one['submit_s'] / default['submit_s']:.1f}x faster")
    return lines + shared_limit.verdict(results)


COLUMNS = ["run", "rows", "latency_ms", "sandbox_limit", "settings", "exit", "wall_s", "steps_s", "ingest_s",
           "submit_s", "report_s", "rows_per_s_steps", "rows_per_s_wall", "applied_per_s", "http_429", "max_in_1s",
           "jvm_peak_rss_mb", "heap_peak_mb", "old_gen_after_gc_mb", "tree_peak_rss_mb", "job_cpu_s",
           "sandbox_cpu_s", "postgres_cpu_s", "ratio", "submit_rows_per_s", "attempt_write_s"] + COLUMNS_SHARED_LIMIT


def table(results, columns=COLUMNS):
    header = "| " + " | ".join(columns) + " |"
    rule = "|" + "---|" * len(columns)
    rows = ["| " + " | ".join(str(r.get(c, "")) for c in columns) + " |" for r in results]
    return "\n".join([header, rule, *rows])


def main(names):
    names = names or DEFAULT_CASES
    unknown = [n for n in names if n not in CASES]
    if unknown:
        sys.exit(f"unknown case(s) {unknown}; known: {list(CASES)}")
    if not JAR.exists():
        sys.exit(f"{JAR} is missing: run bench/run.sh (it builds it)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    host = machine()
    all_results = []
    for name in names:
        results = CASES[name]()
        all_results += results
        with open(RESULTS / f"{STAMP}-{name}.csv", "w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(results)
        text = [f"# Benchmark {name}, {host['date']}", "", *[f"- {k}: {v}" for k, v in host.items()], "",
                table(results), "", *[f"- {v}" for v in verdicts(results)]]
        for r in results:
            if r.get("profile"):
                text += ["", f"## Profile of {r['run']}", "", r["profile"]]
        (RESULTS / f"{STAMP}-{name}.md").write_text("\n".join(text) + "\n")
    update_benchmarks(host, all_results)
    print("\n".join(verdicts(all_results)))


def update_benchmarks(host, results):
    """Merges this invocation's runs into bench/results/latest.json and rewrites the generated part of
    BENCHMARKS.md (between its markers) from all of them, in case order."""
    store = RESULTS / "latest.json"
    latest = json.loads(store.read_text()) if store.exists() else {}
    if any(r["run"].startswith("attempt-cost") for r in results):
        # the pairs of an earlier attempt-cost run (there may have been more of them) go with it
        latest = {k: v for k, v in latest.items() if not k.startswith("attempt-cost")}
    for r in results:
        latest[r["run"]] = {**{k: v for k, v in r.items() if k != "profile" and not k.startswith("_")},
                            "measured": host["date"],
                            "db": "server" if os.environ.get("REFUNDS_BENCH_DATABASE_URL") else "embedded",
                            "load_before": host["load before"]}
    store.write_text(json.dumps(latest, indent=1) + "\n")
    order = ["precision", "overhead", "scale-10k", "scale-1m", "naive-1-in-flight", "naive-default", "naive-burst",
             "versus-job", "versus-bare", "versus-copy",
             *[f"attempt-cost-{jar}-{i}" for i in range(1, 21) for jar in ("baseline", "log")], "attempt-cost"]
    merged = sorted(latest.values(), key=lambda r: order.index(r["run"]) if r["run"] in order else 99)
    start, end = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
    machine_lines = [f"- {k}: {v}" for k, v in host.items() if k not in ("date", "load before", "database")]
    machine_lines.append("- database (column db): embedded = a fresh embedded PostgreSQL 17 (zonky) per run, started "
                         "by the job; server = the PostgreSQL server of REFUNDS_BENCH_DATABASE_URL")
    generated = "\n".join([start, "", "Generated by `bench/run.sh` (last run " + host["date"] + "); each row says when "
                           "it was measured and the load average before it.", "", *machine_lines, "",
                           table(merged, COLUMNS + ["db", "measured", "load_before"]), "",
                           *[f"- {v}" for v in verdicts(merged)], "", end])
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    if start in text and end in text:
        text = text[:text.index(start)] + generated + text[text.index(end) + len(end):]
    else:
        text += "\n" + generated + "\n"
    BENCHMARKS.write_text(text)


if __name__ == "__main__":
    main(sys.argv[1:])
