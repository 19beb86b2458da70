"""Expected output kept beside its input: files compared byte for byte with what a run gave, the
first difference shown as a diff; with LITDIGEST_UPDATE_EXPECTED=1 the run's output is written
as the new expectation instead (read `git diff` before committing it)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

UPDATE = "LITDIGEST_UPDATE_EXPECTED"


def updating() -> bool:
    return bool(os.environ.get(UPDATE))


def compare_or_update(folder: Path, actual: dict[str, bytes], inputs: set[str]) -> None:
    """Fail unless the files of `folder` (the `inputs` aside) are `actual`,
    path for path and byte for byte; or, when updating, make them so."""
    expected = {path: data for path, data in _files(folder).items() if path not in inputs}
    if updating():
        _write(folder, expected, actual)
        return
    problem = first_difference(expected, actual)
    if problem:
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
        pytest.fail(f"{folder}: {problem}\n(if the change is meant: {UPDATE}=1 python -m pytest '{test}', "
                    "then read git diff)", pytrace=False)


def first_difference(expected: dict[str, bytes], actual: dict[str, bytes]) -> str | None:
    """None where the two trees are equal; else the missing or extra files, or a diff of the
    first file (in path order) whose bytes differ."""
    missing, extra = sorted(expected.keys() - actual.keys()), sorted(actual.keys() - expected.keys())
    if missing or extra:
        return (f"expected but not written: {missing or 'none'}; written but not expected: {extra or 'none'}")
    for path in sorted(expected):
        if expected[path] != actual[path]:
            return f"{path} differs (- expected, + written):\n{_diff(expected[path], actual[path], path)}"
    return None


def _diff(expected: bytes, actual: bytes, path: str) -> str:
    def lines(data: bytes) -> list[str]:
        text = data.decode("utf-8", errors="backslashreplace")
        return [line.replace("\r", "\\r") + "\n" for line in text.split("\n")]

    diff = "".join(difflib.unified_diff(lines(expected), lines(actual), f"{path} (expected)", f"{path} (written)"))
    return diff or f"the same text, different bytes: {expected[:80]!r}… vs {actual[:80]!r}…"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _write(folder: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    for path in old.keys() - new.keys():
        (folder / path).unlink()
    for path, data in new.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):  # deepest first
        if not any(sub.iterdir()):
            sub.rmdir()
