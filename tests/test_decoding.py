"""Page decoding: BOM, declared charsets, UTF-8, detection, lying declarations, binary input."""

# ruff: noqa: RUF001 - Cyrillic and Japanese test texts, on purpose

from __future__ import annotations

import codecs

import pytest

from policycite.capture.decoding import Decoded, decode_page
from policycite.errors import InputError

RU_TEXT = (
    "Совет речных государств собрался в Ташкенте четвёртого июня, чтобы обсудить "
    "распределение воды между странами бассейна, и принял совместное заявление о "
    "содержании каналов и плотин. "
) * 4
JA_TEXT = (
    "河川協力評議会は六月四日に東京で会合を開き、流域の国々の間での水資源の共有について"
    "議論し、運河とダムの維持に関する共同声明を採択しました。"
) * 4


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Совет</title></head><body><p>{body}</p></body></html>"


def test_utf8_bom() -> None:
    result = decode_page(codecs.BOM_UTF8 + "Заявление\r\nСовета".encode(), source="a.txt")
    assert result == Decoded("Заявление\nСовета", "utf-8", "BOM")


@pytest.mark.parametrize("charset", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_boms(charset: str) -> None:
    data = "\ufeffСовет речных государств\r\n".encode(charset)
    result = decode_page(data, source="a.txt", http_charset="windows-1251")
    assert result.text == "Совет речных государств\n"
    assert result.how == "BOM"
    assert result.encoding == charset[:6]
    assert result.findings == ()


def test_bom_beats_meta_charset() -> None:
    data = codecs.BOM_UTF8 + page("Совет", '<meta charset="windows-1251">').encode()
    result = decode_page(data, source="a.html", html=True)
    assert (result.encoding, result.how) == ("utf-8", "BOM")


def test_http_charset() -> None:
    result = decode_page(RU_TEXT.encode("cp1251"), source="u", http_charset="windows-1251")
    assert result == Decoded(RU_TEXT, "cp1251", "HTTP charset")


def test_http_charset_beats_meta() -> None:
    data = page(RU_TEXT, '<meta charset="utf-8">').encode("koi8_r")
    result = decode_page(data, source="u", http_charset="KOI8-R", html=True)
    assert (result.encoding, result.how) == ("koi8-r", "HTTP charset")
    assert RU_TEXT in result.text


def test_meta_charset_cp1251_page() -> None:
    data = page(RU_TEXT, '<meta charset="windows-1251">').encode("cp1251")
    result = decode_page(data, source="ru.html", html=True)
    assert (result.encoding, result.how, result.findings) == ("cp1251", "<meta charset>", ())
    assert RU_TEXT in result.text


def test_meta_http_equiv() -> None:
    head = '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1251">'
    result = decode_page(page(RU_TEXT, head).encode("cp1251"), source="ru.html", html=True)
    assert (result.encoding, result.how) == ("cp1251", "<meta http-equiv>")


def test_meta_is_ignored_for_plain_text() -> None:
    data = ('<meta charset="windows-1251"> ' + RU_TEXT).encode()
    result = decode_page(data, source="a.txt")
    assert (result.encoding, result.how, result.findings) == ("utf-8", "valid UTF-8", ())


def test_no_charset_valid_utf8_gives_no_finding() -> None:
    result = decode_page(page(RU_TEXT).encode(), source="a.html", html=True)
    assert (result.encoding, result.how, result.findings) == ("utf-8", "valid UTF-8", ())


def test_no_charset_cp1251_is_detected() -> None:
    result = decode_page(page(RU_TEXT).encode("cp1251"), source="ru.html", html=True)
    assert result.encoding == "cp1251"
    assert result.how == "detected by charset-normalizer"
    assert RU_TEXT in result.text
    (finding,) = result.findings
    assert finding.code == "PC303"
    assert finding.message == "declared no charset; decoded as cp1251 (detected)"
    assert finding.location.path == "ru.html"


def test_no_charset_shift_jis_is_detected() -> None:
    result = decode_page(JA_TEXT.encode("shift_jis"), source="ja.txt")
    assert result.text == JA_TEXT
    assert result.encoding in ("shift_jis", "cp932")
    assert [f.code for f in result.findings] == ["PC303"]


def test_declared_single_byte_over_utf8_prefers_utf8() -> None:
    data = page(RU_TEXT, '<meta charset="iso-8859-1">').encode()
    result = decode_page(data, source="lie.html", html=True)
    assert result.encoding == "utf-8"
    assert RU_TEXT in result.text
    (finding,) = result.findings
    assert finding.code == "PC303"
    assert "declared iso-8859-1 (<meta charset>) but the bytes are valid UTF-8" in finding.message


def test_declared_utf8_over_cp1251_is_detected() -> None:
    result = decode_page(RU_TEXT.encode("cp1251"), source="u", http_charset="utf-8")
    assert result.encoding == "cp1251"
    (finding,) = result.findings
    assert finding.code == "PC303"
    assert finding.message.startswith("declared utf-8 (HTTP charset) but byte 0 is not utf-8")


def test_unknown_declared_charset() -> None:
    result = decode_page(RU_TEXT.encode(), source="u", http_charset="x-no-such")
    assert result.encoding == "utf-8"
    assert "'x-no-such'" in result.findings[0].message


def test_iso_8859_1_means_cp1252() -> None:
    data = "The Council\u2019s view \u2013 in full".encode("cp1252")
    result = decode_page(data, source="u", http_charset="ISO-8859-1")
    assert result.text == "The Council\u2019s view \u2013 in full"
    assert result.encoding == "cp1252"


def test_crlf_and_cr_become_lf() -> None:
    assert decode_page(b"a\r\nb\rc\n", source="a.txt").text == "a\nb\nc\n"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file, not a web page or text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"GIF89a\x01\x00", "a GIF image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
        (b"\x1f\x8b\x08\x00", "a gzip-compressed file"),
        (b"\x7fELF\x02\x01\x01", "an ELF program"),
        (b"<html>\x00\x00\x00</html>", "NUL byte at offset 6"),
        (bytes(range(1, 32)) * 20, "control bytes"),
    ],
)
def test_binary_input_is_refused(data: bytes, what: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_page(data, source="saved/page.html", html=True)
    message = str(caught.value)
    assert message.startswith("saved/page.html")
    assert what in message
    assert "\n" not in message


def test_undecodable_bom_text_names_the_byte() -> None:
    data = codecs.BOM_UTF8 + b"line one\nline \xff two"
    with pytest.raises(InputError) as caught:
        decode_page(data, source="a.txt")
    err = caught.value
    assert (err.source, err.line, err.column) == ("a.txt", 2, 6)
    assert "byte 0xff at offset 17" in str(err)
