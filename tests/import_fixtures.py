"""Shared helpers for the import tests: where the five real sample digests are, and copies of them."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


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


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A copy of the five samples, so tests may change them freely."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for number in ("000", "001", "002", "003", "004"):
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


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove that nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
