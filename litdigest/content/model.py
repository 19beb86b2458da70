"""The data model every stage shares: papers, tags, digests and the site's settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Commentary:
    """A reader's commentary on a paper in one language, as Markdown."""

    lang: str
    text: str


@dataclass(frozen=True)
class Paper:
    """One normalized paper page: `content/papers/<slug>.md`."""

    id: str
    slug: str
    title: str
    title_derived: bool = False
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
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


@dataclass(frozen=True)
class Content:
    """Everything in `content/`, read once and passed to the build."""

    config: SiteConfig
    papers: tuple[Paper, ...]
    tags: dict[str, Tag] = field(default_factory=dict)
    digests: tuple[Digest, ...] = ()
