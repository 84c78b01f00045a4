"""The LaTeX checker (tests/texcheck.py): good .bib files compile cleanly, bad ones do not.

Tests that need TeX call ``texcheck.require``: they skip on a machine without the toolchain
and fail under CI, where the proof that exports compile must not quietly disappear. The
compilations run in parallel, once per module (see ``compiled``), because each takes
0.5-6 s and they share nothing but the CPU.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

import texcheck

from conftest import DATA

# The Cyrillic initial looks like Latin M (ruff RUF001), so it is spelled out by name.
EM = "\N{CYRILLIC CAPITAL LETTER EM}"

TEX = DATA / "tex"
SAMPLE = TEX / "sample.bib"
SAMPLE_BIBTEX = TEX / "sample-bibtex.bib"
BROKEN = TEX / "broken.bib"

# standard biblatex has no @presentation driver: citing lindqvist2024 with
# style=authoryear gives "Package biblatex Warning: No driver for 'presentation'. Using
# fallback driver", a real loss of formatting that the checker reports. sample.bib is
# written for biblatex-apa, so the authoryear run cites every other entry; the .bbl count
# check then expects those six.
AUTHORYEAR_KEYS = tuple(key for key in texcheck.bib_keys(SAMPLE) if key != "lindqvist2024")

# apacite wraps NOTE in \APACrefnote{...}; a %20 in a \url there is read as a comment
# inside that argument and TeX stops ("File ended while scanning use of \APACrefnote").
# For apacite an exporter must use the URL field, which apacite prints outside any argument.
APACITE_KEYS = tuple(key for key in texcheck.bib_keys(SAMPLE_BIBTEX) if key != "mueller2024")

# One entry of each problem that biber and the font checks must catch: characters DejaVu
# Serif lacks, an impossible date and a key used twice; the test also cites a missing key.
BIBER_PROBLEMS = """\
@online{glyphs,
  author = {{Baltic Council for Water Security}},
  title  = {Emoji 😀 and runes ᚠ},
  date   = {2024-13-45},
  url    = {https://www.bcws.example/glyphs},
}
@online{glyphs,
  author = {{Baltic Council for Water Security}},
  title  = {The same key again},
  date   = {2024},
}
"""

# The same for BibTeX: a missing required field, a repeated key and a missing comma.
BIBTEX_PROBLEMS = """\
@article{nojournal,
  author = {Kask, Jaan},
  title  = {An article without a journal},
  year   = {2024},
}
@misc{twice,
  author = {Kask, Jaan},
  title  = {First of two entries with one key},
  year   = {2024},
}
@misc{twice,
  author = {Kask, Jaan},
  title  = {Second of two entries with one key},
  year   = {2024},
}
@misc{nocomma,
  author = {Kask, Jaan},
  title  = {A field without its comma}
  year   = {2024},
}
"""

# name -> (.bib file or its text, toolchain, keys to cite or None for all).
JOBS: dict[str, tuple[Path | str, str, Sequence[str] | None]] = {
    "apa-pdflatex": (SAMPLE, "apa-pdflatex", None),
    "apa-xelatex": (SAMPLE, "apa-xelatex", None),
    "authoryear-pdflatex": (SAMPLE, "authoryear-pdflatex", AUTHORYEAR_KEYS),
    "natbib-apalike": (SAMPLE_BIBTEX, "natbib-apalike", None),
    "apacite": (SAMPLE_BIBTEX, "apacite", APACITE_KEYS),
    "apacite-percent-in-note": (SAMPLE_BIBTEX, "apacite", ["mueller2024"]),
    "broken-apa-pdflatex": (BROKEN, "apa-pdflatex", None),
    "broken-natbib-apalike": (BROKEN, "natbib-apalike", None),
    "broken-apacite": (BROKEN, "apacite", None),
    "biber-problems": (BIBER_PROBLEMS, "apa-xelatex", ["glyphs", "nosuchkey"]),
    "bibtex-problems": (BIBTEX_PROBLEMS, "natbib-apalike", ["nojournal", "twice", "nocomma"]),
}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future]]:
    """Every job whose toolchain is installed, started in parallel; tests wait for theirs."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {}
        for name, (bib, toolchain, keys) in JOBS.items():
            if not texcheck.available(toolchain):
                continue  # the test calls require(), which skips or fails
            workdir = tmp_path_factory.mktemp(name)
            path = bib
            if isinstance(bib, str):
                path = workdir / "input.bib"
                path.write_text(bib, encoding="utf-8")
            futures[name] = pool.submit(
                texcheck.compile_bib, path, toolchain, workdir, keys or texcheck.bib_keys(path)
            )
        yield futures


def result(compiled: dict[str, Future], job: str) -> texcheck.CheckResult:
    texcheck.require(JOBS[job][1])
    outcome: texcheck.CheckResult = compiled[job].result()
    return outcome


def flat(text: str) -> str:
    """PDF text as one line: hyphenated words joined, every run of white space one space."""
    return " ".join(re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text).split())


def squeezed(text: str) -> str:
    """PDF text without any white space, for URLs that TeX broke across lines."""
    return "".join(text.split())


# --- compiling good files -------------------------------------------------------------------


@pytest.mark.parametrize("job", ["apa-pdflatex", "apa-xelatex", "natbib-apalike"])
def test_sample_compiles_without_problems(compiled, job: str) -> None:
    checked = result(compiled, job)
    assert checked.problems == [], "\n".join(checked.problems)
    assert checked.bib_entries == checked.bbl_entries == 7


def test_sample_compiles_with_authoryear_except_the_presentation(compiled) -> None:
    checked = result(compiled, "authoryear-pdflatex")
    assert checked.problems == [], "\n".join(checked.problems)
    assert (checked.bib_entries, checked.bbl_entries) == (7, 6)


def test_sample_compiles_with_apacite_except_the_percent_url_in_note(compiled) -> None:
    checked = result(compiled, "apacite")
    assert checked.problems == [], "\n".join(checked.problems)
    assert (checked.bib_entries, checked.bbl_entries) == (7, 6)


def test_apacite_breaks_on_a_percent_url_in_note(compiled) -> None:
    problems = result(compiled, "apacite-percent-in-note").problems
    assert any("File ended while scanning use of \\APACrefnote" in p for p in problems), problems


@pytest.mark.parametrize("job", ["apa-pdflatex", "apa-xelatex"])
def test_apa_pdf_shows_what_the_sample_asks_for(compiled, job: str) -> None:
    checked = result(compiled, job)
    text = flat(checked.raw_text)
    assert "[Press release]" in text
    assert "[Speech]" in text
    # The abbreviation is introduced by the first citation and used by the second.
    assert "(Baltic Council for Water Security [BCWS], n.d.) (BCWS, n.d.)" in text
    assert "Müller, J., Østergaard, Å., & Ćosić, Ž. (2024, March 13)" in text
    assert "5% cut & $10bn fund in the #2 _draft_ of the Narva levy" in text
    assert "narva%20levy?draft=2#frag" in squeezed(checked.raw_text)
    assert "Итоги совещания министров по водной безопасности" in text
    assert "[Outcomes of the ministerial meeting on water security]" in text
    assert f"Иванова, {EM}." in text
    assert "上海合作组织秘书长关于水安全的声明" in squeezed(checked.raw_text)
    assert "References" in checked.text  # the -layout version is kept too


def test_natbib_pdf_shows_bibtex_special_characters(compiled) -> None:
    text = flat(result(compiled, "natbib-apalike").raw_text)
    assert "Müller, J., Østergaard, Å., and Ćosić, Ž. (2024)" in text
    assert f"Иванова, {EM}. (2024)" in text
    assert "Press release, 12 March 2024." in text


# --- finding problems -----------------------------------------------------------------------


@pytest.mark.parametrize("job", ["broken-apa-pdflatex", "broken-natbib-apalike", "broken-apacite"])
def test_broken_bib_fails(compiled, job: str) -> None:
    problems = result(compiled, job).problems
    # biblatex: TeX stops; BibTeX styles: the title is silently cut, found in the .bbl.
    assert any("unescaped % hides the rest of the line" in p for p in problems), problems


def test_reports_biber_font_and_citation_problems(compiled) -> None:
    checked = result(compiled, "biber-problems")
    problems = "\n".join(checked.problems)
    assert "biber: WARN - Duplicate entry key: 'glyphs'" in problems
    assert "biber: WARN - Entry 'glyphs' (refs.bib): Invalid format '2024-13-45'" in problems
    assert "biber: WARN - I didn't find a database entry for 'nosuchkey'" in problems
    assert "xelatex run 3: Missing character: There is no 😀 (U+1F600)" in problems
    assert "xelatex run 3: Missing character: There is no ᚠ (U+16A0)" in problems
    assert "xelatex run 3: LaTeX Warning: Citation 'nosuchkey' on page 1 undefined" in problems
    assert "doc.bbl has 1 entries but the .bib has 2: entries were lost" in problems
    assert all("\n" not in problem for problem in checked.problems)


def test_reports_bibtex_problems(compiled) -> None:
    problems = result(compiled, "bibtex-problems").problems
    assert problems == [
        "bibtex: Repeated entry---line 11 of file refs.bib",
        "bibtex: I'm skipping whatever remains of this entry",
        "bibtex: I was expecting a `,' or a `}'---line 19 of file refs.bib",
        "bibtex: Warning--empty year in nocomma",
        "bibtex: Warning--empty journal in nojournal",
        "bibtex: (There were 2 error messages)",
        "bibtex: exited with status 2",
    ]


# --- the parts, without TeX -----------------------------------------------------------------


def test_the_five_toolchains() -> None:
    assert list(texcheck.TOOLCHAINS) == [
        "apa-pdflatex",
        "apa-xelatex",
        "authoryear-pdflatex",
        "natbib-apalike",
        "apacite",
    ]
    natbib = texcheck.TOOLCHAINS["natbib-apalike"]
    assert (natbib.engine, natbib.backend, natbib.style) == ("pdflatex", "bibtex", "apalike")
    assert texcheck.TOOLCHAINS["apa-xelatex"].engine == "xelatex"


def test_bib_keys_skip_strings_comments_and_preambles() -> None:
    bib = (
        '@string{bcws = {Baltic Council}}\n@Comment{x}\n@preamble{ "\\relax" }\n'
        "@REPORT{a,\n  title = {A}}\n  @online( b ,\n title = {B})\n"
    )
    assert texcheck.bib_keys(bib) == ["a", "b"]
    assert len(texcheck.bib_keys(SAMPLE)) == 7


def test_document_cites_every_key_twice() -> None:
    tex = texcheck.document(texcheck.TOOLCHAINS["apa-pdflatex"], ["a", "b"])
    assert tex.count(r"\parencite{a}") == tex.count(r"\parencite{b}") == 2
    assert r"\begin{CJK}{UTF8}{gbsn}" in tex
    assert r"\usepackage[backend=biber,style=apa,autolang=other*]{biblatex}" in tex
    apacite = texcheck.document(texcheck.TOOLCHAINS["apacite"], ["a"])
    assert apacite.count(r"\cite{a}") == 2
    assert r"\bibliographystyle{apacite}" in apacite
    natbib = texcheck.document(texcheck.TOOLCHAINS["natbib-apalike"], ["a"])
    assert natbib.count(r"\citep{a}") == 2
    assert r"\usepackage{url}" in natbib


def test_cyrillic_fallbacks_cover_every_letter() -> None:
    texcheck.require("apa-pdflatex")  # reads t2aenc.def
    letters = texcheck.cyrillic_letters()
    for name in ("CYRA", "cyrya", "CYRYO", "cyryo", "CYRSFTSN", "CYRHRDSN", "CYRERY", "CYRIE"):
        assert name in letters
    assert "cyrdash" not in letters
    tex = texcheck.document(texcheck.TOOLCHAINS["natbib-apalike"], ["a"])
    assert r"\DeclareTextSymbolDefault{\CYRM}{T2A}" in tex


def test_keys_that_cannot_be_cited_are_problems(tmp_path: Path) -> None:
    checked = texcheck.compile_bib(BROKEN, "natbib-apalike", tmp_path, ["a b", "c}"])
    assert len(checked.problems) == 2
    assert checked.log == ""  # nothing was run


FINAL_LOG = """\
./doc.bbl:12: Undefined control sequence.
<argument> \\foo
l.12 \\field{title}{\\foo}
Package biblatex Warning: Biber reported the following issues
(biblatex)                with 'x':
(biblatex)                - Invalid date.

LaTeX Font Warning: Font shape `C70/gbsn/m/it' undefined
(Font)              using `C70/gbsn/m/n' instead on input line 40.
LaTeX Font Warning: Font shape `T1/cmr/m/sc' undefined
(Font)              using `T1/cmr/m/n' instead on input line 41.
Missing character: There is no ^^a0 in font cmr10!
LaTeX Font Warning: Some font shapes were not available, defaults substituted.
LaTeX Warning: There were undefined references.
"""


def test_tex_problems_in_the_final_run() -> None:
    assert texcheck.tex_problems(FINAL_LOG, final=True) == [
        "./doc.bbl:12: Undefined control sequence. [l.12 \\field{title}{\\foo}]",
        "Missing character: There is no ^^a0 in font cmr10!",
        "Package biblatex Warning: Biber reported the following issues with 'x': - Invalid date.",
        # The CJK italic substitution is whitelisted, the small-caps one is not.
        "LaTeX Font Warning: Font shape `T1/cmr/m/sc' undefined "
        "using `T1/cmr/m/n' instead on input line 41.",
        "LaTeX Warning: There were undefined references.",
    ]


def test_earlier_runs_only_count_errors() -> None:
    assert texcheck.tex_problems(FINAL_LOG, final=False) == [
        "./doc.bbl:12: Undefined control sequence. [l.12 \\field{title}{\\foo}]"
    ]


def test_bbl_percent_check() -> None:
    bbl = "\n".join(
        [
            "% $ biblatex bbl format version 3.2 $",
            r"\field{title}{A 5\% cut}",
            r"\verb https://example.org/a%20b",
            r"\newblock \url{https://example.org/a%20b#c}.",
            r"\bibitem[\protect\citeauthoryear{%",
            r"\newblock Cut by 5% & more.",
            r"\field{title}{Cut by 5\\% and more}",
        ]
    )
    assert texcheck.bbl_problems(bbl) == [
        "line 6: unescaped % hides the rest of the line: \\newblock Cut by 5% & more.",
        "line 7: unescaped % hides the rest of the line: \\field{title}{Cut by 5\\\\% and more}",
    ]


def test_require_skips_without_ci_and_fails_with_it(monkeypatch) -> None:
    monkeypatch.setattr(texcheck, "missing", lambda toolchain: ["pdflatex"])
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="missing pdflatex"):
        texcheck.require("apa-pdflatex")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        texcheck.require("apa-pdflatex")
