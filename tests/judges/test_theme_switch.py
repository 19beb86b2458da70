"""The theme switch in a real browser: the page follows the system's light or dark until the
reader presses the switch beside the language switch; the choice is kept across pages and
reloads and painted from the first frame; without JavaScript the system decides and no switch
shows; on paper the page is black on white, with no controls."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

pytestmark = pytest.mark.browser

DIGEST = "digests/004-2024-12-19/"
DARK_BG, LIGHT_BG = "rgb(21, 23, 26)", "rgb(255, 255, 255)"

# Records, on every animation frame until load, the theme attribute and the page's background:
# a frame is what the reader could have seen painted.
WATCH_FRAMES = """
window.__frames = [];
(function watch() {
  requestAnimationFrame(function () {
    var body = document.body;
    window.__frames.push({theme: document.documentElement.getAttribute('data-theme'),
                          bg: body ? getComputedStyle(body).backgroundColor : null});
    if (document.readyState !== 'complete' || window.__frames.length < 3) watch();
  });
})();
"""


def page_in(browser: Any, scheme: str, javascript: bool = True) -> Any:
    context = browser.new_context(color_scheme=scheme, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    return page


@pytest.fixture
def light_page(browser: Any) -> Iterator[Any]:
    page = page_in(browser, "light")
    yield page
    page.context.close()
    assert not page.errors, f"JavaScript errors: {page.errors}"


def background(page: Any) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_switch_turns_the_page_dark_and_the_choice_stays(light_page: Any, served_site: str) -> None:
    page = light_page
    page.goto(served_site + DIGEST)
    switch = page.get_by_role("button", name="Dark theme · 어두운 화면")
    assert background(page) == LIGHT_BG and switch.get_attribute("aria-pressed") == "false"
    switch.click()
    assert background(page) == DARK_BG and switch.get_attribute("aria-pressed") == "true"
    page.reload()
    assert background(page) == DARK_BG
    page.click(".paper-title a >> nth=0")
    page.wait_for_url("**/papers/**")
    assert background(page) == DARK_BG
    page.get_by_role("button", name="Dark theme · 어두운 화면").click()
    assert background(page) == LIGHT_BG and page.get_attribute("html", "data-theme") == "light"


def test_the_chosen_theme_is_painted_from_the_first_frame(light_page: Any, served_site: str) -> None:
    page = light_page
    page.goto(served_site + DIGEST)
    page.get_by_role("button", name="Dark theme · 어두운 화면").click()
    page.add_init_script(WATCH_FRAMES)
    page.goto(served_site + DIGEST)
    page.wait_for_load_state("load")
    page.wait_for_function("window.__frames.length >= 3")
    frames = [f for f in page.evaluate("window.__frames") if f["bg"] is not None]
    assert frames and all(f["theme"] == "dark" and f["bg"] == DARK_BG for f in frames), frames


def test_a_dark_system_is_followed_until_the_reader_chooses(browser: Any, served_site: str) -> None:
    page = page_in(browser, "dark")
    page.goto(served_site + DIGEST)
    switch = page.get_by_role("button", name="Dark theme · 어두운 화면")
    assert background(page) == DARK_BG and switch.get_attribute("aria-pressed") == "true"
    switch.focus()
    page.keyboard.press("Enter")  # from the keyboard too
    assert background(page) == LIGHT_BG and switch.get_attribute("aria-pressed") == "false"
    page.context.close()
    assert not page.errors


def test_without_javascript_the_system_decides_and_no_switch_shows(browser: Any, served_site: str) -> None:
    page = page_in(browser, "dark", javascript=False)
    page.goto(served_site + DIGEST)
    assert background(page) == DARK_BG
    assert page.eval_on_selector(".theme-switch", "e => getComputedStyle(e).display") == "none"
    page.context.close()


def test_on_paper_a_dark_page_prints_black_on_white_without_controls(browser: Any,
                                                                    served_site: str) -> None:
    page = page_in(browser, "dark")
    page.goto(served_site + "papers/" + "alignment-faking-in-large-language-models/")
    page.emulate_media(media="print")
    assert background(page) == LIGHT_BG
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    for selector in (".site-nav", ".lang-switch", ".theme-switch", ".site-foot"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none", selector
    page.context.close()
