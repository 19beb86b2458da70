"""The progress bar: only on a terminal, only after a second, wiped when done."""

from __future__ import annotations

import io

from litdigest.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_when_stderr_is_not_a_terminal() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream=stream, clock=clock)
    progress.stage("rendering pages", 10)
    clock.now = 5.0
    progress.advance(5)
    progress.done()
    assert stream.getvalue() == ""


def test_a_bar_appears_after_a_second_and_is_wiped_at_the_end() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress(stream=stream, clock=clock)
    progress.stage("rendering pages", 200)
    progress.advance(50)
    assert stream.getvalue() == ""  # quick work shows nothing
    clock.now = 1.5
    progress.advance(50)
    drawn = stream.getvalue()
    assert "rendering pages" in drawn and "50%" in drawn and "100/200" in drawn
    progress.done()
    assert stream.getvalue().endswith("\r\033[K")


def test_the_import_and_the_build_stay_quiet_in_a_pipe(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.commands import litdigest

    result = litdigest("build", "--output", str(tmp_path / "site"))
    assert result.returncode == 0
    assert "\r" not in result.stderr and "[#" not in result.stderr
