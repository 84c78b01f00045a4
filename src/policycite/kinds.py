"""The kinds of source policycite models, and how each maps to CSL: one table, no scattered ifs.

CSL has no press-release or statement type, so each kind records a CSL type *and* a
``genre``. The type is chosen by what the common styles print: APA's ``apa.csl`` gives
``report`` the year only, while ``document`` gets the full date that APA wants for press
releases and statements, and IEEE prints no date for ``webpage``. The genre is what APA
puts in brackets after the title ("[Press release]"): styles never add it on their own.

This module must not import any other policycite module.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs


@attrs.frozen
class Requirement:
    """A field a kind cannot do without, and the message given when it is missing."""

    field: str
    message: str


def _frozen(roles: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(roles))


@attrs.frozen
class KindSpec:
    """How one kind of source is modelled and rendered.

    ``csl_type`` and ``genre`` are what rendering passes to CSL; ``hidden`` lists CSL
    variables the kind keeps but does not pass to the styles (APA prints no release number
    for a press release, and ``apa.csl`` would turn one into "(Press Release 813)").
    ``omit_if_author`` lists the variables dropped when they repeat the (group) author, as
    APA asks ("when the author and publisher are the same, omit the publisher"; likewise
    the site name of a web page). ``roles`` names what the generic fields mean for this
    kind (``author`` is the speaker of a speech, ``publisher`` the host site), for
    messages, docs and accessors.
    """

    name: str
    csl_type: str
    genre: str | None
    description: str
    required: tuple[Requirement, ...] = ()
    hidden: tuple[str, ...] = ()
    omit_if_author: tuple[str, ...] = ("publisher",)
    roles: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)


_SPECS = (
    KindSpec(
        "press-release",
        "document",
        "Press release",
        "A press release or news release issued by an organisation.",
        required=(Requirement("author", "a press release needs its issuing body as author"),),
        hidden=("number",),
        omit_if_author=("publisher", "container-title"),
        roles={"author": "issuing body", "publisher": "parent agency", "number": "release number"},
    ),
    KindSpec(
        "speech",
        "speech",
        "Speech transcript",
        "A speech, address or remarks; usually cited from a transcript on the host's site.",
        required=(Requirement("author", "a speech needs a speaker (author)"),),
        roles={
            "author": "speaker",
            "publisher": "host site",
            "event-title": "event",
            "event-place": "event place",
            "event-date": "event date",
        },
    ),
    KindSpec(
        "news-article",
        "article-newspaper",
        None,
        "An article in a newspaper, news agency or news site.",
        required=(
            Requirement("container-title", "a news article needs its outlet (container-title)"),
        ),
        roles={"container-title": "outlet", "section": "section"},
    ),
    KindSpec(
        "webpage",
        "webpage",
        None,
        "A web page that is not a more specific kind.",
        omit_if_author=("publisher", "container-title"),
        roles={"container-title": "site name"},
    ),
    KindSpec(
        "statement",
        "document",
        "Statement",
        "An official statement, declaration or joint communiqué.",
        required=(Requirement("author", "a statement needs the body that made it as author"),),
        omit_if_author=("publisher", "container-title"),
        roles={"author": "issuing body", "container-title": "host site"},
    ),
    KindSpec(
        "report",
        "report",
        None,
        "A report, policy brief, white paper or working paper issued by an institution.",
        roles={
            "publisher": "issuing institution",
            "number": "report number",
            "genre": "report series or type",
        },
    ),
    KindSpec(
        "journal-article",
        "article-journal",
        None,
        "An article in a scholarly journal.",
        roles={"container-title": "journal"},
    ),
    KindSpec("book", "book", None, "A book or monograph."),
    KindSpec(
        "chapter",
        "chapter",
        None,
        "A chapter in an edited book.",
        roles={"container-title": "book title"},
    ),
    KindSpec(
        "interview",
        "interview",
        None,
        "An interview published in any medium.",
        roles={"author": "interviewee"},
    ),
    KindSpec(
        "post",
        "post",
        None,
        "A post on social media or a forum.",
        roles={"container-title": "platform"},
    ),
    KindSpec(
        "legislation",
        "legislation",
        None,
        "A law, treaty or resolution.",
    ),
    KindSpec(
        "document",
        "document",
        None,
        "Any other document; the fallback for CSL types policycite has no kind for.",
    ),
)

#: Every kind by name, in the order above.
KINDS: Mapping[str, KindSpec] = MappingProxyType({s.name: s for s in _SPECS})

# The first kind without a genre wins for its CSL type (reversed, so earlier entries overwrite).
_BY_TYPE = {s.csl_type: s for s in reversed(_SPECS) if not s.genre}


def kind_for_csl(csl_type: str, genre: str | None) -> KindSpec:
    """Guess the kind of a CSL item that carries no policycite kind (e.g. from Zotero).

    A ``genre`` naming a press release or statement wins over the type, since Zotero
    users file press releases as web pages, reports or documents.
    """
    folded = (genre or "").strip().casefold()
    for spec in _SPECS:
        if spec.genre and folded.startswith(spec.genre.casefold()):
            return spec
    if "press release" in folded or "news release" in folded:
        return KINDS["press-release"]
    if csl_type == "speech":
        return KINDS["speech"]
    return _BY_TYPE.get(csl_type, KINDS["document"])


#: What a news article appears in, and the CSL type it is rendered as. APA 7 cites an
#: article of a newspaper (in print or on its site) with the newspaper name in italics, and
#: an article of a news website that has no newspaper (CNN, BBC News, Reuters) as a webpage
#: on a news website: the title in italics, the site in roman (Manual 10.1 and 10.16).
#: A news article that says neither is a newspaper's, as before this field existed. The
#: CSL view (and CSL-JSON export) uses these types; policycite's renderer gives styles
#: other than APA the kind's own type, their news form.
CONTAINER_TYPES: Mapping[str, str] = MappingProxyType(
    {"newspaper": "article-newspaper", "news-site": "webpage"}
)


#: The transcript and recording forms of a speech, and the genre APA prints for each.
TRANSCRIPT_GENRES: Mapping[str, str] = MappingProxyType(
    {
        "transcript": "Speech transcript",
        "as-delivered": "Speech transcript, as delivered",
        "as-prepared": "Speech transcript, as prepared for delivery",
        "audio": "Speech audio recording",
        "video": "Video",
    }
)


# The CSL 1.0.2 input vocabulary (schema/input/csl-data.json). Records use these names;
# anything else at the top level of a record is an unknown field.
CSL_TYPES = frozenset(
    """
article article-journal article-magazine article-newspaper bill book broadcast chapter classic
collection dataset document entry entry-dictionary entry-encyclopedia figure graphic hearing
interview legal_case legislation manuscript map motion_picture musical_score pamphlet
paper-conference patent performance periodical personal_communication post post-weblog regulation
report review review-book software song speech standard thesis treaty webpage
""".split()
)

NAME_VARIABLES = frozenset(
    """
author chair collection-editor compiler composer container-author contributor curator director
editor editorial-director executive-producer interviewer illustrator organizer original-author
performer producer recipient reviewed-author translator
""".split()
)

DATE_VARIABLES = frozenset(
    "accessed available-date container event-date issued original-date submitted".split()
)

#: String and number variables; ``categories`` (a list of strings) is handled with them.
TEXT_VARIABLES = frozenset(
    """
categories language journalAbbreviation shortTitle abstract annote archive archive_collection
archive_location archive-place authority call-number chapter-number citation-number
citation-label collection-number collection-title container-title container-title-short
dimensions division DOI edition event event-place event-title first-reference-note-number genre
ISAN ISBN ISCI ISMN ISRC ISSN ISWC issue jurisdiction keyword locator medium note number
number-of-pages number-of-volumes original-publisher original-publisher-place original-title
page page-first part part-title PMCID PMID printing publisher publisher-place references
reviewed-title scale section source status supplement title title-short translated-title
translated-title-short URL version volume year-suffix
""".split()
)

CSL_VARIABLES = NAME_VARIABLES | DATE_VARIABLES | TEXT_VARIABLES
