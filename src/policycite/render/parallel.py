"""Render the items of a large bibliography on several cores, with one-core results.

Rendering is CPU-bound pure Python, so threads would not help; the work is spread over
forked processes instead. A fork inherits the parsed style, its per-element caches and
the registered, sorted and disambiguated bibliography as they are at that moment, so a
worker renders exactly what the parent would, without pickling a style or a library:
only chunk bounds go out and rendered strings (and small values) come back.

:func:`map_chunks` runs ``work(start, stop)`` for consecutive chunks of
``range(count)`` and concatenates the results in order, so a caller that renders item
``i`` in ``work`` gets the list a one-process loop would build. Warnings raised in a
worker are raised again in the parent, in chunk order, where the renderer turns them
into findings (PC101) as usual. An exception in a worker is raised in the parent.

The garbage collector is frozen around the fork (``gc.freeze``): a collection in a
worker would otherwise touch every inherited object and copy the parent's memory page
by page; each worker also collects less often, as its own objects are short-lived.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

#: Below this many items a render stays in one process: forking and collecting the
#: results would cost more than the second core saves (a few ms an item).
AUTO_MINIMUM = 2000
#: Fewer items than this a process are not worth a fork (given an explicit job count).
PER_JOB_MINIMUM = 250
#: On a bibliography (citeproc-py's, as the renderer builds it): the job count asked for.
JOBS = "_policycite_jobs"
#: Chunks shrink as the work runs out (guided scheduling): each takes this share of the
#: items left over the jobs, and none is smaller than ``1 / (jobs * TAIL)`` of them. The
#: big chunks first cost few task round trips (and, for bibliography entries, few extra
#: entries rendered; see engine); the small last ones let the workers finish together,
#: where equal chunks left one idle while the other rendered its last (3 % of the work).
SHARE = 0.5
TAIL = 64

# The work of the running map_chunks (one at most), inherited by the forked workers.
_WORK: list[Callable[[int, int], list[Any]]] = []


def available_cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True where processes can be forked (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def fork_is_safe() -> bool:
    """True where a fork now cannot leave the child stuck on a lock another thread holds.

    A process with other threads (watch mode, the language server, a caller's own pool)
    may be forked while one of them holds a lock, which then stays held in the child.
    """
    return can_fork() and threading.active_count() == 1


def resolve_jobs(jobs: int | None, count: int) -> int:
    """The processes to render ``count`` items with; ``jobs`` None or 0: automatic.

    Automatic means every available core for ``AUTO_MINIMUM`` items or more, else one.
    Processes are forked, so where fork is not available everything runs in one.
    """
    if not can_fork():  # pragma: no cover - Windows
        return 1
    if not jobs:
        jobs = available_cores() if count >= AUTO_MINIMUM else 1
    return max(1, min(jobs, count // PER_JOB_MINIMUM))


def jobs_for(items: Sequence[Any]) -> int:
    """The processes for work on ``items``, items of one bibliography (see :data:`JOBS`)."""
    if len(items) < 2 * PER_JOB_MINIMUM:
        return 1
    bibliography = getattr(items[0], "bibliography", None)
    return resolve_jobs(getattr(bibliography, JOBS, 1), len(items))


def map_chunks(work: Callable[[int, int], list[T]], count: int, jobs: int) -> list[T]:
    """``work(start, stop)`` over consecutive chunks of ``range(count)``, joined in order.

    With ``jobs`` > 1 the chunks run in that many forked processes; ``work`` must then
    return picklable values and must not rely on changes it makes to the parent's state.
    """
    if jobs <= 1 or count < 2:
        return work(0, count)
    bounds = _bounds(count, jobs)
    _WORK[:] = [work]
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_start_worker) as pool:
            parts = pool.map(_run_chunk, bounds, chunksize=1)
    finally:
        gc.unfreeze()
        _WORK.clear()
    results: list[T] = []
    for values, caught in parts:
        for message, category in caught:
            warnings.warn(message, category, stacklevel=2)
        results += values
    return results


def _bounds(count: int, jobs: int) -> list[tuple[int, int]]:
    """Consecutive chunks of ``range(count)`` for ``jobs`` workers, shrinking to the end."""
    smallest = max(1, count // (jobs * TAIL))
    bounds = []
    start = 0
    while start < count:
        size = max(smallest, int((count - start) * SHARE / jobs))
        stop = min(count, start + size)
        bounds.append((start, stop))
        start = stop
    return bounds


def _start_worker() -> None:
    # The inherited objects stay frozen (see the module docstring); the worker's own
    # garbage is mostly acyclic strings and lists, so young collections can be rarer.
    gc.freeze()
    gc.set_threshold(10000, 50, 100)


def _run_chunk(bounds: tuple[int, int]) -> tuple[list[Any], Sequence[tuple[str, type]]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            values = _WORK[0](*bounds)
        except Exception as err:
            # The parent gets the error as the worker raised it, unless it cannot be
            # sent: an exception that fails to unpickle would stall the pool's result
            # handler, so it travels as a RuntimeError naming it.
            try:
                pickle.loads(pickle.dumps(err))
            except Exception:
                raise RuntimeError(f"{type(err).__name__}: {err}") from None
            raise
    return values, [(str(w.message), w.category) for w in caught]
