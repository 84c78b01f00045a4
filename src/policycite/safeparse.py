"""Hardened lxml parsing: the one place policycite's HTML and XML parsers are made.

Every parser here refuses what untrusted files use against parsers: no network access,
no DTD loading, no entity resolution (XML), libxml2's size limits kept (``huge_tree``
off). HTML gets one more guard: an XML declaration and a DOCTYPE, internal subset and all
(the "billion laughs" entities), are cut off before the parser sees the text; HTML needs
neither, and lxml refuses a str that declares an encoding. Parsers are kept per thread,
since ``policycite verify`` extracts pages in several threads and lxml parsers must not be
shared between threads.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from typing import TYPE_CHECKING, Any

from lxml import etree

from policycite.errors import InputError

if TYPE_CHECKING:  # lxml.html loads with the first HTML parser: XML and JSON need none
    import lxml.html

_PROLOGUE = re.compile(
    r"\A\ufeff?\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"(?:<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)?",
    re.IGNORECASE | re.DOTALL,
)
_local = threading.local()


def html_parser(*, comments: bool = False) -> lxml.html.HTMLParser:
    """The HTML parser of the calling thread: no network; PIs and comments dropped.

    ``comments`` keeps the comments (a second parser, kept per thread too).
    """
    import lxml.html

    name = "html_comments" if comments else "html"
    parser: lxml.html.HTMLParser | None = getattr(_local, name, None)
    if parser is None:
        parser = lxml.html.HTMLParser(
            no_network=True,
            huge_tree=False,
            remove_comments=not comments,
            remove_pis=True,
            collect_ids=False,
            default_doctype=False,
            recover=True,
        )
        # Every element an HtmlElement, chosen in C: lxml.html's own lookup is a Python
        # method called each time an element of the tree is touched (trafilatura walks the
        # tree and its copies many times: 3,600 calls a page, ~10 % of extraction). It gives
        # <form>, <input>, <label>, <select> and <textarea> classes of their own, whose form
        # helpers nothing here uses.
        parser.set_element_class_lookup(
            etree.ElementDefaultClassLookup(
                element=lxml.html.HtmlElement,
                comment=lxml.html.HtmlComment,
                pi=lxml.html.HtmlProcessingInstruction,
                entity=lxml.html.HtmlEntity,
            )
        )
        setattr(_local, name, parser)
    return parser


def xml_parser() -> etree.XMLParser:
    """The XML parser of the calling thread: no entities, DTDs or network access."""
    parser: etree.XMLParser | None = getattr(_local, "xml", None)
    if parser is None:
        parser = _local.xml = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
    return parser


def strip_prologue(text: str) -> str:
    """HTML text without a leading XML declaration and DOCTYPE (with its entities)."""
    return _PROLOGUE.sub("", text, count=1)


#: Why libxml2 stopped reading, by the start of its resource-limit message (huge_tree is
#: off: a limit is a guard, and the text after it is lost).
_LIMITS = (
    ("Excessive depth", "elements are nested more than 256 levels deep"),
    ("Resource limit exceeded", "a run of text is longer than 10 MB"),
)


def cut_short() -> str | None:
    """Why the last :func:`parse_html` of this thread stopped early, or None if it did not.

    libxml2 stops at its limits (elements nested over 256 deep, a text node over
    10,000,000 bytes) and keeps the tree read so far: without a word, the rest of the
    page would be missing from what is extracted.
    """
    messages = [
        e.message for e in getattr(_local, "last_log", ()) if e.type_name == "ERR_RESOURCE_LIMIT"
    ]
    if not messages:
        return None
    for start, why in _LIMITS:
        if any(m.startswith(start) for m in messages):
            return why
    return str(messages[0]).strip()


def parse_html(
    text: str, source: str, *, empty: str = "the page is empty", comments: bool = False
) -> lxml.html.HtmlElement:
    """Parse HTML text safely; InputError (naming ``source``) when empty or unparseable.

    ``comments`` keeps the comments in the tree (a brief's ``policycite:`` directives).
    """
    import lxml.html

    body = strip_prologue(text)
    if not body.strip():
        raise InputError(empty, source=source)
    try:
        parser = html_parser(comments=comments)
        _local.last_log = ()
        root: lxml.html.HtmlElement = lxml.html.document_fromstring(body, parser=parser)
        _local.last_log = tuple(parser.error_log)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise InputError(f"cannot be parsed as HTML: {err}", source=source) from None
    return root


#: How deep JSON may nest (arrays and objects): CSL-JSON, sidecars and JSON-LD need a
#: handful of levels; Python's parser and the code walking its result recurse per level.
MAX_JSON_DEPTH = 256
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deep the arrays and objects of JSON text nest (brackets inside strings ignored)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _not_json(name: str) -> Any:
    # Python reads NaN and Infinity; JSON has neither (and int(inf) fails later on).
    raise ValueError(f"{name} is not a JSON value")


def parse_json(text: str, source: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON text; InputError (one line, naming ``source``) when it cannot be read.

    Refused before parsing: nesting deeper than ``max_depth`` (Python's parser would
    recurse once per level). Refused by the parser: malformed JSON and integers longer
    than Python converts (4,300 digits), and ``NaN``/``Infinity``, which JSON has not.
    """
    depth = json_depth(text)
    if depth > max_depth:
        raise InputError(
            f"JSON nested {depth} levels deep; the limit is {max_depth}", source=source
        )
    try:
        return json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as err:
        raise InputError(
            f"malformed JSON: {err.msg}", source=source, line=err.lineno, column=err.colno
        ) from None
    except (ValueError, RecursionError) as err:  # e.g. an integer of 5,000 digits
        raise InputError(f"JSON cannot be read: {err}", source=source) from None


__all__ = [
    "MAX_JSON_DEPTH",
    "cut_short",
    "html_parser",
    "json_depth",
    "parse_html",
    "parse_json",
    "strip_prologue",
    "xml_parser",
]
