#!/usr/bin/env python3
"""`make bench`: Baro's import measured side by side with the limits of each stage.

    python3 bench/run_bench.py [--build build] [--rows 100000,1000000] [--reps 3]

1. Generates the batches with tools/generate_survey.py (fixed seed; cached in
   BUILD/bench-data and made again only when the generator changes).
2. For each batch, in one run:
   - `baro classify` end to end (CSV -> SQLite, bundled rules) into a fresh database, every
     repetition, with its peak RSS and CPU time (os.wait4 on the child);
   - `baro reclassify` of the stored batch, when the command exists;
   - the same two with `--classifier hyperscan`, when the build has the hyperscan plugin;
   - the stages alone, timed by BUILD/bin/baro_bench_stages: reading + parsing, folding,
     classification (fold + rules, one thread, cold caches), a bare scan with the engine's
     own RE2::Set (the scan limit: no regex confirmation, no scoring), and a bare SQLite
     insert of the same rows (WAL and default journal, one transaction and 10k-row
     transactions);
   - on the first batch only, the Python 3 `re` baseline (bench/baseline_re.py).
3. Prints one table per batch (median of the repetitions) with the ratios, and writes every
   figure to BUILD/bench-results.json.

Nothing here asserts a speed: `make test` never runs it.
"""

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(message):
    print(message, file=sys.stderr, flush=True)


def run_child(argv, env=None):
    """Runs argv; returns (wall seconds, cpu seconds, peak RSS in MiB). Raises on failure."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    stderr = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed with exit code {child.returncode}:\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def generate(rows, seed, data_dir):
    generator = os.path.join(ROOT, "tools", "generate_survey.py")
    digest = hashlib.sha256(open(generator, "rb").read()).hexdigest()[:12]
    path = os.path.join(data_dir, f"survey-{rows}-seed{seed}-{digest}.csv")
    if not os.path.exists(path):
        log(f"generating {rows} initiatives into {path}")
        tmp = path + ".tmp"
        subprocess.run([sys.executable, generator, "--rows", str(rows), "--seed", str(seed), "--out", tmp], check=True)
        os.replace(tmp, path)
    return path


def fresh_db(baro, db):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    subprocess.run([baro, "init", "--db", db], check=True, stdout=subprocess.DEVNULL)


def has_command(baro, name):
    return subprocess.run([baro, name, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def median_of(values):
    return statistics.median(values) if values else float("nan")


def measure_end_to_end(baro, batch, work, reps, threads, extra=()):
    """`extra`: more arguments for both commands, e.g. ("--classifier", "hyperscan")."""
    db = os.path.join(work, "bench-e2e.db")
    runs = []
    if extra:
        # A plugin may keep a cache (hyperscan: its compiled databases, ~7 s to make cold):
        # one untimed run fills it, so the rows compare steady states; measure_cold_start
        # times the cold start on its own.
        fresh_db(baro, db)
        run_child([baro, "classify", "--db", db, batch, *extra])
    for rep in range(reps):
        fresh_db(baro, db)
        argv = [baro, "classify", "--db", db, batch, *extra]
        if threads:
            argv += ["--threads", str(threads)]
        wall, cpu, rss = run_child(argv)
        entry = {"wall": wall, "cpu": cpu, "rss_mib": rss}
        if has_command(baro, "reclassify"):
            # --force: the rules have not changed, and without it reclassify rightly does nothing.
            reclassify = [baro, "reclassify", "--db", db, "--force", *extra]
            if threads:
                reclassify += ["--threads", str(threads)]
            wall, cpu, rss = run_child(reclassify)
            entry["reclassify"] = {"wall": wall, "cpu": cpu, "rss_mib": rss}
        runs.append(entry)
        log(f"  classify{' --threads ' + str(threads) if threads else ''}{' ' + ' '.join(extra) if extra else ''} "
            f"#{rep + 1}: {entry}")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    return runs


def measure_cold_start(baro, work, extra):
    """`baro classify` of a one-row batch with an empty cache folder (XDG_CACHE_HOME)."""
    db = os.path.join(work, "bench-cold.db")
    fresh_db(baro, db)
    batch = os.path.join(work, "one-row.csv")
    with open(batch, "w") as f:
        f.write("id;code_insee;description\n1;69123;Ouverture d'un EPN en mairie\n")
    # Absolute: XDG_CACHE_HOME must be an absolute path, or it is ignored (the XDG spec).
    cache = os.path.abspath(tempfile.mkdtemp(dir=work))
    wall, cpu, rss = run_child([baro, "classify", "--db", db, batch, *extra], env=dict(os.environ, XDG_CACHE_HOME=cache))
    shutil.rmtree(cache, ignore_errors=True)
    log(f"  cold start{' ' + ' '.join(extra) if extra else ''}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    return {"wall": wall, "cpu": cpu, "rss_mib": rss}


def measure_stages(stages_bin, batch, work, reps):
    argv = [stages_bin, "--input", batch, "--rules", os.path.join(ROOT, "rules", "fr"),
            "--reference", os.path.join(ROOT, "data", "reference"), "--work-dir", work, "--reps", str(reps)]
    out = subprocess.run(argv, check=True, stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def measure_python(batch, rows):
    argv = [sys.executable, os.path.join(ROOT, "bench", "baseline_re.py"), "--rules", os.path.join(ROOT, "rules", "fr"),
            "--limit", str(rows), batch]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(argv, check=True, stdout=subprocess.PIPE, text=True).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out)
    result["wall"] = wall
    result["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result


def fmt_rate(x):
    return f"{x:,.0f}".replace(",", " ")


def print_table(name, rows, size_bytes, e2e, e2e_threads1, stages, python, cores, e2e_hyperscan=None):
    mb = size_bytes / 1e6
    lines = []

    def add(label, items_per_s, mb_per_s, cpu_us, rss, bound):
        lines.append((label, fmt_rate(items_per_s) if items_per_s else "-", f"{mb_per_s:,.0f}" if mb_per_s else "-",
                      f"{cpu_us:.2f}" if cpu_us else "-", f"{rss:.0f}" if rss else "-", bound))

    e2e_wall = median_of([r["wall"] for r in e2e])
    e2e_rate = rows / e2e_wall
    add("baro classify (end to end)", e2e_rate, mb / e2e_wall, 1e6 * median_of([r["cpu"] for r in e2e]) / rows,
        max(r["rss_mib"] for r in e2e), "")
    if e2e_threads1:
        w = median_of([r["wall"] for r in e2e_threads1])
        add("baro classify --threads 1", rows / w, mb / w, 1e6 * median_of([r["cpu"] for r in e2e_threads1]) / rows,
            max(r["rss_mib"] for r in e2e_threads1), "")
    if e2e and "reclassify" in e2e[0]:
        w = median_of([r["reclassify"]["wall"] for r in e2e])
        add("baro reclassify (stored batch)", rows / w, None, 1e6 * median_of([r["reclassify"]["cpu"] for r in e2e]) / rows,
            max(r["reclassify"]["rss_mib"] for r in e2e), "")
    if e2e_hyperscan:
        w = median_of([r["wall"] for r in e2e_hyperscan])
        add("baro classify --classifier hyperscan", rows / w, mb / w,
            1e6 * median_of([r["cpu"] for r in e2e_hyperscan]) / rows, max(r["rss_mib"] for r in e2e_hyperscan), "")
        if "reclassify" in e2e_hyperscan[0]:
            w = median_of([r["reclassify"]["wall"] for r in e2e_hyperscan])
            add("baro reclassify --classifier hyperscan", rows / w, None,
                1e6 * median_of([r["reclassify"]["cpu"] for r in e2e_hyperscan]) / rows,
                max(r["reclassify"]["rss_mib"] for r in e2e_hyperscan), "")
    by_name = {s["stage"]: s for s in stages}
    labels = {
        "parse": "read + parse alone",
        "fold": "fold alone",
        "classify": "classify stage (fold + rules)",
        "classify-hyperscan": "classify stage (fold + hyperscan)",
        "scan-re2set": "bare RE2::Set scan, engine's set (scan limit)",
        "insert": "bare SQLite insert (WAL, 1 txn)",
        "insert-delete-journal": "bare SQLite insert (rollback journal)",
        "insert-wal-10k": "bare SQLite insert (WAL, 10k-row txns)",
    }
    per_item_cpu = {}
    for key, label in labels.items():
        if key not in by_name:
            continue
        s = by_name[key]
        wall = median_of(s["seconds"])
        cpu = median_of(s["cpu_seconds"])
        per_item_cpu[key] = cpu / s["items"]
        add(label, s["items"] / wall, s["bytes"] / 1e6 / wall, 1e6 * cpu / s["items"], None, "")
    if python:
        add(f"Python 3 re baseline ({python['rows']} rows)", python["rows"] / python["wall"], None,
            1e6 * python["cpu"] / python["rows"], None, "")

    print(f"\n== {name}: {fmt_rate(rows)} initiatives, {mb:,.0f} MB ==")
    print(f"{'':42} {'items/s':>10} {'MB/s':>7} {'CPU µs/item':>12} {'peak RSS MiB':>13}")
    for label, rate, mbs, cpu_us, rss, _ in lines:
        print(f"{label:42} {rate:>10} {mbs:>7} {cpu_us:>12} {rss:>13}")

    ratios = {}
    # The limit the stages allow: the writer is one thread (SQLite), everything else can
    # overlap it on the other cores, and no run can beat the total CPU over the cores.
    scan_key = "scan-re2set"
    if all(k in per_item_cpu for k in ("parse", "fold", "insert")):
        classify_key = "classify" if "classify" in per_item_cpu else scan_key
        total = per_item_cpu["parse"] + per_item_cpu[classify_key] + per_item_cpu["insert"]
        limit = min(1.0 / per_item_cpu["insert"], cores / total)
        ratios["implied_limit_per_s"] = limit
        print(f"\nend-to-end limit implied by the stages on {cores} cores "
              f"(min(1/insert, cores/(parse+classify+insert)), CPU times): {fmt_rate(limit)} /s")
        print(f"Baro / implied limit: {e2e_rate / limit:.2f}")
        if "classify-hyperscan" in per_item_cpu and e2e_hyperscan:
            total = per_item_cpu["parse"] + per_item_cpu["classify-hyperscan"] + per_item_cpu["insert"]
            limit = min(1.0 / per_item_cpu["insert"], cores / total)
            rate = rows / median_of([r["wall"] for r in e2e_hyperscan])
            ratios["implied_limit_hyperscan_per_s"] = limit
            print(f"the same with hyperscan: {fmt_rate(limit)} /s; Baro --classifier hyperscan / implied limit: "
                  f"{rate / limit:.2f}")
    if "classify" in by_name and scan_key in by_name:
        c = by_name["classify"]["items"] / median_of(by_name["classify"]["seconds"])
        s = by_name[scan_key]["items"] / median_of(by_name[scan_key]["seconds"])
        ratios["classify_over_scan"] = c / s
        print(f"classify stage / bare RE2::Set scan: {c / s:.2f}")
        ratios["e2e_over_scan"] = e2e_rate / s
        print(f"Baro end to end / bare RE2::Set scan: {e2e_rate / s:.2f}")
    if python:
        p = python["rows"] / python["wall"]
        ratios["e2e_over_python"] = e2e_rate / p
        print(f"Baro end to end / Python re baseline: {e2e_rate / p:,.0f}x")
    return ratios


def main():
    parser = argparse.ArgumentParser(description="Baro's import, side by side with the limits of each stage")
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated batch sizes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--python-rows", type=int, default=100000,
                        help="rows of the first batch given to the Python baseline (0: skip it)")
    args = parser.parse_args()

    baro = os.path.join(args.build, "bin", "baro")
    stages_bin = os.path.join(args.build, "bin", "baro_bench_stages")
    for path in (baro, stages_bin):
        if not os.path.exists(path):
            sys.exit(f"run_bench: {path} is missing; `make bench` builds it")
    data_dir = os.path.join(args.build, "bench-data")
    work = os.path.join(args.build, "bench-work")
    os.makedirs(data_dir, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    cores = os.cpu_count() or 1

    machine = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
        "cores": cores,
        "kernel": platform.release(),
        "load_before": os.getloadavg(),
    }
    print(f"machine: {machine['cpu']}, {cores} cores, Linux {machine['kernel']}; {machine['date']}; "
          f"load average before: {' '.join(f'{x:.2f}' for x in machine['load_before'])}")

    results = {"machine": machine, "batches": []}
    for i, rows in enumerate(int(r) for r in args.rows.split(",")):
        batch = generate(rows, args.seed, data_dir)
        size = os.path.getsize(batch)
        log(f"batch {batch}: {rows} rows, {size / 1e6:.0f} MB")
        e2e = measure_end_to_end(baro, batch, work, args.reps, 0)
        e2e1 = measure_end_to_end(baro, batch, work, 1, 1) if has_threads(baro) else []
        # The hyperscan classifier plugin (docs/plugins.md), when the build has it.
        e2e_hs = []
        if os.path.exists(os.path.join(args.build, "lib", "baro", "plugins", "hyperscan.so")):
            e2e_hs = measure_end_to_end(baro, batch, work, args.reps, 0, ("--classifier", "hyperscan"))
            if i == 0:
                cold = {"rules": measure_cold_start(baro, work, ()),
                        "hyperscan": measure_cold_start(baro, work, ("--classifier", "hyperscan"))}
                results["cold_start"] = cold
                print(f"cold start, one-row batch: rules {cold['rules']['wall']:.2f} s, hyperscan with an empty cache "
                      f"{cold['hyperscan']['wall']:.2f} s (wall)")
        log("  stages…")
        stages = measure_stages(stages_bin, batch, work, args.reps)
        python = None
        if i == 0 and args.python_rows > 0:
            log(f"  Python baseline on {min(rows, args.python_rows)} rows (slow)…")
            python = measure_python(batch, args.python_rows)
        ratios = print_table(os.path.basename(batch), rows, size, e2e, e2e1, stages, python, cores, e2e_hs)
        results["batches"].append({"rows": rows, "bytes": size, "file": os.path.basename(batch), "end_to_end": e2e,
                                   "end_to_end_threads1": e2e1, "end_to_end_hyperscan": e2e_hs, "stages": stages,
                                   "python": python, "ratios": ratios})
    machine["load_after"] = os.getloadavg()
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in machine['load_after'])}")
    if len(results["batches"]) >= 2:
        small, large = results["batches"][0], results["batches"][-1]
        r_small = max(r["rss_mib"] for r in small["end_to_end"])
        r_large = max(r["rss_mib"] for r in large["end_to_end"])
        print(f"peak RSS {fmt_rate(large['rows'])} / {fmt_rate(small['rows'])}: {r_large:.0f} / {r_small:.0f} MiB "
              f"= {r_large / r_small:.2f}")
    out = os.path.join(args.build, "bench-results.json")
    with open(out, "w") as f:
        json.dump(results, f, indent=1)
    print(f"figures written to {out}")
    shutil.rmtree(work, ignore_errors=True)


def has_threads(baro):
    help_text = subprocess.run([baro, "classify", "--help"], stdout=subprocess.PIPE, text=True).stdout
    return "--threads" in help_text


if __name__ == "__main__":
    main()
