"""A citation number in a sort key is padded to 20 digits, as citeproc-js pads it.

citeproc-js renders ``<text variable="citation-number"/>`` in a sort key as the item's
registration number zero-padded to twenty digits (``CSL.Util.padding``); citeproc-py
writes the bare number. Where a macro key ends with the number after a date key
(FAO's "1Okonkwo-Bright, A." + date + number), the digit runs then differ in length
and ICU's numeric collation ordered 2021's "…00010000000006" before 2017's
"…000010000000048".
"""

from __future__ import annotations

from typing import Any

#: citeproc-js's width of a padded number.
WIDTH = 20


def padded(value: Any) -> str:
    """``value``'s leading whole number, zero-padded to 20 digits (or the value itself)."""
    text = str(value)
    digits = text.strip()
    negative = digits.startswith("-")
    number = digits[1:] if negative else digits
    if not number.isdigit():
        return text
    found = int(number)
    if negative:  # citeproc-js: 99999999999999999999 - n
        found = 99999999999999999999 - found
    return str(found).rjust(WIDTH, "0")


class PaddedCitationNumber:
    """cs:text variable="citation-number" in a sort key: the number padded to 20 digits."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        text, language = super().process(item, context, **kwargs)
        if (
            kwargs.get("sort_options") is not None
            and self.get("variable") == "citation-number"
            and text is not None
        ):
            return padded(text), language
        return text, language
