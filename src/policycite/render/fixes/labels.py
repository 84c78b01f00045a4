"""The ``citation-label`` variable: a trigraph label ("Kask21") made from the item.

citeproc-py reads ``citation-label`` off the item like any other variable, so a label
style (din-1505-2-alphanumeric: "[East22]") prints "[]" for every item that does not
carry one. citeproc-js (``CSL.Engine.getCitationLabel``) makes the label from the item
when it has none:

* from the first name variable that holds names (author, chair, collection-editor …
  in citeproc-js's ``CSL.NAME_VARIABLES`` order), by the trigraph pattern for that many
  names (``Aaaa00:AaAa00:AaAA00:AAAA00``: one name gives four letters, two names two
  letters each, three names two, one and one, four or more names one letter each of the
  first four); each name is its family name (a lower-case particle prefix read off) or
  an organisation's literal name without a leading "A", "An" or "The", with anything
  but Latin, Greek, Cyrillic, Hebrew, Arabic and Thai letters left out, capitalised;
* else from the title without the locale's skip words, its first four characters;
* then the issued year's last two digits ("0000" when there is none).

The label a style prints gets the year suffix disambiguation gave the item ("Mini22a"):
citeproc-js treats a printed ``citation-label`` as the place of the year suffix. As a
sort key the label has no suffix.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.string import String

from policycite.render.fixes.disambiguation import YEAR_SUFFIX

#: citeproc-js's default trigraph: per number of names (1, 2, 3, 4+), letters per name.
TRIGRAPH = "Aaaa00:AaAa00:AaAA00:AAAA00"

#: citeproc-js's CSL.NAME_VARIABLES, in its order (the first one holding names counts).
NAME_VARIABLES = tuple(
    v.replace("-", "_")
    for v in (
        "author chair collection-editor compiler composer container-author contributor "
        "curator director editor editor-translator editorial-director executive-producer "
        "guest host illustrator interviewer narrator organizer original-author performer "
        "producer recipient reviewed-author script-writer series-creator translator "
        "commenter"
    ).split()
)

#: citeproc-js's CSL.SKIP_WORDS (no locale of citeproc-py's sets its own skip words).
SKIP_WORDS = frozenset(
    (
        "about above across afore after against al along alongside amid amidst among "
        "amongst anenst apropos apud around as aside astride at athwart atop barring before "
        "behind below beneath beside besides between beyond but by circa despite down "
        "during et except for forenenst from given in inside into lest like modulo near "
        "next notwithstanding of off on onto out over per plus pro qua sans since than "
        "through  thru throughout thruout till to toward towards under underneath until "
        "unto up upon versus vs. v. vs v via vis-à-vis with within without or yet so and "
        "nor a an the de d' von van c ca"
    ).split()
)

# citeproc-js's CSL.ROMANESQUE_NOT_REGEXP: what a name keeps of itself in a label.
_NOT_ROMANESQUE = re.compile(
    "[^a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4"
    "\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a"
    "\u021b\u202a-\u202e]"
)
_PARTICLE_PREFIX = re.compile(r"^[ '\u2019a-z]+\s+")
_ARTICLE = re.compile(r"^(?:a\s+|the\s+|an\s+)")


def _trigraph(pattern: str = TRIGRAPH) -> list[tuple[list[int], int]]:
    """Per number of names: letters taken from each name, and digits of the year."""
    configs = []
    for part in pattern.split(":"):
        authors: list[int] = []
        year = 0
        for char in part:
            if char == "A":
                authors.append(1)
            elif char == "a":
                authors[-1] += 1
            elif char == "0":
                year += 1
        configs.append((authors, year))
    return configs


_CONFIGS = _trigraph()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:].lower()


def generated_label(reference: Any) -> str:
    """The label citeproc-js makes for an item without one ("Kask21", "East22")."""
    label = ""
    config = _CONFIGS[0]
    for variable in NAME_VARIABLES:
        names = reference.get(variable)
        if not names:
            continue
        config = _CONFIGS[min(len(names), len(_CONFIGS)) - 1]
        letters = config[0]
        for index, name in enumerate(names[: len(letters)]):
            text = _name_text(name)
            lowered = text.lower()
            article = _ARTICLE.match(lowered)
            if article:
                text = text[article.end() :]
            text = _NOT_ROMANESQUE.sub("", text)
            if not text:
                break
            label += _capitalised(text[: letters[index]])
        break
    if not label:
        title = reference.get("title")
        if title:
            words = [w for w in str(title).split() if w not in SKIP_WORDS]
            label = _capitalised("".join(words)[: _CONFIGS[0][0][0]])
    issued = reference.get("issued")
    year = None
    if issued is not None:  # a citeproc-py Date, or a DateRange with a begin
        year = issued.get("year") or (issued.get("begin") or {}).get("year")
    digits = str(year) if year else "0000"
    return label + (digits[-config[1] :] if config[1] else "")


def _name_text(name: Any) -> str:
    """The part of a name a label is made of: its family name, or its literal name."""
    family = name.get("family")
    if family:
        return _PARTICLE_PREFIX.sub("", str(family))
    literal = name.get("literal")
    return str(literal) if literal else ""


def citation_label(reference: Any) -> str:
    """The item's own citation-label, else the one citeproc-js would make."""
    own = reference.get("citation_label")
    return str(own) if own else generated_label(reference)


class CitationLabelText:
    """cs:text variable="citation-label": the item's label, made when it has none."""

    def _variable(self, item: Any, context: Any) -> Any:
        labelled = self.__dict__.get("_policycite_label")
        if labelled is None:  # cached: asked for every variable rendered
            labelled = self.__dict__["_policycite_label"] = self.get("variable") == "citation-label"
        if not labelled:
            return super()._variable(item, context)
        reference = item.reference
        if reference.get("citation_label"):
            text = super()._variable(item, context)
            if text is None:  # suppressed by a cs:substitute
                return None
        else:
            repressed = context.get_layout().repressed
            if "citation-label" in repressed.get(self.tag, ()):
                return None
            text = String(generated_label(reference))
        suffix = reference.get(YEAR_SUFFIX)
        return text + String(str(suffix)) if suffix else text
