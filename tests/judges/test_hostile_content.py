"""Hostile content: markup and `javascript:` in every field of a raw digest never runs, and shows as typed.

tests/fixtures/hostile/hostile_daily.txt is a bilingual-daily digest whose titles, authors,
abstracts, Korean and English commentary, tags and math carry `<script>`, `<img onerror>`,
`"><svg onload>` and `javascript:` links. `litdigest import` brings it into a copy of the
example content and `litdigest build` builds it (the `hostile_site` fixture). Every page that
shows any of it is opened in Chromium: no dialog opens, no console error, no request leaves for
an injected image, no element carries an event handler, and the text reads as it was typed.
Content edited by hand gets the same treatment: a `javascript:` link in front matter stays text,
and a tag name that would climb out of site/ is refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tests.helpers.commands import litdigest
from tests.helpers.paths import TEMPLATES
from tests.helpers.serving import serve_folder
from tests.helpers.trees import tree_digest
from litdigest.build.pipeline import build_site
from litdigest.errors import LitdigestError

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
MD_LINK = "[x](javascript:alert(1))"

TITLE = f"{SCRIPT} Scripted {IMG} Title {SVG}"
PAPER = "papers/script-alert-1-script-scripted-img-src-x-onerror-alert-1/"
MARKUP_ONLY_PAPER = "papers/svg-onload-alert-1/"
DIGEST = "digests/hostile-daily-2024-12-20/"
TAGS = {  # name made safe by the importer → the name as written, shown as typed
    "script-alert-1-script": SCRIPT,
    "svg-onload-alert-1": '"><svg/onload=alert(1)>',
    "img-src-x-onerror-alert-1": "<img/src=x/onerror=alert(1)>",
    "javascript-alert-1": "javascript:alert(1)",
}

# What a page's DOM must never hold, whatever its content: the names of elements that carry an
# event handler, any element that could run or load something injected, and `javascript:` URLs.
DOM_AUDIT = """() => {
  const all = Array.from(document.querySelectorAll('*'));
  return {
    handlers: all.filter(e => Array.from(e.attributes).some(a => /^on/i.test(a.name)))
                 .map(e => e.outerHTML.slice(0, 80)),
    injected: Array.from(document.querySelectorAll('img, svg, iframe, object, embed, video, audio, form, base, meta[http-equiv]'))
                 .map(e => e.outerHTML.slice(0, 80)),
    scripts: Array.from(document.scripts).filter(s => s.type !== 'application/ld+json')
                 .map(s => s.src ? new URL(s.src).pathname.split('/').pop() : 'inline'),
    data: Array.from(document.scripts).filter(s => s.type === 'application/ld+json')
                 .map(s => { try { return JSON.parse(s.text)['@type']; } catch (e) { return 'broken'; } }),
    jsUrls: all.flatMap(e => ['href', 'src', 'action', 'formaction', 'xlink:href']
                 .map(n => e.getAttribute(n)).filter(v => v && /^\\s*javascript:/i.test(v))),
  };
}"""


def literal(text: str) -> str:
    """Rendered text as the reader sees it: MathML's no-break spaces read as spaces."""
    return re.sub(r"[\u00a0\s]+", " ", text)


@pytest.fixture(scope="module")
def hostile_served(hostile_site: Path) -> Iterator[str]:
    with serve_folder(hostile_site) as url:
        yield url


@pytest.fixture
def watched(browser: Any) -> Iterator[tuple[Any, dict[str, list[str]]]]:
    """A page that records every dialog, console error, script error and request."""
    context = browser.new_context()
    page = context.new_page()
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "requests": []}

    def on_dialog(dialog: Any) -> None:
        seen["dialogs"].append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    yield page, seen
    context.close()


def pages_showing_hostile_text(site: Path) -> list[str]:
    """Every HTML page where any of the fixture's payloads landed, as a path below the site."""
    found = []
    for path in sorted(site.rglob("*.html")):
        if "alert(1)" in path.read_text(encoding="utf-8"):
            relative = path.relative_to(site).as_posix()
            found.append(relative[: -len("index.html")] if path.name == "index.html" else relative)
    return found


def test_the_importer_makes_names_safe(hostile_site: Path) -> None:
    content = hostile_site.parent / "content"
    for name in TAGS:
        assert (content / "tags" / f"{name}.md").is_file(), name
        assert (hostile_site / "tags" / name / "index.html").is_file(), name
    tag_folders = {p.name for p in (hostile_site / "tags").iterdir() if p.is_dir()}
    assert all(re.fullmatch(r"[a-z0-9-]+", name) for name in tag_folders), tag_folders
    # A title of nothing but markup still gets a plain ASCII slug, hence a plain URL.
    assert (hostile_site / MARKUP_ONLY_PAPER / "index.html").is_file()
    assert (hostile_site / PAPER / "index.html").is_file()


def test_no_script_runs_on_any_page_that_shows_it(watched: tuple[Any, dict[str, list[str]]],
                                                  hostile_site: Path, hostile_served: str,
                                                  record_property: Callable[[str, object], None]) -> None:
    page, seen = watched
    paths = pages_showing_hostile_text(hostile_site)
    for expected in ["", DIGEST, PAPER, MARKUP_ONLY_PAPER, "tags/", "papers/",
                     *(f"tags/{name}/" for name in TAGS)]:
        assert expected in paths, f"the payload never reached {expected or 'the home page'}"
    problems: list[str] = []
    for path in paths:
        seen["requests"].clear()
        page.goto(hostile_served + path, wait_until="load")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.wait_for_timeout(50)  # anything an opened <details> or `load` set off happens now
        audit = page.evaluate(DOM_AUDIT)
        loaded = sorted({url.removeprefix(hostile_served) for url in seen["requests"]} - {path})
        for what, found in [("event handlers", audit["handlers"]), ("injected elements", audit["injected"]),
                            ("javascript: URLs", audit["jsUrls"]),
                            ("unexpected requests", [u for u in loaded if not u.startswith("static/")])]:
            if found:
                problems.append(f"{path}: {what}: {found}")
        if audit["scripts"] != ["inline", "litdigest.js"]:
            problems.append(f"{path}: scripts {audit['scripts']}")
        # JSON-LD is a data block, never run: a paper's page has one, whole, and no other page
        if audit["data"] != (["ScholarlyArticle"] if path.startswith("papers/") and path.count("/") == 2 else []):
            problems.append(f"{path}: JSON-LD {audit['data']}")
    problems += [f"dialog: {d}" for d in seen["dialogs"]] + [f"console: {e}" for e in seen["errors"]]
    assert not problems, "\n".join(problems)
    record_property("judged:hostile", len(paths))


def test_the_text_shows_as_typed(watched: tuple[Any, dict[str, list[str]]], hostile_served: str) -> None:
    page, seen = watched
    page.goto(hostile_served + PAPER)
    assert literal(page.locator("h1.paper-title").inner_text()) == TITLE
    assert page.title().startswith(TITLE)
    authors = page.locator(".authors").inner_text()
    assert authors == f"{SCRIPT}, Eve {IMG}, {SVG}"
    page.locator("details.abstract > summary").click()  # folded under the commentary: opened
    abstract = literal(page.locator(".abstract").inner_text())
    for typed in [SCRIPT, IMG, SVG, MD_LINK, "<javascript:alert(1)>", "a bare javascript:alert(1)"]:
        assert typed in abstract, f"{typed!r} is not shown as typed in the abstract: {abstract!r}"
    korean = literal(page.locator(".commentary[lang=ko]").inner_text())
    english = literal(page.locator(".commentary[lang=en]").inner_text())
    for typed in [SCRIPT, IMG, MD_LINK]:
        assert typed in korean, f"{typed!r} is not shown as typed in the Korean commentary"
    for typed in [SCRIPT, SVG, MD_LINK]:
        assert typed in english, f"{typed!r} is not shown as typed in the English commentary"
    # `$\text{<img …>}$`: MathML whose text is the markup as typed, in all three places
    # (MathML elements have no innerText: their textContent is what they render)
    maths = page.locator(".abstract math, .commentary math").evaluate_all(
        "els => els.map(e => e.checkVisibility() ? e.textContent : null)")
    assert [literal(m) for m in maths] == [IMG] * 3
    tag_links = page.locator(".tags a.tag")
    assert [literal(t) for t in tag_links.all_inner_texts()] == [f"#{w}" for w in TAGS.values()]
    assert page.locator(".abstract a, .commentary a").count() == 0  # no link was made live

    page.goto(hostile_served + MARKUP_ONLY_PAPER)
    assert page.locator("h1.paper-title").inner_text() == SVG
    page.locator("details.abstract > summary").click()
    assert "[y](JaVaScRiPt:alert(1))" in page.locator(".abstract").inner_text()
    assert "<svg onload=alert(1)>" in page.locator(".commentary[lang=ko]").inner_text()

    for name, written in TAGS.items():
        page.goto(hostile_served + f"tags/{name}/")
        assert literal(page.locator("h1").inner_text()) == f"#{written}"
    page.goto(hostile_served + DIGEST)
    assert page.locator(f"h2.paper-title >> text={TITLE}").count() == 1
    assert not seen["dialogs"] and not seen["errors"], seen


def test_the_feed_carries_the_text_escaped(hostile_site: Path) -> None:
    """A feed reader unescapes <content type="html"> once: what it gets must still be inert."""
    import xml.etree.ElementTree as ET
    from html.parser import HTMLParser

    atom = "{http://www.w3.org/2005/Atom}"
    tree = ET.parse(hostile_site / "feed.xml")
    entries = {e.findtext(f"{atom}title"): e for e in tree.getroot().iter(f"{atom}entry")}
    assert TITLE in entries and SVG in entries

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.seen.append((tag, attrs))

    for title in (TITLE, SVG):
        html = entries[title].findtext(f"{atom}content") or ""
        assert "alert(1)" in html
        parser = Tags()
        parser.feed(html)
        bad = [(tag, attrs) for tag, attrs in parser.seen
               if tag in ("script", "img", "svg", "iframe")
               or any(name.startswith("on") or (value or "").lower().lstrip().startswith("javascript:")
                      for name, value in attrs)]
        assert not bad, f"live markup in the feed entry {title!r}: {bad}"


# ---- content edited by hand ------------------------------------------------------------------


def test_a_hand_edited_javascript_link_stays_text(content_copy: Path, tmp_path: Path) -> None:
    page = content_copy / "papers" / "malleus.md"
    page.write_text(page.read_text().replace(
        'links: {arxiv: "https://arxiv.org/abs/2410.13333"}',
        'links: {arxiv: "https://arxiv.org/abs/2410.13333", code: " JavaScript:alert(1)", '
        'data: "data:text/html,<script>alert(1)</script>", mail: "mailto:a@example.org"}'))
    site = tmp_path / "site"
    build_site(content_copy, TEMPLATES, site)
    html = (site / "papers" / "malleus" / "index.html").read_text()
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert "https://arxiv.org/abs/2410.13333" in hrefs and "mailto:a@example.org" in hrefs
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))], hrefs
    assert "code:  JavaScript:alert(1)" in html  # shown, as text
    assert "data: data:text/html,&lt;script&gt;" in html


def test_a_tag_name_that_climbs_out_of_the_site_is_refused(content_copy: Path, tmp_path: Path) -> None:
    page = content_copy / "papers" / "malleus.md"
    page.write_text(page.read_text().replace("tags: []", 'tags: ["../../../escaped"]'))
    site = tmp_path / "out" / "site"
    with pytest.raises(LitdigestError) as refused:
        build_site(content_copy, TEMPLATES, site)
    assert "malleus.md:8: tag '../../../escaped' is not a safe name" in str(refused.value.problems[0])
    assert not (tmp_path / "escaped").exists() and tree_digest(tmp_path / "out") == {}
    result = litdigest("check", "--no-site", "--content", str(content_copy))
    assert result.returncode == 1 and "is not a safe name" in result.stderr
