"""The data model every stage shares: papers, tags, digests and the site's settings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Commentary:
    """A reader's commentary on a paper in one language, as Markdown, and the digest that posted
    it ("" for a block that names none: it is read as the paper's first digest's)."""

    lang: str
    text: str
    digest: str = ""


@dataclass(frozen=True)
class Paper:
    """One normalized paper page: `content/papers/<slug>.md`."""

    id: str
    slug: str
    title: str
    title_derived: bool = False
    authors: tuple[str, ...] = ()
    date: str | None = None  # the paper's own: "YYYY", "YYYY-MM" or "YYYY-MM-DD" (PAPER_DATE)
    tags: tuple[str, ...] = ()
    venue: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    digests: tuple[str, ...] = ()
    abstract: str = ""
    commentary: tuple[Commentary, ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(c.lang for c in self.commentary)

    def link(self, name: str) -> str | None:
        return dict(self.links).get(name)

    def posted_in(self, block: Commentary) -> str:
        """The digest a commentary block belongs to: the one it names, else the paper's first."""
        return block.digest or (self.digests[0] if self.digests else "")


PAPER_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def first_day(date: str) -> dt.date:
    """The first day a paper's own date can mean: `2024-10` is 2024-10-01."""
    year, month, day = (date.split("-") + ["1", "1"])[:3]
    return dt.date(int(year), int(month), int(day))


@dataclass(frozen=True)
class Tag:
    """A tag's display names and description: `content/tags/<name>.md`."""

    name: str
    ko: str = ""
    en: str = ""
    description: str = ""

    def label(self, lang: str) -> str:
        """The name to show in `lang` ("ko" or "en"), or the tag's own name."""
        return (self.ko if lang == "ko" else self.en) or self.name


@dataclass(frozen=True)
class Digest:
    """One posted digest, its papers in posting order: `content/digests/<id>.md`."""

    id: str
    title: str = ""
    date: dt.date | None = None
    source: str = ""
    papers: tuple[str, ...] = ()  # paper ids, in posting order
    title_derived: bool = False  # made by the importer from what the file gives (digest_titles.py)

    @property
    def label(self) -> str:
        """The name to show: its title, or its id when it has none."""
        return self.title or self.id


LANGUAGES = ("ko", "en", "both")  # what a reader may choose to see commentary in


@dataclass(frozen=True)
class SiteConfig:
    """`content/site.yaml`: what the whole site shares."""

    title: str = "litdigest"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    default_language: str = "both"  # "ko", "en" or "both"
    page_size: int = 10
    feed_size: int = 100
    author: str = ""
    commentary_order: str = "newest"  # a paper page's commentary by digest: "newest" or "oldest" first


@dataclass(frozen=True)
class Content:
    """Everything in `content/`, read once and passed to the build."""

    config: SiteConfig
    papers: tuple[Paper, ...]
    tags: dict[str, Tag] = field(default_factory=dict)
    digests: tuple[Digest, ...] = ()
