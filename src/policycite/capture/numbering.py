"""The version of the rule that numbers a snapshot's paragraphs.

Kept apart from :mod:`policycite.capture.preamble`, which applies the rule: a snapshot
records the version it was numbered by, and reading one back (every warm check) must
not import the preamble's date and speech cues, which compile some 40 patterns (issue 17).
"""

from __future__ import annotations

#: The version of the numbering rule. 1: every block but headings was numbered;
#: 2: leading datelines, labels and delivery notes are not numbered either;
#: 3: nor are link lines anywhere ("Download the full report (PDF, 2.4 MB)").
NUMBERING = 3

__all__ = ["NUMBERING"]
