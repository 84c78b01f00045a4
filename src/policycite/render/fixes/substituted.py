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
"<span …small-caps>Kask</span> &amp; …" once, not twice).
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
    """cs:names and cs:substitute: no names markup on what a non-names substitute printed.

    The cs:substitute tells its cs:names (when it records what it printed) whether the
    child it printed is a cs:names; the cs:names then leaves out its affixes and
    formatting.
    """

    def process(self, *args: Any, **kwargs: Any) -> Any:
        self.__dict__[_PLAIN] = False
        return super().process(*args, **kwargs)

    def markup(self, text: Any) -> Any:
        state = self.__dict__
        shorthand = state.get(_SHORTHAND)
        if shorthand is None:
            shorthand = state[_SHORTHAND] = (
                isinstance(self.getparent(), model.Substitute) and self.find(_NAME) is None
            )
        if text and (shorthand or state.get(_PLAIN)):
            return text
        return super().markup(text)

    def add_to_repressed_list(self, child: Any, context: Any) -> None:
        names = self.getparent()
        if names is not None:
            names.__dict__[_PLAIN] = not isinstance(child, model.Names)
        super().add_to_repressed_list(child, context)
