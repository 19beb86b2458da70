"""Incremental builds: a cached, parallel or preview build writes the same bytes as a fresh serial
one, rewrites only the files whose bytes change, and a failed one leaves the site as it was."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

import pytest

from tests.helpers.corpus import write_corpus
from tests.helpers.paths import CONTENT, TEMPLATES
from litdigest.build.theme import Templates
from litdigest.build.pipeline import UNCHANGED, Options, build_site
from litdigest.incremental.store import CACHE_FOLDER
from litdigest.errors import LitdigestError
from litdigest.incremental.stale import FULL, UPDATE
from litdigest.build.jinja_env import disk_bytecode_cache, make_environment
from litdigest.serve.preview import Preview
from litdigest.build.output_folder import MARKER

Edit = Callable[[Path, Path], None]  # (content/, templates/) -> None


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every page and asset: a file written again, even with the same bytes,
    differs. Not the site's marker, which every build that writes the site renews (it tells the
    cache which writing of the site a folder holds: output.folder_identity)."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(site.rglob("*")) if p.is_file() and p.name != MARKER}


def fresh(content: Path, templates: Path, site: Path) -> dict[str, bytes]:
    """The reference: a serial build from nothing, with no cache at all."""
    build_site(content, templates, site, Options(use_cache=False, jobs=1))
    return files(site)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus" / "content")


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A private copy of the templates, so tests may edit them."""
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES, target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- the edits every kind of build must follow ------------------------------------------------

def edit_title(content: Path, _t: Path) -> None:
    replace_in(content / "papers" / "paper-0005.md", 'title: "', 'title: "Revised ')


def edit_abstract(content: Path, _t: Path) -> None:
    replace_in(content / "papers" / "paper-0040.md", "\n---\n\n", "\n---\n\nNew $y_1$ lead, see www.example.com. ")


def add_paper(content: Path, _t: Path) -> None:
    text = (content / "papers" / "paper-0003.md").read_text(encoding="utf-8")
    text = text.replace("paper-0003", "paper-new").replace("2412.00003", "2412.99999")
    (content / "papers" / "paper-new.md").write_text(text.replace('title: "', 'title: "Added '),
                                                     encoding="utf-8")


def remove_paper(content: Path, _t: Path) -> None:
    (content / "papers" / "paper-0007.md").unlink()


def move_date(content: Path, _t: Path) -> None:  # reorders every listing it is on
    path = content / "papers" / "paper-0090.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("date: ") + 6
    path.write_text(text[:start] + "2025-01-01" + text[start + 10:], encoding="utf-8")


def retag(content: Path, _t: Path) -> None:  # a new tag, with no tag page of its own
    path = content / "papers" / "paper-0011.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("tags: [") + 7
    path.write_text(text[:start] + "brand-new, " + text[start:], encoding="utf-8")


def rename_tag(content: Path, _t: Path) -> None:
    replace_in(content / "tags" / "vision.md", 'en: "Vision"', 'en: "Computer Vision"')


def add_digest_file(content: Path, _t: Path) -> None:
    (content / "digests").mkdir(exist_ok=True)
    (content / "digests" / "week-51.md").write_text(
        '---\nid: week-51\ntitle: "The week before"\ndate: 2024-12-19\nsource: ""\npapers:\n'
        "  - arxiv:2412.00004\n  - arxiv:2412.00001\n---\n", encoding="utf-8")


def page_size(content: Path, _t: Path) -> None:
    replace_in(content / "site.yaml", "page_size: 10", "page_size: 7")


def template(_c: Path, templates: Path) -> None:
    replace_in(templates / "base.html", "<main id=\"main\">", "<main id=\"main\" class=\"edited\">")


def stylesheet(_c: Path, templates: Path) -> None:
    with open(templates / "static" / "style.css", "a", encoding="utf-8") as f:
        f.write("\n/* edited */\n")


def touch_only(content: Path, _t: Path) -> None:
    path = content / "papers" / "paper-0002.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))


EDITS: list[Edit] = [edit_title, edit_abstract, add_paper, remove_paper, move_date, retag,
                     rename_tag, add_digest_file, page_size, template, stylesheet, touch_only]


# ---- the tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["example", "corpus"])
def test_parallel_and_cached_builds_equal_a_fresh_serial_one(tmp_path: Path, corpus: Path,
                                                             source: str) -> None:
    content = CONTENT if source == "example" else corpus
    reference = fresh(content, TEMPLATES, tmp_path / "serial" / "site")
    parallel = tmp_path / "parallel" / "site"
    build_site(content, TEMPLATES, parallel, Options(use_cache=False, jobs=2))
    assert files(parallel) == reference
    cached = tmp_path / "cached" / "site"
    first = build_site(content, TEMPLATES, cached, Options(jobs=2))
    assert first.mode == FULL and (cached.parent / CACHE_FOLDER / "site").is_dir()
    shutil.rmtree(cached)  # the cache is there, the site is not: a full build from the cache
    again = build_site(content, TEMPLATES, cached, Options(jobs=2))
    assert again.mode == FULL and files(cached) == reference
    assert again.summary().endswith(  # and says what it reused
        f": a whole new site, 0 of {again.papers} Markdown bodies rendered ({again.papers} reused)")


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.__name__)
def test_a_cached_build_after_an_edit_equals_a_fresh_one(tmp_path: Path, corpus: Path,
                                                         templates: Path, edit: Edit) -> None:
    site = tmp_path / "site"
    build_site(corpus, templates, site)
    before, before_stamps = files(site), stamps(site)
    edit(corpus, templates)
    result = build_site(corpus, templates, site)
    after = files(site)
    assert after == fresh(corpus, templates, tmp_path / "reference" / "site")
    if result.mode != FULL:  # an update rewrites exactly the files whose bytes changed
        changed = {path for path in after if before.get(path) != after[path]}
        rewritten = {path for path, stamp in stamps(site).items() if before_stamps.get(path) != stamp}
        assert rewritten == changed
        assert set(result.written) <= changed
    assert not list(site.rglob("*.litdigest-new"))


def test_a_site_put_back_as_it_was_is_trusted_and_one_from_before_a_later_build_is_not(
        tmp_path: Path, content_copy: Path) -> None:
    """A CI runner restores site/ with the cache (new files, same bytes and times): that site is
    the one the cache describes. A copy from before a later build is not, whatever it holds."""
    site = tmp_path / "site"
    build_site(content_copy, TEMPLATES, site)
    kept = tmp_path / "kept"
    shutil.copytree(site, kept)  # bytes and modification times, as tar keeps them
    shutil.rmtree(site)
    shutil.copytree(kept, site)
    assert build_site(content_copy, TEMPLATES, site).mode == UNCHANGED
    paper = content_copy / "papers" / "mix-ln-unleashing-the-power-of-deeper-layers-by-combining.md"
    replace_in(paper, 'title: "Mix-LN', 'title: "Revised Mix-LN')
    assert build_site(content_copy, TEMPLATES, site).mode == UPDATE
    shutil.rmtree(site)
    shutil.copytree(kept, site)  # the site as it was before that update
    assert build_site(content_copy, TEMPLATES, site).mode == FULL
    assert files(site) == fresh(content_copy, TEMPLATES, tmp_path / "reference" / "site")


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("parts", ["one update", "browser pages first"])
def test_the_preview_follows_every_edit(tmp_path: Path, corpus: Path, templates: Path,
                                        jobs: int, parts: str) -> None:
    """serve's builds: state kept in memory, contexts compared with the last build's; serve's
    own updates put the pages a browser shows in place before the files machines read."""
    os.environ["LITDIGEST_JOBS"] = str(jobs)
    shown = (lambda: None) if parts == "browser pages first" else None
    try:
        preview = Preview(corpus, templates, tmp_path / "site")
        preview.build()
        for number, edit in enumerate(EDITS):
            edit(corpus, templates)
            preview.build(shown=shown)
            reference = fresh(corpus, templates, tmp_path / f"reference-{number}" / "site")
            assert files(tmp_path / "site") == reference, edit.__name__
    finally:
        del os.environ["LITDIGEST_JOBS"]


def test_the_preview_shows_the_pages_first_and_the_files_machines_read_after(
        tmp_path: Path, content_copy: Path) -> None:
    """Under serve a saved edit reaches the browser's pages first: when the browser is told to
    reload, the paper's page is new and the feed and papers.json are still the last build's;
    once the build is done they are new too, and nothing is left half-written."""
    site = tmp_path / "site"
    preview = Preview(content_copy, TEMPLATES, site)
    preview.build()
    paper = content_copy / "papers" / "mix-ln-unleashing-the-power-of-deeper-layers-by-combining.md"
    replace_in(paper, 'title: "Mix-LN', 'title: "Revised Mix-LN')
    seen: dict[str, bytes] = {}

    def shown() -> None:
        seen.update(files(site))

    result = preview.build(frozenset({str(paper)}), shown)
    page = f"papers/{paper.stem}/index.html"
    assert b"Revised Mix-LN" in seen[page]
    assert b"Revised Mix-LN" not in seen["feed.xml"] and b"Revised Mix-LN" not in seen["papers.json"]
    assert b"Revised Mix-LN" in (site / "feed.xml").read_bytes()
    assert {page, "feed.xml", "papers.json"} <= set(result.written)
    assert result.rendered == len(result.written)
    assert files(site) == fresh(content_copy, TEMPLATES, tmp_path / "reference" / "site")
    assert not list(site.rglob("*.litdigest-new"))


def test_editing_a_title_rewrites_its_pages_and_nothing_else(tmp_path: Path,
                                                            content_copy: Path) -> None:
    site = tmp_path / "site"
    build_site(content_copy, TEMPLATES, site)
    before, before_stamps = files(site), stamps(site)
    paper = content_copy / "papers" / "mix-ln-unleashing-the-power-of-deeper-layers-by-combining.md"
    replace_in(paper, 'title: "Mix-LN', 'title: "Revised Mix-LN')
    result = build_site(content_copy, TEMPLATES, site)
    assert result.mode == UPDATE
    rewritten = {path for path, stamp in stamps(site).items() if before_stamps[path] != stamp}
    changed = {path for path, data in files(site).items() if before[path] != data}
    assert rewritten == changed == set(result.written)
    link = f"papers/{paper.stem}/".encode()
    tag_pages = {path for path, data in before.items() if path.startswith("tags/") and link in data
                 and path != "tags/index.html"}
    listings = {path for path, data in before.items() if path.startswith("papers/")
                and path.count("/") >= 1 and link in data and "index.html" in path
                and not path.startswith(f"papers/{paper.stem}/")}
    must = {f"papers/{paper.stem}/index.html", "index.html", "digests/004-2024-12-19/index.html",
            "feed.xml", "papers.json"} | tag_pages  # a tag's pages: its listing and its feed
    assert tag_pages and must <= rewritten <= must | listings, sorted(rewritten)


def test_a_changed_title_renders_only_the_pages_that_show_it(tmp_path: Path, corpus: Path) -> None:
    """Listings hold what they show: the other pages of a tag's listing, the tag index and the
    digest index are not even rendered again, in a cached build or in the preview."""
    site = tmp_path / "site"
    build_site(corpus, TEMPLATES, site)
    papers = sorted((corpus / "papers").glob("*.md"))
    replace_in(papers[5], 'title: "', 'title: "Revised ')
    result = build_site(corpus, TEMPLATES, site)
    assert result.mode == UPDATE and result.rendered == len(result.written) < 10, result.written
    preview = Preview(corpus, TEMPLATES, site)
    preview.build()
    replace_in(papers[50], 'title: "', 'title: "Revised ')
    result = preview.build(frozenset({str(papers[50])}))
    assert result.mode == UPDATE and result.rendered == len(result.written) < 10, result.written


def test_a_build_with_nothing_to_do_touches_nothing(tmp_path: Path, corpus: Path) -> None:
    site = tmp_path / "site"
    build_site(corpus, TEMPLATES, site)
    before = stamps(site)
    result = build_site(corpus, TEMPLATES, site)
    assert result.mode == UNCHANGED and result.written == ()
    assert stamps(site) == before


def test_a_failed_update_leaves_the_site_and_the_cache_as_they_were(
        tmp_path: Path, corpus: Path, templates: Path) -> None:
    replace_in(templates / "paper.html", "{% block main %}",
               "{% block main %}{% if paper.title.startswith('BOOM') %}{{ no_such_value }}{% endif %}")
    site = tmp_path / "site"
    build_site(corpus, templates, site)
    before = stamps(site)
    replace_in(corpus / "papers" / "paper-0005.md", 'title: "', 'title: "BOOM ')
    with pytest.raises(LitdigestError) as err:
        build_site(corpus, templates, site)
    assert "no_such_value" in str(err.value)
    assert stamps(site) == before
    assert not list(site.rglob("*.litdigest-new"))
    assert not list((tmp_path / CACHE_FOLDER).rglob("*.pending-*"))
    replace_in(corpus / "papers" / "paper-0005.md", 'title: "BOOM ', 'title: "Fine ')
    build_site(corpus, templates, site)
    assert files(site) == fresh(corpus, templates, tmp_path / "reference" / "site")


def test_a_preview_whose_feed_fails_after_its_pages_are_shown_puts_it_right_next_time(
        tmp_path: Path, corpus: Path, templates: Path) -> None:
    """The files machines read fail after the browser's pages are in place: the error is the
    build's, nothing is left half-written, and the next build makes the site whole again."""
    replace_in(templates / "feed.xml", "  <entry>",
               "{% if entry.paper.title.startswith('BOOM') %}{{ no_such_value }}{% endif %}  <entry>")
    site = tmp_path / "site"
    preview = Preview(corpus, templates, site)
    preview.build()
    paper = corpus / "papers" / "paper-0005.md"
    replace_in(paper, 'title: "', 'title: "BOOM ')
    told: list[bool] = []
    with pytest.raises(LitdigestError) as err:
        preview.build(frozenset({str(paper)}), lambda: told.append(True))
    assert "no_such_value" in str(err.value) and told == [True]
    assert b"BOOM " in (site / "papers" / "paper-0005" / "index.html").read_bytes()
    replace_in(paper, 'title: "BOOM ', 'title: "Fine ')
    preview.build(frozenset({str(paper)}), lambda: None)
    assert files(site) == fresh(corpus, templates, tmp_path / "reference" / "site")
    assert not list(site.rglob("*.litdigest-new"))


def test_a_failed_full_build_in_workers_leaves_the_site(tmp_path: Path, corpus: Path,
                                                       templates: Path) -> None:
    site = tmp_path / "site"
    build_site(corpus, templates, site, Options(jobs=2))
    before = stamps(site)
    replace_in(templates / "paper.html", "{% block main %}", "{% block main %}{{ no_such_value }}")
    with pytest.raises(LitdigestError) as err:
        build_site(corpus, templates, site, Options(jobs=2))
    assert "no_such_value" in str(err.value)
    assert stamps(site) == before
    assert not list(tmp_path.glob(".site.*"))
    assert not list((tmp_path / CACHE_FOLDER).rglob("*.pending-*"))


def test_a_damaged_cache_only_costs_a_full_build(tmp_path: Path, corpus: Path) -> None:
    site = tmp_path / "site"
    build_site(corpus, TEMPLATES, site)
    for path in (tmp_path / CACHE_FOLDER / "site").rglob("*"):
        if path.is_file():
            path.write_bytes(b"not a pickle")
    edit_title(corpus, TEMPLATES)
    result = build_site(corpus, TEMPLATES, site)
    assert result.mode == FULL
    assert files(site) == fresh(corpus, TEMPLATES, tmp_path / "reference" / "site")


def test_fresh_ignores_the_cache(tmp_path: Path, corpus: Path) -> None:
    site = tmp_path / "site"
    build_site(corpus, TEMPLATES, site)
    assert build_site(corpus, TEMPLATES, site, Options(fresh=True)).mode == FULL


def test_the_preview_starts_from_the_cache_and_keeps_its_state(tmp_path: Path, corpus: Path) -> None:
    site = tmp_path / "site"
    build_site(corpus, TEMPLATES, site)
    preview = Preview(corpus, TEMPLATES, site)
    first = preview.build()
    assert first.mode == UNCHANGED and preview.state is not None
    assert preview.state.bodies  # read from the cache: no body is rendered again for a rebuild
    edit_title(corpus, TEMPLATES)
    changed = frozenset({str(corpus / "papers" / "paper-0005.md")})
    assert preview.build(changed).mode == UPDATE
    assert files(site) == fresh(corpus, TEMPLATES, tmp_path / "reference" / "site")


def test_the_preview_does_not_forget_a_broken_file(tmp_path: Path, corpus: Path) -> None:
    """A file that broke a rebuild is read again by the next one, whichever file that one saw."""
    preview = Preview(corpus, TEMPLATES, tmp_path / "site")
    preview.build()
    broken = corpus / "papers" / "paper-0005.md"
    replace_in(broken, "title_derived:", "title_derived: [oops")
    with pytest.raises(LitdigestError):
        preview.build(frozenset({str(broken)}))
    other = corpus / "papers" / "paper-0006.md"
    replace_in(other, 'title: "', 'title: "Other ')
    with pytest.raises(LitdigestError):  # still broken, though only the other file was saved
        preview.build(frozenset({str(other)}))
    replace_in(broken, "title_derived: [oops", "title_derived:")
    preview.build(frozenset({str(broken)}))
    assert files(tmp_path / "site") == fresh(corpus, TEMPLATES, tmp_path / "reference" / "site")


def test_compiled_templates_are_kept_per_version_of_litdigest(tmp_path: Path) -> None:
    """Compiling depends on litdigest's code (labels are folded in): templates compiled by other
    code are never loaded, and are deleted."""
    folder = tmp_path / "templates"
    make_environment(Templates(TEMPLATES), disk_bytecode_cache(folder, "old")).get_template("paper.html")
    kept = sorted(p.name for p in folder.iterdir())
    assert kept and all(name.endswith(".old.cache") for name in kept)
    make_environment(Templates(TEMPLATES), disk_bytecode_cache(folder, "new")).get_template("paper.html")
    assert sorted(p.name for p in folder.iterdir()) == [n.replace(".old.", ".new.") for n in kept]


def test_a_full_build_compiles_each_template_once_and_keeps_it_for_the_next(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The templates compile while the content is read (once, whichever process renders), and
    reach the cache only with the site: the next build compiles nothing."""
    from litdigest.build.jinja_env import SiteEnvironment

    parsed: list[str] = []
    real_parse = SiteEnvironment._parse

    def counting_parse(self: SiteEnvironment, source: str, name: str | None,
                       filename: str | None) -> object:
        parsed.append(str(name))
        return real_parse(self, source, name, filename)

    monkeypatch.setattr(SiteEnvironment, "_parse", counting_parse)
    site = tmp_path / "site"
    templates = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.glob("*.*"))
    build_site(corpus, TEMPLATES, site)
    assert sorted(parsed) == templates
    kept = site.parent / CACHE_FOLDER / "site" / "templates"
    assert len(list(kept.glob("__jinja2_*.cache"))) == len(templates)

    parsed.clear()
    replace_in(corpus / "papers" / "paper-0001.md", 'title: "', 'title: "Renamed ')
    assert build_site(corpus, TEMPLATES, site).mode == UPDATE
    assert parsed == []


def test_the_preview_writes_its_cache_from_a_copy_of_itself(tmp_path: Path, corpus: Path) -> None:
    """Saving the state is a forked copy's work, so the preview is free for the next save at
    once; once written, the cache describes the site, and a build finds nothing to do."""
    site = tmp_path / "site"
    preview = Preview(corpus, TEMPLATES, site)
    preview.build()
    preview.save()
    assert preview.writer.child is not None and not preview.lock.locked()
    preview.writer.finish()
    assert build_site(corpus, TEMPLATES, site).mode == UNCHANGED


def test_a_rebuild_stops_a_copy_still_writing_an_older_state(
        tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache must never describe an older site than the one on disk: were the copy left to
    write the state of before an edit, a build after the edit was undone would trust it and
    leave the edited pages in place."""
    import litdigest.serve.preview as serve

    real_save = serve.save_cache

    def slow_save(output_dir: Path, state: object) -> None:
        time.sleep(1.0)
        real_save(output_dir, state)  # type: ignore[arg-type]

    monkeypatch.setattr(serve, "save_cache", slow_save)
    site = tmp_path / "site"
    preview = Preview(corpus, TEMPLATES, site)
    preview.build()
    preview.save()  # the copy is still writing this state when the edit comes
    paper = corpus / "papers" / "paper-0005.md"
    original = paper.read_text(encoding="utf-8")
    replace_in(paper, 'title: "', 'title: "Renamed ')
    assert preview.build(frozenset({str(paper)})).mode == UPDATE
    paper.write_text(original, encoding="utf-8")
    preview.writer.finish()
    build_site(corpus, TEMPLATES, site)
    assert files(site) == fresh(corpus, TEMPLATES, tmp_path / "reference" / "site")
