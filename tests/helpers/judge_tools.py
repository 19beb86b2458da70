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
