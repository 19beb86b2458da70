"""Decide, before anything is written, whether a folder may receive the site: output is never input.

`refuse_unsafe_output(content, templates, output)` is the one place that decides, for `build` and
`serve` alike (both go through build_site; `check` only reads). The output folder is refused when

- it is, contains or lies inside `content/` or `templates/` (a build would replace them);
- it is or contains the project root: the folder holding `content/` (content's parent) or the
  current directory (a build would replace the project and write beside it);
- it exists, is not empty, and litdigest did not make it.

Every site litdigest makes holds the marker file `.litdigest-site`. A folder without the marker
is still taken for litdigest's own when it has, at its top, the three files every litdigest site
has whatever its templates — `index.html`, `404.html` and `feed.xml` — because sites built before
the marker existed have no marker; any other non-empty folder is someone else's and is refused.

Paths are compared once every symbolic link is followed, so a link cannot smuggle content/ in.
"""

from __future__ import annotations

import os
from pathlib import Path

from litdigest.build.theme import Templates
from litdigest.errors import LitdigestError, Problem

MARKER = ".litdigest-site"
LEGACY_SITE_FILES = ("index.html", "404.html", "feed.xml")


def refuse_unsafe_output(content_dir: Path, templates: Templates, output_dir: Path) -> None:
    """Raise a LitdigestError naming `output_dir` when a build must not write there."""
    output = _resolved(output_dir)
    inputs = [("content", content_dir), *(("templates", folder) for folder in templates.folders)]
    for name, folder in inputs:
        inside = _resolved(folder)
        if _overlap(output, inside):
            raise _refused(output_dir, f"it overlaps the {name} folder {folder}")
    for root in {_resolved(content_dir).parent, _resolved(Path.cwd())}:
        if output == root or _is_within(root, output):
            raise _refused(output_dir, f"it holds the project folder {root}")
    if not made_by_litdigest(output_dir):
        raise _refused(output_dir, "it is not empty and litdigest did not make it (no .litdigest-site marker)")


def made_by_litdigest(folder: Path) -> bool:
    """True when `folder` is missing or empty, holds the marker, or looks like a litdigest site
    built before the marker existed (see the module's docstring)."""
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    try:
        with os.scandir(folder) as entries:
            names = {entry.name for entry in entries}
    except OSError:
        return False
    if not names or MARKER in names:
        return True
    return all(name in names and (folder / name).is_file() for name in LEGACY_SITE_FILES)


def write_marker(site: Path) -> None:
    """Mark `site` as made by litdigest, and as written anew (the marker's modification time is
    the site's identity for the build cache: output.folder_identity)."""
    (site / MARKER).write_bytes(b"")


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path.absolute()))


def _is_within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def _overlap(a: Path, b: Path) -> bool:
    return _is_within(a, b) or _is_within(b, a)


def _refused(output_dir: Path, why: str) -> LitdigestError:
    return LitdigestError(Problem(str(output_dir), None, f"refusing to write the site here: {why}",
                                  "choose another --output, such as site/ (the default)"))
