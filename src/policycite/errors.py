"""The few exceptions policycite raises when work cannot continue.

Content problems (an unknown field, a duplicate key, a citation with no reference) are
:class:`~policycite.findings.Finding` values, never exceptions. Exceptions are kept for
input that cannot be read at all, and for values that would break an invariant::

    PolicyciteError
     ├── InputError        a file (or string) cannot be read: names the file and the place
     │    └── StyleError   a CSL style cannot be found or parsed
     └── ModelError        a value would break an invariant of the model (also a ValueError)
"""

from __future__ import annotations


class PolicyciteError(Exception):
    """Base class of every exception policycite raises on purpose."""


class InputError(PolicyciteError):
    """A file or string cannot be used as input.

    ``str(error)`` is one line: ``source:line:column: message``, with the parts that are
    known; it is what the CLI prints before exiting with status 2.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        place: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.place = place
        super().__init__(self.__str__())

    def __str__(self) -> str:
        head = [str(part) for part in (self.source, self.line, self.column) if part is not None]
        where = ":".join(head)
        if self.place:
            where = f"{where}: {self.place}" if where else self.place
        text = " ".join(self.message.split())  # one line, whatever the cause said
        return f"{where}: {text}" if where else text

    def located(self, source: str) -> InputError:
        """Return a copy that names ``source`` (kept when this error already names one)."""
        return type(self)(
            self.message,
            source=self.source or source,
            line=self.line,
            column=self.column,
            place=self.place,
        )


class StyleError(InputError):
    """A CSL style or locale cannot be found or is not usable."""


class ModelError(PolicyciteError, ValueError):
    """A value would break an invariant of the model.

    ``field`` names the offending field (dotted path, e.g. ``provenance.archive-date``),
    ``key`` the citation key of the source, when known.
    """

    def __init__(self, message: str, *, field: str | None = None, key: str | None = None) -> None:
        self.message = message
        self.field = field
        self.key = key
        where = ", ".join(
            p for p in (f"@{key}" if key else "", f"field {field!r}" if field else "") if p
        )
        super().__init__(f"{where}: {message}" if where else message)
