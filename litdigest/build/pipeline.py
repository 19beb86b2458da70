"""Build `site/` from `content/` and `templates/`: the steps of a build, in order, all or nothing.

1. read `content/` (content/folder.py, the one reader of it, through incremental/sources.py);
2. cross-reference it into the library (library.py);
3. plan the site's pages: every page, its template and context (site_pages.py);
4. pick the pages to render: all of them, or those a change touched;
5. render them on every core, each process rendering the Markdown bodies its pages show
   (parallel.py, render.py, markdown.py);
6. write them: a whole new site through a staging folder, or the changed files of the old one,
   each atomically (output.py); the preview's updates (`serve`) put the pages a browser shows
   in place first, then plan and write the files machines read (feeds, sitemap, papers.json)
   in an update of their own, so a saved edit reaches the browser without waiting for them;
7. tell the incremental side the build succeeded.

Whatever a rebuild reuses from the last build — unchanged files not read again, unchanged pages
not rendered, rendered bodies, the cache on disk — is incremental/'s: the build asks a
`Reuse` (incremental/reuse.py) its questions at steps 1, 4 and 7, and a build without a last
build hears "nothing to reuse" and does everything. The numbers that decide how work is shared
out are in tuning.py. A fresh build, a cached one, a parallel one and `serve`'s give the same bytes.
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from litdigest.build import output, site_lock
from litdigest.build.library import Library, build_library
from litdigest.build.output import STATIC
from litdigest.build.metadata import site_base_url
from litdigest.build.output_folder import refuse_unsafe_output
from litdigest.build.papers_json import PAPERS_JSON
from litdigest.build.parallel import cpu_count, fork_map, split
from litdigest.build.site_pages import Page, html_pages, machine_pages
from litdigest.build.theme import Templates
from litdigest.build.tuning import (BODY_WEIGHT, COMPILE_WEIGHT, MARKDOWN_WEIGHT,
                                    PARALLEL_FROM_UNITS, collector_paused)
from litdigest.content import journal
from litdigest.errors import LitdigestError
from litdigest.signals import stops_held_back, stops_interrupt
from litdigest.wording import counted
from litdigest.incremental.reuse import Reuse
from litdigest.incremental.sources import Meanwhile
from litdigest.incremental.stale import FULL, UPDATE, Plan
from litdigest.incremental.store import LastBuild
from litdigest.progress import Progress, silent

if TYPE_CHECKING:
    import jinja2

    from litdigest.build.jinja_env import MemoryBytecodeCache
    from litdigest.build.markdown import RenderedBody
    from litdigest.build.render import Renderer

UNCHANGED = "unchanged"


@dataclass(frozen=True)
class BuildResult:
    pages: int
    papers: int
    tags: int
    digests: int
    seconds: float
    output: Path
    mode: str = FULL  # FULL, UPDATE or UNCHANGED
    rendered: int = 0
    written: tuple[str, ...] = ()  # output paths (re)written, in order
    reused: int = 0  # papers whose rendered Markdown body was taken from the last build
    last_build: LastBuild | None = None  # what the next build may start from (serve keeps it)

    def summary(self) -> str:
        """The one line a build prints: what the site holds, where, how long, and what was redone."""
        line = (f"built {counted(self.pages, 'page')} ({counted(self.papers, 'paper')}, "
                f"{counted(self.tags, 'tag')}, {counted(self.digests, 'digest')}) into "
                f"{self.output} in {self.seconds:.2f} s")
        if self.mode == UNCHANGED:
            return f"{line}: nothing changed since the last build"
        if self.mode == UPDATE:
            return f"{line}: {len(self.written)} files rewritten, {self.rendered} pages rendered"
        if self.reused:  # a whole new site (no site/ to update), from the last build's bodies
            return (f"{line}: a whole new site, {self.papers - self.reused} of {self.papers} "
                    f"Markdown bodies rendered ({self.reused} reused)")
        return line


@dataclass(frozen=True)
class PreviewOptions:
    """What only the preview (`serve`) sets. It keeps its last build in memory instead of reading
    the cache, keeps every rendered body in it (and gets it back even when nothing changed), and
    writes the cache itself, after the browser has reloaded."""

    last_build: LastBuild | None = None  # its last build
    changed: frozenset[str] | None = None  # files changed since (its watcher's), None: unknown
    compiled: jinja2.BytecodeCache | None = None  # the compiled templates it keeps
    # Called when an update has put the pages a browser shows in place (the browser may reload)
    # and the files machines read (feeds, sitemap, papers.json) are planned and written after.
    # None: every page in one update.
    pages_shown: Callable[[], None] | None = None


@dataclass(frozen=True)
class Options:
    """How to build: with or without the cache, on how many cores, showing what progress."""

    use_cache: bool = True  # read and write .litdigest-cache/
    fresh: bool = False  # ignore what any previous build left
    jobs: int = 0  # processes; 0: one per core
    progress: Progress | None = None
    preview: PreviewOptions | None = None  # set by `serve` only
    waiting: Callable[[int | None], None] | None = None  # told the pid holding the site's lock
    base_url: str | None = None  # `--base-url`: where the site is published, over site.yaml's


def build_site(content_dir: Path, templates_dir: Path, output_dir: Path,
               options: Options = Options()) -> BuildResult:
    """Build `output_dir` from `content_dir` and `templates_dir`: the steps above, in order,
    with Python's cycle collector paused (tuning.py says why). Before anything is written the
    output folder is checked (output_folder.py: output is never input), the site's lock is
    taken (site_lock.py: one build at a time) and what killed builds left is cleared
    (output.recover). SIGTERM and SIGHUP interrupt the build as Ctrl-C does, so it cleans up."""
    templates = Templates(templates_dir)
    refuse_unsafe_output(content_dir, templates, output_dir)
    with stops_interrupt(), site_lock.holding(output_dir, options.waiting or _say_waiting):
        output.recover(output_dir)
        with collector_paused():
            return _build(content_dir, templates, output_dir, options)


def _say_waiting(pid: int | None) -> None:
    holder = f"the build of PID {pid}" if pid else "another build"
    print(f"litdigest: waiting for {holder} to finish (it holds the lock of this site)",
          file=sys.stderr, flush=True)


def _build(content_dir: Path, templates: Templates, output_dir: Path,
           options: Options) -> BuildResult:
    start = time.perf_counter()
    interrupted = journal.unfinished(content_dir)
    if interrupted is not None:
        raise LitdigestError(interrupted)
    progress = options.progress or silent()
    reuse = _reuse(content_dir, templates, output_dir, options)
    counts = reuse.nothing_changed()
    if counts is not None:
        return BuildResult(*counts, time.perf_counter() - start, output_dir, mode=UNCHANGED)

    jobs = options.jobs or cpu_count()
    # 1. read content/; a build that will render everything readies rendering meanwhile
    readying = _Readying(templates, reuse.template_files) if reuse.nothing_to_reuse() else None
    content = reuse.read_content(progress, jobs, readying.meanwhile() if readying else None)
    if options.base_url is not None:
        content = replace(content, config=replace(content.config, base_url=options.base_url))
    library = build_library(content)  # 2.
    pages, plan, shown = _plan(reuse, library, options)  # 3. and 4.
    bodies = reuse.bodies_at_hand(plan)
    static = reuse.static_changes()
    if plan.mode == UPDATE and not (plan.render or plan.remove or static.copy or static.delete):
        last_build = reuse.succeeded()  # 7., with nothing to render or write
        progress.done()
        return BuildResult(*last_build.counts, time.perf_counter() - start, output_dir,
                           mode=UNCHANGED, last_build=last_build)

    compiled = readying.compiled if readying else None
    job = _Job(reuse, plan, library, bodies, static, templates, output_dir, jobs, progress)
    written, last_build = job.run(compiled, _MachinesAfter(pages, shown) if shown else None)
    progress.done()  # 5., 6. and 7.
    return BuildResult(*last_build.counts, time.perf_counter() - start, output_dir,
                       mode=plan.mode, rendered=job.rendered, written=written,
                       reused=len(bodies), last_build=last_build)


def _plan(reuse: Reuse, library: Library,
          options: Options) -> tuple[list[Page], Plan, Callable[[], None] | None]:
    """Steps 3 and 4: the pages planned, the plan, and, for the preview's update in two parts,
    what to call once the pages a browser shows are in place (else None: one part)."""
    pages = html_pages(library)
    shown = options.preview.pages_shown if options.preview is not None else None
    plan = reuse.browser_pages_to_render(pages, library) if shown is not None else None
    if plan is None:
        pages += machine_pages(library, pages)
        return pages, reuse.pages_to_render(pages, library), None
    if not (plan.render or plan.remove):  # no page a browser shows changed: one part
        return pages, reuse.machine_pages_to_render(machine_pages(library, pages)), None
    return pages, plan, shown


def _reuse(content_dir: Path, templates: Templates, output_dir: Path, options: Options) -> Reuse:
    preview = options.preview
    settings = f"base_url={options.base_url}" if options.base_url is not None else ""
    if preview is None:
        return Reuse(content_dir, templates, output_dir, use_cache=options.use_cache,
                     fresh=options.fresh, settings=settings)
    return Reuse(content_dir, templates, output_dir, use_cache=options.use_cache,
                 fresh=options.fresh, settings=settings, last=preview.last_build,
                 changed=preview.changed, keep_bodies=True, save=False, compiled=preview.compiled)


class _Readying:
    """What this process does while the others read the content of a full build, so that no
    process forked to render does it again: import Jinja and the Markdown stack, compile the
    templates (kept in `compiled` for the renderer, and put in the cache only once the build has
    succeeded), ready the Markdown parser's patterns. Its share of the files to read is smaller
    by the weight of that work (tuning.py)."""

    def __init__(self, templates: Templates, template_files: Sequence[str]) -> None:
        self.templates = templates
        self.count = sum(not path.startswith(STATIC + "/") for path in template_files)
        self.compiled: MemoryBytecodeCache | None = None

    def meanwhile(self) -> Meanwhile:
        return Meanwhile(self.run, COMPILE_WEIGHT * self.count + MARKDOWN_WEIGHT)

    def run(self) -> None:
        from litdigest.build.jinja_env import MemoryBytecodeCache
        from litdigest.build.render import ready

        self.compiled = MemoryBytecodeCache()
        ready(self.templates, self.compiled)


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


# pages written, bodies rendered (by paper id), papers.json's lines if another process made them
_Share = tuple[list[str], dict[str, "RenderedBody"], "tuple[str, dict[str, bytes]] | None"]


@dataclass(frozen=True)
class _MachinesAfter:
    """The preview's update in two parts: once the pages a browser shows (`html`) are in place,
    `shown` is called and the files machines read are planned, rendered and put in place."""

    html: list[Page]
    shown: Callable[[], None]


class _Job:
    """Steps 5 and 6: renders the plan's pages on every core and puts them in place."""

    def __init__(self, reuse: Reuse, plan: Plan, library: Library,
                 bodies: dict[str, RenderedBody], static: output.StaticChanges,
                 templates: Templates, output_dir: Path, jobs: int, progress: Progress) -> None:
        self.reuse, self.plan, self.library, self.bodies = reuse, plan, library, bodies
        self.static, self.templates, self.output_dir = static, templates, output_dir
        self.jobs, self.progress = jobs, progress
        self.in_place = plan.mode != UPDATE and output.in_place(output_dir)
        self.update = plan.mode == UPDATE or self.in_place  # written beside the old files
        self.site_changed = False
        self.rendered = len(plan.render)

    def run(self, held: MemoryBytecodeCache | None,
            after: _MachinesAfter | None = None) -> tuple[tuple[str, ...], LastBuild]:
        """Render and write, then tell the incremental side the build succeeded; return the
        pages written and what the next build may start from. `held`: templates compiled while
        reading, kept only if the build succeeds. `after`: the files machines read follow the
        pages in an update of their own."""
        compiled = held if held is not None else self.reuse.template_cache()
        root = self.output_dir if self.update else output.fresh_staging(self.output_dir)
        if self.update:
            output.begin_update(self.output_dir)
        if self.in_place:
            output.write_marker(root)  # a whole new site, written in place: marked before
        self.reuse.writing_into(root)
        shares = self._shares()
        self.progress.stage("rendering pages", len(self.plan.render))
        written: list[str] = []
        made: dict[str, RenderedBody] = {}
        finished = False
        try:
            renderer = self._renderer(compiled)

            def work(number: int, pages: Sequence[Page]) -> _Share:
                return self._render_share(number, pages, len(shares), renderer, root)

            for share_written, share_made, lines in fork_map(work, shares):
                written += share_written
                made.update(share_made)
                if lines is not None and renderer.records is not None:
                    renderer.records.arrived(lines, self.library)
            with stops_held_back():  # from the swap to the end: an interruption then
                self._put_in_place(root, written)  # comes once the build is done, as SiteChanged
                self.site_changed = True
                if after is not None:
                    written += self._machine_files(after, renderer, made)
                last_build = self.reuse.succeeded(made)
                if held is not None:
                    self.reuse.keep_compiled(held)
                finished = True
        except BaseException as err:
            if not self.site_changed:
                self._discard(root)
            if not finished:
                self.reuse.failed()
            if self.site_changed and isinstance(err, KeyboardInterrupt):
                raise output.SiteChanged(*err.args) from err
            raise
        return tuple(written), last_build

    def _shares(self) -> list[list[Page]]:
        """The pages dealt out to the processes, by their weight (tuning.py)."""
        units = work_units(self.plan.render)
        cached = set(self.bodies)
        weights = [sum(3.0 + len(p.papers) + self._weight(p) for p in unit)
                   + BODY_WEIGHT * len({pid for p in unit for pid in p.papers} - cached)
                   for unit in units]
        jobs = self.jobs if sum(weights) >= PARALLEL_FROM_UNITS else 1
        dealt = split(units, weights, jobs, preload=[0.0, self.reuse.cache_work()])
        return [[page for unit in share for page in unit] for share in dealt]

    def _weight(self, page: Page) -> float:
        """A page's cost beyond 3 units and one per paper: papers.json's, with the lines at
        hand (the preview's), only that of the papers it encodes again."""
        records = self.reuse.records()
        if page.template != PAPERS_JSON or records is None or not self.library.papers:
            return page.weight
        base_url = site_base_url(self.library.config)
        return page.weight * records.missing(self.library.papers, base_url) / len(self.library.papers)

    def _renderer(self, compiled: jinja2.BytecodeCache | None) -> Renderer:
        from litdigest.build.render import Renderer  # loaded only when something renders

        renderer = Renderer(self.library, self.templates, self.bodies, compiled,
                            self.reuse.records())
        renderer.compile()  # before the fork, so it is done once
        return renderer

    def _render_share(self, number: int, pages: Sequence[Page], shares: int, renderer: Renderer,
                      root: Path) -> _Share:
        self.reuse.share_started(number, shares)
        known = set(renderer.bodies)
        writer = output.Writer(root, self.update)
        written = []
        for page in pages:
            if writer.write(page.path, renderer.page_bytes(page)):
                written.append(page.path)
            if number == 0:
                self.progress.advance(shares)
        self.reuse.share_rendered(number, pages, renderer.bodies)
        records = renderer.records
        lines = None  # another process's papers.json lines travel back, this one's are at hand
        if number != 0 and records is not None and any(p.template == PAPERS_JSON for p in pages):
            lines = records.travelling()
        if not self.reuse.keeps_new_bodies():
            return written, {}, lines
        return written, {pid: body for pid, body in renderer.bodies.items() if pid not in known}, lines

    def _machine_files(self, after: _MachinesAfter, renderer: Renderer,
                       made: dict[str, RenderedBody]) -> list[str]:
        """The second part of the preview's update: say the pages are shown, then plan the files
        machines read, render them here and put them in place; return those written."""
        after.shown()
        plan = self.reuse.machine_pages_to_render(machine_pages(self.library, after.html))
        self.rendered += len(plan.render)
        if not (plan.render or plan.remove):
            return []
        renderer.bodies.update(made)
        output.begin_update(self.output_dir)
        writer = output.Writer(self.output_dir, True)
        written = [page.path for page in plan.render
                   if writer.write(page.path, renderer.page_bytes(page))]
        output.commit_update(self.output_dir, written, plan.remove)
        return written

    def _put_in_place(self, root: Path, written: list[str]) -> None:
        self.reuse.site_changing()
        if self.update:
            copied = output.stage_static(self.templates, self.output_dir, self.static)
            removed = [*self.plan.remove, *(f"{STATIC}/{rel}" for rel in self.static.delete)]
            if self.in_place:
                removed = output.files_not_in(self.output_dir, [p.path for p in self.plan.render]
                                              + [f"{STATIC}/{rel}" for rel in self.static.copy])
            else:
                output.write_marker(self.output_dir)  # another writing of the site: renewed
            output.commit_update(self.output_dir, sorted(written + copied), removed)
        else:
            output.copy_static(self.templates, self.reuse.static_files(), root)
            output.swap_into_place(root, self.output_dir)

    def _discard(self, root: Path) -> None:
        if self.update:
            written = [page.path for page in self.plan.render]
            output.discard_update(self.output_dir, written + [f"{STATIC}/{r}" for r in self.static.copy])
        else:
            shutil.rmtree(root, ignore_errors=True)
