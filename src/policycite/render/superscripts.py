"""Unicode superscript characters and the letters they raise (citeproc-js's table).

citeproc-js writes each superscript character of a term or value ("1ʳᵉ", "2ᵉ", "Nº")
in HTML as the plain character in ``<sup>``: ``1<sup>r</sup><sup>e</sup>``. Its text
output keeps the characters. The table is citeproc-js 2.4.63's ``CSL.SUPERSCRIPTS``.
"""

from __future__ import annotations

SUPERSCRIPTS: dict[str, str] = {
    "\u00aa": "\u0061",
    "\u00b2": "\u0032",
    "\u00b3": "\u0033",
    "\u00b9": "\u0031",
    "\u00ba": "\u006f",
    "\u02b0": "\u0068",
    "\u02b1": "\u0266",
    "\u02b2": "\u006a",
    "\u02b3": "\u0072",
    "\u02b4": "\u0279",
    "\u02b5": "\u027b",
    "\u02b6": "\u0281",
    "\u02b7": "\u0077",
    "\u02b8": "\u0079",
    "\u02e0": "\u0263",
    "\u02e1": "\u006c",
    "\u02e2": "\u0073",
    "\u02e3": "\u0078",
    "\u02e4": "\u0295",
    "\u1d2c": "\u0041",
    "\u1d2d": "\u00c6",
    "\u1d2e": "\u0042",
    "\u1d30": "\u0044",
    "\u1d31": "\u0045",
    "\u1d32": "\u018e",
    "\u1d33": "\u0047",
    "\u1d34": "\u0048",
    "\u1d35": "\u0049",
    "\u1d36": "\u004a",
    "\u1d37": "\u004b",
    "\u1d38": "\u004c",
    "\u1d39": "\u004d",
    "\u1d3a": "\u004e",
    "\u1d3c": "\u004f",
    "\u1d3d": "\u0222",
    "\u1d3e": "\u0050",
    "\u1d3f": "\u0052",
    "\u1d40": "\u0054",
    "\u1d41": "\u0055",
    "\u1d42": "\u0057",
    "\u1d43": "\u0061",
    "\u1d44": "\u0250",
    "\u1d45": "\u0251",
    "\u1d46": "\u1d02",
    "\u1d47": "\u0062",
    "\u1d48": "\u0064",
    "\u1d49": "\u0065",
    "\u1d4a": "\u0259",
    "\u1d4b": "\u025b",
    "\u1d4c": "\u025c",
    "\u1d4d": "\u0067",
    "\u1d4f": "\u006b",
    "\u1d50": "\u006d",
    "\u1d51": "\u014b",
    "\u1d52": "\u006f",
    "\u1d53": "\u0254",
    "\u1d54": "\u1d16",
    "\u1d55": "\u1d17",
    "\u1d56": "\u0070",
    "\u1d57": "\u0074",
    "\u1d58": "\u0075",
    "\u1d59": "\u1d1d",
    "\u1d5a": "\u026f",
    "\u1d5b": "\u0076",
    "\u1d5c": "\u1d25",
    "\u1d5d": "\u03b2",
    "\u1d5e": "\u03b3",
    "\u1d5f": "\u03b4",
    "\u1d60": "\u03c6",
    "\u1d61": "\u03c7",
    "\u2070": "\u0030",
    "\u2071": "\u0069",
    "\u2074": "\u0034",
    "\u2075": "\u0035",
    "\u2076": "\u0036",
    "\u2077": "\u0037",
    "\u2078": "\u0038",
    "\u2079": "\u0039",
    "\u207a": "\u002b",
    "\u207b": "\u2212",
    "\u207c": "\u003d",
    "\u207d": "\u0028",
    "\u207e": "\u0029",
    "\u207f": "\u006e",
    "\u2120": "\u0053\u004d",
    "\u2122": "\u0054\u004d",
    "\u3192": "\u4e00",
    "\u3193": "\u4e8c",
    "\u3194": "\u4e09",
    "\u3195": "\u56db",
    "\u3196": "\u4e0a",
    "\u3197": "\u4e2d",
    "\u3198": "\u4e0b",
    "\u3199": "\u7532",
    "\u319a": "\u4e59",
    "\u319b": "\u4e19",
    "\u319c": "\u4e01",
    "\u319d": "\u5929",
    "\u319e": "\u5730",
    "\u319f": "\u4eba",
    "\u02c0": "\u0294",
    "\u02c1": "\u0295",
    "\u06e5": "\u0648",
    "\u06e6": "\u064a",
}


def has_superscripts(text: str) -> bool:
    """Whether ``text`` holds a superscript character (most text does not)."""
    return any(char in SUPERSCRIPTS for char in text)


def split_superscripts(text: str) -> list[tuple[str, bool]]:
    """``text`` as runs of (text, raised): "1ʳᵉ" -> [("1", False), ("r", True), ("e", True)].

    Each raised character is a run of its own, as citeproc-js gives each its ``<sup>``.
    """
    runs: list[tuple[str, bool]] = []
    plain = ""
    for char in text:
        raised = SUPERSCRIPTS.get(char)
        if raised is None:
            plain += char
            continue
        if plain:
            runs.append((plain, False))
            plain = ""
        runs.append((raised, True))
    if plain:
        runs.append((plain, False))
    return runs
