"""Output: show the result of checking a brief as text, JSON, SARIF or an HTML report.

Every module reads only a :class:`~policycite.rules.result.CheckResult` and returns a
string (or, for SARIF, a JSON-ready mapping); none reads or writes files. Modules:
:mod:`.text` (the terminal, grouped by paragraph; it also places findings for the
others), :mod:`.jsonreport` (JSON with a published schema, ``check-report.schema.json``),
:mod:`.sarif` (SARIF 2.1.0 for code-scanning tools) and :mod:`.html` (a self-contained
report with the brief's text highlighted). This file imports nothing.
"""
