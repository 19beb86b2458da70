"""The templates a site renders with: its own `templates/` folder over the default theme, file by file.

The default theme ships inside the package (`litdigest/theme/`), so an installed litdigest builds
a site with no templates of its own. A file in the site's `templates/` replaces the theme's file
of the same path (`templates/paper.html`, `templates/static/style.css`), as a Hugo or MkDocs
theme is overridden; every other file comes from the theme.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

THEME = Path(__file__).resolve().parent.parent / "theme"


@dataclass(frozen=True)
class Templates:
    """Where a site's templates are looked for: its own folder (which may not exist), then the theme."""

    own: Path
    theme: Path = THEME

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders, the one that wins first."""
        return (self.own, self.theme) if _resolved(self.own) != _resolved(self.theme) else (self.own,)

    def path_of(self, name: str) -> Path:
        """The file a template's name (a path relative to the folders) stands for: the site's
        own if it has one, else the theme's."""
        for folder in self.folders:
            path = folder / name
            if os.path.isfile(path):
                return path
        return self.own / name


def _resolved(path: Path) -> str:
    return os.path.realpath(path)
