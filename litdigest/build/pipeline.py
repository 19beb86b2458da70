"""Build `site/` from `content/` and `templates/`, redoing only what changed, all or nothing.

The order of work, each step in its own module:

1. stamp every source file and template (sources.py) and, if the previous build's index says
   they are all as they were and the site is the one it wrote, stop: nothing to do (cache.py);
2. read and parse the files that changed — all of them, the first time (sources.py);
3. cross-reference the library and plan every page (library.py, pages.py);
4. key each page by what it is made from and pick the pages whose key changed (rebuild.py);
5. render those on every core — each process rendering the Markdown bodies its pages show —
   and write them: a whole new site through a staging folder, or the changed files of the old
   one, each atomically (parallel.py, render.py, output.py);
6. remember all of it for the next build (cache.py), written by the workers as they finish.

A fresh build, a cached one, a parallel one and `serve`'s give the same bytes.
"""

from __future__ import annotations

import gc
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping, Sequence

from litdigest.incremental import store as cache
from litdigest.content import journal
from litdigest.build import output
from litdigest.incremental import stale as rebuild
from litdigest.incremental.store import BuildState, Source, Stamp
from litdigest.errors import LitdigestError
from litdigest.build.library import Library, build_library
from litdigest.content.model import Paper
from litdigest.build.sitemap import Page, plan_pages
from litdigest.build.parallel import cpu_count, fork_map, split
from litdigest.progress import Progress, silent
from litdigest.incremental.sources import RACY_NS, Meanwhile, digest_bytes, load, restamp, scan_content, scan_tree

if TYPE_CHECKING:
    import jinja2

    from litdigest.build.markdown import RenderedBody
    from litdigest.build.render import MemoryBytecodeCache, Renderer

STATIC = "static"
PARALLEL_FROM = 600  # units of work (about 50 µs each) before more processes pay off
BODY_WEIGHT = 3.0  # rendering one Markdown body, in those units
STATE_WEIGHT = 0.6  # writing one paper's share of the cached state, in those units
LOAD_BODIES_FROM = 200  # papers to show before reading all cached bodies beats rendering them
COMPILE_WEIGHT = 90.0  # compiling one template, in files read
MARKDOWN_WEIGHT = 600.0  # importing and readying the Markdown stack, in files read


@dataclass(frozen=True)
class BuildResult:
    pages: int
    papers: int
    tags: int
    digests: int
    seconds: float
    output: Path
    mode: str = rebuild.FULL  # "full", "update" or "unchanged"
    rendered: int = 0
    written: tuple[str, ...] = ()  # output paths (re)written, in order
    state: BuildState | None = None  # what the next build may start from (serve keeps it)

    def summary(self) -> str:
        """The one line a build prints: what the site holds, where, how long, and what was redone."""
        line = (f"built {self.pages} pages ({self.papers} papers, {self.tags} tags, "
                f"{self.digests} digests) into {self.output} in {self.seconds:.2f} s")
        if self.mode == UNCHANGED:
            return f"{line}: nothing changed since the last build"
        if self.mode == rebuild.UPDATE:
            return f"{line}: {len(self.written)} files rewritten, {self.rendered} pages rendered"
        return line


UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Options:
    """How to build: from what state, on how many cores, showing what progress."""

    previous: BuildState | None = None  # serve's state of its last build, instead of the cache
    use_cache: bool = True  # read and write .litdigest-cache/
    save_state: bool = True  # write the state there now (serve saves it after the reload)
    fresh: bool = False  # ignore what any previous build left
    jobs: int = 0  # processes; 0: one per core
    keep_bodies: bool = False  # keep every rendered body in the returned state (serve does), and
    # return that state even when nothing changed
    changed: frozenset[str] | None = None  # files changed since `previous` (serve's watcher)
    progress: Progress | None = None
    compiled: jinja2.BytecodeCache | None = None  # compiled templates kept by serve


def build_site(content_dir: Path, templates_dir: Path, output_dir: Path,
               options: Options = Options()) -> BuildResult:
    """Build `output_dir` from `content_dir` and `templates_dir`: the steps above, in order."""
    with collector_paused():
        return _build(content_dir, templates_dir, output_dir, options)


@contextmanager
def collector_paused() -> Iterator[None]:
    """A build keeps nearly everything it makes until it ends, so Python's cycle collector would
    walk the growing library again and again to find little garbage (a twentieth of the work of a
    10,000-paper build). Processes forked to render collect as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(content_dir: Path, templates_dir: Path, output_dir: Path,
           options: Options) -> BuildResult:
    start = time.perf_counter()
    interrupted = journal.unfinished(content_dir)
    if interrupted is not None:
        raise LitdigestError(interrupted)
    progress = options.progress or silent()
    folder = cache.cache_dir(output_dir)
    previous = None if options.fresh else options.previous
    scan = _scan(content_dir, templates_dir, output_dir, previous, options.changed)
    from_disk = previous is None and options.use_cache and not options.fresh
    if from_disk:
        index = cache.load_index(folder)
        if index is not None and not options.keep_bodies and _nothing_changed(index, scan):
            return BuildResult(*index.counts, time.perf_counter() - start, output_dir,
                               mode=UNCHANGED)
        previous = cache.load_state(folder, index) if index is not None else None
    if previous is not None and previous.code != scan.code:
        previous = None

    jobs = options.jobs or cpu_count()
    work = _plan_work(content_dir, templates_dir, output_dir, scan, previous, from_disk, options,
                      progress, jobs)
    if work.has_nothing_to_write():
        state = _with_bodies(work.state, work.bodies, work.digests, work.library)
        if options.use_cache and options.save_state:
            save_cache(output_dir, state)
        progress.done()
        return BuildResult(*state.counts, time.perf_counter() - start, output_dir,
                           mode=UNCHANGED, state=state)
    written, made = _Job(work, templates_dir, output_dir, folder, options, jobs, progress).run()
    bodies = {**work.bodies, **made}
    state = _with_bodies(_with_site(work.state, output.folder_identity(output_dir)), bodies,
                         work.digests, work.library)
    progress.done()
    return BuildResult(*state.counts, time.perf_counter() - start, output_dir,
                       mode=work.plan.mode, rendered=len(work.plan.render), written=written,
                       state=state)


@dataclass(frozen=True)
class _Work:
    """What a build found to do: the library and its pages, which of them to render, the
    bodies at hand, the static files to copy, and the state to remember afterwards."""

    library: Library
    digests: Mapping[int, str]  # id(paper) -> the digest of its file
    plan: rebuild.Plan
    bodies: dict[str, RenderedBody]  # by file digest
    static: output.StaticChanges
    state: BuildState
    compiled: MemoryBytecodeCache | None  # the templates, if compiled while reading

    def has_nothing_to_write(self) -> bool:
        plan, static = self.plan, self.static
        return plan.mode == rebuild.UPDATE and not (plan.render or plan.remove or static.copy
                                                    or static.delete)


def _plan_work(content_dir: Path, templates_dir: Path, output_dir: Path, scan: _Scan,
               previous: BuildState | None, from_disk: bool, options: Options,
               progress: Progress, jobs: int) -> _Work:
    """Steps 2 to 4: read what changed, cross-reference, plan the pages, pick what to redo.
    Without a previous build everything will render: rendering is readied while files are read."""
    readying = None if previous else _Readying(templates_dir)
    meanwhile = None if readying is None else Meanwhile(readying.run, readying.weight(scan))
    loaded = load(content_dir, scan.stamps, previous.sources if previous else {}, scan.at,
                  progress, jobs, meanwhile)
    templates = _template_records(templates_dir, scan.templates,
                                  previous.templates if previous else {}, scan.at)
    library = build_library(loaded.content)
    pages = plan_pages(library)
    digests = _paper_digests(loaded.sources)
    base = rebuild.base_key(scan.code, rebuild.templates_digest(
        {path: digest for path, (_, digest) in templates.items()}, STATIC), library.config)
    trusted_site = previous is not None and scan.site != (0, 0) and previous.site == scan.site
    keys, plan = _plan(pages, library, digests, base, previous, trusted_site)
    bodies = _bodies(plan, previous, cache.cache_dir(output_dir), scan.code, from_disk,
                     options.keep_bodies)
    static = output.static_changes(
        _static(previous.templates) if previous else {}, _static(templates),
        exists=plan.mode == rebuild.UPDATE and (output_dir / STATIC).is_dir())
    counts = (len(pages), len(library.papers), len(library.tags), len(library.digests))
    state = BuildState(code=scan.code, sources=loaded.sources, templates=templates,
                       page_keys=keys, site=scan.site, counts=counts, base=base,
                       snapshot=rebuild.Snapshot(base, {page.path: page for page in pages},
                                                 library, digests))
    return _Work(library, digests, plan, bodies, static, state,
                 readying.compiled if readying else None)


@dataclass(frozen=True)
class _Scan:
    """What the build found before reading anything: stamps, the code, the output folder."""

    at: int  # time of the scan, ns
    stamps: dict[str, Stamp]  # content/
    templates: dict[str, Stamp]  # templates/
    code: str
    site: tuple[int, int]


def _scan(content_dir: Path, templates_dir: Path, output_dir: Path,
          previous: BuildState | None, changed: frozenset[str] | None) -> _Scan:
    at = time.time_ns()
    if previous is not None and changed is not None:
        stamps = restamp(content_dir, previous.sources, changed)
    else:
        stamps = scan_content(content_dir)
    return _Scan(at, stamps, scan_tree(templates_dir), cache.code_fingerprint(),
                 output.folder_identity(output_dir))


def _bodies(plan: rebuild.Plan, previous: BuildState | None, folder: Path, code: str,
            from_disk: bool, keep: bool) -> dict[str, RenderedBody]:
    """The rendered bodies at hand: kept in memory, or read from the cache when many are needed
    (or all will be kept)."""
    shown = {pid for page in plan.render for pid in page.papers}
    if from_disk and (keep or plan.mode == rebuild.FULL or len(shown) >= LOAD_BODIES_FROM):
        return cache.load_bodies(folder, code)
    return dict(previous.bodies) if previous else {}


def _bytecode_cache(options: Options, output_dir: Path, code: str) -> jinja2.BytecodeCache | None:
    """Where compiled templates are kept: serve's memory, else the cache on disk, else nowhere."""
    from litdigest.build.render import disk_bytecode_cache  # loaded only when needed

    if options.compiled is not None:
        return options.compiled
    if options.use_cache:
        return disk_bytecode_cache(cache.cache_dir(output_dir) / "templates", code)
    return None


class _Readying:
    """What this process does while the others read the content of a full build, so that no
    process forked to render does it again: import Jinja and the Markdown stack, compile the
    templates (kept in `compiled` for the renderer), ready the Markdown parser's patterns."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir
        self.compiled: MemoryBytecodeCache | None = None

    def weight(self, scan: _Scan) -> float:
        templates = sum(not path.startswith(STATIC + "/") for path in scan.templates)
        return COMPILE_WEIGHT * templates + MARKDOWN_WEIGHT

    def run(self) -> None:
        from litdigest.build.render import MemoryBytecodeCache, ready

        self.compiled = MemoryBytecodeCache()
        ready(self.templates_dir, self.compiled)


def _renderer(library: Library, bodies: Mapping[str, RenderedBody], digests: Mapping[int, str],
              templates_dir: Path, compiled: jinja2.BytecodeCache | None) -> Renderer:
    from litdigest.build.render import Renderer  # loaded only when something renders

    by_id = {}
    for pid, paper in library.by_id.items():
        body = bodies.get(digests[id(paper)])
        if body is not None:
            by_id[pid] = body
    return Renderer(library, templates_dir, by_id, compiled)


def _plan(pages: list[Page], library: Library, digests: Mapping[int, str], base: str,
          previous: BuildState | None, trusted_site: bool
          ) -> tuple[dict[str, str] | None, rebuild.Plan]:
    """The page keys (None where not needed now: the state's snapshot can tell them when the
    state is saved) and the plan. Without a trusted previous site there is nothing to compare:
    everything is written. With the last build's snapshot in memory, contexts are compared
    directly; else keys are."""
    if previous is None or not trusted_site:
        return None, rebuild.Plan(rebuild.FULL, tuple(pages), ())
    if previous.snapshot is not None:
        plan = rebuild.plan_against(pages, library, previous.snapshot, base)
        if plan is not None:
            return None, plan
    keys = rebuild.page_keys(pages, library, digests, base)
    old = previous.page_keys if previous.page_keys is not None else previous.snapshot.keys()
    return keys, rebuild.plan(pages, keys, old, trusted_site)


def save_cache(output_dir: Path, state: BuildState) -> None:
    """Write a build's state (not its bodies) to the cache on disk, as the build itself would."""
    folder = cache.cache_dir(output_dir)
    token = cache.new_token()
    cache.prepare(folder)
    try:
        cache.forget(folder)
        cache.write_state(folder, state, token)
        cache.commit(folder, state, token, bodies_written=False)
    finally:
        cache.discard(folder, token)


def _with_bodies(state: BuildState, bodies: Mapping[str, RenderedBody],
                 digests: Mapping[int, str], library: Library) -> BuildState:
    """The state with the bodies of the library's papers (bodies of gone papers dropped)."""
    current = {digests[id(p)] for p in library.papers}
    return replace(state, bodies={d: b for d, b in bodies.items() if d in current})


def _nothing_changed(index: cache.Index, scan: _Scan) -> bool:
    now: dict[str, Stamp | None] = {f"content/{k}": v for k, v in scan.stamps.items()}
    now.update({f"templates/{k}": v for k, v in scan.templates.items()})
    return (index.code == scan.code and scan.site != (0, 0) and index.site == scan.site
            and index.stamps == now)


def _template_records(templates_dir: Path, stamps: Mapping[str, Stamp],
                      previous: Mapping[str, tuple[Stamp | None, str]],
                      scanned_at: int) -> dict[str, tuple[Stamp | None, str]]:
    """(stamp, digest) of every template file, reading only those whose stamp changed."""
    records: dict[str, tuple[Stamp | None, str]] = {}
    for path, stamp in stamps.items():
        old = previous.get(path)
        if old is not None and old[0] == stamp:
            records[path] = old
            continue
        digest = digest_bytes((templates_dir / path).read_bytes())
        records[path] = (stamp if stamp[0] < scanned_at - RACY_NS else None, digest)
    return records


def _static(templates: Mapping[str, tuple[Stamp | None, str]]) -> dict[str, str]:
    """Digests of the static assets, by path relative to the static folder."""
    prefix = STATIC + "/"
    return {path[len(prefix):]: digest for path, (_, digest) in templates.items()
            if path.startswith(prefix)}


def _paper_digests(sources: Mapping[str, Source]) -> dict[int, str]:
    """id(paper) -> the digest of its file: what a paper's pages and body are made from."""
    return {id(s.item): s.digest for s in sources.values() if isinstance(s.item, Paper)}


def work_units(pages: Sequence[Page]) -> list[list[Page]]:
    """Pages grouped so that each paper's body is rendered by one process: a page showing many
    papers (a digest) heads a unit, and the page of each paper it is the first to show joins it."""
    units: list[list[Page]] = []
    home: dict[str, int] = {}
    for page in pages:
        if len(page.papers) > 1:
            for pid in page.papers:
                home.setdefault(pid, len(units))
            units.append([page])
    for page in pages:
        if len(page.papers) == 1 and page.papers[0] in home:
            units[home[page.papers[0]]].append(page)
        elif len(page.papers) <= 1:
            units.append([page])
    return units


class _Job:
    """Renders the plan's pages on every core and puts them in place, with the cache beside."""

    def __init__(self, work: _Work, templates_dir: Path, output_dir: Path, folder: Path,
                 options: Options, jobs: int, progress: Progress) -> None:
        self.plan, self.static, self.library = work.plan, work.static, work.library
        self.bodies, self.digests, self.state = work.bodies, work.digests, work.state
        self.held = work.compiled  # put in the cache once the build has succeeded
        self.compiled = (work.compiled if work.compiled is not None
                         else _bytecode_cache(options, output_dir, self.state.code))
        self.templates_dir, self.output_dir, self.folder = templates_dir, output_dir, folder
        self.options, self.jobs, self.progress = options, jobs, progress
        self.update = self.plan.mode == rebuild.UPDATE
        self.token = cache.new_token()

    def run(self) -> tuple[tuple[str, ...], dict[str, RenderedBody]]:
        """Render, write and commit; return the pages written and the bodies made on the way."""
        if self.options.use_cache:
            cache.prepare(self.folder)
        root = self.output_dir if self.update else output.fresh_staging(self.output_dir)
        if not self.update:  # the state describes the site as it will be: the staging folder
            self.state = _with_site(self.state, output.folder_identity(root))
        shares = self._shares()
        self.progress.stage("rendering pages", len(self.plan.render))
        written: list[str] = []
        made: dict[str, RenderedBody] = {}
        try:
            renderer = self._renderer()

            def work(number: int, pages: Sequence[Page]) -> tuple[list[str], dict[str, RenderedBody]]:
                return self._render_share(number, pages, len(shares), renderer, root)

            for share_written, share_made in fork_map(work, shares):
                written += share_written
                made.update(share_made)
            self._commit(root, written)
        except BaseException:
            self._discard(root)
            raise
        return tuple(written), made

    def _shares(self) -> list[list[Page]]:
        units = work_units(self.plan.render)
        cached = self._cached_ids()
        weights = [sum(3.0 + len(p.papers) for p in unit)
                   + BODY_WEIGHT * len({pid for p in unit for pid in p.papers} - cached)
                   for unit in units]
        jobs = self.jobs if sum(weights) >= PARALLEL_FROM else 1
        state_work = STATE_WEIGHT * len(self.library.papers) if self._writes_state_early() else 0.0
        dealt = split(units, weights, jobs, preload=[0.0, state_work])
        return [[page for unit in share for page in unit] for share in dealt]

    def _cached_ids(self) -> set[str]:
        return {pid for pid, paper in self.library.by_id.items()
                if self.digests[id(paper)] in self.bodies}

    def _writes_state_early(self) -> bool:
        """A full build's state is written by a worker while the others render."""
        return self.options.use_cache and self.options.save_state and not self.update

    def _renderer(self) -> Renderer:
        renderer = _renderer(self.library, self.bodies, self.digests, self.templates_dir,
                             self.compiled)
        renderer.compile()  # before the fork, so it is done once
        return renderer

    def _render_share(self, number: int, pages: Sequence[Page], shares: int, renderer: Renderer,
                      root: Path) -> tuple[list[str], dict[str, RenderedBody]]:
        if number == min(1, shares - 1) and self._writes_state_early():
            cache.write_state(self.folder, self.state, self.token)
        known = set(renderer.bodies)
        writer = output.Writer(root, self.update)
        written = []
        for page in pages:
            if writer.write(page.path, renderer.render(page).encode("utf-8")):
                written.append(page.path)
            if number == 0:
                self.progress.advance(shares)
        made = {self.digests[id(self.library.by_id[pid])]: body
                for pid, body in renderer.bodies.items() if pid not in known}
        if self._writes_state_early():
            shown = {pid for page in pages for pid in page.papers}
            cache.write_bodies(self.folder, number, self.state.code,
                               {self.digests[id(self.library.by_id[pid])]: renderer.bodies[pid]
                                for pid in shown}, self.token)
        return written, made if self.options.keep_bodies or self.update else {}

    def _commit(self, root: Path, written: list[str]) -> None:
        if self.options.use_cache:
            cache.forget(self.folder)
        if self.update:
            output.commit_update(self.output_dir, sorted(written), self.plan.remove)
            output.update_static(self.templates_dir / STATIC, self.output_dir / STATIC, self.static)
        else:
            output.copy_static(self.templates_dir / STATIC, root / STATIC)
            output.swap_into_place(root, self.output_dir)
        if self.options.use_cache and self.options.save_state:
            if self.update:
                cache.write_state(self.folder, self.state, self.token)
            cache.commit(self.folder, self.state, self.token, bodies_written=not self.update)
        if self.held is not None:
            keep = _bytecode_cache(self.options, self.output_dir, self.state.code)
            if keep is not None:
                self.held.release(keep)

    def _discard(self, root: Path) -> None:
        if self.update:
            output.discard_update(self.output_dir, [page.path for page in self.plan.render])
        else:
            shutil.rmtree(root, ignore_errors=True)
        if self.options.use_cache:
            cache.discard(self.folder, self.token)


def _with_site(state: BuildState, site: tuple[int, int]) -> BuildState:
    return replace(state, site=site)
