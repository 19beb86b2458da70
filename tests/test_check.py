"""check: content/ is valid and every internal link and asset of the built site resolves."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.helpers.commands import litdigest
from tests.helpers.paths import CONTENT, TEMPLATES
from litdigest.build.pipeline import build_site


def check(content: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return litdigest("check", "--content", str(content), "--output", str(site))


def test_the_example_content_and_site_pass(example_site: Path) -> None:
    result = check(CONTENT, example_site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 44 papers, 11 tags, 5 digests;")


def test_a_broken_link_is_reported_with_page_and_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(CONTENT, TEMPLATES, site)
    (site / "tags" / "review" / "index.html").unlink()
    result = check(CONTENT, site)
    assert result.returncode == 1
    assert "broken link '../../tags/review/'" in result.stderr
    assert f"{site / 'papers'}" in result.stderr


def test_duplicate_ids_and_slugs_are_reported(tmp_path: Path, content_copy: Path) -> None:
    papers = sorted((content_copy / "papers").glob("*.md"))
    copy = content_copy / "papers" / "copy-of-first.md"
    copy.write_text(papers[0].read_text())
    result = check(content_copy, tmp_path / "nosite")
    assert result.returncode == 1
    assert f"{copy}:2: duplicate id" in result.stderr
    assert f"{copy}:3: duplicate slug" in result.stderr
    assert f"{copy}:3: slug" in result.stderr and "does not match the file name" in result.stderr
    assert "no built site" in result.stderr


def test_build_and_check_agree_on_a_tag_without_a_file(tmp_path: Path, content_copy: Path) -> None:
    (content_copy / "tags" / "review.md").unlink()
    site = tmp_path / "site"
    build_site(content_copy, TEMPLATES, site)
    assert (site / "tags" / "review" / "index.html").is_file()  # the default page
    result = check(content_copy, site)
    assert result.returncode == 0, result.stderr
    assert "note: 1 tag without a file" in result.stdout and "default page: review;" in result.stdout


def test_build_and_check_agree_on_commentary_naming_a_digest_that_does_not_list_its_paper(
        tmp_path: Path, content_copy: Path) -> None:
    """The block shows on the paper's page only, not on digest 000's (which lists other papers),
    and check names it in a note, by the build's own rule."""
    paper = content_copy / "papers" / "mix-ln-unleashing-the-power-of-deeper-layers-by-combining.md"
    paper.write_text(paper.read_text() + "\n::: commentary en 000\nA word about Mix-LN, filed under 000.\n:::\n")
    site = tmp_path / "site"
    build_site(content_copy, TEMPLATES, site)
    assert "filed under 000" in (site / "papers" / paper.stem / "index.html").read_text()
    assert "filed under 000" not in (site / "digests" / "000" / "index.html").read_text()
    result = check(content_copy, site)
    assert result.returncode == 0, result.stderr
    assert ("note: 1 commentary block naming a digest that does not list the paper, shown on the "
            f"paper's page only: papers/{paper.name} (digest 000))") in result.stdout


def test_one_paper_tag_and_digest_are_counted_as_one(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    paper = "mix-ln-unleashing-the-power-of-deeper-layers-by-combining.md"  # tags: [transformer]
    shutil.copy(CONTENT / "papers" / paper, content / "papers" / paper)
    (content / "tags").mkdir()
    shutil.copy(CONTENT / "tags" / "transformer.md", content / "tags" / "transformer.md")
    built = litdigest("build", "--content", str(content), "--output", str(tmp_path / "site"))
    assert " pages (1 paper, 1 tag, 1 digest) into " in built.stdout, built.stderr
    # check counts the files: the digest is the paper's alone, with no file of its own
    assert check(content, tmp_path / "site").stdout.startswith("ok: 1 paper, 1 tag, 0 digests; ")
