"""Briefs: read a brief into its citations, quotations and reference list.

Text, Markdown, HTML and Word files are read; reference strings are parsed into fields.

Modules, lowest first: :mod:`.model` (the values), :mod:`.citations` (in-text citation
forms), :mod:`.refparse` (reference strings to fields), :mod:`.matching` (fields to the
library record they name, with a confidence),
:mod:`.structure` (paragraphs to citations, quotations and the reference list) and
:mod:`.readers` (files to a :class:`~policycite.brief.model.Brief`). This file imports
nothing, so that low layers can use one module without pulling in the rest.
"""
