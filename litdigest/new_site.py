"""`litdigest init`: a new digest site in a folder, from the files in `litdigest/scaffold/`.

It writes `content/site.yaml` (the title, address and language given), `content/README.md` (how to
paste the first digest), an empty `content/raw/` (kept by git through its `.gitkeep`), `.gitignore`, `requirements.txt` (this version of litdigest) and
`.github/workflows/pages.yml` (publishing on GitHub Pages). A file that is already there is
never overwritten: it is kept, and said to be. The theme is not copied: it ships inside the
package, and a `templates/` folder the user makes overrides it file by file (build/theme.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from string import Template

from litdigest.content.config import parse_config

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"

# Where each file of the scaffold goes in the new site, in the order they are written, and
# whether it is a template ($title, $base_url, $language, $version) or copied as it is.
FILES = (
    ("site.yaml", "content/site.yaml", True),
    ("README.md", "content/README.md", False),
    ("gitkeep", "content/raw/.gitkeep", False),  # the folder the first digest is pasted into
    ("gitignore", ".gitignore", False),
    ("requirements.txt", "requirements.txt", True),
    ("pages.yml", ".github/workflows/pages.yml", False),
)


@dataclass(frozen=True)
class Written:
    """One file of the new site: its path, and whether it was written or kept as it was."""

    path: Path
    written: bool


def create_site(folder: Path, title: str, base_url: str, language: str) -> list[Written]:
    """Write the new site's files into `folder` (made if missing), keeping any already there."""
    values = {"title": json.dumps(title, ensure_ascii=False), "base_url": json.dumps(base_url),
              "language": language, "version": version("litdigest")}
    files = []
    for source, target, templated in FILES:
        text = (SCAFFOLD / source).read_text("utf-8")
        files.append((folder / target, Template(text).substitute(values) if templated else text))
    parse_config(files[0][1], folder / "content" / "site.yaml")  # what it writes, build reads
    return [_write_new(path, text) for path, text in files]


def _write_new(path: Path, text: str) -> Written:
    """Write `text` to `path` unless something is there already (even a broken link: "x", the
    system's O_EXCL, refuses any name that exists)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        return Written(path, False)
    return Written(path, True)

