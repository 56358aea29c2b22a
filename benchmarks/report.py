#!/usr/bin/env python3
"""Turns the CSVs of benchmarks/run.sh into RESULTS.md (on stdout) and a gnuplot chart.

Inputs: raw-<mode>.csv (argument: one row per system, pipeline, round and test, with
redis-benchmark's throughput and latency columns) and, named by environment variables set by
run.sh, memory-<mode>.csv, restart-<mode>.csv, failover-<mode>.csv and a few facts about the run.
Every ratio is to redis-server without persistence ("redis"), median of the rounds, same run."""
import csv
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timezone

BASELINE = "redis"
SYSTEM_ORDER = ["redis", "redis-aof-everysec", "redis-aof-always", "redraft-1", "redraft-3"]
SYSTEM_NOTES = {
    "redis": "redis-server, no persistence (the baseline of every ratio)",
    "redis-aof-everysec": "redis-server, AOF, appendfsync everysec",
    "redis-aof-always": "redis-server, AOF, appendfsync always",
    "redraft-1": "Redraft, one node",
    "redraft-3": "Redraft, 3 nodes, through the leader",
}
env = os.environ.get


def sh(*cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, check=False)
        return (r.stdout + r.stderr).strip()
    except OSError as e:
        return f"unavailable ({e})"


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_int(x):
    return "–" if x is None else f"{x:,.0f}"


def fmt_ratio(x):
    return "–" if x is None else f"{x:.2f}"


def short(test):
    """redis-benchmark's row name without its explanation: "LRANGE_100 (first 100 elements)" -> LRANGE_100."""
    return test.split(" ")[0]


def meminfo_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def busy_machine():
    """A warning when the 1-minute load average exceeded the core count before or after the run."""
    try:
        cores = os.cpu_count() or 1
        loads = [float(env(k, "0").split()[0]) for k in ("BENCH_LOAD_BEFORE", "BENCH_LOAD_AFTER") if env(k)]
    except ValueError:
        return None
    if loads and max(loads) > cores:
        return f"1-minute load average {' / '.join(f'{x:.1f}' for x in loads)} (before / after) on {cores} cores"
    return None


def read_csv(path):
    if not path or not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


class Runs:
    """The throughput/latency rows of raw-<mode>.csv, grouped by (test, pipeline, system)."""

    def __init__(self, path):
        self.rows = defaultdict(list)  # (test, pipeline, system) -> [row]
        self.failed = defaultdict(int)  # (TEST PREFIX, pipeline, system) -> failed runs
        self.order = []  # (test, pipeline) in first-seen order
        self.systems = []
        for row in read_csv(path):
            test, p, s = row["test"], int(row["pipeline"]), row["system"]
            if "needed to benchmark" in test:
                continue  # redis-benchmark's own set-up pass (the LPUSH before LRANGE)
            if s not in self.systems:
                self.systems.append(s)
            if row["rps"] == "ERROR":
                self.failed[(test, p, s)] += 1
                continue
            if (test, p) not in self.order:
                self.order.append((test, p))
            self.rows[(test, p, s)].append(row)
        self.systems.sort(key=lambda s: SYSTEM_ORDER.index(s) if s in SYSTEM_ORDER else len(SYSTEM_ORDER))

    def values(self, test, p, s, column="rps"):
        return [float(r[column]) for r in self.rows.get((test, p, s), []) if r.get(column)]

    def median(self, test, p, s, column="rps"):
        return median(self.values(test, p, s, column))

    def errors(self, test, p, s):
        return sum(n for (prefix, fp, fs), n in self.failed.items() if fs == s and fp == p and test.startswith(prefix))

    def ratio(self, test, p, s):
        base, mine = self.median(test, p, BASELINE), self.median(test, p, s)
        if base is None or mine is None or self.errors(test, p, s):
            return None
        return mine / base

    def find(self, name, p):
        """The full row name of a test by its short name (SET, GET, ...)."""
        for test, fp in self.order:
            if fp == p and short(test) == name:
                return test
        return None


def throughput_table(runs):
    out = ["| test | -P | " + " | ".join(runs.systems) + " |",
           "|---|---:|" + "---:|" * len(runs.systems)]
    for test, p in runs.order:
        cells = []
        for s in runs.systems:
            m, n_err = runs.median(test, p, s), runs.errors(test, p, s)
            if n_err:
                cells.append(f"error ({n_err} runs)")
            elif s == BASELINE:
                cells.append(fmt_int(m))
            else:
                cells.append(f"{fmt_int(m)} ({fmt_ratio(runs.ratio(test, p, s))})")
        out.append(f"| {short(test)} | {p} | " + " | ".join(cells) + " |")
    return out


def spread_table(runs):
    out = ["| test | -P | " + " | ".join(runs.systems) + " |",
           "|---|---:|" + "---|" * len(runs.systems)]
    for test, p in runs.order:
        cells = []
        for s in runs.systems:
            v = runs.values(test, p, s)
            cells.append(f"{min(v):,.0f}–{max(v):,.0f}" if v else "–")
        out.append(f"| {short(test)} | {p} | " + " | ".join(cells) + " |")
    return out


def latency_table(runs):
    out = ["| test | -P | " + " | ".join(f"{s} p50 / p99" for s in runs.systems) + " |",
           "|---|---:|" + "---:|" * len(runs.systems)]
    for name in ("SET", "GET"):
        for p in sorted({fp for _, fp in runs.order}):
            test = runs.find(name, p)
            if not test:
                continue
            cells = []
            for s in runs.systems:
                p50, p99 = runs.median(test, p, s, "p50_ms"), runs.median(test, p, s, "p99_ms")
                cells.append("–" if p50 is None else f"{p50:.3f} / {p99:.3f}")
            out.append(f"| {name} | {p} | " + " | ".join(cells) + " |")
    return out


def chart(runs, path):
    """A PNG of the ratio per test, one panel per pipeline depth, one bar per system."""
    if not path:
        return "no chart requested"
    systems = [s for s in runs.systems if s != BASELINE]
    pipelines = sorted({p for _, p in runs.order})
    if not systems or not pipelines:
        return "nothing to chart"
    tmp = tempfile.mkdtemp(prefix="bench-chart")
    files = []
    for p in pipelines:
        name = os.path.join(tmp, f"p{p}.dat")
        with open(name, "w") as f:
            for test, fp in runs.order:
                if fp == p:
                    vals = [runs.ratio(test, p, s) for s in systems]
                    f.write(f'"{short(test)}" ' + " ".join("?" if v is None else f"{v:.3f}" for v in vals) + "\n")
        files.append((p, name))
    script = [
        f"set terminal pngcairo size 1400,{420 * len(files)} font 'sans,10'" if "pngcairo" in sh("gnuplot", "-e", "set terminal")
        else f"set terminal png size 1400,{420 * len(files)}",
        f"set output '{path}'",
        "set termoption noenhanced",  # test names hold underscores, not subscripts
        "set datafile missing '?'",
        "set style data histograms",
        "set style histogram clustered gap 1",
        "set style fill solid 0.85 border -1",
        "set boxwidth 0.9",
        "set yrange [0:*]",
        "set grid ytics",
        "set key top right",
        "set ylabel 'requests/s relative to redis-server without persistence'",
        "set xtics rotate by -30",
        f"set multiplot layout {len(files)},1",
    ]
    for p, name in files:
        n = sum(1 for _, fp in runs.order if fp == p)
        script.append(f"set xrange [-0.6:{n - 0.4}]")
        plots = ", ".join(f"'{name}' using {i + 2}:xtic(1) title '{s}'" for i, s in enumerate(systems))
        script.append(f"set title 'redis-benchmark -c 50 -P {p}: ratio to redis-server (1.0 = as fast)'")
        script.append(f"plot {plots}, 1 with lines lw 2 dt 2 lc rgb 'black' notitle")
    script.append("unset multiplot")
    r = subprocess.run(["gnuplot"], input="\n".join(script), capture_output=True, text=True, check=False)
    if r.returncode != 0:
        return f"gnuplot failed: {r.stderr.strip()[:300]}"
    return None


def memory_section(rows, keys):
    if not rows:
        return ["Not measured."], {}
    by = {(r["kind"], r["system"]): r for r in rows}
    kinds = []
    for r in rows:
        if r["kind"] not in kinds:
            kinds.append(r["kind"])
    out = [f"Each data set is {int(keys):,} keys loaded into a fresh server (`gen-data.py`, below). "
           "RSS is VmRSS from /proc/PID/status, taken right after the load and again after both servers sat "
           "idle for the same few seconds (settled); the ratio and the target use the settled RSS. "
           "Per key = (settled RSS − RSS of the empty server) / keys. "
           "Redraft's RSS also counts the pages of its memory-mapped log files (RssFile: clean page cache "
           "the kernel can reclaim), and the JVM keeps free heap committed until it gives it back, so the "
           "table also shows Redraft's RSS after a full GC (`jcmd PID GC.run`) and the heap its data "
           "really holds then (live heap).\n",
           "| data set | redis RSS | redraft RSS after load | redraft RSS settled | ratio (settled) | redis bytes/key | redraft bytes/key | redraft anon / file after load | redraft RSS after GC | redraft live heap | load s (redis / redraft) | keys (redis / redraft) |",
           "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---|"]
    ratios = {}

    def mib(kb):
        return f"{int(kb) / 1024:,.0f} MiB" if kb else "–"

    def settled(x):
        return int(x.get("rss_settled_kb") or x["rss_loaded_kb"])

    for kind in kinds:
        r, d = by.get((kind, "redis")), by.get((kind, "redraft-1"))
        if not r or not d:
            continue
        n = int(r["keys"])
        ratio = settled(d) / settled(r)
        ratios[kind] = (ratio, d["dbsize"] == r["dbsize"] == str(n))
        per = lambda x: (settled(x) - int(x["rss_empty_kb"])) * 1024 / n
        out.append(f"| {DATA_SETS.get(kind, kind)} | {mib(settled(r))} | {mib(d['rss_loaded_kb'])} | {mib(settled(d))} | "
                   f"{ratio:.2f} | {per(r):,.0f} | {per(d):,.0f} | {mib(d['rss_anon_kb'])} / {mib(d['rss_file_kb'])} | "
                   f"{mib(d['rss_after_gc_kb'])} | {mib(d.get('heap_live_kb'))} | "
                   f"{float(r['load_seconds']):.1f} / {float(d['load_seconds']):.1f} | {r['dbsize']} / {d['dbsize']} |")
    return out, ratios


DATA_SETS = {
    "string": "strings, 100-byte values",
    "hash": "hashes, 5 fields of 10 bytes",
    "set": "sets, 5 members of 10 bytes",
    "zset": "sorted sets, 5 members",
    "list": "lists, 5 elements of 10 bytes",
}


def target_rows(runs, memory_ratios, restart, failover, keys, mode, fsync):
    """The targets of issue #7: (workload, target, measured, verdict)."""
    rows = []
    quick = " (quick run: indicative)" if mode != "full" else ""

    def throughput(label, system, name, p, goal, needs_always):
        test = runs.find(name, p)
        if system not in runs.systems:
            rows.append((label, f"≥ {goal:.2f}", "not measured", "n/a: no 3-node cluster yet" if system == "redraft-3" else "n/a"))
            return
        r = runs.ratio(test, p, system) if test else None
        if r is None:
            rows.append((label, f"≥ {goal:.2f}", "error", "missed"))
            return
        verdict = "met" if r >= goal else "missed"
        if needs_always and fsync != "always":
            verdict = f"not comparable: raft-fsync is '{fsync}', writes were not synced"
        rows.append((label, f"≥ {goal:.2f}", f"{r:.2f}", verdict + quick))

    throughput("3 nodes, `raft-fsync always`, SET `-P 1`", "redraft-3", "SET", 1, 0.50, True)
    throughput("3 nodes, SET `-P 16`", "redraft-3", "SET", 16, 0.25, True)
    throughput("3 nodes, linearizable GET `-P 1`", "redraft-3", "GET", 1, 0.90, False)
    throughput("3 nodes, linearizable GET `-P 16`", "redraft-3", "GET", 16, 0.60, False)
    throughput("1 node, `raft-fsync always`, SET `-P 16`", "redraft-1", "SET", 16, 0.60, True)
    throughput("1 node, `raft-fsync always`, GET `-P 16`", "redraft-1", "GET", 16, 1.0, False)

    if "string" in memory_ratios:
        ratio, same = memory_ratios["string"]
        verdict = ("met" if ratio <= 1.3 else "missed") + ("" if same else " (the servers' DBSIZE differ!)")
        if int(keys) != 1_000_000:
            verdict += f" ({int(keys):,} keys, not 1M: indicative)"
        rows.append(("RSS for 1M 100-byte string keys", "≤ 1.3× redis-server", f"{ratio:.2f}×", verdict))
    else:
        rows.append(("RSS for 1M 100-byte string keys", "≤ 1.3× redis-server", "not measured", "n/a"))

    times = [float(r["seconds"]) for r in failover if r.get("seconds")]
    if times:
        m = statistics.median(times)
        rows.append(("failover, leader killed → writes succeed", "median ≤ 1.5 s",
                     f"median {m:.2f} s, max {max(times):.2f} s ({len(times)} trials)", ("met" if m <= 1.5 else "missed") + quick))
    else:
        rows.append(("failover, leader killed → writes succeed", "median ≤ 1.5 s", "not measured", "n/a: no 3-node cluster yet"))

    if restart and restart[0].get("restart_seconds"):
        r = restart[0]
        t = float(r["restart_seconds"])
        verdict = ("met" if t <= 5 and r["status"] == "ok" else "missed")
        if int(r["keys"]) != 1_000_000:
            verdict += f" ({int(r['keys']):,} keys, not 1M: indicative)"
        rows.append(("restart with 1M keys until serving", "≤ 5 s", f"{t:.2f} s ({r['status']})", verdict))
    else:
        status = restart[0]["status"] if restart else "not measured"
        rows.append(("restart with 1M keys until serving", "≤ 5 s", "not measured", status))
    return rows


def main(raw_path):
    runs = Runs(raw_path)
    mode, keys, fsync = env("BENCH_MODE", "?"), env("BENCH_KEYS", "0"), env("BENCH_RAFT_FSYNC", "?")
    memory_rows = read_csv(env("BENCH_MEMORY"))
    restart = read_csv(env("BENCH_RESTART"))
    failover = read_csv(env("BENCH_FAILOVER"))
    chart_path = env("BENCH_CHART")
    chart_problem = chart(runs, chart_path)

    out = ["# Redraft vs redis-server: side by side on one machine\n",
           f"Generated by `benchmarks/run.sh {mode}` on {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} "
           f"in {env('BENCH_SECONDS', '?')} s. Ratios are to redis-server without persistence, median of the rounds "
           "of the same run (1.00 = as fast).\n"]
    if mode != "full":
        out.append(f"**This is a `{mode}` run** ({env('BENCH_ROUNDS', '?')} round(s) of {int(env('BENCH_REQUESTS', '0')):,} requests per test, {int(keys):,} keys per memory data set): "
                   "it proves the harness works; quote only `full` runs.\n")
    busy = busy_machine()
    if busy:
        out.append(f"**The machine was busy:** {busy}. Other processes took CPU from the servers and from "
                   "redis-benchmark unevenly, so these ratios say little; re-run on a quiet machine.\n")
    if fsync == "always":
        out.append("**Durability:** Redraft ran with `raft-fsync always`: every write it acknowledged had been "
                   "fsynced to its log first, as with redis `appendfsync always`.\n")
    elif fsync == "absent":
        out.append("**Durability:** this build of Redraft has no `raft-fsync` parameter (`CONFIG GET raft-fsync` "
                   "is empty): its writes are applied in memory and never synced, so `redraft-1` compares with "
                   "redis without persistence, not with AOF `always`, and the targets that require "
                   "`raft-fsync always` are not evaluated.\n")
    else:
        out.append(f"**Durability:** Redraft ran with `raft-fsync {fsync}`.\n")

    out.append("## Targets (issue #7)\n")
    mem_lines, mem_ratios = memory_section(memory_rows, keys)
    out.append("| workload | target | measured | verdict |")
    out.append("|---|---|---|---|")
    for row in target_rows(runs, mem_ratios, restart, failover, keys, mode, fsync):
        out.append("| " + " | ".join(row) + " |")
    out.append(f"\n3-node cluster: {env('BENCH_CLUSTER', '?')}.\n")

    out.append("## Systems\n")
    for s in runs.systems:
        note = SYSTEM_NOTES.get(s, s)
        if s == "redraft-1":
            note += f", `raft-fsync` {fsync}"
        out.append(f"- `{s}`: {note}")
    out.append("")

    out.append("## Throughput (requests/s, median; ratio to `redis` in brackets)\n")
    out.extend(throughput_table(runs))
    if chart_problem is None:
        out.append(f"\n![ratio to redis-server per test and pipeline depth]({os.path.basename(chart_path)})\n")
    else:
        out.append(f"\n(Chart: {chart_problem}.)\n")

    out.append("## Latency of SET and GET (ms, median over the rounds of redis-benchmark's p50 and p99)\n")
    out.extend(latency_table(runs))
    out.append("")

    out.append("## Memory\n")
    out.extend(mem_lines)
    out.append("")

    out.append("## Restart\n")
    if restart:
        for r in restart:
            if r.get("restart_seconds"):
                out.append(f"A Redraft node holding {int(r['keys']):,} string keys (`raft-fsync {r['raft_fsync']}`) "
                           f"stopped with SIGTERM in {float(r['stop_seconds']):.2f} s, and served again (PING answered "
                           f"and DBSIZE = {r['dbsize_after']}) {float(r['restart_seconds']):.2f} s after it was started "
                           f"(JVM start included): {r['status']}.")
            else:
                out.append(f"Restart time: {r['status']}.")
    else:
        out.append("Not measured.")
    out.append("")

    if failover:
        times = [float(r["seconds"]) for r in failover if r.get("seconds")]
        out.append("## Failover\n")
        out.append(f"Leader killed with SIGKILL while a follower took SET load; time to the first successful SET "
                   f"through another node, {len(times)} trials: median {statistics.median(times):.2f} s, "
                   f"min {min(times):.2f} s, max {max(times):.2f} s.\n" if times else "No trial completed.\n")

    out.append("## Spread of throughput over the rounds (min–max requests/s)\n")
    out.extend(spread_table(runs))
    errs = env("BENCH_ERRORS")
    if errs and os.path.exists(errs) and os.path.getsize(errs) > 0:
        out.append("\nFailed runs (first error of each):\n")
        seen = set()
        with open(errs) as f:
            for line in f:
                head = line.split(":", 1)[0]
                if head not in seen:
                    seen.add(head)
                    out.append(f"- `{line.strip()}`")
    out.append("")

    out.append("## Machine\n")
    out.append(f"- CPU: {cpu_model()}, {sh('nproc')} cores (`nproc`)")
    out.append(f"- Memory: {meminfo_gib()}")
    out.append(f"- Kernel: {platform.release()}")
    out.append(f"- Java: {sh('java', '-version').splitlines()[0]}")
    out.append(f"- {env('BENCH_REDIS_VERSION', 'redis-server ?')}; {sh('redis-benchmark', '--version')}")
    out.append(f"- Data directories on: {env('BENCH_FS', '?')}")
    out.append("- All servers and redis-benchmark share the machine over loopback: the client competes with the "
               "server for the same cores, and other work on the machine adds noise (see the spread table).")
    out.append(f"- Load average (1/5/15 min) before: {env('BENCH_LOAD_BEFORE', '?')}; after: {env('BENCH_LOAD_AFTER', '?')}\n")

    out.append("## Method and exact commands\n")
    out.append("```")
    cmds = env("BENCH_COMMANDS")
    if cmds and os.path.exists(cmds):
        with open(cmds) as f:
            out.extend(line.rstrip("\n") for line in f)
    n, c = env("BENCH_REQUESTS", "?"), env("BENCH_CLIENTS", "?")
    for p in env("BENCH_PIPELINES", "").split():
        out.append(f"redis-benchmark -h 127.0.0.1 -p PORT -t TEST -n {n} -c {c} -P {p} -q --csv   "
                   f"# TEST in {env('BENCH_TESTS', '')}")
    out.append("```\n")
    out.append(f"Every system runs for the whole throughput phase. Redraft systems get one unrecorded warm-up pass "
               f"(every test, each pipeline depth) so the JVM compiles its hot paths; then {env('BENCH_ROUNDS', '?')} "
               "round(s), each running every system in turn (A B C D, A B C D, …) per pipeline depth, one "
               "redis-benchmark process per test so that a failing command fails only its own row. "
               "redis-benchmark's own set-up pass before LRANGE (an LPUSH) is not reported. The memory phase starts "
               f"a fresh server per data set after the throughput servers are stopped. Raw data: "
               f"`{os.path.basename(raw_path)}`, `{os.path.basename(env('BENCH_MEMORY', 'memory.csv'))}`, "
               f"`{os.path.basename(env('BENCH_RESTART', 'restart.csv'))}`.\n")

    compat = env("BENCH_COMPAT")
    if compat and os.path.exists(compat):
        out.append("## Stock tools against Redraft\n")
        out.append("| command | result | output (truncated) |")
        out.append("|---|---|---|")
        with open(compat) as f:
            out.extend(line.rstrip("\n") for line in f)
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
