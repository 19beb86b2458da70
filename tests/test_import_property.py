"""Property-based: random and mutated digests — the five samples and the realistic digests with
lines dropped, duplicated, swapped, split and joined, junk and near-miss markers inserted, odd
spaces, random Unicode, CRLF/CR, a BOM, a forced format — never make the importer crash (only a
LitdigestError is allowed), never make it write outside content/, and every non-blank line is
either placed (each of its words kept) or reported as unplaced with its number. The pages it
writes pass `check`, and importing the same files again writes nothing. Every shape in the
registry (`formats.FORMATS`, so a shape added later is covered as soon as it is registered) is
forced on every kind of source — the samples, the realistic digests, the real corpus and each
shape's own one-line example — and must hold to the same properties.

Each run records how many examples it tried in tests/artifacts/hypothesis-import.txt (and prints
it with `pytest -s`). LITDIGEST_HYPOTHESIS_EXAMPLES raises the count for a longer search.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.helpers.paths import ARTIFACTS
from tests.helpers.placed_words import line_words, parsed_texts
from tests.helpers.raw_digests import fixture, fixtures, sample, samples
from litdigest.importer import clean
from litdigest.importer import formats
from litdigest.check.content import check_content
from litdigest.content.pages import paper_text, parse_paper
from litdigest.content.model import Commentary, Paper
from litdigest.errors import LitdigestError
from litdigest.importer.identity import is_safe_name
from litdigest.importer.report import ImportReport
from litdigest.importer.run import run_import
from litdigest.importer.state import STATE_FILE

EXAMPLES = int(os.environ.get("LITDIGEST_HYPOTHESIS_EXAMPLES", "200"))
REAL = Path(__file__).resolve().parent / "fixtures" / "real"


def real_corpus() -> list[Path]:
    """The raw files of the real corpus (not their golden facts nor SOURCES.md)."""
    return sorted(p for p in REAL.glob("*") if p.is_file()
                  and not p.name.endswith((".expected.yaml", ".md")))


def example_text(example: str) -> str:
    """A shape's one-line EXAMPLE as the lines it stands for (`⏎` and ` / ` are line breaks)."""
    return example.replace(" ⏎⏎ ", "\n\n").replace(" ⏎ ", "\n").replace(" / ", "\n") + "\n"


SOURCES = {path.stem: path.read_bytes().decode("utf-8", errors="replace")
           for path in [*samples(), *fixtures(), *real_corpus()]}
SOURCES.update({f"example-{name}": example_text(example) for name, example in formats.examples()})
# "placed means kept", word by word, is checked on the digests written in the five first shapes;
# the real corpus, in every shape, is held fact by fact to its golden files instead
# (tests/test_import_real_corpus.py): a BibTeX `file = {…}` field, a table's header row or a
# mail's `(31214kb,D)` is placed in its paper, and no page keeps its words
WORD_CHECKED = {path.stem for path in [*samples(), *fixtures()]}
NEAR_MISSES = [
    "arXiv:2401.00001", "arXiv:2401.00001v2", "https://arxiv.org/pdf/2401.00002v1", "arXiv:cs/0601001",
    "[2501.01234] A Title", "Abstract:", "Abstract", "초록:", "#", "#🔥", "# heading", "##", "#tag #태그, #x-y",
    "(", "()", "(A, B)", "(Ann Lee, and Bo Kim, et al.)", "2025년 1월 1일", "2025년 13월 1일", "## 2025-02-30",
    "Dec 19, 2024", "---", "* * *", ":::", "::: commentary ko", "::: commentary en", "Code: https://x.example/y",
    "Project page: https://p.example", "doi:10.1000/xyz", "DOI: 10.1000/ABC(1).", "URL: https://u.example",
    "Code:", "arXiv: https://arxiv.org/abs/2401.00003", "CON", "../../x", "<script>alert(1)</script>",
    "[x](javascript:alert(1))", "title: \"yaml\"", "- item", "key: value", "\u202e", "\x00", "…",
]
ODD = ["\u00a0", "\u2009", "\u3000", "\t", "\u200b", "\u00ad", "\x0c", "\u2028", "\x85", "\ufeff", "\u202f"]


# ---- the inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    kind: str
    at: int
    other: int = 0
    text: str = ""


any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
junk = st.one_of(st.sampled_from(NEAR_MISSES), any_text,
                 st.builds(lambda a, b: f"{a} {b}", st.sampled_from(NEAR_MISSES), any_text))
mutations = st.one_of(
    st.builds(Mutation, st.sampled_from(["drop", "duplicate", "join", "blank"]), st.integers(0, 200)),
    st.builds(Mutation, st.just("swap"), st.integers(0, 200), st.integers(0, 200)),
    st.builds(Mutation, st.just("insert"), st.integers(0, 200), text=junk),
    st.builds(Mutation, st.just("split"), st.integers(0, 200), st.integers(0, 400)),
    st.builds(Mutation, st.just("cut"), st.integers(0, 200), st.integers(0, 400)),
    st.builds(Mutation, st.just("char"), st.integers(0, 200), st.integers(0, 400),
              st.one_of(st.sampled_from(ODD), st.characters(blacklist_categories=("Cs",)))),
    st.builds(Mutation, st.just("odd-spaces"), st.integers(0, 200), text=st.sampled_from(ODD)),
)


def mutate(lines: list[str], change: Mutation) -> list[str]:
    if not lines:
        return [change.text]
    at, lines = change.at % len(lines), list(lines)
    line = lines[at]
    if change.kind == "drop":
        del lines[at]
    elif change.kind == "duplicate":
        lines.insert(at, line)
    elif change.kind == "blank":
        lines.insert(at, "")
    elif change.kind == "join" and at + 1 < len(lines):
        lines[at:at + 2] = [line + lines[at + 1]]
    elif change.kind == "swap":
        other = change.other % len(lines)
        lines[at], lines[other] = lines[other], line
    elif change.kind == "insert":
        lines.insert(at, change.text)
    elif change.kind == "split":
        cut = change.other % (len(line) + 1)
        lines[at:at + 1] = [line[:cut], line[cut:]]
    elif change.kind == "cut":
        lines[at] = line[:change.other % (len(line) + 1)]
    elif change.kind == "char":
        cut = change.other % (len(line) + 1)
        lines[at] = line[:cut] + change.text + line[cut:]
    elif change.kind == "odd-spaces":
        lines[at] = line.replace(" ", change.text)
    return lines


@st.composite
def mutated_digest(draw: st.DrawFn, forced: str | None = None) -> tuple[str, bytes, str | None]:
    """(name, bytes, forced format or None): a real digest after a few mutations; with `forced`,
    read as that shape."""
    name = draw(st.sampled_from(sorted(SOURCES)))
    lines = SOURCES[name].replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff").split("\n")
    for change in draw(st.lists(mutations, max_size=6)):
        lines = mutate(lines, change)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    fmt = forced or draw(st.sampled_from([None] * 6 + list(formats.FORMAT_NAMES)))
    return f"{name}.txt", (bom + newline.join(lines)).encode("utf-8"), fmt


random_digest = st.builds(
    lambda lines, newline: ("random.txt", newline.join(lines).encode("utf-8"), None),
    st.lists(st.one_of(junk, any_text), max_size=12), st.sampled_from(["\n", "\r\n", "\r"]))


# ---- the properties --------------------------------------------------------------------------------


@contextmanager
def workspace() -> Iterator[Path]:
    """A fresh folder per example (in memory where the system has one: fsync is free there)."""
    memory = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="litdigest-prop-", dir=memory))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def import_checked(root: Path, files: list[tuple[str, bytes, str | None]]) -> ImportReport | None:
    """Import the files into root/content and check every property; None on a user error."""
    (root / "raw").mkdir(exist_ok=True)
    (root / "sentinel.txt").write_text("outside content/", encoding="utf-8")
    paths = []
    for name, data, _ in files:
        (root / "raw" / name).write_bytes(data)
        paths.append(root / "raw" / name)
    before = tree(root)
    content = root / "content"
    forced = {fmt for *_, fmt in files} - {None}
    fmt = forced.pop() if len(forced) == 1 and len(files) == 1 else None
    try:
        report = run_import(paths, content, fmt=fmt)
    except LitdigestError:
        assert tree(root) == before  # a refused import changes nothing at all
        return None
    after = tree(root)
    assert {k: v for k, v in after.items() if not k.startswith("content/")} == before
    for name in after:
        if name.startswith("content/") and name != f"content/{STATE_FILE}":
            folder, file_name = name.split("/")[1:]
            assert folder in ("papers", "tags", "digests") and file_name.endswith(".md"), name
            assert is_safe_name(file_name[:-3]), name
    for file_report, path in zip(report.files, sorted(paths, key=str)):
        assert_every_line_accounted(path, file_report.unplaced, fmt, words=path.stem in WORD_CHECKED)
    problems, _ = check_content(content)
    assert problems == [], problems
    again = run_import(paths, content, fmt=fmt)
    assert again.written == (), again.written
    return report


def assert_every_line_accounted(path: Path, unplaced: tuple[tuple[int, str], ...], fmt: str | None,
                                words: bool = True) -> None:
    lines = clean.split_lines(path.read_bytes().decode("utf-8"))
    found = formats.parse(lines, fmt or formats.detect_format(lines) or "")
    non_blank = {number for number, text in enumerate(lines, 1) if text}
    assert found.placed() | {number for number, _ in unplaced} >= non_blank
    if not words:
        return
    kept = " ".join([*parsed_texts(found), *(text for _, text in unplaced)]).casefold()
    for number in found.placed():
        for word in line_words(lines[number - 1]):
            assert word in kept, (number, word, lines[number - 1])


def record(name: str, examples: int, errors: int) -> None:
    line = f"{name}: {examples} examples tried, {errors} refused with a LitdigestError, 0 failures\n"
    print(line, end="")
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "hypothesis-import.txt", "a", encoding="utf-8") as log:
        log.write(line)


def test_mutated_digests_are_imported_faithfully() -> None:
    tried = {"examples": 0, "errors": 0}

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated_digest())
    def check(digest: tuple[str, bytes, str | None]) -> None:
        tried["examples"] += 1
        with workspace() as root:
            tried["errors"] += import_checked(root, [digest]) is None

    check()
    record("mutated digests", tried["examples"], tried["errors"])


@pytest.mark.parametrize("shape", formats.FORMAT_NAMES)
def test_every_shape_in_the_registry_reads_any_source_safely(shape: str) -> None:
    """Forced on any source, mutated or not: no traceback, nothing written outside content/,
    every line accounted for, and a second import writes nothing."""
    tried = {"examples": 0, "errors": 0}

    @settings(max_examples=max(EXAMPLES // 8, 10), deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(mutated_digest(forced=shape))
    def check(digest: tuple[str, bytes, str | None]) -> None:
        tried["examples"] += 1
        with workspace() as root:
            tried["errors"] += import_checked(root, [digest]) is None

    check()
    record(f"digests forced into {shape}", tried["examples"], tried["errors"])


def found_examples() -> list[tuple[tuple[str, bytes, None], tuple[str, bytes, None]]]:
    """Pairs hypothesis found that a second import changed: one paper's abstract cut short in one
    digest and whole in the other (a cut-short copy names the page only while the page's abstract
    is cut short too); an arXiv marker in the middle of an abstract's first word; an arXiv link
    that moved from one paper's listing to the next one's (a page's own id must win over another
    page's link to it)."""
    pairs = [(("abstracts_dupes.txt", one, None), ("abstracts_dupes.txt", two, None))
             for one, two in _dupes_examples()]
    profile = fixture("profile_crlf_refs").read_bytes().replace(b"\r\n", b"\n")
    link = b"https://arxiv.org/abs/2403.05440\n"
    moved = profile.replace(b"cosine-similarity\n" + link + b"\n\nAttention",
                            b"cosine-similarity\n\n\n" + link + b"Attention", 1)
    assert moved != profile
    return [*pairs, (("profile_crlf_refs.txt", profile, None), ("profile_crlf_refs.txt", moved, None))]


def _dupes_examples() -> list[tuple[bytes, bytes]]:
    dupes = fixture("abstracts_dupes").read_bytes()
    lines = dupes.split(b"\n")
    whole = lines[2]
    cut = whole[: whole.index(b"images and text a") + len(b"images and text a")]
    return [(b"\n".join([*lines[:2], cut, lines[3], whole, *lines[5:]]),
             b"\n".join([*lines[:2], whole, lines[3], cut, *lines[5:]])),
            (dupes.replace(b"arXiv:2303.08774v6\nAbstract: T", b"Abstract: T\narXiv:2303.08774v6\n", 1),
             dupes)]


def test_two_mutated_digests_merge_faithfully() -> None:
    tried = {"examples": 0, "errors": 0}
    found = found_examples()

    @settings(max_examples=max(EXAMPLES // 4, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @example(*found[0])
    @example(*found[1])
    @example(*found[2])
    @given(mutated_digest(), mutated_digest())
    def check(one: tuple[str, bytes, str | None], two: tuple[str, bytes, str | None]) -> None:
        tried["examples"] += 1
        if one[0] == two[0]:
            two = (f"other-{two[0]}", two[1], two[2])
        with workspace() as root:
            tried["errors"] += import_checked(root, [one, two]) is None

    check()
    record("pairs of mutated digests", tried["examples"], tried["errors"])


def test_random_text_is_refused_or_imported_faithfully() -> None:
    tried = {"examples": 0, "errors": 0}

    @settings(max_examples=max(EXAMPLES // 2, 10), deadline=None)
    @given(random_digest)
    def check(digest: tuple[str, bytes, str | None]) -> None:
        tried["examples"] += 1
        with workspace() as root:
            tried["errors"] += import_checked(root, [digest]) is None

    check()
    record("random text", tried["examples"], tried["errors"])


# ---- hand edits survive -------------------------------------------------------------------------------

edit_text = st.text(st.characters(whitelist_categories=("L", "N"), whitelist_characters=" -:?!.,'\u00e9"),
                    max_size=40).map(str.strip)


@dataclass(frozen=True)
class HandEdit:
    page: int
    field: str
    text: str
    keep: int


hand_edits = st.builds(HandEdit, st.integers(0, 500),
                       st.sampled_from(["title", "abstract", "venue", "tags", "authors", "links", "digests",
                                        "commentary", "no-commentary"]),
                       edit_text, st.integers(0, 3))


def edited(paper: Paper, change: HandEdit) -> Paper:
    if change.field in ("title", "abstract"):
        return replace(paper, **{change.field: change.text or "x"})
    if change.field == "venue":
        return replace(paper, venue=change.text or None)
    if change.field in ("tags", "authors", "links", "digests"):
        items = getattr(paper, change.field)
        return replace(paper, **{change.field: items[:min(change.keep, max(len(items) - 1, 0))]})
    if change.field == "commentary":
        return replace(paper, commentary=(Commentary("en", change.text or "x"), *paper.commentary[1:]))
    return replace(paper, commentary=paper.commentary[1:])


def test_hand_edits_survive_reimporting_everything() -> None:
    tried = {"examples": 0, "errors": 0}
    sources = [sample("000"), sample("004"), *(fixture(n) for n in ("daily_two_dates", "daily_undated_crlf",
                                                                    "listing_links", "profile_korean"))]
    with workspace() as template:
        run_import(sources, template / "content")

        @settings(max_examples=max(EXAMPLES // 4, 10), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(st.lists(hand_edits, min_size=1, max_size=6))
        def check(changes: list[HandEdit]) -> None:
            tried["examples"] += 1
            with workspace() as root:
                content = root / "content"
                shutil.copytree(template / "content", content)
                pages = sorted((content / "papers").glob("*.md"))
                for change in changes:
                    page = pages[change.page % len(pages)]
                    paper = parse_paper(page.read_text("utf-8"), page)
                    page.write_text(paper_text(edited(paper, change)), encoding="utf-8")
                before = tree(content)
                report = run_import(sources, content)
                assert report.written == (), report.written
                assert tree(content) == before
                assert check_content(content)[0] == [] or any(c.field == "digests" for c in changes)

        check()
    record("hand edits, then everything imported again", tried["examples"], tried["errors"])
