"""The builder: a process of one thread that owns the preview and does every build for serve.

A build forks: its render workers and the copy that writes the cache (build/parallel.py). A
process that runs threads must not fork (a lock another thread holds is copied held, and the
child may wait for it forever; Python 3.12 warns of it), and serve's own process runs threads:
the watcher's, watchfiles' and the web server's. So serve forks the builder first, before any
thread exists. The builder makes the first build, then waits for each settled burst of changes,
rebuilds, and answers whether files were written (the server then reloads the browser); its
state stays in its memory from one build to the next, and what it prints goes to the same
terminal as ever. When serve's end of the pipe closes (Ctrl-C, or serve killed), the builder
finishes the build it is on, waits for its cache-writing copy, and leaves.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe
from typing import TYPE_CHECKING, Callable, NoReturn

from litdigest.errors import LitdigestError, Problem
from litdigest.serve.watch import Changes

if TYPE_CHECKING:
    from litdigest.serve.preview import Preview


@dataclass(frozen=True)
class _Started:
    """The builder's first answer: the first build's problems, none if it succeeded."""

    problems: tuple[Problem, ...]


class Builder:
    """Serve's handle on the builder process."""

    def __init__(self, pid: int, connection: Connection) -> None:
        self.pid, self.connection = pid, connection
        self.lost = False  # the builder left while serve still ran

    @classmethod
    def fork(cls, preview: Preview, drop: Callable[[], None] = lambda: None) -> Builder:
        """Start the builder with `preview`, which it makes its first build of; it calls `drop`
        first, to close what it must not hold (the reserved port). Call it before any thread is
        started."""
        ours, theirs = Pipe()
        sys.stdout.flush()  # else the builder would print again what is still buffered
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            ours.close()
            drop()
            _build_on_request(preview, theirs)
        theirs.close()
        return cls(pid, ours)

    def wait_started(self) -> None:
        """Wait for the first build; raise its problems (LitdigestError) as build_site does."""
        try:
            started: _Started = self.connection.recv()
        except KeyboardInterrupt:  # the builder stops its first build too: wait for it
            self.stop()
            raise
        except EOFError:
            self.stop()
            raise SystemExit("litdigest: the first build stopped unexpectedly") from None
        if started.problems:
            self.stop()
            raise LitdigestError(list(started.problems))

    def rebuild(self, changed: Changes) -> bool:
        """Rebuild after `changed`: were files written? (Raises EOFError or OSError if the
        builder is gone.)"""
        self.connection.send(changed)
        written: bool = self.connection.recv()
        return written

    def stop(self) -> None:
        """Close the pipe and wait for the builder to finish and leave."""
        self.connection.close()
        os.waitpid(self.pid, 0)


def _build_on_request(preview: Preview, connection: Connection) -> NoReturn:
    """The builder's whole life: never returns."""
    code = 0
    try:
        connection.send(_first_build(preview))
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # from now on a Ctrl-C stops serve, which
        # then closes the pipe: the builder finishes the build it is on, and leaves
        while True:
            try:
                changed = connection.recv()
            except (EOFError, ConnectionError):  # serve has stopped
                return
            preview.rebuild(changed, connection.send)
    except KeyboardInterrupt:  # in the first build, which stops as `litdigest build` does
        code = 130
    except ConnectionError:  # serve has stopped while the builder was answering
        pass
    except BaseException:  # noqa: BLE001 - a bug: say where, and let serve see the pipe close
        traceback.print_exc()
        code = 1
    finally:
        preview.writer.finish()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _first_build(preview: Preview) -> _Started:
    try:
        preview.start()
    except LitdigestError as err:
        return _Started(tuple(err.problems))
    return _Started(())
