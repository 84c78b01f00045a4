"""Terms: the lookups citeproc-py gets wrong in a style's own cs:locale.

CSL's default form of a term is "long", and a style may spell that out: ``<term
name="accessed" form="long">retrieved on</term>``. citeproc-py looks the long form up as
a term *without* a form attribute only, so such an override is passed over and the
locale file's "accessed" printed instead.

Ordinals are looked up in the locales of the style's language first; citeproc-py
compares whole tags, so a style in "de-AT" with a ``<locale xml:lang="de">`` passed over
the de-AT file's "ordinal" (".") and took en-US's "ordinal-02": "2nd März".
"""

from __future__ import annotations

from typing import Any

_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class LongTermForm:
    """cs:locale: a term given with ``form="long"`` is the term's long (default) form."""

    def get_term(self, name: str, form: Any = None, zero_padded: bool = False) -> Any:
        try:
            return super().get_term(name, form, zero_padded=zero_padded)
        except IndexError:
            if form not in (None, "long"):
                raise
        # The other spelling of the long form: with the attribute, or without it.
        other = "long" if form is None else None
        return super().get_term(name, other, zero_padded=zero_padded)


class LastTermDefinition:
    """cs:locale: of two definitions of one term (name, form, gender), the last applies.

    citeproc-js reads a style's cs:locale term by term, each definition over the one
    before; citeproc-py takes the first: einaudi defines the short "editor" as "ed." and
    then "a cura di", and citeproc-js prints "a cura di".
    """

    def get_term(self, name: str, form: Any = None, zero_padded: bool = False) -> Any:
        attributes = f"@name='{name}'"
        attributes += f" and @form='{form}'" if form is not None else " and not(@form)"
        if zero_padded:
            attributes += "and not(@match='whole-number')and not(@match='last-two-digits')"
        try:
            found = self.terms.xpath_search(f"./cs:term[{attributes}]")
        except AttributeError:
            raise IndexError(name) from None
        if not found:
            raise IndexError(name)
        # The last definition of the first match's gender form and match (citeproc-py's
        # query does not tell those apart).
        first = found[0]
        return [
            term
            for term in found
            if term.get("gender-form") == first.get("gender-form")
            and term.get("match") == first.get("match")
        ][-1]


def defines_a_term_twice(element: Any) -> bool:
    """Whether a cs:locale defines a term (name, form, gender form) more than once."""
    seen = set()
    for term in element.iter("{http://purl.org/net/xbiblio/csl}term"):
        key = (term.get("name"), term.get("form"), term.get("gender-form"), term.get("match"))
        if key in seen:
            return True
        seen.add(key)
    return False
