"""Anchors: pin quotations to the passages they come from, and find unquoted copying.

Modules, lowest first: :mod:`.normalize` (comparable text with a map back to the
original offsets), :mod:`.quotes` (a quotation's literal pieces, ellipses and brackets),
:mod:`.match` (exact, then fuzzy search; statuses, diffs, re-anchoring),
:mod:`.copying` (a shingle index over snapshots for near-verbatim copying),
:mod:`.fragments` (Text Fragment links) and :mod:`.pinning` (anchors stored on a
library's records, and their re-verification). This file imports nothing, so that
low layers can use one module without pulling in the rest.
"""
