"""The same bytes as before a change that should change no output: the example site and the
content imported from every raw fixture, each pinned by one digest of its whole tree.

A change meant to alter the output (a template, the page format) updates these digests in the
same commit, and says so: `LITDIGEST_SHOW_DIGESTS=1 python -m pytest tests/test_byte_identity.py`
prints the new ones.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from litdigest.build.pipeline import build_site
from litdigest.importer.run import run_import
from tests.helpers.paths import CONTENT, RAW, TEMPLATES
from tests.helpers.raw_digests import fixtures
from tests.helpers.trees import tree_digest

EXAMPLE_SITE = "4965818847e6cde92a08b31ff2d1aa06b61005ba7af8b9138966f9f068dc5c83"  # with the empty .litdigest-site marker
IMPORTED_CONTENT = "8175025ebb71cfe329814b027560b6c4a1ae2d8097e9adcd622b4252fb426cda"


def whole_tree(folder: Path) -> str:
    return hashlib.sha256(json.dumps(tree_digest(folder), sort_keys=True).encode()).hexdigest()


def _shown(name: str, digest: str) -> str:
    if os.environ.get("LITDIGEST_SHOW_DIGESTS"):
        print(f"\n{name} = {digest!r}")
    return digest


def test_the_example_site_has_the_pinned_bytes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(CONTENT, TEMPLATES, site)
    assert _shown("EXAMPLE_SITE", whole_tree(site)) == EXAMPLE_SITE


def test_content_imported_from_every_raw_fixture_has_the_pinned_bytes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    run_import(sorted(RAW.glob("*.txt")), content)
    run_import(fixtures(), content)  # in the order of their names
    assert _shown("IMPORTED_CONTENT", whole_tree(content)) == IMPORTED_CONTENT
