"""policycite's own APA style (styles/apa.csl) and what it corrects in the upstream apa.csl.

``--style apa`` resolves to ``styles/apa.csl``; the catalogue's apa.csl stays reachable as
``apa-upstream`` (the citeproc-js fidelity tests run on it). Every part of ours that differs
from upstream must be listed in styles/README.md, checked through tools/apa_style_diff.py.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml

import policycite as pc
from policycite.formats.cslyaml import loads
from policycite.formats.record import source_from_dict, source_to_csl
from policycite.kinds import KINDS
from policycite.render.styles import catalogue_folder, list_styles, resolve

ROOT = Path(__file__).resolve().parents[1]


def _tool() -> ModuleType:
    script = ROOT / "tools" / "apa_style_diff.py"
    spec = importlib.util.spec_from_file_location("apa_style_diff", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _library(records: list[dict[str, object]]) -> pc.Library:
    result = loads(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), "test")
    assert not result.findings, result.findings
    return result.library


def _apa(records: list[dict[str, object]], output: str = "text") -> list[str]:
    result = pc.render_bibliography(_library(records), "apa", output=output)
    assert not result.findings, result.findings
    return list(result.entries)


# --- which file "apa" is ------------------------------------------------------------------


def test_apa_is_policycites_own_style_and_upstream_stays_reachable() -> None:
    ours, name = resolve("apa")
    assert name == "apa"
    assert b"<id>https://policycite.example/styles/apa</id>" in ours
    folder = catalogue_folder()
    assert folder is not None
    upstream, name = resolve("apa-upstream")
    assert (upstream, name) == ((folder / "apa.csl").read_bytes(), "apa-upstream")
    listed = {s.name: s.path for s in list_styles()}
    assert listed["apa"] == ROOT / "styles" / "apa.csl" or listed["apa"].parent.name == "styles"
    assert listed["apa-upstream"] == folder / "apa.csl"


def test_our_apa_keeps_the_licence_and_credits_upstream() -> None:
    text = (ROOT / "styles" / "apa.csl").read_text(encoding="utf-8")
    assert "creativecommons.org/licenses/by-sa/3.0/" in text  # share-alike: same licence
    assert "Brenton M. Wiernik" in text and "Andrew Dunning" in text
    assert '<link href="http://www.zotero.org/styles/apa" rel="template"/>' in text


def _documented() -> set[str]:
    """The parts styles/README.md lists under its apa.csl section: "- `macro NAME`: …"."""
    text = (ROOT / "styles" / "README.md").read_text(encoding="utf-8")
    section = text.split("## apa.csl", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^- `([^`]+)`", section, flags=re.MULTILINE))


def test_every_change_from_upstream_apa_is_documented() -> None:
    changed = _tool().changed()
    assert set(changed) == _documented(), "\n\n".join(changed.values())


def test_the_diff_tool_sees_a_changed_macro(tmp_path: Path) -> None:
    tool = _tool()
    edited = tmp_path / "apa.csl"
    text = (ROOT / "styles" / "apa.csl").read_text(encoding="utf-8")
    edited.write_text(text.replace('term="original-work-published"', 'term="reprinted"', 1))
    assert set(tool.changed(edited)) - set(tool.changed()) == {"macro publication-history"}


# --- item 1: no "Retrieved" without a retrieval date --------------------------------------


def _minimal(kind: str) -> dict[str, object]:
    """An undated record of the kind with what the kind requires, and a URL."""
    record: dict[str, object] = {
        "id": f"x-{kind}",
        "kind": kind,
        "title": "Dune restoration on the northern coast",
        "author": [{"literal": "Coastal Trust of Nordland"}],
        "URL": f"https://coast.example/{kind}",
    }
    if kind in ("news-article", "journal-article", "chapter", "post"):
        record["container-title"] = "Nordland Coastal Review"
    return record


@pytest.mark.parametrize("kind", list(KINDS))
def test_undated_item_with_url_and_no_retrieval_date_has_no_retrieved(kind: str) -> None:
    (entry,) = _apa([_minimal(kind)])
    if kind != "legislation":  # a legal reference has its own order (APA 11.1)
        assert entry.startswith("Coastal Trust of Nordland. (n.d.). ")
    assert "Retrieved" not in entry
    assert entry.endswith(f". https://coast.example/{kind}")


def test_undated_pages_in_apa_form() -> None:
    records = [
        {**_minimal("press-release"), "publisher": "Government of Nordland"},
        {**_minimal("webpage"), "id": "web", "container-title": "Nordland Coast Portal"},
        {
            "id": "talk",
            "kind": "speech",
            "author": [{"family": "Solberg", "given": "Ines"}],
            "title": "Why dunes matter",
            "publisher": "Nordland Ministry of the Coast",
            "URL": "https://coast.example/talk",
        },
    ]
    assert _apa(records) == [
        "Coastal Trust of Nordland. (n.d.-a). Dune restoration on the northern coast "
        "[Press release]. Government of Nordland. https://coast.example/press-release",
        "Coastal Trust of Nordland. (n.d.-b). Dune restoration on the northern coast. "
        "Nordland Coast Portal. https://coast.example/webpage",
        "Solberg, I. (n.d.). Why dunes matter [Speech transcript]. "
        "Nordland Ministry of the Coast. https://coast.example/talk",
    ]


def test_a_retrieval_date_still_gives_retrieved_from() -> None:
    # A page designed to change (APA 9.16): the only kind of page that keeps its date.
    record = {**_minimal("webpage"), "accessed": "2024-04-02", "custom": {"changes": True}}
    assert _apa([record]) == [
        "Coastal Trust of Nordland. (n.d.). Dune restoration on the northern coast. "
        "Retrieved April 2, 2024, from https://coast.example/webpage"
    ]


# --- item 6: the host site of a press release or statement is its source ------------------


@pytest.mark.parametrize(
    ("kind", "genre"), [("press-release", "Press release"), ("statement", "Statement")]
)
def test_host_site_of_a_release_is_the_source_not_a_container(kind: str, genre: str) -> None:
    record = {
        "id": "r",
        "kind": kind,
        "author": [{"literal": "Nordland Fisheries Board"}],
        "title": "Quotas for the spring season",
        "issued": "2024-03-05",
        "container-title": "Government of Nordland",
        "URL": "https://gov.nordland.example/r",
    }
    assert _apa([record]) == [
        f"Nordland Fisheries Board. (2024, March 5). Quotas for the spring season [{genre}]. "
        "Government of Nordland. https://gov.nordland.example/r"
    ]
    assert _apa([record], "html") == [
        f"Nordland Fisheries Board. (2024, March 5). <i>Quotas for the spring season</i> "
        f'[{genre}]. Government of Nordland. <a href="https://gov.nordland.example/r">'
        "https://gov.nordland.example/r</a>"
    ]
    same = {**record, "container-title": "Nordland Fisheries Board"}  # omitted: same as author
    assert _apa([same]) == [
        f"Nordland Fisheries Board. (2024, March 5). Quotas for the spring season [{genre}]. "
        "https://gov.nordland.example/r"
    ]


# --- item 7: a speech transcript: APA's transcript form, dated by the transcript ----------

_SPEECH = {
    "id": "solberg2025",
    "kind": "speech",
    "author": [{"family": "Solberg", "given": "Ines"}],
    "title": "Remarks at the Coastal Resilience Summit",
    "issued": "2025-05-18",  # the page of the transcript
    "publisher": "Nordland Ministry of the Coast",
    "event-title": "Coastal Resilience Summit",
    "event-place": "Havnby",
    "event-date": "2025-05-13",  # the speech
    "URL": "https://coast.example/speeches/solberg",
}


def test_speech_transcript_has_no_event_segment_and_the_transcripts_date() -> None:
    assert _apa([_SPEECH]) == [
        "Solberg, I. (2025, May 18). Remarks at the Coastal Resilience Summit "
        "[Speech transcript]. Nordland Ministry of the Coast. "
        "https://coast.example/speeches/solberg"
    ]
    citation = pc.render_citations(_library([_SPEECH]), pc.parse_citations("[@solberg2025]"), "apa")
    assert citation.entries == ("(Solberg, 2025)",)


def test_transcript_published_in_a_later_year_gives_the_original_year() -> None:
    record = {**_SPEECH, "issued": "2019", "event-date": "1998-10-02"}
    library = _library([record])
    assert _apa([record]) == [
        "Solberg, I. (2019). Remarks at the Coastal Resilience Summit [Speech transcript]. "
        "Nordland Ministry of the Coast. https://coast.example/speeches/solberg "
        "(Original work published 1998)"
    ]
    citation = pc.render_citations(library, pc.parse_citations("[@solberg2025]"), "apa")
    assert citation.entries == ("(Solberg, 1998/2019)",)


def test_a_record_with_its_own_original_date_keeps_it() -> None:
    record = {**_SPEECH, "issued": "2019-05-18", "original-date": {"date-parts": [[1997]]}}
    assert _apa([record]) == [
        "Solberg, I. (2019, May 18). Remarks at the Coastal Resilience Summit "
        "[Speech transcript]. Nordland Ministry of the Coast. "
        "https://coast.example/speeches/solberg (Original work published 1997)"
    ]


def test_speech_without_a_site_or_url_keeps_its_event() -> None:
    record = {k: v for k, v in _SPEECH.items() if k not in ("publisher", "URL")}
    assert _apa([record]) == [
        "Solberg, I. (2025, May 18). Remarks at the Coastal Resilience Summit "
        "[Speech transcript]. Coastal Resilience Summit, Havnby, May 13, 2025."
    ]


def test_speech_date_rules_survive_a_round_trip() -> None:
    later = {**_SPEECH, "issued": "2019", "event-date": "1998-10-02"}
    undated = {k: v for k, v in _SPEECH.items() if k != "issued"}
    for record in (_SPEECH, later, undated):
        source = _library([record]).sources[0]
        csl = source_to_csl(source)
        assert source_from_dict(csl)[0] == source
    assert source_to_csl(_library([later]).sources[0])["original-date"] == {
        "date-parts": [[1998, 10, 2]]
    }
    assert source_to_csl(_library([undated]).sources[0])["issued"] == {
        "date-parts": [[2025, 5, 13]]
    }


def test_undated_transcript_of_a_dated_speech() -> None:
    record = {k: v for k, v in _SPEECH.items() if k != "issued"}
    assert _apa([record]) == [
        "Solberg, I. (2025, May 13). Remarks at the Coastal Resilience Summit "
        "[Speech transcript]. Nordland Ministry of the Coast. "
        "https://coast.example/speeches/solberg"
    ]
