"""A small deterministic corpus in litdigest's content format, for tests that need more than the
example: many papers per tag (so tag pages paginate), digests, math, bare URLs, Korean commentary."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

WORDS = ("model learning language training data method task results neural attention agent "
         "reasoning benchmark retrieval generation policy reward alignment diffusion token "
         "memory sparse latent graph loss inference sampling preference safety vision").split()
HANGUL = "가 나 다 라 마 바 사 아 자 차 한 국 어 학 습 모 델 결 과 연 구".split()
TAGS = ["alignment", "reasoning", "diffusion", "vision", "safety", "한국어-태그", "retrieval"]
MATH = ["$x^2$", "$O(n \\log n)$", "$\\alpha = 0.5$", "$p(y \\mid x)$"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    if rng.random() < 0.2:
        words.insert(3, rng.choice(MATH))
    if rng.random() < 0.1:
        words.append("code at https://github.com/lab/" + rng.choice(WORDS))
    if rng.random() < 0.05:
        words.append("see example.org/" + rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


def paper_page(rng: random.Random, number: int) -> tuple[str, str]:
    title = " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(3, 7)))
    slug = f"paper-{number:04d}"
    date = dt.date(2024, 12, 19) - dt.timedelta(days=number // 7)
    tags = sorted(rng.sample(TAGS, rng.randint(1, 3)))
    abstract = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
    lines = ["---", f"id: arxiv:2412.{number:05d}", f"slug: {slug}", f'title: "{title}"',
             "title_derived: false", f"authors: [Author {number % 13}, Writer {number % 7}]",
             f"date: {date.isoformat()}", "tags: [" + ", ".join(tags) + "]", "venue: null",
             f'links: {{arxiv: "https://arxiv.org/abs/2412.{number:05d}"}}',
             f"digests: [week-{date.isocalendar()[1]:02d}]", "---", "", abstract, ""]
    if rng.random() < 0.8:
        korean = " ".join("".join(rng.sample(HANGUL, 3)) for _ in range(8)) + "."
        lines += ["::: commentary ko", korean, ":::", ""]
    if rng.random() < 0.8:
        lines += ["::: commentary en", sentence(rng), ":::", ""]
    return slug, "\n".join(lines)


def write_corpus(content: Path, papers: int = 120, seed: int = 7) -> Path:
    """Write `papers` papers, a tag page per tag and site.yaml under `content`; return it."""
    rng = random.Random(seed)
    (content / "papers").mkdir(parents=True, exist_ok=True)
    (content / "tags").mkdir(parents=True, exist_ok=True)
    for number in range(papers):
        slug, text = paper_page(rng, number)
        (content / "papers" / f"{slug}.md").write_text(text, encoding="utf-8")
    for tag in TAGS:
        (content / "tags" / f"{tag}.md").write_text(
            f'---\nname: {tag}\nko: "{tag} 태그"\nen: "{tag.title()}"\n---\n', encoding="utf-8")
    (content / "site.yaml").write_text(
        'title: "corpus"\nbase_url: "https://example.org/corpus/"\npage_size: 10\nfeed_size: 20\n',
        encoding="utf-8")
    return content
