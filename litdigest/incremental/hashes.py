"""The build's one way to hash: what the cache compares to tell that something changed.

A hash here is never a "digest" (that word is a posted digest of papers). Every hash is
BLAKE2b of 16 bytes, as hex: fast, and far too long to collide by chance.
"""

from __future__ import annotations

import hashlib


def content_hash(data: bytes) -> str:
    """The hash of a file's bytes: a source file, a template, a static asset."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def text_hash(text: str) -> str:
    """The hash of a text the build composes (page key parts, the code's fingerprint)."""
    return content_hash(text.encode("utf-8"))
