"""``policycite-pandoc``: a pandoc JSON filter that checks and renders a document's citations.

``pandoc brief.md --filter policycite-pandoc -o brief.html`` reads the library named by
the document's ``bibliography:`` (a policycite library folder, or ``.json``/``.yaml``/
``.bib`` files), then

1. checks the document as ``policycite check`` checks a Markdown brief (every rule:
   citations without reference, misquotes against the snapshots, locators, …; see
   :mod:`.document`) and prints the findings on standard error, each pointing at the
   citation or quotation in the source (:mod:`.located`);
2. renders the citations and the reference list with policycite's engine, in place of
   pandoc's ``--citeproc`` (:mod:`.rendering`; APA's fixes and Robust Links apply).

Options come from the metadata and the environment (:mod:`.options`). Exit status: 0
(a filter must not break a build unless asked), 1 when ``fail-on`` is set and a finding
is that severe, 2 for input the filter cannot use (one line, naming the file), 3 for a
bug (one line, traceback saved). pandoc stops on any status but 0 and writes nothing.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import attrs
import panflute as pf

from policycite.config import discover
from policycite.crash import crash_line
from policycite.errors import InputError, PolicyciteError, StyleError
from policycite.findings import Finding, Report
from policycite.model import Library
from policycite.output.text import summary
from policycite.pandocfilter.document import read_document
from policycite.pandocfilter.located import relocate
from policycite.pandocfilter.options import THRESHOLDS, FilterOptions, read_options
from policycite.pandocfilter.rendering import render, rendered_already
from policycite.render import Renderer
from policycite.rules.inputs import library_for
from policycite.rules.validate import check

PROG = "policycite-pandoc"
_API_VERSION = re.compile(r'"pandoc-api-version"\s*:\s*\[\s*(\d+)\s*,\s*(\d+)')
#: pandoc-types 1.22 came with pandoc 2.11, the oldest panflute 2 reads.
_OLDEST_API = (1, 22)
EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3
_USAGE = f"""usage: pandoc DOCUMENT --filter {PROG} [-o OUTPUT]

A pandoc JSON filter: checks the document's citations and quotations against the library
named by its `bibliography:` metadata (findings on standard error) and renders its
citations and reference list with policycite's engine (in place of --citeproc).
Metadata: csl, lang, reference-section-title, suppress-bibliography, nocite,
link-citations, link-bibliography; policycite: {{fail-on: warning|error|never,
render: true|false, check: true|false}}. Environment: POLICYCITE_FAIL_ON.
"""


def _load(stream: IO[str]) -> pf.Doc:
    text = stream.read()
    version = _API_VERSION.search(text[:200])
    if version is not None and (int(version[1]), int(version[2])) < _OLDEST_API:
        raise InputError(
            f"pandoc's JSON API {version[1]}.{version[2]} is too old: the filter needs "
            "pandoc 2.11 or later",
            source="standard input",
        )
    try:
        doc = pf.load(io.StringIO(text))
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError, AssertionError) as err:
        # panflute asserts the shape and refuses API versions before pandoc 2.10's.
        raise InputError(
            f"not a pandoc JSON document ({type(err).__name__}); run as "
            f"`pandoc DOCUMENT --filter {PROG}`",
            source="standard input",
        ) from None
    if not isinstance(doc, pf.Doc):
        raise InputError("not a pandoc JSON document", source="standard input")
    return doc


def _with_usable_locale(options: FilterOptions, errors: IO[str]) -> FilterOptions:
    """The options, without ``lang`` when no CSL locale exists for it.

    ``lang`` is also the document's language for hyphenation and quotation marks, so a
    language CSL has no locale for ("en-IE") must not stop the build: the style's own
    locale is used instead, and said.
    """
    if options.locale is None:
        return options
    try:
        Renderer(Library(), "apa", locale=options.locale)
    except StyleError as err:
        errors.write(f"{PROG}: note: lang: {err}; the style's own locale is used\n")
        return attrs.evolve(options, locale=None)
    return options


def filter_document(doc: pf.Doc, options: FilterOptions, errors: IO[str]) -> list[Finding]:
    """Check and render ``doc`` in place; the findings, also written to ``errors``.

    What reading the library found is written too, but not returned: as for
    ``policycite check --fail-on``, only the document's findings decide the exit status.
    """
    render_it = options.render
    if render_it and rendered_already(doc):
        errors.write(
            f"{PROG}: note: pandoc's --citeproc ran before this filter: citations are "
            "checked, not rendered again\n"
        )
        render_it = False
    document, cites = read_document(doc)
    if not options.bibliography:
        if not cites:
            return []  # nothing cited, no library named: nothing to do
        raise InputError(
            "the document cites, but names no bibliography: give `bibliography:` in the "
            "metadata (a policycite library folder, or .json, .yaml, .bib files)",
            source="metadata",
        )
    options = _with_usable_locale(options, errors)
    if render_it and not cites and document.brief.citations:
        # pandoc's CommonMark readers (commonmark_x, gfm: those with sourcepos) have no
        # citations extension: "[@key]" stays text, which is checked but cannot be rendered.
        errors.write(
            f"{PROG}: note: the reader made no citations of the document's [@key] text "
            "(pandoc's commonmark readers have no citations extension): citations are "
            "checked, not rendered; read it as markdown to render them\n"
        )
    given = library_for(document.brief, list(options.bibliography), cache=True)
    errors.write(Report(given.findings).to_text())
    reported: list[Finding] = []
    if options.check:
        if given.folder is None:
            files = ", ".join(str(p) for p in given.paths)
            errors.write(
                f"{PROG}: note: {files} has no snapshots: quotations are not checked "
                "against their sources; name a library folder in `bibliography:`\n"
            )
        config = discover(Path.cwd() / "document", *given.paths)
        result = check(
            document.brief,
            given.library,
            given.folder,
            style=options.style,
            locale=options.locale,
            html=False,
            selection=[config.check],
        )
        findings = result.report.findings
        if not document.brief.citations:  # pandoc writes the list of what is cited: none
            findings = tuple(f for f in findings if f.code != "PC219")
        reported = relocate(findings, document)
    if render_it:
        rendered = render(doc, cites, given.library, options)
        # Unknown keys are PC201 of the check already; alone, the renderer says so.
        reported += [f for f in rendered if not (options.check and f.code == "PC102")]
    errors.write(Report(reported).to_text())
    if reported:
        errors.write(f"{PROG}: {summary(reported, 'the document')}\n")
    return reported


def run(
    stdin: IO[str], stdout: IO[str], stderr: IO[str], environ: dict[str, str] | None = None
) -> int:
    """Filter one document from ``stdin`` to ``stdout``; returns the exit status."""
    try:
        doc = _load(stdin)
        options = read_options(doc, environ)
        findings = filter_document(doc, options, stderr)
        pf.dump(doc, stdout)
        stdout.flush()
    except PolicyciteError as err:
        stderr.write(f"{PROG}: error: {err}\n")
        return EXIT_ERROR
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        stderr.write(f"{PROG}: error: {where}{err.strerror or err}\n")
        return EXIT_ERROR
    except Exception as err:  # a bug: never exit 1, which means "problems found"
        stderr.write(crash_line(err).replace("policycite:", f"{PROG}:", 1))
        return EXIT_INTERNAL
    failing = THRESHOLDS[options.fail_on]
    return EXIT_PROBLEMS if any(f.severity.value in failing for f in findings) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: pandoc passes the output format as the one argument."""
    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in {"-h", "--help"} for a in args):
        sys.stdout.write(_USAGE)
        return EXIT_OK
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
    try:
        return run(stdin, stdout, sys.stderr, dict(os.environ))
    finally:
        stdout.flush()


__all__ = ["filter_document", "main", "run"]
