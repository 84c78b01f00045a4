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
