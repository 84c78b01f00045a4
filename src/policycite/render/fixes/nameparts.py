"""The parts of a personal name as citeproc-js reads and shortens them.

Pure functions, ported from citeproc-js 2.4.63 (``CSL.parseParticles``,
``CSL.Util.Names.initializeWith``/``doInitialize``/``doNormalize``, ``_isRomanesque``) so
that names print as the reference processor prints them:

* particles are split off a family name that has none given explicitly ("van Gogh" →
  non-dropping particle "van"; "d’Aubignac" → "d’"; "al-One" → "al-") and off the end of
  a given name ("Alexander von" → dropping particle "von"); a suffix after a comma in
  the given name ("John,! Jr.") becomes the name's suffix;
* initials follow citeproc-js: "Ph.", "Ts." and "Me." stay as written, "M.E" is two
  initials, ``initialize="false"`` only normalises the initials already there;
* a name in a script without spaces between words (Chinese, Japanese, Korean) is
  written family name first with no space and never initialised.
"""

from __future__ import annotations

import re
from typing import Any

_ROMAN = (
    "a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a\u021b\u202a-\u202e"
)
ROMANESQUE = re.compile(f"[-0-9{_ROMAN}]")
STARTS_ROMANESQUE = re.compile(f"^[&{_ROMAN}]")
_NAME_INITIAL = re.compile(
    "^([A-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u042f\u0590-\u05d4\u05d6-\u05ff\u0600-\u06ff"
    "\u0370\u0372\u0376\u0386\u0388-\u03ab\u03e2\u03e4\u03e6\u03e8\u03ea\u03ec\u03ee\u03f4"
    "\u03f7\u03fd-\u03ff])([a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u052f\u0600-\u06ff"
    "\u0370-\u03ff\u1f00-\u1fff]*|)(\\.)*"
)
_SEPARATORS = re.compile(
    r'((?:[-\s]*</*(?:span\s+class="no(?:case|decor)"|i|sc|b|sub|sup)>[-\s]*|[-\s]+))'
)
_PARTICLE_GIVEN = re.compile("^([^ ]+(?:\u02bb |\u2019 | |' ) *)(.+)$")
_PARTICLE_FAMILY = re.compile("^([^ ]+(?:-|\u02bb|\u2019| |') *)(.+)$")
_TRAILING_SPACE = re.compile("[\t\n\x0b\x0c\r \ufeff\u00a0]+$")
_SPACES = re.compile("[\t\n\x0b\x0c\r ]+")
_HYPHEN = re.compile(r"\s*-\s*")
_QUOTES = (('"', '"'), ("\u201c", "\u201d"))


def romanesque(family: str, given: str) -> int:
    """0: a CJK-like name (no spaces), 1: family-first order, 2: a Western name.

    citeproc-js also writes a name in Latin letters family first without a comma when
    the item's language is Chinese or Japanese ("Tan J. G."); policycite does not: a
    romanised name is inverted like any other ("Tan, J. G.", as APA prints it).
    """
    level = 2 if ROMANESQUE.search(family.replace('"', "")) else 0
    if not level and given and STARTS_ROMANESQUE.match(given):
        level = 1
    return level


def parsed(name: Any) -> dict[str, Any]:
    """The name's parts as a dict, particles and a comma suffix split off as citeproc-js does."""
    parts: dict[str, Any] = {
        "family": _apostrophes(name.get("family")),
        "given": _apostrophes(name.get("given")),
        "dropping-particle": _apostrophes(name.get("dropping-particle")),
        "non-dropping-particle": _apostrophes(name.get("non-dropping-particle")),
        "suffix": _apostrophes(name.get("suffix")),
        "comma-suffix": bool(name.get("comma-suffix")),
        "static-ordering": bool(name.get("static-ordering")),
    }
    parse = name.get("parse-names")
    if parse is not None and not parse and parse != "true":
        return parts
    family = parts["family"]
    for opening, closing in _QUOTES:  # "van Happel" in quotes: a family name as written
        if len(family) > 1 and family.startswith(opening) and family.endswith(closing):
            parts["family"] = family[1:-1]
            return parts
    if (
        not parts["non-dropping-particle"]
        and family
        and parts["given"]
        and not name.get("static-particles")
    ):
        _parse_particles(parts)
    return parts


def _apostrophes(value: Any) -> str:
    # A straight apostrophe in a name is an apostrophe ("in ’t Veld", "’t Hooft"), never
    # an opening quotation mark, which is what typographic quoting made of it after a space.
    return str(value).replace("\u2018", "\u2019") if value else ""


def _split_particles(value: str, given: bool) -> tuple[str, list[str]]:
    original = value
    particles: list[str] = []
    pattern = _PARTICLE_GIVEN if given else _PARTICLE_FAMILY
    if given:
        value = value[::-1]
    match = pattern.match(value)
    while match:
        found = match.group(1)[::-1] if given else match.group(1)
        first = re.sub("^[-'\u02bb\u2019\\s]*(.).*$", r"\1", found, flags=re.S)
        if first.upper() == first:  # capitalised: a name, not a particle
            break
        if given:
            particles.append(original[-len(found) :])
            original = original[: -len(found)]
        else:
            particles.append(original[: len(found)])
            original = original[len(found) :]
        value = match.group(2)
        match = pattern.match(value)
    if given:
        particles.reverse()
        for index in range(1, len(particles)):
            if particles[index][:1] == " ":
                particles[index - 1] += " "
        particles = [p[1:] if p[:1] == " " else p for p in particles]
        return original[: len(value)], particles
    return (original[-len(value) :] if value else original), particles


def _parse_particles(parts: dict[str, Any]) -> None:
    family, particles = _split_particles(parts["family"], given=False)
    parts["family"] = family
    joined = "".join(particles)
    particle = joined.strip()
    if joined[-1:] == " " and particle[-1:] in ("'", "\u2019"):
        particle += " "
    if particle:
        parts["non-dropping-particle"] = particle
    given = parts["given"]
    if not parts["suffix"] and given:
        comma = re.search(r"(\s*,!*\s*)", given)
        if comma:
            start, end = comma.span(1)
            suffix = given[end:]
            if suffix.replace(".", "") == "et al" and not parts["dropping-particle"]:
                parts["dropping-particle"] = suffix
            else:
                if len(re.sub(r"\s*", "", comma.group(1))) == 2:  # ",!": "John Doe, Jr."
                    parts["comma-suffix"] = True
                parts["suffix"] = suffix
            parts["given"] = given = given[:start]
    given, particles = _split_particles(given, given=True)
    parts["given"] = given
    dropping = "".join(particles).strip()
    if dropping:
        parts["dropping-particle"] = dropping


def initialize(name: str, terminator: str, normalize_only: bool, hyphen: bool = True) -> str:
    """The given name ``name`` as initials ending in ``terminator`` (citeproc-js rules).

    ``normalize_only`` (``initialize="false"``): names stay whole, only the initials
    already there get the terminator ("M.E" → "M. E." with ". ").
    """
    if not name:
        return ""
    if name in ("Lord", "Lady") or (
        not STARTS_ROMANESQUE.match(re.sub("^(?:<[^>]+>)*", "", name)) and "%s" not in terminator
    ):
        return name
    if not hyphen:
        name = name.replace("-", " ")
    name = re.sub(r"\s+", " ", _HYPHEN.sub("-", name))
    name = re.sub("-([a-z])", "\u2013\\1", name)
    index = len(name) - 2
    while index > -1:
        if name[index] == "." and name[index + 1] != " ":
            name = name[:index] + ". " + name[index + 1 :]
        index -= 1
    pieces = _SEPARATORS.split(name)  # words at even indexes, separators between
    if len(pieces) == 1:
        last = re.search(r"[^.]+$", pieces[0])
        if last and len(last.group()) == 1 and last.group() != last.group().lower():
            pieces[0] += "."
    result = _normalized(pieces, terminator) if normalize_only else _initialized(pieces, terminator)
    return re.sub("\u2013([a-z])", r"-\1", result)


def _notag(text: str) -> str:
    return re.sub("^(?:<[^>]+>)*", "", text)


def _tag_only(text: str) -> str:
    match = re.search("(?:<[^>]+>)+", text)
    return match.group() if match else text


def _merge_tag(tags: str, text: str) -> str:
    found = re.findall("(?:-*<[^>]+>-*)", tags)
    if not found:
        return text
    joined = "".join(found)
    match = re.match(r"^(.*[^\s])*(\s+)$", text)
    if match:
        return (match.group(1) or "") + joined + match.group(2)
    return text + joined


def _cleaned(pieces: list[str]) -> str:
    text = _TRAILING_SPACE.sub("", "".join(pieces))
    return _SPACES.sub(" ", _HYPHEN.sub("-", text))


def _normalized(pieces: list[str], terminator: str) -> str:
    abbreviations = []
    for index, piece in enumerate(pieces):
        if len(_notag(piece)) > 1 and _notag(piece).endswith("."):
            pieces[index] = re.sub(r"^(.*)\.(.*)$", r"\1\2", piece, flags=re.S)
            abbreviations.append(True)
        else:
            abbreviations.append(len(piece) == 1 and piece.upper() == piece)
    for index in range(0, len(pieces), 2):
        if not abbreviations[index]:
            continue
        if index < len(pieces) - 2:
            pieces[index + 1] = _tag_only(pieces[index + 1])
            if not abbreviations[index + 2]:
                pieces[index + 1] = _tag_only(pieces[index + 1]) + " "
            if len(pieces[index + 2]) > 1:
                pieces[index + 1] = terminator.rstrip("\ufeff") + pieces[index + 1]
            else:
                pieces[index + 1] = _merge_tag(pieces[index + 1], terminator)
        if index == len(pieces) - 1:
            pieces[index] += terminator
    return _cleaned(pieces)


def _initialized(pieces: list[str], terminator: str) -> str:
    count = len(pieces)
    for index in range(0, count, 2):
        word = pieces[index]
        if not word:
            continue
        match = _NAME_INITIAL.match(word)
        groups: list[Any] = list(match.groups()) if match else []
        if not match and not STARTS_ROMANESQUE.match(word) and len(word) > 1 and "%s" in terminator:
            groups = [word[0], word[1:], None]
        if groups and groups[1] and groups[2]:  # "Ph." stays "Ph"
            groups[0], groups[1] = groups[0] + groups[1], ""
        if groups and groups[0][:1] == groups[0][:1].upper():
            extra = ""
            if groups[1]:
                capitals = ""
                for char in groups[1]:
                    if char != char.upper():
                        break
                    capitals += char
                if len(capitals) < len(groups[1]):
                    extra = capitals.lower()
            pieces[index] = groups[0] + extra
            if index < count - 1:
                if "%s" in terminator:
                    pieces[index] = terminator.replace("%s", pieces[index], 1)
                elif "-" in pieces[index + 1]:
                    pieces[index + 1] = (
                        _merge_tag(pieces[index + 1].replace("-", "", 1), terminator) + "-"
                    )
                else:
                    pieces[index + 1] = _merge_tag(pieces[index + 1], terminator)
            elif "%s" in terminator:
                pieces[index] = terminator.replace("%s", pieces[index], 1)
            else:
                pieces.append(terminator)
        elif ROMANESQUE.search(word) and (not groups or not groups[2]):
            pieces[index] = " " + word
    return _cleaned(pieces)
