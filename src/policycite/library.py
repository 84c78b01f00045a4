"""The reference library folder: one YAML record per source, and a snapshot store.

Layout of a library folder (default ``./references``)::

    references/
      norov2020.yaml          one record, named by its citation key
      snapshots/ab/ab12….txt  captured texts, addressed by their SHA-256

Every write is atomic (a temporary file in the same folder, flushed, then renamed over
the target), so an interrupted save never leaves a half-written record. File names are
derived from citation keys by percent-encoding anything but letters, digits, ``_``, ``-``
and ``.``, and every path is checked to stay inside the library folder.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import pickle
import stat
import time
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote

from policycite import collector, derived
from policycite.about import version
from policycite.defaults import DEFAULT_FOLDER
from policycite.errors import InputError
from policycite.findings import Finding, Location
from policycite.formats import ReadResult, collect, read_records, read_text
from policycite.locking import library_lock
from policycite.model import Source
from policycite.paths import (
    cache_folder,
    inside,
    write_atomic,
    write_files_together,
    write_new_atomic,
)

RECORD_SUFFIXES = (".yaml", ".yml")
_IGNORED = {"README", "README.md", "README.txt", ".gitignore", ".gitattributes"}


def key_to_filename(key: str) -> str:
    """The record file name for a citation key (``Smith:2020`` -> ``Smith%3A2020.yaml``)."""
    return quote(key, safe="") + ".yaml"


def filename_to_key(name: str) -> str:
    """The citation key a record file name stands for (inverse of key_to_filename)."""
    stem = name
    for suffix in RECORD_SUFFIXES:
        stem = stem.removesuffix(suffix)
    return unquote(stem)


#: What a record file reads as: its sources and the findings about it.
_Read = tuple[tuple[Source, ...], tuple[Finding, ...]]


def _read_record_file(path: Path) -> _Read:
    """The source a record file holds and the findings about it."""
    # The YAML reader loads on the first file parsed: a library read from the cache (see
    # load_library) needs none (start-up, issue 17).
    from policycite.formats.cslyaml import parse

    data = parse(read_text(path), str(path))
    if not isinstance(data, dict):
        raise InputError("a library file holds one record (a mapping)", source=str(path), line=1)
    result = read_records([data], str(path))
    findings = list(result.findings)
    for source in result.library:
        if filename_to_key(path.name) != source.key:
            findings.append(
                Finding(
                    "PC004",
                    f"file name {path.name!r} does not match key {source.key!r}",
                    location=Location(str(path), getattr(data, "line", None), key=source.key),
                    hint=f"rename the file to {key_to_filename(source.key)}",
                )
            )
    return tuple(result.library), tuple(findings)


def _cache_file(folder: Path) -> Path:
    root = cache_folder()
    # Locations name files by the folder as given, so the path as given is part of the key.
    key = f"{folder.resolve()}\0{folder}"
    name = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return root / f"library-{name}.pickle"


#: Bumped whenever the model or the record format changes what a file reads as.
# 3: transliterated title and names; 4: changes (retrieval dates), container type;
# 6: the pickle follows a BLAKE2b digest of itself; 7: model values pickle as tuples;
# 8: empty mappings shared (pickled once); 9: columns (names, packed stamps, sources)
_CACHE_FORMAT = "policycite-library-cache/9"

#: What identifies one version of a record file, four numbers packed in a row of
#: :attr:`_Cached.stamps`: size, mtime_ns, inode, ctime_ns.
_STAMP_WIDTH = 4
#: Inodes are unsigned 64-bit numbers and the stamps signed ones (mtimes may be before
#: 1970): the inode's top bit is dropped (size, mtime and ctime still tell files apart).
_INODE_BITS = (1 << 63) - 1


class _Cached(NamedTuple):
    """What the library cache says each record file read as, in columns.

    One column per kind of value rather than a tuple per file: a 100,000-record cache
    unpickled 1.1 million objects, half of them the tuples, stamps and locations around
    the sources (issue 17). The stamps are one packed array, compared with the folder's
    in a single step when nothing changed; a location is made again from the file name.
    """

    #: The record files' names, sorted.
    names: tuple[str, ...]
    #: :data:`_STAMP_WIDTH` numbers per name (see :func:`_add_stamp`).
    stamps: array[int]
    #: What each file read as: its one source (nearly always), else a tuple of them.
    held: tuple[Source | tuple[Source, ...], ...]
    #: The findings about each file that has any, by name.
    findings: dict[str, tuple[Finding, ...]]


#: A record file changed this recently (by its ctime, in ns) is read again next time
#: rather than trusted to its stamp. A file system keeps times to a clock tick (a few
#: milliseconds on Linux; a second or two on some), so a file edited in place again
#: within the tick of the version read (same size, mtime set back) would keep its whole
#: stamp: the "racily clean" case git knows. Two seconds covers the coarsest clocks.
_RACY_NS = 2_000_000_000
#: The size stored for a racy file: no file has it, so its stamp never matches.
_UNTRUSTED = -1


def _add_stamp(stamps: array[int], info: os.stat_result) -> None:
    # The inode and ctime catch what size and mtime miss: a file replaced by another of
    # the same size with its mtime set back (cp -p, rsync, tar, git checkout), or edited
    # twice (see _RACY_NS for twice within the clock's resolution). ctime cannot be set
    # by the user.
    stamps.extend((info.st_size, info.st_mtime_ns, info.st_ino & _INODE_BITS, info.st_ctime_ns))


def _load_cache(path: Path) -> tuple[_Cached | None, bytes | None]:
    """What the library cache says the files read as, and its digest (None, None: none)."""
    sealed = derived.read_sealed(path)
    if sealed is None:
        return None, None
    seal, blob = sealed
    try:
        data = pickle.loads(blob)
    except Exception:
        return None, None
    if not isinstance(data, dict) or data.get("format") != (_CACHE_FORMAT, version()):
        return None, None
    cached = data.get("files")
    if (
        not isinstance(cached, _Cached)
        or not isinstance(cached.stamps, array)
        or len(cached.stamps) != _STAMP_WIDTH * len(cached.names)
        or len(cached.held) != len(cached.names)
    ):
        return None, None
    return cached, seal


#: How often a library folder is read again when it was swapped while being read.
_READ_ATTEMPTS = 20
#: Folders can be opened and listed through a descriptor (POSIX, not Windows).
_LIST_BY_FD = os.listdir in os.supports_fd and hasattr(os, "O_DIRECTORY")

_FolderRead = tuple[list[tuple[Source, Location]], list[Finding], _Cached]


def _read_folder(folder: Path, known: _Cached | None) -> _FolderRead | None:
    """One read of every record file; None when the folder was swapped meanwhile.

    ``convert -o`` replaces a library folder by a new one in one step and then deletes
    the old one (:func:`policycite.paths.write_files_together`), under the library's
    lock, which readers do not take. A reader that had opened the old folder to list it
    could then read its names after they were deleted: an empty or partial library
    ("no such key" for a record that was there all along). So the folder is listed
    through a descriptor held open for the whole read, and the read counts only if the
    folder at the path is still the one listed at its end (the held descriptor keeps
    the old folder's inode from being reused). Files are read by path: a swapped-in
    folder holds every file of the old one.
    """
    fd = _open_folder(folder)
    try:
        # A descriptor, which Path.iterdir cannot list.
        listed = os.listdir(fd if fd is not None else folder)  # noqa: PTH208
        recent = time.time_ns() - _RACY_NS
        racy: list[int] = []  # the records changed too recently to be known by stamp
        names: list[str] = []
        stamps: array[int] = array("q")
        # The findings in name order: stray files (by where they fall among the records).
        strays: list[tuple[int, Finding]] = []
        for name in sorted(listed):
            if name in _IGNORED or name.startswith("."):
                continue
            # One stat per name, relative to the descriptor: no Path is made for a record
            # read from the cache (Path.is_dir, then Path.stat: 0.4 s for 10,000 files).
            info = _stat(folder, fd, name)
            if info is not None and stat.S_ISDIR(info.st_mode):
                continue
            if not name.endswith(RECORD_SUFFIXES):
                where = Location(str(folder / name))
                finding = Finding("PC005", f"{name} is not a record file (.yaml)", location=where)
                strays.append((len(names), finding))
                continue
            if info is None:  # removed since it was listed: no longer a record
                continue
            if info.st_ctime_ns >= recent:
                racy.append(len(names))
            names.append(name)
            _add_stamp(stamps, info)
        fresh = _reread(folder, tuple(names), stamps, racy, known)
        if fd is not None and not _still_at(fd, folder):
            return None
    finally:
        if fd is not None:
            os.close(fd)
    entries: list[tuple[Source, Location]] = []
    findings: list[Finding] = []
    # str(folder / name) without a Path per record ("." / name is just name).
    prefix = str(folder / "_")[:-1]
    pending = iter(strays)
    stray = next(pending, None)
    for index, (name, held) in enumerate(zip(fresh.names, fresh.held, strict=True)):
        while stray is not None and stray[0] == index:
            findings.append(stray[1])
            stray = next(pending, None)
        where = Location(prefix + name)
        if isinstance(held, Source):
            entries.append((held, where))
        else:
            entries.extend((source, where) for source in held)
        findings.extend(fresh.findings.get(name, ()))
    if stray is not None:
        findings.append(stray[1])
        findings.extend(finding for _, finding in pending)
    return entries, findings, fresh


def _reread(
    folder: Path,
    names: tuple[str, ...],
    stamps: array[int],
    racy: list[int],
    known: _Cached | None,
) -> _Cached:
    """What each record file reads as: from the cache where its stamp is unchanged.

    ``racy``: the records (by index) changed too recently to be known by their stamp
    (see :data:`_RACY_NS`); they are stored with a stamp that never matches.
    """
    # A racy file's stored stamp never equals a real one, so when nothing changed the
    # whole folder is known by two comparisons made in C.
    if known is not None and known.names == names and known.stamps == stamps:
        return known
    width = _STAMP_WIDTH
    at = {name: n for n, name in enumerate(known.names)} if known is not None else {}
    # Each file's cached position, or None: to be read (all of them together, so that
    # many are parsed on every core).
    hits: list[int | None] = []
    for index, name in enumerate(names):
        hit = at.get(name)
        if (
            known is None
            or hit is None
            or known.stamps[hit * width : hit * width + width]
            != stamps[index * width : index * width + width]
        ):
            hit = None
        hits.append(hit)
    reads = _read_record_files(folder, [n for n, h in zip(names, hits, strict=True) if h is None])
    held: list[Source | tuple[Source, ...]] = []
    findings: dict[str, tuple[Finding, ...]] = {}
    for name, hit in zip(names, hits, strict=True):
        if hit is not None and known is not None:
            held.append(known.held[hit])
            about = known.findings.get(name)
        else:
            sources, about = reads[name]
            held.append(sources[0] if len(sources) == 1 else sources)
        if about:
            findings[name] = about
    if racy:
        stamps = array("q", stamps)
        for index in racy:
            stamps[index * width] = _UNTRUSTED
    return _Cached(names, stamps, tuple(held), findings)


#: Record files to parse that are parsed on every core (issue 17: the first read of a
#: 10,000-record library parses every file, 1.2 s of CPU in one process). Fewer are read
#: in this process: the fork, and sending the sources back, would cost more than it saves.
PARALLEL_MINIMUM = 1000


def _read_record_files(folder: Path, names: list[str]) -> dict[str, _Read]:
    """What each named record file reads as (:func:`_read_record_file`), by name.

    Many files are parsed in forked workers, each taking consecutive files; a file a
    worker could not read is read again here, in order, so that the error raised is the
    one a read in one process raises, for the same (first) file.
    """
    jobs = 1
    if len(names) >= PARALLEL_MINIMUM:
        from policycite.render.parallel import available_cores, fork_is_safe, map_chunks

        jobs = min(available_cores(), len(names) // (PARALLEL_MINIMUM // 2))
        jobs = jobs if fork_is_safe() else 1
    if jobs < 2:
        return {name: _read_record_file(folder / name) for name in names}

    def work(start: int, stop: int) -> list[_Read | None]:
        out: list[_Read | None] = []
        for name in names[start:stop]:
            try:
                out.append(_read_record_file(folder / name))
            except Exception:  # read again (and raised) in the parent, in order
                out.append(None)
        return out

    reads = map_chunks(work, len(names), jobs)
    return {
        name: read if read is not None else _read_record_file(folder / name)
        for name, read in zip(names, reads, strict=True)
    }


def _stat(folder: Path, fd: int | None, name: str) -> os.stat_result | None:
    """A listed name's stat (links followed); None when it is gone or a broken link."""
    try:
        if fd is None:
            return (folder / name).stat()  # pragma: no cover - Windows
        return os.stat(name, dir_fd=fd)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as err:
        if err.errno == errno.ELOOP:
            return None
        raise


def _open_folder(folder: Path) -> int | None:
    """A descriptor of the folder to list it by; None where folders are listed by path.

    Windows neither opens folders as files nor swaps them (see write_files_together).
    """
    if not _LIST_BY_FD:
        return None  # pragma: no cover - exercised on Windows only
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None


def _still_at(fd: int, folder: Path) -> bool:
    """True when the folder at ``folder`` is the one open as ``fd``."""
    try:
        held, there = os.fstat(fd), folder.stat()
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def load_library(folder: Path | str = DEFAULT_FOLDER, *, cache: bool = False) -> ReadResult:
    """Read every record file of a library folder (not recursive; snapshots are skipped).

    Raises InputError for a missing folder or a file that cannot be a record; reports
    duplicate keys, case collisions, file names that do not match their key, and stray
    files as findings.

    With ``cache``, what each file read as is kept between runs, keyed by the file's size,
    modification time, inode and change time, and only new or changed files are parsed
    again (a 10,000-record library: 0.6–0.8 s instead of 2–4 s). Every file is stat-ed on
    every read: a folder's own times do not change when a file in it is edited in place.
    A file changed under two seconds before is parsed again next time too (its times may
    not yet tell a second edit within the clock's tick). The cache is a pickle in
    the user's own cache folder (``$POLICYCITE_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/policycite`` or ``~/.cache/policycite``), never in the library
    folder, so a library that comes from elsewhere cannot bring one with it. The folder is
    made private (0700) and the cache is neither read nor written when the folder or the
    file belongs to someone else or others may write to it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("no such library folder", source=str(folder))
    with collector.paused(keep=True):
        return _load_library(folder, cache=cache)


def _load_library(folder: Path, *, cache: bool) -> ReadResult:
    cache_path = _cache_file(folder) if cache else None
    known, seal = _load_cache(cache_path) if cache_path is not None else (None, None)
    for _attempt in range(_READ_ATTEMPTS):
        read = _read_folder(folder, known)
        if read is not None:
            break
    else:
        raise InputError(
            f"the folder was replaced {_READ_ATTEMPTS} times while it was being read "
            "(another program writing it?); try again",
            source=str(folder),
        )
    entries, findings, fresh = read
    if cache_path is not None and fresh is not known:
        seal = None
        with contextlib.suppress(Exception):  # no cache to write: read again next time
            blob = pickle.dumps(
                {"format": (_CACHE_FORMAT, version()), "files": fresh},
                protocol=pickle.HIGHEST_PROTOCOL,
            )
            seal = derived.write_sealed(cache_path, blob)
    result = collect(entries, findings)
    if seal is not None:
        # The cache's digest names this version of every record file (their stamps and
        # what they read as): caches derived from the records are keyed by it.
        derived.tag(result.library, str(folder.resolve()), seal.hex())
    return result


#: The longest record file name: a file name holds 255 bytes, and the temporary file of an
#: atomic write adds 14 (``.NAME.xxxxxxxx.tmp``).
MAX_FILENAME = 255 - 14


def record_path(folder: Path | str, key: str) -> Path:
    """Where a key's record file goes; InputError when the key cannot name a file there.

    Checked before anything is written, so that a key too long for a file name stops
    ``add`` before its snapshots are stored.
    """
    folder = Path(folder)
    name = key_to_filename(key)
    if len(name.encode("utf-8")) > MAX_FILENAME:
        raise InputError(
            f"key is too long for a file name ({len(name) - len('.yaml')} characters as "
            f"encoded; at most {MAX_FILENAME - len('.yaml')}): {key[:40]}…",
            source=str(folder),
        )
    return inside(folder, folder / name)


def read_record(folder: Path | str, key: str) -> Source | None:
    """The record a key's file holds now (None when there is no such file)."""
    path = record_path(folder, key)
    if not path.is_file():
        return None
    return next((s for s in _read_record_file(path)[0] if s.key == key), None)


def save_source(folder: Path | str, source: Source, *, new: bool = False) -> Path:
    """Write one source's record file atomically; returns its path.

    With ``new``, the file is created exclusively: FileExistsError when a record of that
    key appeared meanwhile (it is never overwritten). Holds the library's lock.
    """
    from policycite.formats.cslyaml import dump_record

    folder = Path(folder)
    path = record_path(folder, source.key)
    with library_lock(folder):
        (write_new_atomic if new else write_atomic)(path, dump_record(source))
    return path


def save_library(folder: Path | str, sources: Iterable[Source]) -> list[Path]:
    """Write every source's record file, all or nothing (other files are left alone).

    Every record is turned into text first, so a source that cannot be written stops
    the save before anything is written; the files then go in together (see
    :func:`policycite.paths.write_files_together`), under the library's lock.
    """
    from policycite.formats.cslyaml import dump_record

    files: dict[str, str] = {}
    for source in sources:
        files[key_to_filename(source.key)] = dump_record(source)
    with library_lock(folder):
        return write_files_together(Path(folder), files)


# Each reader loads when a file of its format is read (start-up, issue 17): a .bib reader
# brings bibtexparser and pylatexenc, a .json one the capture layer's keys, YAML PyYAML.
def _read_json(path: Path | str) -> ReadResult:
    from policycite.formats import csljson

    return csljson.load(path)


def _read_yaml(path: Path | str) -> ReadResult:
    from policycite.formats import cslyaml

    return cslyaml.load(path)


def _read_bib(path: Path | str) -> ReadResult:
    from policycite.formats import bibtex

    return bibtex.load(path)


#: Bibliography file endings and the reader of each.
FILE_READERS: dict[str, Callable[[Path | str], ReadResult]] = {
    ".json": _read_json,
    ".yaml": _read_yaml,
    ".yml": _read_yaml,
    ".bib": _read_bib,
}


def load_file(path: Path | str) -> ReadResult:
    """Read a bibliography file, choosing the reader by its ending (.json, .yaml, .bib)."""
    path = Path(path)
    reader = FILE_READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"unknown file type {path.suffix or '(none)'!r}; expected one of "
            f"{', '.join(FILE_READERS)}",
            source=str(path),
        )
    return reader(path)


def library_from(paths: Iterable[Path | str], *, cache: bool = False) -> ReadResult:
    """Read a library from folders and/or bibliography files (.json, .yaml, .bib), in order.

    ``cache``: folders are read through the cache of :func:`load_library`.
    """
    entries: list[tuple[Source, Location]] = []
    findings: list[Finding] = []
    for item in paths:
        path = Path(item)
        if not path.exists():
            raise InputError("no such library folder or file", source=str(path))
        result = load_library(path, cache=cache) if path.is_dir() else load_file(path)
        findings.extend(result.findings)
        entries.extend((s, Location(str(path))) for s in result.library)
    merged = collect(entries)
    return ReadResult(merged.library, (*findings, *merged.findings))


__all__ = [
    "DEFAULT_FOLDER",
    "filename_to_key",
    "key_to_filename",
    "library_from",
    "load_file",
    "load_library",
    "read_record",
    "record_path",
    "save_library",
    "save_source",
    "write_atomic",
]
