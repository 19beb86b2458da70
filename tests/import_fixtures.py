"""Shared helpers for the import tests: the five real samples, the realistic digests in
tests/fixtures/raw/, copies of them, and small raw files written on the spot."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from litdigest.importer import clean
from litdigest.importer import formats
from litdigest.content.folder import load_content
from litdigest.importer.identity import ARXIV_MARKER
from litdigest.importer.report import ImportReport
from litdigest.importer.run import run_import
from litdigest.content.model import Content, Paper

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "raw"
SAMPLE_NUMBERS = ("000", "001", "002", "003", "004")


def samples_dir() -> Path:
    """The repo's copies in content/raw when present, else the shared seeds beside the repo."""
    in_repo = REPO / "content" / "raw"
    if in_repo.is_dir() and any(in_repo.glob("00[0-4]_*.txt")):
        return in_repo
    return REPO.parent / "shared" / "seeds"


def sample(number: str) -> Path:
    """The sample digest whose name starts with `number`, e.g. "004"."""
    (found,) = sorted(samples_dir().glob(f"{number}_*.txt"))
    return found


def fixture(name: str) -> Path:
    """A realistic raw digest from tests/fixtures/raw/, e.g. "daily_two_dates"."""
    return FIXTURES / f"{name}.txt"


def fixture_names() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.txt"))


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A copy of the five samples, so tests may change them freely."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for number in SAMPLE_NUMBERS:
        source = sample(number)
        (folder / source.name).write_bytes(source.read_bytes())
    return folder


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


def raw_file(raw_dir: Path, number: str) -> Path:
    (found,) = sorted(raw_dir.glob(f"{number}_*.txt"))
    return found


def all_raw(raw_dir: Path) -> list[Path]:
    return sorted(raw_dir.glob("*.txt"))


def write_raw(folder: Path, name: str, text: str | bytes) -> Path:
    """A raw digest written on the spot (text as UTF-8, bytes as given)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def import_text(tmp_path: Path, name: str, text: str | bytes, **options: object) -> ImportReport:
    """Write one raw digest under tmp_path/raw and import it into tmp_path/content."""
    return run_import([write_raw(tmp_path / "raw", name, text)], tmp_path / "content", **options)  # type: ignore[arg-type]


def papers_by_title(content: Path) -> dict[str, Paper]:
    return {p.title: p for p in load_content(content).papers}


def loaded(content: Path) -> Content:
    return load_content(content)


def parsed_file(path: Path) -> tuple[list[str], formats.ParsedFile]:
    """A raw file's lines and what its detected format's parser reads from them."""
    lines = clean.split_lines(path.read_bytes().decode("utf-8"))
    name = formats.detect_format(lines)
    assert name is not None, path
    return lines, formats.parse(lines, name)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove that nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def tree_hash(folder: Path) -> str:
    """One hash of every path and byte below a folder (folders included)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode() + (b"/" if path.is_dir() else b""))
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# ---- "placed means kept": the words of a placed line are in what the parser made of it ------------

LABEL_WORDS = {"abstract", "초록", "요약", "arxiv", "and", "et", "al", "etc", "doi", "https", "http", "www",
               "org", "abs", "pdf", "html", "url", "link"}


def parsed_texts(found: formats.ParsedFile) -> list[str]:
    """Every text the parser kept from a file: digest titles and every field of every paper."""
    texts = [d.title for d in found.digests]
    for paper in found.papers:
        texts += [paper.title, paper.abstract, paper.venue or "", paper.arxiv or "", paper.doi or "",
                  *paper.authors, *paper.tags, *(f"{n} {u}" for n, u in paper.links)]
        texts += [p for _, paragraphs in paper.commentary for p in paragraphs]
    return texts


def line_words(text: str) -> list[str]:
    """The words of a raw line that must survive parsing (labels, list words, arXiv versions aside)."""
    text = ARXIV_MARKER.sub(lambda m: f" {m.group(1)} ", text)  # versions dropped, glued text apart
    return [w for w in re.findall(r"[^\W_]+", text.casefold())
            if w not in LABEL_WORDS and not re.fullmatch(r"v\d+", w)]
