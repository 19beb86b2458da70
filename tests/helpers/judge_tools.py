"""The judges' tools: Debian's Chromium, and a skip (or, where they are required, a failure)
where a tool is missing."""

from __future__ import annotations

import os
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def required() -> bool:
    """Whether the judging tools must be present (CI) rather than skipped where missing."""
    return bool(os.environ.get("LITDIGEST_REQUIRE_BROWSER"))


def missing_tool(message: str) -> None:
    """Fail with `message` where the tools are required, else skip with it."""
    if required():
        pytest.fail(message)
    pytest.skip(message)


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, through Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


# What the theme's stylesheet and script do to a page, read in the browser: style.css sets the
# colours as custom properties on :root and hides the skip link off screen; litdigest.js marks
# which language button is pressed.
THEMED = """() => ({
  accent: getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
  skipLink: getComputedStyle(document.querySelector('a.skip')).position,
  scripted: document.querySelectorAll('[data-set-lang][aria-pressed]').length,
})"""
THEME_APPLIED = {"accent": "#0b57b3", "skipLink": "absolute", "scripted": 3}  # light scheme


def open_themed(browser: Any, url: str) -> tuple[int, dict[str, Any], list[str]]:
    """Open `url` in a fresh light-scheme page: its status, what the theme did to it (THEMED),
    and every other request that failed or was answered with an error."""
    context = browser.new_context(color_scheme="light")
    try:
        page = context.new_page()
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
        page.on("response", lambda response: failed.append(f"{response.url}: {response.status}")
                if response.status >= 400 and response.url != url else None)
        response = page.goto(url, wait_until="load")
        themed = page.evaluate(THEMED)
        page.wait_for_load_state("networkidle")
        return response.status, themed, failed
    finally:
        context.close()
