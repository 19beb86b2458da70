"""The promise of bounded cost: a special file (FIFO, device) is refused before a byte is read,
a raw file is at most 50 MB, a page carries at most 1,000 tags and nests at most 1,000 levels,
and an import is linear in its input. Each case here hung, read forever, crashed or took
quadratic time before.

Every command runs with a timeout (TIMEOUT, generous): a hang fails the test instead of the
run. The import's linearity is timed by bench/import_scaling.py, not here (tests time nothing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import RAW, ROOT, TEMPLATES
from tests.helpers.trees import tree_digest

TIMEOUT = 60  # seconds; each command here takes about one
MAX_TAGS = 1_000  # tags on one page (litdigest.content.pages.MAX_TAGS), as the README says
RAW_SIZE_LIMIT = 50_000_000  # bytes of one raw file (litdigest.importer.raw.RAW_SIZE_LIMIT)


def litdigest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python build.py ARGS…`, failing the test if it runs for TIMEOUT seconds (a hang)."""
    try:
        return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"litdigest {' '.join(args)} still ran after {TIMEOUT} s")


def refused(result: subprocess.CompletedProcess[str], where: str, words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert f"error: {where}" in result.stderr and words in result.stderr, result.stderr


@pytest.fixture
def project(tmp_path: Path, content_copy: Path) -> Path:
    return tmp_path


RAW_FILE = sorted(RAW.glob("*.txt"))[0]


# ---- special files --------------------------------------------------------------------------


def test_a_fifo_given_as_a_raw_file_is_refused(project: Path) -> None:
    fifo = project / "digest.txt"
    os.mkfifo(fifo)
    before = tree_digest(project / "content")
    result = litdigest("import", str(fifo), cwd=project)
    refused(result, str(fifo), "a named pipe (FIFO), not a regular file")
    assert tree_digest(project / "content") == before


def test_dev_zero_as_a_raw_file_is_refused_not_read_forever(project: Path) -> None:
    refused(litdigest("import", "/dev/zero", cwd=project), "/dev/zero", "a device, not a regular file")


@pytest.mark.parametrize("rel", ["papers/a-fifo.md", "tags/a-fifo.md", "digests/a-fifo.md", "site.yaml"])
@pytest.mark.parametrize("command", ["check", "import", "build"])
def test_a_fifo_in_content_is_refused_by_check_import_and_build(project: Path, rel: str,
                                                               command: str) -> None:
    target = project / "content" / rel
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    args = {"check": ["check", "--no-site"], "import": ["import", str(RAW_FILE)],
            "build": ["build", "--templates", str(TEMPLATES)]}[command]
    if command == "import" and rel.startswith(("tags/", "site.yaml")):
        result = litdigest(*args, cwd=project)  # import reads neither tag pages nor site.yaml
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        return
    refused(litdigest(*args, cwd=project), f"content/{rel}", "a named pipe (FIFO), not a regular file")


# ---- limits ---------------------------------------------------------------------------------


def test_a_raw_file_over_the_size_limit_is_refused(project: Path) -> None:
    big = project / "big.txt"
    with open(big, "wb") as handle:
        handle.write(RAW_FILE.read_bytes())
        handle.truncate(RAW_SIZE_LIMIT + 1)  # sparse: no disk used
    refused(litdigest("import", str(big), cwd=project), str(big), "larger than 50 MB")


def many_tags(count: int) -> str:
    return "[" + ", ".join(f"t{number}" for number in range(count)) + "]"


def test_a_page_with_more_tags_than_the_limit_is_refused(project: Path) -> None:
    page = sorted((project / "content" / "papers").glob("*.md"))[0]
    text = page.read_text("utf-8")
    start = text.index("\ntags:") + 1
    end = text.index("\n", start)
    page.write_text(text[:start] + f"tags: {many_tags(MAX_TAGS + 1)}" + text[end:], encoding="utf-8")
    result = litdigest("check", "--no-site", cwd=project)
    refused(result, f"content/papers/{page.name}", f"{MAX_TAGS + 1} tags, more than the limit of {MAX_TAGS}")


def test_a_raw_paper_with_more_tags_than_the_limit_is_refused(project: Path) -> None:
    """A page the import wrote with them would be one no build reads."""
    daily = RAW / "004_3611374432c9d306.txt"  # bilingual-daily: `#tag` lines under each paper
    raw = project / "daily.txt"
    tags = " ".join(f"#t{number}" for number in range(MAX_TAGS + 1))
    raw.write_text(daily.read_text("utf-8").replace("#alignment\n", tags + "\n", 1), encoding="utf-8")
    before = tree_digest(project / "content")
    result = litdigest("import", str(raw), cwd=project)
    refused(result, f"{raw}:2", f"{MAX_TAGS + 1} tags on one paper, more than the limit of {MAX_TAGS}")
    assert tree_digest(project / "content") == before


@pytest.mark.parametrize("nesting", ["[" * 100_000 + "]" * 100_000, "\n" + "- " * 100_000 + "x"],
                         ids=["brackets", "dashes"])
def test_front_matter_nested_100000_deep_is_refused_not_a_crash(project: Path, nesting: str) -> None:
    page = project / "content" / "papers" / "deep.md"
    page.write_text(f"---\nid: deep\nslug: deep\ntitle: Deep\ntags: {nesting}\n---\n", encoding="utf-8")
    refused(litdigest("check", "--no-site", cwd=project), str(Path("content/papers/deep.md")),
            "front matter nested more than 1000 levels deep")


def test_a_list_as_a_front_matter_key_is_reported(project: Path) -> None:
    page = project / "content" / "papers" / "odd.md"
    page.write_text("---\n? [a]\n: b\n---\n", encoding="utf-8")
    refused(litdigest("check", "--no-site", cwd=project), "content/papers/odd.md:2",
            "a key must be plain text")


# ---- linear import ----------------------------------------------------------------------------


def test_100000_junk_lines_after_a_real_digest_are_imported_and_reported(project: Path) -> None:
    """Before, these 100,000 lines took 20 s (a tuple copied per line); now about 2. Not timed
    here: bench/import_scaling.py times N against 4N lines per format."""
    raw = project / "junk.txt"
    junk = "".join(f"junk line number {number} with some words\n" for number in range(100_000))
    raw.write_text(RAW_FILE.read_text("utf-8") + junk, encoding="utf-8")
    shutil.rmtree(project / "content" / "papers")
    result = litdigest("import", "--content", str(project / "fresh"), str(raw), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "100000 lines not placed" in result.stdout


def test_the_limits_here_are_the_ones_litdigest_applies() -> None:
    from litdigest.content.pages import MAX_TAGS as pages_limit
    from litdigest.importer.raw import RAW_SIZE_LIMIT as raw_limit
    assert (pages_limit, raw_limit) == (MAX_TAGS, RAW_SIZE_LIMIT)
