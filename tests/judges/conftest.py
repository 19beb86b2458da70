"""The judges' fixtures: the example site served over real HTTP, Debian's Chromium through
Playwright, and the hostile site (the example plus a raw digest full of markup, imported and
built with the real command line)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from tests.helpers.commands import litdigest_ok
from tests.helpers.judge_tools import CHROMIUM, launch_chromium, missing_tool
from tests.helpers.paths import CONTENT, HOSTILE_RAW, TEMPLATES
from tests.helpers.serving import serve_folder


@pytest.fixture(scope="session")
def served_site(example_site: Path) -> Iterator[str]:
    """The example site over real HTTP on loopback; yields its base URL."""
    with serve_folder(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright; skipped locally without it unless required."""
    if not Path(CHROMIUM).exists():
        missing_tool("Chromium is not installed: `apt-get install chromium fonts-nanum` "
                     "(Debian) to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch_chromium(playwright)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content plus tests/fixtures/hostile/, imported by `litdigest import`, built."""
    base = tmp_path_factory.mktemp("hostile")
    content = base / "content"
    shutil.copytree(CONTENT, content)
    litdigest_ok("import", "--strict", str(HOSTILE_RAW), "--content", str(content))
    litdigest_ok("build", "--content", str(content), "--templates", str(TEMPLATES),
                  "--output", str(base / "site"))
    return base / "site"
