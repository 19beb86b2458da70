"""The real command line, run as a user runs it: `python build.py ARGS…` in a process of its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.helpers.paths import ROOT


def litdigest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS…` in `cwd`, whatever its exit status; output as text."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True)


def litdigest_ok(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS…` and fail the test on exit status ≠ 0."""
    result = litdigest(*args, cwd=cwd)
    assert result.returncode == 0, f"litdigest {' '.join(args)} failed:\n{result.stderr}"
    return result


def fresh_site(project: Path) -> dict[str, bytes]:
    """The bytes of a fresh build of a project (its content/ and templates/, if any, as they are now),
    made in another folder beside it: what any build of the project must end up as."""
    from tests.helpers.trees import snapshot

    other = Path(tempfile.mkdtemp(prefix="fresh-", dir=project.parent))
    shutil.copytree(project / "content", other / "content")
    if (project / "templates").is_dir():
        shutil.copytree(project / "templates", other / "templates")
    litdigest_ok("build", "--jobs", "1", cwd=other)
    site = snapshot(other / "site")
    shutil.rmtree(other)
    return site
