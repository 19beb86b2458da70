"""The pytest fixtures every test may use: copies of the example content, the example site built
once, fresh raw and content folders for the import tests. The judges' fixtures (a served site, a
browser, the hostile site) are in judges/conftest.py; helpers are in helpers/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from litdigest.build.pipeline import build_site
from tests.helpers.judged_summary import pytest_terminal_summary  # noqa: F401  (the hook, here to run under xdist)
from tests.helpers.paths import CONTENT, TEMPLATES
from tests.helpers.raw_digests import samples

# In CI (CI set, as GitHub Actions and .ci/run do) hypothesis draws the same examples on every
# run, so a red run is a repeatable failure of the change, never a rare example found by chance;
# a run by hand draws new ones (LITDIGEST_HYPOTHESIS_EXAMPLES raises the count for a search).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the example content/, safe to change."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content built once per test session."""
    out = tmp_path_factory.mktemp("example") / "site"
    build_site(CONTENT, TEMPLATES, out)
    return out


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A copy of the five sample digests, so tests may change them freely."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for source in samples():
        (folder / source.name).write_bytes(source.read_bytes())
    return folder


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """An empty content/ folder to import into."""
    folder = tmp_path / "content"
    folder.mkdir()
    return folder
