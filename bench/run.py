#!/usr/bin/env python3
"""The litdigest benchmark: one command, one table. Not part of the test suite.

    python bench/run.py                      # N = 1,000 and 10,000, Hugo and Pelican alongside
    python bench/run.py --sizes 1000 --runs 5 --peers hugo

For each N it
1. generates the deterministic synthetic corpus (../shared/bench/gen_corpus.py, through
   ../shared/bench/run_peers.sh) and times a cold full build — fresh process, no site/, no
   .litdigest-cache/ — of litdigest (bench/peers/litdigest.sh) and of each peer in the same run,
   with the I/O floor (writing litdigest's files, reading the corpus);
2. times litdigest's own rebuilds on that site, each a fresh process: with nothing changed, and
   after one paper's title changed (a different paper each run);
3. times `litdigest serve`: from saving a paper to its page being on disk (and Hugo's server,
   ../shared/bench/hugo_server_latency.py, for comparison);
then prints the table, with ratios to the peers. The peers live in /tmp/peers/venv, made by
../shared/bench/setup_peers.sh (run here when missing); if they cannot be installed the reason
is printed and litdigest's own figures still are.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_VARIABLE = "LITDIGEST_SHARED_BENCH"  # where ../shared/bench is, for a checkout elsewhere
SHARED = Path(os.environ.get(SHARED_VARIABLE) or REPO.parent / "shared" / "bench").resolve()
PEER_SCRIPT = REPO / "bench" / "peers" / "litdigest.sh"


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float
    peak_mb: float
    output: str = ""  # what the build printed


@dataclass
class Row:
    """Everything measured at one N."""

    n: int
    cold: dict[str, dict[str, str]] = field(default_factory=dict)  # peer -> column -> value
    unchanged: list[Timing] = field(default_factory=list)
    one_changed: list[Timing] = field(default_factory=list)
    written_one: list[int] = field(default_factory=list)
    written_unchanged: list[int] = field(default_factory=list)
    serve: list[float] = field(default_factory=list)
    hugo_serve: str = ""
    notes: list[str] = field(default_factory=list)


def run_measured(cmd: list[str], env: dict[str, str]) -> Timing:
    """Wall, user+sys CPU and peak RSS (from the kernel's accounting) of one fresh process."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")  # the summary line, and any error
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output}")
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


# ---- the peers --------------------------------------------------------------------------------

def peers_ready(work: Path, install: bool) -> str:
    """'' when the peers' venv works, else why not."""
    python = work / "venv" / "bin" / "python"
    if not python.exists() and install:
        print("installing the peers (../shared/bench/setup_peers.sh) ...", file=sys.stderr)
        result = subprocess.run(["bash", str(SHARED / "setup_peers.sh")], capture_output=True,
                                text=True, env={**os.environ, "PEERS_VENV": str(work / "venv")})
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            return "setup_peers.sh failed: " + " / ".join(tail)
    if not python.exists():
        return f"no {python} (run ../shared/bench/setup_peers.sh)"
    return ""


def cold_builds(n: int, peers: list[str], runs: int, work: Path, env: dict[str, str]) -> dict[str, dict[str, str]]:
    """run_peers.sh's table for litdigest and the peers, as {peer: {column: value}}."""
    names = " ".join([str(PEER_SCRIPT), *peers])
    result = subprocess.run(
        ["bash", str(SHARED / "run_peers.sh"), str(n)], capture_output=True, text=True,
        env={**env, "PEERS": names, "RUNS": str(runs), "WARMUP": "1", "FLOOR": "1",
             "WORK": str(work), "TIMEOUT": "900"})
    if result.returncode != 0:
        raise SystemExit(f"run_peers.sh {n} failed:\n{result.stderr[-2000:]}")
    table: dict[str, dict[str, str]] = {}
    columns = ["peer", "N", "wall", "cpu", "rss", "pages", "mb", "pps", "runs"]
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == len(columns) and cells[1] == str(n):
            table[cells[0]] = dict(zip(columns, cells))
    return table


def median_wall(cell: str) -> float:
    return float(cell.split()[0])


# ---- litdigest's own rebuilds and preview ------------------------------------------------------

def build_cmd(src: Path, site: Path) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "build", "--content", str(src / "content"),
            "--output", str(site)]


def written_count(output: str) -> int:
    """Files written, from the build's summary line (build.BuildResult.summary)."""
    found = re.search(r"(\d+) files rewritten", output)
    if found:
        return int(found.group(1))
    if "nothing changed" in output:
        return 0
    found = re.search(r"built (\d+) pages", output)
    return int(found.group(1)) if found else -1


def edit_title(page: Path, run: int) -> None:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r'^title: "(?:\(rev \d+\) )?', f'title: "(rev {run}) ', text, count=1, flags=re.M)
    page.write_text(text, encoding="utf-8")


def rebuilds(row: Row, src: Path, site: Path, runs: int, env: dict[str, str]) -> None:
    cmd = build_cmd(src, site)
    run_measured(cmd, env)  # make sure site/ and the cache are there
    time.sleep(2.1)  # older than the cache's "changed too recently to trust" window
    run_measured(cmd, env)
    for _ in range(runs):
        timing = run_measured(cmd, env)
        row.unchanged.append(timing)
        row.written_unchanged.append(written_count(timing.output))
    papers = sorted((src / "content" / "papers").glob("*.md"))
    for run in range(runs):
        edit_title(papers[(run + 1) * len(papers) // (runs + 2)], run)
        timing = run_measured(cmd, env)
        row.one_changed.append(timing)
        row.written_one.append(written_count(timing.output))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_latency(src: Path, site: Path, changes: int, env: dict[str, str]) -> list[float]:
    """Seconds from saving a paper to its new page being on disk, under `litdigest serve`."""
    cmd = [sys.executable, str(REPO / "build.py"), "serve", "--content", str(src / "content"),
           "--output", str(site), "--port", str(free_port())]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, start_new_session=True)
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith("serving "):
                break
        time.sleep(2.0)
        papers = sorted((src / "content" / "papers").glob("*.md"))
        target = papers[len(papers) // 2]
        original = target.read_text(encoding="utf-8")
        page = site / "papers" / target.stem / "index.html"
        found = []
        try:
            for number in range(changes):
                marker = f"BENCHMARKER{number}X{time.monotonic_ns()}"
                started = time.monotonic()
                target.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
                while marker not in page.read_text(encoding="utf-8", errors="replace"):
                    if time.monotonic() - started > 60:
                        raise SystemExit("serve did not write the changed page within 60 s")
                    time.sleep(0.002)
                found.append(time.monotonic() - started)
                time.sleep(1.0)
        finally:
            target.write_text(original, encoding="utf-8")
            time.sleep(1.0)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    return found


def hugo_serve_latency(work: Path, n: int) -> str:
    hugo = next(iter(sorted((work / "venv").glob("lib/python3*/site-packages/hugo/binaries/hugo"))), None)
    src = work / "out" / f"hugo-{n}" / "src"
    if hugo is None or not src.is_dir():
        return ""
    result = subprocess.run([str(work / "venv" / "bin" / "python"), str(SHARED / "hugo_server_latency.py"),
                             str(hugo), str(src), "--changes", "5", "--port", str(free_port())],
                            capture_output=True, text=True)
    found = re.search(r"change_to_disk_median_s\t([\d.]+)", result.stdout)
    return found.group(1) if found else ""


# ---- the table -------------------------------------------------------------------------------

def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cores} cores ({model or platform.machine()}){memory}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b and b == b else "–"


def print_table(rows: list[Row], peers: list[str], runs: int, why_no_peers: str) -> None:
    print(f"\nlitdigest benchmark — {machine()}; medians of {runs} runs, each a fresh process.\n")
    header = ["N", "step", "litdigest wall s", "CPU s", "peak RSS MB", "pages written"]
    header += [f"{p} wall s" for p in peers] + [f"litdigest / {p}" for p in peers]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        ld = row.cold.get("litdigest", {})
        cold = median_wall(ld["wall"]) if ld else float("nan")
        peer_walls = [median_wall(row.cold[p]["wall"]) if p in row.cold else float("nan") for p in peers]
        cells = [f"{row.n:,}", "cold full build", ld.get("wall", "–"), ld.get("cpu", "–"),
                 ld.get("rss", "–"), ld.get("pages", "–")]
        cells += [row.cold[p]["wall"] if p in row.cold else "–" for p in peers]
        cells += [ratio(cold, w) for w in peer_walls]
        print("| " + " | ".join(cells) + " |")
        for label, timings, written in (("no-change rebuild", row.unchanged, row.written_unchanged),
                                        ("one paper changed", row.one_changed, row.written_one)):
            wall = med([t.wall for t in timings])
            cells = [f"{row.n:,}", label, f"{wall:.2f} ({wall / cold:.2f}× cold)",
                     f"{med([t.cpu for t in timings]):.2f}", f"{max([t.peak_mb for t in timings], default=0):.0f}",
                     "/".join(str(w) for w in written)]
            cells += ["–" for _ in peers] * 2
            print("| " + " | ".join(cells) + " |")
        serve = med(row.serve)
        cells = [f"{row.n:,}", "serve: save → page on disk", f"{serve:.3f} (runs: " +
                 ", ".join(f"{x:.3f}" for x in row.serve) + ")", "–", "–", "–"]
        hugo_cell = row.hugo_serve or "–"
        cells += [hugo_cell if p == "hugo" else "–" for p in peers]
        cells += [ratio(serve, float(row.hugo_serve)) if p == "hugo" and row.hugo_serve else "–" for p in peers]
        print("| " + " | ".join(cells) + " |")
    for row in rows:
        floor = row.cold.get("floor: write litdigest's files", {})
        read = row.cold.get("floor: read corpus", {})
        if floor:
            print(f"\nN={row.n:,}: I/O floor — writing litdigest's {floor.get('pages', '?')} pages "
                  f"({floor.get('mb', '?')} MB): {floor['wall']} s; reading the corpus: "
                  f"{read.get('wall', '?')} s. Peers' pages: " +
                  ", ".join(f"{p} {row.cold[p]['pages']} pages / {row.cold[p]['mb']} MB / peak "
                            f"{row.cold[p]['rss']} MB" for p in peers if p in row.cold) + ".")
        if len(rows) > 1 and row is rows[-1]:
            first = rows[0]
            a = median_wall(first.cold["litdigest"]["wall"]) if "litdigest" in first.cold else float("nan")
            b = median_wall(row.cold["litdigest"]["wall"]) if "litdigest" in row.cold else float("nan")
            print(f"Growth {first.n:,} → {row.n:,} papers (cold): {b / a:.1f}×.")
        for note in row.notes:
            print(f"N={row.n:,}: {note}")
    if why_no_peers:
        print(f"\nPeers not measured: {why_no_peers}")


def own_cold(n: int, runs: int, work: Path, env: dict[str, str]) -> dict[str, dict[str, str]]:
    """Without the peers' venv: generate the corpus and time litdigest's cold builds alone."""
    corpus = work / f"corpus-{n}"
    subprocess.run([sys.executable, str(SHARED / "gen_corpus.py"), str(n), str(corpus)], check=True)
    out = work / "out" / f"litdigest-{n}"
    subprocess.run(["bash", str(PEER_SCRIPT), str(corpus), str(out), "prepare"], check=True, env=env)
    timings = []
    for _ in range(runs + 1):
        timings.append(run_measured(["bash", str(PEER_SCRIPT), str(corpus), str(out), "build"], env))
        shutil.rmtree(out / ".trash", ignore_errors=True)
    timings = timings[1:]
    pages = sum(1 for _ in (out / "site").rglob("*.html"))
    walls = sorted(t.wall for t in timings)
    return {"litdigest": {"wall": f"{med(walls):.2f} [{walls[0]:.2f}-{walls[-1]:.2f}]",
                          "cpu": f"{med([t.cpu for t in timings]):.2f}",
                          "rss": f"{med([t.peak_mb for t in timings]):.0f}", "pages": str(pages)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="counted runs of each step")
    ap.add_argument("--peers", default="hugo,pelican", help="peers to time alongside ('' for none)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/peers"), help="corpora and outputs")
    ap.add_argument("--no-install", action="store_true", help="do not run setup_peers.sh")
    args = ap.parse_args()
    if not (SHARED / "run_peers.sh").is_file():
        raise SystemExit(f"bench: {SHARED}/run_peers.sh not found. The shared benchmark (corpus "
                         f"generator, peers) lives beside the project, in ../shared/bench; for a "
                         f"checkout elsewhere set {SHARED_VARIABLE} to that folder.")
    peers = [p for p in args.peers.split(",") if p]
    env = {**os.environ, "LITDIGEST_PYTHON": sys.executable, "PEERS_VENV": str(args.work / "venv"),
           SHARED_VARIABLE: str(SHARED)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "litdigest")], check=True,
                   env=env)  # as an installed package would be: byte-compiled
    why = peers_ready(args.work, not args.no_install) if peers else ""
    if why:
        print(f"peers unavailable: {why}", file=sys.stderr)
        peers = []
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        print(f"N={n}: cold builds ...", file=sys.stderr)
        row = Row(n)
        row.cold = (cold_builds(n, peers, args.runs, args.work, env) if peers
                    else own_cold(n, args.runs, args.work, env))
        if peers and "litdigest" not in row.cold:
            raise SystemExit("run_peers.sh gave no litdigest row")
        src, site = args.work / "out" / f"litdigest-{n}" / "src", args.work / "out" / f"litdigest-{n}" / "site"
        print(f"N={n}: rebuilds ...", file=sys.stderr)
        rebuilds(row, src, site, args.runs, env)
        print(f"N={n}: serve ...", file=sys.stderr)
        row.serve = serve_latency(src, site, 5, env)
        if "hugo" in peers:
            row.hugo_serve = hugo_serve_latency(args.work, n)
        rows.append(row)
    print_table(rows, peers, args.runs, why)


if __name__ == "__main__":
    main()
