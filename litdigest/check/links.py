"""Check the built site: every internal `href` and `src` of every page resolves to a file in it.

Each broken link is reported with the page and line it is on.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from litdigest.content.reading import read_regular
from litdigest.errors import LitdigestError, Problem


class _LinkCollector(HTMLParser):
    """Collects (line, url) of every href and src on a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((self.getpos()[0], value))


def internal_target(site_dir: Path, page: Path, url: str) -> Path | None:
    """The file an internal link points to, or None for external and in-page links."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    page_dir = PurePosixPath(page.relative_to(site_dir).parent.as_posix())
    target = PurePosixPath(unquote(parts.path))
    resolved = target if target.is_absolute() else page_dir / target
    local = site_dir.joinpath(*[p for p in resolved.parts if p not in ("/", ".")])
    if url.split("?")[0].split("#")[0].endswith("/"):
        local = local / "index.html"
    return local


def check_site(site_dir: Path) -> tuple[list[Problem], int, int]:
    """Every internal link and asset of every HTML page resolves inside site/."""
    problems: list[Problem] = []
    pages = sorted(site_dir.rglob("*.html"))
    checked = 0
    root = site_dir.resolve()
    for page in pages:
        if page.name == "404.html":  # links there are absolute to the deployed base path
            continue
        text = _page_text(page, problems)
        if text is None:
            continue
        collector = _LinkCollector()
        collector.feed(text)
        for line, url in collector.links:
            target = internal_target(site_dir, page, url)
            if target is None:
                continue
            checked += 1
            resolved = Path(*_normalize(target.parts))
            inside = resolved.resolve().is_relative_to(root)
            if not inside or not resolved.is_file():
                problems.append(Problem(str(page), line, f"broken link '{url}'",
                                        "fix the template or the content that makes it"))
    return problems, len(pages), checked


def _page_text(page: Path, problems: list[Problem]) -> str | None:
    """A page's text; None, with the problem added, when it is not a readable UTF-8 file."""
    try:
        data = read_regular(page)
        return data.decode("utf-8")
    except LitdigestError as err:
        problems += err.problems
    except UnicodeDecodeError as err:
        problems.append(Problem(str(page), data[:err.start].count(b"\n") + 1, "not UTF-8 text",
                                "remove the file and build again, or fix the template that made it"))
    return None


def _normalize(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == ".." and out and out[-1] not in ("..", "/"):
            out.pop()
        else:
            out.append(part)
    return out
