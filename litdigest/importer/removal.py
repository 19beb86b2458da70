"""`litdigest remove` and `litdigest restore`: a paper its author takes off the site stays off.

`remove SLUG…` sets each paper's page aside in `content/.removed/` (which the build does not
read), takes the paper out of every digest's list, and marks it removed in the import state
(`state.py`), so that no later import makes its page again: the import reports each listing of
it as "removed by you, not re-added". Deleting a page by hand means the same: the next import
marks it removed (`Store.take_removals`). `restore SLUG…` puts a set-aside page back, into the
lists of the digests it names again, and forgets the removal; a page deleted by hand left no
copy, so for it the removal is forgotten and the next import that lists the paper writes its
page anew.

Both take the import's lock and write through its journal: all of it, or nothing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from litdigest.content import journal
from litdigest.content.folder import DIGESTS, PAPERS, parse_source
from litdigest.content.model import Digest, Paper
from litdigest.content.pages import digest_text
from litdigest.content.reading import read_regular
from litdigest.errors import LitdigestError, Problem
from litdigest.importer import identity as ids
from litdigest.importer.lock import import_lock
from litdigest.importer.state import STATE_FILE, DigestState, ImportState, PaperState, state_text
from litdigest.importer.store import Store

REMOVED = ".removed"  # content/.removed/<slug>.md: the pages `remove` set aside


def remove_papers(content_dir: Path, slugs: list[str]) -> list[str]:
    """Take the papers of these slugs off the site; return what was done, a line per paper."""
    with import_lock(content_dir):
        journal.recover(content_dir)
        store = Store.read(content_dir)
        pages = [_page_of(content_dir, store, slug) for slug in _checked(slugs)]
        records = dict(store.paper_records)
        digests = dict(store.digests)
        files: list[tuple[Path, bytes]] = []
        said = []
        for path, paper in pages:
            files.append((content_dir / REMOVED / path.name, path.read_bytes()))
            record = records.get(paper.id) or PaperState(slug=paper.slug)
            records[paper.id] = replace(record, removed=True)
            listing = [name for name, digest in digests.items() if paper.id in digest.papers]
            for name in listing:
                digest = digests[name]
                digests[name] = replace(digest, papers=tuple(p for p in digest.papers if p != paper.id))
            where = f", taken out of {_digest_list(listing)}" if listing else ""
            said.append(f"removed papers/{path.name}{where}; set aside in "
                        f"{REMOVED}/{path.name} (`litdigest restore {paper.slug}` brings it back)")
        files += _changed_digests(content_dir, store.read_digests, digests)
        files.append(_state_file(content_dir, records, store.digest_records))
        journal.write_all(content_dir, files, deleted=[path for path, _ in pages])
    return said


def restore_papers(content_dir: Path, slugs: list[str]) -> list[str]:
    """Put the papers of these slugs back; return what was done, a line per paper."""
    with import_lock(content_dir):
        journal.recover(content_dir)
        store = Store.read(content_dir)
        records = dict(store.paper_records)
        digest_records = dict(store.digest_records)
        digests = dict(store.digests)
        files: list[tuple[Path, bytes]] = []
        deleted: list[Path] = []
        said = []
        for slug in _checked(slugs):
            aside = content_dir / REMOVED / f"{slug}.md"
            pid = next((pid for pid, r in records.items() if r.slug == slug and r.removed), None)
            if aside.is_file():
                paper = _set_aside(aside)
                if (content_dir / PAPERS / aside.name).exists():
                    raise LitdigestError(Problem(str(content_dir / PAPERS / aside.name), None,
                                                 f"cannot restore '{slug}': a page has its name",
                                                 "rename or remove that page first"))
                files.append((content_dir / PAPERS / aside.name, aside.read_bytes()))
                deleted.append(aside)
                record = records.get(paper.id) or PaperState(slug=slug)
                records[paper.id] = replace(record, removed=False)
                back = [name for name in paper.digests if name in digests
                        and paper.id not in digests[name].papers]
                for name in back:
                    record = digest_records.get(name)
                    digests[name] = replace(digests[name], papers=_put_back(
                        digests[name].papers, paper.id, record.papers if record else ()))
                where = f", back in {_digest_list(back)}" if back else ""
                said.append(f"restored papers/{aside.name}{where}")
            elif pid is not None:  # no copy: the next import writes the page, as for a new paper
                del records[pid]
                digest_records.update({name: replace(r, papers=tuple(p for p in r.papers if p != pid))
                                       for name, r in digest_records.items() if pid in r.papers})
                said.append(f"'{slug}' is no longer removed; its page was deleted by hand, so the "
                            "next import that lists it writes it anew")
            else:
                raise LitdigestError(Problem(str(aside), None, f"no removed paper '{slug}'",
                                             f"`litdigest restore` takes the slugs `litdigest "
                                             f"remove` set aside in content/{REMOVED}/"))
        files += _changed_digests(content_dir, store.read_digests, digests)
        files.append(_state_file(content_dir, records, digest_records))
        journal.write_all(content_dir, files, deleted=deleted)
        try:
            (content_dir / REMOVED).rmdir()  # once nothing is set aside
        except OSError:
            pass
    return said


def _put_back(papers: tuple[str, ...], pid: str, imported: tuple[str, ...]) -> tuple[str, ...]:
    """`papers` with `pid` back where the importer had listed it (before the first paper that
    followed it then and is still listed), else at the end."""
    if pid in imported:
        after = imported[imported.index(pid) + 1:]
        here = next((papers.index(p) for p in after if p in papers), len(papers))
        return (*papers[:here], pid, *papers[here:])
    return (*papers, pid)


def _checked(slugs: list[str]) -> list[str]:
    """The slugs, each once; a name that is no slug (a path, `..`) is refused before anything."""
    for slug in slugs:
        if not ids.is_safe_name(slug):
            raise LitdigestError(Problem(slug, None, f"'{slug}' is not a slug",
                                         "give a page's file name in content/papers/ without .md"))
    return list(dict.fromkeys(slugs))


def _page_of(content_dir: Path, store: Store, slug: str) -> tuple[Path, Paper]:
    path = content_dir / PAPERS / f"{slug}.md"
    paper = store.read_papers.get(path)
    if paper is None:
        raise LitdigestError(Problem(str(path), None, f"no paper page '{slug}'",
                                     "give the slug of a page in content/papers/ (its file name "
                                     "without .md)"))
    return path, paper


def _set_aside(aside: Path) -> Paper:
    """The paper of a page `remove` set aside, read as any page of content/papers/ is."""
    paper = parse_source(f"{PAPERS}/{aside.name}", read_regular(aside), aside)
    assert isinstance(paper, Paper)
    return paper


def _changed_digests(content_dir: Path, before: dict[str, Digest],
                     after: dict[str, Digest]) -> list[tuple[Path, bytes]]:
    return [(content_dir / DIGESTS / f"{name}.md", digest_text(digest).encode("utf-8"))
            for name, digest in sorted(after.items()) if before.get(name) != digest]


def _state_file(content_dir: Path, records: dict[str, PaperState],
                digest_records: dict[str, DigestState]) -> tuple[Path, bytes]:
    text = state_text(ImportState(records, digest_records))
    return content_dir / STATE_FILE, text.encode("utf-8")


def _digest_list(names: list[str]) -> str:
    return ", ".join(f"digests/{name}.md" for name in names)
