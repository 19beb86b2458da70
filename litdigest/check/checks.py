"""Validate `content/` (front matter, duplicates, unknown tags and papers) and the built site.

The site check follows every internal `href` and `src` of every page in `site/` and reports
each one that does not resolve to a file, with the page and line it is on.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from litdigest.content import frontmatter as fm
from litdigest.content import journal
from litdigest.content.pages import TAGS, read_content_files, read_text
from litdigest.errors import LitdigestError, Problem
from litdigest.content.model import Digest, Paper


def check_all(content_dir: Path, site_dir: Path | None) -> str:
    """Run every check; raise one error listing all problems, else return a summary line."""
    problems, summary = check_content(content_dir)
    if site_dir is not None:
        if not site_dir.is_dir():
            problems.append(Problem(str(site_dir), None, "no built site",
                                    "run `litdigest build` first, or pass --no-site"))
        else:
            found, pages, links = check_site(site_dir)
            problems += found
            summary += f"; {pages} pages, {links} internal links and assets resolve"
    if problems:
        raise LitdigestError(problems)
    return f"ok: {summary}"


def check_content(content_dir: Path) -> tuple[list[Problem], str]:
    files = read_content_files(content_dir)
    papers, tags, digests = files.papers, files.tags, files.digests
    problems = list(files.problems)
    interrupted = journal.unfinished(content_dir)
    if interrupted is not None:
        problems.insert(0, interrupted)
    problems += _duplicates(papers, "id")
    problems += _duplicates(papers, "slug")
    problems += _slug_matches_file(papers)
    problems += _unknown_tags(papers, {t.name for _, t in tags}, content_dir / TAGS)
    problems += _unknown_papers(digests, {p.id for _, p in papers})
    summary = f"{len(papers)} papers, {len(tags)} tags, {len(digests)} digests"
    return problems, summary


def _line(path: Path, key: str) -> int | None:
    return fm.key_line(read_text(path), key)


def _duplicates(papers: list[tuple[Path, Paper]], key: str) -> list[Problem]:
    first: dict[str, Path] = {}
    problems = []
    for path, paper in papers:
        value = getattr(paper, key)
        if value in first:
            problems.append(Problem(str(path), _line(path, key), f"duplicate {key} '{value}'",
                                    f"{first[value]} has the same {key}; merge the two pages"))
        else:
            first[value] = path
    return problems


def _slug_matches_file(papers: list[tuple[Path, Paper]]) -> list[Problem]:
    return [Problem(str(path), _line(path, "slug"),
                    f"slug '{paper.slug}' does not match the file name",
                    f"rename the file to {paper.slug}.md (URLs follow the slug)")
            for path, paper in papers if path.stem != paper.slug]


def _unknown_tags(papers: list[tuple[Path, Paper]], known: set[str], tags_dir: Path) -> list[Problem]:
    return [Problem(str(path), _line(path, "tags"), f"tag '{tag}' has no tag page",
                    f"add {tags_dir / (tag + '.md')} or fix the tag")
            for path, paper in papers for tag in paper.tags if tag not in known]


def _unknown_papers(digests: list[tuple[Path, Digest]], known: set[str]) -> list[Problem]:
    return [Problem(str(path), _line(path, "papers"), f"digest lists unknown paper '{pid}'",
                    "remove it from the list or restore the paper's page")
            for path, digest in digests for pid in digest.papers if pid not in known]


# ---- the built site -------------------------------------------------------------------------


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
        collector = _LinkCollector()
        collector.feed(page.read_text(encoding="utf-8"))
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


def _normalize(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == ".." and out and out[-1] not in ("..", "/"):
            out.pop()
        else:
            out.append(part)
    return out
