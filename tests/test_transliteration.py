"""Transliterated titles and names (issue 14, item 5; PC229 of item 16).

APA prints titles and names in a non-Latin script romanised (Manual 9.38-9.39; APA Style
blog "When and how to transliterate titles in references"): the record keeps the
original and holds the Latin forms under ``custom.transliteration``; capture fills them
(``policycite add --transliterate``); the check flags unromanised reference entries.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policycite as pc
from policycite.capture.pipeline import add
from policycite.capture.records import person_name
from policycite.capture.transliteration import romanise, romanise_name, transliterate
from policycite.cli import main
from policycite.errors import InputError, ModelError
from policycite.formats import bibtex, cslyaml
from policycite.formats.bibmap import PROFILES
from policycite.library import load_library

# A fictional report by a fictional author, as a library file holds it.
RECORD = """\
- id: ivanov2020
  kind: report
  title: Экономическая политика
  translated-title: Economic policy
  author:
  - family: Иванов
    given: Иван Иванович
  - family: Petrova
    given: Anna
  issued: '2020'
  publisher: Northern Policy Institute
  language: ru
  custom:
    transliteration:
      title: Ekonomicheskaya politika
      author:
      - family: Ivanov
        given: Ivan Ivanovich
      - null
    provenance:
      transliteration: BGN/PCGN
"""


def _library(text: str = RECORD) -> pc.Library:
    result = cslyaml.loads(text, "record.yaml")
    assert not result.findings
    return result.library


def test_record_round_trips_byte_for_byte_and_keeps_the_original() -> None:
    library = _library()
    (source,) = library
    assert source.title == "Экономическая политика"
    assert source.title_transliterated == "Ekonomicheskaya politika"
    assert source.authors[0].family == "Иванов"
    assert source.authors[0].transliterated == pc.Name(family="Ivanov", given="Ivan Ivanovich")
    assert source.authors[1].transliterated is None
    assert source.provenance.transliteration == "BGN/PCGN"
    assert cslyaml.dumps(list(library)) == RECORD
    # The CSL form prints the romanised forms and brings the originals back.
    csl = cslyaml.dumps_csl(list(library))
    assert "title: Ekonomicheskaya politika \\[Economic policy\\]" in csl
    assert list(cslyaml.loads(csl).library) == list(library)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_bibtex_prints_the_romanised_forms_and_brings_the_originals_back(profile: str) -> None:
    sources = list(_library())
    text = bibtex.dumps(sources, profile)
    assert "Ivanov, Ivan Ivanovich and Petrova, Anna" in text  # the printed author
    assert "policycite-author = " in text  # the originals, escaped as the profile needs
    assert list(bibtex.loads(text).library) == sources
    if profile == "biblatex-apa":  # biblatex-apa prints origtitle [title]
        assert "origtitle = {Ekonomicheskaya politika}" in text
        assert "title = {Economic policy}" in text


def test_transliterations_must_fit_the_authors() -> None:
    with pytest.raises(InputError, match="1 transliterated name"):
        cslyaml.loads(RECORD.replace("      - null\n", ""))
    with pytest.raises(ModelError, match="shape"):
        pc.Name(family="Иванов", transliterated=pc.Name(literal="Ivanov"))


def test_apa_prints_the_romanised_title_and_names() -> None:
    library = _library()
    text = pc.render_bibliography(library, "apa").entries
    assert text == (
        "Ivanov, I. I., & Petrova, A. (2020). Ekonomicheskaya politika [Economic policy]. "
        "Northern Policy Institute.",
    )
    cites = pc.render_citations(library, [pc.parse_citations("[@ivanov2020]")[0]], "apa")
    assert cites.entries == ("(Ivanov & Petrova, 2020)",)


def test_cyrillic_systems() -> None:
    assert romanise("Экономическая политика", "bgn") == "Ekonomicheskaya politika"
    assert romanise("Экономическая политика", "alalc") == "Ėkonomicheskai͡a politika"
    assert romanise("Экономическая политика", "iso9") == "Èkonomičeskaâ politika"
    # ISO 9 has one table for every Cyrillic language; the Latin ë, never the Cyrillic ё.
    assert romanise("Україна, Київ", "iso9") == "Ukraïna, Kiïv"
    assert romanise("Ёлкин", "bgn") == "Yëlkin"
    assert romanise("Already Latin", "bgn") == "Already Latin"


def test_pinyin_without_tone_marks_and_word_joined() -> None:
    # Hong Kong Baptist University Library's APA example: 中國社工與志愿者合作的模式.
    assert romanise("中国社工与志愿者合作的模式", "pinyin") == (
        "Zhongguo shegong yu zhiyuanzhe hezuo de moshi"
    )
    assert romanise("西安的女儿", "pinyin") == "Xi'an de nü'er"
    assert romanise_name(pc.Name(family="王毅"), "pinyin") == pc.Name(family="Wang", given="Yi")
    assert romanise_name(pc.Name(family="欧阳修"), "pinyin") == pc.Name(
        family="Ouyang", given="Xiu"
    )


def test_russian_names_family_first_are_read_so() -> None:
    name = person_name("Иванов Иван Иванович")
    assert (name.family, name.given) == ("Иванов", "Иван Иванович")
    assert person_name("Иван Иванович Иванов") == name
    assert romanise_name(name, "bgn") == pc.Name(family="Ivanov", given="Ivan Ivanovich")


def test_transliterate_picks_the_system_by_language_and_keeps_hand_work() -> None:
    source = pc.Source(
        key="x",
        kind="report",
        title="全球安全倡议概念文件",
        authors=[pc.Name(family="王毅")],
        language="zh",
    )
    done, findings = transliterate(source)
    assert not findings
    assert done.title == source.title  # the original is kept
    assert done.title_transliterated == "Quanqiu anquan changyi gainian wenjian"
    assert done.authors[0].transliterated == pc.Name(family="Wang", given="Yi")
    assert done.provenance.transliteration == "pinyin"
    assert transliterate(source, "none") == (source, [])
    mine = pc.Source(key="x", kind="report", title="全球", title_transliterated="Quanqiu")
    assert transliterate(mine)[0].title_transliterated == "Quanqiu"
    # A script no system covers is reported, not guessed.
    japanese = pc.Source(key="j", kind="report", title="日本の外交", language="ja")
    (finding,) = transliterate(japanese)[1]
    assert finding.code == "PC305" and "not transliterated" in finding.message


PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<title>Экономическая политика северных регионов</title>
<meta name="citation_title" content="Экономическая политика северных регионов">
<meta name="citation_author" content="Иванов Иван Иванович">
<meta name="citation_date" content="2020-05-13">
</head><body><article><h1>Экономическая политика северных регионов</h1>
<p>Правительство утвердило новую программу развития северных регионов до 2030 года.</p>
<p>Программа предусматривает строительство дорог и портов, сообщил автор доклада.</p>
</article></body></html>
"""
URL = "https://www.northinst.example/ru/policy"


def test_capture_fills_the_transliteration_and_records_the_system(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    folder = tmp_path / "references"
    add(page, folder, url=URL, kind="report", transliterate="alalc")
    (source,) = load_library(folder).library
    assert source.title == "Экономическая политика северных регионов"
    assert source.title_transliterated == "Ėkonomicheskai͡a politika severnykh regionov"
    assert source.authors[0].transliterated == pc.Name(family="Ivanov", given="Ivan Ivanovich")
    assert source.provenance.transliteration == "ALA-LC"
    text = (folder / "ivanov2020.yaml").read_text(encoding="utf-8")
    assert "transliteration: ALA-LC" in text
    with pytest.raises(InputError, match="unknown transliteration"):
        add(page, folder, url=URL, transliterate="klingon")


def test_cli_transliterate_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    args = ["add", str(page), "--url", URL, "-l", str(tmp_path / "lib"), "--dry-run"]
    assert main([*args, "-k", "report"]) == 0
    out = capsys.readouterr().out
    assert "romanised   Ekonomicheskaya politika severnykh regionov; Ivan Ivanovich Ivanov" in out
    assert "[BGN/PCGN]" in out
    assert main([*args, "-k", "report", "--transliterate", "none"]) == 0
    assert "romanised" not in capsys.readouterr().out


BRIEF = """# Northern policy

The report's title, «Экономическая политика», says it plainly ({cite}, 2020).

## References

{entry}
"""


@pytest.mark.parametrize(
    ("entry", "cite", "codes"),
    [
        (
            "Иванов, И. И., & Petrova, A. (2020). Экономическая политика [Economic policy]. "
            "Northern Policy Institute.",
            "Иванов & Petrova",
            ["PC229"],
        ),
        (
            "Ivanov, I. I., & Petrova, A. (2020). Ekonomicheskaya politika [Economic policy]. "
            "Northern Policy Institute.",
            "Ivanov & Petrova",
            [],
        ),
    ],
)
def test_pc229_flags_reference_entries_not_prose(
    tmp_path: Path, entry: str, cite: str, codes: list[str]
) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(BRIEF.format(entry=entry, cite=cite), encoding="utf-8")
    result = pc.check(brief, _library())
    found = [f for f in result.report if f.code == "PC229"]
    assert [f.code for f in found] == codes
    if found:
        assert "title “Экономическая политика”" in found[0].message
        assert found[0].hint is not None
        assert found[0].hint.endswith(
            "Ivanov, I. I., & Petrova, A. (2020). Ekonomicheskaya politika [Economic policy]. "
            "Northern Policy Institute."
        )
    assert not [f for f in result.report if f.code in {"PC216", "PC201", "PC218"}]


def test_pc229_only_in_apa_briefs(tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(
        BRIEF.format(
            entry="Иванов, И. И. (2020). Экономическая политика [Economic policy].", cite="Иванов"
        ),
        encoding="utf-8",
    )
    result = pc.check(brief, _library(), style="chicago-author-date", select=["PC229"])
    assert not list(result.report)
