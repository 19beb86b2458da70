"""Content written before commentary named its digest, and before a paper's date was its own, is
brought to the present format by the next import of its raw files, with no fact lost.

Two histories: the example content as it was (tests/fixtures/history/, a copy of content/ before
the change), and a two-digest history written the old way — one commentary block per language
holding both digests' paragraphs, the paper dated by its first digest — which must import into
exactly what the present importer writes for the same digests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from litdigest.content.folder import load_content
from litdigest.content.model import Content, Paper
from litdigest.content.pages import paper_text, parse_paper
from litdigest.importer.run import run_import
from litdigest.importer.state import STATE_FILE, fingerprint
from tests.helpers.paths import FIXTURES
from tests.helpers.trees import snapshot
from tests.test_digest_history import DIGESTS, SFT, WEEKS, sample_papers, week

BEFORE = FIXTURES / "history" / "content-before-digest-commentary"


def facts(content: Content) -> dict[str, set[tuple[str, ...]]]:
    """Every fact of every paper, by id: its fields, each commentary paragraph with its language."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for paper in content.papers:
        kept = {("title", paper.title), ("abstract", paper.abstract), ("venue", str(paper.venue))}
        kept |= {("author", a) for a in paper.authors} | {("tag", t) for t in paper.tags}
        kept |= {("link", n, u) for n, u in paper.links} | {("digest", d) for d in paper.digests}
        kept |= {("commentary", c.lang, p.strip()) for c in paper.commentary
                 for p in c.text.split("\n\n") if p.strip()}
        found[paper.id] = kept
    return found


def test_the_example_content_is_migrated_with_no_fact_lost(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(BEFORE, content)
    old = load_content(content)
    run_import(sorted((content / "raw").iterdir()), content)
    new = load_content(content)

    assert facts(new) == facts(old)
    listed_on = {d.id: d.date.isoformat() for d in new.digests if d.date}
    after = {p.id: p for p in new.papers}
    for paper in old.papers:
        moved = after[paper.id]
        assert all(c.digest in moved.digests for c in moved.commentary), moved.slug
        if paper.date is not None and paper.date != moved.date:
            # the day a digest listed it, which its digest still says; never a date made up
            assert paper.date in {listed_on.get(d) for d in paper.digests}, paper.slug
            assert moved.date is None or paper.id.startswith("arxiv:"), moved.slug
    assert run_import(sorted((content / "raw").iterdir()), content).written == ()


def test_a_two_digest_history_written_the_old_way_imports_as_if_written_now(tmp_path: Path) -> None:
    papers = sample_papers()
    raw = tmp_path / "raw"
    raw.mkdir()
    files = [week(raw, 1, [SFT], papers), week(raw, 2, [SFT], papers)]
    now, then = tmp_path / "now", tmp_path / "then"
    run_import(files, now)
    shutil.copytree(now, then)
    written_the_old_way(then)
    old_page = (then / "papers" / f"{SFT}.md").read_text(encoding="utf-8")
    assert "::: commentary ko\n" in old_page and f"date: {WEEKS[0]}" in old_page

    run_import(files, then)
    assert snapshot(then / "papers") == snapshot(now / "papers")
    assert snapshot(then / "digests") == snapshot(now / "digests")
    assert run_import(files, then).written == ()


def written_the_old_way(content: Path) -> None:
    """Pages and import state as the importer wrote them before commentary named its digest:
    per language one block, the digests' paragraphs in turn (its source `*`, several digests),
    and the paper dated by its first digest."""
    dates = {d.id: d.date for d in load_content(content).digests}
    state_path = content / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8"))
    for path in sorted((content / "papers").glob("*.md")):
        paper = parse_paper(path.read_text(encoding="utf-8"), path)
        old = _old_paper(paper, dates[paper.digests[0]].isoformat())
        path.write_text(paper_text(old), encoding="utf-8")
        values = state["papers"][paper.id]["values"]
        for name in [n for n in values if n.startswith("commentary:")]:
            del values[name]
        for block in old.commentary:
            several = len({c.digest for c in paper.commentary if c.lang == block.lang}) > 1
            values[f"commentary:{block.lang}"] = [fingerprint(block.text),
                                                  "*" if several else paper.digests[0]]
        values["date"] = [fingerprint(old.date), paper.digests[0]]
    state_path.write_text(json.dumps(state, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def _old_paper(paper: Paper, first_listed: str) -> Paper:
    from dataclasses import replace

    from litdigest.content.model import Commentary

    by_lang: dict[str, list[str]] = {}
    for block in paper.commentary:
        by_lang.setdefault(block.lang, []).append(block.text)
    return replace(paper, date=first_listed,
                   commentary=tuple(Commentary(lang, "\n\n".join(texts)) for lang, texts in by_lang.items()))
