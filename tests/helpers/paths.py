"""Where things are: the repository, its example content, the default theme, the test fixtures."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "litdigest" / "theme"  # the default theme, the example site's templates
RAW = CONTENT / "raw"
FIXTURES = ROOT / "tests" / "fixtures"
IMPORT_FIXTURES = FIXTURES / "import"
HOSTILE_RAW = FIXTURES / "hostile" / "hostile_daily.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"
