"""Which of a style's own cs:locale elements apply, as citeproc-js chooses them.

* ``primary-dialect-locale``: citeproc-js applies a style's ``<locale xml:lang="en-US">``
  in en-GB too (``CSL.Engine.localeConfigure``: the style's locales for no language, the
  bare language, the language's primary dialect, then the locale itself, each over the
  one before): british-journal-of-cancer, default-locale en-GB, overrides "et-al" as
  "et al" in an en-US block, and citeproc-js prints "Kask et al, 2021". citeproc-py
  looks only at the locale itself, the bare language and no language.

The style's processor (:mod:`..processor`) builds the list of locales; this mixin on the
cs:style element tells it to add the primary dialect's block.
"""

from __future__ import annotations


class PrimaryDialectLocale:
    """cs:style: its cs:locale for the language's primary dialect applies to every dialect."""

    #: Read by the processor when it lists the locales to search (see processor.py).
    primary_dialect_locale = True
