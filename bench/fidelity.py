#!/usr/bin/env python3
"""How much of real pasted text the importer keeps: a table per file of the real corpus
(tests/fixtures/real/, its sources in SOURCES.md) — shape, papers found, facts kept, spurious
papers — and the totals. Not timed; `tests/test_import_real_corpus.py` holds the same figures to
the issue's bar.

    python bench/fidelity.py          # the table
    python bench/fidelity.py -v       # and every fact lost
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.fidelity import FileFidelity, measure_corpus  # noqa: E402


def row(f: FileFidelity) -> str:
    shape = f.detected or "REFUSED"
    if f.detected and f.detected != f.shape:
        shape = f"{f.detected} (expected {f.shape})"
    share = f"{100 * f.kept / f.facts:.1f}%" if f.facts else "-"
    return (f"| {f.name} | {shape} | {f.found}/{f.papers} | {f.kept}/{f.facts} | {share} "
            f"| {len(f.spurious)} |")


def main(verbose: bool) -> int:
    results = measure_corpus()
    print("| file | shape | papers found | facts kept | share | spurious |")
    print("|---|---|---|---|---|---|")
    for f in results:
        print(row(f))
    papers = sum(f.papers for f in results)
    found = sum(f.found for f in results)
    facts = sum(f.facts for f in results)
    kept = sum(f.kept for f in results)
    refused = sum(f.detected is None for f in results)
    shapes = len({f.shape for f in results})
    print(f"\n{len(results)} files in {shapes} shapes: {found}/{papers} papers found, "
          f"{kept}/{facts} facts kept ({100 * kept / max(facts, 1):.1f}%), {refused} refused, "
          f"{sum(len(f.spurious) for f in results)} spurious papers")
    if verbose:
        for f in results:
            if f.refusal:
                print(f"\n{f.name}: refused: {f.refusal}")
            for miss in f.misses:
                print(f"{f.name}: {miss.paper}: {miss.fact} lost: {miss.expected!r}")
            for title in f.spurious:
                print(f"{f.name}: spurious paper {title!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main("-v" in sys.argv[1:]))
