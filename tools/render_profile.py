"""Where an APA bibliography render spends its time: by phase, by macro, by memo.

    python tools/render_profile.py 30000                  # phases, one process
    python tools/render_profile.py 100000 --jobs 2        # phases, workers' CPU apart
    python tools/render_profile.py 3000 --macros          # inclusive time per macro
    python tools/render_profile.py 30000 --memo           # value-outcomes hits and misses

The items are benchmarks/synthetic.py's, as render_speed.py renders them. Each view
patches the code it measures in this process only (nothing is written):

* phases: wall seconds, this process's CPU and the workers' CPU (rusage of children),
  and the minor page faults of each (a forked worker's first write to an inherited page
  copies it: system time that grows with what the workers touch), of building the
  citeproc references, registering, sorting, the disambiguation (its traced cites and
  its probes apart) and the entries;
* ``--macros``: inclusive wall seconds and calls of every cs:macro of the style
  (nested macros count in their callers too), for finding the element worth a memo;
* ``--memo``: per element and phase, the value-outcomes keys computed, hits, misses
  and the seconds spent on keys (a key that seldom hits costs more than it saves).

The machine's speed drifts: compare figures from one run, or Python call counts.
"""

from __future__ import annotations

import argparse
import collections
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from render_speed import children_cpu
from synthetic import sources

import policycite as pc
from policycite.render import disambiguation, processor
from policycite.render.engine import Renderer
from policycite.render.fixes import valueoutcomes

_CSL = "{http://purl.org/net/xbiblio/csl}"


def _faults() -> tuple[int, int]:
    """Minor page faults so far of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    return own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt


def _timed(cls: type, name: str, totals: dict[str, list[float]]) -> None:
    """Wrap ``cls.name`` to add its wall, own CPU, children's CPU and faults to ``totals``."""
    original = getattr(cls, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
        faults = _faults()
        try:
            return original(*args, **kwargs)
        finally:
            row = totals.setdefault(name, [0.0, 0.0, 0.0, 0, 0])
            row[0] += time.perf_counter() - wall
            row[1] += time.process_time() - cpu
            row[2] += children_cpu() - children
            after = _faults()
            row[3] += after[0] - faults[0]
            row[4] += after[1] - faults[1]

    setattr(cls, name, wrapper)


def phases(renderer: Renderer) -> None:
    totals: dict[str, list[float]] = {}
    _timed(Renderer, "_bibliography", totals)
    for name in ("register", "sort", "disambiguate"):
        _timed(processor.Bibliography, name, totals)
    for name in ("_trace_all", "_cites"):
        _timed(disambiguation.Disambiguator, name, totals)
    _timed(Renderer, "_entries", totals)
    wall, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
    renderer.bibliography()
    print(
        f"total: wall {time.perf_counter() - wall:.2f} s, this process "
        f"{time.process_time() - cpu:.2f} s CPU, workers {children_cpu() - children:.2f} s"
    )
    for name, (w, c, k, own, theirs) in totals.items():
        print(
            f"  {name:15} wall {w:7.2f}  process {c:7.2f}  workers {k:7.2f}"
            f"  faults {own / 1000:6.0f}k + workers' {theirs / 1000:6.0f}k"
        )


def macros(renderer: Renderer) -> None:
    seconds: collections.Counter[str] = collections.Counter()
    calls: collections.Counter[str] = collections.Counter()
    clock: Callable[[], float] = time.perf_counter
    for macro in renderer._style.root.iterchildren(f"{_CSL}macro"):
        name, render = str(macro.get("name")), macro.render

        def wrapper(*args: Any, _render: Any = render, _name: str = name, **kwargs: Any) -> Any:
            start = clock()
            try:
                return _render(*args, **kwargs)
            finally:
                seconds[_name] += clock() - start
                calls[_name] += 1

        # An instance attribute: found before the class's render (the element proxies
        # live as long as the style, which keeps them).
        macro.__dict__["render"] = wrapper
    start = time.process_time()
    renderer.bibliography()
    print(f"total {time.process_time() - start:.2f} s CPU")
    for name, total in seconds.most_common(30):
        each = total / calls[name] * 1e6
        print(f"  {name:40} {calls[name]:8} calls {total:8.3f} s {each:8.1f} µs a call")


def memo(renderer: Renderer) -> None:
    phase = ["sort and entries"]
    for name in ("_trace_all", "_cites"):
        original = getattr(disambiguation.Disambiguator, name)

        def wrapper(*args: Any, _original: Any = original, _name: str = name, **kw: Any) -> Any:
            before, phase[0] = phase[0], _name
            try:
                return _original(*args, **kw)
            finally:
                phase[0] = before

        setattr(disambiguation.Disambiguator, name, wrapper)
    counts: dict[str, list[float]] = {}
    key_of = valueoutcomes.ValueOutcomes._value_key

    def value_key(self: Any, item: Any, context: Any, sort_options: Any) -> Any:
        start = time.perf_counter()
        found = key_of(self, item, context, sort_options)
        element = self.get("name") or self.tag.rpartition("}")[2]
        row = counts.setdefault(f"{element} ({phase[0]})", [0, 0, 0, 0.0])
        row[0] += 1
        row[3] += time.perf_counter() - start
        if found is not None:
            row[1 if found[1] in found[0] else 2] += 1
        return found

    valueoutcomes.ValueOutcomes._value_key = value_key  # type: ignore[method-assign]
    renderer.bibliography()
    print(f"{'element (phase)':50} {'calls':>8} {'hits':>8} {'misses':>8} {'key s':>7}")
    for name, (n, hits, misses, seconds) in sorted(counts.items(), key=lambda kv: -kv[1][3]):
        print(f"{name:50} {n:8} {hits:8} {misses:8} {seconds:7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int, help="synthetic items to render")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    view = parser.add_mutually_exclusive_group()
    view.add_argument("--macros", action="store_true", help="inclusive time per macro")
    view.add_argument("--memo", action="store_true", help="value-outcomes hits per element")
    args = parser.parse_args()
    renderer = Renderer(pc.Library(sources(args.size)), "apa", jobs=args.jobs)
    if args.macros:
        macros(renderer)
    elif args.memo:
        memo(renderer)
    else:
        phases(renderer)


if __name__ == "__main__":
    main()
