"""BibTeX/BibLaTeX: escaping, export per profile (golden files), import, round trips, bad input.

That the exports compile with real LaTeX toolchains is tests/test_latex.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

import policycite as pc
from policycite.cli import main
from policycite.errors import InputError
from policycite.formats import bibtex, cslyaml
from policycite.formats.bibmap import NOT_CARRIED, PROFILES, kind_of_entry
from policycite.formats.latex import decode, escape, initial_safe, protect_case, protect_cjk
from policycite.formats.record import date_from_csl

from conftest import DATA, SAMPLE_LIBRARY

ROUNDTRIP = DATA / "bibtex" / "roundtrip.yaml"


# ---------------------------------------------------------------------------------------
# Escaping


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("5% cut & $10m #2 _draft_", r"5\% cut \& \$10m \#2 \_draft\_"),
        ("a {b} c", r"a \{b\} c"),
        (r"back\slash ~ ^", r"back\textbackslash{}slash \textasciitilde{} \textasciicircum{}"),
        ("Müller Ørsted 中文", "Müller Ørsted 中文"),  # Unicode stays: biber and inputenc read it
    ],
)
def test_escape(text: str, latex: str) -> None:
    assert escape(text) == latex
    assert decode(latex) == text


@pytest.mark.parametrize(
    ("title", "protected"),
    [
        ("Council adopts plan for the Narva basin", "Council adopts plan for the {Narva} basin"),
        ("SCO ministers meet", "{SCO} ministers meet"),
        ("[Outcomes of the meeting]", "[Outcomes of the meeting]"),
        ("Talks: Brussels, then Paris.", "Talks: {Brussels}, then {Paris}."),
        ("about the EU", "about the {EU}"),
    ],
)
def test_protect_case(title: str, protected: str) -> None:
    assert protect_case(title) == protected
    assert decode(protected) == title


def test_protect_cjk_braces_runs_only() -> None:
    assert protect_cjk("全球安全倡议 (GSI) 概念文件") == "{全球安全倡议} (GSI) {概念文件}"


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("Željko", r"{\v{Z}}eljko"),
        ("Åsa", r"{\r{A}}sa"),
        ("Jean-Édouard", r"Jean-{\'E}douard"),
        ("Мария Владимировна", r"{\CYRM}ария {\CYRV}ладимировна"),
        ("Jürgen", "Jürgen"),  # only the first letter of each part matters to BibTeX
        ("Ωmega", r"{\relax Ω}mega"),  # no text command: \relax still makes a special char
    ],
)
def test_initials_are_bibtex_special_characters(given: str, safe: str) -> None:
    assert initial_safe(given) == safe
    assert decode(safe) == given


# ---------------------------------------------------------------------------------------
# Export


@pytest.mark.parametrize("profile", list(PROFILES))
def test_sample_library_exports(profile: str, golden: Any) -> None:
    text = bibtex.dumps(pc.load_library(SAMPLE_LIBRARY).library, profile)
    golden.check(f"bibtex/{profile}.bib", text)


def _entry(text: str, key: str) -> str:
    start = text.index("{" + key + ",")
    return text[text.rindex("@", 0, start) : text.index("\n}", start) + 2]


def test_biblatex_apa_shapes() -> None:
    text = bibtex.dumps(pc.load_library(SAMPLE_LIBRARY).library, "biblatex-apa")
    press = _entry(text, "bcws2024a")
    assert press.startswith("@report{bcws2024a,")
    assert "titleaddon = {Press release}" in press
    assert "author = {{Baltic Council for Water Security}}" in press
    assert "shortauthor = {{BCWS}}" in press
    assert "urldate" not in press  # dated: APA gives no retrieval date
    assert "policycite-accessed = {2024-03-20}" in press
    speech = _entry(text, "lindqvist2024")
    assert speech.startswith("@presentation{")
    for field in (
        "titleaddon",
        "eventtitle",
        "venue = {Tallinn, Estonia}",
        "eventdate",
        "publisher",
    ):
        assert field in speech
    news = _entry(text, "muller2024")
    assert "entrysubtype = {nonacademic}" in news
    assert r"5\% cut \& \$10m gap leave fund \#2 (\_draft\_)" in news
    assert "url = {https://www.nordenpost.example/politik/water-budget?ref=social%20media" in news
    translated = _entry(text, "nwa2024ru")
    assert "origtitle = {Итоги" in translated
    assert "title = {Outcomes of the ministerial meeting on water security}" in translated
    assert "langid = {russian}" in translated
    assert "title = {{关于跨界河流数据共享的声明}}" in _entry(text, "esbc2024")


def test_no_at_sign_in_percent_comments() -> None:
    for profile in PROFILES:
        text = bibtex.dumps(pc.load_library(SAMPLE_LIBRARY).library, profile)
        assert not [line for line in text.splitlines() if line.lstrip().startswith("%")]


def test_unknown_profile_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown BibTeX profile 'apa'"):
        bibtex.dumps([], "apa")


# ---------------------------------------------------------------------------------------
# Round trips

#: What a round trip through each profile may change, by Source attribute: the test
#: below fails if anything else changes, or if one of these no longer does.
LOST: dict[str, set[str]] = {
    profile: {
        "anchors",  # quotation anchors
        "authors",  # a dropping-particle comes back as a non-dropping one
        "extracted",  # how captured fields were found (provenance.extracted)
    }
    for profile in PROFILES
}


def _normalised(source: pc.Source) -> dict[str, Any]:
    """A source's values, with CSL numbers and date variables compared as text."""
    values = attrs.asdict(source, recurse=False)
    extra = {}
    for var, value in source.extra.items():
        date = date_from_csl(var, value) if var in {"original-date"} else None
        extra[var] = str(date) if date is not None else str(value)
    values["extra"] = extra
    # provenance.extracted is compared on its own, so the rest of provenance still counts.
    values["extracted"] = dict(source.provenance.extracted)
    values["provenance"] = attrs.evolve(source.provenance, extracted={})
    return values


def _changes(before: pc.Library, after: pc.Library) -> set[str]:
    assert before.keys == after.keys
    changed = set()
    for source in before:
        old, new = _normalised(source), _normalised(after[source.key])
        changed |= {name for name in old if old[name] != new[name]}
    return changed


@pytest.mark.parametrize("profile", list(PROFILES))
def test_round_trip_keeps_all_a_profile_can_carry(profile: str) -> None:
    library = cslyaml.load(ROUNDTRIP).library
    library = pc.Library(
        attrs.evolve(
            s,
            authors=[
                attrs.evolve(n, dropping_particle="de") if n.family == "King" else n
                for n in s.authors
            ],
        )
        for s in library
    )
    read = bibtex.loads(bibtex.dumps(library, profile), f"{profile}.bib")
    assert not read.findings
    assert _changes(library, read.library) == LOST[profile]
    assert len(NOT_CARRIED[profile]) == len(LOST[profile])  # the documented list matches


@pytest.mark.parametrize("profile", list(PROFILES))
def test_round_trip_of_the_sample_library(profile: str) -> None:
    library = pc.load_library(SAMPLE_LIBRARY).library
    read = bibtex.loads(bibtex.dumps(library, profile), f"{profile}.bib")
    assert not read.findings
    assert _changes(library, read.library) <= {"anchors"}


FOREIGN = r"""
@String{pr = {Press release}}
@REPORT{fda2019,
  AUTHOR = {{U.S. Food and Drug Administration}},
  TITLE = {Statement on new steps},
  TITLEADDON = pr,
  DATE = {2019-02-14},
  URL = {https://www.fda.gov/news-events/press-announcements/x},
  keywords = {food, safety},
  file = {:fda.pdf:PDF},
  x-zotero-key = {QWERTY},
}
@patent{pat1, author = {Doe, Jane}, title = {A pump}, year = 2001, number = {US123}}
@misc{web, author = {{World Health Organization}}, title = {Fact sheet},
  howpublished = {\url{https://www.who.int/x}}, year = {n.d.}}
@online{st, author = {{FCDO}}, title = {Joint statement on the Red Sea}, titleaddon = {Statement},
  organization = {GOV.UK}, date = {2024-01-03}, url = {https://www.gov.uk/x}}
@lecture{lec, author = {Wang, Yi}, title = {Keynote speech}, howpublished = {Speech delivered
  at the conference}, address = {Munich, Germany}, year = 2024, month = feb, day = 17}
@newspaper{np, author = {M{\"u}ller, J{\"u}rgen}, title = {Budget talks}, journal = {SZ},
  year = 2024}
@article{ja, author = {Brennan, Ciar{\'a}n}, title = {Data regimes}, journal = {MPR},
  volume = 12, number = 3, pages = {1--9}}
"""


def test_import_recognises_kinds_and_keeps_unknown_fields() -> None:
    read = bibtex.loads(FOREIGN, "foreign.bib")
    kinds = {s.key: s.kind for s in read.library}
    assert kinds == {
        "fda2019": "press-release",
        "pat1": "document",
        "web": "webpage",
        "st": "statement",
        "lec": "speech",
        "np": "news-article",
        "ja": "journal-article",
    }
    lib = read.library
    assert lib["fda2019"].genre is None  # "Press release" is the kind's own genre
    assert lib["web"].url == "https://www.who.int/x"
    assert lib["web"].issued is None
    assert lib["np"].authors[0].family == "Müller"
    assert lib["ja"].extra["page"] == "1–9"
    assert lib["lec"].event_place == "Munich, Germany"
    assert lib["st"].container_title == "GOV.UK"
    codes = sorted((f.code, f.location.line, f.location.field) for f in read.findings)
    assert ("PC014", 13, "type") in codes  # @patent
    assert ("PC015", 10, "file") in codes
    assert ("PC015", 11, "x-zotero-key") in codes
    # import -> export keeps every field, unknown ones included, as written
    text = bibtex.dumps(lib, "biblatex")
    assert "file = {:fda.pdf:PDF}," in text
    assert "x-zotero-key = {QWERTY}," in text
    assert "keywords = {food, safety}," in text
    assert "@patent{pat1," in text
    again = bibtex.loads(text, "again.bib")
    assert [s.key for s in again.library] == [s.key for s in lib]


@pytest.mark.parametrize(
    ("entry_type", "fields", "kind"),
    [
        ("report", {"titleaddon": "{Press release}"}, "press-release"),
        ("misc", {"type": "News release"}, "press-release"),
        ("presentation", {}, "speech"),
        ("unpublished", {"eventtitle": "Forum"}, "speech"),
        ("misc", {"type": "Speech transcript, as delivered"}, "speech"),
        ("article", {"entrysubtype": "nonacademic"}, "news-article"),
        ("article", {}, "journal-article"),
        ("online", {}, "webpage"),
        ("online", {"titleaddon": "Statement"}, "statement"),
        ("techreport", {}, "report"),
        ("misc", {}, "document"),
        ("misc", {"url": "https://x.example"}, "webpage"),
        ("misc", {"policycite-kind": "post"}, "post"),
    ],
)
def test_kind_of_entry(entry_type: str, fields: dict[str, str], kind: str) -> None:
    assert kind_of_entry(entry_type, fields) == kind


# ---------------------------------------------------------------------------------------
# Malformed input: findings with file and line, never a crash or a silent drop

MALFORMED = {
    "missing-comma": ("@misc{a,\n  title = {A}\n  year = {2024},\n}\n", [("PC010", 2)]),
    "unbalanced-braces": (
        "@misc{a,\n  title = {A {b},\n}\n@misc{b, title = {B}}\n",
        [("PC010", 1)],
    ),
    "duplicate-key": ("@misc{a, title = {A}}\n@misc{a, title = {B}}\n", [("PC002", 2)]),
    "duplicate-field": ("@misc{a,\n  title = {A},\n  title = {B},\n}\n", [("PC011", 3)]),
    "duplicate-field-case": ("@misc{a,\n  title = {A},\n  Title = {B},\n}\n", [("PC011", 3)]),
    "undefined-macro": ("@misc{a,\n  title = nosuchmacro,\n}\n", [("PC012", 2)]),
    "truncated": ("@misc{a, title = {A}}\n@misc{b,\n  title = {B", [("PC010", 2)]),
    "bad-url": ("@misc{a,\n  url = {not a url},\n}\n", [("PC013", 2)]),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_bib_gives_findings_with_lines(case: str) -> None:
    text, expected = MALFORMED[case]
    read = bibtex.loads(text, f"{case}.bib")
    found = [(f.code, f.location.line) for f in read.findings]
    assert found == expected
    assert all(f.location.path == f"{case}.bib" for f in read.findings)


def test_first_value_wins_and_good_entries_survive() -> None:
    assert bibtex.loads(MALFORMED["duplicate-field"][0]).library["a"].title == "A"
    assert bibtex.loads(MALFORMED["duplicate-key"][0]).library["a"].title == "A"
    assert bibtex.loads(MALFORMED["unbalanced-braces"][0]).library.keys == ("b",)
    assert bibtex.loads(MALFORMED["truncated"][0]).library.keys == ("a",)
    assert bibtex.loads(MALFORMED["missing-comma"][0]).library["a"].title == "A"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02garbage\xff", "not UTF-8"),
        (b"@misc{a, title = {A}}\n\x00\x01binary", "control character U+0000"),
        ("@misc{a, title = {Caf\xe9}}".encode("latin-1"), "not UTF-8"),
    ],
)
def test_binary_and_non_utf8_files_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    bad = tmp_path / "bad.bib"
    bad.write_bytes(data)
    out = tmp_path / "out"
    assert main(["convert", str(bad), "--to", "yaml", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{bad}:" in err and message in err
    assert not out.exists()  # nothing half-written


def test_cli_bib_with_findings_exits_1_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(MALFORMED["undefined-macro"][0], encoding="utf-8")
    assert main(["convert", str(bib), "--to", "csljson"]) == 1
    captured = capsys.readouterr()
    assert f"{bib}:2 (@a title): PC012 undefined-macro" in captured.err
    assert '"id": "a"' in captured.out


def test_cli_convert_to_each_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for profile in PROFILES:
        out = tmp_path / f"{profile}.bib"
        args = ["convert", str(SAMPLE_LIBRARY), "--to", "bibtex", "-p", profile, "-o", str(out)]
        assert main(args) == 0
        assert out.read_text(encoding="utf-8") == bibtex.dumps(
            pc.load_library(SAMPLE_LIBRARY).library, profile
        )
    # and back into a library folder
    folder = tmp_path / "lib"
    assert (
        main(["convert", str(tmp_path / "biblatex-apa.bib"), "--to", "yaml", "-o", str(folder)])
        == 0
    )
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in SAMPLE_LIBRARY.glob("*.yaml")
    )
    capsys.readouterr()


def test_keys_latex_cannot_cite_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = tmp_path / "lib.yaml"
    records.write_text(
        "- {id: 'a#b', kind: document, title: T}\n- {id: ok-key, kind: document, title: U}\n",
        encoding="utf-8",
    )
    assert main(["convert", str(records), "--to", "bibtex"]) == 1
    err = capsys.readouterr().err
    assert "@a#b id: PC016 key-unusable-in-latex" in err
    assert "ok-key" not in err
