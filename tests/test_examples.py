"""The examples run and print what they promise."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_api_tour_runs() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "api_tour.py")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    lines = proc.stdout.splitlines()
    assert lines[0] == "13 sources, 0 findings"
    assert lines[2] == "refused: @nospeaker, field 'author': a speech needs a speaker (author)"
    assert (
        "Baltic Council for Water Security. (2024, May 6). Council opens consultation on "
        "flood early-warning data [Press release]. "
        "https://www.bcws.example/press/2024-05-06-consultation"
    ) in lines
    assert "(Baltic Council for Water Security [BCWS], 2024; Lindqvist, 2024, para. 3)" in lines
    assert "saved bcws2024c.yaml:" in lines
    assert lines[-1].startswith("check: ") and "findings, first PC401" in lines[-1]
    assert proc.stderr == ""
