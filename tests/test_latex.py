"""The exported sample library compiles with real LaTeX toolchains, with no warning at all.

Each export profile is compiled with the toolchain it is for (tests/texcheck.py runs the
engines and reads the logs strictly): biblatex-apa with pdflatex and xelatex (Cyrillic
and Chinese titles), the standard biblatex profile with authoryear, and the two classic
BibTeX profiles with natbib/apalike and apacite. Skipped only when TeX is missing and CI is
not set (.ci/run installs TeX Live from Debian).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import policycite as pc
import texcheck
from policycite.formats import bibtex

from conftest import SAMPLE_LIBRARY

# toolchain -> the export profile made for it
PROFILE_OF = {
    "apa-pdflatex": "biblatex-apa",
    "apa-xelatex": "biblatex-apa",
    "authoryear-pdflatex": "biblatex",
    "natbib-apalike": "bibtex-natbib",
    "apacite": "bibtex-apacite",
}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, texcheck.CheckResult]:
    """Compile the sample library once per toolchain, the toolchains in parallel."""
    library = pc.load_library(SAMPLE_LIBRARY).library
    root = tmp_path_factory.mktemp("latex")
    ready = [name for name in PROFILE_OF if texcheck.available(name)]

    def build(name: str) -> texcheck.CheckResult:
        bib = root / f"{name}.bib"
        bib.write_text(bibtex.dumps(library, PROFILE_OF[name]), encoding="utf-8")
        return texcheck.compile_bib(bib, name, root / name, library.keys)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(ready, pool.map(build, ready), strict=True))


@pytest.mark.parametrize("toolchain", list(PROFILE_OF))
def test_sample_library_compiles_without_warnings(
    toolchain: str, compiled: dict[str, texcheck.CheckResult]
) -> None:
    texcheck.require(toolchain)
    result = compiled[toolchain]
    assert result.problems == [], "\n".join(result.problems)
    assert result.bbl_entries == result.bib_entries == len(list(SAMPLE_LIBRARY.glob("*.yaml")))


@pytest.mark.parametrize("toolchain", ["apa-pdflatex", "apa-xelatex"])
def test_apa_output_shows_policy_source_details(
    toolchain: str, compiled: dict[str, texcheck.CheckResult]
) -> None:
    texcheck.require(toolchain)
    text = " ".join(compiled[toolchain].raw_text.split())
    assert "[Press release]" in text
    # the speech: genre, event and place, then the host
    assert (
        "[Speech transcript, as delivered]. Ministerial Meeting on Baltic Water Security, "
        "Tallinn, Estonia. Baltic Council for Water Security." in text.replace("- ", "")
    )
    assert "(Baltic Council for Water Security [BCWS], 2024a)" in text
    assert "5% cut & $10m gap leave fund #2 (_draft_) in doubt" in text.replace("- ", "")
    assert "Итоги совещания министров" in text
    assert "关于跨界河流数据共享的声明" in text.replace(" ", "")
    assert "Müller, J., Østergaard, Å., & Ćosić, Ž. (2024, March 15)" in text


def test_bibtex_initials_survive(compiled: dict[str, texcheck.CheckResult]) -> None:
    texcheck.require("natbib-apalike")
    text = " ".join(compiled["natbib-apalike"].raw_text.split())
    assert "Müller, J., Østergaard, Å., and Ćosić, Ž. (2024)" in text
    assert "Орлова, М. В. (2024)" in text  # noqa: RUF001 - Cyrillic initials, on purpose


def test_a_broken_export_is_caught(tmp_path: Path) -> None:
    """The checker is strict: an unescaped & in a title fails the run."""
    texcheck.require("apa-pdflatex")
    bib = tmp_path / "broken.bib"
    bib.write_text("@online{x, author = {A, B}, title = {Cut & run}, date = {2024}}\n")
    result = texcheck.compile_bib(bib, "apa-pdflatex", tmp_path / "work", ["x"])
    assert result.problems


# Organisations and places holding "and", "&" and commas, in every list field the profiles
# write (publisher, institution, location/address): biber and some .bst files split list
# fields at "and" ("Ministry of Energy; Climate of Ostland") unless the item is braced.
ORGS = [
    pc.Source(
        "rep",
        "report",
        "Water and energy outlook 2024",
        authors=[pc.Name(literal="Ministry of Energy and Climate of Ostland")],
        publisher="Ministry of Energy and Climate of Ostland",
        publisher_place="Port of Spain, Trinidad and Tobago",
        issued=pc.PartialDate(2024),
    ),
    pc.Source(
        "rep2",
        "report",
        "Harbour dues",
        authors=[pc.Name(family="Kask", given="Jaan")],
        publisher="Research & Analysis Unit and Partners",
        publisher_place="Bosnia and Herzegovina",
        issued=pc.PartialDate(2023),
    ),
    pc.Source(
        "doc",
        "document",
        "Fisheries plan",
        authors=[pc.Name(family="Lee", given="Sujin")],
        publisher="Department of Agriculture and Fisheries",
        container_title="Council of Rivers and Lakes",
        issued=pc.PartialDate(2022),
    ),
]

# toolchain -> what its PDF must show, each name whole
ORG_TEXT = {
    "apa-pdflatex": ["Harbour dues. Research & Analysis Unit and Partners."],
    "apa-xelatex": ["Harbour dues. Research & Analysis Unit and Partners."],
    "authoryear-pdflatex": [
        "Bosnia and Herzegovina: Research & Analysis Unit and Partners.",
        "Port of Spain, Trinidad and Tobago: Ministry of Energy and Climate of Ostland.",
    ],
    "natbib-apalike": [
        "Technical report, Research & Analysis Unit and Partners, Bosnia and Herzegovina.",
        "Technical report, Ministry of Energy and Climate of Ostland, Port of Spain, "
        "Trinidad and Tobago.",
    ],
    "apacite": [
        "Bosnia and Herzegovina: Research & Analysis Unit and Partners.",
        "Port of Spain, Trinidad and Tobago: Author.",
    ],
}


@pytest.mark.parametrize("toolchain", list(PROFILE_OF))
def test_organisations_with_and_stay_whole(toolchain: str, tmp_path: Path) -> None:
    texcheck.require(toolchain)
    bib = tmp_path / "orgs.bib"
    bib.write_text(bibtex.dumps(ORGS, PROFILE_OF[toolchain]), encoding="utf-8")
    result = texcheck.compile_bib(bib, toolchain, tmp_path / "work", [s.key for s in ORGS])
    assert result.problems == [], "\n".join(result.problems)
    text = " ".join(result.raw_text.split())
    for expected in ORG_TEXT[toolchain]:
        assert expected in text
