"""papers.json: every paper with its fields, in the order of their ids, valid against the JSON
Schema (draft 2020-12) published beside it, field by field what content/ says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from litdigest.content.folder import load_content
from tests.helpers.paths import CONTENT, ROOT

BASE = "https://example.github.io/litdigest/"


def published(site: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(papers.json, papers.schema.json) as the site publishes them."""
    document = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "papers.schema.json").read_text(encoding="utf-8"))
    return document, schema


def test_papers_json_is_valid_against_its_published_schema(example_site: Path) -> None:
    document, schema = published(example_site)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$schema"] == schema["$id"] == f"{BASE}papers.schema.json"
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(document)


@pytest.mark.parametrize("damage", ["unknown field", "no title", "date not a date", "tags a string"])
def test_the_schema_refuses_a_damaged_papers_json(example_site: Path, damage: str) -> None:
    document, schema = published(example_site)
    paper = document["papers"][0]
    if damage == "unknown field":
        paper["rating"] = 5
    elif damage == "no title":
        del paper["title"]
    elif damage == "date not a date":
        paper["date"] = "yesterday"
    else:
        paper["tags"] = "alignment"
    with pytest.raises(ValidationError):
        Draft202012Validator(schema, format_checker=FormatChecker()).validate(document)


def test_papers_json_holds_every_paper_field_by_field(example_site: Path) -> None:
    content = load_content(CONTENT)
    document, _ = published(example_site)
    assert document["title"] == content.config.title and document["base_url"] == BASE
    records = document["papers"]
    assert [r["id"] for r in records] == sorted(p.id for p in content.papers)
    by_id = {p.id: p for p in content.papers}
    for record in records:
        paper = by_id[record["id"]]
        assert record == {
            "id": paper.id, "slug": paper.slug, "url": f"{BASE}papers/{paper.slug}/",
            "title": paper.title, "title_derived": paper.title_derived,
            "authors": list(paper.authors), "date": paper.date,
            "tags": list(paper.tags), "venue": paper.venue, "links": dict(paper.links),
            "digests": list(paper.digests), "abstract": paper.abstract,
            "commentary": [{"digest": paper.posted_in(block), "lang": block.lang, "text": block.text}
                           for block in paper.commentary],
        }
        assert (example_site / "papers" / paper.slug / "index.html").is_file()
    # the day each digest listed its papers is the digest's: a paper's `date` is its own
    assert document["digests"] == [
        {"id": d.id, "url": f"{BASE}digests/{d.id}/", "title": d.title,
         "date": d.date.isoformat() if d.date else None, "papers": list(d.papers)}
        for d in sorted(content.digests, key=lambda d: d.id)]
    assert {r["date"] for r in records} >= {"2024-10", None}
    assert any(r["commentary"] for r in records) and any(r["date"] for r in records)


def test_the_readme_documents_papers_json_and_its_schema() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "papers.json" in readme and "papers.schema.json" in readme


def test_papers_json_carries_no_character_a_site_file_may_not_hold() -> None:
    from litdigest.build.library import build_library
    from litdigest.build.papers_json import papers_document
    from litdigest.content.model import Content, Paper, SiteConfig

    odd = "a\x7fb\x85c\ufffed\ufdd0e\x01f 논문 ©"
    paper = Paper(id="arxiv:2412.00001", slug="odd", title=odd, abstract=odd, authors=(odd,))
    document = papers_document(build_library(Content(SiteConfig(), (paper,))))
    text = document.decode("utf-8")
    assert not any(ch in text for ch in "\x7f\x85\ufffe\ufdd0")
    [record] = json.loads(text)["papers"]
    assert record["title"] == record["abstract"] == "abcde\x01f 논문 ©"  # JSON escapes \x01
