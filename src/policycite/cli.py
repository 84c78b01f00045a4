"""The ``policycite`` command: parse arguments, call the library, print, exit 0/1/2/3.

Exit status: 0 all well; 1 problems found (findings of warning or error severity, printed
on standard error); 2 usage or input error, printed as one line naming the file and place;
3 internal error (a bug): one line, the traceback saved to a file (:mod:`policycite.crash`).
No logic lives here beyond choosing what to call and where to print.

Start-up (issue 17): a writer pays for this module on every command, so it imports only
the standard library's light modules at its top. Each command imports what it uses in its
own function, and the parser builds the arguments of the command being run only (the
others get their name and one-line help): ``policycite --version`` loads neither citeproc
nor python-docx, and ``policycite styles`` no renderer. tests/test_startup.py pins it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from policycite.defaults import DEFAULT_FOLDER, DEFAULT_LOCALE
from policycite.errors import InputError, PolicyciteError

if TYPE_CHECKING:  # types only: each command imports what it runs
    from policycite.capture.addresses import AddressPolicy
    from policycite.findings import Finding
    from policycite.model import Source
    from policycite.rules.result import CheckResult

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


class _Version(argparse._VersionAction):
    """``--version``: the installed version is looked up only when asked for.

    (importlib.metadata costs more than the rest of ``policycite --help``.)
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        from policycite.about import version

        self.version = f"%(prog)s {version()}"
        super().__call__(parser, namespace, values, option_string)


def _add_locale_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locale",
        default=None,
        help="CSL locale, e.g. en-GB (default: policycite.toml's locale, else the style's "
        f"default-locale, else {DEFAULT_LOCALE})",
    )


def _settings(args: argparse.Namespace, *starts: Path) -> tuple[str, str | None]:
    """The style and locale of a rendering, from the command line or the configuration.

    The configuration file is the one found from ``starts`` (then the working folder);
    without either: apa, and the style's own locale.
    """
    from policycite.config import discover

    config = discover(*starts, Path.cwd())
    return args.style or config.style or "apa", args.locale or config.locale


def _add_render_options(parser: argparse.ArgumentParser) -> None:
    from policycite.render.output import FORMATS

    parser.add_argument(
        "--style",
        "-s",
        default=None,
        help="CSL style name (see `policycite styles`) or .csl file (default: policycite.toml's "
        "style, else apa)",
    )
    _add_locale_option(parser)
    parser.add_argument(
        "--to",
        "-t",
        dest="output",
        choices=sorted(FORMATS),
        default="text",
        help="output format (default: text)",
    )


def _add_jobs_option(parser: argparse.ArgumentParser) -> None:
    # issue 17: a large bibliography renders on every core (output as with one).
    parser.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        metavar="N",
        help="processes to render with (default: every core from 2000 entries, else 1)",
    )


def _jobs(text: str) -> int:
    """A process count: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {text!r}")
    return value


def _seconds(text: str) -> float:
    """A time-out in seconds: a finite number above zero (not inf, nan or negative)."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number above 0, got {text!r}")
    return value


def _add_library_options(parser: argparse.ArgumentParser, *, network: bool = False) -> None:
    """The library folder option; with ``network``, the time-out of URL fetches too."""
    parser.add_argument(
        "--library",
        "-l",
        type=Path,
        default=DEFAULT_FOLDER,
        help="library folder (default: %(default)s)",
    )
    if network:
        from policycite.capture.pipeline import TIMEOUT

        parser.add_argument(
            "--timeout",
            type=_seconds,
            default=TIMEOUT,
            help="seconds per URL (default: %(default)s)",
        )
        parser.add_argument(
            "--allow-private",
            action="store_true",
            help="let URLs and redirects reach private, loopback and link-local addresses "
            "(an intranet library; default: refused, as are cloud metadata addresses always)",
        )


def _args_add(add: argparse.ArgumentParser) -> None:
    from policycite.capture.document import FIELDS
    from policycite.capture.transliteration import CHOICES as TRANSLITERATIONS
    from policycite.kinds import KINDS
    from policycite.model import PartialDate

    add.add_argument("targets", nargs="+", help="files or http(s) URLs")
    _add_library_options(add, network=True)
    add.add_argument(
        "--kind", "-k", choices=list(KINDS), help="the kind of source (default: guessed)"
    )
    add.add_argument("--key", help="citation key (default: author + year, e.g. norov2020)")
    add.add_argument("--url", help="where a saved file was read (default: the page's own)")
    add.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="give or correct a field: " + ", ".join(FIELDS) + " (repeatable)",
    )
    add.add_argument(
        "--document",
        "-d",
        type=int,
        action="append",
        help="only this document of a page holding several (1-based; repeatable)",
    )
    add.add_argument(
        "--accessed",
        type=PartialDate.parse,
        metavar="YYYY-MM-DD",
        help="when you read the page (default: today for a URL, the file's date for a file)",
    )
    add.add_argument(
        "--transliterate",
        choices=TRANSLITERATIONS,
        default="auto",
        help="romanise titles and names in Cyrillic or Chinese beside the originals "
        "(default auto: BGN/PCGN for Russian, ISO 9 other Cyrillic, pinyin Chinese)",
    )
    add.add_argument("--dry-run", "-n", action="store_true", help="show, write nothing")


def _args_verify(ver: argparse.ArgumentParser) -> None:
    ver.add_argument("keys", nargs="*", help="citation keys (default: every record)")
    _add_library_options(ver, network=True)
    ver.add_argument("--offline", action="store_true", help="only re-hash the snapshots")
    ver.add_argument("--no-archive", action="store_true", help="do not look up archived copies")
    ver.add_argument(
        "--archive-endpoint",
        metavar="URL",
        help="Wayback-style availability API (default: $POLICYCITE_ARCHIVE_ENDPOINT, else "
        "the Internet Archive's)",
    )
    ver.add_argument(
        "--format", choices=["text", "json"], default="text", help="findings as text or JSON"
    )
    ver.add_argument(
        "--fix",
        action="store_true",
        help="first remove what interrupted runs left: temporary files and snapshots no "
        "record names (PC309)",
    )


def _args_anchor(anc: argparse.ArgumentParser) -> None:
    anc.add_argument("key", help="the source's citation key")
    anc.add_argument("quotes", nargs="*", help="quotations (with or without quotation marks)")
    anc.add_argument(
        "--file", "-f", type=Path, help="a text file with one quotation per line ('#' comments)"
    )
    anc.add_argument("--no-save", action="store_true", help="check only; do not store anchors")
    anc.add_argument(
        "--format", choices=["text", "json"], default="text", help="results as text or JSON"
    )
    _add_library_options(anc)


def _args_copying(cop: argparse.ArgumentParser) -> None:
    cop.add_argument("brief", type=Path, help="the brief: .txt, .md, .html, .docx or .tex")
    _add_library_options(cop)


def _args_import(imp: argparse.ArgumentParser) -> None:
    from policycite.capture.transliteration import CHOICES as TRANSLITERATIONS

    sources = imp.add_subparsers(dest="importer", required=True, parser_class=_Parser)
    zot = sources.add_parser(
        "zotero",
        help="a Zotero data directory, the Zotero API or a Zotero export",
        description="Import a Zotero data directory (or its zotero.sqlite, read from a "
        "copy, so Zotero may keep running), a library over the Zotero Web API or Zotero "
        "7's local API (--api, --local), or an export (Better BibTeX .bib, CSL JSON). "
        "Keys: Better BibTeX citation keys, else author + year; HTML snapshots are stored "
        "as snapshots. --dry-run writes nothing.",
    )
    zot.add_argument(
        "source",
        type=Path,
        nargs="?",
        help="Zotero data directory or zotero.sqlite, or an export: a Better BibTeX .bib or "
        "a CSL JSON .json file (or give --api or --local instead)",
    )
    _add_library_options(zot, network=True)
    _add_zotero_api_options(zot)
    zot.add_argument("--dry-run", "-n", action="store_true", help="show, write nothing")
    zot.add_argument(
        "--transliterate",
        choices=TRANSLITERATIONS,
        default="auto",
        help="romanise titles and names in Cyrillic or Chinese beside the originals, as "
        "add does (default: auto)",
    )


def _add_zotero_api_options(parser: argparse.ArgumentParser) -> None:
    """``import zotero`` from the Zotero Web API or Zotero 7's local API."""
    api = parser.add_argument_group(
        "Zotero API",
        "import over the Zotero Web API (an API key in $ZOTERO_API_KEY: zotero.org → "
        "Settings → Security) or Zotero 7's local API (Zotero running, Settings → "
        "Advanced → Allow other applications on this computer to communicate with Zotero)",
    )
    where = api.add_mutually_exclusive_group()
    where.add_argument(
        "--api",
        metavar="URL",
        help="the API root: https://api.zotero.org, or a server that speaks the API",
    )
    where.add_argument(
        "--local",
        action="store_true",
        help="Zotero 7's local API (http://localhost:23119/api), your library (--user 0)",
    )
    library = api.add_mutually_exclusive_group()
    library.add_argument("--user", metavar="ID", help="user library id (0: the local API's)")
    library.add_argument("--group", metavar="ID", help="group library id")
    api.add_argument(
        "--since",
        metavar="VERSION",
        type=int,
        help="only items changed after this library version (the last import prints it)",
    )
    api.add_argument("--no-snapshots", action="store_true", help="do not download HTML snapshots")


def _args_check(chk: argparse.ArgumentParser) -> None:
    chk.add_argument(
        "brief",
        type=Path,
        nargs="+",
        help="the brief: .txt, .md, .html, .docx or .tex; several are checked one by one "
        "(as pre-commit passes them; text and SARIF reports only) and the exit status is "
        "the worst",
    )
    chk.add_argument(
        "--library",
        "-l",
        type=Path,
        help="library folder, or a .json (CSL-JSON), .yaml or .bib file (no snapshots then: "
        "quotations are not checked) (default: the bibliography the brief names, else "
        f"{DEFAULT_FOLDER})",
    )
    chk.add_argument(
        "--format",
        choices=["text", "json", "sarif", "html"],
        default="text",
        help="text (default), json (schema policycite-check/1), sarif (2.1.0) or html (a "
        "report with the brief highlighted)",
    )
    chk.add_argument("--output", "-o", type=Path, help="write the report here (default: stdout)")
    chk.add_argument(
        "--fail-on",
        choices=["warning", "error", "never"],
        default="warning",
        help="exit with 1 when a finding is at least this severe (default: warning)",
    )
    chk.add_argument(
        "--fix",
        action="store_true",
        help="write the corrected reference list beside the brief "
        "(BRIEF.references.md/.docx/.txt, with the style's italics; the brief itself is "
        "never changed)",
    )
    chk.add_argument(
        "--style",
        "-s",
        default=None,
        help="CSL style of the corrected list (default: policycite.toml's style, else apa)",
    )
    _add_locale_option(chk)
    _add_annotate_options(chk)
    chk.add_argument(
        "--watch",
        "-w",
        action="store_true",
        help="check again whenever the brief, its library (records, snapshots) or "
        "policycite.toml changes; Ctrl-C stops",
    )
    _add_selection_options(chk)


def _args_rules(rul: argparse.ArgumentParser) -> None:
    rul.add_argument("term", nargs="*", help="only codes or names containing these words")


def _add_annotate_options(parser: argparse.ArgumentParser) -> None:
    """--annotate and --annotate-to: an annotated copy of a Word brief."""
    parser.add_argument(
        "--annotate",
        action="store_true",
        help="write a copy of a .docx brief with every finding as a Word comment on the text "
        "it concerns and the corrected reference list after the brief's own "
        "(BRIEF.checked.docx; the brief itself is never changed)",
    )
    parser.add_argument(
        "--annotate-to",
        type=Path,
        metavar="PATH",
        help="write the annotated copy here instead (implies --annotate)",
    )


def _annotated_targets(args: argparse.Namespace) -> dict[Path, Path]:
    """Brief -> where --annotate writes its copy; refuses (exit 2) before anything is checked."""
    if not args.annotate and args.annotate_to is None:
        return {}
    briefs: list[Path] = args.brief
    if args.annotate_to is not None and len(briefs) > 1:
        raise InputError("--annotate-to takes one brief; --annotate writes each one's copy")
    from policycite.output.annotated import annotated_path

    targets: dict[Path, Path] = {}
    for brief in briefs:
        if brief.suffix.lower() != ".docx":
            raise InputError("--annotate needs a Word brief (.docx)", source=str(brief))
        target: Path = args.annotate_to or annotated_path(brief)
        if target.resolve() == brief.resolve():
            raise InputError(
                "refusing to overwrite the brief with its annotated copy", source=str(target)
            )
        targets[brief] = target
    return targets


def _write_annotated(target: Path, result: CheckResult) -> None:
    """--annotate: the brief's annotated copy (a comment per finding, the corrected list)."""
    from policycite.output.annotated import annotate
    from policycite.output.corrected import corrected_list
    from policycite.paths import write_bytes_atomic

    data = Path(result.brief.path).read_bytes()
    write_bytes_atomic(target, annotate(data, result, corrected_list(result)))
    sys.stderr.write(f"policycite: annotated copy written to {target}\n")


def _args_lsp(lsp: argparse.ArgumentParser) -> None:
    # Clients such as vscode-languageclient pass --stdio; stdio is the only transport.
    lsp.add_argument("--stdio", action="store_true", help="use stdio (the default and only one)")


def _add_selection_options(parser: argparse.ArgumentParser) -> None:
    """--select, --ignore, --extend-select (as ruff's), over the configuration file's."""
    rules = "codes (PC216), prefixes (PC2, PC21), names (quote-not-checked) or ALL"
    for flag, what in (
        ("--select", "report only these rules"),
        ("--ignore", "do not report these rules"),
        ("--extend-select", "report these rules too"),
    ):
        parser.add_argument(
            flag,
            action="append",
            metavar="RULES",
            help=f"{what}: comma-separated {rules}; over policycite.toml or "
            "[tool.policycite.check] in pyproject.toml",
        )


def _args_format(fmt: argparse.ArgumentParser) -> None:
    fmt.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        help=f"library folders or .json/.yaml files (default: {DEFAULT_FOLDER})",
    )
    fmt.add_argument("--keys", help="comma-separated citation keys to include (default: all)")
    _add_render_options(fmt)
    _add_jobs_option(fmt)


def _args_cite(cite: argparse.ArgumentParser) -> None:
    cite.add_argument(
        "citations",
        nargs="+",
        help='one document\'s citations in order, e.g. "[@norov2020; @mfa2020, para. 4]", '
        '"@norov2020 [p. 4]" (narrative), "[-@norov2020]" (author suppressed)',
    )
    cite.add_argument(
        "--bibliography",
        "-b",
        action="store_true",
        help="also print the reference list, after a blank line, with the same year letters",
    )
    cite.add_argument(
        "--all",
        action="store_true",
        help="the reference list (and its year letters) holds the whole library, as format "
        "prints it (default: the cited works)",
    )
    cite.add_argument(
        "--library",
        "-l",
        action="append",
        type=Path,
        help=f"library folder or file; repeatable (default: {DEFAULT_FOLDER})",
    )
    _add_render_options(cite)


def _args_convert(conv: argparse.ArgumentParser) -> None:
    from policycite.formats.bibmap import PROFILES
    from policycite.formats.bibtex import DEFAULT_PROFILE

    conv.add_argument("inputs", nargs="+", type=Path, help="library folders or files")
    conv.add_argument(
        "--to",
        "-t",
        dest="target",
        choices=["csljson", "cslyaml", "yaml", "bibtex"],
        required=True,
        help="csljson: CSL-JSON; cslyaml: CSL-YAML for pandoc (references:); "
        "yaml: the library's own records; bibtex: a .bib file for --profile",
    )
    conv.add_argument(
        "--profile",
        "-p",
        choices=list(PROFILES),
        default=DEFAULT_PROFILE,
        help="the LaTeX toolchain a .bib is for: "
        + "; ".join(f"{p.name}: {p.description}" for p in PROFILES.values())
        + f" (default: {DEFAULT_PROFILE})",
    )
    conv.add_argument(
        "--output",
        "-o",
        type=Path,
        help="output file; for yaml, a folder gets one record file per "
        "source (default: standard output)",
    )


def _args_init(start: argparse.ArgumentParser) -> None:
    start.add_argument("folder", nargs="?", type=Path, default=Path(), help="default: here")
    start.add_argument("--style", "-s", default="apa", help="CSL style (default: apa)")
    start.add_argument("--locale", default="en-US", help="CSL locale (default: en-US)")


def _args_styles(styles: argparse.ArgumentParser) -> None:
    styles.add_argument("term", nargs="*", help="words that name or title must contain")
    styles.add_argument(
        "--info",
        metavar="NAME",
        help="show one style: title, class, default locale, parent and a sample entry",
    )
    _add_locale_option(styles)


class _Arguments(NamedTuple):
    """A command as the parser knows it; ``arguments`` runs only for the command given."""

    help: str
    description: str
    arguments: Callable[[argparse.ArgumentParser], None]


#: The commands in the order ``policycite --help`` lists them.
_ARGUMENTS = {
    "format": _Arguments(
        "print the bibliography of a library or files",
        "Print a bibliography, one entry per line.",
        _args_format,
    ),
    "cite": _Arguments(
        "render citations written in pandoc syntax",
        'Render one document\'s citations such as "[@key, para. 4]", in order.',
        _args_cite,
    ),
    "convert": _Arguments(
        "convert between CSL-JSON, YAML records and BibTeX/BibLaTeX",
        "Read libraries or files (.json, .yaml, .bib) and write them in another format.",
        _args_convert,
    ),
    "add": _Arguments(
        "capture saved pages, text copies or URLs into the library",
        "Extract records from saved pages (.html), text copies (.txt) or URLs, store a "
        "snapshot of each, and write one record per document. Shows each field and how it "
        "was found; --dry-run writes nothing.",
        _args_add,
    ),
    "verify": _Arguments(
        "re-hash snapshots, check live URLs and archived copies",
        "Check that snapshots are intact, that each source's URL still answers with the "
        "same text (404, soft 404, content drift), and that an archived copy exists.",
        _args_verify,
    ),
    "anchor": _Arguments(
        "pin quotations to the passages of a source they come from",
        "Find each quotation in the source's snapshot: verbatim (with its paragraph), "
        "misquote (with a word diff), ambiguous (with its places) or not found (with the "
        "nearest passage). The anchors are stored on the record unless --no-save.",
        _args_anchor,
    ),
    "copying": _Arguments(
        "find sentences of a brief copied from sources without quotation marks",
        "Compare a brief's sentences with every snapshot in the library and report runs of "
        "words copied without quotation marks (PC410), and close paraphrases (PC411). "
        "Official names and runs shared by several sources do not count.",
        _args_copying,
    ),
    "import": _Arguments(
        "import a Zotero library as records",
        "Import the items of a reference manager into the library folder, one record each. "
        "Re-importing updates the records and keeps hand edits.",
        _args_import,
    ),
    "check": _Arguments(
        "check a brief's citations, quotations and reference list",
        "Read a brief (.txt, .md, .html, .docx, .tex), match its reference list to the "
        "library, and report every citation problem with its place and a fix. "
        "`policycite rules` lists the checks.",
        _args_check,
    ),
    "rules": _Arguments(
        "list the checks of `policycite check`",
        "Every check: code, name, severity and what it means.",
        _args_rules,
    ),
    "lsp": _Arguments(
        "the language server: findings as diagnostics while a brief is edited",
        "Serve the Language Server Protocol over standard input and output: Markdown, LaTeX "
        "and text briefs are checked as they are edited (the unsaved text), findings shown "
        "as diagnostics, certain fixes offered as quick fixes.",
        _args_lsp,
    ),
    "init": _Arguments(
        "start a brief project: policycite.toml, references/ and an example brief",
        "Create policycite.toml (style and locale), an empty library folder references/ and "
        "an example brief.md in FOLDER. Existing files are kept.",
        _args_init,
    ),
    "styles": _Arguments(
        "list or search the CSL styles",
        "List style names; with a search term, also their titles.",
        _args_styles,
    ),
}


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named in ``argv``: its first word that is not an option.

    The main parser has only the flags -h and --version (no option takes a value), so the
    first other word is the command (or a mistake the parser reports).
    """
    return next((word for word in argv if not word.startswith("-")), None)


def _build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser: every command by name and help, the arguments of ``argv``'s command.

    Without ``argv`` (None), every command's arguments are built.
    """
    parser = _Parser(prog="policycite", description="Citations for policy briefs.")
    parser.add_argument("--version", action=_Version, version="%(prog)s")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    chosen = None if argv is None else _command_of(argv)
    for name, command in _ARGUMENTS.items():
        if argv is None or name == chosen:
            sub = commands.add_parser(name, help=command.help, description=command.description)
            command.arguments(sub)
        else:  # listed in --help and accepted by name; never parsed in this run
            commands.add_parser(name, help=command.help)
    return parser


def _report(findings: Sequence[Finding]) -> int:
    from policycite.findings import Report

    report = Report(findings)
    sys.stderr.write(report.to_text())
    return EXIT_PROBLEMS if report.has_problems else EXIT_OK


def _cmd_format(args: argparse.Namespace) -> int:
    from policycite.library import library_from
    from policycite.render.engine import Renderer

    inputs = args.inputs or [DEFAULT_FOLDER]
    read = library_from(inputs, cache=True)
    keys = [k.strip() for k in args.keys.split(",") if k.strip()] if args.keys else None
    style, locale = _settings(args, *inputs)
    renderer = Renderer(read.library, style, locale=locale, output=args.output, jobs=args.jobs)
    result = renderer.bibliography(keys)
    sys.stdout.write(result.as_text())
    return _report([*read.findings, *result.findings])


def _cmd_cite(args: argparse.Namespace) -> int:
    # A citation that cannot be read is a finding at its position, not the end of the
    # batch: the others are rendered, its line stays empty so output lines keep their order.
    from policycite.citations import parse_citations
    from policycite.findings import Finding, Location
    from policycite.library import library_from
    from policycite.model import Cluster
    from policycite.render.engine import Renderer

    clusters: list[Cluster] = []
    unread: list[int] = []  # output lines (cluster positions) left empty
    findings: list[Finding] = []
    for index, text in enumerate(args.citations, start=1):
        try:
            clusters.extend(parse_citations(text))
        except InputError as err:
            unread.append(len(clusters) + len(unread))
            place = Location(path=f"citation {index}", line=err.line, column=err.column)
            findings.append(Finding("PC105", err.message, place))
    if not clusters and not unread:
        raise InputError("no citation ([@key] or @key) found in the arguments")
    folders = args.library or [DEFAULT_FOLDER]
    read = library_from(folders, cache=True)
    style, locale = _settings(args, *folders)
    renderer = Renderer(read.library, style, locale=locale, output=args.output)
    document = renderer.document(
        clusters, read.library.keys if args.all else None, reference_list=args.bibliography
    )
    lines = list(document.citations.entries)
    for position in unread:
        lines.insert(position, "")
    listed = document.bibliography.as_text()
    sys.stdout.write("".join(f"{line}\n" for line in lines) + (f"\n{listed}" if listed else ""))
    return _report(
        [
            *read.findings,
            *findings,
            *document.citations.findings,
            *document.bibliography.findings,
        ]
    )


def _cmd_convert(args: argparse.Namespace) -> int:
    import functools

    from policycite.formats import bibtex, csljson, cslyaml
    from policycite.library import FILE_READERS, library_from, save_library
    from policycite.paths import is_stream, write_output

    read = library_from(args.inputs)
    sources = list(read.library)
    out: Path | None = args.output
    stream = out is not None and is_stream(out)  # -o /dev/stdout, a pipe: no file type
    if (
        args.target == "yaml"
        and out is not None
        and not stream
        and (out.is_dir() or not out.suffix)
    ):
        save_library(out, sources)
        sys.stderr.write(f"policycite: {_records(len(sources))} written to {out}\n")
    else:
        writers: dict[str, Callable[[list[Source]], str]] = {
            "csljson": csljson.dumps,
            "cslyaml": cslyaml.dumps_csl,
            "yaml": cslyaml.dumps,
            "bibtex": functools.partial(bibtex.dumps, profile=args.profile),
        }
        text = writers[args.target](sources)
        if out is None:
            sys.stdout.write(text)
        else:
            if not stream and out.suffix.lower() not in FILE_READERS:
                raise InputError(f"unknown output file type {out.suffix!r}", source=str(out))
            write_output(out, text)
            sys.stderr.write(f"policycite: {_records(len(sources))} written to {out}\n")
    extra = bibtex.key_findings(sources) if args.target == "bibtex" else []
    return _report([*read.findings, *extra])


def _records(count: int) -> str:
    return f"{count} record" + ("" if count == 1 else "s")


def _sample() -> Source:
    """The work ``styles --info`` renders as a sample (a fictional organisation)."""
    from policycite.model import Name, PartialDate, Provenance, Source

    return Source(
        "sample",
        "press-release",
        "Council adopts a joint plan for monitoring the Narva basin",
        authors=[Name(literal="Baltic Council for Water Security")],
        issued=PartialDate(2024, 3, 12),
        provenance=Provenance(url="https://www.bcws.example/press/2024-03-12-monitoring-plan"),
    )


def _style_info(args: argparse.Namespace) -> int:
    from policycite.citations import parse_citations
    from policycite.config import discover
    from policycite.model import Library
    from policycite.render.engine import Renderer
    from policycite.render.styleindex import info
    from policycite.render.styles import resolve

    found = info(args.info)
    if found is None:
        resolve(args.info)  # raises the "unknown style ... did you mean" error
        raise InputError(f"unknown style {args.info!r}")  # pragma: no cover
    style = found
    if style.parent:  # a dependent style renders with its parent's layout
        style = info(style.parent) or style
    chosen = args.locale or discover(Path.cwd()).locale
    locale = chosen or style.default_locale or found.default_locale or DEFAULT_LOCALE
    renderer = Renderer(Library([_sample()]), args.info, locale=chosen)
    lines = [
        ("title", found.title),
        ("id", found.name),
        ("class", " ".join(p for p in (style.style_class, f"({style.citation_format})") if p)),
        ("default locale", found.default_locale or style.default_locale or "none"),
        ("renders in", locale),
        ("parent", found.parent or "none (independent)"),
        ("sample entry", "".join(renderer.bibliography().entries)),
        ("sample citation", "".join(renderer.citations(parse_citations("[@sample]")).entries)),
    ]
    sys.stdout.write("".join(f"{label}: {value}\n" for label, value in lines))
    return EXIT_OK


def _cmd_init(args: argparse.Namespace) -> int:
    from policycite.init import init
    from policycite.render.engine import check_locale
    from policycite.render.styles import resolve

    resolve(args.style)  # a style or locale that does not exist is said now, not at format
    check_locale(args.locale)
    for path, created in init(args.folder, args.style, args.locale):
        shown = f"{path}/" if path.is_dir() else str(path)
        sys.stdout.write(f"{'created' if created else 'kept   '} {shown}\n")
    sys.stdout.write(
        "next: policycite add PAGE.html (or a URL), cite it in brief.md as [@key], "
        "then policycite check brief.md\n"
    )
    return EXIT_OK


def _cmd_styles(args: argparse.Namespace) -> int:
    if args.info:
        return _style_info(args)
    from policycite.render.styleindex import search_styles

    term = " ".join(args.term)
    found = search_styles(term or None)
    for style in found:
        line = style.name
        if term:
            line += f"\t{style.title}" + ("\t(dependent)" if style.dependent else "")
        sys.stdout.write(line + "\n")
    if term and not found:
        sys.stderr.write(f"policycite: no style matches {term!r}\n")
        return EXIT_PROBLEMS
    return EXIT_OK


def _overrides(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"expected FIELD=VALUE, got {pair!r}", place="--set")
        out[name.strip()] = value.strip()
    return out


def _addresses(args: argparse.Namespace) -> AddressPolicy | None:
    """--allow-private opens every non-public address; without it, the environment decides."""
    from policycite.capture.addresses import AddressPolicy

    return AddressPolicy(allow_private=True) if args.allow_private else None


def _cmd_add(args: argparse.Namespace) -> int:
    from policycite.capture.pipeline import add

    overrides = _overrides(args.overrides)
    findings: list[Finding] = []
    failed = False
    library = None  # read once, then carried from one page to the next
    for target in args.targets:
        try:
            result = add(
                target,
                args.library,
                url=args.url,
                kind=args.kind,
                key=args.key,
                overrides=overrides,
                documents=args.document,
                accessed=args.accessed,
                dry_run=args.dry_run,
                library=library,
                timeout=args.timeout,
                addresses=_addresses(args),
                transliterate=args.transliterate,
            )
        except PolicyciteError as err:  # one bad input must not stop the others
            if len(args.targets) == 1:
                raise
            sys.stderr.write(f"policycite: error: {err}\n")
            failed = True
            continue
        sys.stdout.write(result.to_text())
        findings.extend(result.findings)
        library = result.library
    status = _report(findings)
    return EXIT_ERROR if failed else status


def _cmd_import(args: argparse.Namespace) -> int:
    # sqlite3 and the importer load only for this command (start-up time of the others).
    from policycite.zotero.importer import import_items
    from policycite.zotero.sqlite import read_data_directory

    if args.api or args.local:
        return _import_zotero_api(args)
    if args.source is None:
        raise InputError("give a Zotero data directory, an export file, --api URL or --local")
    if args.source.suffix.lower() in {".bib", ".json"}:
        return _import_zotero_export(args)
    data = read_data_directory(args.source)
    result = import_items(
        data.items, args.library, dry_run=args.dry_run, transliterate=args.transliterate
    )
    sys.stdout.write(result.to_text())
    return _report([*data.findings, *result.findings])


def _import_zotero_export(args: argparse.Namespace) -> int:
    from policycite.zotero.exports import read_export
    from policycite.zotero.importer import import_sources

    incoming, findings = read_export(args.source)
    result = import_sources(
        incoming, args.library, dry_run=args.dry_run, transliterate=args.transliterate
    )
    sys.stdout.write(result.to_text())
    return _report([*findings, *result.findings])


def _import_zotero_api(args: argparse.Namespace) -> int:
    import os

    from policycite.zotero.api import LOCAL_API, WEB_API, ZoteroAPI
    from policycite.zotero.importer import import_items

    if args.source is not None:
        raise InputError(f"give {args.source} or --api/--local, not both")
    if args.group is not None:
        kind, ident = "group", args.group
    elif args.user is not None:
        kind, ident = "user", args.user
    elif args.local:
        kind, ident = "user", "0"
    else:
        raise InputError("--api needs the library: --user ID or --group ID")
    client = ZoteroAPI(
        LOCAL_API if args.local else (args.api or WEB_API),
        library_type=kind,
        library_id=ident,
        api_key=os.environ.get("ZOTERO_API_KEY") or None,
        timeout=args.timeout,
        addresses=_addresses(args),
    )
    pull = client.pull(since=args.since, snapshots=not args.no_snapshots)
    result = import_items(
        pull.items, args.library, dry_run=args.dry_run, transliterate=args.transliterate
    )
    sys.stdout.write(result.to_text())
    if pull.version is not None:
        sys.stdout.write(
            f"Zotero library version {pull.version} (next time, --since {pull.version} "
            "imports only what changed)\n"
        )
    return _report([*pull.findings, *result.findings])


def _cmd_verify(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from policycite.library import load_library
    from policycite.verify import VerifyOptions, verify

    if args.fix:
        from policycite.leftovers import remove_leftovers

        removed = remove_leftovers(args.library)
        sys.stderr.write(
            f"policycite: removed {len(removed)} left-over file{'' if len(removed) == 1 else 's'}"
            + "".join(f"\n  {path}" for path in removed)
            + "\n"
        )
    options = VerifyOptions(
        online=not args.offline,
        archive=not (args.offline or args.no_archive),
        timeout=args.timeout,
        archive_endpoint=args.archive_endpoint,
        addresses=_addresses(args),
    )
    # tqdm draws on standard error only when it is a terminal (disable=None).
    with tqdm(unit="source", disable=None, leave=False) as bar:

        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        report = verify(args.library, args.keys, options=options, progress=advance)
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
        return EXIT_PROBLEMS if report.has_problems else EXIT_OK
    status = _report(report.findings)
    if status == EXIT_OK:  # say what was found sound, not nothing
        library = load_library(args.library, cache=True).library
        chosen = [library[k] for k in args.keys] if args.keys else list(library)
        snapshots = {s.provenance.content_sha256 for s in chosen} - {None}
        line = f"{len(snapshots)} snapshot{'' if len(snapshots) == 1 else 's'} OK"
        if not args.offline:
            urls = sum(1 for s in chosen if s.url)
            line += f", {urls} URL{'' if urls == 1 else 's'} answering as captured"
        sys.stderr.write(f"policycite: {line}\n")
    return status


def _quotes(args: argparse.Namespace) -> list[str]:
    from policycite.formats import read_text

    quotes = list(args.quotes)
    if args.file is not None:
        for line in read_text(args.file).splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                quotes.append(line.strip())
    if not quotes:
        raise InputError("give quotations as arguments or with --file", place="anchor")
    return quotes


def _cmd_anchor(args: argparse.Namespace) -> int:
    import json

    from policycite.anchors.pinning import anchoring_finding, pin, save_anchors
    from policycite.findings import Location
    from policycite.formats.record import anchor_record
    from policycite.library import key_to_filename, load_library

    quotes = _quotes(args)
    library = load_library(args.library).library
    source = library.get(args.key)
    if source is None:
        raise InputError(f"no such key: {args.key!r}", source=str(args.library))
    pinned = [pin(args.library, source, quote) for quote in quotes]
    if args.format == "json":
        data = [
            {
                **anchor_record(p.anchor),
                "links": dict(zip(("live", "archive"), p.links(), strict=True)),
            }
            for p in pinned
        ]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("".join(p.to_text() for p in pinned))
    if not args.no_save:
        save_anchors(args.library, source, [p.anchor for p in pinned])
    where = Location(str(args.library / key_to_filename(source.key)), key=source.key)
    findings = [anchoring_finding(p.anchoring, where) for p in pinned]
    return _report([f for f in findings if f is not None])


def _cmd_copying(args: argparse.Namespace) -> int:
    from policycite.anchors.copying import CopyIndex
    from policycite.anchors.pinning import copying_findings
    from policycite.anchors.shingles import snapshots_of
    from policycite.brief.readers import read_brief
    from policycite.library import load_library
    from policycite.snapshots import SnapshotStore

    text = read_brief(args.brief).text
    library = load_library(args.library).library
    store = SnapshotStore(args.library)
    if not any(s.provenance.content_sha256 in store for s in library):
        raise InputError("no snapshots in the library to compare with", source=str(args.library))
    # Only snapshots sharing a run's worth of word 5-grams with the brief can hold a copy.
    sources = snapshots_of(store, library, text)
    copies = CopyIndex([(s.key, snapshot) for s, snapshot in sources]).find(text)
    return _report(copying_findings(copies, str(args.brief), text))


def _cmd_check(args: argparse.Namespace) -> int:
    briefs: list[Path] = args.brief
    if args.output is not None and any(
        args.output.resolve() == brief.resolve() for brief in briefs
    ):
        raise InputError("refusing to overwrite the brief with the report", source=str(args.output))
    if len(briefs) > 1 and args.format in {"json", "html"}:
        raise InputError(
            f"--format {args.format} reports on one brief; give one, or use text or sarif",
            place="check",
        )
    args.annotated = _annotated_targets(args)
    if args.watch:
        import functools

        from policycite.watching import watch_check

        return watch_check(args, functools.partial(_check_briefs, args))
    return _check_briefs(args)


def _check_briefs(args: argparse.Namespace) -> int:
    """Check every brief of ``args``; the exit status is the worst one's.

    One brief: as it always was (an unreadable one raises, for main to print). Several:
    each report in turn under a ``==> brief <==`` line (text) or one SARIF run for all;
    an unreadable brief is said in one line and the others are still checked.
    """
    from policycite.output import text

    briefs: list[Path] = args.brief
    results = []
    status = EXIT_OK
    for path in briefs:
        try:
            result = _check_one(args, path)
        except (PolicyciteError, OSError) as err:
            if len(briefs) == 1:
                raise
            where = f"{err.filename}: " if isinstance(err, OSError) and err.filename else ""
            message = err.strerror if isinstance(err, OSError) and err.strerror else err
            sys.stderr.write(f"policycite: error: {where}{message}\n")
            status = EXIT_ERROR
            continue
        results.append(result)
        threshold = {"warning": {"error", "warning"}, "error": {"error"}, "never": set()}
        if any(f.severity.value in threshold[args.fail_on] for f in result.report):
            status = max(status, EXIT_PROBLEMS)
    if args.format in {"json", "html"} and not results:
        return status  # the one brief given for json or html could not be read
    report = _check_report(args, results)
    if args.output is None:
        sys.stdout.write(report)
    else:
        from policycite.paths import write_output

        write_output(args.output, report)
        found = "; ".join(text.summary(r.findings, r.brief.path) for r in results)
        sys.stderr.write(f"policycite: {found}; report written to {args.output}\n")
    for result in results:
        if args.fix:
            _write_fix(result)
        target = args.annotated.get(Path(result.brief.path))
        if target is not None:
            _write_annotated(target, result)
    return status


def _check_report(args: argparse.Namespace, results: Sequence[CheckResult]) -> str:
    """The report of ``check`` in its --format; each format's writer loads when chosen."""
    if args.format == "text":
        import os

        from policycite.output import text

        color = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        reports = [text.to_text(r, color=color) for r in results]
        if len(args.brief) > 1:
            reports = [
                f"==> {r.brief.path} <==\n{report}"
                for r, report in zip(results, reports, strict=True)
            ]
        return "\n".join(reports)
    if args.format == "sarif":
        import json

        from policycite.about import version
        from policycite.output import sarif

        root = sarif.source_root(args.brief[0])
        log = sarif.to_sarif(results, version=version(), root=root, start=Path.cwd())
        return json.dumps(log, indent=2) + "\n"
    if args.format == "json":
        from policycite.output import jsonreport

        return jsonreport.to_json(results[0])
    from policycite.output import html

    return html.to_html(results[0])


def _check_one(args: argparse.Namespace, path: Path) -> CheckResult:
    """Check one brief: its CheckResult (library notes on standard error)."""
    import gc

    from policycite.brief.readers import read_brief
    from policycite.config import discover
    from policycite.findings import Report
    from policycite.rules.inputs import library_for
    from policycite.rules.validate import check
    from policycite.selection import RuleSelection, split

    select = split(args.select) if args.select is not None else None
    options = RuleSelection(
        select, split(args.ignore or ()), split(args.extend_select or ()), origin="command line"
    )
    brief = read_brief(path)
    given = library_for(brief, args.library, cache=True)
    config = discover(path, *given.paths)
    # What reading the library found (a broken .bib entry, a stray file) is said, not lost.
    sys.stderr.write(Report(given.findings).to_text())
    if given.folder is None:
        files = ", ".join(str(p) for p in given.paths)
        sys.stderr.write(
            f"policycite: note: {files} has no snapshots: quotations (PC220) and copying "
            "without quotation marks are not checked; give a library folder with -l\n"
        )
    gc.freeze()  # the library lives for the whole check: the collector need not rescan it
    try:
        result = check(
            brief,
            given.library,
            given.folder,
            style=args.style or config.style or "apa",
            locale=args.locale or config.locale,
            # The HTML rendering carries the italics of the corrected list too (--fix).
            html=args.fix or bool(args.annotated) or args.format in {"html", "json"},
            selection=[config.check, options],
        )
    finally:
        gc.unfreeze()
    return result


def _write_fix(result: CheckResult) -> None:
    """--fix: the corrected reference list beside the brief, in the brief's format."""
    from policycite.output.corrected import corrected_list, to_docx, to_markdown
    from policycite.output.corrected import to_text as list_text
    from policycite.paths import write_atomic, write_bytes_atomic

    path = Path(result.brief.path)
    fixed = corrected_list(result)
    suffix = {"markdown": ".md", "docx": ".docx"}.get(result.brief.format, ".txt")
    target = path.with_name(f"{path.stem}.references{suffix}")
    if suffix == ".docx":
        write_bytes_atomic(target, to_docx(fixed))
    else:
        write_atomic(target, to_markdown(fixed) if suffix == ".md" else list_text(fixed))
    sys.stderr.write(f"policycite: corrected reference list written to {target}\n")


def _cmd_lsp(args: argparse.Namespace) -> int:
    from policycite.lsp import main as serve

    return serve()


def _cmd_rules(args: argparse.Namespace) -> int:
    from policycite.findings import CODES
    from policycite.rules.validate import RULE_CODES

    terms = [t.casefold() for t in args.term]
    for code in RULE_CODES:
        entry = CODES[code]
        line = f"{code} {entry.name}"
        if terms and not all(t in line.casefold() for t in terms):
            continue
        sys.stdout.write(f"{line} [{entry.severity.value}]\n    {entry.summary}\n")
    return EXIT_OK


_COMMANDS = {
    "format": _cmd_format,
    "cite": _cmd_cite,
    "convert": _cmd_convert,
    "init": _cmd_init,
    "styles": _cmd_styles,
    "add": _cmd_add,
    "import": _cmd_import,
    "verify": _cmd_verify,
    "anchor": _cmd_anchor,
    "copying": _cmd_copying,
    "check": _cmd_check,
    "rules": _cmd_rules,
    "lsp": _cmd_lsp,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (also used by the console script)."""
    words = sys.argv[1:] if argv is None else list(argv)
    args = _build_parser(words).parse_args(words)
    try:
        return _COMMANDS[args.command](args)
    except PolicyciteError as err:
        sys.stderr.write(f"policycite: error: {err}\n")
        return EXIT_ERROR
    except OSError as err:
        if isinstance(err, BrokenPipeError):  # e.g. `policycite styles | head`
            sys.stderr.close()
            return EXIT_OK
        where = f"{err.filename}: " if err.filename else ""
        sys.stderr.write(f"policycite: error: {where}{err.strerror or err}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # a bug: never exit 1, which means "problems found"
        from policycite.crash import crash_line  # traceback, tempfile: only on a crash

        sys.stderr.write(crash_line(err))
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
