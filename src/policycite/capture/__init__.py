"""Capture: turn a saved page, a text copy or a URL into citable records and snapshots.

Modules, lowest first: :mod:`.document` (the values extractors return), :mod:`.cues`
(text heuristics), :mod:`.mojibake` and :mod:`.decoding` (encodings), :mod:`.fetch`
(the only module that opens network connections), :mod:`.html` and :mod:`.plaintext`
(extractors), :mod:`.records` (documents to sources) and :mod:`.pipeline` (the whole
job: read, extract, repair, store snapshots, build records). This file imports nothing,
so that low layers can use :mod:`.document` without pulling in the extractors.
"""
