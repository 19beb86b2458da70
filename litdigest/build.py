"""Build `site/` from `content/` and `templates/`, all or nothing.

Pages are written into a staging folder beside `site/`, which replaces `site/` only when every
page rendered: a failed or interrupted build leaves the previous site whole.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .content import load_content
from .library import build_library
from .pages import plan_pages
from .render import Renderer

STATIC = "static"


@dataclass(frozen=True)
class BuildResult:
    pages: int
    papers: int
    tags: int
    digests: int
    seconds: float
    output: Path

    def summary(self) -> str:
        return (f"built {self.pages} pages ({self.papers} papers, {self.tags} tags, "
                f"{self.digests} digests) into {self.output} in {self.seconds:.2f} s")


def build_site(content_dir: Path, templates_dir: Path, output_dir: Path) -> BuildResult:
    start = time.perf_counter()
    library = build_library(load_content(content_dir))
    renderer = Renderer(library, templates_dir)
    pages = plan_pages(library)
    staging = _fresh_staging(output_dir)
    try:
        made: set[Path] = set()
        for page in pages:
            _write(staging / page.path, renderer.render(page), made)
        _copy_static(templates_dir / STATIC, staging / STATIC)
        _swap_into_place(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(pages=len(pages), papers=len(library.papers), tags=len(library.tags),
                       digests=len(library.digests), seconds=time.perf_counter() - start,
                       output=output_dir)


def _fresh_staging(output_dir: Path) -> Path:
    staging = output_dir.with_name(f".{output_dir.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def _write(path: Path, text: str, made: set[Path]) -> None:
    folder = path.parent
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)
    path.write_bytes(text.encode("utf-8"))


def _copy_static(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)


def _swap_into_place(staging: Path, output_dir: Path) -> None:
    """Replace the old site with the new one in two renames; the old one is removed after."""
    old = output_dir.with_name(f".{output_dir.name}.old-{os.getpid()}")
    if output_dir.exists():
        os.replace(output_dir, old)
    os.replace(staging, output_dir)
    shutil.rmtree(old, ignore_errors=True)
