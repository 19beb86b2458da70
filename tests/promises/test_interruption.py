"""The promise of interruption: Ctrl-C, SIGTERM or SIGKILL at any step of putting a site in place —
the swap of a full build, the renames of an update — leaves the old or the new site whole (for
SIGKILL: once the next build has started, which clears what the killed one left first), says
"nothing was changed" only when that is true, and leaves no litter once the next build ran;
that build gives the bytes of a fresh one.

The faults are real signals sent by a build in a process of its own to itself at step N of
build/output.py (a rename, an exchange, a folder deleted), as tests/test_import_atomic.py does
for the import; a randomized test kills builds of a generated corpus at random instants.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers.commands import fresh_site, litdigest_ok
from tests.helpers.corpus import write_corpus
from tests.helpers.paths import CONTENT, ROOT, TEMPLATES
from tests.helpers.trees import snapshot

# A build (the real command line) whose build/output.py steps — os.replace, the atomic exchange,
# shutil.rmtree — are counted; at step FAULT_STEP it sends itself FAULT_SIGNAL, before or after
# the step. With FAULT_AT set instead, it sends it on entering that function of output.py (at
# its call number FAULT_AT_CALL).
# It prints the number of steps it made when it leaves.
FAULTY_BUILD = textwrap.dedent("""
    import atexit, os, shutil, signal, sys, types
    sys.path.insert(0, {root!r})
    from litdigest.build import output

    step, when, number = int(os.environ.get("FAULT_STEP", "0")), os.environ.get("FAULT_WHEN"), 0
    sig = int(os.environ.get("FAULT_SIGNAL", "9"))

    def counted(real):
        def step_of_output(*args, **kwargs):
            global number
            number += 1
            if number == step and when == "before":
                os.kill(os.getpid(), sig)
            result = real(*args, **kwargs)
            if number == step and when == "after":
                os.kill(os.getpid(), sig)
            return result
        return step_of_output

    output.os = types.SimpleNamespace(**{{k: getattr(os, k) for k in dir(os)}})
    output.os.replace = counted(os.replace)
    output.shutil = types.SimpleNamespace(**{{k: getattr(shutil, k) for k in dir(shutil)}})
    output.shutil.rmtree = counted(shutil.rmtree)
    if os.environ.get("NO_EXCHANGE"):
        output._exchange = lambda a, b: False
    if hasattr(output, "_exchange"):
        output._exchange = counted(output._exchange)
    if os.environ.get("FAULT_AT"):
        name = os.environ["FAULT_AT"]
        real, calls = getattr(output, name), [0]
        def fault_on_entry(*args, real=real):
            calls[0] += 1
            if calls[0] == int(os.environ.get("FAULT_AT_CALL", "1")):
                os.kill(os.getpid(), sig)
            return real(*args)
        setattr(output, name, fault_on_entry)
    atexit.register(lambda: sys.stderr.write(f"steps: {{number}}\\n"))
    from litdigest.cli import run
    sys.argv[0] = "litdigest"
    run()
""").format(root=str(ROOT))

SIGNALS = {"sigint": signal.SIGINT, "sigterm": signal.SIGTERM, "sigkill": signal.SIGKILL}


def faulty_build(project: Path, *args: str, **faults: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **faults}
    return subprocess.run([sys.executable, "-c", FAULTY_BUILD, "build", *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)


def steps_of(project: Path, *args: str, **faults: str) -> tuple[int, str]:
    """How many steps a whole build with these arguments makes, and what it printed."""
    result = faulty_build(project, *args, **faults)
    assert result.returncode == 0, result.stderr
    return int(result.stderr.rsplit("steps: ", 1)[1].split()[0]), result.stdout


def litter(project: Path, site: str = "site") -> list[str]:
    """What builds left that is neither the site, its cache nor its lock."""
    beside = [p.name for p in project.iterdir() if p.name.startswith(f".{site}.")]
    inside = [p.relative_to(project).as_posix() for p in (project / site).rglob("*.litdigest-new")]
    return sorted(beside + inside)


def built_project(folder: Path) -> Path:
    """The example content and templates in `folder`, built once (the old site)."""
    shutil.copytree(CONTENT, folder / "content")
    shutil.copytree(TEMPLATES, folder / "templates")
    litdigest_ok("build", cwd=folder)
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return built_project(tmp_path / "project")


def edit(project: Path) -> None:
    """A change that rewrites a handful of pages and adds an asset: an update's renames."""
    papers = sorted((project / "content" / "papers").glob("*.md"))
    first = papers[0]
    first.write_text(first.read_text("utf-8").replace("\n---\n", "\n---\nAn added line.\n\n", 1),
                     encoding="utf-8")
    (project / "templates" / "static" / "added.txt").write_text("new asset\n", encoding="utf-8")


def edited_project(folder: Path) -> Path:
    """A built project, then edited: its next build replaces or updates the site."""
    project = built_project(folder)
    edit(project)
    return project


def fault_points(total: int) -> list[tuple[str, int]]:
    return [("before", n) for n in range(1, total + 1)] + [("after", total)]


def assert_old_or_new_then_recovered(project: Path, result: subprocess.CompletedProcess[str],
                                     old: dict[str, bytes], new: dict[str, bytes], signame: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    if signame != "sigkill":
        assert result.returncode == 130, result.stderr
        now = snapshot(project / "site")
        assert now in (old, new), "the site is neither the old one nor the new one"
        assert ("nothing was changed" in result.stderr) == (now == old), result.stderr
        if now == new:
            assert "is the new site" in result.stderr
        assert litter(project) == []
    after = litdigest_ok("build", cwd=project)
    assert "Traceback" not in after.stderr
    assert snapshot(project / "site") == new
    assert litter(project) == []


def run_every_fault(tmp_path: Path, signame: str, args: tuple[str, ...], flags: dict[str, str],
                    steps: int | None = None) -> None:
    """Build an edited project, killed by `signame` at every step in turn, each on a new copy."""
    old = snapshot(built_project(tmp_path / "old") / "site")
    counted = edited_project(tmp_path / "count")
    new = fresh_site(counted)
    total, printed = steps_of(counted, *args, **flags)
    if steps is not None:
        assert total == steps
    else:
        assert "files rewritten" in printed and total >= 4  # an update: the journal, the renames
    for number, (when, step) in enumerate(fault_points(total)):
        project = edited_project(tmp_path / f"fault-{number}")
        result = faulty_build(project, *args, FAULT_STEP=str(step), FAULT_WHEN=when,
                              FAULT_SIGNAL=str(int(SIGNALS[signame])), **flags)
        assert_old_or_new_then_recovered(project, result, old, new, signame)
        shutil.rmtree(project)


@pytest.mark.parametrize("signame", SIGNALS)
@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_signal_at_any_step_of_the_swap_leaves_the_old_or_the_new_site(
        tmp_path: Path, signame: str, exchange: bool) -> None:
    # steps: staging cleared, the exchange (only tried, for two renames), the renames, old deleted
    run_every_fault(tmp_path, signame, ("--fresh",), {} if exchange else {"NO_EXCHANGE": "1"},
                    steps=4 if exchange else 5)


@pytest.mark.parametrize("signame", SIGNALS)
def test_a_signal_at_any_step_of_an_update_leaves_the_old_or_the_new_site(
        tmp_path: Path, signame: str) -> None:
    run_every_fault(tmp_path, signame, (), {})


def test_ctrl_c_between_the_two_renames_of_the_swap_still_leaves_a_site(project: Path) -> None:
    edit(project)
    new = fresh_site(project)
    result = faulty_build(project, "--fresh", FAULT_STEP="2", FAULT_WHEN="before",
                          FAULT_SIGNAL=str(int(signal.SIGINT)), NO_EXCHANGE="1")
    assert result.returncode == 130 and "nothing was changed" not in result.stderr, result.stderr
    assert snapshot(project / "site") == new and litter(project) == []


def test_an_update_killed_before_its_renames_leaves_no_temporary_files_after_a_reverted_edit(
        project: Path) -> None:
    paper = sorted((project / "content" / "papers").glob("*.md"))[0]
    original = paper.read_bytes()
    old = snapshot(project / "site")
    paper.write_text(original.decode("utf-8").replace("\n---\n", "\n---\nMore.\n\n", 1), encoding="utf-8")
    # killed while writing its temporary files, before the cache is told anything
    result = faulty_build(project, "--jobs", "1", FAULT_AT="_write_file", FAULT_AT_CALL="2",
                          FAULT_SIGNAL=str(int(signal.SIGKILL)))
    assert result.returncode == -signal.SIGKILL
    assert any(project.joinpath("site").rglob("*.litdigest-new"))
    paper.write_bytes(original)
    litdigest_ok("build", cwd=project)
    assert snapshot(project / "site") == old and litter(project) == []


def test_a_killed_full_build_leaves_no_staging_folder_after_the_next(project: Path) -> None:
    old = snapshot(project / "site")
    result = faulty_build(project, "--fresh", FAULT_AT="swap_into_place",
                          FAULT_SIGNAL=str(int(signal.SIGKILL)))
    assert result.returncode == -signal.SIGKILL
    assert [p.name for p in project.iterdir() if ".staging-" in p.name]
    assert snapshot(project / "site") == old
    litdigest_ok("build", cwd=project)
    assert snapshot(project / "site") == old and litter(project) == []


def test_ctrl_c_before_the_swap_says_nothing_was_changed_and_means_it(project: Path) -> None:
    old = snapshot(project / "site")
    edit(project)
    result = faulty_build(project, "--fresh", "--jobs", "1", FAULT_AT="_write_file",
                          FAULT_AT_CALL="3", FAULT_SIGNAL=str(int(signal.SIGINT)))
    assert result.returncode == 130 and "nothing was changed" in result.stderr, result.stderr
    assert snapshot(project / "site") == old and litter(project) == []


# ---- randomized: real builds killed at random instants ---------------------------------------------


def test_builds_killed_at_random_instants_never_leave_a_broken_site(tmp_path: Path) -> None:
    """30 builds of 300 generated papers — full, updates, one process or two — each killed at a
    random instant (mostly SIGKILL, to the build or to its whole process group; some SIGINT and
    SIGTERM); then one build gives the bytes of a fresh build, with no litter. Seeded."""
    rng = random.Random(11)
    project = tmp_path / "project"
    write_corpus(project / "content", papers=300, seed=11)
    shutil.copytree(TEMPLATES, project / "templates")
    started = time.monotonic()
    litdigest_ok("build", cwd=project)
    duration = time.monotonic() - started
    started = time.monotonic()
    litdigest_ok("--version")
    startup = 2 * (time.monotonic() - started)
    papers = sorted((project / "content" / "papers").glob("*.md"))
    originals = {p: p.read_bytes() for p in papers}
    for round_number in range(30):
        if rng.random() < 0.6:  # an edit (or its undoing): the next build is an update
            paper = rng.choice(papers)
            paper.write_bytes(originals[paper] if paper.read_bytes() != originals[paper]
                              else originals[paper].replace(b"\n---\n", b"\n---\nEdited.\n\n", 1))
        args = ["build", "--jobs", rng.choice(["1", "2"])] + (["--fresh"] if rng.random() < 0.3 else [])
        child = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], cwd=project,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
        sig = rng.choice([signal.SIGKILL] * 4 + [signal.SIGINT, signal.SIGTERM])
        # SIGKILL at any instant; Ctrl-C and SIGTERM once Python has started (a Ctrl-C during
        # Python's own start-up, before litdigest runs, is reported by Python itself)
        earliest = 0.0 if sig == signal.SIGKILL else startup
        time.sleep(rng.uniform(earliest, max(earliest, duration * 1.2)))
        try:
            if rng.random() < 0.5:
                os.killpg(child.pid, sig)
            else:
                os.kill(child.pid, sig)
        except ProcessLookupError:
            pass
        _, err = child.communicate(timeout=120)
        assert "Traceback" not in err, f"round {round_number}: {err}"
    litdigest_ok("build", cwd=project)
    assert snapshot(project / "site") == fresh_site(project)
    assert litter(project) == []
