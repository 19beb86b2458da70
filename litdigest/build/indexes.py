"""What the two index pages show beyond their links: the tag index's weights (a tag with more
papers is set larger) and the digest index as a timeline, grouped by year, each digest with
the tags its papers carry most."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from typing import Iterable, Mapping

from litdigest.build.library import DigestEntry, TagEntry
from litdigest.content.model import Digest, Tag

WEIGHTS = 5  # the tag index's sizes, 1 to 5: style.css sets each
DIGEST_TAGS = 4  # tags shown beside a digest on the timeline


@dataclass(frozen=True)
class WeightedTag:
    tag: Tag
    count: int  # its papers
    weight: int  # 1 (fewest papers) to WEIGHTS (most)


@dataclass(frozen=True)
class TimelineDigest:
    digest: Digest
    count: int  # its papers
    tags: tuple[Tag, ...]  # the ones its papers carry most, most first (Tags, not names: a
    # renamed tag must change the page's key, incremental/stale.py)


@dataclass(frozen=True)
class TimelineYear:
    year: int | None  # None: the digests without a date, which come last
    digests: tuple[TimelineDigest, ...]


def weighted_tags(entries: Iterable[TagEntry]) -> tuple[WeightedTag, ...]:
    """Each tag with its weight: by the logarithm of its count against the largest, so one tag
    on every paper does not leave all the others at the smallest size."""
    by_count = [(entry.tag, len(entry.papers)) for entry in entries]
    most = max((count for _, count in by_count), default=1)
    return tuple(WeightedTag(tag, count, _weight(count, most)) for tag, count in by_count)


def _weight(count: int, most: int) -> int:
    if most <= 1:
        return 1
    return 1 + round((WEIGHTS - 1) * math.log(max(count, 1)) / math.log(most))


def timeline(entries: Iterable[DigestEntry], tags: Mapping[str, TagEntry]) -> tuple[TimelineYear, ...]:
    """The digests (newest first, the undated last, as the library keeps them) by year."""
    return tuple(TimelineYear(year, tuple(TimelineDigest(e.digest, len(e.papers),
                                                         _most_tagged(e, tags)) for e in group))
                 for year, group in groupby(entries, key=_year))


def _year(entry: DigestEntry) -> int | None:
    return entry.digest.date.year if entry.digest.date else None


def _most_tagged(entry: DigestEntry, tags: Mapping[str, TagEntry]) -> tuple[Tag, ...]:
    counts = Counter(name for paper in entry.papers for name in paper.tags)  # each in `tags`
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(tags[name].tag for name, _ in ranked[:DIGEST_TAGS])
