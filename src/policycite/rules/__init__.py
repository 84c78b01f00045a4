"""Rules: check a brief's citations, quotations and reference list against a library.

Modules: :mod:`.result` (what a check gives), one module per rule family, and
:mod:`.validate` (runs them all). This file imports nothing.
"""
