"""Briefs: read a brief into its citations, quotations and reference list.

Text, Markdown, HTML, Word and LaTeX files are read; reference strings are parsed into
fields.

Modules, lowest first: :mod:`.model` (the values), :mod:`.citations` (in-text citation
forms), :mod:`.refparse` (reference strings to fields), :mod:`.matching` (fields to the
library record they name, with a confidence),
:mod:`.bibliography` (the bibliography files a brief names),
:mod:`.structure` (paragraphs to citations, quotations and the reference list),
:mod:`.latex` (LaTeX to paragraphs and citations by key) and
:mod:`.readers` (files to a :class:`~policycite.brief.model.Brief`). This file imports
nothing, so that low layers can use one module without pulling in the rest.
"""
