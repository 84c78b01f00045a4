"""Zotero libraries: items read from a data directory or the API, imported as records.

Items travel in the Zotero API's JSON shape. :mod:`policycite.zotero.items` maps one to a
:class:`~policycite.model.Source`; :mod:`policycite.zotero.sqlite` reads a data directory
(``zotero.sqlite``) into such items; :mod:`policycite.zotero.importer` writes them into a
library folder, idempotently and keeping hand edits.
"""
