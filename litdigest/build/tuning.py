"""Every number the build's speed depends on, and the one trick that is not a number.

None of these changes a byte of the site: they decide how work is shared out and when a shortcut
pays off. They are judged by the benchmark, `python bench/run.py`: cold builds and rebuilds of
the shared synthetic corpus (`../shared/bench/gen_corpus.py`) at 1,000 and 10,000 papers, on
2 cores; the README's "Speed" part has its figures (at 10,000 papers: a cold build in about
3.1 s, a no-change rebuild in 0.13 s, a one-title rebuild in 0.84 s). The commits that set them
record no finer measurement than that. To re-tune one, time those builds with the number moved
both ways, alternating runs (the machine is noisy), and keep the value where the medians are
best.

Work is counted in two units:

- *files read*: reading and parsing one page of `content/` (incremental/sources.py deals shares
  of files by it);
- *render units*, about 50 µs each: a page costs 3 units plus one per paper it shows
  (pipeline.py deals shares of pages by it).

Reading content (incremental/sources.py):

- PARALLEL_FROM_FILES: fewer files than this are read in this process alone; forking and
  sending the parsed pages back costs more than it saves below it.
- TRAVEL_WEIGHT: a page parsed in another process travels back pickled; that costs about a
  quarter of reading it, so each other process's share is preloaded with it.
- RACY_NS: a file whose modification time is this close to the scan may change again within the
  same clock tick unseen; its stamp is not trusted next time (its bytes are hashed again). This
  one is for correctness, not speed: 2 s covers the coarsest file-system clocks.

Readying rendering while the others read (pipeline.py, `_Readying`): in a full build the first
process, instead of reading, imports Jinja and the Markdown stack and compiles the templates, so
no process forked later does it again. Its share of files is made smaller by:

- COMPILE_WEIGHT: compiling one template, in files read;
- MARKDOWN_WEIGHT: importing and readying the Markdown stack, in files read.

Rendering (pipeline.py):

- PARALLEL_FROM_UNITS: less work than this is rendered in this process alone.
- BODY_WEIGHT: rendering one paper's Markdown body, in render units (a body already rendered by
  an earlier build costs nothing).
- LAST_BUILD_WEIGHT: in a full build one render process also writes the LastBuild to the cache;
  each paper's share of that, in render units, preloads its share.
- PAPERS_JSON_WEIGHT, FEED_ENTRY_WEIGHT, SITEMAP_ROW_WEIGHT: what one paper of papers.json, one
  entry of a feed and one row of sitemap.xml add to their page's cost, in render units: those
  pages show many papers without rendering their bodies, and would otherwise count as small.
  The preview keeps papers.json's lines from one build to the next: there only the papers whose
  line is encoded again count (pipeline.py).

Reusing (incremental/):

- LOAD_BODIES_FROM: a rebuild that must show at least this many papers reads every cached
  rendered body from disk at once (one read of all shards) instead of rendering those it needs.
- FULL_FROM: a rebuild that would re-render more than this share of the pages writes a whole new
  site through a staging folder instead of updating files in place.

The trick that is not a number, `collector_paused`: a build keeps nearly everything it makes
until it ends, so Python's cycle collector would walk the growing library again and again to
find little garbage (a twentieth of the work of a 10,000-paper build). It is paused for the whole
build (and for the preview's rebuild, until its LastBuild is saved); processes forked to render
collect as usual.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

PARALLEL_FROM_FILES = 1000  # files to read before more processes pay off
TRAVEL_WEIGHT = 0.25  # sending a parsed file back from another process, in files read
RACY_NS = 2_000_000_000  # a file changed this close to the scan may change again unseen
COMPILE_WEIGHT = 90.0  # compiling one template, in files read
MARKDOWN_WEIGHT = 600.0  # importing and readying the Markdown stack, in files read
PARALLEL_FROM_UNITS = 600  # render units (about 50 µs each) before more processes pay off
BODY_WEIGHT = 3.0  # rendering one Markdown body, in render units
LAST_BUILD_WEIGHT = 0.6  # writing one paper's share of the cached LastBuild, in render units
PAPERS_JSON_WEIGHT = 0.3  # one paper written into papers.json, in render units
FEED_ENTRY_WEIGHT = 0.4  # one entry of a feed, in render units
SITEMAP_ROW_WEIGHT = 0.04  # one row of sitemap.xml, in render units
LOAD_BODIES_FROM = 200  # papers to show before reading all cached bodies beats rendering them
FULL_FROM = 0.5  # re-rendering more than this share of the site: write a whole new one


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while the block runs (see above), as it was after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
