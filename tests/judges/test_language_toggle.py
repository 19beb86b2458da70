"""The bilingual switch in a real browser: 한국어 · English · Both for the site, and on a digest
page, where the reader chose one language, a paper's button that opens its other one too.

Also the keyboard: every control of a page is reached by Tab in order, shows a visible focus
ring and works with Enter and Space; and a commentary that exists in one language only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.helpers.paths import TEMPLATES
from tests.helpers.serving import serve_folder
from litdigest.build.pipeline import build_site

pytestmark = pytest.mark.browser

DIGEST = "digests/004-2024-12-19/"
KOREAN_ONLY = "unveiling-the-secret-recipe-a-guide-for-supervised-fine"
ENGLISH_ONLY = "autoregressive-video-generation-without-vector-quantization"
CONTROLS = "a[href], button, summary, input, select, textarea, [tabindex]"

# Where the keyboard is: which control (its index among the page's controls), whether the
# browser treats the focus as keyboard focus (:focus-visible), whether that draws a ring or a
# shadow, and whether the control is on screen.
FOCUS = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {
    index: Array.from(document.querySelectorAll(selector)).indexOf(el),
    label: (el.getAttribute('data-set-lang') || (el.hasAttribute('data-paper-other') ? 'other' : '')) + ' '
           + el.textContent.trim().slice(0, 40),
    focusVisible: el.matches(':focus-visible'),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
          || style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.top > -1 && box.left > -1
              && box.bottom < innerHeight + 1 && box.right < innerWidth + 1,
  };
}"""

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


@pytest.mark.parametrize("lang", ["both", "ko", "en"])
def test_the_interface_speaks_one_language_at_a_time(page: Any, served_site: str, lang: str) -> None:
    """The reader's language, and in "both" the site's (the example defaults to both: Korean);
    the commentary is what shows in both languages."""
    page.goto(served_site + DIGEST)
    page.click(f"header [data-set-lang={lang}]")
    ui = "ko" if lang == "both" else lang
    assert visible(page, f".i18n[lang={ui}]") > 10
    assert visible(page, f".i18n:not([lang={ui}])") == 0
    if ui == "ko":
        assert "다이제스트" in page.locator(".site-nav").inner_text()
    if lang == "both":
        assert visible(page, ".commentary[lang=ko]") == visible(page, ".commentary[lang=en]") == 7


@pytest.mark.parametrize("lang", ["both", "ko", "en"])
def test_the_header_takes_at_most_15_percent_of_a_phone_screen(browser: Any, served_site: str,
                                                               lang: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(f"localStorage.setItem('litdigest.lang', '{lang}')")
    page = context.new_page()
    page.goto(served_site + DIGEST)
    height = page.eval_on_selector(".site-head", "e => e.getBoundingClientRect().height")
    assert height <= 0.15 * 740, height
    assert page.is_visible("header [data-set-lang=ko] .short")  # the compact switch: 한 · EN · 둘 다
    context.close()


def test_choice_survives_reload_and_navigation(page: object, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    page.click("header [data-set-lang=en]")
    page.reload()
    assert visible(page, ".commentary[lang=ko]") == 0
    page.click(".paper-title a >> nth=0")
    page.wait_for_url("**/papers/**")
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


def test_a_paper_opens_its_other_language_where_the_reader_chose_one(page: object, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    assert visible(page, ".paper-other") == 0  # in "both", there is nothing to open
    page.click("header [data-set-lang=en]")
    assert visible(page, ".paper-other") == 7  # one small button a paper, where there were three
    first, second = page.locator("article.paper.bilingual").nth(0), page.locator("article.paper.bilingual").nth(1)
    button = first.locator(".paper-other")
    assert button.inner_text() == "Show the Korean too"
    button.click()
    assert first.locator(".commentary[lang=ko]").is_visible()
    assert first.locator(".commentary[lang=en]").is_visible()
    assert not second.locator(".commentary[lang=ko]").is_visible()
    assert button.get_attribute("aria-pressed") == "true"
    button.click()  # and back to the page's choice
    assert not first.locator(".commentary[lang=ko]").is_visible()
    assert button.get_attribute("aria-pressed") == "false"
    page.click("header [data-set-lang=ko]")
    assert first.locator(".paper-other").inner_text() == "영어 코멘트도 보기"


def test_the_paper_page_has_no_switch_of_its_own(page: object, served_site: str) -> None:
    page.goto(served_site + f"papers/{KOREAN_ONLY}/")
    assert page.locator(".paper-other").count() == 0  # the header's switch is the paper's


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


# ---- the keyboard ----------------------------------------------------------------------------


def rendered_controls(page: Any) -> list[int]:
    """Indexes of the page's controls that are rendered (not in a folded <details>, not hidden)."""
    return page.eval_on_selector_all(CONTROLS, """els => els.map((e, i) => [e, i])
        .filter(([e]) => e.checkVisibility({visibilityProperty: true}) && e.tabIndex >= 0)
        .map(([, i]) => i)""")


def tab_through(page: Any, limit: int) -> list[dict[str, Any]]:
    """Press Tab until focus leaves the page's controls; what had focus at each stop."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = page.evaluate(FOCUS, CONTROLS)
        if where is None or (stops and where["index"] == stops[0]["index"]):
            break
        stops.append(where)
    return stops


@pytest.mark.parametrize("path", ["", DIGEST, f"papers/{KOREAN_ONLY}/", "tags/"])
def test_tab_reaches_every_control_with_a_visible_focus_ring(page: Any, served_site: str,
                                                             path: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(served_site + path)
    expected = rendered_controls(page)
    stops = tab_through(page, limit=len(expected) + 5)
    assert [stop["index"] for stop in stops] == expected, "Tab order differs from the page order"
    for stop in stops:
        assert stop["focusVisible"] and stop["ring"], f"no visible focus ring on {stop['label']!r}"
        assert stop["onScreen"], f"focused but off screen: {stop['label']!r}"
    labels = " | ".join(stop["label"] for stop in stops)
    assert "ko 한국어" in labels and "en English" in labels  # the site switch is in the walk


def test_paper_button_works_from_the_keyboard(page: Any, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    page.click("header [data-set-lang=ko]")
    first, second = page.locator("article.paper.bilingual").nth(0), page.locator("article.paper.bilingual").nth(1)
    first.locator(".paper-title a").focus()
    for _ in range(8):  # past the paper's links and commentary, to its button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-paper-other')"):
            break
    else:
        pytest.fail("Tab never reached the first paper's button")
    where = page.evaluate(FOCUS, CONTROLS)
    assert where["focusVisible"] and where["ring"], "the paper's button shows no focus ring"

    page.keyboard.press("Enter")
    assert first.locator(".commentary[lang=en]").is_visible()
    assert first.locator(".paper-other").get_attribute("aria-pressed") == "true"
    assert not second.locator(".commentary[lang=en]").is_visible()  # other papers keep the choice
    page.keyboard.press("Space")
    assert not first.locator(".commentary[lang=en]").is_visible()
    assert first.locator(".commentary[lang=ko]").is_visible()


def test_links_and_folded_abstracts_work_from_the_keyboard(page: Any, served_site: str) -> None:
    page.goto(served_site + DIGEST)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")  # the skip link: straight to the content
    # A fragment navigation reaches Playwright's page.url a moment after the key press.
    page.wait_for_url(re.compile(r"#main$"), timeout=5000)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")

    summary = page.locator("article.paper").nth(0).locator("details.abstract > summary")
    abstract = page.locator("article.paper").nth(0).locator("details.abstract")
    summary.focus()
    assert abstract.get_attribute("open") is None
    page.keyboard.press("Enter")
    assert abstract.get_attribute("open") is not None
    page.keyboard.press("Space")
    assert abstract.get_attribute("open") is None

    page.locator(".paper-title a").nth(0).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/**")
    assert page.locator("h1.paper-title").is_visible()


# ---- a commentary in one language only ---------------------------------------------------------


def drop_commentary(paper: Path, lang: str) -> None:
    text, count = re.subn(rf"\n::: commentary {lang}( [\w-]+)?\n.*?\n:::\n", "\n", paper.read_text(),
                          flags=re.DOTALL)
    assert count == 1, f"{paper.name} has no {lang} commentary to drop"
    paper.write_text(text)


@pytest.fixture
def one_language_site(content_copy: Path, tmp_path: Path) -> Iterator[str]:
    """The example with only Korean commentary on one paper and only English on another."""
    drop_commentary(content_copy / "papers" / f"{KOREAN_ONLY}.md", "en")
    drop_commentary(content_copy / "papers" / f"{ENGLISH_ONLY}.md", "ko")
    site = tmp_path / "site"
    build_site(content_copy, TEMPLATES, site)
    with serve_folder(site) as url:
        yield url


@pytest.mark.parametrize("path", [DIGEST, f"papers/{KOREAN_ONLY}/"])
def test_korean_only_commentary_shows_in_english_labelled(page: Any, one_language_site: str,
                                                          path: str) -> None:
    page.goto(one_language_site + path)
    page.click("header [data-set-lang=en]")
    paper = page.locator(f"article#{KOREAN_ONLY}")
    assert paper.locator(".commentary[lang=ko]").is_visible()
    assert "Korean only" in paper.locator(".only-lang").inner_text()
    assert paper.locator(".paper-other").count() == 0  # nothing to open
    assert visible(page, ".paper.bilingual .commentary[lang=ko]") == 0  # the others follow the choice


def test_english_only_commentary_shows_in_korean_labelled(page: Any, one_language_site: str) -> None:
    page.goto(one_language_site + DIGEST)
    page.click("header [data-set-lang=ko]")
    paper = page.locator(f"article#{ENGLISH_ONLY}")
    assert paper.locator(".commentary[lang=en]").is_visible()
    label = paper.locator(".only-lang").inner_text()
    assert "영어 코멘트만" in label and "English only" not in label
    assert visible(page, ".paper.bilingual .commentary[lang=en]") == 0
    assert visible(page, ".paper.bilingual .commentary[lang=ko]") == 5
