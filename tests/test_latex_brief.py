r"""LaTeX briefs (.tex): paragraphs, \cite forms, quotations, decoding; `check` end to end.

The briefs are fictional notes on the sample library's Baltic Council for Water Security
sources (``references/``: the speech @lindqvist2024 and the press release @bcws2024a have
snapshots).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from policycite.brief.readers import read_brief
from policycite.cli import main
from policycite.errors import InputError
from policycite.output import jsonreport

from conftest import SAMPLE_LIBRARY

NOTE = r"""\documentclass[a4paper]{article}
\usepackage[style=apa]{biblatex}
\usepackage{csquotes}
\addbibresource{narva.bib}
\title{Briefing note: monitoring the Narva basin}
\author{Water Policy Unit}
\begin{document}
\maketitle
% Draft: ``this comment is no quotation of anything at all'' \cite{ghost2020}

\section{Summary}
On 12~March the Baltic Council for Water Security adopted a joint monitoring plan
for the Narva basin \parencite{bcws2024a}. Opening the meeting,
\textcite[para.~3]{lindqvist2024} argued that ``no river in our region stops at a
border''.
% a comment line inside the paragraph does not end it
The chair added that \enquote{what happens upstream in spring is felt downstream in
autumn} \parencite[para.~3]{lindqvist2024}.

\begin{figure}[h]
\caption{Stations, ``a caption that quotes nothing we could check'' \cite{ghost2021}}
\end{figure}

\subsection*{Why it matters}
For the first time \textquote[\cite[para.~2]{lindqvist2024}]{our administrations will
measure the same things in the same way}, as the plan's authors put it.
She was thanked, too: ``I thank the expert group for two years of patient
work''.\footnote{\cite[para.~5]{lindqvist2024}. See also \citet{nobody2023}.}

\begin{quote}
Today we will adopt a joint monitoring plan for the Narva basin.
\end{quote}
\noindent\parencite[para.~4]{lindqvist2024}

\printbibliography
\end{document}
"""


def write(tmp_path: Path, text: str = NOTE, name: str = "note.tex") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_paragraphs_headings_and_what_is_left_out(tmp_path: Path) -> None:
    brief = read_brief(write(tmp_path))
    assert brief.format == "latex"
    kinds = [(p.kind, p.text.split("\n")[0][:30]) for p in brief.paragraphs]
    assert kinds == [
        ("heading", "Summary"),
        ("body", "On 12 March the Baltic Council"),
        ("heading", "Why it matters"),
        ("body", "For the first time “our admini"),
        ("blockquote", "Today we will adopt a joint mo"),
        ("body", "\\parencite[para.~4]{lindqvist2"),
    ]
    # Preamble, comments, the figure and \printbibliography are not text.
    for absent in ("documentclass", "Draft", "ghost", "caption", "printbibliography"):
        assert absent not in brief.text
    assert brief.bibliography == ("narva.bib",)


def test_lines_are_those_of_the_tex_file(tmp_path: Path) -> None:
    brief = read_brief(write(tmp_path))
    source = NOTE.splitlines()
    for citation in brief.citations:
        if citation.text.startswith("\\cite[para.~2]"):  # \textquote's, printed after its text
            assert citation.span.line == 26
            continue
        line = source[citation.span.line - 1]
        assert citation.text.split("{")[0] in line, citation
    for quotation in brief.quotations:
        assert quotation.text.split()[0] in source[quotation.span.line - 1], quotation


def test_citation_commands_keys_and_locators(tmp_path: Path) -> None:
    brief = read_brief(write(tmp_path))
    found = [(c.form, [(w.key, w.locator) for w in c.works]) for c in brief.citations]
    assert found == [
        ("latex", [("bcws2024a", None)]),
        ("latex", [("lindqvist2024", "para. 3")]),
        ("latex", [("lindqvist2024", "para. 3")]),
        ("latex", [("lindqvist2024", "para. 2")]),
        ("latex", [("lindqvist2024", "para. 5")]),
        ("latex", [("nobody2023", None)]),
        ("latex", [("lindqvist2024", "para. 4")]),
    ]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (r"\cite{a1}", [("a1", None)]),
        (r"\parencite[see][para.~4]{a1}", [("a1", "para. 4")]),
        (r"\autocite[12]{a1}", [("a1", "p. 12")]),
        (r"\citep[pp.~3--4]{a1,b2}", [("a1", None), ("b2", "pp. 3–4")]),
        (r"\citet{a1}", [("a1", None)]),
        (r"\citeauthor{a1}", [("a1", None)]),
        (r"\citeyear{a1}", [("a1", None)]),
        (r"\textcites[para.~2]{a1}[para.~5]{b2}", [("a1", "para. 2"), ("b2", "para. 5")]),
        (r"\footcite[sec.~3]{a1}", [("a1", "sec. 3")]),
    ],
)
def test_each_citation_command(tmp_path: Path, command: str, expected: list[object]) -> None:
    brief = read_brief(write(tmp_path, f"The plan is new {command}.\n", "part.tex"))
    (citation,) = brief.citations
    assert citation.form == "latex"
    assert [(w.key, w.locator) for w in citation.works] == expected


@pytest.mark.parametrize(
    ("latex", "quoted"),
    [
        ("``no river in our region stops here''", "no river in our region stops here"),
        (r"\enquote{no river in our region stops here}", "no river in our region stops here"),
        (r"\enquote*{no river in our region stops here}", "no river in our region stops here"),
        ('"`kein Fluss in unserer Region h\\"alt an"\'', "kein Fluss in unserer Region hält an"),
        (r"``l'\'et\'e na\"ive \ss{} \o{} \c{c}a \v{Z}ivko''", "l’été naïve ß ø ça Živko"),
        (r"``40\,\% of \$10m \& more --- soon \ldots{} now''", "40 % of $10m & more — soon … now"),
    ],
)
def test_quotation_marks_and_decoding(tmp_path: Path, latex: str, quoted: str) -> None:
    brief = read_brief(write(tmp_path, f"She said {latex} \\parencite{{a1}}.\n", "part.tex"))
    (quotation,) = brief.quotations
    assert quotation.text == quoted
    assert quotation.citation is not None and quotation.citation.works[0].key == "a1"


def test_block_quotes_and_their_citations(tmp_path: Path) -> None:
    text = (
        "\\begin{displayquote}[\\cite[para.~4]{a1}]\nToday we adopt a plan for the basin.\n"
        "\\end{displayquote}\n\nAnd earlier, opening the meeting:\n\n"
        "\\blockquote[\\cite[para.~2]{b2}]{Thank you for coming to the capital today.}\n"
    )
    brief = read_brief(write(tmp_path, text, "part.tex"))
    found = [
        (q.block, q.text, q.citation.works[0].key if q.citation else None) for q in brief.quotations
    ]
    assert found == [
        (True, "Today we adopt a plan for the basin.", "a1"),
        (True, "Thank you for coming to the capital today.", "b2"),
    ]


def test_bibliography_commands(tmp_path: Path) -> None:
    text = "\\begin{document}\nText \\cite{a1}.\n\\bibliography{refs,more.bib}\n\\end{document}\n"
    assert read_brief(write(tmp_path, text, "part.tex")).bibliography == ("refs.bib", "more.bib")


@pytest.mark.parametrize(
    "text",
    [
        "Text \\emph{unclosed and \\textbf{more \\cite{a1} ``quoted words here'' %\n",
        "\\begin{quote}never closed ``a quotation of words''\n",
        "Dollars $5 and no end, \\verb|x| \\href{http://a.example/%20}{link} 100\\%.\n",
        "\\begin{itemize}\\item First point \\cite{a1}.\n\\item Second.\\end{itemize}\n",
    ],
)
def test_broken_latex_is_read_without_error(tmp_path: Path, text: str) -> None:
    brief = read_brief(write(tmp_path, text, "broken.tex"))
    assert brief.text.count("\n") <= text.count("\n") + 1
    assert all("\\" not in q.text for q in brief.quotations)


def test_urls_keep_their_percent_signs(tmp_path: Path) -> None:
    text = (
        "See \\url{https://a.example/x%20y} and \\href{https://a.example/%7E}{the plan}, "
        "``words that follow the links here'' \\cite{a1}.\n"
    )
    brief = read_brief(write(tmp_path, text, "links.tex"))
    assert brief.text.startswith("See https://a.example/x%20y and the plan, “words")
    assert [q.text for q in brief.quotations] == ["words that follow the links here"]


def test_absurd_nesting_is_one_error_not_a_crash(tmp_path: Path) -> None:
    text = "Text " + "\\emph{" * 5000 + "deep" + "}" * 5000 + "\n"
    with pytest.raises(InputError, match="nests"):
        read_brief(write(tmp_path, text, "deep.tex"))


def test_an_empty_document_is_refused(tmp_path: Path) -> None:
    text = "\\documentclass{article}\n\\begin{document}\n% nothing yet\n\\end{document}\n"
    with pytest.raises(InputError, match="empty"):
        read_brief(write(tmp_path, text, "empty.tex"))


def _codes(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[tuple[str, str]]]:
    code = main(["check", *argv, "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    jsonschema.validate(out, jsonreport.schema())
    assert out["brief"]["format"] == "latex"
    return code, [(f["code"], f["message"]) for f in out["findings"]]


def test_check_a_latex_brief_against_the_library_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, findings = _codes(capsys, str(write(tmp_path)), "-l", str(SAMPLE_LIBRARY))
    assert code == 1
    codes = [c for c, _ in findings]
    # The planted errors, and nothing else: no PC219 (biblatex prints the list), no
    # finding from the comment or the figure, the footnote's citation checks its quotation.
    assert codes == ["PC401", "PC212", "PC201"], findings
    assert "autumn" in findings[0][1]
    assert "para. 4" in findings[1][1]
    assert "nobody2023" in findings[2][1]


def test_check_a_latex_brief_against_its_own_bib(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = tmp_path / "narva.bib"
    assert main(["convert", str(SAMPLE_LIBRARY), "--to", "bibtex", "-o", str(bib)]) == 0
    capsys.readouterr()
    # No -l: the \addbibresource file is the library; it has no snapshots, and every
    # quotation says it was not checked instead of passing silently.
    code, findings = _codes(capsys, str(write(tmp_path)))
    assert code == 1
    assert [c for c, _ in findings] == ["PC220"] * 4 + ["PC201", "PC220"]
    assert all("the library has no snapshots" in m for c, m in findings if c == "PC220")
