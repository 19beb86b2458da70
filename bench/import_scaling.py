#!/usr/bin/env python3
"""Is an import linear in its input? Not part of the test suite (tests never time anything).

    python bench/import_scaling.py            # N = 25,000 and 100,000 junk lines
    python bench/import_scaling.py 50000      # N and 4N

For each sample raw digest (content/raw/, one per format) it times the parse of that digest
followed by N junk lines and by 4N junk lines, then before it, and prints the ratio of the two
times. Linear work gives a ratio near 4; a quadratic spot (a tuple copied per line, as
`_Pending.add_text` once did: 100,000 junk lines took 20 s) gives near 16. Then the same ratio
for the five samples repeated to N/2.5 and 4N/2.5 lines (40,000 by default) with every shape
forced on them (`--format arxiv-markers` on a bilingual digest…), 2,000 and 8,000
`abstract-lines` papers each with its arXiv line, and last a whole import (parse, merge, write)
of a raw digest of 2,500 and of 10,000 papers, with papers/s. On a busy machine the timed
ratios wander (another process's burst lands in one run of a pair): run it on a quiet one.
Exits 1 when a ratio is above 8.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from litdigest.importer import clean, formats  # noqa: E402
from litdigest.importer.raw import parse_file  # noqa: E402
from litdigest.importer.run import run_import  # noqa: E402

LIMIT = 8.0


def junk(count: int) -> str:
    return "".join(f"junk line number {i} with some words\n" for i in range(count))


def seconds(path: Path, text: str, fmt: str) -> float:
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    parse_file(path, fmt, None)
    return time.perf_counter() - start


def ratio_line(label: str, small: float, large: float, sizes: tuple[int, int], unit: str) -> float:
    ratio = large / max(small, 1e-9)
    print(f"{label:32} {sizes[0]:>7} {unit} {small:6.2f} s  {sizes[1]:>7} {unit} {large:6.2f} s  "
          f"ratio {ratio:4.1f}", flush=True)
    return ratio


def samples_repeated(count: int) -> str:
    """The five sample digests one after another, again and again, to `count` lines."""
    lines = [line for raw in sorted((ROOT / "content" / "raw").glob("*.txt"))
             for line in raw.read_text("utf-8").splitlines()]
    return "\n".join(lines[i % len(lines)] for i in range(count)) + "\n"


def many_papers(count: int) -> str:
    """A bilingual daily digest of `count` different papers: the sample's papers again and again,
    each with a title, an abstract and an arXiv id of its own (copies of one abstract would be
    one paper listed thousands of times, which no digest is)."""
    text = (ROOT / "content" / "raw" / "004_3611374432c9d306.txt").read_text("utf-8")
    lines = text.splitlines()[1:]
    starts = [i - 1 for i, line in enumerate(lines) if line.startswith("(") and i > 0]
    papers = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)])]
    out = ["2025년 1월 2일"]
    for i in range(count):
        title, authors, abstract, *rest = papers[i % len(papers)]
        out += [f"{title} {i}", authors, f"In study number {i}: {abstract}", *rest[:-1],
                f"arXiv:{2501 + i // 90000}.{i % 90000 + 10000:05d}", rest[-1]]
    return "\n".join(out) + "\n"


def linked_papers(count: int) -> str:
    """`abstract-lines` papers each with its own arXiv line: reference lines given to their
    papers one by one (each looked up among all papers, once) were quadratic in the papers."""
    return "".join(f"Title {i}\nAbstract: An abstract of paper {i}. It has two sentences.\n"
                   f"arXiv:{2501 + i // 90000}.{i % 90000 + 10000:05d}\n" for i in range(count))


def import_seconds(folder: Path, text: str) -> float:
    raw = folder / "many.txt"
    raw.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    run_import([raw], folder / "content")
    return time.perf_counter() - start


def main() -> int:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 25_000
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "raw.txt"
        for raw in sorted((ROOT / "content" / "raw").glob("*.txt")):
            text = raw.read_text("utf-8")
            fmt = formats.detect_format(clean.split_lines(text)) or "abstract-lines"
            for where, make in (("after", lambda n: text + junk(n)), ("before", lambda n: junk(n) + text)):
                small, large = (seconds(scratch, make(n), fmt) for n in (size, 4 * size))
                worst = max(worst, ratio_line(f"{fmt} junk {where}", small, large,
                                              (size, 4 * size), "lines"))
        repeated = (int(size / 2.5), int(4 * size / 2.5))
        for fmt in formats.FORMAT_NAMES:
            small, large = (seconds(scratch, samples_repeated(n), fmt) for n in repeated)
            worst = max(worst, ratio_line(f"samples forced {fmt}", small, large, repeated, "lines"))
        linked = (2_000, 8_000)
        small, large = (seconds(scratch, linked_papers(n), "abstract-lines") for n in linked)
        worst = max(worst, ratio_line("abstract-lines, a link per paper", small, large, linked,
                                      "papers"))
    counts = (2_500, 10_000)
    timings = []
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            timings.append(import_seconds(Path(folder), many_papers(count)))
    worst = max(worst, ratio_line("import of a raw digest", *timings, counts, "papers"))
    print(f"import of a 10,000-paper raw digest: {timings[1]:.1f} s, "
          f"{counts[1] / timings[1]:.0f} papers/s")
    return verdict(worst)


def verdict(worst: float) -> int:
    """Print the worst ratio against LIMIT; the exit status: 1 past it."""
    print(f"worst ratio {worst:.1f} (linear ≈ 4, quadratic ≈ 16; limit {LIMIT})")
    return 1 if worst > LIMIT else 0


if __name__ == "__main__":
    sys.exit(main())
