"""The command line: `litdigest init | import | remove | restore | build | serve | check`; how a
failure reaches the user is failures.py's."""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

import click

from litdigest.content.model import LANGUAGES
from litdigest.failures import report_bug, report_errors

CONTENT = Path("content")
TEMPLATES = Path("templates")
OUTPUT = Path("site")


content_option = click.option("--content", "content_dir", type=click.Path(path_type=Path),
                              default=CONTENT, show_default=True, help="The content folder.")


def _checked_templates(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """The site's own templates folder: `templates/` where none is given, which may not exist;
    one given must."""
    if value is None:
        return TEMPLATES
    if not value.is_dir():
        raise click.BadParameter(f"no folder {str(value)!r} — give the folder of the site's own "
                                 "templates, or leave --templates out to use the default theme")
    return value


templates_option = click.option("--templates", "templates_dir", type=click.Path(path_type=Path),
                                callback=_checked_templates,
                                help="The site's own templates (default: templates/, if there "
                                     "is one); each file replaces the default theme's of the "
                                     "same name.")
output_option = click.option("--output", "output_dir", type=click.Path(path_type=Path),
                             default=OUTPUT, show_default=True, help="Where the site is written.")


def _checked_base_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from litdigest.content.config import SCHEMA

    rule = SCHEMA["base_url"]
    if value is not None and not rule.accepts(value):
        raise click.BadParameter(f"{rule.wrong}, not {value!r} — {rule.hint.replace('base_url: ', '--base-url ')}")
    return value


base_url_option = click.option("--base-url", callback=_checked_base_url, metavar="URL",
                               help="Where the site is published, over site.yaml's base_url "
                                    "(e.g. https://user.github.io/notes/).")


def say_if_default_settings(content_dir: Path) -> None:
    """A site without `site.yaml` builds with the default settings: say so, once, on stderr."""
    from litdigest.content.model import SiteConfig

    if not os.path.lexists(content_dir / "site.yaml"):
        defaults = SiteConfig()
        click.echo(f"litdigest: no {content_dir / 'site.yaml'}: using the default settings (title "
                   f"{defaults.title!r}, base_url {defaults.base_url}); `litdigest init` writes one",
                   err=True)


def run() -> None:
    """The `litdigest` program: run the command, then leave at once. Python's own shutdown
    would free, object by object, everything a build loaded — a tenth of a second at 10,000
    papers — only for the system to take the memory back anyway. Exit handlers still run."""
    code: int | str | None = 0
    try:
        main()
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:
        click.echo("litdigest: interrupted", err=True)
        code = 130
    except Exception as err:  # noqa: BLE001 - a bug outside a command's own gate (printing a report)
        code = report_bug(err)
    if isinstance(code, str):  # sys.exit("message"), as Python itself would report it
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


@click.group(invoke_without_command=True)
@click.version_option(package_name="litdigest")
@click.pass_context
def main(ctx: click.Context) -> None:
    """litdigest: literature digests in, a bilingual static site out.

    \b
    Examples:
      litdigest init notes                 # a new digest site in notes/
      litdigest import content/raw/*.txt   # raw digests -> content/papers, tags, digests
      litdigest build                      # content/ + templates/ -> site/
      litdigest serve                      # preview on http://127.0.0.1:8000 with live reload
      litdigest check                      # validate content/ and the built site/

    With no command, builds the site.
    """
    if ctx.invoked_subcommand is None:  # `build` with no arguments, parsed as such (ctx.invoke
        with build.make_context("build", [], parent=ctx) as build_ctx:  # would skip callbacks)
            build.invoke(build_ctx)


def _shape_list() -> str:
    """Every raw shape the importer reads, each with a one-line example, from the registry."""
    from litdigest.importer.formats import examples

    return "\n".join(f"  {name:20} {example}" for name, example in examples())


_LIST_SHAPES = "\0list"  # what `--format` given with no value stands for


def _format_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """`--format` alone lists every shape with an example, and stops."""
    if value == _LIST_SHAPES:
        click.echo(f"The shapes litdigest import reads (--format NAME forces one):\n{_shape_list()}")
        ctx.exit(0)
    return value


class _ImportCommand(click.Command):
    """`import --help` ends with every shape and its example, read from the registry."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_paragraph()
        formatter.write("Shapes (detected, or forced with --format NAME):\n")
        formatter.write(_shape_list() + "\n")


@main.command("import", cls=_ImportCommand)
@click.argument("raw", nargs=-1, required=True, type=click.Path(path_type=Path))
@content_option
@click.option("--format", "fmt", default=None, metavar="NAME", is_flag=False,
              flag_value=_LIST_SHAPES, is_eager=True, callback=_format_option,
              help="Force this shape instead of detecting it; --format alone lists every shape "
                   "with an example.")
@click.option("--strict", is_flag=True, help="Fail when any input line could not be placed.")
@click.option("--encoding", default=None, help="Decode the raw files with this encoding (default UTF-8).")
@click.option("--skip-unreadable", is_flag=True,
              help="Import the files that can be read, and report each file left out and why "
                   "(default: one unreadable file stops the whole import).")
@click.option("--diff", "diff", is_flag=True,
              help="Show what the import would change in content/, as a diff, and write nothing.")
def import_command(raw: tuple[Path, ...], content_dir: Path, fmt: str | None, strict: bool,
                   encoding: str | None, skip_unreadable: bool, diff: bool) -> None:
    """Import raw digests into normalized pages under content/.

    \b
    Example:
      litdigest import content/raw/004_3611374432c9d306.txt
      litdigest import --format abstract-lines notes.txt
      litdigest import --skip-unreadable raw/*.txt
      litdigest import --diff content/raw/2026-11-28.txt

    Prints, per file, the format detected, the papers found (new / merged / unchanged),
    every line it could not place, and every edit of yours it kept where the digest says
    otherwise. Pages a person edited keep their edits; a failed or interrupted import
    leaves content/ as it was. A file no shape fits is refused naming the two nearest
    shapes and what each lacks.
    """
    from litdigest.importer.run import run_import
    from litdigest.progress import Progress

    progress = Progress()
    try:
        report = report_errors(lambda: run_import(list(raw), content_dir, fmt=fmt, strict=strict,
                                                  encoding=encoding, progress=progress,
                                                  skip_unreadable=skip_unreadable, dry_run=diff))
    finally:
        progress.done()
    if report.changes:
        click.echo("".join(report.changes), nl=False)
    click.echo(report.text())


@main.command()
@click.argument("slugs", nargs=-1, required=True)
@content_option
def remove(slugs: tuple[str, ...], content_dir: Path) -> None:
    """Take papers off the site, for good: no later import brings them back.

    \b
    Example:
      litdigest remove attention-is-all-you-need

    Each SLUG is a page's file name in content/papers/ without .md. Its page is set aside in
    content/.removed/, it leaves every digest's list, and imports report it as "removed by
    you, not re-added". Deleting a page by hand means the same. `litdigest restore SLUG`
    undoes it.
    """
    from litdigest.importer.removal import remove_papers

    for line in report_errors(lambda: remove_papers(content_dir, list(slugs))):
        click.echo(line)


@main.command()
@click.argument("slugs", nargs=-1, required=True)
@content_option
def restore(slugs: tuple[str, ...], content_dir: Path) -> None:
    """Put papers taken off with `litdigest remove` back on the site.

    \b
    Example:
      litdigest restore attention-is-all-you-need

    The page set aside in content/.removed/ comes back under its slug, into the lists of the
    digests it names. A page deleted by hand has no copy: its removal is forgotten, and the
    next import that lists the paper writes its page anew.
    """
    from litdigest.importer.removal import restore_papers

    for line in report_errors(lambda: restore_papers(content_dir, list(slugs))):
        click.echo(line)


def _checked_title(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.strip() or not value.isprintable():
        raise click.BadParameter(f"{value!r} is not a title: give one line of text")
    return value


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--title", default="Reading notes", show_default=True, callback=_checked_title,
              help="The site's title.")
@click.option("--base-url", default="http://localhost:8000/", show_default=True, metavar="URL",
              callback=_checked_base_url,
              help="Where the site will be published (the Pages workflow gives its own).")
@click.option("--language", type=click.Choice(LANGUAGES), default="both",
              show_default=True, help="The commentary a first-time reader sees.")
def init(folder: Path, title: str, base_url: str, language: str) -> None:
    """Start a new digest site in FOLDER (default: here).

    \b
    Example:
      litdigest init notes --title "Reading notes" --base-url https://me.github.io/notes/

    Writes content/site.yaml, content/README.md (how to paste a first digest), .gitignore,
    requirements.txt and the GitHub Pages workflow, .github/workflows/pages.yml. A file
    already there is kept as it is. The default theme comes with litdigest: a templates/
    folder overrides it file by file.
    """
    from litdigest.new_site import create_site

    files = report_errors(lambda: create_site(folder, title, base_url, language), changes=False)
    for file in files:
        click.echo(f"{'wrote' if file.written else 'kept '} {file.path}"
                   + ("" if file.written else " (it was there already)"))
    where = "" if folder.resolve() == Path.cwd() else f"cd {folder} && "
    click.echo(f"next: paste a digest into content/raw/, then {where}litdigest import "
               "content/raw/*.txt && litdigest serve")


@main.command()
@content_option
@templates_option
@output_option
@base_url_option
@click.option("--fresh", is_flag=True,
              help="Ignore what earlier builds left in .litdigest-cache/ and build everything.")
@click.option("--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes to render with; 0 means one per core.")
def build(content_dir: Path, templates_dir: Path, output_dir: Path, base_url: str | None,
          fresh: bool, jobs: int) -> None:
    """Build the static site from content/ and templates/ into site/.

    \b
    Example:
      litdigest build --output public
      litdigest build --base-url https://user.github.io/notes/

    Only what changed since the last build is done again (the cache is in
    .litdigest-cache/ beside the output). A failed build leaves the previous site/ as it was.
    """
    from litdigest.build.output import SiteChanged
    from litdigest.build.pipeline import BuildResult, Options, build_site
    from litdigest.progress import Progress

    say_if_default_settings(content_dir)
    progress = Progress()

    def build_saying_what_changed() -> BuildResult:
        try:
            return build_site(content_dir, templates_dir, output_dir,
                              Options(fresh=fresh, jobs=jobs, progress=progress,
                                      base_url=base_url))
        except SiteChanged:  # not "nothing was changed": the new site is in place
            progress.done()
            click.echo(f"litdigest: interrupted once the new site was in place: {output_dir} "
                       "is the new site; the next build redoes its cache", err=True)
            sys.exit(130)

    try:
        result = report_errors(build_saying_what_changed)
    finally:
        progress.done()
    click.echo(result.summary())


@main.command()
@content_option
@templates_option
@output_option
@base_url_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Port to listen on (1 to 65535).")
def serve(content_dir: Path, templates_dir: Path, output_dir: Path, base_url: str | None,
          host: str, port: int) -> None:
    """Build, serve site/ locally and rebuild + reload the browser on every change.

    \b
    Example:
      litdigest serve --port 8001
      litdigest serve --base-url https://user.github.io/notes/   # at http://127.0.0.1:8000/notes/

    The site is served under the path of its base URL, as GitHub Pages serves it, and built
    for the preview's address (its links and feeds lead back to the preview); unknown URLs
    get the site's 404 page. Watches content/ and templates/; a change that breaks the build
    is reported and the last good site keeps being served.
    """
    from litdigest.serve.preview import serve_site

    say_if_default_settings(content_dir)
    report_errors(lambda: serve_site(content_dir, templates_dir, output_dir, host, port,
                                     base_url))


@main.command()
@content_option
@output_option
@click.option("--no-site", is_flag=True, help="Check content/ only, not the built site.")
def check(content_dir: Path, output_dir: Path, no_site: bool) -> None:
    """Validate content/ and the built site/; exit 1 on any problem.

    \b
    Example:
      litdigest build && litdigest check

    Checks front matter, duplicate ids and slugs, digests that list unknown papers, and that
    every internal link and asset of site/ resolves; notes the tags without a file in
    content/tags/ (build gives them the default page).
    """
    from litdigest.check.content import check_all

    summary = report_errors(lambda: check_all(content_dir, None if no_site else output_dir),
                            changes=False)
    click.echo(summary)
