"""Tell a line that is a link or a button ("Download the full report (PDF, 2.4 MB)") from prose.

Pages put links between and after paragraphs: "Download the full report (PDF, 2.4 MB)",
"Read the full statement", "Download (PDF)", "Share this page: Facebook | X | Email",
"Print this page". Extraction keeps them when they sit in the article's markup, but a
reader counting paragraphs for APA's "para." locator does not count them, wherever they
are. :func:`is_link_line` is asked by the one numbering rule
(:func:`policycite.capture.preamble.numbers`); the line stays in the snapshot's text.

A line counts only when all of it is such a link: a verb of the web ("download", "read",
"share" …) and a short object from a fixed vocabulary ("the full report", "this page"),
or a few words with a file type or size in them ("Report (PDF, 880 KB)"). A sentence that
opens alike ("Read the full statement of the board before …") is prose. Pure functions on
strings; no I/O, nothing from policycite.
"""

# German, French and Spanish link words are the point of this module.

from __future__ import annotations

import re
import unicodedata

_MAX_LINE = 90  # characters
_MAX_WORDS = 10

# A file type in brackets or a file size: "(PDF)", "(PDF, 2.4 MB)", "[DOCX 120 KB]", "1 MB".
_FILE = re.compile(
    r"[(\[]\s*(?:pdf|docx?|odt|rtf|xlsx?|ods|csv|epub|zip|pptx?|txt|html?)\b[^()\[\]]{0,30}[)\]]"
    r"|\b\d+(?:[.,]\d+)?\s?(?:[kmg]i?b|[KMG]i?B|kB|Kb|Mb)\b",
    re.IGNORECASE,
)
_VERB = (
    r"(?:download|read|view|see|open|get|watch|listen\s+to|share|print|e-?mail|save"
    r"|subscribe(?:\s+to)?|sign\s+up\s+(?:for|to)|follow|go\s+to|back\s+to|return\s+to"
    r"|herunterladen|lesen|weiterlesen|ansehen|teilen|drucken|abonnieren"
    r"|télécharger|lire|voir|partager|imprimer|descargar|leer|ver|compartir|imprimir)"
)
_DETERMINER = (
    r"(?:the|this|our|a|full|complete|whole|entire|latest|original|printable|pdf|all|more"
    r"|den|die|das|der|diese[nrs]?|vollständige[nrs]?|gesamte[nrs]?|le|la|les|l'|ce|cette"
    r"|el|los|las|este|esta|version|text\s+of\s+the|full\s+text\s+of\s+the)"
)
_OBJECT = (
    r"(?:report|statement|speech|text|release|press\s+release|news\s+release|document"
    r"|article|story|transcript|summary|page|publication|briefing|study|paper|file|version"
    r"|consultation|response|letter|guidance|presentation|slides|video|recording|more|it"
    r"|(?:on\s+)?(?:facebook|twitter|x|linkedin|bluesky|mastodon|email)"
    r"|bericht|pressemitteilung|rede|seite|artikel|dokument|studie|mehr"
    r"|rapport|communiqué|discours|article|étude|informe|comunicado|discurso|página|más)s?"
)
# Verb first ("Download the full report") or, in German, last ("Bericht herunterladen").
_ACTION = re.compile(
    rf"(?:{_VERB}(?:\s+{_DETERMINER})*(?:\s+{_OBJECT})?"
    rf"|(?:{_DETERMINER}\s+)*{_OBJECT}\s+{_VERB})"
    # What may follow: a file type, a list of networks ("Share: Facebook | X | Email").
    r"(?:\s*[(\[][^()\[\]]{0,30}[)\]])?(?:\s*:\s*[^.!?]{0,60})?[.\u2026\u203a\u00bb\u2192>]*",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", "?", ";", ",")


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).strip(" \u200b")


def is_link_line(text: str) -> bool:
    """True when the whole line is a link or button rather than a paragraph of text.

    "Download the full report (PDF, 2.4 MB)", "Download (PDF)", "Read the full
    statement", "Share this page", "Bericht herunterladen (PDF, 1 MB)" are links;
    "Read the full statement of the board before the vote." is prose.
    """
    line = _norm(text)
    if not line or len(line) > _MAX_LINE or len(line.split()) > _MAX_WORDS:
        return False
    if _ACTION.fullmatch(line):
        return True
    # A few words naming a file: "Report (PDF, 880 KB)", "Annex 2 – data (XLSX)".
    return bool(_FILE.search(line)) and len(line.split()) <= 8 and not line.endswith(_SENTENCE_END)


__all__ = ["is_link_line"]
