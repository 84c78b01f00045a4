"""Start-up: importing policycite loads none of the heavy libraries (issue 17).

Each public name is imported on first use, so a script that needs the model alone, or
``import policycite`` in a notebook, does not pay for citeproc, trafilatura, ftfy,
rapidfuzz or python-docx. (``policycite.cli`` still imports its commands eagerly: the
lazy CLI is issue 17's next step.)
"""

from __future__ import annotations

import json
import subprocess
import sys

import policycite as pc

HEAVY = ("citeproc", "trafilatura", "ftfy", "rapidfuzz", "docx", "lxml", "bibtexparser")


def _modules_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(list(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_import_policycite_loads_no_heavy_library() -> None:
    loaded = _modules_after("import policycite")
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_a_public_name_loads_what_it_needs() -> None:
    loaded = _modules_after("import policycite\npolicycite.Source")
    assert "policycite.model" in loaded
    assert "citeproc" not in loaded


def test_functions_keep_their_names_over_submodules() -> None:
    # policycite.verify and policycite.capture are modules too; importing them must not
    # replace the functions the package exports under those names.
    import policycite.capture.pipeline
    import policycite.verify  # noqa: F401

    assert callable(pc.verify) and pc.verify.__module__ == "policycite.verify"
    assert callable(pc.capture) and pc.capture.__module__ == "policycite.capture.pipeline"
    assert set(pc.__all__) <= set(dir(pc))
