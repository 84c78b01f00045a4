"""One writer at a time: an advisory lock file in the library folder.

Every read-modify-write of a library (``add``, ``anchor``, ``convert -o FOLDER``,
``verify``'s repairs) holds :func:`library_lock`, so that two processes sharing a library
never both read the same state and then overwrite each other's records. The lock is
``<library>/.policycite.lock`` (record loading skips dot files), locked with
``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows; the operating system releases
it when its holder exits or is killed, so a stale lock file never blocks anyone. The
holder writes its process id into the file, for the message of whoever waits, and
removes the file when done (a killed holder leaves it: harmless, the next writer uses it).

A thread may take the lock it holds again (the outer hold counts); other threads and
processes wait, up to ``POLICYCITE_LOCK_TIMEOUT`` seconds (default 30), then get an
InputError naming the folder and the holder.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from policycite.errors import InputError

LOCK_NAME = ".policycite.lock"
#: Seconds a writer waits for the lock before giving up (``$POLICYCITE_LOCK_TIMEOUT``).
DEFAULT_TIMEOUT = 30.0
#: Seconds between attempts: short at first (writes take milliseconds), then longer.
_POLL_FIRST, _POLL_MAX = 0.001, 0.05
#: Where the Windows lock sits: far past the process id, which others must still read.
_WINDOWS_OFFSET = 1 << 30

_held = threading.local()


def lock_timeout() -> float:
    """The configured wait: ``$POLICYCITE_LOCK_TIMEOUT`` seconds, else the default."""
    value = os.environ.get("POLICYCITE_LOCK_TIMEOUT", "").strip()
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise InputError(
            f"POLICYCITE_LOCK_TIMEOUT must be a number of seconds, not {value!r}"
        ) from None
    if not 0 <= seconds < float("inf"):
        raise InputError(f"POLICYCITE_LOCK_TIMEOUT must be 0 or more seconds, not {value!r}")
    return seconds


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    """The process id written by the lock's holder, or '' when unknown."""
    try:
        text = path.read_bytes()[:32].decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""


@contextlib.contextmanager
def library_lock(folder: Path | str, *, timeout: float | None = None) -> Iterator[Path]:
    """Hold the library folder's lock for the ``with`` block (the folder is created).

    Waits up to ``timeout`` seconds (default :func:`lock_timeout`); InputError then, one
    line naming the folder and the holder's process id. Yields the lock file's path.
    """
    folder = Path(folder)
    held: dict[str, int] = _held.__dict__.setdefault("depth", {})
    name = str(folder.absolute())
    path = folder / LOCK_NAME
    if held.get(name):
        held[name] += 1
        try:
            yield path
        finally:
            held[name] -= 1
        return
    wait = lock_timeout() if timeout is None else timeout
    created = not folder.exists()
    fd = _acquire(folder, path, wait)
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        held[name] = 1
        try:
            yield path
        finally:
            held.pop(name, None)
            # Removed while still held, so that no file is left behind in the library
            # (a waiter that locked the removed file notices and tries again); a folder
            # made only for the lock goes too.
            with contextlib.suppress(OSError):
                path.unlink()
            if created:
                with contextlib.suppress(OSError):
                    folder.rmdir()
    finally:
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)


def _acquire(folder: Path, path: Path, wait: float) -> int:
    """An open descriptor of the lock file, locked; InputError after ``wait`` seconds."""
    deadline = time.monotonic() + wait
    pause = _POLL_FIRST
    while True:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        except FileNotFoundError:  # a holder that made the folder just removed it again
            continue
        locked = _try_lock(fd)
        if locked and _same_file(fd, path):
            return fd
        if locked:  # its holder removed it on leaving: lock the file there now instead
            _unlock(fd)
        os.close(fd)
        if not locked and time.monotonic() >= deadline:
            pid = _holder(path)
            who = f" (pid {pid})" if pid else ""
            raise InputError(
                f"the library is locked by another policycite process{who}; gave up after "
                f"{wait:g} s (set POLICYCITE_LOCK_TIMEOUT to wait longer)",
                source=str(folder),
            )
        if not locked:
            time.sleep(min(pause, max(deadline - time.monotonic(), 0)))
            pause = min(pause * 1.5, _POLL_MAX)


def _same_file(fd: int, path: Path) -> bool:
    """True when the descriptor is still the file at path (not one removed meanwhile)."""
    try:
        here, there = os.fstat(fd), path.stat()
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


__all__ = ["DEFAULT_TIMEOUT", "LOCK_NAME", "library_lock", "lock_timeout"]
