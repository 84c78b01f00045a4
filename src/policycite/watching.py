"""``policycite check --watch``: check again whenever a brief, its library or settings change.

What is watched is what the check reads: each brief (through its folder, because editors
save by writing a new file and renaming it over the old one), the library it is checked
against (``--library``, else the bibliography the brief names, else ``./references``:
records and snapshots, recursively) and the settings file (``policycite.toml`` or a
``pyproject.toml``). The set is worked out again after every check, so a brief that
starts naming another bibliography is followed there.

File events come from watchfiles (inotify, FSEvents, ReadDirectoryChangesW through the
Rust ``notify`` crate), debounced: an editor's burst of writes is one change. A check
that fails (the brief is unreadable for a moment, half-saved, or deleted) prints its
one-line error and the watch goes on; Ctrl-C ends it with status 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from policycite.config import CONFIG_NAMES, find_config
from policycite.crash import crash_line
from policycite.errors import PolicyciteError
from policycite.library import DEFAULT_FOLDER

#: Milliseconds of quiet after a change before checking again.
DEBOUNCE_MS = 300
#: Clears a terminal and puts the cursor home, before each new report.
CLEAR = "\x1b[2J\x1b[H"


def watched(briefs: Iterable[Path], library: Path | None) -> tuple[set[Path], set[Path]]:
    """The files and the folders a check of ``briefs`` reads: (files, recursive folders).

    A file's folder is watched for it (its events filtered by name); a library folder
    with everything below it.
    """
    from policycite.brief.readers import read_brief
    from policycite.rules.inputs import named_bibliography

    files: set[Path] = set()
    folders: set[Path] = set()
    for brief in briefs:
        files.add(brief.resolve())
        named: tuple[Path, ...] = ()
        if library is None:
            try:  # the bibliography the brief names; an unreadable brief names none yet
                named = named_bibliography(read_brief(brief))
            except (PolicyciteError, OSError):
                named = ()
        for path in (library,) if library is not None else named or (DEFAULT_FOLDER,):
            if path.is_dir():
                folders.add(path.resolve())
            else:
                files.add(path.resolve())
        config = find_config(brief)
        if config is not None:
            files.add(config.resolve())
        else:  # one may be created beside the brief
            files.update(brief.resolve().parent / name for name in CONFIG_NAMES)
    return files, folders


def _roots(files: set[Path], folders: set[Path]) -> list[Path]:
    """The folders to ask the OS about: the library folders and each file's folder."""
    roots = set(folders)
    for path in files:
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent  # a file not there yet: the nearest folder that is
        roots.add(parent)
    return sorted(roots)


def _relevant(files: set[Path], folders: set[Path]) -> Callable[[object, str], bool]:
    from watchfiles import DefaultFilter

    ignored = DefaultFilter()  # editors' swap and backup files, .git, caches

    def keep(change: object, path: str) -> bool:
        if not ignored(change, path):  # type: ignore[arg-type]
            return False
        where = Path(path)
        return where in files or any(where.is_relative_to(f) for f in folders)

    return keep


def _say(error: BaseException) -> None:
    """One line for a check that could not run, as the CLI says it."""
    if isinstance(error, PolicyciteError):
        sys.stderr.write(f"policycite: error: {error}\n")
    elif isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        sys.stderr.write(f"policycite: error: {where}{error.strerror or error}\n")
    else:  # a bug: the traceback is saved, the watch goes on
        sys.stderr.write(crash_line(error))


def watch_check(args: argparse.Namespace, run: Callable[[], int]) -> int:
    """Run ``run`` (one check of ``args.brief``), then again after each change; 0 at Ctrl-C."""
    from watchfiles import watch

    briefs: list[Path] = args.brief
    clear = args.output is None and sys.stdout.isatty()
    names = ", ".join(str(b) for b in briefs)
    try:
        reason = None
        while True:
            if reason is not None:
                if clear:
                    sys.stdout.write(CLEAR)
                sys.stderr.write(f"policycite: {reason} changed; checking again\n")
            try:
                run()
            except Exception as err:  # every failure is said; the watch goes on
                _say(err)
            sys.stdout.flush()
            now = time.strftime("%H:%M:%S")
            sys.stderr.write(f"policycite: watching {names} ({now}); Ctrl-C stops\n")
            sys.stderr.flush()
            files, folders = watched(briefs, args.library)
            reason = None
            for changes in watch(
                *_roots(files, folders),
                watch_filter=_relevant(files, folders),
                debounce=DEBOUNCE_MS,
                step=50,
                raise_interrupt=True,
            ):
                changed = sorted({Path(path) for _, path in changes})
                reason = ", ".join(_shown(path) for path in changed[:3])
                if len(changed) > 3:
                    reason += f" and {len(changed) - 3} more"
                break  # check again, then watch what that check read
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 0


def _shown(path: Path) -> str:
    """A changed path as the user named things: relative to the working directory if under it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return os.fspath(path)


__all__ = ["CLEAR", "DEBOUNCE_MS", "watch_check", "watched"]
