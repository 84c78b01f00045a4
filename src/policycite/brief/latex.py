r"""Read a LaTeX brief (``.tex``) into a :class:`Brief`, as its reader would read the PDF.

The text of the brief is the body's prose: the preamble, comments, math, floats
(``figure``, ``table``), equations, code listings and ``thebibliography`` are left out;
``\section{…}`` and its kin are headings; ``quote``, ``quotation`` and ``displayquote``
environments (and ``\blockquote{…}``) are block quotes; ``\emph{…}`` and other font
commands keep their text; accents and escapes (``\'e``, ``\"o``, ``\ss``, ``\&``,
``--``, ``~``, ``\ldots``) are decoded to Unicode with pylatexenc, so that quotations
compare with a source's text. Quotation marks: ````…''`` and ```…'``, babel's
``"`…"'``, ``\enquote{…}`` and ``\textquote[\cite…]{…}`` (csquotes, whose citation
follows the quotation) become “…”; straight ``"…"`` stay as written.

Citations are biblatex's ``\cite``, ``\parencite``, ``\textcite``, ``\autocite``,
``\footcite``, ``\smartcite``, ``\citeauthor``, ``\citeyear`` (and capitalised and
``…cites`` forms) and natbib's ``\citep``, ``\citet``, ``\citealt``, ``\citealp``. They
name records by key (form ``latex``); a postnote is the locator (``[para.~4]`` reads
"para. 4", a bare number ``[4]`` is a page as biblatex prints it, "p. 4"); with a
prenote too, the second bracket is the postnote, as in LaTeX. A footnote's text stays
where its ``\footnote{…}`` is, so a citation in a footnote right after a quotation
(``…''\footnote{\cite[para.~2]{key}}``) cites it. The reference list is printed by
biblatex or BibTeX from the keys: none is written, and none is expected.

Lines are those of the ``.tex`` file: whatever is left out keeps its line breaks, so a
finding's line number is the source's (columns count in the decoded line). A paragraph
ends at a blank line of the source (not at a comment line), ``\par``, an ``\item`` or a
heading.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from typing import Any

import attrs

from policycite.brief.bibliography import latex_bibliography
from policycite.brief.model import Brief, Citation, CitedWork, Span
from policycite.brief.structure import parse_brief
from policycite.errors import InputError
from policycite.formats.latex import decode as _decode

_NARRATIVE = {"textcite", "Textcite", "textcites", "Textcites", "citet", "Citet", "citealt"}
_NARRATIVE |= {"citeauthor", "Citeauthor", "citeauthor*", "Citeauthor*"}
#: Citation commands: each prints a citation of its keys where it stands.
CITE_COMMANDS = frozenset(
    _NARRATIVE
    | {
        "cite",
        "Cite",
        "cites",
        "Cites",
        "parencite",
        "Parencite",
        "parencites",
        "Parencites",
        "autocite",
        "Autocite",
        "autocites",
        "Autocites",
        "footcite",
        "footcites",
        "footcitetext",
        "smartcite",
        "Smartcite",
        "supercite",
        "citeyear",
        "citeyearpar",
        "citetitle",
        "citep",
        "Citep",
        "citealp",
        "Citealp",
        "citenum",
    }
)
_HEADINGS = frozenset(
    "part chapter section subsection subsubsection paragraph subparagraph".split()
)
_FONT = frozenset(
    "emph textit textbf textsc texttt textsf textrm textup textsl textmd textnormal "
    "underline uline mbox text textsuperscript textsubscript".split()
)
#: Environments whose content is not prose: left out whole.
_SKIPPED_ENVS = frozenset(
    "figure table tabular tabularx longtable equation align gather multline eqnarray "
    "displaymath math verbatim Verbatim lstlisting minted tikzpicture thebibliography "
    "comment filecontents".split()
)
_QUOTE_ENVS = frozenset({"quote", "quotation", "displayquote"})
_LISTS = frozenset({"itemize", "enumerate", "description"})
_LETTER_ACCENTS = frozenset("c v u H k r b d t".split())
#: How deep arguments may nest (`\emph{\textbf{…}}` is 2).
MAX_DEPTH = 64
#: Commands whose arguments are not text (labels, files, lengths): left out with them.
_DROPPED = frozenset(
    "label ref eqref pageref cref Cref autoref nameref index vspace hspace includegraphics "
    "nocite addbibresource bibliography bibliographystyle printbibliography input include "
    "usepackage documentclass hypersetup setlength newcommand renewcommand color "
    "footnotemark thanks title author date".split()
)
_BREAKS = frozenset({"par", "item", "maketitle", "newpage", "clearpage"})
_SPACES = frozenset({"\\", "newline", "linebreak", "quad", "qquad", "enspace", "thinspace"})
_NUMBER_RE = re.compile(r"\d+(?:\s*[-–]+\s*\d+)?\Z")
_LETTERS_RE = re.compile(r"[A-Za-z]+\*?")
_BEGIN_DOCUMENT_RE = re.compile(r"\\begin\s*\{document\}")
_END_DOCUMENT_RE = re.compile(r"\\end\s*\{document\}")


def read_latex(text: str, name: str) -> Brief:
    """The brief of a LaTeX file's text (``name`` for messages and locations)."""
    converter = _Converter(text, name)
    begin = _find_outside_comments(_BEGIN_DOCUMENT_RE, text, 0)
    if begin is None:  # a fragment, \input by a main file: all of it is body
        converter.convert(0, len(text))
    else:
        converter.blank(0, begin.end())
        end = _find_outside_comments(_END_DOCUMENT_RE, text, begin.end())
        stop = end.start() if end is not None else len(text)
        converter.convert(begin.end(), stop)
        converter.blank(stop, len(text))
    out = converter.text()
    spans = converter.paragraphs()
    if not spans:
        raise InputError("the brief is empty (no text in the document body)", source=name)
    brief = parse_brief(out, path=name, format="latex", paragraphs=spans, find=converter.find)
    return _with_bibliography(brief, latex_bibliography(text))


def _with_bibliography(brief: Brief, files: tuple[str, ...]) -> Brief:
    return attrs.evolve(brief, bibliography=files)


@functools.lru_cache(maxsize=1024)
def decode(latex: str) -> str:
    """The Unicode of a short LaTeX snippet (an accent, a symbol command).

    The same few snippets recur all through a brief, and pylatexenc takes a third of a
    millisecond for each: they are decoded once.
    """
    return _decode(latex)


def _find_outside_comments(pattern: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    for match in pattern.finditer(text, start):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if _comment_start(text, line_start, match.start()) is None:
            return match
    return None


def _comment_start(text: str, start: int, end: int) -> int | None:
    r"""Where a ``%`` comment starts between start and end (an escaped ``\%`` is none)."""
    index = start
    while index < end:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "%":
            return index
        index += 1
    return None


def _group_end(text: str, start: int, limit: int, *, verbatim: bool = False) -> int:
    r"""Index just after the ``}`` closing the ``{`` at ``start`` (``limit`` if unclosed).

    ``verbatim``: a ``%`` is a character, as in the URL of ``\url{…}``, not a comment.
    """
    depth = 0
    index = start
    while index < limit:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "%" and not verbatim:
            newline = text.find("\n", index, limit)
            index = limit if newline < 0 else newline
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return limit


def _bracket_end(text: str, start: int, limit: int) -> int:
    """Index just after the ``]`` closing the ``[`` at ``start`` (braces and brackets nest)."""
    depth = 0
    index = start + 1
    while index < limit:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in "{[":
            depth += 1
        elif char == "}" or (char == "]" and depth > 0):
            depth -= 1
        elif char == "]":
            return index + 1
        index += 1
    return limit


class _Converter:
    """Turns the LaTeX source into the brief's text, recording what structure it finds.

    ``convert`` appends to the output; citations, headings, block quotes and paragraph
    breaks are recorded with their output offsets.
    """

    def __init__(self, source: str, name: str = "<latex>") -> None:
        self.src = source
        self.name = name
        self.depth = 0  # arguments being converted inside one another
        self.parts: list[str] = []
        self.length = 0
        self.citations: list[tuple[int, int, list[CitedWork]]] = []
        self.regions: list[tuple[int, int, str]] = []
        self.breaks: list[int] = []

    # --- output ---

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def blank(self, start: int, end: int) -> None:
        """Leave src[start:end] out, keeping its line breaks."""
        count = self.src.count("\n", start, end)
        if count:
            self.emit("\n" * count)

    def text(self) -> str:
        return "".join(self.parts)

    def paragraphs(self) -> list[tuple[int, int, str]]:
        """(start, end, kind) of each paragraph of the output."""
        cuts = {0, self.length, *self.breaks}
        for start, end, _ in self.regions:
            cuts |= {start, end}
        edges = sorted(cuts)
        out = []
        text = self.text()
        for start, end in itertools.pairwise(edges):
            if not text[start:end].strip():
                continue
            kind = next((k for a, b, k in self.regions if a <= start and end <= b), "body")
            out.append((start, end, kind))
        return out

    def find(
        self, text: str, *, offset: int = 0, span_at: Callable[[int, int], Span] | None = None
    ) -> list[Citation]:
        """The citations recorded inside one paragraph: parse_brief's ``find``."""
        assert span_at is not None  # parse_brief always passes it
        found: list[Citation] = []
        for start, end, works in self.citations:
            if offset <= start and end <= offset + len(text):
                as_tuple: Any = tuple(works)  # see brief.citations: the converter's typing
                local = text[start - offset : end - offset]
                found.append(Citation(span_at(start, end), local, "latex", as_tuple))
        return found

    # --- conversion ---

    def convert(self, start: int, end: int) -> None:
        """Append the text of src[start:end]."""
        if self.depth >= MAX_DEPTH:  # prose never nests so deep; recursion must not fail
            line = self.src.count("\n", 0, start) + 1
            raise InputError(
                f"the LaTeX nests arguments more than {MAX_DEPTH} deep", source=self.name, line=line
            )
        self.depth += 1
        try:
            self._convert(start, end)
        finally:
            self.depth -= 1

    def _convert(self, start: int, end: int) -> None:
        src = self.src
        index = start
        while index < end:
            char = src[index]
            if char == "%":
                newline = src.find("\n", index, end)
                index = end if newline < 0 else newline
            elif char == "\\":
                index = self._command(index, end)
            elif char == "\n":
                self.emit("\n")
                after = index + 1
                while after < end and src[after] in " \t\r":
                    after += 1
                if after < end and src[after] == "\n":
                    self.breaks.append(self.length)
                index += 1
            elif char in "{}":
                index += 1
            elif char == "~":
                self.emit(" ")
                index += 1
            elif char == "$":
                index = self._math(index, end)
            elif char == "`":
                double = src.startswith("``", index)
                self.emit("\u201c" if double else "\u2018")
                index += 2 if double else 1
            elif char == "'":
                double = src.startswith("''", index)
                self.emit("\u201d" if double else "\u2019")
                index += 2 if double else 1
            elif char == '"' and src[index + 1 : index + 2] in {"`", "'"}:
                self.emit("\u201e" if src[index + 1] == "`" else "\u201c")  # babel: "`…"'
                index += 2
            elif char == "-" and src.startswith("--", index):
                triple = src.startswith("---", index)
                self.emit("\u2014" if triple else "\u2013")
                index += 3 if triple else 2
            else:
                run = index + 1
                while run < end and src[run] not in "%\\\n{}~$`'\"-":
                    run += 1
                self.emit(src[index:run])
                index = run

    def _math(self, index: int, end: int) -> int:
        """Leave out $…$ or $$…$$."""
        delimiter = "$$" if self.src.startswith("$$", index) else "$"
        close = index + len(delimiter)
        while True:
            close = self.src.find(delimiter, close, end)
            if close < 0 or self.src[close - 1] != "\\":
                break
            close += 1
        stop = end if close < 0 else close + len(delimiter)
        self.blank(index, stop)
        return stop

    def _skip_spaces(self, index: int, end: int) -> int:
        while index < end and self.src[index] in " \t":
            index += 1
        return index

    def _optionals(self, index: int, end: int, most: int = 2) -> tuple[list[str], int]:
        """The ``[…]`` arguments at ``index`` (as written) and the index after them."""
        found: list[str] = []
        while len(found) < most:
            at = self._skip_spaces(index, end)
            if at >= end or self.src[at] != "[":
                break
            close = _bracket_end(self.src, at, end)
            found.append(self.src[at + 1 : close - 1])
            index = close
        return found, index

    def _argument(
        self, index: int, end: int, *, verbatim: bool = False
    ) -> tuple[int, int, int] | None:
        """(content start, content end, index after) of the ``{…}`` argument at ``index``."""
        at = self._skip_spaces(index, end)
        if at < end and self.src[at] == "\n":  # one line break may come before it
            at = self._skip_spaces(at + 1, end)
        if at >= end or self.src[at] != "{":
            return None
        close = _group_end(self.src, at, end, verbatim=verbatim)
        return at + 1, max(at + 1, close - 1), close

    def _command(self, index: int, end: int) -> int:
        src = self.src
        letters = _LETTERS_RE.match(src, index + 1)
        if letters is None:
            return self._symbol(index, end)
        name = letters.group()
        after = letters.end()
        base = name.rstrip("*")
        if name in CITE_COMMANDS or base in CITE_COMMANDS:
            return self._cite(index, name, after, end)
        if base in _HEADINGS:
            _, after = self._optionals(after, end, 1)
            argument = self._argument(after, end)
            if argument is None:
                return after
            region = self.length
            self.breaks.append(region)
            self.convert(argument[0], argument[1])
            self.regions.append((region, self.length, "heading"))
            self.breaks.append(self.length)
            return argument[2]
        if base == "begin":
            return self._begin(index, after, end)
        if base == "end":
            argument = self._argument(after, end)
            if argument and self.src[argument[0] : argument[1]].strip() in _LISTS:
                self.breaks.append(self.length)
            return argument[2] if argument else after
        if base in {"textcolor", "colorbox"}:  # \textcolor{red}{text}: the text
            argument = self._argument(after, end)
            return argument[2] if argument else after
        return self._text_command(name, after, end)

    def _text_command(self, name: str, after: int, end: int) -> int:
        """A command that prints text, or a break, or nothing (``after``: past its name)."""
        src = self.src
        base = name.rstrip("*")
        if base in _FONT or base in {"footnote", "footnotetext", "href", "enquote"}:
            if base in {"footnote", "footnotetext"}:
                _, after = self._optionals(after, end, 1)
            argument = self._argument(after, end, verbatim=base == "href")
            if argument is None:
                return after
            if base == "href":  # \href{url}{text}: the text
                second = self._argument(argument[2], end)
                if second is None:
                    return argument[2]
                argument = second
            if base in {"footnote", "footnotetext"}:
                self.emit("\\footnote{")
            elif base == "enquote":
                self.emit("\u201c")
            self.convert(argument[0], argument[1])
            if base in {"footnote", "footnotetext"}:
                self.emit("}")
            elif base == "enquote":
                self.emit("\u201d")
            return argument[2]
        if base in {"textquote", "blockquote", "foreignquote", "foreignblockquote"}:
            return self._csquote(base, after, end)
        if base in {"url", "nolinkurl"}:
            argument = self._argument(after, end, verbatim=True)
            if argument is None:
                return after
            self.emit(src[argument[0] : argument[1]])
            return argument[2]
        if base in _DROPPED:
            _, after = self._optionals(after, end)
            arguments = 2 if base in {"newcommand", "renewcommand", "setlength"} else 1
            for _ in range(arguments):
                argument = self._argument(after, end)
                if argument is None:
                    break
                self.blank(after, argument[2])
                after = argument[2]
            return after
        if base in _BREAKS:
            self.breaks.append(self.length)
            if base == "item":
                _, after = self._optionals(after, end, 1)
            return self._skip_spaces(after, end)
        if base in _SPACES:
            self.emit(" ")
            return after
        if name in _LETTER_ACCENTS:  # \c{c}, \v Z: the accent over its letter
            at = self._skip_spaces(after, end)
            stop = _group_end(src, at, end) if src[at : at + 1] == "{" else min(at + 1, end)
            self.emit(decode(f"\\{name}{{{src[at:stop].strip('{}')}}}"))
            return stop
        # Any other command: the character pylatexenc knows for it ("\ss", "\ldots",
        # "\textendash"), or nothing ("\noindent", "\centering"); its braces, if any,
        # are read as text. TeX drops the spaces after a command word.
        self.emit(decode("\\" + name))
        return self._skip_spaces(after, end)

    def _symbol(self, index: int, end: int) -> int:
        """A command of one non-letter: an escape, a space or an accent."""
        src = self.src
        char = src[index + 1 : index + 2]
        if char in {"%", "&", "$", "#", "_", "{", "}"}:
            self.emit(char)
            return index + 2
        if char == "\\":
            self.emit(" ")
            _, after = self._optionals(index + 2, end, 1)
            return after
        if char in {" ", ",", ";", ":", "\n", "\t"}:
            self.emit("\n" if char == "\n" else " ")
            return index + 2
        if char in {"@", "/", "-", "!"}:
            return index + 2
        if char == "[":  # \[ … \] display math
            close = src.find("\\]", index + 2, end)
            stop = end if close < 0 else close + 2
            self.blank(index, stop)
            return stop
        if char == "(":  # \( … \) inline math
            close = src.find("\\)", index + 2, end)
            stop = end if close < 0 else close + 2
            self.blank(index, stop)
            return stop
        if char in "'`^\"~=.":  # an accent over the next letter, {group} or \\i
            at = index + 2
            stop = min(at + 1, end)
            if at < end and src[at] == "{":
                stop = _group_end(src, at, end)
            elif at < end and src[at] == "\\":
                letters = _LETTERS_RE.match(src, at + 1)
                stop = letters.end() if letters else min(at + 2, end)
            self.emit(decode(src[index:stop]))
            return stop
        self.emit(char)
        return index + 2

    def _begin(self, index: int, after: int, end: int) -> int:
        argument = self._argument(after, end)
        if argument is None:
            return after
        env = self.src[argument[0] : argument[1]].strip()
        closing = self._environment_end(env, argument[2], end)
        body_end, stop = closing if closing else (end, end)
        base = env.rstrip("*")
        if base in _SKIPPED_ENVS:
            self.blank(index, stop)
            return stop
        if env in _QUOTE_ENVS:
            body = argument[2]
            notes: list[str] = []
            if env == "displayquote":
                notes, body = self._optionals(body, body_end)
            region = self.length
            self.breaks.append(region)
            self.convert(body, body_end)
            if notes and notes[0].strip():  # [\cite{key}]: the citation closes the quote
                self.emit(" ")
                self._emit_source(notes[0])
            self.regions.append((region, self.length, "blockquote"))
            self.breaks.append(self.length)
            self.blank(argument[2], body)  # the notes' own line breaks, printed after
            self.blank(body_end, stop)
            return stop
        if base in _LISTS:
            self.breaks.append(self.length)
        return argument[2]  # other environments: their content is text

    def _environment_end(self, env: str, start: int, end: int) -> tuple[int, int] | None:
        r"""(start, end) of the ``\end{env}`` closing an environment opened before ``start``."""
        pattern = re.compile(r"\\(begin|end)\s*\{" + re.escape(env) + r"\}")
        depth = 1
        for match in pattern.finditer(self.src, start, end):
            line_start = self.src.rfind("\n", 0, match.start()) + 1
            if _comment_start(self.src, line_start, match.start()) is not None:
                continue
            depth += 1 if match.group(1) == "begin" else -1
            if depth == 0:
                return match.start(), match.end()
        return None

    def _emit_source(self, latex: str) -> None:
        """Convert a piece of LaTeX that is not in the source where it is printed."""
        inner = _Converter(latex)
        inner.convert(0, len(latex))
        base = self.length
        for start, stop, works in inner.citations:
            self.citations.append((base + start, base + stop, works))
        self.emit(" ".join(inner.text().split("\n")))

    def _csquote(self, base: str, after: int, end: int) -> int:
        r"""``\textquote[cite][punct]{text}``, ``\blockquote…``: the quotation, then its cite."""
        if base.startswith("foreign"):
            language = self._argument(after, end)
            after = language[2] if language else after
        notes_at = after
        notes, after = self._optionals(after, end)
        argument = self._argument(after, end)
        if argument is None:
            return after
        block = base.endswith("blockquote")
        region = self.length
        if block:
            self.breaks.append(region)
        else:
            self.emit("\u201c")
        self.convert(argument[0], argument[1])
        if not block:
            self.emit("\u201d")
        if len(notes) > 1:
            self.emit(notes[1])
        if notes and notes[0].strip():
            self.emit(" ")
            self._emit_source(notes[0])
        if block:
            self.regions.append((region, self.length, "blockquote"))
            self.breaks.append(self.length)
        self.blank(notes_at, after)  # the notes' own line breaks, printed after
        return argument[2]

    def _cite(self, index: int, name: str, after: int, end: int) -> int:
        """A citation command, kept as written; its keys and locators recorded."""
        src = self.src
        multi = name.rstrip("*").endswith("cites")
        works: list[CitedWork] = []
        stop = after
        while True:
            notes, next_at = self._optionals(stop, end)
            argument = self._argument(next_at, end)
            if argument is None:
                break
            keys = [k.strip() for k in src[argument[0] : argument[1]].split(",") if k.strip()]
            locator = _locator(notes[-1]) if notes else None
            works.extend(
                CitedWork(key=key, locator=locator if i == len(keys) - 1 else None)
                for i, key in enumerate(keys)
            )
            stop = argument[2]
            if not multi:
                break
        if not works:
            self.emit(decode("\\" + name))
            return after
        start = self.length
        self.emit(" ".join(src[index:stop].split()))
        self.citations.append((start, self.length, works))
        self.blank(index, stop)  # a citation broken over lines keeps its line breaks
        return stop


def _locator(postnote: str) -> str | None:
    """A postnote as the locator it prints: "para.~4" → "para. 4", "4" → "p. 4"."""
    inner = _Converter(postnote)
    inner.convert(0, len(postnote))
    text = " ".join(inner.text().split())
    if not text:
        return None
    if _NUMBER_RE.match(text):
        return ("pp. " if any(c in text for c in "-–") else "p. ") + text.replace("--", "–")
    return text


__all__ = ["CITE_COMMANDS", "MAX_DEPTH", "read_latex"]
