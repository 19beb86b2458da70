"""Serving over real HTTP on a free loopback port: a folder (at / or under a sub-path, as a
plain host does), or a project through a real `litdigest serve`."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

from tests.helpers.paths import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_folder(folder: Path, prefix: str = "") -> Iterator[str]:
    """Serve a folder on a free loopback port, optionally under a sub-path like GitHub Pages."""
    root = folder
    if prefix:
        root = folder.parent / f"{folder.name}-mount"
        (root / prefix).parent.mkdir(parents=True, exist_ok=True)
        if not (root / prefix).exists():
            os.symlink(folder, root / prefix)
    handler = partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{prefix + '/' if prefix else ''}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class Served:
    """A `litdigest serve` of a project (run in its folder: content/, templates/ if it has them,
    into site/) on `port`, whose stdout and stderr go to files, read at any time."""

    def __init__(self, project: Path, port: int, *args: str) -> None:
        self.project, self.port = project, port
        self.out, self.err = project / "serve.out", project / "serve.err"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), *args],
                cwd=project, stdout=out, stderr=err, text=True)

    def stdout(self) -> str:
        return self.out.read_text()

    def stderr(self) -> str:
        return self.err.read_text()

    def wait_serving(self) -> None:
        assert wait_for(lambda: "serving " in self.stdout()), self.stdout() + self.stderr()

    @property
    def url(self) -> str:
        """The address serve said it serves the site at."""
        found = re.search(r"^serving .* at (\S+) \(", self.stdout(), re.MULTILINE)
        assert found, self.stdout()
        return found.group(1)

    def get(self, target: bytes, method: bytes = b"GET") -> tuple[int, bytes]:
        """The status and the whole answer to `GET target`, sent as raw bytes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(method + b" " + target + b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        status = answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/") else b"0"
        return int(status), answer


def wait_for(predicate: Callable[[], object], seconds: float = 20.0) -> bool:
    """Whether `predicate` comes true within `seconds` (asked every 50 ms)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@contextmanager
def serving(project: Path, *args: str) -> Iterator[Served]:
    """`litdigest serve ARGS…` of `project` until the block ends; yields it once it serves."""
    served = Served(project, free_port(), *args)
    try:
        served.wait_serving()
        yield served
    finally:
        served.process.terminate()
        served.process.wait(timeout=20)
