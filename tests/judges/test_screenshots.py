"""Screenshots: the main pages on a phone (360 px) and a laptop (1280 px), light and dark, as a
reader sees them after a first page (in the theme's typeface), in the site's default language
mode, and the digest, paper and tag index pages in 한국어 and English too.

They are written to tests/artifacts/ (git-ignored) for a person to look at; the tests judge what
a machine can: no page scrolls sideways on a phone, the dark scheme is really dark, Korean is
drawn in a Korean typeface rather than whatever font happens to have the glyphs, and each PNG
has the width it was taken at. The README's picture (docs/screenshot.png: a digest page in
light on a laptop and in dark on a phone) is composed the same way, in the browser:
`python tests/judges/test_screenshots.py` writes it again after the look changes.
"""

from __future__ import annotations

import base64
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

if __name__ == "__main__":  # `python tests/judges/test_screenshots.py`: make `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.helpers.judge_tools import launch_chromium, missing_tool
from tests.helpers.paths import ARTIFACTS, CONTENT, ROOT, TEMPLATES
from tests.helpers.serving import serve_folder

pytestmark = pytest.mark.browser

README_SCREENSHOT = ROOT / "docs" / "screenshot.png"
README_LIMIT = 300_000  # bytes
SCALE = 1.5  # pixels per CSS pixel of the README's picture
DIGEST = "digests/004-2024-12-19/"
PAGES = {
    "home": "",
    "digest": DIGEST,
    "paper": "papers/autoregressive-video-generation-without-vector-quantization/",
    "digests": "digests/",
    "tags": "tags/",
    "tag": "tags/large-language-model/",
}
WIDTHS = {"phone": 360, "laptop": 1280}
MODES = {"both": tuple(PAGES), "ko": ("digest", "paper", "tags"), "en": ("digest", "paper", "tags")}
# A reader's choice of language, and the typeface's files at hand, as after a first page.
AS_A_READER = """localStorage.setItem('litdigest.lang', '%s');
localStorage.setItem('litdigest.fonts', '1');"""
KOREAN_FACES = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo",
                "Malgun Gothic")
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(WIDTHS))
def test_screenshots_of_the_main_pages(browser: Any, served_site: str, device: str, scheme: str,
                                       mode: str, record_property: Callable[[str, object], None]) -> None:
    width = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.add_init_script(AS_A_READER % mode)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        for name in MODES[mode]:
            page.goto(served_site + PAGES[name])
            page.evaluate("document.fonts.ready.then(() => true)")
            assert page.evaluate(SIDEWAYS) <= 0, f"the {name} page scrolls sideways at {width} px"
            luminance = page.evaluate(BACKGROUND_LUMINANCE)
            assert (luminance < 0.2) if scheme == "dark" else (luminance > 0.9), (name, luminance)
            out = ARTIFACTS / f"{name}-{width}-{scheme}-{mode}.png"
            page.screenshot(path=str(out), full_page=True)
            shot_width, shot_height = png_size(out)
            assert shot_width == width and shot_height >= 800
    finally:
        context.close()
    record_property("judged:screenshots", len(MODES[mode]))


def test_no_page_scrolls_sideways_on_a_phone(browser: Any, example_site: Path, served_site: str) -> None:
    """Every page of the site, not just the main ones: a long title or URL must wrap."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    wide = []
    for html in sorted(example_site.rglob("*.html")):
        page.goto(served_site + html.relative_to(example_site).as_posix(), wait_until="load")
        if page.evaluate(SIDEWAYS) > 0:
            wide.append(f"{html.relative_to(example_site)}: {page.evaluate(SIDEWAYS)} px too wide")
    context.close()
    assert not wide, "\n".join(wide)


def test_korean_is_drawn_in_a_korean_typeface(browser: Any, served_site: str) -> None:
    fonts = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True).stdout
    if not fonts.strip():
        missing_tool("no Korean font is installed: `apt-get install fonts-nanum` (Debian)")
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_site + DIGEST)
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    used: dict[str, list[str]] = {}
    for selector in [".commentary[lang=ko] p", "h1", "header [data-set-lang=ko]"]:
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        faces = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        used[selector] = [face["familyName"] for face in faces]
    context.close()
    for selector, families in used.items():
        assert any(f in KOREAN_FACES for f in families), f"{selector}: Korean drawn in {families}"
    # A Korean commentary is set in one Korean face, its Latin words (SFT, LR) included.
    assert len(used[".commentary[lang=ko] p"]) == 1, used


# ---- the README's picture ------------------------------------------------------------------


def compose_readme_screenshot(browser: Any, base_url: str, out: Path) -> Path:
    """A digest page in light on a laptop (both languages) beside the same page in dark on a
    phone (한국어 chosen), as one PNG: the shots are taken at twice the pixels and laid out in
    the browser, so the picture stays sharp where GitHub shrinks it."""
    shots = {}
    for device, scheme, lang, size in [("laptop", "light", "both", (1024, 700)),
                                       ("phone", "dark", "ko", (360, 740))]:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                      color_scheme=scheme, device_scale_factor=2)
        context.add_init_script(f"localStorage.setItem('litdigest.lang', '{lang}')")
        page = context.new_page()
        page.goto(base_url + DIGEST)
        shots[device] = base64.b64encode(page.screenshot()).decode("ascii")
        context.close()
    context = browser.new_context(viewport={"width": 1200, "height": 700}, device_scale_factor=SCALE)
    page = context.new_page()
    page.set_content(f"""<!DOCTYPE html><html><body style="margin:0;background:#cdd5df">
      <div style="display:flex;gap:32px;align-items:center;padding:24px 28px">
        <img style="width:808px;border-radius:8px;box-shadow:0 4px 18px #0004"
             src="data:image/png;base64,{shots['laptop']}">
        <img style="width:292px;border-radius:18px;box-shadow:0 4px 18px #0005;border:7px solid #15171a"
             src="data:image/png;base64,{shots['phone']}">
      </div></body></html>""")
    page.wait_for_load_state("load")
    height = page.evaluate("document.body.scrollHeight")
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": 1200, "height": height})
    context.close()
    return out


def test_the_readme_screenshot_can_be_made(browser: Any, served_site: str) -> None:
    made = compose_readme_screenshot(browser, served_site, ARTIFACTS / "readme-screenshot.png")
    assert png_size(made)[0] == 1200 * SCALE
    assert made.stat().st_size < README_LIMIT, f"{made.stat().st_size} bytes: too heavy for the README"
    assert README_SCREENSHOT.is_file(), "docs/screenshot.png is missing: python tests/judges/test_screenshots.py"


if __name__ == "__main__":
    import tempfile

    from playwright.sync_api import sync_playwright

    from litdigest.build.pipeline import build_site

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        site = Path(tmp) / "site"
        build_site(CONTENT, TEMPLATES, site)
        chromium = launch_chromium(playwright)
        with serve_folder(site) as url:
            made = compose_readme_screenshot(chromium, url, README_SCREENSHOT)
        chromium.close()
    print(f"wrote {made.relative_to(ROOT)}: {png_size(made)[0]}×{png_size(made)[1]}, "
          f"{made.stat().st_size // 1000} kB")
