"""Output formats for rendered citations: plain text, HTML and Markdown.

citeproc-py escapes the style's own text for HTML but passes field values through
unescaped (``<script>`` in a title reaches the page). The fix is here, not in string
patching: before rendering, each character the output format must escape is replaced in
the *input values* by a Unicode noncharacter (U+FDD0…, reserved for internal use and
without letter case, so text-casing cannot touch it); after rendering, each noncharacter
becomes its escaped form. Markup the formatter adds itself is never affected.
"""

from __future__ import annotations

import html
import re
from types import SimpleNamespace
from typing import Any

import attrs
from citeproc import formatter as citeproc_formatters
from citeproc.string import MixedString, String

from policycite.render.quotemarks import NORMALS, drop_markers
from policycite.render.superscripts import has_superscripts, split_superscripts

_SENTINEL_BASE = 0xFDD0


def _wrapper(name: str, before: str, after: str, roman: Any = None) -> Any:
    """A formatter function wrapping text in ``before`` and ``after``.

    Markup from the data that applies the same formatting flips back (roman inside
    italics, as citeproc-js prints it).
    """

    def flip(segment: Any) -> str:
        wrappers = getattr(segment, "wrappers", ())
        if name not in wrappers:
            return str(segment)
        text: Any = str.__str__(segment)
        for wrapper in wrappers:
            if wrapper == name:
                text = roman(text) if roman else text
            else:
                text = getattr(segment.formatter, wrapper)(text)
        return str(text)

    def wrap(text: Any) -> str:
        if not isinstance(text, MixedString):
            return f"{before}{text}{after}"
        if name not in _SLANTS or not any(getattr(s, "upright", False) for s in text):
            if any(getattr(s, "wrappers", ()) for s in text):
                return f"{before}{_nested(text, name)}{after}"
            return f"{before}{text}{after}"
        # Upright runs (a title's bracketed translation) stay outside the italics, and
        # so do the spaces next to them: "<i>Título</i> [Title]".
        out: list[str] = []
        run: list[Any] = []

        def close() -> None:
            inner = "".join(flip(s) for s in run)
            core = inner.strip()
            if core:
                start = inner.index(core[0])
                end = start + len(core)
                out.append(f"{inner[:start]}{before}{core}{after}{inner[end:]}")
            else:
                out.append(inner)
            run.clear()

        for segment in text:
            if getattr(segment, "upright", False):
                close()
                out.append(str(segment))
            else:
                run.append(segment)
        close()
        return "".join(out)

    return wrap


def _split(function: Any) -> tuple[str, str]:
    """The opening and closing markup a formatter function writes around text."""
    marked = str(function("\x00"))
    opening, _, closing = marked.partition("\x00")
    return opening, closing


def nested(text: Any) -> Any:
    """``text`` with the markup of its values laid out as nested tags, or as it is.

    Used for what no element formatting took in hand (see :func:`_nested`): a value
    "<i>One <i>Two</i> Three</i>" prints "<i>One <span style="font-style:normal;">Two
    </span> Three</i>", not three separate italic runs.
    """
    if not isinstance(text, MixedString) or not any(getattr(s, "wrappers", ()) for s in text):
        return text
    return String(_nested(text, None))


def _nested(text: Any, outer: str | None) -> str:
    """The segments of a value inside formatting ``outer``, its own markup nested.

    Runs that share markup share its tags, and markup that repeats formatting already
    in force turns it off (citeproc-js's flip-flop): inside an italic title,
    "One <i>Two <i>Three</i> Four</i>" prints "One <span
    style="font-style:normal;">Two <i>Three</i> Four</span>".
    """
    on = {outer} if outer else set()
    stack: list[tuple[str, str, bool]] = []  # (wrapper, closing markup, turned it on)
    out: list[str] = []
    for segment in text:
        wrappers = tuple(getattr(segment, "wrappers", ()))
        formatter = getattr(segment, "formatter", None)
        common = 0
        while (
            common < len(stack) and common < len(wrappers) and stack[common][0] == wrappers[common]
        ):
            common += 1
        while len(stack) > common:
            wrapper, closing, turned_on = stack.pop()
            out.append(closing)
            if turned_on:
                on.discard(wrapper)
            else:
                on.add(wrapper)
        for wrapper in wrappers[common:]:
            romans = getattr(formatter, "roman", {})
            if wrapper in on:
                roman = romans.get(wrapper)
                opening, closing = _split(roman) if roman else ("", "")
                on.discard(wrapper)
                stack.append((wrapper, closing, False))
            else:
                opening, closing = _split(getattr(formatter, wrapper))
                on.add(wrapper)
                stack.append((wrapper, closing, True))
            out.append(opening)
        out.append(str.__str__(segment) if wrappers else str(segment))
    out.extend(closing for _, closing, _ in reversed(stack))
    return "".join(out)


#: Formatting an upright run (see :class:`.richtext.Upright`) is kept out of.
_SLANTS = frozenset({"Italic", "Oblique"})


#: CSL ``display`` in plain text, as citeproc-js's "text" format writes it: a block on
#: a line of its own, an indented block, a left-margin part followed by a space.
TEXT_DISPLAY: dict[str, Any] = {
    "block": lambda text: f"\n{text}",
    "left-margin": lambda text: f"{text} ",
    "right-inline": lambda text: f"{text}",
    "indent": lambda text: f"\n    {text}",
}
#: CSL ``display`` in HTML: citeproc-js's ``csl-…`` divs, with its line breaks.
HTML_DISPLAY: dict[str, Any] = {
    "block": lambda text: f'\n\n    <div class="csl-block">{text}</div>\n',
    "left-margin": lambda text: f'\n    <div class="csl-left-margin">{text}</div>',
    "right-inline": lambda text: f'<div class="csl-right-inline">{text}</div>\n  ',
    "indent": lambda text: f'<div class="csl-indent">{text}</div>\n  ',
}


#: Formatter functions for an element's explicit "normal" formatting, by CSL attribute
#: (see :class:`..fixes.layout.NormalFormatting`).
NORMAL_NAMES = {
    "font-style": "NormalStyle",
    "font-variant": "NormalVariant",
    "font-weight": "NormalWeight",
    "text-decoration": "NoDecoration",
    "vertical-align": "Baseline",
}
#: The CSL attribute each formatter function sets, in the order citeproc-js applies
#: them (CSL.FORMAT_KEY_SEQUENCE: font-style innermost, vertical-align outermost).
ATTRIBUTE_OF = {
    "Italic": "font-style",
    "Oblique": "font-style",
    "NormalStyle": "font-style",
    "SmallCaps": "font-variant",
    "NormalVariant": "font-variant",
    "Bold": "font-weight",
    "Light": "font-weight",
    "NormalWeight": "font-weight",
    "Underline": "text-decoration",
    "NoDecoration": "text-decoration",
    "Superscript": "vertical-align",
    "Subscript": "vertical-align",
    "Baseline": "vertical-align",
}
FORMAT_ORDER = ("font-style", "font-variant", "font-weight", "text-decoration", "vertical-align")


def merged_plan(*plans: tuple[str, ...]) -> tuple[str, ...]:
    """Formatter functions of several elements as one set, in citeproc-js's order.

    A later plan's value of an attribute wins over an earlier one's.
    """
    chosen: dict[str, str] = {}
    for plan in plans:
        chosen.update((ATTRIBUTE_OF[name], name) for name in plan if name in ATTRIBUTE_OF)
    return tuple(chosen[a] for a in FORMAT_ORDER if a in chosen)


#: What HTML writes for them where a decorated ancestor makes them count (citeproc-js).
_NORMAL_HTML = {
    "font-style": '<span style="font-style:normal;">',
    "font-variant": '<span style="font-variant:normal;">',
    "font-weight": '<span style="font-weight:normal;">',
    "text-decoration": '<span style="text-decoration:none;">',
    "vertical-align": '<span style="baseline">',
}
#: HTML tags that set the decorated form of an attribute: (tag, attribute, decorated?).
_DECORATING_TAGS = re.compile(r"<(/?)(i|b|u|sup|sub|span)((?: [^>]*)?)>")


def _keep(text: Any) -> Any:
    return text


def _marked(attribute: str) -> Any:
    opening, closing = NORMALS[attribute]

    def mark(text: Any) -> Any:
        return f"{opening}{text}{closing}"

    return mark


_NORMALS_KEPT = dict.fromkeys(NORMAL_NAMES.values(), _keep)
#: citeproc-js checks only the "normal" values for a decorated ancestor; "baseline" and
#: text-decoration "none" are always written.
_ALWAYS = ("vertical-align", "text-decoration")
_NORMALS_MARKED = {
    name: (
        _wrapper(name, _NORMAL_HTML[attribute], "</span>")
        if attribute in _ALWAYS
        else _marked(attribute)
    )
    for attribute, name in NORMAL_NAMES.items()
}
#: The "normal" spans of HTML written whatever encloses them (see :func:`list_format`).
_NORMALS_WRITTEN = {
    name: _wrapper(name, _NORMAL_HTML[attribute], "</span>")
    for attribute, name in NORMAL_NAMES.items()
}
#: The decorated values of the attributes whose normal is marked (see resolve_normals).
_DECORATED = {
    "font-style": ("italic", "oblique"),
    "font-variant": ("small-caps",),
    "font-weight": ("bold", "light"),
}


def list_format(name: Any, text: Any, et_al: Any) -> Any:
    """``name.format(text)`` round a list of names ending in "et al." (cs:et-al ``et_al``).

    citeproc-js counts the cs:et-al's own formatting as enclosing the list: a cs:name's
    ``font-style="normal"`` round "Abara <i>et al.</i>" is written
    (``<span style="font-style:normal;">Abara <i>et al.</i></span>``) where no element
    around it is italic, because its et-al is (transversalites).
    """
    if et_al is None or not getattr(name.get_formatter(), "normals", False):
        return name.format(text)
    plan = name._format_plan()
    written = {
        NORMAL_NAMES[attribute]
        for attribute, values in _DECORATED.items()
        if NORMAL_NAMES[attribute] in plan and et_al.get(attribute) in values
    }
    if not written:
        return name.format(text)
    formatter = name.get_formatter()
    for step in plan:
        function = _NORMALS_WRITTEN[step] if step in written else getattr(formatter, step)
        text = function(text)
    return text


_ANY_NORMAL = re.compile("[" + "".join(c for pair in NORMALS.values() for c in pair) + "]")
_NORMAL_OF = {
    c: (attribute, i == 0) for attribute, pair in NORMALS.items() for i, c in enumerate(pair)
}


def _tag_sets(name: str, attributes: str) -> tuple[str, bool] | None:
    """The attribute an opening tag sets and whether to its decorated form."""
    if name == "i":
        return "font-style", True
    if name == "b":
        return "font-weight", True
    if name == "u":
        return "text-decoration", True
    if name in ("sup", "sub"):
        return "vertical-align", True
    for attribute, normal in _NORMAL_HTML.items():
        if normal == f"<span{attributes}>":
            return attribute, False
    if "small-caps" in attributes:
        return "font-variant", True
    return None


def has_normals(text: str) -> bool:
    """Whether ``text`` holds a normal-formatting marker."""
    return _ANY_NORMAL.search(text) is not None


def resolve_normals(text: str) -> str:
    """The normal-formatting markers of ``text`` as HTML, or nothing.

    A marked run gets its "normal" span only inside markup that sets the decorated form
    of the same attribute (``<i>…<span style="font-style:normal;">…</span>…</i>``);
    elsewhere the markers go (citeproc-js drops an orphan normal decoration).
    """
    if not _ANY_NORMAL.search(text):
        return text
    out: list[str] = []
    stack: list[tuple[str, str | None, bool]] = []  # (tag or marker, attribute, decorated)
    position = 0
    pattern = re.compile(_DECORATING_TAGS.pattern + "|(" + _ANY_NORMAL.pattern + ")")
    for match in pattern.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        marker = match.group(4)
        if marker:
            attribute, opening = _NORMAL_OF[marker]
            if opening:
                # citeproc-js (normalDecorIsOrphan) keeps it under any decorating
                # ancestor, another normal one in between or not.
                on = any(d for _, a, d in stack if a == attribute)
                # Kept, the span sets the normal form for what it holds; dropped, it
                # is transparent.
                stack.append((marker, attribute if on else None, False))
                out.append(_NORMAL_HTML[attribute] if on else "")
                continue
            # A closing marker: its opening one is the last marker of its attribute.
            for index in range(len(stack) - 1, -1, -1):
                if stack[index][0] == NORMALS[attribute][0]:
                    kept = stack[index][1] is not None
                    del stack[index]
                    out.append("</span>" if kept else "")
                    break
            continue
        closing, name, attributes = match.group(1), match.group(2), match.group(3)
        out.append(match.group(0))
        if closing:
            for index in range(len(stack) - 1, -1, -1):
                if stack[index][0] == name:
                    del stack[index]
                    break
        else:
            sets = _tag_sets(name, attributes)
            stack.append((name, sets[0] if sets else None, sets[1] if sets else False))
    out.append(text[position:])
    return "".join(out)


def _text_formatter() -> SimpleNamespace:
    # citeproc-py's plain formatter, with the display layouts it lacks.
    plain = citeproc_formatters.plain
    names = ("Italic", "Oblique", "Bold", "Light", "Underline", "Superscript", "Subscript")
    return SimpleNamespace(
        preformat=plain.preformat,
        SmallCaps=plain.SmallCaps,
        display=TEXT_DISPLAY,
        **_NORMALS_KEPT,
        **{name: getattr(plain, name) for name in names},
    )


#: The characters HTML escapes, in the order of their placeholders (see OutputFormat).
_HTML_ESCAPED = "&<>"
#: The style's own "&", "<", ">" as placeholders, like the values' (OutputFormat.encode):
#: written as "&gt;" at once, the entity's ";" was read as punctuation by the seams (a
#: suffix "." dropped after "&lt;URL&gt;", a delimiter "; " swallowed).
_HTML_PLACEHOLDERS = {ord(c): chr(_SENTINEL_BASE + i) for i, c in enumerate(_HTML_ESCAPED)}


_HTML_CLOSING = re.compile(
    "(?:</[a-z]+>|[" + "".join(pair[1] for pair in NORMALS.values()) + "])+$"
)


#: Two white-space characters in a row: citeproc-js's HTML writes them "\u00a0 " (its
#: text_escape), so that a browser shows both.
_DOUBLE_SPACE = re.compile(r"\s\s")


def _html_spaces(text: str) -> str:
    return _DOUBLE_SPACE.sub("\u00a0 ", text) if _DOUBLE_SPACE.search(text) else text


def _html_preformat(text: Any) -> str:
    """The style's own text (terms, values) escaped, superscript characters raised."""
    return _html_raw_spaces(_html_spaces(str(text)))


def _html_raw_spaces(text: Any) -> str:
    """:func:`_html_preformat` without the doubled spaces (see fixes.punctuation)."""
    escaped = str(text).translate(_HTML_PLACEHOLDERS)
    if not has_superscripts(escaped):
        return escaped
    return "".join(
        f"<sup>{run}</sup>" if raised else run for run, raised in split_superscripts(escaped)
    )


def _html_formatter() -> SimpleNamespace:
    def tag(name: str, element: str, attributes: str = "", roman: Any = None) -> Any:
        return _wrapper(name, f"<{element}{attributes}>", f"</{element}>", roman)

    return SimpleNamespace(
        display=HTML_DISPLAY,
        superscripts=True,
        escape_affixes=True,
        normals=True,
        # Trimmed entries keep the spaces inside tags, as citeproc-js's do (layout.py).
        spaces_in_markup=True,
        **_NORMALS_MARKED,
        # Formatting turned off inside the same formatting (flip-flop).
        roman={
            "Italic": lambda t: f'<span style="font-style:normal;">{t}</span>',
            "Bold": lambda t: f'<span style="font-weight:normal;">{t}</span>',
            "SmallCaps": lambda t: f'<span style="font-variant:normal;">{t}</span>',
        },
        preformat=_html_preformat,
        preformat_raw_spaces=_html_raw_spaces,
        # Closing tags, and the end marks of "normal" formatting (resolved to spans or
        # nothing by the layout): seam punctuation looks behind them, so a publisher
        # "Veldoria." in a font-weight="normal" group takes no second period.
        closing_markup=_HTML_CLOSING,
        Italic=tag("Italic", "i", roman=lambda t: f'<span style="font-style:normal;">{t}</span>'),
        Oblique=tag("Oblique", "i"),
        Bold=tag("Bold", "b", roman=lambda t: f'<span style="font-weight:normal;">{t}</span>'),
        Light=tag("Light", "l"),
        # citeproc-js writes underline as a span, not <u>.
        Underline=tag("Underline", "span", ' style="text-decoration:underline;"'),
        Superscript=tag("Superscript", "sup"),
        Subscript=tag("Subscript", "sub"),
        SmallCaps=tag("SmallCaps", "span", ' style="font-variant:small-caps;"'),
    )


def _markdown_formatter() -> SimpleNamespace:
    return SimpleNamespace(
        display=TEXT_DISPLAY,
        **_NORMALS_KEPT,
        preformat=lambda text: _escape_markdown(str(text)),
        Italic=_wrapper("Italic", "*", "*"),
        Oblique=_wrapper("Oblique", "*", "*"),
        Bold=_wrapper("Bold", "**", "**"),
        Light=str,
        Underline=_wrapper("Underline", "[", "]{.underline}"),
        Superscript=_wrapper("Superscript", "^", "^"),
        Subscript=_wrapper("Subscript", "~", "~"),
        SmallCaps=_wrapper("SmallCaps", "[", "]{.smallcaps}"),
        # What the wrappers above write last; seam punctuation looks behind it (a title
        # "*Homesick?*" takes no period after the "?").
        closing_markup=re.compile(r"(?:\*+|\^|~|\]\{\.[a-z]+\})+$"),
    )


_MARKDOWN_SPECIAL = "\\`*_[]<>~^"


def _escape_markdown(text: str) -> str:
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in text)


@attrs.frozen
class OutputFormat:
    """A target format: the citeproc-py formatter and the characters values must escape."""

    name: str
    formatter: Any
    escapes: tuple[tuple[str, str], ...] = ()
    #: Lays out an entry's first field and the rest (CSL second-field-align).
    columns: Any = attrs.field(default=lambda first, rest: f"{first} {rest}")
    #: What else the format does to the text of a value (HTML: doubled spaces).
    text: Any = None

    def encode(self, value: str, keep: str = "") -> str:
        """Replace characters to be escaped (and stray noncharacters) before rendering.

        Characters in ``keep`` are left alone (citeproc-py splits page ranges on "&"
        and writes the ampersand itself, escaped).
        """
        if self.text is not None:
            value = self.text(value)
        if not self.escapes:
            return value
        # Noncharacters never belong in interchanged text; drop any so none is misread.
        table: dict[int, str | None] = dict.fromkeys(
            range(_SENTINEL_BASE, _SENTINEL_BASE + len(self.escapes))
        )
        table.update(
            {
                ord(char): chr(_SENTINEL_BASE + i)
                for i, (char, _) in enumerate(self.escapes)
                if char not in keep
            }
        )
        return value.translate(table)

    def decode(self, rendered: str) -> str:
        """Turn the placeholders of :meth:`encode` into escaped text.

        Any internal marker still in the text goes too: the fixes resolve them before
        this, but a marker that slipped through must never reach a reader.
        """
        rendered = drop_markers(rendered)
        if not self.escapes:
            return rendered
        table = {_SENTINEL_BASE + i: escaped for i, (_, escaped) in enumerate(self.escapes)}
        return rendered.translate(table)


FORMATS: dict[str, OutputFormat] = {
    "text": OutputFormat("text", _text_formatter()),
    "html": OutputFormat(
        "html",
        _html_formatter(),
        tuple((c, html.escape(c, quote=False)) for c in _HTML_ESCAPED),
        columns=lambda first, rest: (
            f'<div class="csl-left-margin">{first}</div><div class="csl-right-inline">{rest}</div>'
        ),
        text=_html_spaces,
    ),
    "markdown": OutputFormat(
        "markdown",
        _markdown_formatter(),
        tuple((c, f"\\{c}") for c in _MARKDOWN_SPECIAL),
    ),
}
