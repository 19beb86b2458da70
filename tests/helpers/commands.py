"""The real command line, run as a user runs it: `python build.py ARGS…` in a process of its own."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.paths import ROOT


def litdigest_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS…` and fail the test on exit status ≠ 0."""
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"litdigest {' '.join(args)} failed:\n{result.stderr}"
    return result
