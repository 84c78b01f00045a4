"""policycite-pandoc, run by the real pandoc: checks on stderr, citations and list rendered.

pandoc runs the console script from the venv's bin folder (first on PATH), which imports
this checkout's sources (PYTHONPATH). Each end-to-end test runs once per pandoc: Debian's
on PATH (2.17) and the pandoc 3 of the `pypandoc-binary` wheel (the test extras). A
missing one skips, and fails under CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import panflute as pf
import pytest

from policycite.cli import main
from policycite.pandocfilter.document import cite_text, cluster_of, read_document
from policycite.pandocfilter.inlines import to_inlines
from policycite.pandocfilter.located import relocate
from policycite.pandocfilter.options import pandoc_version
from policycite.pandocfilter.rendering import StyleLayout, style_layout
from policycite.render import resolve
from policycite.rules.validate import check

from conftest import ROOT
from corpus import BRIEFS, build_library

EXAMPLE = ROOT / "examples" / "pandoc"
BIN = Path(sys.executable).parent
FILTER = "policycite-pandoc"
#: The keys examples/pandoc/brief.md cites, and its citations in order.
EXAMPLE_KEYS = "bcws2024a,bcws2024b,lindqvist2024"
EXAMPLE_CITATIONS = (
    "[@bcws2024a]",
    "[@bcws2024a; see also @bcws2024b]",
    "@lindqvist2024 [para. 3]",
    "[@lindqvist2024, para. 4]",
    "[-@bcws2024a]",
)


def _bundled_pandoc() -> Path | None:
    """The pandoc 3 binary inside the installed ``pypandoc-binary`` wheel, if installed.

    Found through the wheel's file list, not through pypandoc, whose lookup would download
    pandoc when it finds none: tests never use the network.
    """
    try:
        files = metadata.files("pypandoc-binary") or []
    except metadata.PackageNotFoundError:
        return None
    for file in files:
        if file.parts[-2:] in {("files", "pandoc"), ("files", "pandoc.exe")}:
            found = Path(str(file.locate()))
            return found if os.access(found, os.X_OK) else None
    return None


def _version(binary: str) -> str | None:
    """``major.minor`` of a pandoc binary, from its ``--version``; None if it does not run."""
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.match(r"pandoc(?:\.exe)? (\d+)\.(\d+)", done.stdout)
    return f"{match[1]}.{match[2]}" if match else None


def _pandocs() -> list[Any]:
    """Every pandoc the filter is tested with: Debian's (on PATH) and pypandoc-binary's.

    Two major versions in one run: pandoc 3 changed the JSON API (1.23, Figure blocks),
    the HTML writer and citeproc. A missing one is a parameter that skips (or fails
    under CI, which installs both: Debian's by .ci/run, the wheel by the test extras).
    """
    bundled = _bundled_pandoc()
    found = [
        ("PATH", shutil.which("pandoc"), "pandoc is not on PATH (.ci/run installs Debian's)"),
        (
            "pypandoc-binary",
            str(bundled) if bundled else None,
            "no pandoc from pypandoc-binary (pip install '.[test]' installs it)",
        ),
    ]
    params = []
    seen: set[str] = set()
    for source, binary, absent in found:
        version = _version(binary) if binary else None
        missing = f"{binary} does not run or is not pandoc" if binary else absent
        name = f"pandoc-{version}" if version else f"pandoc-{source}-missing"
        if name in seen:  # e.g. a pandoc 3 on PATH too: still two runs, told apart
            name += f"-{source}"
        seen.add(name)
        params.append(pytest.param((binary if version else None, missing), id=name))
    return params


@pytest.fixture(scope="module", params=_pandocs())
def pandoc(request: pytest.FixtureRequest) -> str:
    binary, missing = request.param
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    if shutil.which(FILTER, path=str(BIN)) is None:
        pytest.fail(f"{FILTER} is not in {BIN}: reinstall the package (pip install -e .)")
    return str(binary)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "POLICYCITE_FAIL_ON"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    paths = [str(ROOT / "src"), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env.update(extra)
    return env


def _pandoc(
    pandoc: str, document: Path, *args: str, cwd: Path = ROOT, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [pandoc, str(document), "--filter", FILTER, "--wrap=none", *args],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        check=False,
    )


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def _brief(tmp_path: Path, body: str, meta: str = "") -> Path:
    path = tmp_path / "brief.md"
    library = (ROOT / "references").as_posix()
    path.write_text(f"---\nbibliography: {library}\n{meta}---\n\n{body}\n", encoding="utf-8")
    return path


# --- rendering ---------------------------------------------------------------------------


def test_bibliography_and_citations_are_those_of_format_and_cite(pandoc, capsys) -> None:
    done = _pandoc(pandoc, EXAMPLE / "brief.md", "-t", "plain")
    assert (done.returncode, done.stderr) == (0, "")
    body, heading, listed = done.stdout.partition("\nReferences\n\n")
    assert heading
    expected = _cli(capsys, "format", "references", "--keys", EXAMPLE_KEYS)
    assert listed.rstrip("\n").split("\n\n") == expected.splitlines()
    cites = _cli(capsys, "cite", "-l", "references", *EXAMPLE_CITATIONS).splitlines()
    assert len(cites) == len(EXAMPLE_CITATIONS)
    for cite in cites:
        assert cite in body
    # The same, from the AST: each Cite's content is `policycite cite`'s text.
    done = _pandoc(pandoc, EXAMPLE / "brief.md", "-t", "json")
    doc = pf.load(_stream(done.stdout))
    found: list[str] = []

    def visit(element: pf.Element, _doc: pf.Doc) -> None:
        if isinstance(element, pf.Cite):
            found.append(pf.stringify(element.content))

    doc.walk(visit)
    assert found == cites


def _stream(text: str):  # type: ignore[no-untyped-def]
    import io

    return io.StringIO(text)


def test_html_has_robust_links_italics_and_pandoc_shapes(pandoc) -> None:
    done = _pandoc(pandoc, EXAMPLE / "brief.md", "-t", "html")
    assert (done.returncode, done.stderr) == (0, "")
    html = " ".join(done.stdout.split())
    url = "https://www.bcws.example/press/2024-03-12-monitoring-plan"
    assert (
        f'<a href="{url}" data-originalurl="{url}" '
        f'data-versionurl="https://web.archive.org/web/20240320101500/{url}" '
        f'data-versiondate="2024-03-20">{url}</a>'
    ) in html
    # pandoc's HTML writer adds ARIA roles of its own (they differ between 2.x and 3.x).
    assert '<div id="refs" class="references csl-bib-body hanging-indent"' in html
    assert '<div id="ref-bcws2024a" class="csl-entry"' in html
    assert (
        "<em>Council adopts joint monitoring plan for the Narva basin</em> [Press release]" in html
    )
    # link-citations: the citation links to its entry; the heading of reference-section-title
    assert re.search(r'<a href="#ref-lindqvist2024"[^>]*>Lindqvist \(2024, para. 3\)</a>', html)
    assert '<h1 class="unnumbered" id="bibliography">References</h1>' in html


def _refs_layout(json_text: str) -> tuple[str, list[str], dict[str, str]]:
    """The reference list Div of a pandoc JSON document: id, classes, attributes."""
    doc = pf.load(_stream(json_text))
    found: list[pf.Div] = []

    def visit(element: pf.Element, _doc: pf.Doc) -> None:
        if isinstance(element, pf.Div) and element.identifier == "refs":
            found.append(element)

    doc.walk(visit)
    (refs,) = found
    return refs.identifier, list(refs.classes), dict(refs.attributes)


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-author-date"])
def test_the_list_is_laid_out_as_pandocs_citeproc_lays_it_out(
    pandoc, tmp_path, capsys, style
) -> None:
    # pandoc's writers lay the list out by the Div's classes and attributes: 3.1.8 and
    # later space entries by 1 line unless the Div says `entry-spacing="0"` (APA, IEEE),
    # and their HTML has other ARIA roles than 2.x. The same pandoc's citeproc is the
    # reference: the filter's list must come out of each writer as citeproc's does.
    csl_json = str(tmp_path / "refs.json")
    assert main(["convert", str(ROOT / "references"), "--to", "csljson", "-o", csl_json]) == 0
    capsys.readouterr()
    (tmp_path / "style.csl").write_bytes(resolve(style)[0])
    text = "Plans [@bcws2024a] and [@lindqvist2024].\n"
    (tmp_path / "citeproc.md").write_text(
        f"---\nbibliography: refs.json\ncsl: style.csl\n---\n\n{text}", encoding="utf-8"
    )
    library = (ROOT / "references").as_posix()
    (tmp_path / "filter.md").write_text(
        f"---\nbibliography: {library}\ncsl: {style}\n---\n\n{text}", encoding="utf-8"
    )

    def run(name: str, *args: str) -> str:
        use = ["--citeproc"] if name == "citeproc.md" else ["--filter", FILTER]
        done = subprocess.run(
            [pandoc, name, *use, "--wrap=none", *args],
            cwd=tmp_path,
            env=_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        return done.stdout

    assert _refs_layout(run("filter.md", "-t", "json")) == _refs_layout(
        run("citeproc.md", "-t", "json")
    )

    def tags(html: str) -> list[str]:  # the list's and the first entry's opening tags
        return re.findall(r'<div id="ref(?:s|-bcws2024a)"[^>]*>', html)

    assert tags(run("filter.md", "-t", "html")) == tags(run("citeproc.md", "-t", "html"))
    begin = re.compile(r"\\begin\{CSLReferences\}\{\d+\}\{\d+\}")
    latex = begin.findall(run("filter.md", "-t", "latex"))
    assert latex == begin.findall(run("citeproc.md", "-t", "latex"))
    assert len(latex) == 1


def test_refs_div_nocite_and_suppress_bibliography(pandoc, tmp_path, capsys) -> None:
    brief = _brief(
        tmp_path,
        "Plans [@bcws2024a].\n\n# Sources\n\n::: {#refs}\n:::\n\nAfter the list.",
        "nocite: '@nwa2024'\n",
    )
    done = _pandoc(pandoc, brief, "-t", "plain")
    assert done.returncode == 0, done.stderr
    expected = _cli(capsys, "format", "references", "--keys", "bcws2024a,nwa2024")
    listed = done.stdout.split("Sources\n\n", 1)[1].split("\n\nAfter the list.")[0]
    assert listed.rstrip("\n").split("\n\n") == expected.splitlines()
    brief = _brief(tmp_path, "Plans [@bcws2024a].", "suppress-bibliography: true\n")
    done = _pandoc(pandoc, brief, "-t", "plain")
    assert done.stdout == "Plans (Baltic Council for Water Security [BCWS], 2024).\n"


def test_nothing_cited_adds_no_empty_list(pandoc, tmp_path) -> None:
    brief = _brief(tmp_path, "No sources.", "reference-section-title: References\n")
    done = _pandoc(pandoc, brief, "-t", "plain")
    assert (done.returncode, done.stdout, done.stderr) == (0, "No sources.\n", "")


def test_a_numeric_style_lists_as_format_does(pandoc, tmp_path, capsys) -> None:
    brief = _brief(tmp_path, "Plans [@bcws2024a] and [@lindqvist2024].", "csl: ieee\n")
    done = _pandoc(pandoc, brief, "-t", "plain")
    assert done.returncode == 0, done.stderr
    expected = _cli(
        capsys, "format", "references", "--keys", "bcws2024a,lindqvist2024", "-s", "ieee"
    )
    body, _, listed = done.stdout.partition("\n\n")
    assert body == "Plans [1] and [2]."
    assert listed.rstrip("\n").split("\n\n") == expected.splitlines()


def test_a_note_style_puts_citations_in_footnotes(pandoc, tmp_path) -> None:
    brief = _brief(tmp_path, "Plans [@bcws2024a].", "csl: chicago-notes-bibliography\n")
    done = _pandoc(pandoc, brief, "-t", "plain")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Plans.[1]\n")
    assert "\n[1] Baltic Council for Water Security, “Council Adopts" in done.stdout


def test_check_only_leaves_the_citations_to_citeproc(pandoc, tmp_path) -> None:
    brief = _brief(tmp_path, "Plans [@bcws2024a].", "policycite:\n  render: false\n")
    done = _pandoc(pandoc, brief, "-t", "plain")
    assert (done.returncode, done.stdout, done.stderr) == (0, "Plans [@bcws2024a].\n", "")


def test_render_only_reports_unknown_keys_from_the_renderer(pandoc, tmp_path) -> None:
    brief = _brief(tmp_path, "Plans [@nosuch2024].", "policycite:\n  check: false\n")
    done = _pandoc(pandoc, brief, "-t", "plain")
    assert done.returncode == 0
    assert done.stdout == "Plans nosuch2024?.\n"
    assert done.stderr == (
        "@nosuch2024: PC102 unknown-citation-key [error] no source with key 'nosuch2024' "
        "(hint: add it to the library or fix the key)\n"
        f"{FILTER}: 1 error in the document\n"
    )


def test_after_citeproc_the_filter_checks_only(pandoc, tmp_path, capsys) -> None:
    csl_json = tmp_path / "refs.json"
    assert main(["convert", str(ROOT / "references"), "--to", "csljson", "-o", str(csl_json)]) == 0
    capsys.readouterr()
    path = tmp_path / "brief.md"
    path.write_text(
        '---\nbibliography: refs.json\n---\n\nShe said "no river stops at a border" '
        "[@lindqvist2024, para. 3] [@nosuch2024].\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [pandoc, "brief.md", "--citeproc", "--filter", FILTER, "-t", "plain", "--wrap=none"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"{FILTER}: note: pandoc's --citeproc ran before this filter" in done.stderr
    assert "refs.json has no snapshots: quotations are not checked" in done.stderr
    assert "[@nosuch2024]: PC201 citation-without-reference [error]" in done.stderr
    assert "(Lindqvist 2024, para. 3)" in done.stdout  # pandoc's own Chicago rendering


# --- checking ----------------------------------------------------------------------------


def test_a_misquote_fails_the_build_when_asked(pandoc, tmp_path) -> None:
    finding = (
        "section “Summary”, paragraph 3, “For the first time, our administrations…” "
        "(@lindqvist2024): PC401 misquote [warning] para. 4, score 0.93: … same things in "
        "[-a similar-]{+the same+} way"
    )
    # misquote.md asks for it: `policycite: {fail-on: warning}`; pandoc stops, writes nothing.
    out = tmp_path / "misquote.txt"
    done = _pandoc(pandoc, EXAMPLE / "misquote.md", "-o", str(out))
    # pandoc 2.17 and 3.9 alike: exit 83 (PandocFilterError), the same two lines.
    assert done.returncode == 83
    assert done.stderr.startswith(finding)
    assert done.stderr.endswith(
        f"{FILTER}: 1 warning in the document\n"
        f"Error running filter {FILTER}:\nFilter returned error status 1\n"
    )
    assert not out.exists()
    # The environment overrides the metadata: the finding is said, the build goes on.
    done = _pandoc(pandoc, EXAMPLE / "misquote.md", "-o", str(out), POLICYCITE_FAIL_ON="never")
    assert done.returncode == 0
    assert done.stderr.startswith(finding)
    assert out.exists()
    # Not asked: exit 0 (a filter must not break a build by surprise).
    text = (EXAMPLE / "misquote.md").read_text(encoding="utf-8")
    quiet = tmp_path / "quiet.md"
    quiet.write_text(text.replace("policycite:\n  fail-on: warning\n", ""), encoding="utf-8")
    done = _pandoc(pandoc, quiet, "-t", "plain", cwd=ROOT)
    assert done.returncode == 0
    assert done.stderr.startswith(finding)
    # Asked through the environment only; "error" does not fail on a warning.
    assert _pandoc(pandoc, quiet, "-t", "plain", POLICYCITE_FAIL_ON="warning").returncode == 83
    assert _pandoc(pandoc, quiet, "-t", "plain", POLICYCITE_FAIL_ON="error").returncode == 0


def test_citation_without_reference_is_reported_where_it_is_written(pandoc, tmp_path) -> None:
    brief = _brief(tmp_path, "# Costs\n\nIntro.\n\nThe fund doubles [see @nosuch2024, p. 4].")
    done = _pandoc(pandoc, brief, "-t", "plain")
    assert done.returncode == 0
    assert done.stderr == (
        "section “Costs”, paragraph 2, [see @nosuch2024, p. 4]: PC201 "
        "citation-without-reference [error] @nosuch2024 is neither in the reference list nor "
        "in the library (hint: add the reference, or correct the citation)\n"
        f"{FILTER}: 1 error in the document\n"
    )
    assert "The fund doubles nosuch2024?" in done.stdout  # as pandoc's citeproc marks it
    failed = _pandoc(pandoc, brief, "-t", "plain", POLICYCITE_FAIL_ON="error")
    assert failed.returncode == 83


def test_inline_ignore_comments_apply(pandoc, tmp_path) -> None:
    brief = _brief(tmp_path, "<!-- policycite: ignore PC201 -->\nThe fund doubles [@nosuch2024].")
    done = _pandoc(pandoc, brief, "-t", "plain", POLICYCITE_FAIL_ON="warning")
    assert (done.returncode, done.stderr) == (0, "")


def test_with_sourcepos_findings_point_at_line_and_column(pandoc, tmp_path) -> None:
    # `-f commonmark_x+sourcepos` wraps every word and mark in a Span with data-pos
    # (pandoc 2.17 and 3 alike); those readers make no Cite elements (pandoc's CommonMark
    # has no citations extension), so "[@key]" is checked as text, not rendered.
    library = (ROOT / "references").as_posix()
    (tmp_path / "brief.md").write_text(
        f"---\nbibliography: {library}\n---\n\n# Costs\n\n"
        'She said "no river in our region stops at the border" [@lindqvist2024, para. 3].\n'
        "And *then* [see @nosuch2024, p. 4].\n\n"
        "> For the first time, our administrations will measure the same things in a "
        "similar way.\n> [@lindqvist2024, para. 4]\n",
        encoding="utf-8",
    )
    done = _pandoc(
        pandoc, Path("brief.md"), "-f", "commonmark_x+sourcepos", "-t", "plain", cwd=tmp_path
    )
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"{FILTER}: note: the reader made no citations")
    assert [line.split(": PC")[0] + " PC" + line.split(": PC")[1][:3] for line in lines[1:4]] == [
        "brief.md:7:11 (@lindqvist2024) PC401",  # the first quoted word
        "brief.md:8:12 PC201",  # the citation's "["
        "brief.md:10:3 (@lindqvist2024) PC401",  # the quoted paragraph, after "> "
    ]
    assert lines[4:] == [f"{FILTER}: 1 error, 2 warnings in the document"]
    assert "[see @nosuch2024, p. 4]" in done.stdout
    # Asked to fail, pandoc stops as for any other reader.
    failed = _pandoc(
        pandoc,
        Path("brief.md"),
        "-f",
        "commonmark_x+sourcepos",
        "-t",
        "plain",
        cwd=tmp_path,
        POLICYCITE_FAIL_ON="error",
    )
    assert failed.returncode == 83


def test_a_figure_caption_is_checked_once_and_rendered_in_the_alt_text_too(
    pandoc, tmp_path, capsys
) -> None:
    # pandoc 2: a paragraph of one image, the caption its alt text; pandoc 3: a Figure
    # block with the caption, and a copy of it (Cites too) in the image's alt text.
    brief = _brief(
        tmp_path,
        "Plans [@bcws2024a].\n\n![The basin [@lindqvist2024]](basin.png)\n\n"
        "![A map [@nosuch2024]](map.png)",
        "reference-section-title: References\n",
    )
    done = _pandoc(pandoc, brief, "-t", "html")
    assert done.returncode == 0
    # Read once (pandoc 3's alt text copy is not), counted as one paragraph in both.
    assert done.stderr == (
        "paragraph 3, [@nosuch2024]: PC201 citation-without-reference [error] @nosuch2024 "
        "is neither in the reference list nor in the library (hint: add the reference, or "
        "correct the citation)\n"
        f"{FILTER}: 1 error in the document\n"
    )
    html = " ".join(done.stdout.split())
    assert '<img src="basin.png" alt="The basin (Lindqvist, 2024)" />' in html
    # Alt text and caption read the same: pandoc hides the caption from screen readers.
    assert re.search(
        r'<figcaption aria-hidden="true">The basin <span class="citation" '
        r'data-cites="lindqvist2024">\(Lindqvist, 2024\)</span></figcaption>',
        html,
    )
    plain = _pandoc(pandoc, brief, "-t", "plain").stdout
    expected = _cli(capsys, "format", "references", "--keys", "bcws2024a,lindqvist2024")
    assert plain.split("References\n\n", 1)[1].rstrip("\n").split("\n\n") == (expected.splitlines())


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (
            "bibliography: missing.json\n",
            "missing.json: the bibliography named in the metadata does not exist (paths are "
            "relative to the working directory)",
        ),
        ("bibliography: broken.json\n", "broken.json"),
        ("bibliography: broken.bib\npolicycite:\n  fail-on: sometimes\n", "fail-on"),
        ("title: T\n", "metadata: the document cites, but names no bibliography"),
    ],
    ids=["missing", "broken-json", "bad-fail-on", "no-bibliography"],
)
def test_unusable_input_is_one_line_and_stops_pandoc(pandoc, tmp_path, meta, message) -> None:
    (tmp_path / "broken.json").write_text('[{"id": "a", "type": ', encoding="utf-8")
    (tmp_path / "broken.bib").write_text("@misc{a, title = {A}}\n", encoding="utf-8")
    path = tmp_path / "brief.md"
    path.write_text(f"---\n{meta}---\n\nText [@a].\n", encoding="utf-8")
    done = _pandoc(pandoc, path, "-t", "plain", cwd=tmp_path)
    assert done.returncode == 83
    first, *rest = done.stderr.splitlines()
    assert first.startswith(f"{FILTER}: error: ")
    assert message in first
    assert rest == [f"Error running filter {FILTER}:", "Filter returned error status 2"]
    assert "Traceback" not in done.stderr


def test_a_document_without_citations_or_library_passes_through(pandoc, tmp_path) -> None:
    path = tmp_path / "note.md"
    path.write_text("---\nlang: en-IE\n---\n\nNo sources *here*.\n", encoding="utf-8")
    done = _pandoc(pandoc, path, "-t", "plain", cwd=tmp_path, POLICYCITE_FAIL_ON="warning")
    assert (done.returncode, done.stdout, done.stderr) == (0, "No sources here.\n", "")


def test_a_language_without_csl_locale_does_not_stop_the_build(pandoc, tmp_path) -> None:
    brief = _brief(tmp_path, "Plans [@bcws2024a].", "lang: en-IE\n")
    done = _pandoc(pandoc, brief, "-t", "plain")
    assert done.returncode == 0
    assert done.stderr.startswith(f"{FILTER}: note: lang: unknown locale 'en-IE'")
    assert done.stdout.startswith("Plans (Baltic Council for Water Security [BCWS], 2024).")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("{}", "not a pandoc JSON document"),
        ("[{", "not a pandoc JSON document"),
        (
            '{"pandoc-api-version":[1,20],"meta":{},"blocks":[]}',
            "pandoc's JSON API 1.20 is too old: the filter needs pandoc 2.11 or later",
        ),
    ],
    ids=["empty", "cut-short", "pandoc-2.9"],
)
def test_not_a_pandoc_document_is_one_line(given, message) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from policycite.pandocfilter import main; sys.exit(main())",
        ],
        input=given,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"{FILTER}: error: standard input: {message}")
    assert done.stderr.count("\n") == 1


@pytest.fixture(scope="module")
def corpus_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "references"
    build_library(folder)
    return folder


@pytest.mark.parametrize("name", ["11-grant-pandoc.md", "12-ombudsman-pandoc.md"])
def test_the_filter_finds_what_check_finds(pandoc, corpus_library, name) -> None:
    # Every rule applies: the corpus's pandoc briefs give the same findings either way.
    brief = BRIEFS / name
    expected = [(f.code, f.message) for f in check(brief, corpus_library).report]
    done = _pandoc(pandoc, brief, "-t", "plain", "-M", f"bibliography={corpus_library}")
    assert done.returncode == 0, done.stderr
    found = []
    for line in done.stderr.splitlines()[:-1]:
        _where, _, rest = line.partition(": PC")
        code, _name, rest = rest.split(" ", 2)
        message = rest.split("] ", 1)[1].rsplit(" (hint: ", 1)[0]
        found.append((f"PC{code}", message))
    assert found == expected
    assert expected  # the corpus briefs have findings


# --- the parts, without pandoc ----------------------------------------------------------


def _cite(*citations: pf.Citation) -> pf.Cite:
    return pf.Cite(pf.Str("x"), citations=list(citations))


def _words(text: str) -> list[pf.Inline]:
    out: list[pf.Inline] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append(pf.Space())
        out.append(pf.Str(word))
    return out


def test_cites_are_written_back_in_pandoc_syntax() -> None:
    narrative = _cite(pf.Citation("kask2024", mode="AuthorInText", suffix=_words("p. 4")))
    assert cite_text(narrative) == "@kask2024 [p. 4]"
    group = _cite(
        pf.Citation("a2020", prefix=_words("see"), suffix=[pf.Str(","), *_words(" para.\xa02")]),
        pf.Citation("odd key", mode="SuppressAuthor"),
    )
    assert cite_text(group) == "[see @a2020, para. 2; -@{odd key}]"
    cluster = cluster_of(group)
    assert [(c.key, c.locator, c.label, c.prefix, c.mode) for c in cluster.cites] == [
        ("a2020", "2", "paragraph", "see", "normal"),
        ("odd key", None, "page", None, "suppress-author"),
    ]
    assert cluster_of(narrative).cites[0].mode == "narrative"


def test_tables_lists_and_figures_are_checked_too() -> None:
    def cite(key: str) -> pf.Cite:
        return pf.Cite(pf.Str(f"[@{key}]"), citations=[pf.Citation(key)])

    table = pf.Table(
        pf.TableBody(pf.TableRow(pf.TableCell(pf.Plain(pf.Str("Cell"), pf.Space(), cite("a1"))))),
        caption=pf.Caption(pf.Plain(pf.Str("Caption"), pf.Space(), cite("a2"))),
    )
    figure = pf.Figure(
        pf.Plain(pf.Image(pf.Str("alt"), url="x.png")),
        caption=pf.Caption(pf.Plain(pf.Str("Figure"), pf.Space(), cite("a3"))),
    )
    items = pf.BulletList(pf.ListItem(pf.Para(pf.Str("Item"), pf.Space(), cite("a4"))))
    code = pf.CodeBlock("not [@a5]")
    doc = pf.Doc(table, figure, items, code, pf.Div(pf.Para(cite("a6")), identifier="refs"))
    document, cites = read_document(doc)
    assert [c.citations[0].id for c in cites] == ["a1", "a2", "a3", "a4"]
    assert [c.text for c in document.brief.citations] == ["[@a1]", "[@a2]", "[@a3]", "[@a4]"]


def test_a_note_follows_its_paragraph_not_the_reference_list() -> None:
    note = pf.Note(pf.Para(*_words("As the minister said"), pf.Space(), _cite_of("kask2024")))
    doc = pf.Doc(
        pf.Para(*_words("Text."), note),
        pf.Header(pf.Str("References"), level=1),
        pf.Para(*_words("Kask, A. (2024). Title. https://kask.example/")),
    )
    document, _cites = read_document(doc)
    brief = document.brief
    assert brief.text.index("As the minister") < brief.text.index("# References")
    assert [e.text for e in brief.references] == ["Kask, A. (2024). Title. https://kask.example/"]
    (cite,) = [m for m in document.marks if m.kind == "cite"]
    assert cite.where == "note 1 (in paragraph 1)"


def _cite_of(key: str) -> pf.Cite:
    return pf.Cite(pf.Str(f"[@{key}]"), citations=[pf.Citation(key)])


def test_html_rendering_becomes_inlines_with_robust_links() -> None:
    url = "https://a.example/x"
    inlines = to_inlines(
        f'A &amp; B. <i>Title <span style="font-style:normal;">Word</span></i>. {url}.',
        {url: {"data-originalurl": url}},
    )
    para = pf.Para(*inlines)
    assert pf.stringify(para).strip() == f"A & B. Title Word. {url}."
    emph = inlines[6]
    assert isinstance(emph, pf.Emph)
    assert isinstance(emph.content[-1], pf.Span)
    assert emph.content[-1].classes == ["csl-no-emph"]
    link = inlines[-2]
    assert isinstance(link, pf.Link)
    assert (link.url, dict(link.attributes)) == (url, {"data-originalurl": url})
    assert to_inlines("https://b.example/y.", None) == [pf.Str("https://b.example/y.")]


def test_findings_point_at_source_positions_when_pandoc_gives_them() -> None:
    # A Cite inside a Span carrying data-pos: a reader giving both (pandoc's sourcepos
    # readers give no Cites; the end-to-end sourcepos test covers what they give).
    quoted = pf.Quoted(*_words("no river"), quote_type="DoubleQuote")
    cite = pf.Cite(
        pf.Str("[@nosuch2024]"),
        citations=[pf.Citation("nosuch2024")],
    )
    spans = [
        pf.Span(quoted, attributes={"data-pos": "brief.md@3:10-3:20"}),
        pf.Space(),
        pf.Span(cite, attributes={"data-pos": "brief.md@3:21-3:34"}),
    ]
    doc = pf.Doc(pf.Para(*_words("She said"), pf.Space(), *spans))
    document, cites = read_document(doc)
    assert cites == [cite]
    assert document.brief.text == "She said “no river” [@nosuch2024]"
    found = check(document.brief, ROOT / "references").report.findings
    moved = relocate(found, document)
    where = {f.code: str(f.location) for f in moved}
    assert where["PC201"] == "brief.md:3:21 (@nosuch2024)" or where["PC201"] == "brief.md:3:21"


def test_example_brief_is_clean_by_policycite_check(capsys) -> None:
    # The example is what `policycite check` passes too: the filter adds nothing of its own.
    status = main(
        ["check", str(EXAMPLE / "brief.md"), "-l", str(ROOT / "references"), "--fail-on", "warning"]
    )
    out = capsys.readouterr().out
    assert status == 0, out


def test_the_list_attributes_follow_the_running_pandoc() -> None:
    apa = style_layout("apa")
    assert (apa.entry_spacing, apa.line_spacing, apa.hanging_indent) == ("0", "2", True)
    # pandoc before 3.1.8 leaves entry-spacing 0 out (its writers' default); 3.1.8 and
    # later default to 1 and need it said; unknown: said.
    assert apa.list_attributes((2, 17, 1, 1)) == {"line-spacing": "2"}
    assert apa.list_attributes((3, 1, 7)) == {"line-spacing": "2"}
    said = {"entry-spacing": "0", "line-spacing": "2"}
    assert apa.list_attributes((3, 1, 8)) == said
    assert apa.list_attributes((3, 9)) == said
    assert apa.list_attributes(None) == said
    assert StyleLayout(False, False, "2", "1").list_attributes((2, 17)) == {"entry-spacing": "2"}
    assert style_layout("chicago-author-date").list_attributes((3, 9)) == {}
    assert pandoc_version({"PANDOC_VERSION": "3.1.8"}) == (3, 1, 8)
    assert pandoc_version({"PANDOC_VERSION": "2.17.1.1"}) == (2, 17, 1, 1)
    assert pandoc_version({}) is None
    assert pandoc_version({"PANDOC_VERSION": "nightly"}) is None
