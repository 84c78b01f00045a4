"""Write the Word briefs of the check corpus (tests/golden/briefs/briefs/*.docx).

python-docx writes the body but has no API for footnotes, so the notes are written here
as WordprocessingML by hand: a ``word/footnotes.xml`` part (with the two separator notes
Word itself writes), its relationship and content type, and a ``w:footnoteReference``
run (superscript, as Word marks it) where ``[^N]`` stands in the text below. The package
is written by tools/docxpackage.py (shared with the other fixture scripts): compressed,
with fixed dates, so running the script again gives the same bytes.

Run from the repository root: ``python tools/make_corpus_docx.py``. The texts are the
briefs' own; edit them here, run the script and commit the .docx files with it.
"""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

# The shared package writer sits next to this script; tests load the script by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import docxpackage

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "golden" / "briefs" / "briefs"
FIXED = datetime.datetime(2025, 3, 24, 9, 0, 0)
_NOTE = re.compile(r"\[\^(\d+)\]")

#: name -> (blocks, notes). A block is (style, text); ``[^N]`` marks footnote N.
BRIEFS: dict[str, tuple[list[tuple[str, str]], dict[int, str]]] = {
    "06-heat-advisers.docx": (
        [
            ("Title", "Briefing: a heat adviser in every municipality"),
            ("Normal", "Prepared for the Association of Municipal Energy Officers, March 2025."),
            ("Heading 1", "Summary"),
            (
                "Normal",
                "Every municipality will have a heat adviser by the end of the year, paid by "
                "the Ministry of Energy and Climate (Marsh, 2025).[^1] The Institute for "
                "Housing and Energy Policy (2024) had recommended exactly that: \u201cevery "
                "municipality should have an adviser who can help small landlords through the "
                "application\u201d (para. 7).[^2]",
            ),
            (
                "Normal",
                "Officials describe the advisers as a \u201cone-stop shop\u201d for landlords. "
                "Advisers will matter most for small landlords, who own one or two flats "
                "(Institute for Housing and Energy Policy, 2024). The Energy Ombudsman has "
                "asked for yearly figures on take-up by municipality (Okafor, 2025).[^3]",
            ),
            ("Heading 1", "Lessons from Veldoria"),
            (
                "Normal",
                "The Veldorian experience shows that old networks must be renewed before they "
                "can take heat from heat pumps.[^4] As its minister put it, renewing the pipes "
                "\u201cis the condition for everything else.\u201d[^5]",
            ),
            ("Heading 1", "References"),
            (
                "Normal",
                "Institute for Housing and Energy Policy. (2024). Cold homes, warm words: Heat "
                "pump take-up in rented housing (Report No. 7). "
                "https://www.ihep.example/reports/7-cold-homes-warm-words",
            ),
            (
                "Normal",
                "Marsh, H. (2025, February 11). Speech by Minister Helen Marsh at the Northern "
                "Heat Summit [Speech transcript, as prepared for delivery]. Ministry of Energy "
                "and Climate. "
                "https://www.energy-climate.gov.example/en/speeches/2025/marsh-northern-heat-summit",
            ),
            (
                "Normal",
                "Okafor, A. (2025, March 6). Speech by Energy Ombudsman Adaeze Okafor at the "
                "Tenants\u00e2\u20ac\u2122 Energy Conference [Speech transcript, as prepared for "
                "delivery]. Office of the Energy Ombudsman. "
                "https://www.energyombudsman.example/speeches/2025-03-06-tenants-conference",
            ),
            (
                "Normal",
                "S\u00f8rby, L., & Adler, P. (2025, February 6). Harbour heat pump to warm "
                "40,000 Aarhus homes. Kattegat Courier. "
                "https://kattegatcourier.example/news/2025/02/06/harbour-heat-pump-aarhus",
            ),
            (
                "Normal",
                "Valk, I. (2023, September 20). Speech by Minister Irena Valk at the Regional "
                "Forum on District Heating [Speech transcript, as prepared for delivery]. "
                "Ministry of Infrastructure of Veldoria. "
                "https://www.infrastructure.veldoria.example/en/speeches/"
                "2023-09-20-district-heating-forum",
            ),
        ],
        {
            1: "The minister linked the advisers to her view that \u201cthe answer to cold "
            "homes must be local too\u201d (Marsh, 2025, para. 2).",
            2: "The Institute also found that \u201ctwo thirds of the landlords said they had "
            "considered a heat pump; fewer than one in five had installed one\u201d (Institute "
            "for Housing and Energy Policy, 2024, para. 2).",
            3: "Okafor argued that \u201ca grant helps only if landlords use it\u201d (Okafor, "
            "2025, para. 3).",
            4: "Irena Valk, \u201cSpeech by Minister Irena Valk at the Regional Forum on "
            "District Heating\u201d (speech, Ministry of Infrastructure of Veldoria, September "
            "20, 2023), para. 4.",
            5: "Valk, \u201cRegional Forum on District Heating,\u201d para. 5.",
        },
    ),
    "07-rent-freeze.docx": (
        [
            ("Title", "The rent freeze attached to the heat pump grant"),
            ("Normal", "Note for the Tenants\u2019 Advice Network, 14 March 2025"),
            ("Heading 1", "The condition"),
            (
                "Normal",
                "From April, landlords who take the larger heat pump grant must keep the rent "
                "unchanged for three years (Ministry of Energy and Climate, 2025). The ministry "
                "sets the condition out in its release (Ministry of Energy and Climate, 2025):",
            ),
            (
                "Quote",
                "A home qualifies when the heat pump is installed by a certified installer and "
                "the landlord agrees not to raise the rent because of the installation for "
                "three years. (para. 4)",
            ),
            (
                "Normal",
                "The Northern Ledger reported the minister\u2019s words: \u201cNo tenant should "
                "be left in the cold while the landlord waits for a better offer\u201d (Brekke, "
                "2025, para. 2). The landlords\u2019 association called the condition "
                "\u201cunworkable for small owners\u201d (Brekke, 2025, para. 3).",
            ),
            ("Heading 1", "Can tenants rely on it?"),
            (
                "Normal",
                "Tenants\u2019 advocates call the freeze a \u201cpaper promise\u201d. The "
                "ombudsman warned that \u201ca promise that a tenant cannot enforce is not a "
                "protection\u201d (Okafor, 2025).[^1]",
            ),
            (
                "Normal",
                "Tenants pay the bill, but they do not choose the boiler, and when the landlord "
                "has no reason to replace it, the tenant pays for the landlord\u2019s delay "
                "(Okafor, 2025).",
            ),
            ("Heading 1", "References"),
            (
                "Normal",
                "Brekke, J. (2025, February 12). Marsh doubles heat pump grant for rented "
                "homes. The Northern Ledger. "
                "https://www.northernledger.example/politics/2025/02/12/marsh-heat-pump-grant",
            ),
            (
                "Normal",
                "Ministry of Energy and Climate. (2025, February 11). Heat pump grant doubled "
                "for rented homes [Press release]. "
                "https://www.energy-climate.gov.example/en/press/2025/heat-pump-grant-rented-homes",
            ),
            (
                "Normal",
                "Okafor, A. (2025, March 6). Speech by Energy Ombudsman Adaeze Okafor at the "
                "Tenants\u2019 Energy Conference [Speech transcript, as prepared for delivery]. "
                "Office of the Energy Ombudsman. "
                "https://www.energyombudsman.example/speeches/2025-03-06-tenants-conference",
            ),
        ],
        {
            1: "The ombudsman added that tenants \u201cshould be able to take a landlord to "
            "court over the freeze\u201d (Okafor, 2025, para. 5).",
        },
    ),
    "08-district-networks.docx": (
        [
            ("Title", "District heating networks: renew the pipes first"),
            ("Normal", "Infrastructure Policy Unit, 20 March 2025"),
            (
                "Normal",
                "Veldoria will renew 300 kilometres of district heating pipes by 2030, "
                "starting with the oldest districts.[^1] Its minister warned that \u201ca fifth "
                "of the heat that leaves the plant never reaches a radiator.\u201d[^2] She said "
                "that a renewed network \u201ccan take heat from heat pumps, from industry and "
                "from the rivers.\u201d[^3]",
            ),
            (
                "Normal",
                "In Aarhus, a 60-megawatt seawater heat pump will replace the last coal-fired "
                "boiler in the city\u2019s network from 2027.[^4] The utility says the bay "
                "\u201cstays above four degrees even in the coldest months.\u201d[^5]",
            ),
            (
                "Normal",
                "Cross-border reserves add a second safety net for cold spells (Nordic Grid "
                "Council, 2025). Heat storage in disused mines is being tested in the north "
                "(Northern Heat Council, 2024).",
            ),
            ("Heading 1", "References"),
            (
                "Normal",
                "Kattegat Heat Utility. (2025, February 5). Seawater heat pump to supply "
                "40,000 homes in Aarhus from 2027 [Press release]. "
                "https://www.kattegatheat.example/en/news/2025/02/05/seawater-heat-pump",
            ),
            (
                "Normal",
                "Valk, I. (2023, September 21). Speech by Minister Irena Valk at the Regional "
                "Forum on District Heating [Speech transcript, as prepared for delivery]. "
                "Ministry of Infrastructure of Veldoria. Regional Forum on District Heating. "
                "https://www.infrastructure.veldoria.example/en/speeches/"
                "2023-09-20-district-heating-forum",
            ),
            (
                "Normal",
                "Nordic Grid Council. (2025, January 28). Joint statement on cross-border heat "
                "and power reserves [Statement]. "
                "https://www.nordicgrid.example/statements/2025-01-28-reserves",
            ),
        ],
        {
            1: "Irena Valk, \u201cSpeech by Minister Irena Valk at the Regional Forum on "
            "District Heating\u201d (speech, Ministry of Infrastructure of Veldoria, September "
            "20, 2023), para. 4.",
            2: "Valk, \u201cRegional Forum on District Heating,\u201d para. 3.",
            3: "Valk, \u201cRegional Forum on District Heating,\u201d para. 5.",
            4: "Kattegat Heat Utility, \u201cSeawater heat pump to supply 40,000 homes in "
            "Aarhus from 2027,\u201d press release, February 5, 2025.",
            5: "Kattegat Heat Utility, \u201cSeawater heat pump,\u201d para. 3.",
        },
    ),
}


def _reference_run(number: int) -> object:
    return parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteReference w:id="{number}"/></w:r>'
    )


def build(blocks: list[tuple[str, str]], notes: dict[int, str]) -> bytes:
    """The .docx bytes of one brief."""
    document = docxpackage.document("policycite corpus", FIXED)
    for style, text in blocks:
        paragraph = document.add_paragraph(style=style)
        pieces = _NOTE.split(text)
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                if piece:
                    paragraph.add_run(piece)
            else:
                paragraph._p.append(_reference_run(int(piece)))
    runs = {number: docxpackage.text_note(text) for number, text in notes.items()}
    return docxpackage.package(document, FIXED, [docxpackage.footnotes(runs)] if notes else [])


def main() -> None:
    for name, (blocks, notes) in BRIEFS.items():
        (OUT / name).write_bytes(build(blocks, notes))
        print(f"wrote {(OUT / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
