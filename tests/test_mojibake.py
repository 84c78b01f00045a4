"""Mojibake detection and repair: every broken case of the notes' table, no clean one."""

# ruff: noqa: RUF001, RUF003 - mojibake, Cyrillic and CJK test texts, on purpose

from __future__ import annotations

import random
import re
import timeit

import ftfy.badness
import pytest

from policycite.capture import mojibake
from policycite.capture.mojibake import Damage, check_text, diagnose, mixed_script_tokens
from policycite.findings import Location

# A fictional body, the Council of River States, in several languages.
RU = "Совет речных государств"
ZH = "上海合作组织"


def misread(text: str, written: str, read: str) -> str:
    return text.encode(written).decode(read)


# (name, broken text, repaired text)
REPAIRABLE = [
    ("utf-8 cyrillic read as latin-1", misread("Шанхайская", "utf-8", "latin-1"), "Шанхайская"),
    (
        "utf-8 curly quote read as cp1252",
        misread("Council’s view", "utf-8", "cp1252"),
        "Council’s view",
    ),
    (
        "double-encoded curly quote",
        misread(misread("Council’s view", "utf-8", "cp1252"), "utf-8", "cp1252"),
        "Council’s view",
    ),
    ("cp1251 read as cp1252", misread("Шанхайская", "cp1251", "cp1252"), "Шанхайская"),
    ("cp1251 phrase read as cp1252", misread(RU, "cp1251", "cp1252"), RU),
    ("koi8-r read as latin-1", misread("Шанхайская", "koi8_r", "latin-1"), "Шанхайская"),
    ("gbk read as cp1252", misread(ZH, "gbk", "cp1252"), ZH),
    ("big5 read as latin-1", misread("河川合作委員會", "big5", "latin-1"), "河川合作委員會"),
    (
        "shift_jis read as latin-1",
        misread("河川協力評議会", "shift_jis", "latin-1"),
        "河川協力評議会",
    ),
    ("cp1256 read as cp1252", misread("مجلس التعاون", "cp1256", "cp1252"), "مجلس التعاون"),
    (
        "iso8859-7 read as latin-1",
        misread("Συμβούλιο ποταμών", "iso8859_7", "latin-1"),
        "Συμβούλιο ποταμών",
    ),
    ("C1 control", "Council\x92s view", "Council’s view"),
]

# (name, broken text, expected words in a reason)
LOST = [
    ("U+FFFD in English", "Council\ufffds view", "U+FFFD"),
    ("U+FFFD after Chinese", "上海合作\ufffd\ufffd", "U+FFFD"),
    ("? inside a word", "Organisation?s view", "inside a word"),
    ("a phrase sent through ASCII", "?????????? ???????????", "word of '?'"),
    ("?? between scripts (banner)", "上海合作??Шанхайская организация", "inside a word"),
    ("?? after Chinese", "上海合作?? 组织", "'??'"),
    ("private use", "Council\ue000 view", "private-use character U+E000"),
]

CLEAN = [
    "Совет речных государств обсудил водные ресурсы",  # Russian
    "河流国家理事会发表联合声明",  # Chinese
    "Өзен мемлекеттері кеңесінің мәлімдемесі",  # Kazakh
    "Oʻzbekiston daryolar kengashi bayonoti",  # Uzbek
    "河川協力評議会の共同声明について",  # Japanese
    "नदी राज्यों की परिषद का संयुक्त बयान",  # Hindi
    "البيان المشترك لمجلس دول الأنهار",  # Arabic
    "Tuyên bố chung của Hội đồng các quốc gia sông",  # Vietnamese
    "Nehir Devletleri Konseyi’nin ortak açıklaması",  # Turkish
    "Die Straße der Flüsse: Erklärung des Rates",  # German ß
    "Œuvre commune du Conseil des États riverains",  # French Œ
    "Año de la Niñez en el Consejo",  # Spanish Ñ
    "Declaração conjunta das nações ribeirinhas",  # Portuguese ã
    "The Council’s joint statement",  # curly ’
    "«Совет речных государств» и «ШОС/SCO»",  # guillemets, slash
    "Rivers — the Council’s view",  # em dash
    "What next for the SCO??",
    "Water at £5 per tonne and 30°C",  # £ and °
    "¿Qué pasa con el Consejo? ¡Nada!",
    "Þjóðskrá Íslands og ráðuneytið",
    "Zażółć gęślą jaźń",
    "ÉTAT DES LIEUX À L’ÉTÉ",
    "A°B²C³ µm ±1",
    "ÅÄÖ åäö",
    "See https://example.org/index.php?id=3&lang=en for details",
    "使用GDP增长数据",
    "",
    "plain ASCII paragraph with no question",
]


@pytest.mark.parametrize(("name", "broken", "fixed"), REPAIRABLE, ids=[c[0] for c in REPAIRABLE])
def test_repairable_cases_are_repaired(name: str, broken: str, fixed: str) -> None:
    damage = diagnose(broken)
    assert damage is not None
    assert damage.repaired == fixed
    assert damage.recoverable
    assert damage.reasons
    text, findings = check_text(broken, location=Location("page.html"), what="title")
    assert text == fixed
    assert [f.code for f in findings] == ["PC301"]
    assert "→" in findings[0].message
    assert "\n" not in findings[0].message


def test_reasons_name_the_misreading() -> None:
    cases = {code: diagnose(broken) for code, broken, _ in REPAIRABLE}
    assert cases["utf-8 curly quote read as cp1252"] == Damage(
        misread("Council’s view", "utf-8", "cp1252"), "Council’s view", ("UTF-8 read as cp1252",)
    )
    double = cases["double-encoded curly quote"]
    assert double is not None
    assert double.reasons == ("UTF-8 read as cp1252 twice",)
    for name, reason in [
        ("cp1251 read as cp1252", "cp1251 read as cp1252"),
        ("koi8-r read as latin-1", "KOI8-R read as"),
        ("gbk read as cp1252", "GBK read as cp1252"),
        ("C1 control", "C1 control character U+0092"),
    ]:
        damage = cases[name]
        assert damage is not None
        assert any(reason in r for r in damage.reasons), (name, damage.reasons)


@pytest.mark.parametrize(("name", "broken", "reason"), LOST, ids=[c[0] for c in LOST])
def test_lost_characters_are_reported(name: str, broken: str, reason: str) -> None:
    damage = diagnose(broken)
    assert damage is not None
    assert not damage.recoverable
    assert any(reason in r for r in damage.reasons), damage.reasons
    text, findings = check_text(broken, location=Location("page.html"), what="paragraph 4")
    assert text == broken
    assert [f.code for f in findings] == ["PC302"]
    assert findings[0].message.startswith("paragraph 4 ")
    assert reason in findings[0].message


def test_partly_lossy_repair_gives_both_findings() -> None:
    broken = RU.encode().decode("cp1252", errors="replace")  # 0x81 and 0x8d are lost
    text, findings = check_text(broken, location=Location("p.html"), what="title")
    assert text.startswith("Совет речных го")
    assert "\ufffd" in text
    assert [f.code for f in findings] == ["PC301", "PC302"]
    damage = diagnose(broken)
    assert damage is not None
    assert damage.repaired == text
    assert not damage.recoverable


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_is_left_alone(text: str) -> None:
    assert diagnose(text) is None
    assert check_text(text, location=Location(), what="title") == (text, [])


def test_long_repair_message_is_shortened_around_the_change() -> None:
    prefix = "The Council of River States met in Tashkent and agreed that " * 3
    broken = prefix + misread("the Council’s view", "utf-8", "cp1252") + " holds." + " More." * 30
    text, findings = check_text(broken, location=Location("p.html", 3), what="paragraph 2")
    assert "Council’s view" in text
    (finding,) = findings
    assert "…'" in finding.message
    assert "Councilâ€™s" in finding.message
    assert "Council’s view" in finding.message
    assert len(finding.message) < 260
    assert str(finding).startswith("p.html:3: PC301 encoding-repaired")


def test_c1_controls_are_shown_escaped() -> None:
    _, findings = check_text("Council\x92s view", location=Location(), what="title")
    assert "\\x92" in findings[0].message


def test_mixed_script_tokens() -> None:
    text = (
        "上海合作??Шанхайская организация сотрудничестваThe Council "
        "ШОС/SCO COVID-тест Twitter’е GDP增长"
    )
    assert mixed_script_tokens(text) == ["上海合作??Шанхайская", "сотрудничестваThe"]
    assert mixed_script_tokens("Mоscow") == ["Mоscow"]  # Cyrillic о inside a Latin word
    for text in CLEAN:
        assert mixed_script_tokens(text) == [], text


def test_fast_path_for_ascii() -> None:
    assert diagnose("What next? Nothing.") is None
    assert diagnose("Organisation?s") is not None


def test_ftfy_gate_covers_every_character_ftfy_looks_at() -> None:
    # mojibake._MAYBE_BAD lets a paragraph skip ftfy's badness test: it must match every
    # non-ASCII character that ftfy's categories and patterns use.
    chars = "".join(ftfy.badness.MOJIBAKE_CATEGORIES.values())
    members = re.compile(f"[{chars}]")
    in_categories = [chr(c) for c in range(0x80, 0x30000) if members.match(chr(c))]
    literals = [c for c in ftfy.badness.BADNESS_RE.pattern if not c.isascii()]
    missed = [c for c in in_categories + literals if not mojibake._MAYBE_BAD.match(c)]
    assert missed == []


def test_windowed_badness_agrees_with_ftfy() -> None:
    chars = "".join(ftfy.badness.MOJIBAKE_CATEGORIES.values())
    members = re.compile(f"[{chars}]")
    pool = [chr(c) for c in range(0x80, 0x2600) if members.match(chr(c))]
    pool += list("ÃÂÎÐØÙàŒœ°×²³√≈‚Äβ€āВГРСЎЂ\ufffd\ufb01")
    ascii_chars = list("abcXYZ .,?!\n\t'-1")
    rng = random.Random(7)
    for _ in range(20000):
        density = rng.choice((0.05, 0.2, 0.5))
        size = rng.randint(1, 40)
        text = "".join(
            rng.choice(pool) if rng.random() < density else rng.choice(ascii_chars)
            for _ in range(size)
        )
        assert mojibake._is_bad(text) == ftfy.badness.is_bad(text), repr(text)


def test_works_without_charset_normalizer_mess_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    # The stand-in cannot rank CJK charsets against each other (GBK and Shift JIS both
    # decode the same bytes cleanly), but it still flags them and repairs the rest.
    monkeypatch.setattr(mojibake, "_cn_mess_ratio", None)
    for name, broken, fixed in REPAIRABLE:
        damage = diagnose(broken)
        assert damage is not None, name
        if name not in ("big5 read as latin-1", "shift_jis read as latin-1"):
            assert damage.repaired == fixed, name
    for text in CLEAN:
        assert diagnose(text) is None, text


def test_clean_ascii_is_cheap() -> None:
    paragraph = "The Council of River States met in Tashkent to discuss water sharing. " * 8
    seconds = min(timeit.repeat(lambda: diagnose(paragraph), number=2000, repeat=3)) / 2000
    assert seconds < 20e-6  # measured ~0.1 µs; a generous bound for slow CI machines
