"""Data derived from a library, kept between runs in the user's cache folder.

A check builds the same structures from the same records and snapshots run after run:
the reference matcher's index over every record, the copy index over the snapshots a
brief shares text with, the rendering of the matched records. Each is kept here as a
pickle, under a *scope* (what it belongs to: a library folder, a style) and a *key* (a
digest of everything it was made from): a file whose key differs from the one asked for
is stale and never used, so the caller builds the structure again and stores it over
the old one.

The files follow the library cache's rules (:func:`policycite.library.load_library`):
they live in the user's own cache folder (``$POLICYCITE_CACHE_DIR``, else
``$XDG_CACHE_HOME/policycite`` or ``~/.cache/policycite``), never in a library folder;
the folder is made private (0700) and nothing is read from or written to a folder or
file that someone else owns or may write, since unpickling runs code. Every file starts
with a BLAKE2b digest of the rest, so a file cut short, zeroed or damaged is ignored
(and rebuilt), never unpickled; writes are atomic (a temporary file renamed over the
old one), so concurrent writers leave one whole file or the other, never a mix.

This module must not import the model or any subsystem: callers hand it values and
digests. It also remembers which digest identifies a library value read from a folder
(:func:`tag`, :func:`identity`), so that a check handed the value can find its caches.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import weakref
from pathlib import Path
from typing import Any

from policycite import collector
from policycite.about import version
from policycite.paths import cache_folder, write_bytes_atomic

#: Bumped whenever what a derived file holds changes shape.
FORMAT = "policycite-derived/1"
#: Bytes of the BLAKE2b digest that heads every derived file.
DIGEST_SIZE = 32


def digest(*parts: bytes | str) -> str:
    """A hex BLAKE2b digest of some parts (each length-prefixed, so none runs into another)."""
    h = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def private(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (always true without POSIX owners)."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def folder_ok(folder: Path) -> bool:
    """The cache folder exists (made 0700), is this user's and no one else may write to it.

    A pickle runs code when loaded, so one is only read from a folder nobody else can
    put one in: ``$POLICYCITE_CACHE_DIR`` pointing to a shared folder disables the
    caches rather than trusting them.
    """
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
        if hasattr(os, "getuid") and info.st_uid == os.getuid() and info.st_mode & 0o077:
            folder.chmod(0o700)  # a folder made by an older version (0755): ours to close
            info = folder.stat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and private(info) and not info.st_mode & 0o077


def read_sealed(path: Path) -> tuple[bytes, bytes] | None:
    """(digest, body) of a sealed cache file that is intact and private; None otherwise.

    Written without an fsync (a cache): a crash may leave it short or zeroed, which its
    digest tells, so only what was written is ever handed on to be unpickled.
    """
    if not folder_ok(path.parent):
        return None
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or not private(info):
                return None
            blob = handle.read()
    except OSError:
        return None
    seal, body = blob[:DIGEST_SIZE], blob[DIGEST_SIZE:]
    if len(seal) != DIGEST_SIZE or hashlib.blake2b(body, digest_size=DIGEST_SIZE).digest() != seal:
        return None
    return seal, body


def write_sealed(path: Path, body: bytes) -> bytes | None:
    """Write ``body`` behind its BLAKE2b digest, atomically and privately; the digest.

    None when there is no private cache folder to write to (the cache is then skipped).
    """
    seal = hashlib.blake2b(body, digest_size=DIGEST_SIZE).digest()
    if not folder_ok(path.parent):
        return None
    try:
        write_bytes_atomic(path, seal + body, durable=False)
        path.chmod(0o600)
    except OSError:
        return None
    return seal


def _path(kind: str, scope: str) -> Path:
    name = hashlib.sha256(f"{kind}\0{scope}".encode()).hexdigest()[:32]
    return cache_folder() / f"{kind}-{name}.pickle"


def load(kind: str, scope: str, key: str) -> Any | None:
    """The value stored for ``kind`` and ``scope`` when it was made under ``key``; else None.

    None for a missing, stale (other key, format or version), damaged or foreign file:
    the caller builds the value again. Never raises.
    """
    sealed = read_sealed(_path(kind, scope))
    if sealed is None:
        return None
    try:
        # Millions of small objects, all kept: the collector would find nothing to free.
        with collector.paused(keep=True):
            data = pickle.loads(sealed[1])
    except Exception:
        return None
    if (
        not isinstance(data, tuple)
        or len(data) != 3
        or data[0] != (FORMAT, version(), kind)
        or data[1] != key
    ):
        return None
    return data[2]


def store(kind: str, scope: str, key: str, value: Any) -> None:
    """Keep ``value`` for ``kind`` and ``scope``, made under ``key`` (best effort, atomic).

    A value that cannot be pickled, or a cache folder that cannot be written, leaves the
    cache as it was: the value is made again next time.
    """
    try:
        body = pickle.dumps(((FORMAT, version(), kind), key, value), pickle.HIGHEST_PROTOCOL)
    except Exception:
        return
    write_sealed(_path(kind, scope), body)


# -- which digest identifies a library value --------------------------------------------

_TAGS: dict[int, tuple[weakref.ref[Any], str, str]] = {}


def tag(value: Any, scope: str, key: str) -> None:
    """Remember that ``value`` (a library read from a folder) is identified by ``key``.

    ``scope`` names where it came from (the folder); the tag lives as long as the value.
    """
    ident = id(value)
    _TAGS[ident] = (weakref.ref(value, lambda _ref: _TAGS.pop(ident, None)), scope, key)


def identity(value: Any) -> tuple[str, str] | None:
    """(scope, key) :func:`tag` gave this very value; None for an untagged value."""
    found = _TAGS.get(id(value))
    if found is None or found[0]() is not value:
        return None
    return found[1], found[2]


__all__ = [
    "DIGEST_SIZE",
    "FORMAT",
    "digest",
    "folder_ok",
    "identity",
    "load",
    "private",
    "read_sealed",
    "store",
    "tag",
    "write_sealed",
]
