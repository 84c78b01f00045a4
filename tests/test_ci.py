"""CI: the pre-commit hook, ``check`` over several briefs, the GitHub Actions workflow.

The hook is checked by pre-commit itself: its manifest loaded with pre-commit's own
schema, and run by ``pre-commit run`` in a scratch git repository (as a ``local`` hook
with the manifest's definition, so that no package index is needed; ``try-repo``, which
pip-installs policycite into a fresh virtualenv, needs one).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from policycite.cli import main

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "check"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
WORKFLOW = ROOT / "examples" / "ci" / "github-actions.yml"
USER_CONFIG = ROOT / "examples" / "ci" / "pre-commit-config.yaml"


def _pre_commit() -> Any:
    try:
        import pre_commit.clientlib as clientlib
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("pre-commit is not installed (it is in the test extras)")
        pytest.skip("pre-commit is not installed")
    return clientlib


def _hook() -> dict[str, Any]:
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    return dict(hook)


# --- the hook's definition ------------------------------------------------------------


def test_manifest_is_valid_for_pre_commit() -> None:
    clientlib = _pre_commit()
    (hook,) = clientlib.load_manifest(str(HOOKS))  # raises InvalidManifestError if not
    assert hook["id"] == "policycite-check"
    assert hook["entry"] == "policycite check"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True and hook["pass_filenames"] is True
    assert hook["types"] == ["file"]


def test_users_config_is_valid_for_pre_commit() -> None:
    clientlib = _pre_commit()
    config = clientlib.load_config(str(USER_CONFIG))
    ((hook,),) = [repo["hooks"] for repo in config["repos"]]
    assert hook["id"] == "policycite-check"
    assert hook["args"] == ["--fail-on", "error"]


@pytest.mark.parametrize(
    ("path", "selected"),
    [
        ("brief.md", True),
        ("briefs/2024/water.markdown", True),
        ("briefs/speech.tex", True),
        ("briefs/Press Review.docx", True),
        ("briefs/page.html", True),
        ("briefs/page.htm", True),
        ("notes.txt", False),  # text files are not all briefs: select them in the config
        ("references/valk2023.yaml", False),
        ("figure.png", False),
        ("brief.references.md", False),  # what check --fix writes
        ("brief.references.docx", False),
        ("brief.checked.docx", False),  # what check --annotate writes
        ("brief.md.orig", False),
    ],
)
def test_files_the_hook_selects(path: str, selected: bool) -> None:
    hook = _hook()
    # pre-commit's rule: re.search of `files`, and not re.search of `exclude`.
    chosen = bool(re.search(hook["files"], path)) and not re.search(hook["exclude"], path)
    assert chosen is selected


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.org", "-c", "user.name=CI", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def test_pre_commit_runs_the_hook_on_the_staged_briefs(tmp_path: Path) -> None:
    _pre_commit()
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "briefs").mkdir(parents=True)
    shutil.copytree(EXAMPLE / "references", repo / "references")
    shutil.copy(EXAMPLE / "brief.md", repo / "briefs" / "ports.md")
    (repo / "briefs" / "clean.md").write_text(
        "# Note\n\nThe minister spoke of shared rules (Valk, 2023).\n\n## References\n\n"
        + (EXAMPLE / "brief.md").read_text(encoding="utf-8").split("## References\n\n")[1][:249]
        + "\n",
        encoding="utf-8",
    )
    (repo / "notes.txt").write_text("not a brief\n", encoding="utf-8")
    # The manifest's hook as a local one: the same entry, files, exclude, serial run;
    # `language: system` runs it with this interpreter instead of a fresh virtualenv.
    hook = {**_hook(), "language": "system"}
    hook["entry"] = f"{sys.executable} -m policycite.cli check"
    hook.pop("minimum_pre_commit_version")
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PRE_COMMIT_HOME=str(tmp_path / "home"))
    env.pop("PRE_COMMIT", None)
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # the hook failed: findings
    out = done.stdout
    assert "policycite check" in out and "Failed" in out
    # Both briefs in one run, in order, each labelled; notes.txt was not passed.
    assert out.index("==> briefs/clean.md <==") < out.index("==> briefs/ports.md <==")
    assert "notes.txt" not in out
    assert "3 errors, 11 warnings, 3 notes in briefs/ports.md" in out


# --- check over several briefs --------------------------------------------------------


@pytest.fixture
def briefs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(EXAMPLE / "references", tmp_path / "references")
    shutil.copy(EXAMPLE / "brief.md", tmp_path / "a.md")
    shutil.copy(EXAMPLE / "brief.md", tmp_path / "b.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_several_briefs_are_labelled_in_order(
    briefs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "a.md"]) == 1
    one = capsys.readouterr().out
    assert not one.startswith("==>")  # one brief: the report as it always was
    assert main(["check", "a.md", "b.md"]) == 1
    both = capsys.readouterr().out
    assert both == f"==> a.md <==\n{one}\n==> b.md <==\n{one.replace('in a.md', 'in b.md')}"


def test_an_unreadable_brief_among_several_exits_2_after_checking_the_rest(
    briefs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "missing.md", "a.md", "--fail-on", "never"]) == 2
    out, err = capsys.readouterr()
    assert "policycite: error: missing.md: no such file\n" in err
    assert out.startswith("==> a.md <==\n") and "in a.md" in out


def test_worst_status_wins(briefs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (briefs / "fine.md").write_text(
        "# Note\n\nNo citations here.\n\n## References\n\n", encoding="utf-8"
    )
    assert main(["check", "fine.md", "--select", "PC201"]) == 0
    assert main(["check", "fine.md", "a.md", "--select", "PC201"]) == 1
    capsys.readouterr()


def test_several_briefs_make_one_sarif_run(
    briefs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_output import validate_sarif

    assert main(["check", "a.md", "b.md", "--format", "sarif", "--fail-on", "never"]) == 0
    log = json.loads(capsys.readouterr().out)
    validate_sarif(log)
    (run,) = log["runs"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert {u["uri"] for u in uris} == {"a.md", "b.md"}
    assert {u["uriBaseId"] for u in uris} == {"%SRCROOT%"}
    assert len(run["results"]) == 2 * 17
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["helpUri"].startswith("https://")
        assert rule["help"]["markdown"].startswith(f"**{rule['id']} {rule['name']}**")
        assert "security-severity" not in rule["properties"]


def test_sarif_paths_count_from_the_repository_root(
    briefs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (briefs / ".git").mkdir()  # a work tree's top
    (briefs / "docs").mkdir()
    shutil.move(briefs / "a.md", briefs / "docs" / "a.md")
    monkeypatch.chdir(briefs / "docs")  # run from a subfolder
    main(["check", "a.md", "-l", "../references", "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    first = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"] == {"uri": "docs/a.md", "uriBaseId": "%SRCROOT%"}


@pytest.mark.parametrize("form", ["json", "html"])
def test_one_brief_formats_refuse_several(
    briefs: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "a.md", "b.md", "--format", form]) == 2
    assert capsys.readouterr().err == (
        f"policycite: error: check: --format {form} reports on one brief; give one, or use "
        "text or sarif\n"
    )


# --- the GitHub Actions workflow ------------------------------------------------------


def test_workflow_uploads_the_sarif_even_when_findings() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"push", "pull_request"}
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/checkout@") and uses[1].startswith("actions/setup-python@")
    (install,) = [s for s in steps if s.get("run", "").startswith("pip install")]
    assert install["run"] == "pip install policycite"
    (run,) = [s for s in steps if "policycite check" in s.get("run", "")]
    words = run["run"].split()
    assert words[words.index("--format") + 1] == "sarif"
    assert words[words.index("-o") + 1] == "policycite.sarif"
    assert words[words.index("--fail-on") + 1] == "never" or run.get("continue-on-error")
    upload = steps[-1]
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["if"] == "always()"
    assert upload["with"] == {"sarif_file": "policycite.sarif", "category": "policycite"}
    assert steps.index(run) < steps.index(upload)


def test_workflows_check_command_works_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_output import validate_sarif

    (run,) = [
        s["run"]
        for s in yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["check"]["steps"]
        if "policycite check" in s.get("run", "")
    ]
    (tmp_path / "briefs").mkdir()
    shutil.copy(EXAMPLE / "brief.md", tmp_path / "briefs" / "ports.md")
    shutil.copytree(EXAMPLE / "references", tmp_path / "references")
    monkeypatch.chdir(tmp_path)
    words = run.split()
    assert words[:2] == ["policycite", "check"] and words[2] == "briefs/*.md"
    expanded = [str(p.relative_to(tmp_path)) for p in sorted(tmp_path.glob(words[2]))]
    assert main([words[1], *expanded, *words[3:]]) == 0  # findings, and still status 0
    log = json.loads((tmp_path / "policycite.sarif").read_text(encoding="utf-8"))
    validate_sarif(log)
    assert len(log["runs"][0]["results"]) == 17
    # Code scanning's limits: 10 MB (compressed) per upload, 25,000 results per run.
    assert len(json.dumps(log)) < 10 * 2**20
