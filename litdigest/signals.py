"""What a stop signal (Ctrl-C's SIGINT, SIGTERM, SIGHUP) does while litdigest replaces files:
interrupt like Ctrl-C (so the work is rolled back), be ignored (while a rollback runs), or be held
back until a block is done (while a new site is put in place). The import's journal and the
build's output both use these, so a stop means the same to each."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Any, Iterator
_STOPPING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def stops_interrupt() -> Iterator[None]:
    """While files are being replaced, SIGTERM and SIGHUP interrupt like Ctrl-C does, so the
    replacement is rolled back rather than left half-done (main thread only)."""
    with _handlers({s: _interrupt for s in _STOPPING if s != signal.SIGINT}):
        yield


@contextmanager
def stops_ignored() -> Iterator[None]:
    """While a rollback runs, a second Ctrl-C or SIGTERM must not cut it short."""
    with _handlers({s: signal.SIG_IGN for s in _STOPPING}):
        yield


@contextmanager
def _handlers(wanted: dict[int, Any]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, handler) for s, handler in wanted.items()}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)


@contextmanager
def stops_held_back() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait until the block is done, then take effect (any thread)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
