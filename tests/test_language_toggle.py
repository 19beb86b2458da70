"""The bilingual switch in a real browser: 한국어 · English · Both, per site and per paper."""

from __future__ import annotations

from typing import Iterator

import pytest

pytestmark = pytest.mark.browser

DIGEST = "digests/004-2024-12-19/"

# Records, on every animation frame until load, whether any Korean commentary of a bilingual
# paper was displayed: a frame is what the reader could have seen painted.
WATCH_FRAMES = """
window.__frames = [];
(function watch() {
  requestAnimationFrame(function () {
    var shown = Array.from(document.querySelectorAll('.paper.bilingual .commentary[lang="ko"]'))
      .filter(function (el) { return getComputedStyle(el).display !== 'none'; }).length;
    window.__frames.push({lang: document.documentElement.getAttribute('data-lang'), koShown: shown,
                          ready: document.readyState});
    if (document.readyState !== 'complete' || window.__frames.length < 3) watch();
  });
})();
"""


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def visible(page: object, selector: str) -> int:
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        selector, "els => els.filter(e => getComputedStyle(e).display !== 'none').length")


def test_english_hides_every_korean_commentary(page: object, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    assert visible(page, ".commentary[lang=ko]") == 7
    page.get_by_role("button", name="English", exact=True).first.click()
    assert visible(page, ".commentary[lang=ko]") == 0
    assert visible(page, ".commentary[lang=en]") == 7
    assert page.get_attribute("[data-set-lang=en]", "aria-pressed") == "true"


def test_korean_hides_every_english_commentary(page: object, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    page.click("header [data-set-lang=ko]")
    assert visible(page, ".commentary[lang=en]") == 0
    assert visible(page, ".commentary[lang=ko]") == 7
    assert visible(page, ".i18n[lang=en]") == 0  # interface labels follow the choice


def test_choice_survives_reload_and_navigation(page: object, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    page.click("header [data-set-lang=en]")
    page.reload()
    assert visible(page, ".commentary[lang=ko]") == 0
    page.click(".paper-title a >> nth=0")
    page.wait_for_load_state()
    assert "/papers/" in page.url
    assert page.get_attribute("html", "data-lang") == "en"
    assert visible(page, ".commentary[lang=ko]") == 0
    assert visible(page, ".commentary[lang=en]") == 1


def test_the_hidden_language_is_never_painted(page: object, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    page.click("header [data-set-lang=en]")
    page.add_init_script(WATCH_FRAMES)
    page.goto(served_site + DIGEST)
    page.wait_for_load_state("load")
    page.wait_for_function("window.__frames.length >= 3")
    frames = page.evaluate("window.__frames")
    assert frames[0]["lang"] == "en"
    assert all(f["koShown"] == 0 for f in frames), frames


def test_without_javascript_both_languages_show(browser: object, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(served_site + DIGEST)
    assert visible(page, ".commentary[lang=ko]") == 7
    assert visible(page, ".commentary[lang=en]") == 7
    assert visible(page, ".lang-switch") == 0  # buttons that could do nothing are not shown
    context.close()


def test_each_paper_has_its_own_switch(page: object, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    page.click("header [data-set-lang=en]")
    first, second = page.locator("article.paper.bilingual").nth(0), page.locator("article.paper.bilingual").nth(1)
    first.locator("[data-paper-lang=ko]").click()
    assert first.locator(".commentary[lang=ko]").is_visible()
    assert not first.locator(".commentary[lang=en]").is_visible()
    assert not second.locator(".commentary[lang=ko]").is_visible()
    assert first.locator("[data-paper-lang=ko]").get_attribute("aria-pressed") == "true"


def test_switch_works_from_the_keyboard(page: object, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    page.focus("header [data-set-lang=ko]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-set-lang')") == "en"
    page.keyboard.press("Enter")
    assert visible(page, ".commentary[lang=ko]") == 0
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.get_attribute("html", "data-lang") == "both"
    assert visible(page, ".commentary[lang=ko]") == 7
