"""The promise of locks for import: two imports on the same `content/` at once — the second is
refused at once, naming the pid of the first, with no traceback and `content/` untouched; a
lock held by a process that died is gone with it. Before, both ran and mixed their writes.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers.commands import litdigest, litdigest_ok
from tests.helpers.paths import RAW, ROOT
from tests.helpers.trees import tree_digest

RAW_FILE = sorted(RAW.glob("*.txt"))[0]

HOLD = """
import sys, time
from pathlib import Path
from litdigest.importer.lock import import_lock
with import_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(120)
"""


def holder(content: Path) -> subprocess.Popen[str]:
    """Another process holding the import lock of `content` the way an import does (it stands
    for an import in the middle of its run; the lock is the real one)."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(content)], cwd=ROOT, text=True,
                               stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_a_second_import_meanwhile_is_refused_naming_the_first(tmp_path: Path, content_copy: Path) -> None:
    first = holder(content_copy)
    try:
        before = tree_digest(content_copy)
        result = litdigest("import", str(RAW_FILE), cwd=tmp_path)
    finally:
        first.kill()
        first.wait()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert (f"error: content: another import is running on this folder (pid {first.pid}) — "
            "wait for it to finish, then import again") in result.stderr
    assert tree_digest(content_copy) == before


def test_the_lock_of_a_killed_import_is_gone_with_it(tmp_path: Path, content_copy: Path) -> None:
    first = holder(content_copy)
    first.send_signal(signal.SIGKILL)
    first.wait()
    litdigest_ok("import", str(RAW_FILE), cwd=tmp_path)


def test_an_import_leaves_no_lock_file_behind(tmp_path: Path, content_copy: Path) -> None:
    before = sorted(p.name for p in content_copy.iterdir())
    litdigest_ok("import", str(RAW_FILE), cwd=tmp_path)
    assert sorted(p.name for p in content_copy.iterdir()) == before
