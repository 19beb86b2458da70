"""The `import` stage: raw digests in, merged paper, tag and digest pages in `content/` out.

A run, in order:

0. the import lock of `content/` is taken (`lock.py`: one import at a time, the second is told
   the pid of the first);
1. an earlier import that was killed half-way is rolled back (`journal.recover`);
2. every input file is read and parsed before anything is written; any user mistake in any
   file stops the run with all problems listed and `content/` untouched;
3. `content/` and the import state (`state.py`: what the importer last wrote) are read;
4. per file and per digest in it, each listed paper is found — by any of its ids (arXiv, DOI,
   or the hash id of a paper with neither), else by its normalized real title, else by its
   normalized abstract, never across two different arXiv ids or DOIs; the listings of one paper
   in one digest are combined and merged into its page (`merge.py`: it gains what it lacked,
   loses nothing, and keeps every edit a person made), or a new page is made, its slug set once;
5. the pages whose data changed, new tag pages and the state are written all or nothing
   (`journal.py`). A second import of the same files changes no byte.

The report counts, per file, papers, new, merged and unchanged ones, lists every line it could
not place (with its number), every repeated listing and every person's edit that won over what
the digest says.

The modules: `raw.py` (step 2), `formats/` (the raw formats), `listings.py` and `titles.py` (a
raw paper as a page), `store.py` (steps 3 and 4), `report.py` (the report); this one runs them
and writes (step 5).
"""

from __future__ import annotations

import difflib
from pathlib import Path

from litdigest.content import journal
from litdigest.errors import LitdigestError, Problem
from litdigest.files import same_bytes
from litdigest.importer.lock import import_lock
from litdigest.importer.raw import parse_all, refuse_unplaced
from litdigest.importer.report import ImportReport
from litdigest.importer.state import STATE_FILE
from litdigest.importer.store import Store
from litdigest.progress import Progress, silent

__all__ = ["run_import", "write_files"]


def run_import(raw_paths: list[Path], content_dir: Path, fmt: str | None = None,
               strict: bool = False, encoding: str | None = None,
               progress: Progress | None = None, skip_unreadable: bool = False,
               dry_run: bool = False) -> ImportReport:
    """Import raw digests into `content_dir`; raise LitdigestError listing every problem. With
    `skip_unreadable`, files that cannot be read are left out and reported, the rest imported.
    With `dry_run` nothing is written: the report holds the changes, as unified diffs."""
    progress = progress or silent()
    paths = sorted({Path(p) for p in raw_paths}, key=str)
    with import_lock(content_dir):
        recovered = journal.recover(content_dir)
        parsed, skipped = parse_all(paths, fmt, encoding, skip_unreadable)
        if strict:
            refuse_unplaced(parsed)
        store = Store.read(content_dir, progress)
        reports = [store.add_file(path, found) for path, found in parsed]
        if dry_run:
            changes = diffs(content_dir, store.files())
            return ImportReport(tuple(reports), (), recovered, tuple(skipped), tuple(changes), True)
        written = write_files(content_dir, store.files(), progress)
    return ImportReport(tuple(reports), tuple(written), recovered, tuple(skipped))


def diffs(content_dir: Path, files: list[tuple[Path, str]]) -> list[str]:
    """What writing `files` would change, one unified diff per file whose bytes would differ
    (a new file against nothing), paths relative to the folder holding content/, the import
    state last."""
    found = []
    for path, text in sorted(files, key=lambda file: (file[0].name == STATE_FILE, str(file[0]))):
        try:
            old = path.read_bytes().decode("utf-8")  # bytes as they are: no newline translation
        except (OSError, UnicodeDecodeError):
            old = ""
        if old == text:
            continue
        name = path.relative_to(content_dir.parent).as_posix() if path.is_relative_to(content_dir.parent) \
            else str(path)
        found.append("".join(difflib.unified_diff(
            old.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=f"a/{name}" if old else "/dev/null", tofile=f"b/{name}")))
    return found


def write_files(content_dir: Path, files: list[tuple[Path, str]],
                progress: Progress | None = None) -> list[Path]:
    """Write the files whose bytes differ, all or nothing (`journal.write_all`)."""
    checked = (progress or silent()).track(files, "comparing pages", len(files))
    encoded = [(path, text.encode("utf-8")) for path, text in checked]
    changed = [(path, data) for path, data in encoded if not same_bytes(path, data)]
    if changed:
        try:
            content_dir.mkdir(parents=True, exist_ok=True)
            journal.write_all(content_dir, changed)
        except OSError as err:
            raise LitdigestError(Problem(str(err.filename or content_dir), None,
                                         f"cannot write: {err.strerror or err}",
                                         "nothing was changed; fix the cause (disk space, permissions) "
                                         "and import again")) from None
    return [path for path, _ in changed]
