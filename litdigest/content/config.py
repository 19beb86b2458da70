"""`content/site.yaml`: the site's settings, read and checked."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import yaml

from litdigest.content import frontmatter as fm
from litdigest.content.model import SiteConfig
from litdigest.errors import LitdigestError, Problem

LANGUAGES = ("ko", "en", "both")


def parse_config(text: str, path: Path | str) -> SiteConfig:
    """The settings in `site.yaml`'s text; raise LitdigestError with every problem in it."""
    try:
        data = yaml.load(text, Loader=fm.Loader) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise LitdigestError(Problem(str(path), mark.line + 1 if mark else 1,
                                     f"broken YAML: {getattr(err, 'problem', err)}",
                                     "fix site.yaml")) from None
    known = {f.name: f for f in fields(SiteConfig)}
    problems = [Problem(str(path), fm.key_line(text, k) or 1, f"unknown setting '{k}'",
                        f"use one of: {', '.join(known)}") for k in sorted(data) if k not in known]
    if data.get("default_language", "both") not in LANGUAGES:
        problems.append(Problem(str(path), fm.key_line(text, "default_language"),
                                "default_language must be ko, en or both", "pick one of the three"))
    if problems:
        raise LitdigestError(problems)
    return SiteConfig(**{k: v for k, v in data.items() if k in known})
