"""Reading the raw digests: every file decoded, its format found and its papers parsed, before
anything is written; any user mistake in any file is one error listing all of them."""

from __future__ import annotations

import codecs
from dataclasses import replace
from pathlib import Path

from litdigest.content.pages import MAX_TAGS
from litdigest.content.reading import read_regular
from litdigest.errors import LitdigestError, Problem
from litdigest.importer import clean
from litdigest.importer import formats  # `formats.parse` is looked up at each call: tests stand in for it
from litdigest.importer import identity as ids
from litdigest.importer.formats import FORMAT_NAMES, ParsedDigest, ParsedFile
from litdigest.importer.report import unplaced_text

RAW_SIZE_LIMIT = 50_000_000  # bytes: a raw digest is a few hundred KB; more is a wrong file


def parse_all(paths: list[Path], fmt: str | None, encoding: str | None,
              skip_unreadable: bool = False) -> tuple[list[tuple[Path, ParsedFile]], list[Problem]]:
    """Every file parsed, or one error listing the problems of all of them. With
    `skip_unreadable`, a file that cannot be read is left out instead, and its problem returned
    beside the files that can (all or nothing is the default)."""
    problems = _option_problems(fmt, encoding)
    if problems:
        raise LitdigestError(problems)
    parsed: list[tuple[Path, ParsedFile]] = []
    for path in paths:
        result = parse_file(path, fmt, encoding)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            parsed.append((path, result))
    problems = sorted([*problems, *_too_many_tags(parsed)], key=lambda problem: problem.path)
    if problems and not skip_unreadable:
        raise LitdigestError([_with_skip_hint(p) for p in problems] if len(paths) > 1 else problems)
    refused = {problem.path for problem in problems}
    parsed = [(path, found) for path, found in parsed if str(path) not in refused]
    clashes = _digest_clashes(parsed)
    if clashes:
        raise LitdigestError(clashes)
    return parsed, problems


def _with_skip_hint(problem: Problem) -> Problem:
    """A refused file among several: the user may import the others."""
    return replace(problem, hint=f"{problem.hint}; or pass --skip-unreadable to import the other files")


def _option_problems(fmt: str | None, encoding: str | None) -> list[Problem]:
    problems = []
    if fmt is not None and fmt not in FORMAT_NAMES:
        problems.append(Problem("--format", None, f"unknown format '{fmt}'",
                                f"use one of: {', '.join(FORMAT_NAMES)}"))
    if encoding is not None and not is_text_encoding(encoding):
        problems.append(Problem("--encoding", None,
                                f"unknown encoding '{encoding}' (or not one that decodes text)",
                                "use a Python text codec name such as cp949, euc-kr or latin-1"))
    return problems


def is_text_encoding(name: str) -> bool:
    """Whether `name` decodes bytes to text (`rot13` and `base64` are codecs, but not that)."""
    try:
        b"a".decode(name)  # empty bytes decode without the codec being looked at
    except UnicodeError:
        return True  # a text codec that cannot decode this one byte (UTF-16)
    except (LookupError, TypeError, ValueError):
        return False
    return True


def parse_file(path: Path, fmt: str | None, encoding: str | None) -> ParsedFile | Problem:
    """One raw file parsed, or the problem that stops it. A line no parser accounted for (a bug)
    is reported as unplaced all the same: nothing is dropped silently."""
    text = read_raw(path, encoding)
    if isinstance(text, Problem):
        return text
    lines = clean.split_lines(text)
    if not any(lines):
        return Problem(str(path), None, "empty file", "put a digest in it or leave it out")
    found = fmt or formats.detect_format(lines)
    if found is None:
        return Problem(str(path), None, formats.refusal(lines),
                       "pass --format NAME to read it as one shape anyway "
                       "(`litdigest import --format` lists every shape with an example)")
    parsed = formats.parse(lines, found)
    if not parsed.papers:  # a shape's marks with no paper in them (a cut-off paste): no digest
        return Problem(str(path), None, f"read as {found}, it gives no paper",
                       "check that the whole text was pasted (a cut-off file reads as no shape), "
                       "or pass --format NAME")
    missing = formats.unaccounted(lines, parsed)
    return replace(parsed, unplaced=tuple(sorted({*parsed.unplaced, *missing}))) if missing else parsed


def read_raw(path: Path, encoding: str | None) -> str | Problem:
    """The text of a raw digest: UTF-8 (BOM or not), UTF-16 with a BOM, or `encoding`."""
    try:
        raw = read_regular(path, RAW_SIZE_LIMIT, what="raw digest")
    except LitdigestError as err:
        return err.problems[0]
    codec = encoding or ("utf-16" if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                         else "utf-8")
    try:
        return raw.decode(codec)
    except UnicodeError as err:
        start = getattr(err, "start", 0)
        line = clean.count_lines(raw[:start].decode(codec, errors="replace"))
        if encoding:
            return Problem(str(path), line, f"not {encoding} text",
                           "pass the encoding the file was saved in, or save it as UTF-8")
        return Problem(str(path), line, "not UTF-8", "save as UTF-8 or pass --encoding cp949")


def refuse_unplaced(parsed: list[tuple[Path, ParsedFile]]) -> None:
    """For `--strict`: one error listing every line not placed, if there is any."""
    problems = [Problem(str(path), number, f"line not placed: {unplaced_text(text)}",
                        "fix or remove the line, or import without --strict")
                for path, found in parsed for number, text in found.unplaced]
    if problems:
        raise LitdigestError(problems)


def _digest_clashes(parsed: list[tuple[Path, ParsedFile]]) -> list[Problem]:
    """Two raw files must not make the same digest (`000_a1b2c3d4.txt` and `000.txt`)."""
    owners: dict[str, Path] = {}
    problems = []
    for path, found in parsed:
        for digest in found.digests:
            name = digest_id_of(path, digest)
            owner = owners.setdefault(name, path)
            if owner != path:
                problems.append(Problem(str(path), digest.line,
                                        f"digest '{name}' is also made by {owner}",
                                        "rename one of the files"))
    return problems


def _too_many_tags(parsed: list[tuple[Path, ParsedFile]]) -> list[Problem]:
    """A paper with more tags than a page may carry would make a page no build reads."""
    return [Problem(str(path), paper.line,
                    f"{len(paper.tags)} tags on one paper, more than the limit of {MAX_TAGS}",
                    "keep the tags that matter and import again")
            for path, found in parsed for paper in found.papers if len(paper.tags) > MAX_TAGS]


def digest_id_of(path: Path, digest: ParsedDigest) -> str:
    return ids.digest_id(path.name, digest.date.isoformat() if digest.date else None)
