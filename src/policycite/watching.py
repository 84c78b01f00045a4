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
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

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


class _Watch:
    """File events from a watchfiles thread, as sets of changed paths in a queue.

    The watcher runs in its own thread from before the first check, so that nothing
    saved while a check runs is missed; the main thread waits on the queue, where
    Ctrl-C reaches it. What is relevant (``files``, ``folders``) may be updated between
    checks; the folders asked of the OS are fixed for the thread's life.
    """

    def __init__(self, files: set[Path], folders: set[Path]) -> None:
        self.files, self.folders = files, folders
        self.roots = _roots(files, folders)
        self.changes: queue.Queue[set[Path]] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from watchfiles import DefaultFilter, watch

        ignored = DefaultFilter()  # editors' swap and backup files, .git, caches

        def keep(change: Any, path: str) -> bool:
            if not ignored(change, path):
                return False
            where = Path(path)
            return where in self.files or any(where.is_relative_to(f) for f in self.folders)

        for found in watch(
            *self.roots,
            watch_filter=keep,
            debounce=DEBOUNCE_MS,
            step=50,
            stop_event=self.stop,
            raise_interrupt=False,
        ):
            self.changes.put({Path(path) for _, path in found})

    def wait(self) -> set[Path]:
        """The paths changed since the last call (blocks until there are some)."""
        while True:
            try:
                changed = self.changes.get(timeout=0.2)  # short: Ctrl-C is seen at once
                break
            except queue.Empty:
                continue
        while not self.changes.empty():  # changes saved while a check ran: one re-check
            changed |= self.changes.get_nowait()
        return changed

    def close(self) -> None:
        self.stop.set()


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
    briefs: list[Path] = args.brief
    clear = args.output is None and sys.stdout.isatty()
    names = ", ".join(str(b) for b in briefs)
    watcher = _Watch(*watched(briefs, args.library))
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
            files, folders = watched(briefs, args.library)
            if _roots(files, folders) != watcher.roots:  # e.g. another bibliography named
                watcher.close()
                watcher = _Watch(files, folders)
            else:
                watcher.files, watcher.folders = files, folders
            now = time.strftime("%H:%M:%S")
            sys.stderr.write(f"policycite: watching {names} ({now}); Ctrl-C stops\n")
            sys.stderr.flush()
            changed = sorted(watcher.wait())
            reason = ", ".join(_shown(path) for path in changed[:3])
            if len(changed) > 3:
                reason += f" and {len(changed) - 3} more"
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 0
    finally:
        watcher.close()


def _shown(path: Path) -> str:
    """A changed path as the user named things: relative to the working directory if under it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return os.fspath(path)


__all__ = ["CLEAR", "DEBOUNCE_MS", "watch_check", "watched"]
