"""What an import reports: per raw file, its format, its papers' fate (new, merged, unchanged),
every line it could not place, every repeated listing and every edit kept over the digest."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from litdigest.errors import Problem
from litdigest.importer import clean
from litdigest.importer.merge import EARLIER, EDIT
from litdigest.wording import counted

UNPLACED_SHOWN = 72  # characters of an unplaced line quoted in the report
REPORT_WIDTH = 100  # a kept or unused value is shown whole, wrapped at this width


@dataclass(frozen=True)
class KeptEdit:
    """A value that won over what a digest says, where the digest lists the paper: a person's
    edit, or (`by` EARLIER) what an earlier digest gave."""

    line: int
    page: str  # `papers/x.md`, relative to content/
    field: str
    page_value: str
    source_value: str
    by: str = EDIT

    def text(self) -> str:
        """The edit on its first line, then both values whole, each wrapped under its name."""
        field = field_label(self.field)
        if self.by == EARLIER:
            return (f"{self.page}: {field} stays as an earlier digest gave it; this one's "
                    f"is not used\n" + _values(("kept", self.page_value), ("not used", self.source_value)))
        if not self.page_value and self.field in ("tag", "link", "digest", "paper"):
            return f"kept your edit of {self.page}: {self.field} '{_one_line(self.source_value)}' stays removed"
        return (f"kept your edit of {self.page}: {field}\n"
                + _values(("yours", self.page_value), ("digest", self.source_value)))


def field_label(field: str) -> str:
    """A field as the report names it: `commentary:ko@004` is `commentary (ko) of digest 004`."""
    if field == "heading":  # a digest's title (merge.digest_values)
        return "title"
    if not field.startswith("commentary:"):
        return field
    lang, _, digest = field[len("commentary:"):].split("#")[0].partition("@")
    return f"commentary ({lang}){' of digest ' + digest if digest else ''}"


def _one_line(value: str) -> str:
    """A value on one line: its spaces and line breaks as single spaces."""
    return " ".join(value.split())


def _values(*named: tuple[str, str]) -> str:
    """Each value whole, on one line or wrapped, after its name: `      yours:  Zephyrine`."""
    width = max(len(name) for name, _ in named) + 2
    lines = []
    for name, value in named:
        head = f"      {name + ':':<{width}}"
        lines.append(textwrap.fill(_one_line(value) or "(nothing)", REPORT_WIDTH, initial_indent=head,
                                   subsequent_indent=" " * len(head), break_long_words=False,
                                   break_on_hyphens=False))
    return "\n".join(lines)


def unplaced_text(text: str) -> str:
    """An unplaced line as the report and `--strict` quote it."""
    return clean.shorten(text, UNPLACED_SHOWN)


@dataclass(frozen=True)
class FileReport:
    """What one raw file gave: its format, its papers' fate, and every line left unplaced."""

    path: Path
    format: str
    papers: int
    new: int
    merged: int
    unchanged: int
    unplaced: tuple[tuple[int, str], ...]
    repeated: tuple[tuple[int, int], ...] = ()  # (line, line of the paper's first listing)
    kept: tuple[KeptEdit, ...] = ()
    removed: tuple[tuple[int, str], ...] = ()  # (line, slug): listings of papers a person removed
    # (id, what the site calls it) of its digests with no title of their own (digest_titles.py)
    untitled: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        counts = f"{self.new} new, {self.merged} merged, {self.unchanged} unchanged"
        if self.repeated:
            counts += f", {len(self.repeated)} repeated"
        head = f"{self.path}: {self.format}, {counted(self.papers, 'paper')} ({counts})"
        if self.unplaced:
            head += f", {counted(len(self.unplaced), 'line')} not placed"
        edits = sum(1 for k in self.kept if k.by == EDIT)
        if edits:
            head += f", {counted(edits, 'edit')} kept"
        if len(self.kept) > edits:
            head += f", {counted(len(self.kept) - edits, 'value')} not used"
        if self.removed:
            head += f", {len(self.removed)} removed by you"
        details = [f"  line {number}: {unplaced_text(text)}" for number, text in self.unplaced]
        details += [f"  line {number}: the same paper as line {first}, merged into it"
                    for number, first in self.repeated]
        details += [f"  line {edit.line}: {edit.text()}" for edit in self.kept]
        details += [f"  line {number}: papers/{slug}.md was removed by you, not re-added "
                    f"(`litdigest restore {slug}` brings it back)" for number, slug in self.removed]
        details += [f"  digests/{name}.md has no title of its own: give it one (`title: \"…\"`, and "
                    f"delete `title_derived: true`); until then the site calls it \"{shown}\""
                    for name, shown in self.untitled]
        return "\n".join([head + (":" if details else ""), *details])


@dataclass(frozen=True)
class ImportReport:
    """The whole run: one entry per raw file, and the files whose bytes changed."""

    files: tuple[FileReport, ...]
    written: tuple[Path, ...]
    recovered: bool = False  # an earlier, interrupted import was rolled back first
    skipped: tuple[Problem, ...] = ()  # files left out under --skip-unreadable, and why
    changes: tuple[str, ...] = ()  # with --diff: what the import would change, as unified diffs
    dry_run: bool = False  # --diff: nothing was written

    @property
    def unplaced_count(self) -> int:
        return sum(len(f.unplaced) for f in self.files)

    @property
    def kept_count(self) -> int:
        """Edits kept against what a digest says."""
        return sum(1 for f in self.files for k in f.kept if k.by == EDIT)

    @property
    def unused_count(self) -> int:
        """Values a digest gave that differ from an earlier digest's and were not used."""
        return sum(1 for f in self.files for k in f.kept if k.by == EARLIER)

    def text(self) -> str:
        total = sum(f.papers for f in self.files)
        summary = (f"{counted(total, 'paper')} from {counted(len(self.files), 'file')}: "
                   f"{sum(f.new for f in self.files)} new, {sum(f.merged for f in self.files)} merged, "
                   f"{sum(f.unchanged for f in self.files)} unchanged; "
                   f"{counted(self.unplaced_count, 'line')} not placed; ")
        if self.kept_count:
            summary += f"{counted(self.kept_count, 'edit')} kept; "
        if self.unused_count:
            summary += f"{counted(self.unused_count, 'value')} not used; "
        if self.skipped:
            summary += f"{counted(len({p.path for p in self.skipped}), 'file')} skipped; "
        if self.dry_run:
            summary += f"{counted(len(self.changes), 'file')} would change (--diff: nothing written)"
        else:
            summary += f"{counted(len(self.written), 'file')} written"
        first = ["rolled back an earlier import that was interrupted"] if self.recovered else []
        skipped = [f"skipped {problem}" for problem in self.skipped]
        return "\n".join([*first, *(f.text() for f in self.files), *skipped, summary])

