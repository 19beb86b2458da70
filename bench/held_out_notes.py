"""Import each note of a folder alone and count what the importer makes of it: the shape it
detects, and whether it finds a paper with a plausible title. Not part of the test suite: the
notes are a held-out sample, never tuned against (the corpus in tests/fixtures/real/ is).

    git clone https://github.com/rosinality/arxiv-today /tmp/arxiv-today
    python bench/held_out_notes.py /tmp/arxiv-today/arXiv

A title is "plausible" when it is there, is at most 200 characters and holds no Hangul (the
vault's titles are English; Korean there is commentary taken for a title).
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from litdigest.importer import clean  # noqa: E402
from litdigest.importer.formats import detect_format, parse  # noqa: E402

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def main(folder: Path) -> None:
    notes = sorted(folder.rglob("*.md"))
    shapes: collections.Counter[str] = collections.Counter()
    with_paper: collections.Counter[str] = collections.Counter()
    plausible = 0
    for note in notes:
        lines = clean.split_lines(note.read_text(encoding="utf-8", errors="replace"))
        shape = detect_format(lines)
        shapes[shape or "(refused)"] += 1
        if shape is None:
            continue
        papers = [p for d in parse(lines, shape).digests for p in d.papers]
        if papers:
            with_paper[shape] += 1
            plausible += all(p.title and len(p.title) <= 200 and not HANGUL.search(p.title)
                             for p in papers)
    print(f"{len(notes)} notes: {sum(with_paper.values())} with a paper, "
          f"{plausible} of them with plausible titles only")
    for shape, count in shapes.most_common():
        print(f"  {shape}: {count} notes, {with_paper[shape]} with a paper")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
