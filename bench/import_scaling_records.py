#!/usr/bin/env python3
"""Are the reference-manager formats (`bibtex`, `ris`) linear in their input? Not part of the
test suite (tests never time anything).

    python bench/import_scaling_records.py           # N = 2,500 and 10,000 records
    python bench/import_scaling_records.py 5000      # N and 4N
    python bench/import_scaling_records.py --import  # and a whole import of 4N records

Each real corpus file's records (tests/fixtures/real/*.bib, *.ris) are repeated, each copy with
its own key, title, abstract, arXiv id and DOI, to N and 4N records; the parse of each
(bibtexparser and the LaTeX decoding included) is timed in CPU seconds and the ratio printed:
linear work gives near 4, quadratic near 16. Exits 1 when a ratio is above 8. `--import` also times `litdigest import` of the 4N-record .bib
into an empty content/ (pages written), for the issue's "10,000-paper raw digest" line.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_scaling import ratio_line, verdict  # noqa: E402
from litdigest.importer.raw import parse_file  # noqa: E402
from litdigest.importer.run import run_import  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "real"


def bib_records(count: int) -> str:
    """`count` BibTeX entries, the corpus's in turn, each with a unique key, title, abstract,
    arXiv id and DOI (copies of one title would be one paper listed many times, not many papers)."""
    entries = [e for raw in sorted(CORPUS.glob("*.bib"))
               for e in re.split(r"\n(?=@)", raw.read_text("utf-8")) if e.lstrip().startswith("@")]
    out = []
    for i in range(count):
        entry = re.sub(r"^(\s*@\w+\{)[^,]*,", rf"\g<1>copy{i},", entries[i % len(entries)], count=1)
        # every arXiv id it names (eprint, url, note) becomes this copy's own
        entry = re.sub(r"\b\d{4}\.\d{4,5}\b", f"{2001 + i // 99999:04d}.{i % 99999 + 1:05d}", entry)
        entry = re.sub(r"(\b(?:title|abstract)\s*=\s*[{\"])", rf"\g<1>Copy {i}: ", entry, flags=re.I)
        out.append(re.sub(r"(doi\s*=\s*[{\"])[^}\"]*", rf"\g<1>10.9999/copy.{i}", entry, flags=re.I))
    return "\n\n".join(out) + "\n"


def ris_records(count: int) -> str:
    """`count` RIS records, the corpus's in turn, each with a unique title, abstract and DOI."""
    records = [r + "ER  -" for raw in sorted(CORPUS.glob("*.ris"))
               for r in raw.read_text("utf-8-sig").split("ER  -") if "TY  -" in r]
    return "\n".join(re.sub(r"((?:TI|AB)  - )", rf"\g<1>Copy {i}: ", re.sub(
        r"DO  - \S+", f"DO  - 10.9999/copy.{i}", records[i % len(records)]))
        for i in range(count)) + "\n"


def seconds(path: Path, fmt: str, count: int) -> float:
    """The time to read and parse `count` records; every record must come out a paper."""
    path.write_text((bib_records if fmt == "bibtex" else ris_records)(count), encoding="utf-8")
    start = time.process_time()  # CPU time: the parse is one thread, and the machine may be shared
    found = parse_file(path, fmt, None)
    elapsed = time.process_time() - start
    assert len(getattr(found, "papers", ())) == count, f"{fmt}: a record was lost"
    return elapsed


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    size = int(args[0]) if args else 2_500
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for fmt, suffix in (("bibtex", ".bib"), ("ris", ".ris")):
            scratch = Path(folder) / f"records{suffix}"
            sizes = (size, 4 * size)
            small, large = (seconds(scratch, fmt, n) for n in sizes)
            worst = max(worst, ratio_line(fmt, small, large, sizes, "records"))
        if "--import" in sys.argv:
            raw = Path(folder) / "library.bib"
            raw.write_text(bib_records(4 * size), encoding="utf-8")
            start = time.perf_counter()
            run_import([raw], Path(folder) / "content")
            print(f"import of {4 * size} .bib records (pages written) into an empty content/: "
                  f"{time.perf_counter() - start:.1f} s")
    return verdict(worst)


if __name__ == "__main__":
    sys.exit(main())
