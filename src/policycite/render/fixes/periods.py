r"""strip-periods as citeproc-js applies it.

citeproc-py deletes every period. citeproc-js does so for terms, names and months, but
a variable's value goes through ``Queue.append``, which deletes a period only when no
lower-case ASCII letter follows it (``/\.([^a-z]|$)/``): "U.S. v. e.g." becomes
"US v e.g". URL and DOI values keep their periods ("doi:10.5555/ocg.2020.17", not
"doi:105555/ocg202017").
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.string import MixedString

_PERIOD = re.compile(r"\.([^a-z]|$)")
#: Variables citeproc-js writes with their periods whatever strip-periods says.
KEEP_PERIODS = frozenset({"URL", "DOI"})


def strip_periods(text: Any) -> Any:
    """``text`` (str, citeproc-py String or MixedString) with citeproc-js's periods removed."""
    if isinstance(text, MixedString):
        return MixedString([strip_periods(part) for part in text])
    if not isinstance(text, str) or "." not in text:
        return text
    stripped = _PERIOD.sub(r"\1", text)
    return stripped if type(text) is str else text.__class__(stripped)


class StripPeriods:
    """cs:text variable with strip-periods: citeproc-js's rule (see the module docstring).

    Other elements (terms, values, labels, names, dates) keep citeproc-py's.
    """

    def strip_periods(self, string: Any) -> Any:
        variable = self.get("variable")
        if variable is None or str(self.get("strip-periods", "false")).lower() != "true":
            return super().strip_periods(string)
        return string if variable in KEEP_PERIODS else strip_periods(string)
