"""Take the address serve listens on before anything else, or say in one line why it cannot.

A port in use, a host name that does not resolve or an address that is not this machine's is
found here, before the first build (so nothing has changed when serve refuses) and before
anything is announced. The sockets are bound as the web server binds them (tornado's
`bind_sockets`: every address the host name has) and held until the server listens, so that no
other program takes the port meanwhile. The builder process, forked while they are held, closes
its copies at once: a copy left listening there would keep the server from binding.
"""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass
from typing import Callable, TypeVar

from tornado.netutil import bind_sockets

from litdigest.errors import LitdigestError, Problem

T = TypeVar("T")


@dataclass(frozen=True)
class Reserved:
    """The address serve will listen on, bound and held."""

    host: str
    port: int
    sockets: tuple[socket.socket, ...]

    def release(self) -> None:
        """Let go of the port: the web server binds it next (or the builder drops its copies)."""
        for sock in self.sockets:
            sock.close()


def reserve(host: str, port: int) -> Reserved:
    """Bind `host`:`port` as the web server will; raise LitdigestError saying why it cannot."""
    return Reserved(host, port, tuple(listening(host, port, lambda: bind_sockets(port, host))))


def listening(host: str, port: int, bind: Callable[[], T]) -> T:
    """Run `bind`, turning the system's refusal into the one line a user reads."""
    try:
        return bind()
    except (socket.gaierror, UnicodeError) as err:  # the host name does not resolve
        reason = getattr(err, "strerror", None) or str(err)
        raise LitdigestError(Problem(
            f"--host {host}", None, f"not a host name or address this machine knows ({reason})",
            "give one of its addresses with --host, e.g. 127.0.0.1")) from None
    except OSError as err:
        raise LitdigestError(_refused(host, port, err)) from None


def _refused(host: str, port: int, err: OSError) -> Problem:
    if err.errno == errno.EADDRINUSE:
        return Problem(f"{host}:{port}", None, f"port {port} is in use", "pick another with --port")
    if err.errno == errno.EADDRNOTAVAIL:
        return Problem(f"--host {host}", None, "not an address of this machine",
                       "give one of its addresses with --host, e.g. 127.0.0.1")
    if err.errno in (errno.EACCES, errno.EPERM):
        return Problem(f"{host}:{port}", None,
                       f"not allowed to listen on port {port} (below 1024 needs privileges)",
                       "pick another with --port, e.g. 8000")
    return Problem(f"{host}:{port}", None, f"cannot listen there ({err.strerror or err})",
                   "pick another --host or --port")

