"""A cs:names whose substitute prints something other than names: no names markup on it.

citeproc-js gives the affixes and formatting of a cs:names to the names it prints, and
to names a cs:substitute prints in their place (``<names variable="editor"/>``), but not
to a title, a macro or a date the substitute prints instead:
``<names variable="author" font-style="italic" prefix="(" suffix=")">`` with
``<substitute><text variable="title"/></substitute>`` prints "Harbour", not
"(<i>Harbour</i>)" (neue-kriminalpolitik's italic authors, whose anonymous works are
cited by an upright title). citeproc-py puts the markup round whatever the substitute
printed.

Nor does citeproc-js give a shorthand cs:names in a substitute (``<names
variable="editor" font-variant="small-caps"/>``, no cs:name of its own) its own affixes
and formatting: the names it prints take the enclosing cs:names's (din-1505-2's editors,
"<span …small-caps>Kask</span> &amp; …" once, not twice). A full cs:names in a
substitute (one with its own cs:name) is the other way round: it keeps its own affixes
and formatting and takes none of the enclosing cs:names's (university-of-zabol's bold
author in place of a bold translator: "<b>Tamm</b>", not "<b><b>Tamm</b></b>").
"""

from __future__ import annotations

from typing import Any

from citeproc import model

#: State of a cs:names while it renders: whether its substitute printed no names.
_PLAIN = "_policycite_plain_substitute"
#: Whether a cs:names is a shorthand one in a cs:substitute (decided once).
_SHORTHAND = "_policycite_shorthand_substitute"
_NAME = "{http://purl.org/net/xbiblio/csl}name"


class PlainSubstitutes:
    """cs:names and cs:substitute: the names markup only on what a shorthand cs:names printed.

    The cs:substitute tells its cs:names (when it records what it printed) whether the
    child it printed is a shorthand cs:names; if not, the cs:names leaves out its affixes
    and formatting.
    """

    def process(self, *args: Any, **kwargs: Any) -> Any:
        self.__dict__[_PLAIN] = False
        return super().process(*args, **kwargs)

    def markup(self, text: Any) -> Any:
        state = self.__dict__
        shorthand = state.get(_SHORTHAND)
        if shorthand is None:
            shorthand = state[_SHORTHAND] = _shorthand(self)
        if text and (shorthand or state.get(_PLAIN)):
            return text
        return super().markup(text)

    def add_to_repressed_list(self, child: Any, context: Any) -> None:
        names = self.getparent()
        if names is not None:
            # Only the names a shorthand cs:names prints take this cs:names's markup.
            names.__dict__[_PLAIN] = not (isinstance(child, model.Names) and _shorthand(child))
        super().add_to_repressed_list(child, context)


def _shorthand(names: Any) -> bool:
    """Whether a cs:names is a shorthand one in a cs:substitute (no cs:name of its own)."""
    return isinstance(names.getparent(), model.Substitute) and names.find(_NAME) is None
