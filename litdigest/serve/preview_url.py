"""Where the preview shows the site: the published base URL's path, on the address serve listens on.

As `hugo server` does with a baseURL that has a path, the preview keeps the path of the address
the site is published at (`--base-url`, else site.yaml's `base_url`) and takes the local host
and port: `https://user.github.io/notes/` is previewed at `http://127.0.0.1:8000/notes/`, and
the preview's pages, feeds and links are built for that address, so that every one of them
leads back to the preview. The path is read once, when serve starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from litdigest.content.folder import SITE_YAML, read_source
from litdigest.content.model import SiteConfig
from litdigest.errors import LitdigestError


@dataclass(frozen=True)
class PreviewUrl:
    """The preview's base URL, and its path (the site's folder on the server), both ending in /."""

    base_url: str
    path: str


def preview_url(content_dir: Path, published: str | None, host: str, port: int) -> PreviewUrl:
    """The preview's base URL for a site published at `published` (None: site.yaml's)."""
    path = urlsplit(published or published_base_url(content_dir)).path.rstrip("/") + "/"
    where = f"[{host}]" if ":" in host else host  # an IPv6 address, as a URL spells it
    return PreviewUrl(f"http://{where}:{port}{path}", path)


def published_base_url(content_dir: Path) -> str:
    """site.yaml's base_url, or the default one. A site.yaml that cannot be read gives the
    default: the first build then reports what is wrong with it, among every other problem."""
    if not os.path.lexists(content_dir / SITE_YAML):
        return SiteConfig().base_url
    try:
        config = read_source(content_dir, SITE_YAML)
    except LitdigestError:
        return SiteConfig().base_url
    assert isinstance(config, SiteConfig)
    return config.base_url
