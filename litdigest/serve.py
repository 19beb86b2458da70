"""Preview: build, serve `site/` on loopback, rebuild on every change and reload the browser.

The browser is told to reload only after a rebuild has written the new site; a rebuild that
fails is reported and the last good site stays served.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

import click
from livereload import Server

from .build import build_site
from .errors import LitdigestError


def make_rebuild(content_dir: Path, templates_dir: Path, output_dir: Path) -> Callable[[], None]:
    def rebuild() -> None:
        try:
            click.echo(build_site(content_dir, templates_dir, output_dir).summary())
        except LitdigestError as err:
            for problem in err.problems:
                click.echo(f"error: {problem}", err=True)
            click.echo("litdigest: the build failed; still serving the last good site", err=True)

    rebuild.__name__ = "rebuild"
    return rebuild


def serve_site(content_dir: Path, templates_dir: Path, output_dir: Path, host: str, port: int) -> None:
    click.echo(build_site(content_dir, templates_dir, output_dir).summary())
    server = Server()
    rebuild = make_rebuild(content_dir, templates_dir, output_dir)
    server.watch(str(content_dir), rebuild)
    server.watch(str(templates_dir), rebuild)
    logging.getLogger("livereload").setLevel(logging.WARNING)
    click.echo(f"serving {output_dir}/ at http://{host}:{port}/ (Ctrl-C stops)")
    server.serve(host=host, port=port, root=str(output_dir), open_url_delay=None)
