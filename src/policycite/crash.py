"""Where an unexpected exception goes: a traceback file and one line for the user.

The CLI's exit codes keep 1 for "problems found" and 2 for input it cannot use; an
exception nobody planned for (a bug) exits 3 with one line that says where its traceback
was saved, so that a script can tell a crash from findings and a report can be filed.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from pathlib import Path


def _folders() -> list[Path]:
    """The user's own cache folder (as the library cache finds it), then the temp folder."""
    base = os.environ.get("POLICYCITE_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("POLICYCITE_CACHE_DIR"):
        root = root / "policycite"
    return [root / "crashes", Path(tempfile.gettempdir())]


def save_traceback(error: BaseException) -> Path | None:
    """Write the traceback of ``error`` to a new private file; its path, or None if none could."""
    text = "".join(traceback.format_exception(error))
    for folder in _folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix="policycite-crash-", suffix=".txt", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError:
            continue
        return Path(name)
    return None


def crash_line(error: BaseException) -> str:
    """The one line printed for an unexpected exception, after saving its traceback."""
    saved = save_traceback(error)
    what = " ".join(f"{type(error).__name__}: {error}".split())[:300]
    where = f"traceback saved to {saved}" if saved else "traceback could not be saved"
    return f"policycite: internal error: {what}; {where}\n"


__all__ = ["crash_line", "save_traceback"]
