"""How a command's failure reaches the person who ran it: a problem in their input as
`path:line: message` lines (exit 1), a failing disk as one such line, Ctrl-C as one line (exit
130), and anything else as a bug of litdigest's, said so in one line, its traceback saved."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import traceback
from typing import Callable, TypeVar

import click

from litdigest.errors import LitdigestError, Problem

T = TypeVar("T")


# A bug exits 70, EX_SOFTWARE of sysexits.h ("internal software error"): distinct from 1, a
# mistake in the user's input, and from 2, which click uses for a mistake on the command line.
BUG_EXIT = 70
DEBUG_VARIABLE = "LITDIGEST_DEBUG"
_CANNOT_WRITE = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM}


def report_errors(action: Callable[[], T], changes: bool = True) -> T:
    """The one gate every command runs through: a user's mistake becomes `path:line: message`
    lines and exit status 1; a failing disk (full, read-only) one such line too; Ctrl-C exit 130;
    anything else is a bug in litdigest, said so in one line, exit BUG_EXIT."""
    try:
        return action()
    except LitdigestError as err:
        for problem in err.problems:
            click.echo(f"error: {problem}", err=True)
        count = len(err.problems)
        tail = "; nothing was changed" if changes else ""
        click.echo(f"litdigest: {count} problem{'s' if count != 1 else ''}{tail}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("litdigest: interrupted; nothing was changed", err=True)
        sys.exit(130)
    except OSError as err:
        click.echo(f"error: {system_problem(err)}", err=True)
        click.echo("litdigest: 1 problem", err=True)
        sys.exit(1)
    except Exception as err:  # noqa: BLE001 - the gate: whatever is left is a bug of ours
        sys.exit(report_bug(err))


def system_problem(err: OSError) -> Problem:
    """A failure of the system under us (disk full, read-only, permissions) as a user's problem."""
    where = str(err.filename or "a file litdigest was writing")
    reason = err.strerror or str(err)
    if err.errno in _CANNOT_WRITE:
        return Problem(where, None, f"cannot write: {reason}",
                       "free some space or make it writable, then run the command again")
    return Problem(where, None, f"cannot read or write: {reason}",
                   "check the disk and the path, then run the command again")


def report_bug(err: BaseException) -> int:
    """Say, in one line, that `err` is a bug in litdigest and where its traceback went (a file,
    or the screen with LITDIGEST_DEBUG=1); return the exit status."""
    details = "".join(traceback.format_exception(type(err), err, err.__traceback__))
    where = _save_traceback(details)
    if os.environ.get(DEBUG_VARIABLE) == "1" or where is None:
        click.echo(details, err=True, nl=False)
        where = where or "shown above"
    summary = f"{type(err).__name__}: {err}".splitlines()[0][:200]
    click.echo(f"litdigest: this is a bug in litdigest ({summary}), not a mistake of yours — please "
               f"report it with the command you ran; the traceback is in {where}", err=True)
    return BUG_EXIT


def _save_traceback(details: str) -> str | None:
    try:
        handle, name = tempfile.mkstemp(prefix="litdigest-bug-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(details)
    except OSError:
        return None
    return name
