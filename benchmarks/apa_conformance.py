"""APA on the synthetic corpus: policycite against citeproc-js (and pandoc), same items.

    python benchmarks/apa_conformance.py 1000           # ~1 min
    python benchmarks/apa_conformance.py 10000          # the acceptance figure
    python benchmarks/apa_conformance.py 1000 --style apa --no-pandoc --examples 5

What "same items" means. policycite does not hand citeproc-py a record's CSL view
as it is: :meth:`policycite.render.engine.Renderer._item` builds the CSL item (known
variables only, ``event-title`` beside ``event``) and then applies APA's rules that no CSL
condition can express (:mod:`policycite.render.itemrules`: a retrieval date only for a
page that changes, a host site named once, the archived URL of a changing page). Those
rules are policycite's decisions about *what* to cite, not how a processor renders it,
so every processor here gets the items *after* them, the very dicts citeproc-py gets (with
the citation key as the id). Only processor differences count.

Which style. ``styles/apa.csl`` is policycite's APA (the CSL project's apa.csl with the
changes listed in ``styles/README.md``: "[Press release]" and the like); ``apa-upstream``
is the catalogue's apa.csl unchanged. Each is measured on the SAME CSL file for every
processor: ``--style apa`` compares citeproc-js running styles/apa.csl with policycite
running styles/apa.csl. The locale is citeproc-py's bundled ``locales-en-US.xml`` for
policycite and citeproc-js; pandoc uses its built-in one (a reference figure only).

What is compared. Every bibliography entry (paired by id; the order is compared apart)
and the in-text citations of clusters made from the corpus: one cluster per item, and
every tenth item a cluster of three cites with a page locator on one. Each cluster is
rendered as a first citation (citeproc-js's ``makeCitationCluster`` keeps no history;
policycite with ``positions=False``), with every item registered first, so year suffixes
are assigned over the whole corpus. Plain-text output (``--format html`` for HTML).

Output: identical counts per processor, then the differing strings classified by cause
(:func:`classify`) with examples. ``--json FILE`` writes the counts and every difference.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import citeproc

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import sources

import policycite as pc
from policycite.render.engine import Renderer
from policycite.render.styles import resolve

ROOT = Path(__file__).resolve().parents[1]
RENDER_JS = ROOT / "tools" / "citeproc-js" / "render.js"
PANDOC3 = "pypandoc"  # the pandoc 3 binary of pypandoc-binary, found at run time
PANDOC3_MAX = 2000


# ---------------------------------------------------------------------------------------
# The corpus: items and clusters


def corpus(n: int, seed: int) -> tuple[pc.Library, list[pc.Cluster]]:
    """The synthetic library of ``n`` sources and the citation clusters made from it."""
    library = pc.Library(sources(n, seed))
    keys = library.keys
    clusters = [pc.Cluster([pc.Cite(key)]) for key in keys]
    for i in range(0, n - 3, 10):
        clusters.append(
            pc.Cluster(
                [
                    pc.Cite(keys[i]),
                    pc.Cite(keys[i + 1], locator=str(i % 97 + 1)),
                    pc.Cite(keys[i + 3]),
                ]
            )
        )
    return library, clusters


def items_of(
    renderer: Renderer, library: pc.Library, *, rules: bool = True
) -> list[dict[str, Any]]:
    """The CSL items policycite gives citeproc-py (after the style's item rules), id = key.

    With ``rules=False``, the items before APA's item rules (``--items raw``).
    """
    items = []
    for source in library:
        item = renderer._item(source, rules=rules)
        item["id"] = source.key
        items.append(json.loads(json.dumps(item, ensure_ascii=False, default=str)))
    return items


# ---------------------------------------------------------------------------------------
# The processors: each returns ({id: entry}, [ids in bibliography order], [citations])

Rendered = tuple[dict[str, str], list[str], list[str]]


def run_policycite(renderer: Renderer, library: pc.Library, clusters: list[pc.Cluster]) -> Rendered:
    bib = renderer.bibliography()
    if bib.findings:
        print(f"policycite: {len(bib.findings)} findings, e.g. {bib.findings[0]}", file=sys.stderr)
    cites = renderer.citations(clusters, library.keys, positions=False)
    return dict(zip(bib.keys, bib.entries, strict=True)), list(bib.keys), list(cites.entries)


def run_citeproc_js(
    items: list[dict[str, Any]], style: str, clusters: list[pc.Cluster], fmt: str
) -> Rendered:
    node = shutil.which("node")
    if node is None or not (RENDER_JS.parent / "node_modules" / "citeproc").is_dir():
        raise SystemExit("needs node and citeproc-js: run `npm ci --offline` in tools/citeproc-js")
    locale = (Path(citeproc.LOCALES_PATH) / "locales-en-US.xml").read_text(encoding="utf-8")
    job = {
        "style": style,
        "locale": locale,
        "items": items,
        "clusters": [
            [
                {"id": c.key, **({"locator": c.locator, "label": c.label} if c.locator else {})}
                for c in cluster.cites
            ]
            for cluster in clusters
        ],
        "format": fmt,
    }
    done = subprocess.run(
        [node, "--max-old-space-size=4096", str(RENDER_JS)],
        input=json.dumps(job, ensure_ascii=False).encode("utf-8"),
        capture_output=True,
        check=False,
        cwd=RENDER_JS.parent,
    )
    if done.returncode != 0:
        raise SystemExit(f"render.js failed: {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    result = json.loads(done.stdout)
    entries = {e["id"]: e["entry"] for e in result["bibliography"]}
    return entries, [e["id"] for e in result["bibliography"]], list(result["citations"])


def pandoc_binaries(asked: Sequence[str]) -> list[str]:
    """The pandoc executables to run: names on PATH, or "pypandoc" for its bundled pandoc 3."""
    found = []
    for name in asked:
        if name == PANDOC3:
            try:
                import pypandoc

                path = Path(pypandoc.__file__).parent / "files" / "pandoc"
            except ImportError:
                continue
            if path.is_file():
                found.append(str(path))
        elif shutil.which(name):
            found.append(str(shutil.which(name)))
    return found


def _walk(value: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(value, dict):
        visit(value)
        for child in value.values():
            _walk(child, visit)
    elif isinstance(value, list):
        for child in value:
            _walk(child, visit)


def run_pandoc(
    pandoc: str,
    items: list[dict[str, Any]],
    style_path: Path,
    clusters: list[pc.Cluster],
    folder: Path,
) -> Rendered:
    """pandoc --citeproc on a document of the clusters (one paragraph each) and nocite @*.

    The rendered citations and reference entries are taken from pandoc's JSON AST and
    written out again, one marked paragraph each, with pandoc's plain-text writer.
    """
    bib = folder / "items.json"
    bib.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")

    def cite(c: pc.Cite) -> str:
        return f"@{c.key}" + (f", p. {c.locator}" if c.locator else "")

    doc = "---\nnocite: '@*'\n---\n\n" + "\n\n".join(
        "[" + "; ".join(cite(c) for c in cl.cites) + "]" for cl in clusters
    )
    run = [pandoc, "-f", "markdown", "-t", "json", "--citeproc", "--csl", str(style_path)]
    done = subprocess.run(
        [*run, "--bibliography", str(bib)], input=doc.encode(), capture_output=True, check=True
    )
    ast = json.loads(done.stdout)
    cites: list[list[Any]] = []
    refs: list[tuple[str, list[Any]]] = []

    def visit(node: dict[str, Any]) -> None:
        if node.get("t") == "Cite":
            cites.append(node["c"][1])
        elif node.get("t") == "Div":
            (ident, classes, _), blocks = node["c"]
            if "csl-entry" in classes:
                inlines = [i for b in blocks if b["t"] in ("Para", "Plain") for i in b["c"]]
                refs.append((ident.removeprefix("ref-"), inlines))

    _walk(ast["blocks"], visit)
    marked = [{"t": "Para", "c": [{"t": "Str", "c": f"@@C{i}@@"}, *c]} for i, c in enumerate(cites)]
    marked += [{"t": "Para", "c": [{"t": "Str", "c": f"@@R{k}@@"}, *c]} for k, c in refs]
    ast["blocks"] = marked
    done = subprocess.run(
        [pandoc, "-f", "json", "-t", "plain", "--wrap=none"],
        input=json.dumps(ast).encode(),
        capture_output=True,
        check=True,
    )
    citations: list[str] = []
    entries: dict[str, str] = {}
    order: list[str] = []
    for line in done.stdout.decode("utf-8").split("\n\n"):
        match = re.match(r"@@([CR])(.*?)@@(.*)", line.strip(), re.S)
        if not match:
            continue
        kind, ident, text = match.groups()
        text = " ".join(text.split())
        if kind == "C":
            citations.append(text)
        else:
            entries[ident] = text
            order.append(ident)
    return entries, order, citations


# ---------------------------------------------------------------------------------------
# Comparing and classifying


_SUFFIX_RE = re.compile(r"(\d{4}|n\.d\.)-?[a-z]{1,2}\b")
_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")


def _segments(ours: str, ref: str) -> list[tuple[str, str]]:
    """The differing runs (reference's, ours), on word/punctuation tokens."""
    a, b = _TOKEN_RE.findall(ref), _TOKEN_RE.findall(ours)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        ("".join(a[i1:i2]), "".join(b[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _initials_only(ours: str, ref: str) -> bool:
    """True when the strings differ only by initials one of them adds ("M. Aris")."""
    segments = _segments(ours, ref)
    return all(
        not (theirs and mine) and re.fullmatch(r"\s*([A-Z]\.[ -]?)+\s*", theirs + mine)
        for theirs, mine in segments
    )


_INITIALS_RE = re.compile(r"\b[A-Z]\.[ -]?(?=[A-Z]|\w)")


def classify(ours: str, ref: str) -> str:
    """The cause of a difference, as a short label (one label per string).

    Named causes first (checked in this order, the first that explains the whole
    difference wins); anything else is labelled by its first differing run, with digits
    as ``#``, so that one cause groups its strings. Disambiguation is told apart by what
    it adds: year suffixes ("2020a"), initials ("M. Aris"), names instead of "et al."
    (citeproc-js's ``disambiguate-add-names``).
    """
    if " ".join(ours.split()) == " ".join(ref.split()):
        return "whitespace"
    if "&#38;" in ref:  # HTML: citeproc-js writes "&" as "&#38;", policycite as "&amp;"
        ref = ref.replace("&#38;", "&amp;")
        if ours == ref:
            return "HTML: & written &amp; (citeproc-js: &#38;), the same character"
    bare_ours, bare_ref = _SUFFIX_RE.sub(r"\1", ours), _SUFFIX_RE.sub(r"\1", ref)
    if bare_ours == bare_ref:
        return "disambiguation: year suffix"
    if _initials_only(ours, ref):
        return "disambiguation: given name"
    if _initials_only(bare_ours, bare_ref):
        return "disambiguation: given name and year suffix"
    plain_ours, plain_ref = _INITIALS_RE.sub("", bare_ours), _INITIALS_RE.sub("", bare_ref)
    # Names added (in-text citations): the reference's words are ours (but "et al.") and more.
    mine_words = collections.Counter(re.findall(r"\w+", plain_ours))
    ref_words = collections.Counter(re.findall(r"\w+", plain_ref))
    del mine_words["et"], mine_words["al"]
    names = ref.startswith("(") and mine_words != ref_words and not mine_words - ref_words
    if names and all(
        re.fullmatch(r"(?:[^\W\d]+|[\s,&;.])*", part)  # names, "et al.", no dates
        for segment in _segments(plain_ours, plain_ref)
        for part in segment
    ):
        return "disambiguation: names added for et al., cites regrouped (+ initials, suffixes)"
    segments = _segments(ours, ref)
    if all(not re.search(r"\w", theirs + mine) for theirs, mine in segments):
        return "punctuation"
    theirs, mine = segments[0]
    sig = re.sub(r"\d", "#", f"{theirs!r} -> {mine!r}")
    return f"other: {sig[:80]}"


def compare(
    ours: Rendered, ref: Rendered
) -> tuple[int, int, int, int, bool, list[tuple[str, str, str, str]]]:
    """Identical entries, entries, identical citations, citations, same order, differences.

    A difference is (kind, id or cluster number, ours, reference's).
    """
    entries, order, citations = ours
    r_entries, r_order, r_citations = ref
    diffs = []
    same_entries = 0
    for ident, text in r_entries.items():
        mine = entries.get(ident, "<missing>")
        if mine == text:
            same_entries += 1
        else:
            diffs.append(("entry", ident, mine, text))
    same_cites = 0
    for number, (mine, text) in enumerate(zip(citations, r_citations, strict=True)):
        if mine == text:
            same_cites += 1
        else:
            diffs.append(("citation", str(number), mine, text))
    ours_order = [i for i in order if i in r_entries]
    ref_order = [i for i in r_order if i in entries]
    same_order = ours_order == ref_order
    if not same_order:  # where the orders part, as one difference of its own
        pairs = list(zip(ours_order, ref_order, strict=False))
        at = next((n for n, (a, b) in enumerate(pairs) if a != b), len(pairs) - 1)
        misplaced = sum(a != b for a, b in pairs)
        diffs.append(
            (
                "order",
                f"{misplaced} entries misplaced, first at {at}",
                entries[ours_order[at]],
                r_entries[ref_order[at]],
            )
        )
    return same_entries, len(r_entries), same_cites, len(r_citations), same_order, diffs


def report(
    name: str, ours: Rendered, ref: Rendered, examples: int, *, causes: bool = True
) -> dict[str, Any]:
    same_e, total_e, same_c, total_c, same_order, diffs = compare(ours, ref)
    print(
        f"  {name}: entries {same_e}/{total_e} identical ({same_e / max(total_e, 1):.1%}), "
        f"citations {same_c}/{total_c} ({same_c / max(total_c, 1):.1%}), "
        f"bibliography order {'identical' if same_order else 'DIFFERENT'}"
    )
    by_cause: dict[str, list[tuple[str, str, str, str]]] = collections.defaultdict(list)
    for diff in diffs:
        cause = "bibliography order" if diff[0] == "order" else classify(diff[2], diff[3])
        by_cause[f"{diff[0]}: {cause}"].append(diff)
    if causes:
        for cause, found in sorted(by_cause.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"    {len(found):6d}  {cause}")
            for _kind, ident, mine, text in found[:examples]:
                print(f"              {ident}  ours: {mine}")
                print(f"              {' ' * len(ident)}  ref:  {text}")
    return {
        "entries_identical": same_e,
        "entries": total_e,
        "citations_identical": same_c,
        "citations": total_c,
        "order_identical": same_order,
        "causes": {k: len(v) for k, v in by_cause.items()},
        "differences": [
            dict(zip(("kind", "id", "ours", "reference"), d, strict=True)) for d in diffs
        ],
    }


#: Where ``--write-golden`` writes and tests/test_apa_synthetic.py reads.
GOLDEN = ROOT / "tests" / "golden" / "apa-synthetic"
GOLDEN_N, GOLDEN_SEED = 120, 42


def write_golden(folder: Path) -> None:
    """citeproc-js's APA (styles/apa.csl) of the first GOLDEN_N synthetic items, text and HTML.

    ``bibliography.<fmt>``: ``id<TAB>entry`` in citeproc-js's order; ``citations.<fmt>``:
    ``keys<TAB>citation`` per cluster. ``known-differences.txt`` lists what policycite
    renders differently today, each with its cause (:func:`classify`), so that the test
    holds every other string to citeproc-js's.
    """
    library, clusters = corpus(GOLDEN_N, GOLDEN_SEED)
    folder.mkdir(parents=True, exist_ok=True)
    known = []
    for fmt, suffix in (("text", "txt"), ("html", "html")):
        renderer = Renderer(library, "apa", output=fmt, links=False)
        ref = run_citeproc_js(
            items_of(renderer, library), resolve("apa")[0].decode(), clusters, fmt
        )
        entries, order, citations = ref
        rows = [f"{i}\t{entries[i]}\n" for i in order]
        (folder / f"bibliography.{suffix}").write_text("".join(rows), encoding="utf-8")
        keys = [";".join(c.key for c in cluster.cites) for cluster in clusters]
        rows = [f"{k}\t{c}\n" for k, c in zip(keys, citations, strict=True)]
        (folder / f"citations.{suffix}").write_text("".join(rows), encoding="utf-8")
        for kind, ident, mine, text in compare(run_policycite(renderer, library, clusters), ref)[5]:
            where = keys[int(ident)] if kind == "citation" else ident
            cause = "bibliography order" if kind == "order" else classify(mine, text)
            if not cause.startswith("HTML: &"):  # the same text: the test reads both forms
                known.append(f"{kind}\t{fmt}\t{where}\t{cause}\n")
    (folder / "known-differences.txt").write_text("".join(known), encoding="utf-8")
    print(
        f"{folder}: {GOLDEN_N} entries, {len(clusters)} citations, {len(known)} known differences"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--style",
        action="append",
        choices=("apa", "apa-upstream"),
        help="repeatable; default: both",
    )
    parser.add_argument("--format", choices=("text", "html"), default="text")
    parser.add_argument(
        "--items",
        choices=("ruled", "raw"),
        default="ruled",
        help="the items every processor gets: after policycite's APA item rules (default), "
        "or before them (raw: policycite still applies its rules, so they count as "
        "differences; the issue's first measurement)",
    )
    parser.add_argument(
        "--pandoc",
        action="append",
        help='pandoc executables to compare too (default: "pandoc", and "pypandoc", the '
        f"pandoc 3 of pypandoc-binary, up to {PANDOC3_MAX} items); --no-pandoc for none",
    )
    parser.add_argument("--no-pandoc", action="store_true")
    parser.add_argument("--examples", type=int, default=2, help="examples per cause (default 2)")
    parser.add_argument("--json", type=Path, help="write counts and every difference here")
    parser.add_argument(
        "--write-golden",
        action="store_true",
        help=f"write citeproc-js's output for tests/test_apa_synthetic.py into {GOLDEN} "
        "(nothing else is run)",
    )
    args = parser.parse_args(argv)
    if args.write_golden:
        write_golden(GOLDEN)
        return 0
    if args.format == "html" and not args.no_pandoc:
        parser.error("pandoc is compared in plain text only: add --no-pandoc")

    library, clusters = corpus(args.n, args.seed)
    print(
        f"{args.n} synthetic sources (seed {args.seed}), {len(clusters)} citation clusters, "
        f"{args.items} items, {args.format}"
    )
    # pandoc 3.9's citeproc takes over half an hour on 10,000 items: by default it runs
    # up to PANDOC3_MAX items only (--pandoc pypandoc asks for it at any size).
    default = ["pandoc", PANDOC3] if args.n <= PANDOC3_MAX else ["pandoc"]
    pandocs = [] if args.no_pandoc else pandoc_binaries(args.pandoc or default)
    out: dict[str, Any] = {"n": args.n, "seed": args.seed, "styles": {}}
    with tempfile.TemporaryDirectory(prefix="policycite-apa-") as tmp:
        for style in args.style or ["apa", "apa-upstream"]:
            data = resolve(style)[0]
            style_path = Path(tmp) / f"{style}.csl"
            style_path.write_bytes(data)
            renderer = Renderer(library, style, output=args.format, links=False)
            items = items_of(renderer, library, rules=args.items == "ruled")
            print(f"\n{style} ({resolve(style)[1]}):")
            start = time.perf_counter()
            ours = run_policycite(renderer, library, clusters)
            print(f"  policycite {time.perf_counter() - start:.1f} s", end="")
            start = time.perf_counter()
            ref = run_citeproc_js(items, data.decode("utf-8"), clusters, args.format)
            print(f", citeproc-js {time.perf_counter() - start:.1f} s")
            results = {"policycite": report("policycite vs citeproc-js", ours, ref, args.examples)}
            for pandoc in pandocs:
                version = subprocess.run(
                    [pandoc, "--version"], capture_output=True, check=True, text=True
                ).stdout.split("\n")[0]
                theirs = run_pandoc(pandoc, items, style_path, clusters, Path(tmp))
                results[version] = report(
                    f"{version} vs citeproc-js", theirs, ref, args.examples, causes=False
                )
            out["styles"][style] = results
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
