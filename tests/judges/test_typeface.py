"""The theme's typeface in a real browser, as Chromium itself reports the fonts it drew
(DevTools' CSS.getPlatformFontsForNode): Korean and the Latin words inside it in one face,
Pretendard, shipped with the site; a first view paints at once in the system's faces and asks
for no font before it has loaded, then fetches only the slices its text needs; every page after
starts in Pretendard from its first frame; without JavaScript no font is fetched at all."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

DIGEST = "digests/004-2024-12-19/"
PAPER = "papers/unveiling-the-secret-recipe-a-guide-for-supervised-fine/"
FACE = "Pretendard Variable"


def fonts_drawn(page: Any, selector: str) -> dict[str, int]:
    """The platform fonts Chromium drew the element's text in, with the glyphs each drew."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def font_requests(page: Any) -> list[str]:
    """What the page asks of the face: its slices (fonts/*.woff2) and its rules (fonts.css)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url)
            if "/static/fonts" in request.url else None)
    return requests


def test_a_first_view_paints_at_once_then_fetches_only_what_its_text_needs(
        browser: Any, served_site: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    asked = font_requests(page)
    page.goto(served_site + DIGEST, wait_until="load")
    assert asked == []  # nothing waited for, not even the face's rules: the system's faces
    assert "fonts" not in page.evaluate("document.documentElement.className")
    page.wait_for_function("localStorage.getItem('litdigest.fonts') === '1'", timeout=15_000)
    assert asked[0].endswith("/static/fonts.css")  # the rules, then the slices they name
    slices = asked[1:]
    assert 0 < len(slices) < 30  # some of the 92 slices, not all
    assert all(url.endswith(".woff2") for url in slices)
    context.close()


def test_later_pages_draw_korean_and_latin_in_one_face_from_the_first_frame(
        browser: Any, served_site: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_site + DIGEST, wait_until="load")
    page.wait_for_function("localStorage.getItem('litdigest.fonts') === '1'", timeout=15_000)

    page.add_init_script("""
      window.__first = null;
      requestAnimationFrame(function () {
        window.__first = getComputedStyle(document.documentElement).fontFamily;
        window.__rules = Array.from(document.styleSheets).some(function (sheet) {
          return (sheet.href || "").endsWith("/static/fonts.css") && sheet.cssRules.length === 92;
        });
      });""")
    page.goto(served_site + PAPER, wait_until="load")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("window.__first").startswith(f'"{FACE}"')
    assert page.evaluate("window.__rules")  # the face's rules were in before the first frame
    # a Korean commentary with Latin words in it (SFT, LR), and an English one: one face drew all
    korean = fonts_drawn(page, '.commentary[lang="ko"] p')
    english = fonts_drawn(page, '.commentary[lang="en"] p')
    assert set(korean) == {FACE} and set(english) == {FACE}, (korean, english)
    context.close()


def test_without_javascript_no_font_is_fetched(browser: Any, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    asked = font_requests(page)
    page.goto(served_site + PAPER, wait_until="load")
    page.wait_for_timeout(1500)
    assert asked == []
    assert FACE not in fonts_drawn(page, '.commentary[lang="ko"] p')
    context.close()
