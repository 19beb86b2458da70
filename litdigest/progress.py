"""A progress bar on stderr for work that lasts more than a second, drawn only on a terminal.

Work reports stages (`stage(label, total)`) and steps (`advance(n)`); nothing is drawn until a
second has passed since the bar was made, nor more often than ten times a second, nor ever when
stderr is not a terminal (pipes, CI logs and tests see no bar at all). `done()` wipes the line.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, Iterable, Iterator, TextIO, TypeVar

T = TypeVar("T")

DELAY = 1.0  # seconds of work before a bar appears
REDRAW = 0.1  # seconds between redraws
WIDTH = 28  # characters of bar


class Progress:
    """One bar for one command; the current stage's label, its share done, and a count."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.clock = clock
        self.started = clock()
        self.drawn_at = 0.0
        self.shown = False
        self.label = ""
        self.total = 0
        self.count = 0

    def stage(self, label: str, total: int) -> None:
        self.label, self.total, self.count = label, max(total, 0), 0
        self._maybe_draw()

    def advance(self, steps: int = 1) -> None:
        self.count = min(self.count + steps, self.total)
        self._maybe_draw()

    def track(self, items: Iterable[T], label: str, total: int) -> Iterator[T]:
        """Yield the items, advancing one step for each."""
        self.stage(label, total)
        for item in items:
            yield item
            self.advance()

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False

    def line(self) -> str:
        """The bar as it would be drawn now."""
        share = self.count / self.total if self.total else 1.0
        filled = int(share * WIDTH)
        bar = "#" * filled + "-" * (WIDTH - filled)
        return f"{self.label:<18} [{bar}] {share:4.0%} {self.count}/{self.total}"

    def _maybe_draw(self) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < DELAY or now - self.drawn_at < REDRAW:
            return
        self.drawn_at = now
        self.shown = True
        self.stream.write("\r" + self.line() + "\033[K")
        self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def silent() -> Progress:
    """A bar that never draws: for library calls, tests and `serve`'s rebuilds."""
    return Progress(enabled=False)
