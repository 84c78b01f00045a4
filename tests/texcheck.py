"""Compile a ``.bib`` file with real LaTeX toolchains and report every problem they print.

The test suite uses this to prove that exported BibTeX/BibLaTeX files do not just parse but
typeset: each toolchain writes a small document that cites every entry twice (APA styles
print a group author's abbreviation only from the second citation on), prints the
bibliography, runs engine -> biber/bibtex -> engine -> engine and then reads the logs
strictly. Anything that TeX, biber or BibTeX complains about is a problem, except a few
harmless messages listed in ``_HARMLESS`` with the reason each is harmless.

Run by hand::

    python tests/texcheck.py FILE.bib [-t apa-pdflatex,natbib-apalike] [-o DIR]

Only the standard library is used (pytest only inside :func:`require`), and nothing is kept
between calls except cached look-ups of installed files, so callers may run toolchains in
parallel, each in its own working directory.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

#: Seconds allowed for one step (one engine run, biber, bibtex or pdftotext).
STEP_TIMEOUT = 120

#: Engine flags: never stop for input, stop at the first error, and name file and line in it.
ENGINE_FLAGS = ("-interaction=nonstopmode", "-halt-on-error", "-file-line-error")

#: File names inside the working directory (the .bib is copied there, so paths are simple).
BIB_NAME = "refs.bib"
JOB = "doc"

System = Literal["biblatex", "natbib", "apacite"]


@dataclass(frozen=True)
class Toolchain:
    """One way of typesetting a bibliography: an engine, a backend and a style."""

    name: str
    engine: Literal["pdflatex", "xelatex"]
    backend: Literal["biber", "bibtex"]
    system: System
    style: str
    #: Files that must be found by kpsewhich (packages, styles, .bst files).
    files: tuple[str, ...]
    #: Font families that must be known to fontconfig (xelatex loads fonts by name).
    fonts: tuple[str, ...] = ()

    @property
    def executables(self) -> tuple[str, ...]:
        """Every program that :func:`compile_bib` runs for this toolchain."""
        return (self.engine, self.backend, "pdftotext", "kpsewhich")


# pdflatex needs T2A (Cyrillic) and CJKutf8 with the Arphic gbsn font; t2aenc.def is also
# read to generate the Cyrillic fallbacks.
_PDF_FILES = (
    "fontenc.sty",
    "t2aenc.def",
    "babel.sty",
    "russianb.ldf",
    "CJKutf8.sty",
    "c70gbsn.fd",
)
_XE_FILES = ("fontspec.sty", "xeCJK.sty", "babel.sty", "russianb.ldf")
_XE_FONTS = ("DejaVu Serif", "Noto Serif CJK SC")
_BIBLATEX_FILES = ("biblatex.sty", "csquotes.sty")

TOOLCHAINS: dict[str, Toolchain] = {
    chain.name: chain
    for chain in (
        Toolchain(
            "apa-pdflatex",
            "pdflatex",
            "biber",
            "biblatex",
            "apa",
            (*_PDF_FILES, *_BIBLATEX_FILES, "apa.bbx", "russian-apa.lbx"),
        ),
        Toolchain(
            "apa-xelatex",
            "xelatex",
            "biber",
            "biblatex",
            "apa",
            (*_XE_FILES, *_BIBLATEX_FILES, "apa.bbx", "russian-apa.lbx"),
            _XE_FONTS,
        ),
        Toolchain(
            "authoryear-pdflatex",
            "pdflatex",
            "biber",
            "biblatex",
            "authoryear",
            (*_PDF_FILES, *_BIBLATEX_FILES, "authoryear.bbx"),
        ),
        Toolchain(
            "natbib-apalike",
            "pdflatex",
            "bibtex",
            "natbib",
            "apalike",
            (*_PDF_FILES, "natbib.sty", "url.sty", "apalike.bst"),
        ),
        Toolchain(
            "apacite",
            "pdflatex",
            "bibtex",
            "apacite",
            "apacite",
            (*_PDF_FILES, "apacite.sty", "url.sty", "apacite.bst"),
        ),
    )
}


@dataclass
class CheckResult:
    """What one toolchain made of one ``.bib`` file."""

    toolchain: str
    #: One-line descriptions, each quoting the log line it comes from; empty means success.
    problems: list[str]
    #: ``pdftotext -layout`` output of the PDF ("" if no PDF was made).
    text: str
    #: Plain ``pdftotext`` output: reading order, no column layout (better for searching).
    raw_text: str
    #: ``@type{`` entries in the .bib, not counting @string, @comment and @preamble.
    bib_entries: int
    #: Entries in the .bbl: biblatex ``\entry{``, BibTeX ``\bibitem``.
    bbl_entries: int
    #: Every step's command, exit status, time, output and log file, for debugging.
    log: str
    #: Wall-clock seconds for all steps.
    seconds: float

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


# --- availability ---------------------------------------------------------------------------


def _chain(toolchain: Toolchain | str) -> Toolchain:
    return toolchain if isinstance(toolchain, Toolchain) else TOOLCHAINS[toolchain]


@functools.cache
def _kpsewhich(name: str) -> str | None:
    """Path of a TeX input file, or None (cached: installed files do not change in a run)."""
    if shutil.which("kpsewhich") is None:
        return None
    found = subprocess.run(
        ["kpsewhich", name], capture_output=True, text=True, check=False, timeout=30
    )
    path = found.stdout.strip()
    return path or None


@functools.cache
def _font_known(family: str) -> bool:
    """True if fontconfig knows the family (assumed when fc-list is missing: xelatex says)."""
    if shutil.which("fc-list") is None:
        return True
    found = subprocess.run(
        ["fc-list", family, "family"], capture_output=True, text=True, check=False, timeout=30
    )
    return bool(found.stdout.strip())


def missing(toolchain: Toolchain | str) -> list[str]:
    """The programs, TeX files and fonts that ``toolchain`` needs but this machine lacks."""
    chain = _chain(toolchain)
    absent = [exe for exe in chain.executables if shutil.which(exe) is None]
    if "kpsewhich" not in absent:  # otherwise every file would be listed as missing
        absent += [name for name in chain.files if _kpsewhich(name) is None]
    absent += [f"font {family!r}" for family in chain.fonts if not _font_known(family)]
    return absent


def available(toolchain: Toolchain | str) -> bool:
    """True if every executable is on PATH and every key file and font is installed."""
    return not missing(toolchain)


def require(toolchain: str) -> Toolchain:
    """In a test: skip if ``toolchain`` is missing, or fail instead when ``CI`` is set.

    On a developer's machine without TeX the tests skip; on CI a missing toolchain must
    not turn the proof that exports compile into a silent skip.
    """
    import pytest

    chain = TOOLCHAINS[toolchain]
    absent = missing(chain)
    if absent:
        message = f"toolchain {toolchain} is not available: missing {', '.join(absent)}"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so TeX tests must run)", pytrace=False)
        pytest.skip(message)
    return chain


# --- the document ---------------------------------------------------------------------------

# Non-letters that t2aenc.def also declares; they need no fallback.
_CYRILLIC_NON_LETTERS = frozenset({"cyrdash", "cyrlangle", "cyrrangle"})


@functools.cache
def cyrillic_letters() -> tuple[str, ...]:
    r"""Names of the Cyrillic letter commands (``CYRA``, ``cyrya``, …) that T2A defines.

    Read from the installed t2aenc.def so the list matches the fonts in use.
    """
    path = _kpsewhich("t2aenc.def")
    if path is None:
        return ()
    source = Path(path).read_text(encoding="latin-1")
    # The encoding argument is written either as T2A or as \LastDeclaredEncoding.
    names = re.findall(
        r"\\DeclareTextSymbol\{\\((?:CYR|cyr)[A-Za-z]+)\}\{(?:T2A|\\LastDeclaredEncoding)\}",
        source,
    )
    return tuple(dict.fromkeys(n for n in names if n not in _CYRILLIC_NON_LETTERS))


def _pdflatex_fonts() -> list[str]:
    fallbacks = [f"\\DeclareTextSymbolDefault{{\\{name}}}{{T2A}}" for name in cyrillic_letters()]
    return [
        # T1 last = the default encoding; T2A is there for Cyrillic.
        r"\usepackage[T2A,T1]{fontenc}",
        r"\usepackage[utf8]{inputenc}",
        # inputenc maps Cyrillic characters to \CYRA etc., which exist only in T2A. Babel
        # switches to T2A inside Russian text, but Cyrillic also appears outside it (a
        # Cyrillic name in an English entry; BibTeX styles never switch language), where
        # T1 would fail with "Command \CYRA unavailable in encoding T1". These defaults
        # make each letter pick T2A by itself.
        *fallbacks,
        # The last language is the main one.
        r"\usepackage[russian,american]{babel}",
        # Chinese: the document body is wrapped in a CJK environment (font gbsn).
        r"\usepackage{CJKutf8}",
    ]


def _xelatex_fonts() -> list[str]:
    return [
        r"\usepackage{fontspec}",
        # Latin and Cyrillic, with real italics.
        r"\setmainfont{DejaVu Serif}",
        r"\usepackage{xeCJK}",
        # Noto CJK has no italic; APA sets titles in italics, so slant artificially
        # rather than let xeCJK fall back to upright with a font warning.
        r"\setCJKmainfont{Noto Serif CJK SC}[AutoFakeSlant]",
        r"\usepackage[russian,american]{babel}",
    ]


def _escape_check(keys: Sequence[str]) -> list[str]:
    """Problems for keys that cannot be written into ``\\cite`` safely."""
    return [
        f"citation key {key!r} contains characters that cannot appear in \\cite"
        for key in keys
        if not key or re.search(r"[\s{}%#\\,~^]", key)
    ]


def document(chain: Toolchain, keys: Sequence[str]) -> str:
    """The LaTeX source that cites every key twice and prints the bibliography."""
    preamble = [r"\documentclass{article}"]
    # Characters a font lacks are otherwise dropped silently; level 2 logs each one as
    # "Missing character: There is no ... in font ...!" (3 would make it an error and
    # stop at the first).
    preamble.append(r"\tracinglostchars=2")
    preamble += _pdflatex_fonts() if chain.engine == "pdflatex" else _xelatex_fonts()
    cjk = chain.engine == "pdflatex"
    if chain.system == "biblatex":
        cite = r"\parencite"
        preamble += [
            r"\usepackage{csquotes}",
            # biblatex-apa 9.x maps languages to its -apa .lbx files itself
            # (\DeclareLanguageMappingSuffix), so no \DeclareLanguageMapping is needed.
            # autolang=other* puts each entry in its langid's language (hyphenation, and
            # under pdflatex babel's switch to T2A for Russian entries).
            rf"\usepackage[backend=biber,style={chain.style},autolang=other*]{{biblatex}}",
            rf"\addbibresource{{{BIB_NAME}}}",
        ]
        bibliography = [r"\printbibliography"]
    else:
        # apalike and apacite print URLs in \url{} inside howpublished and note fields.
        preamble.append(r"\usepackage{url}")
        if chain.system == "natbib":
            cite = r"\citep"
            preamble.append(r"\usepackage{natbib}")
        else:
            cite = r"\cite"
            preamble.append(r"\usepackage{apacite}")
        bibliography = [
            rf"\bibliographystyle{{{chain.style}}}",
            rf"\bibliography{{{Path(BIB_NAME).stem}}}",
        ]
    body = [f"{cite}{{{key}}} {cite}{{{key}}}\n" for key in keys]
    lines = [*preamble, r"\begin{document}"]
    if cjk:
        lines.append(r"\begin{CJK}{UTF8}{gbsn}")
    lines += [*body, *bibliography]
    if cjk:
        lines.append(r"\end{CJK}")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


# --- counting entries -----------------------------------------------------------------------

_ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]*)", re.MULTILINE)
_NOT_ENTRIES = frozenset({"string", "comment", "preamble"})


def bib_keys(bib: str | Path) -> list[str]:
    """The keys of the entries in a .bib text or file, in order (one per ``@type{``).

    Entries are recognised at the start of a line, as every exporter writes them.
    """
    text = bib.read_text(encoding="utf-8") if isinstance(bib, Path) else bib
    return [key for kind, key in _ENTRY.findall(text) if kind.lower() not in _NOT_ENTRIES]


def bbl_count(bbl: str, chain: Toolchain) -> int:
    """Bibliography entries in a .bbl written by biber or BibTeX."""
    if chain.backend == "biber":
        # biblatex-apa writes two sorted lists (citations, bibliography) with the same
        # entries, so count distinct keys.
        return len(set(re.findall(r"^\s*\\entry\{([^}]*)\}", bbl, re.MULTILINE)))
    return len(re.findall(r"\\bibitem\b", bbl))


# --- reading logs ---------------------------------------------------------------------------

# TeX errors: "! Message" and, with -file-line-error, "./doc.tex:12: Message".
_TEX_ERROR = re.compile(r"^(?:! .*|(?:[A-Za-z]:)?[^\s:()]+\.\w+:\d+: .*)$")
# First line of a warning; its continuation lines start with "(name)" plus spaces.
_WARNING = re.compile(r"^(?:LaTeX Font|LaTeX|Package (\S+)|Class (\S+)) Warning: ")
_MISSING_CHARACTER = re.compile(r"^Missing character: .*$")
# The engines' own warnings (e.g. pdfTeX about fonts); xdvipdfmx, which makes xelatex's
# PDF, writes its warnings to the terminal only.
_ENGINE_WARNING = re.compile(r"^(?:pdfTeX warning|XeTeX warning|xdvipdfmx:warning).*$")
_BIBER = re.compile(r"\b(?:WARN|ERROR) - .*$")
_BIBTEX = re.compile(
    r"^.*(?:Warning--|I was expecting|I'm skipping|Repeated entry|isn't style-file defined"
    r"|error message|I couldn't open|Illegal,|Sorry---you've exceeded).*$"
)

# Warnings that are expected and harmless, as (regular expression, why). Each was seen on
# this machine with the sample files; anything not listed here is a problem.
_HARMLESS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^LaTeX Font Warning: Font shape `C\d\d/\w+/[^/]+/(?:it|sl)' undefined"),
        # CJKutf8's Chinese fonts (C70 encoding, e.g. gbsn) have no italic or slanted shape,
        # and Chinese is not set in italics: the upright substitute is the right glyph.
        "CJK fonts have no italics; upright is correct for Chinese",
    ),
)


def _warnings(log: str) -> Iterator[str]:
    """Each warning in a TeX log as one line, continuation lines joined."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        match = _WARNING.match(line)
        if not match:
            continue
        name = match.group(1) or match.group(2) or "Font"
        parts = [line.strip()]
        for following in lines[index + 1 :]:
            if not following.startswith(f"({name})"):
                break
            parts.append(following[len(name) + 2 :].strip())
        yield " ".join(part for part in parts if part)


def _harmless(message: str) -> bool:
    return any(pattern.search(message) for pattern, _ in _HARMLESS)


_SOME_SHAPES = "LaTeX Font Warning: Some font shapes were not available, defaults substituted."


def _errors(log: str) -> list[str]:
    """TeX error lines, each with the ``l.<n> <source>`` line that TeX shows after it."""
    lines = log.splitlines()
    found = []
    for index, line in enumerate(lines):
        # halt-on-error adds this after the real error; it says nothing new.
        if not _TEX_ERROR.match(line) or "==> Fatal error occurred" in line:
            continue
        context = next(
            (after for after in lines[index + 1 : index + 8] if re.match(r"l\.\d+ ", after)), ""
        )
        found.append(f"{line.strip()} [{context.strip()}]" if context else line.strip())
    return found


def tex_problems(log: str, *, final: bool) -> list[str]:
    """Problems in one engine run's log; warnings only count in the ``final`` run.

    Earlier runs lack the .bbl and the .aux, so their warnings (undefined citations, "please
    rerun biber") are the normal state of a build in progress.
    """
    problems = _errors(log)
    if not final:
        return problems
    problems += [
        line.strip()
        for line in log.splitlines()
        if _MISSING_CHARACTER.match(line) or _ENGINE_WARNING.match(line)
    ]
    for warning in _warnings(log):
        # LaTeX sums up font substitutions at the end of the run. The summary only repeats
        # the "Font shape ... undefined" warnings, which are judged (and reported) one by one.
        if warning == _SOME_SHAPES or _harmless(warning):
            continue
        problems.append(warning)
    return problems


def bbl_problems(bbl: str) -> list[str]:
    r"""Unescaped ``%`` in .bbl text, which silently comments out the rest of the line.

    A raw ``%`` in a title makes TeX drop what follows it. Under biblatex that also drops a
    closing brace, so TeX stops with an error; but BibTeX styles write plain text, where
    the loss is silent (apalike prints "Budget cut by 5 Press release."), so it is looked
    for here. Skipped: whole-line comments (biber's header), biber's ``\verb`` lines (URLs,
    read verbatim) and ``\url{...}`` (url.sty reads a ``%`` there verbatim at top level,
    and inside another command's argument TeX reports the breakage itself).
    """
    found: dict[str, int] = {}  # line -> its first line number (biblatex-apa repeats entries)
    for number, line in enumerate(bbl.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(("%", "\\verb")):
            continue
        text = re.sub(r"\\url\{[^{}]*\}", "", stripped)
        # A % not escaped by a backslash, with something after it on the line.
        if re.search(r"(?<!\\)(?:\\\\)*%\s*\S", text):
            found.setdefault(stripped, number)
    return [
        f"line {n}: unescaped % hides the rest of the line: {line}" for line, n in found.items()
    ]


def backend_problems(blg: str, chain: Toolchain) -> list[str]:
    """Warnings and errors in a biber or BibTeX .blg file."""
    pattern = _BIBER if chain.backend == "biber" else _BIBTEX
    found = []
    for line in blg.splitlines():
        match = pattern.search(line)
        if match:
            found.append(match.group(0).strip())
    return found


# --- running --------------------------------------------------------------------------------


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read(path: Path) -> str:
    # TeX logs are bytes: pdflatex writes UTF-8 input bytes as they come, possibly cut.
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def compile_bib(bib_path: Path, toolchain: str, workdir: Path, keys: Sequence[str]) -> CheckResult:
    """Typeset ``keys`` from ``bib_path`` with ``toolchain`` in ``workdir``; list the problems.

    ``workdir`` gets ``doc.tex``, a copy of the .bib and every output (doc.pdf, doc.txt,
    doc-raw.txt, logs). If ``keys`` cites only some entries, the .bbl is expected to hold
    those that exist in the .bib rather than all of them.
    """
    chain = TOOLCHAINS[toolchain]
    started = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    # Outputs of an earlier check in the same directory would pass for this one's (a stale
    # doc.pdf when this run stops early), so they go first.
    for old in [*workdir.glob(f"{JOB}.*"), *workdir.glob(f"{JOB}-*")]:
        if old.is_file() and old.resolve() != bib_path.resolve():
            old.unlink()
    bib_copy = workdir / BIB_NAME
    if bib_path.resolve() != bib_copy.resolve():
        shutil.copyfile(bib_path, bib_copy)
    bib_text = _read(bib_copy)
    all_keys = bib_keys(bib_text)
    problems = _escape_check(keys)
    if not keys:
        problems.append("no citation keys given")
    (workdir / f"{JOB}.tex").write_text(document(chain, keys), encoding="utf-8")

    env = dict(os.environ)
    env["max_print_line"] = "10000"  # one log line per message: nothing is wrapped at 79
    engine = [chain.engine, *ENGINE_FLAGS, f"{JOB}.tex"]
    steps = [
        (f"{chain.engine} run 1", engine, f"{JOB}.log"),
        (chain.backend, [chain.backend, JOB], f"{JOB}.blg"),
        (f"{chain.engine} run 2", engine, f"{JOB}.log"),
        (f"{chain.engine} run 3", engine, f"{JOB}.log"),
        ("pdftotext", ["pdftotext", "-layout", "-enc", "UTF-8", f"{JOB}.pdf", f"{JOB}.txt"], None),
        ("pdftotext (raw)", ["pdftotext", "-enc", "UTF-8", f"{JOB}.pdf", f"{JOB}-raw.txt"], None),
    ]
    log_parts: list[str] = []
    completed = 0
    for name, command, log_name in steps if not problems else []:
        step_started = time.monotonic()
        try:
            run = subprocess.run(
                command,
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=STEP_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            problems.append(f"{name}: timed out after {STEP_TIMEOUT} s")
            break
        seconds = time.monotonic() - step_started
        log_file = _read(workdir / log_name) if log_name else ""
        log_parts.append(
            f"=== {name}: {' '.join(command)} (exit {run.returncode}, {seconds:.1f} s)\n"
            f"{run.stdout}{run.stderr}\n" + (f"--- {log_name}\n{log_file}\n" if log_name else "")
        )
        if name == chain.backend:
            found = backend_problems(log_file, chain)
        elif log_name:
            final = name.endswith("run 3")
            found = tex_problems(log_file, final=final)
            if final:
                output = f"{run.stdout}\n{run.stderr}".splitlines()
                found += [line for line in output if line.startswith("xdvipdfmx:warning")]
        else:
            found = []
        problems += [f"{name}: {_one_line(line)}" for line in found]
        if run.returncode != 0:
            last = (run.stderr or run.stdout).strip().splitlines()
            detail = f": {_one_line(last[-1])}" if last and not found else ""
            problems.append(f"{name}: exited with status {run.returncode}{detail}")
            break
        completed += 1

    bbl = _read(workdir / f"{JOB}.bbl")
    bbl_entries = bbl_count(bbl, chain)
    # Also after a failed run: an unescaped % is the likely cause of the error.
    problems += [f"{JOB}.bbl {_one_line(line)}" for line in bbl_problems(bbl)]
    cited = {key for key in keys if key in all_keys}
    expected = len(all_keys) if cited >= set(all_keys) else len(cited)
    if completed == len(steps) and bbl_entries != expected:
        what = "the .bib has" if expected == len(all_keys) else "cited entries in the .bib:"
        problems.append(
            f"{JOB}.bbl has {bbl_entries} entries but {what} {expected}: entries were lost"
            if bbl_entries < expected
            else f"{JOB}.bbl has {bbl_entries} entries but {what} {expected}"
        )
    return CheckResult(
        toolchain=toolchain,
        problems=_unique(problems),
        text=_read(workdir / f"{JOB}.txt"),
        raw_text=_read(workdir / f"{JOB}-raw.txt"),
        bib_entries=len(all_keys),
        bbl_entries=bbl_entries,
        log="\n".join(log_parts),
        seconds=time.monotonic() - started,
    )


# --- command line ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Check a .bib with some or all toolchains; print problems and text. Exit 0 if clean."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bib", type=Path, help="the .bib file to compile")
    parser.add_argument(
        "-t",
        "--toolchains",
        help=f"comma-separated, from {', '.join(TOOLCHAINS)} (default: all that are installed)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="keep each toolchain's files in DIR/<toolchain>",
    )
    parser.add_argument("-k", "--keys", help="comma-separated keys to cite (default: all)")
    parser.add_argument("--log", action="store_true", help="also print the combined logs")
    args = parser.parse_args(argv)

    if args.toolchains:
        names = [name.strip() for name in args.toolchains.split(",") if name.strip()]
        unknown = [name for name in names if name not in TOOLCHAINS]
        if unknown:
            parser.error(f"unknown toolchain(s): {', '.join(unknown)}")
    else:
        names = list(TOOLCHAINS)
        for name in names:
            if not available(name):
                print(f"# {name}: skipped, missing {', '.join(missing(name))}")
        names = [name for name in names if available(name)]
    keys = args.keys.split(",") if args.keys else bib_keys(args.bib)

    with tempfile.TemporaryDirectory(prefix="texcheck-") as scratch:
        base = args.output or Path(scratch)

        def check(name: str) -> CheckResult:
            if not available(name):
                return CheckResult(
                    name, [f"missing {', '.join(missing(name))}"], "", "", 0, 0, "", 0
                )
            return compile_bib(args.bib, name, base / name, keys)

        # Each toolchain works in its own directory, so they can all run at once.
        with ThreadPoolExecutor(max_workers=max(len(names), 1)) as pool:
            results = list(pool.map(check, names))

    failed = False
    for result in results:
        status = "ok" if result.ok else f"{len(result.problems)} problem(s)"
        print(
            f"=== {result.toolchain}: {status} ({result.seconds:.1f} s, "
            f"{result.bbl_entries}/{result.bib_entries} entries in .bbl/.bib)"
        )
        for problem in result.problems:
            print(f"  - {problem}")
        if args.log:
            print(result.log)
        print(result.text.rstrip() + "\n")
        failed |= not result.ok
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
