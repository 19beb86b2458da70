"""Tell which script a text is written in: Korean (Hangul) or not."""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z]")
KOREAN_SHARE = 0.2  # Korean prose mixes in English terms; English prose has no Hangul at all


def hangul_share(text: str) -> float:
    """Hangul letters among Hangul and Latin letters (digits and punctuation do not count)."""
    hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    return hangul / (hangul + latin) if hangul + latin else 0.0


def is_korean(text: str) -> bool:
    return hangul_share(text) >= KOREAN_SHARE
