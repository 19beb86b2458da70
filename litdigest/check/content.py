"""`litdigest check`: validate `content/` (front matter, duplicate ids and slugs, digests naming
unknown papers) and, through links.py, the built site. A tag without a tag file is no problem:
`build` gives it the default page (its name, no description) and `check` says so in a note."""

from __future__ import annotations

from pathlib import Path

from litdigest.content import frontmatter as fm
from litdigest.content import journal
from litdigest.content.folder import TAGS, read_content_files, read_text
from litdigest.errors import LitdigestError, Problem
from litdigest.content.model import Digest, Paper
from litdigest.build.library import digest_entries
from litdigest.check.links import check_site
from litdigest.wording import counted


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
    problems += _unknown_papers(digests, {p.id for _, p in papers})
    summary = (f"{counted(len(papers), 'paper')}, {counted(len(tags), 'tag')}, "
               f"{counted(len(digests), 'digest')}")
    untagged = _tags_without_file(papers, {t.name for _, t in tags})
    if untagged:
        shown = ", ".join(untagged[:5]) + (f" and {len(untagged) - 5} more" if len(untagged) > 5 else "")
        summary += (f" (note: {len(untagged)} tag{'s' if len(untagged) > 1 else ''} without a file in "
                    f"{content_dir / TAGS}, shown with the default page: {shown}; add "
                    f"{TAGS}/<name>.md to give one Korean and English names or a description)")
    strays = _commentary_of_other_digests(papers, [d for _, d in digests])
    if strays:
        summary += (f" (note: {len(strays)} commentary block{'s' if len(strays) > 1 else ''} "
                    f"naming a digest that does not list the paper, shown on the paper's page "
                    f"only: {', '.join(strays[:5])}{' …' if len(strays) > 5 else ''})")
    return problems, summary


def _commentary_of_other_digests(papers: list[tuple[Path, Paper]], digests: list[Digest]) -> list[str]:
    """`papers/x.md (digest d)` for each commentary block naming a digest that does not show the
    paper, by the build's own rule (library.digest_entries)."""
    by_id = {paper.id: paper for _, paper in papers}
    entries = digest_entries([paper for _, paper in papers], tuple(digests), by_id)
    shown = {(paper.id, entry.digest.id) for entry in entries for paper in entry.papers}
    return sorted({f"{path.parent.name}/{path.name} (digest {block.digest})"
                   for path, paper in papers for block in paper.commentary
                   if block.digest and (paper.id, block.digest) not in shown})


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


def _tags_without_file(papers: list[tuple[Path, Paper]], known: set[str]) -> list[str]:
    """The tags papers use that have no file in content/tags/, by name."""
    return sorted({tag for _, paper in papers for tag in paper.tags} - known)


def _unknown_papers(digests: list[tuple[Path, Digest]], known: set[str]) -> list[Problem]:
    return [Problem(str(path), _line(path, "papers"), f"digest lists unknown paper '{pid}'",
                    "remove it from the list or restore the paper's page")
            for path, digest in digests for pid in digest.papers if pid not in known]
