"""Shared fixtures: paths, the golden-file helper (``--update-golden`` rewrites them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SAMPLE_LIBRARY = ROOT / "references"
DATA = ROOT / "tests" / "data"
#: The bundled styles: policycite's own and the ones checked against citeproc-js.
BUNDLED_STYLES = (
    "apa",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "modern-language-association",
    "harvard-cite-them-right",
    "ieee",
    "policycite-brief",  # the project's own style, from styles/
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write golden files from the current output instead of comparing",
    )


class Golden:
    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, relative: str, actual: str) -> None:
        path = GOLDEN / relative
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"missing golden file {relative}; run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from golden file {relative}"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-golden")))


_LOOPBACK = {"127.0.0.1", "localhost", "::1", None, ""}


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test stays on this machine: name look-ups of other hosts fail at once."""
    import socket

    real = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in _LOOPBACK and not str(name).startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, f"tests stay offline: {name}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)


@pytest.fixture(autouse=True)
def _loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fetches may reach the local test servers (by default loopback is refused).

    Only loopback is opened, as a user would open an intranet's networks; tests of the
    refusal itself take the variable away or narrow it.
    """
    monkeypatch.setenv("POLICYCITE_ALLOW_PRIVATE", "127.0.0.0/8, ::1")


@pytest.fixture(autouse=True)
def _own_cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Library caches go to a temporary folder, never the user's ~/.cache."""
    monkeypatch.setenv("POLICYCITE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
