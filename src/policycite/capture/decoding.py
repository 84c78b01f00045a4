"""Turn the bytes of a saved or fetched page into text, saying which encoding was used and why.

The order follows what browsers do (WHATWG "encoding sniffing"), with one exception made
for citations: a byte order mark wins; then the charset the page declares (the HTTP
``Content-Type`` header, then ``<meta charset>`` in the first 4 KB of HTML); with no
declaration, valid UTF-8 is UTF-8 and anything else is detected by charset-normalizer.
Unlike a browser, bytes that are valid multi-byte UTF-8 are read as UTF-8 even when the
page declares another charset: servers and CMS templates often declare windows-1251 or
ISO-8859-1 over UTF-8 content, and obeying them produces the mojibake that
:mod:`policycite.capture.mojibake` has to repair later. Every such choice is a PC303
finding. Binary files (PDF, images, archives) are refused with an InputError naming what
they are. This module works on bytes it is given and does no I/O.
"""

from __future__ import annotations

import codecs
import re

import attrs

from policycite.errors import InputError
from policycite.findings import Finding, Location, finding_tuple


@attrs.frozen
class Decoded:
    """A page's text (newlines normalised to LF) and how its encoding was chosen.

    ``encoding`` is a Python codec name (``utf-8``, ``cp1251``); ``how`` says where it
    came from: ``"BOM"``, ``"HTTP charset"``, ``"<meta charset>"``, ``"valid UTF-8"`` or
    ``"detected by charset-normalizer"``.
    """

    text: str
    encoding: str
    how: str
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)


# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of files people save or download instead of the page itself.
_SIGNATURES = (
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx, .odt or .epub file is one)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc, .xls)"),
    (b"{\\rtf", "an RTF file"),
    (b"\x7fELF", "an ELF program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)

# Bytes other than tab, LF, FF, CR and ESC that text does not contain. ESC is left out:
# ISO-2022 encodings use it.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0c\r\x1b")
_SNIFF = 4096  # how far to look for <meta charset> and binary signs (as browsers do: 1024+)
_MAX_CONTROL_SHARE = 0.05

# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META = re.compile(
    rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.IGNORECASE | re.DOTALL
)

# WHATWG maps these labels to windows-1252: pages that say ISO-8859-1 or ASCII are written
# in cp1252 (curly quotes at 0x91-0x94), and Python's latin-1 would turn those into C1
# controls.
_WHATWG_ALIASES = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}


# Python codecs that turn bytes into text but are no page charset: a page declaring one
# ("charset=punycode") is read as if it declared none.
_NOT_CHARSETS = frozenset(
    {"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs", "oem"}
)


def _codec(label: str) -> str | None:
    """The Python codec for a charset label (``windows-1251`` → ``cp1251``), or None.

    None too for codecs that are not text encodings (``rot13``, ``base64``, ``hex``,
    ``zlib``: bytes to bytes or text to text) and for Python's own (``punycode``).
    """
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except LookupError:
        return None
    # CodecInfo._is_text_encoding is how str.decode itself refuses "rot13" and the like.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return _WHATWG_ALIASES.get(info.name, info.name)


def _where(data: bytes, offset: int) -> tuple[int, int]:
    """Line and (byte) column of ``offset``, both from 1."""
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _undecodable(data: bytes, err: UnicodeDecodeError, charset: str, source: str) -> InputError:
    line, column = _where(data, err.start)
    return InputError(
        f"bytes are not valid {charset} (byte 0x{data[err.start]:02x} at offset {err.start})",
        source=source,
        line=line,
        column=column,
    )


def file_kind(data: bytes) -> str | None:
    """What a known binary file format is ("a PDF file"), from its first bytes; else None."""
    return next((what for magic, what in _SIGNATURES if data.startswith(magic)), None)


def _refuse_binary(data: bytes, source: str) -> None:
    kind = file_kind(data)
    if kind is not None:
        raise InputError(f"{kind}, not a web page or text", source=source)
    head = data[:_SNIFF]
    nul = data.find(b"\x00")
    if nul != -1:
        line, column = _where(data, nul)
        raise InputError(
            f"binary data, not a web page or text (NUL byte at offset {nul})",
            source=source,
            line=line,
            column=column,
        )
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        raise InputError(
            f"binary data, not a web page or text ({controls} control bytes in the first "
            f"{len(head)})",
            source=source,
        )


def _utf8(data: bytes) -> tuple[str | None, UnicodeDecodeError | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        return None, err


def _declared(data: bytes, http_charset: str | None, html: bool) -> tuple[str, str] | None:
    """The declared charset label and where it was declared, or None."""
    if http_charset and http_charset.strip():
        return http_charset.strip(), "HTTP charset"
    if html:
        match = _META.search(data[:_SNIFF])
        if match:
            how = (
                "<meta http-equiv>" if b"http-equiv" in match.group().lower() else "<meta charset>"
            )
            return match.group(1).decode("ascii"), how
    return None


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_page(
    data: bytes, *, source: str, http_charset: str | None = None, html: bool = False
) -> Decoded:
    """Decode a page's bytes: BOM, then declared charset, then UTF-8, then detection.

    ``http_charset`` is the ``charset`` parameter of the HTTP ``Content-Type`` header, if
    the page was fetched; ``html`` makes ``<meta charset>`` count as a declaration.
    Findings (PC303) say when the encoding was guessed or a declaration was overruled.
    Raises :class:`~policycite.errors.InputError` naming ``source`` for binary input and
    for bytes no encoding can read.
    """
    for bom, charset in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(charset)
            except UnicodeDecodeError as err:
                err.start += len(bom)
                raise _undecodable(data, err, charset, source) from None
            return Decoded(_newlines(text), charset.removesuffix("-le").removesuffix("-be"), "BOM")
    _refuse_binary(data, source)  # after the BOMs: UTF-16 and UTF-32 text holds NULs

    where = Location(source)
    as_utf8, utf8_error = _utf8(data)
    declared = _declared(data, http_charset, html)
    if declared is not None:
        label, how = declared
        codec = _codec(label)
        if codec is None:
            note = f"declared charset {label!r} ({how}) is unknown or not a text encoding"
        elif codec == "utf-8" and as_utf8 is not None:
            return Decoded(_newlines(as_utf8), "utf-8", how)
        elif codec.startswith(("utf-16", "utf-32")):
            # Bytes with a NUL were refused above, and UTF-16/32 markup is full of them:
            # the declaration is wrong (decoding by it would read byte pairs as CJK
            # characters, and the page would come out empty). Browsers ignore it too.
            note = f"declared {label} ({how}) but the bytes are not {label} (no NUL bytes)"
        elif as_utf8 is not None and not data.isascii():
            # Valid multi-byte UTF-8 is almost never an accident in a legacy charset.
            note = f"declared {label} ({how}) but the bytes are valid UTF-8"
            return Decoded(
                _newlines(as_utf8),
                "utf-8",
                "valid UTF-8",
                [Finding("PC303", f"{note}; decoded as UTF-8", location=where)],
            )
        else:
            try:
                return Decoded(_newlines(data.decode(codec)), codec, how)
            except UnicodeDecodeError as err:
                note = f"declared {label} ({how}) but byte {err.start} is not {label}"
            except (UnicodeError, ValueError):  # a codec that fails without an offset
                note = f"declared {label} ({how}) but the bytes are not {label}"
    else:
        note = "declared no charset"
        if as_utf8 is not None:
            return Decoded(_newlines(as_utf8), "utf-8", "valid UTF-8")

    if as_utf8 is not None:
        return Decoded(
            _newlines(as_utf8),
            "utf-8",
            "valid UTF-8",
            [Finding("PC303", f"{note}; decoded as UTF-8", location=where)],
        )
    assert utf8_error is not None  # every valid UTF-8 case has returned
    # Imported here: most files are UTF-8, and the detector costs a warm check a tenth of
    # its start-up (issue 17).
    import charset_normalizer

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise _undecodable(data, utf8_error, "UTF-8, and no charset fits", source)
    detected = codecs.lookup(best.encoding).name
    # Undeclared pages are windows-1252 by the web's default (WHATWG): among equally good
    # fits it wins, so that a German or French page is not read as Central European
    # ("à" became "ŕ" in cp1250).
    ties = {
        codecs.lookup(m.encoding).name
        for m in matches
        if m.chaos == best.chaos and m.coherence == best.coherence
    }
    ties |= {codecs.lookup(name).name for name in best.could_be_from_charset}
    if "cp1252" in ties:
        detected = "cp1252"
    try:
        text = data.decode(detected)
    except UnicodeDecodeError as err:  # the detector samples chunks; a byte may still fail
        raise _undecodable(data, err, detected, source) from None
    return Decoded(
        _newlines(text),
        detected,
        "detected by charset-normalizer",
        [Finding("PC303", f"{note}; decoded as {detected} (detected)", location=where)],
    )


__all__ = ["Decoded", "decode_page"]
