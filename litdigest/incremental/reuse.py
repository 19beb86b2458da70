"""What a build reuses from the last one, and what it leaves for the next: the questions build/ asks.

The pipeline (build/pipeline.py) asks a `Reuse`, in the order of the build:

1. `nothing_changed()`: is every file as the last build saw it, and the site the one it wrote?
   Then the build stops at once.
2. `read_content(…)`: `content/`, reusing each file whose stamp or bytes did not change
   ("reuse this file?", sources.py).
3. `pages_to_render(pages, library)`: which pages changed (stale.py): all of them, as a whole
   new site, without a last build; `bodies_at_hand(plan)`: the rendered Markdown bodies it may
   reuse; `static_changes(…)`: the static assets to copy again.
4. While the pages render: `writing_into(root)`, then in each process `share_started` and
   `share_rendered` (a full build's cache is written by the render processes as they finish);
   `site_changing()` just before the site is touched.
5. `succeeded(new_bodies)`: the build succeeded, its cache is put in place; or `failed()`.

A build without a cache (`--fresh`, `use_cache=False`, no cache yet, or one left by other code)
asks the same questions and hears "nothing to reuse": every file is read, every page renders,
and nothing is written to the cache when it may not be. The cache's files and format (msgspec
MessagePack, signed) are store.py's and a page's key is stale.py's: build/ sees only what these questions
answer (a stale.Plan, rendered bodies, a store.LastBuild), so either may change without it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

from litdigest.build import output
from litdigest.build.library import Library
from litdigest.build.output import STATIC
from litdigest.build.papers_json import Records
from litdigest.build.site_pages import Page, for_browsers
from litdigest.build.theme import Templates
from litdigest.build.tuning import LAST_BUILD_WEIGHT, LOAD_BODIES_FROM, RACY_NS
from litdigest.content.model import Content, Paper
from litdigest.incremental import stale, store
from litdigest.incremental.hashes import content_hash, text_hash
from litdigest.incremental.sources import Meanwhile, load, restamp, scan_content, scan_templates
from litdigest.incremental.store import LastBuild, Source, Stamp
from litdigest.progress import Progress

if TYPE_CHECKING:
    import jinja2

    from litdigest.build.jinja_env import MemoryBytecodeCache
    from litdigest.build.markdown import RenderedBody

Counts = tuple[int, int, int, int]  # pages, papers, tags, digests


@dataclass(frozen=True)
class _Scan:
    """What the build found before reading anything: stamps, the code, the output folder."""

    at: int  # time of the scan, ns
    stamps: dict[str, Stamp]  # content/
    templates: dict[str, Stamp]  # templates/
    code: str
    site: tuple[int, int]


class Reuse:
    """One build's dealings with the last build: what it takes from it, what it leaves."""

    def __init__(self, content_dir: Path, templates: Templates, output_dir: Path, *,
                 use_cache: bool = True, fresh: bool = False, settings: str = "",
                 last: LastBuild | None = None,
                 changed: frozenset[str] | None = None, keep_bodies: bool = False,
                 save: bool = True, compiled: jinja2.BytecodeCache | None = None) -> None:
        """`last`, `changed` and `compiled`: the preview's last build in memory, the files its
        watcher saw change since, its compiled templates. `keep_bodies`: keep every rendered
        body in the LastBuild returned (the preview does, to render less next time). `save`:
        write the cache now (the preview writes it later, itself). `settings`: those given on
        the command line over site.yaml's (`--base-url`); a build made with others is not
        reused, as a build by other code is not."""
        self.content_dir, self.template_folders, self.output_dir = content_dir, templates, output_dir
        self.folder = store.cache_dir(output_dir)
        self.use_cache, self.keep_bodies, self.compiled = use_cache, keep_bodies, compiled
        self.save = use_cache and save
        self.given = None if fresh else last
        self.from_disk = self.given is None and use_cache and not fresh
        self.scan = _scan(content_dir, templates, output_dir, self.given, changed, settings)
        self.index = store.load_index(self.folder) if self.from_disk else None
        self.token = store.new_token()  # names this build's files in the cache until they count

    # ---- 1. anything to do at all? -----------------------------------------------------------

    def nothing_changed(self) -> Counts | None:
        """The site's counts if every file is as the last build on disk saw it and the site is
        the one it wrote (then there is nothing to do); else None."""
        index, scan = self.index, self.scan
        if index is None or self.keep_bodies:
            return None
        now: dict[str, Stamp | None] = {f"content/{k}": v for k, v in scan.stamps.items()}
        now.update({f"templates/{k}": v for k, v in scan.templates.items()})
        if (index.code == scan.code and scan.site != (0, 0) and index.site == scan.site
                and index.stamps == now):
            return index.counts
        return None

    @cached_property
    def last(self) -> LastBuild | None:
        """The last build, if its code is this code: from the preview's memory, or from disk."""
        last = self.given
        if self.from_disk and self.index is not None:
            last = store.load_last_build(self.folder, self.index)
        return last if last is not None and last.code == self.scan.code else None

    def nothing_to_reuse(self) -> bool:
        return self.last is None

    @property
    def template_files(self) -> list[str]:
        """The template files, by path relative to their folder."""
        return list(self.scan.templates)

    def static_files(self) -> list[str]:
        """The static assets, by path relative to the static folder."""
        return list(_static(self.templates))

    # ---- 2. reading ------------------------------------------------------------------------

    def read_content(self, progress: Progress, jobs: int, meanwhile: Meanwhile | None) -> Content:
        """`content/`, reading only the files whose stamps changed, on `jobs` cores; this
        process does `meanwhile` first. The templates' hashes are taken too."""
        last = self.last
        loaded = load(self.content_dir, self.scan.stamps, last.sources if last else {},
                      self.scan.at, progress, jobs, meanwhile)
        self.sources = loaded.sources
        self.templates = _template_records(self.template_folders, self.scan.templates,
                                           last.templates if last else {}, self.scan.at)
        self.paper_hashes = _paper_hashes(loaded.sources)
        return loaded.content

    # ---- 3. what to redo ---------------------------------------------------------------------

    def pages_to_render(self, pages: list[Page], library: Library) -> stale.Plan:
        """Which pages changed since the last build: the plan of this build."""
        base = self._base_key(library)
        keys, self.plan = _plan(pages, library, self.paper_hashes, base, self.last,
                                self._site_trusted())
        self._planned(pages, library, base, keys, self._records(self.last))
        return self.plan

    def browser_pages_to_render(self, pages: list[Page], library: Library) -> stale.Plan | None:
        """The preview's first part of an update: which of the pages a browser shows (`pages`:
        every HTML page) changed, when its last build in memory tells by comparing contexts and
        the site is to be updated, not written anew; the files machines read are planned after
        they are in place (`machine_pages_to_render`). None: plan every page at once."""
        last, base = self.last, self._base_key(library)
        if last is None or last.snapshot is None or not self._site_trusted():
            return None
        plan = stale.plan_against(pages, library, last.snapshot, base, part=for_browsers)
        if plan is None or stale.mostly_stale(plan.render, pages):
            return None
        self.plan = plan
        self._planned(pages, library, base, None, self._records(last))
        return plan

    def machine_pages_to_render(self, pages: list[Page]) -> stale.Plan:
        """The preview's second part of an update: which of the files machines read (`pages`)
        changed. The build's plan is then both parts'."""
        snapshot = self.last.snapshot if self.last is not None else None
        plan = None if snapshot is None else stale.plan_against(
            pages, self.library, snapshot, self.next.base, part=lambda path: not for_browsers(path))
        if plan is None:
            raise RuntimeError("the files machines read were planned without a first part")
        first, planned = self.plan, self.next
        self.plan = stale.Plan(stale.UPDATE, first.render + plan.render, first.remove + plan.remove)
        shown = planned.snapshot.pages.values() if planned.snapshot is not None else ()
        self._planned([*shown, *pages], self.library, planned.base, None, planned.records)
        return plan

    def _base_key(self, library: Library) -> str:
        return stale.base_key(self.scan.code, stale.templates_hash(
            {path: hashed for path, (_, hashed) in self.templates.items()}, STATIC), library.config)

    def _site_trusted(self) -> bool:
        """Is the site the one the last build wrote?"""
        last, site = self.last, self.scan.site
        return last is not None and site != (0, 0) and last.site == site

    def _planned(self, pages: list[Page], library: Library, base: str,
                 keys: dict[str, str] | None, records: Records | None) -> None:
        """What the next build may start from, once this one succeeds with these pages."""
        self.library = library
        counts = (len(pages), len(library.papers), len(library.tags), len(library.digests))
        self.next = LastBuild(code=self.scan.code, sources=self.sources, templates=self.templates,
                              page_keys=keys, site=self.scan.site, counts=counts, base=base,
                              snapshot=stale.Snapshot(base, {page.path: page for page in pages},
                                                      library, self.paper_hashes),
                              records=records)

    def _records(self, last: LastBuild | None) -> Records | None:
        """papers.json's lines the preview keeps (papers_json.Records): the last build's, which
        the render brings up to date; None for a build that keeps nothing in memory."""
        if not self.keep_bodies:
            return None
        return last.records if last is not None and last.records is not None else Records()

    def records(self) -> Records | None:
        """papers.json's lines at hand, which the renderer of papers.json brings up to date."""
        return self.next.records

    def bodies_at_hand(self, plan: stale.Plan) -> dict[str, RenderedBody]:
        """The rendered bodies the last build left, by paper id: kept in memory, or read from
        the cache when many are needed (or all will be kept)."""
        shown = {pid for page in plan.render for pid in page.papers}
        if self.from_disk and (self.keep_bodies or plan.mode == stale.FULL
                               or len(shown) >= LOAD_BODIES_FROM):
            self.bodies = store.load_bodies(self.folder, self.scan.code)
        else:
            self.bodies = dict(self.last.bodies) if self.last else {}
        by_id = {}
        for pid, paper in self.library.by_id.items():
            body = self.bodies.get(self.paper_hashes[id(paper)])
            if body is not None:
                by_id[pid] = body
        return by_id

    def static_changes(self) -> output.StaticChanges:
        """The static assets to copy again and to delete: those whose content hash changed, or
        all of them for a whole new site (or a site without its static folder)."""
        new = _static(self.templates)
        if self.plan.mode != stale.UPDATE or not (self.output_dir / STATIC).is_dir():
            return output.StaticChanges(tuple(sorted(new)), ())
        old = _static(self.last.templates) if self.last else {}
        return output.StaticChanges(tuple(sorted(p for p, h in new.items() if old.get(p) != h)),
                                    tuple(sorted(set(old) - set(new))))

    def template_cache(self) -> jinja2.BytecodeCache | None:
        """Where compiled templates are kept: the preview's memory, else the cache on disk,
        else nowhere."""
        from litdigest.build.jinja_env import disk_bytecode_cache  # loaded only when needed

        if self.compiled is not None:
            return self.compiled
        if self.use_cache:
            return disk_bytecode_cache(self.folder / "templates", self.scan.code)
        return None

    # ---- 4. while the pages render ----------------------------------------------------------

    def cache_work(self) -> float:
        """The work of writing the cache during the render, in render units (tuning.py)."""
        return LAST_BUILD_WEIGHT * len(self.library.papers) if self._writes_early() else 0.0

    def keeps_new_bodies(self) -> bool:
        """Do render processes send the bodies they rendered back, for the LastBuild?"""
        return self.keep_bodies or self.plan.mode == stale.UPDATE

    def writing_into(self, root: Path) -> None:
        """The pages are about to be written into `root` (a staging folder for a whole new
        site, whose identity the site will have once swapped in)."""
        if self.use_cache:
            store.prepare(self.folder)
        if self.plan.mode != stale.UPDATE:
            self.next = replace(self.next, site=output.folder_identity(root))

    def share_started(self, number: int, shares: int) -> None:
        """In render process `number`: the second one writes a full build's LastBuild."""
        if number == min(1, shares - 1) and self._writes_early():
            store.write_last_build(self.folder, self.next, self.token)

    def share_rendered(self, number: int, pages: Sequence[Page],
                       bodies: Mapping[str, RenderedBody]) -> None:
        """In render process `number`, its pages rendered: a full build writes the bodies they
        show (`bodies`: by paper id) as its shard of the cache."""
        if self._writes_early():
            shown = {pid for page in pages for pid in page.papers}
            by_id = self.library.by_id
            store.write_bodies(self.folder, number, self.scan.code,
                               {self.paper_hashes[id(by_id[pid])]: bodies[pid] for pid in shown},
                               self.token)

    def site_changing(self) -> None:
        """The site is about to change: the cache must not describe it until `succeeded`."""
        if self.use_cache:
            store.forget(self.folder)

    # ---- 5. the end -------------------------------------------------------------------------

    def succeeded(self, new_bodies: Mapping[str, RenderedBody] | None = None) -> LastBuild:
        """The build succeeded (`new_bodies`: by paper id; None: it wrote nothing): put its
        cache in place, and return what the next build may start from."""
        if new_bodies is None:
            last = self._with_bodies(self.next, self.bodies)
            if self.save:
                save_cache(self.output_dir, last)
            return last
        if self.plan.mode == stale.UPDATE:  # the update renewed the site's marker
            self.next = replace(self.next, site=output.folder_identity(self.output_dir))
        if self.save:
            if self.plan.mode == stale.UPDATE:
                store.write_last_build(self.folder, self.next, self.token)
            store.commit(self.folder, self.next, self.token,
                         bodies_written=self.plan.mode != stale.UPDATE)
        by_id = self.library.by_id
        made = {self.paper_hashes[id(by_id[pid])]: body for pid, body in new_bodies.items()}
        return self._with_bodies(replace(self.next, site=output.folder_identity(self.output_dir)),
                                 {**self.bodies, **made})

    def keep_compiled(self, held: MemoryBytecodeCache) -> None:
        """Put templates compiled during the build where they are kept (after `succeeded`)."""
        keep = self.template_cache()
        if keep is not None:
            held.release(keep)

    def failed(self) -> None:
        """The build failed: whatever it wrote to the cache goes."""
        if self.use_cache:
            store.discard(self.folder, self.token)

    def _writes_early(self) -> bool:
        """A full build's cache is written by render processes while the others render."""
        return self.save and self.plan.mode != stale.UPDATE

    def _with_bodies(self, last: LastBuild, bodies: Mapping[str, RenderedBody]) -> LastBuild:
        """`last` with the bodies of the library's papers (bodies of gone papers dropped)."""
        current = {self.paper_hashes[id(p)] for p in self.library.papers}
        return replace(last, bodies={h: b for h, b in bodies.items() if h in current})


def save_cache(output_dir: Path, last: LastBuild) -> None:
    """Write a LastBuild (not its bodies) to the cache on disk, as the build itself would."""
    folder = store.cache_dir(output_dir)
    token = store.new_token()
    store.prepare(folder)
    try:
        store.forget(folder)
        store.write_last_build(folder, last, token)
        store.commit(folder, last, token, bodies_written=False)
    finally:
        store.discard(folder, token)


def _scan(content_dir: Path, templates: Templates, output_dir: Path,
          last: LastBuild | None, changed: frozenset[str] | None, settings: str) -> _Scan:
    at = time.time_ns()
    if last is not None and changed is not None:
        stamps = restamp(content_dir, last.sources, changed)
    else:
        stamps = scan_content(content_dir)
    code = store.code_fingerprint()
    if settings:
        code = text_hash(f"{code}\n{settings}")
    return _Scan(at, stamps, scan_templates(templates), code,
                 output.folder_identity(output_dir))


def _plan(pages: list[Page], library: Library, paper_hashes: Mapping[int, str], base: str,
          last: LastBuild | None, trusted_site: bool) -> tuple[dict[str, str] | None, stale.Plan]:
    """The page keys (None where not needed now: the snapshot can tell them when the LastBuild
    is saved) and the plan. Without a trusted last site there is nothing to compare: everything
    is written. With the last build's snapshot in memory, contexts are compared directly; else
    keys are."""
    if last is None or not trusted_site:
        return None, stale.Plan(stale.FULL, tuple(pages), ())
    if last.snapshot is not None:
        plan = stale.plan_against(pages, library, last.snapshot, base)
        if plan is not None:
            return None, plan
    keys = stale.page_keys(pages, library, paper_hashes, base)
    old = last.page_keys if last.page_keys is not None else last.snapshot.keys()
    return keys, stale.plan(pages, keys, old, trusted_site)


def _template_records(templates: Templates, stamps: Mapping[str, Stamp],
                      last: Mapping[str, tuple[Stamp | None, str]],
                      scanned_at: int) -> dict[str, tuple[Stamp | None, str]]:
    """(stamp, content hash) of every template file, reading only those whose stamp changed."""
    records: dict[str, tuple[Stamp | None, str]] = {}
    for path, stamp in stamps.items():
        old = last.get(path)
        if old is not None and old[0] == stamp:
            records[path] = old
            continue
        hashed = content_hash(templates.path_of(path).read_bytes())
        records[path] = (stamp if stamp[0] < scanned_at - RACY_NS else None, hashed)
    return records


def _static(templates: Mapping[str, tuple[Stamp | None, str]]) -> dict[str, str]:
    """Content hashes of the static assets, by path relative to the static folder."""
    prefix = STATIC + "/"
    return {path[len(prefix):]: hashed for path, (_, hashed) in templates.items()
            if path.startswith(prefix)}


def _paper_hashes(sources: Mapping[str, Source]) -> dict[int, str]:
    """id(paper) -> the content hash of its file: what a paper's pages and body are made from."""
    return {id(s.item): s.content_hash for s in sources.values() if isinstance(s.item, Paper)}
