#!/usr/bin/env python3
"""Is an import linear in its input? Not part of the test suite (tests never time anything).

    python bench/import_scaling.py            # N = 25,000 and 100,000 junk lines
    python bench/import_scaling.py 50000      # N and 4N

For each sample raw digest (content/raw/, one per format) it times the parse of that digest
followed by N junk lines and by 4N junk lines, then before it, and prints the ratio of the two
times. Linear work gives a ratio near 4; a quadratic spot (a tuple copied per line, as
`_Pending.add_text` once did: 100,000 junk lines took 20 s) gives near 16. Exits 1 when a
ratio is above 8.
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

LIMIT = 8.0


def junk(count: int) -> str:
    return "".join(f"junk line number {i} with some words\n" for i in range(count))


def seconds(path: Path, text: str, fmt: str) -> float:
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    parse_file(path, fmt, None)
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
                ratio = large / max(small, 1e-9)
                worst = max(worst, ratio)
                print(f"{fmt:17} junk {where:6}  {size:>7} lines {small:6.2f} s  "
                      f"{4 * size:>7} lines {large:6.2f} s  ratio {ratio:4.1f}", flush=True)
    print(f"worst ratio {worst:.1f} (linear ≈ 4, quadratic ≈ 16; limit {LIMIT})")
    return 1 if worst > LIMIT else 0


if __name__ == "__main__":
    sys.exit(main())
