"""Atomic writes: an import that fails part-way — a disk error, Ctrl-C, SIGTERM, even SIGKILL in
the middle of replacing files — leaves content/ exactly as it was (at once, or for SIGKILL as
soon as the next import starts); a successful one leaves no temporary files behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.commands import litdigest
from tests.helpers.paths import CONTENT, ROOT, TEMPLATES
from tests.helpers.raw_digests import fixture, fixture_names
from tests.helpers.trees import snapshot
from litdigest.content import journal
from litdigest.build.pipeline import build_site
from litdigest.errors import LitdigestError
from litdigest.importer.run import run_import
from litdigest.importer.state import STATE_FILE


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A copy of the committed content/, and raw files whose import replaces pages in it (a
    corrected sample) and adds many new ones (the realistic digests)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    raw = tmp_path / "raw"
    raw.mkdir()
    daily = next((content / "raw").glob("004_*.txt"))
    (raw / daily.name).write_text(daily.read_text("utf-8").replace("#alignment\n", "#alignment #sft\n", 1)
                                  .replace("참 Anthropic스러운", "정말 Anthropic스러운"), encoding="utf-8")
    for name in fixture_names()[:6]:
        shutil.copy(fixture(name), raw / f"{name}.txt")
    return content, sorted(raw.glob("*.txt"))


def expected_after(tmp_path: Path, workspace: tuple[Path, list[Path]]) -> dict[str, bytes]:
    """What a whole, uninterrupted import of the workspace gives (on another copy)."""
    content, raws = workspace
    other = tmp_path / "expected"
    shutil.copytree(content, other)
    run_import(raws, other)
    return snapshot(other)


class WithFault:
    """A stand-in for `real` that first hands the number of the call to `fault` — which may raise
    (a full disk, Ctrl-C) or send a signal — then does what `real` does."""

    def __init__(self, real: Callable[..., None], fault: Callable[[int], None]) -> None:
        self.real, self.fault, self.calls = real, fault, 0

    def __call__(self, *args: Any) -> None:
        self.calls += 1
        self.fault(self.calls)
        self.real(*args)


def failing_replace(after: int, error: BaseException) -> WithFault:
    """os.replace that raises `error` on its call number `after + 1`, once."""

    def fault(call: int) -> None:
        if call == after + 1:
            raise error

    return WithFault(os.replace, fault)


def leftovers(content: Path) -> list[str]:
    return sorted(p.name for p in content.iterdir() if p.name in (journal.STAGING, journal.JOURNAL))


# ---- failures inside the process --------------------------------------------------------------------


def test_the_workspace_import_replaces_and_adds_many_files(tmp_path: Path,
                                                            workspace: tuple[Path, list[Path]]) -> None:
    content, raws = workspace
    before = snapshot(content)
    report = run_import(raws, content)
    changed = [p for p in report.written if p.relative_to(content).as_posix() in before]
    assert len(changed) >= 3 and len(report.written) - len(changed) >= 20


def renames(tmp_path: Path, workspace: tuple[Path, list[Path]]) -> int:
    """How many renames a whole import of the workspace makes: the journal's, then one per file."""
    content, raws = workspace
    other = tmp_path / "count"
    shutil.copytree(content, other)
    return 1 + len(run_import(raws, other).written)


@pytest.mark.parametrize("where", ["journal", "first", "second", "middle", "last"])
@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "ctrl-c"])
def test_a_failure_in_the_middle_of_replacing_leaves_content_as_it_was(
        tmp_path: Path, workspace: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch, where: str,
        error: BaseException) -> None:
    content, raws = workspace
    total = renames(tmp_path, workspace)
    after = {"journal": 0, "first": 1, "second": 2, "middle": total // 2, "last": total - 1}[where]
    before = snapshot(content)
    monkeypatch.setattr(journal.os, "replace", failing_replace(after, error))
    expected = LitdigestError if isinstance(error, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as caught:
        run_import(raws, content)
    if expected is LitdigestError:
        assert "cannot write: No space left on device — nothing was changed" in str(caught.value)
    assert snapshot(content) == before
    assert leftovers(content) == []
    monkeypatch.undo()
    assert run_import(raws, content).recovered is False


def test_a_failure_while_staging_leaves_content_as_it_was(workspace: tuple[Path, list[Path]],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    content, raws = workspace
    before = snapshot(content)

    def full_disk(call: int) -> None:
        if call == 7:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "_write_synced", WithFault(journal._write_synced, full_disk))
    with pytest.raises(LitdigestError, match="No space left on device"):
        run_import(raws, content)
    assert snapshot(content) == before and leftovers(content) == []


def test_a_second_ctrl_c_during_the_rollback_is_ignored(workspace: tuple[Path, list[Path]],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    content, raws = workspace
    before = snapshot(content)

    def impatient(call: int) -> None:
        if call == 10:
            raise KeyboardInterrupt
        if call > 10:  # the rollback: the user presses Ctrl-C again, and again
            os.kill(os.getpid(), signal.SIGINT)

    replace = WithFault(os.replace, impatient)
    monkeypatch.setattr(journal.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        run_import(raws, content)
    assert replace.calls > 11
    assert snapshot(content) == before and leftovers(content) == []


def test_a_rollback_that_cannot_finish_is_finished_by_the_next_run(workspace: tuple[Path, list[Path]],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    content, raws = workspace
    before = snapshot(content)

    def broken_disk(call: int) -> None:
        if call >= 12:  # the disk fails for good, the rollback included
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(journal.os, "replace", WithFault(os.replace, broken_disk))
    with pytest.raises(LitdigestError, match="could not be undone completely"):
        run_import(raws, content)
    assert journal.JOURNAL in leftovers(content)
    monkeypatch.undo()
    assert journal.recover(content) is True
    assert snapshot(content) == before and leftovers(content) == []


def test_a_successful_import_leaves_no_temporary_files(workspace: tuple[Path, list[Path]]) -> None:
    content, raws = workspace
    run_import(raws, content)
    hidden = sorted(p.relative_to(content).as_posix() for p in content.rglob(".*"))
    assert hidden == [STATE_FILE]


def test_a_rollback_can_be_repeated(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    (content / "papers" / "old.md").write_bytes(b"old")
    staging = content / journal.STAGING
    staging.mkdir()
    (staging / "1.new").write_bytes(b"new")
    (staging / "2.new").write_bytes(b"brand new")
    os.link(content / "papers" / "old.md", staging / "1.old")
    plan = journal.Replacement((journal.Entry("papers/old.md", "1.new", "1.old"),
                         journal.Entry("tags/new.md", "2.new", None)), ("tags",))
    (content / "tags").mkdir()
    os.replace(staging / "1.new", content / "papers" / "old.md")
    os.replace(staging / "2.new", content / "tags" / "new.md")
    assert journal.roll_back(content, plan) and journal.roll_back(content, plan)
    assert snapshot(content) == {"papers/old.md": b"old"} and not (content / "tags").exists()


# ---- a real process, really interrupted --------------------------------------------------------------

RUNNER = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, sys.argv[1])
    from litdigest.content import journal
    real, calls = os.replace, [0]
    mode, at = sys.argv[2], int(sys.argv[3])

    def replace(source, target):
        calls[0] += 1
        if calls[0] == at:
            print("replacing", flush=True)
            if mode == "exit":
                os._exit(9)  # as abrupt as SIGKILL: no cleanup of any kind
        if mode != "exit" and calls[0] >= at:
            time.sleep(0.2)
        real(source, target)

    journal.os.replace = replace
    from litdigest.cli import main
    main(sys.argv[4:])
""")


def as_at_a_terminal() -> None:
    """In the child: Ctrl-C works, as at a terminal, even when the tests run as a background job
    (whose children inherit an ignored SIGINT)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_interrupted(tmp_path: Path, workspace: tuple[Path, list[Path]], mode: str, at: int,
                    send: int | None) -> subprocess.CompletedProcess[str]:
    """The CLI import of the workspace in a child process: once it has made `at` renames, it dies
    (mode "exit") or, slowed down, is sent the signal `send`."""
    content, raws = workspace
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    command = [sys.executable, str(runner), str(ROOT), mode, str(at), "import",
               *(str(p) for p in raws), "--content", str(content)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=as_at_a_terminal)
    assert child.stdout is not None
    assert child.stdout.readline() == "replacing\n"
    if send is not None:
        child.send_signal(send)
    out, err = child.communicate(timeout=60)
    return subprocess.CompletedProcess(command, child.returncode, out, err)


@pytest.mark.parametrize("send", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_real_signal_in_the_middle_of_replacing_leaves_content_as_it_was(
        tmp_path: Path, workspace: tuple[Path, list[Path]], send: int) -> None:
    content, _ = workspace
    before = snapshot(content)
    result = run_interrupted(tmp_path, workspace, "slow", 5, send)
    assert result.returncode == 130, result.stderr
    assert "litdigest: interrupted; nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(content) == before and leftovers(content) == []


@pytest.mark.parametrize("mode, send", [("exit", None), ("slow", signal.SIGKILL)], ids=["os._exit", "SIGKILL"])
def test_a_killed_import_is_undone_by_the_next_one(tmp_path: Path, workspace: tuple[Path, list[Path]],
                                                   mode: str, send: int | None) -> None:
    content, raws = workspace
    before = snapshot(content)
    after = expected_after(tmp_path, workspace)
    result = run_interrupted(tmp_path, workspace, mode, 8, send)
    assert result.returncode != 0
    assert journal.JOURNAL in leftovers(content)
    assert snapshot(content) != before  # half-done: exactly what the journal is for
    journal.recover(content)
    assert snapshot(content) == before and leftovers(content) == []
    result = run_interrupted(tmp_path, workspace, mode, 8, send)  # killed again, then a whole run
    report = run_import(raws, content)
    assert report.recovered and report.text().startswith("rolled back an earlier import that was interrupted")
    assert snapshot(content) == after


def test_build_and_check_refuse_what_a_killed_import_left_half_written(
        tmp_path: Path, workspace: tuple[Path, list[Path]]) -> None:
    """They name the journal and change nothing; they never roll back themselves (the import may
    still be running, in another process)."""
    content, raws = workspace
    site = tmp_path / "site"
    build_site(content, TEMPLATES, site)
    built = snapshot(site)
    assert run_interrupted(tmp_path, workspace, "exit", 8, None).returncode != 0
    half = snapshot(content)
    for command in (["build", "--content", str(content), "--templates", str(TEMPLATES),
                     "--output", str(site)],
                    ["check", "--content", str(content), "--no-site"]):
        done = litdigest(*command, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert f"{content / journal.JOURNAL}: an import is under way or was cut short" in done.stderr
        assert "Traceback" not in done.stderr
    assert snapshot(site) == built and snapshot(content) == half
    run_import(raws, content)  # rolls the killed one back, then imports
    assert build_site(content, TEMPLATES, site).papers > 44


def test_imports_killed_at_random_instants_leave_content_as_before_or_after(
        tmp_path: Path, workspace: tuple[Path, list[Path]]) -> None:
    """20 imports killed at random instants (mostly SIGKILL, some SIGINT and SIGTERM; seeded):
    after each, the next import of nothing new sees content/ as it was before or as a whole
    import leaves it — never between — and the last whole import gives the expected bytes with
    no staging folder or journal left."""
    import random
    import time

    content, raws = workspace
    rng = random.Random(7)
    before, after = snapshot(content), expected_after(tmp_path, workspace)
    started = time.monotonic()
    result = litdigest("import", *map(str, raws), "--content", str(tmp_path / "timing"))
    assert result.returncode == 0, result.stderr
    duration = time.monotonic() - started
    started = time.monotonic()
    litdigest("--version")
    startup = 2 * (time.monotonic() - started)  # a Ctrl-C before litdigest runs is Python's own
    cut_short = 0
    for round_number in range(20):
        child = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "import", *map(str, raws),
                                  "--content", str(content)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        sig = rng.choice([signal.SIGKILL] * 3 + [signal.SIGINT, signal.SIGTERM])
        earliest = 0.0 if sig == signal.SIGKILL else startup
        launched = time.monotonic()
        try:  # the signal at a random instant of the import, if it is still running then
            child.wait(timeout=rng.uniform(earliest, max(earliest, duration * 1.2)))
            # It finished first: imports take this long now (the first timing, on a machine
            # busy with other tests, may be far too long), so later rounds aim within it.
            duration = min(duration, time.monotonic() - launched)
        except subprocess.TimeoutExpired:
            child.send_signal(sig)
        _, err = child.communicate(timeout=120)
        assert "Traceback" not in err, f"round {round_number}: {err}"
        cut_short += child.returncode != 0
        journal.recover(content)  # what the next import does first
        assert snapshot(content) in (before, after), f"round {round_number}"
        if snapshot(content) == after:  # start over from the old content for the next round
            shutil.rmtree(content)
            shutil.copytree(CONTENT, content)
    assert cut_short >= 10, "most rounds must really be cut short"
    result = litdigest("import", *map(str, raws), "--content", str(content))
    assert result.returncode == 0, result.stderr
    assert snapshot(content) == after
    assert not (content / journal.STAGING).exists() and not (content / journal.JOURNAL).exists()


def test_a_removal_cut_short_after_the_page_is_deleted_puts_it_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`litdigest remove` deletes through the same journal: interrupted once the page is gone
    (before the journal is dropped), it rolls back and the page is there again."""
    from litdigest.importer.removal import remove_papers

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    before = snapshot(content)
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == journal.JOURNAL and not (content / "papers" / "malleus.md").exists():
            raise KeyboardInterrupt  # the page is deleted: Ctrl-C before the set counts as done
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(KeyboardInterrupt):
        remove_papers(content, ["malleus"])
    monkeypatch.undo()
    assert snapshot(content) == before
    assert leftovers(content) == []
