"""Well-known news outlets: newspapers, and news websites that have no newspaper.

APA 7 cites an article of a newspaper (in print or on its site) with the newspaper's name
in italics (Manual 10.1), and an article of a news website that has no newspaper — a
broadcaster, a news agency, an online-only site — as a webpage on a news website, with
the title in italics (Manual 10.16). Nothing in a page's markup says which it is, so a
small table of well-known outlets does (``news_outlets.tsv``, data beside this module:
add an outlet there, not here). Outlets not in the table are left undecided.

Reads the table once; no other I/O.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from importlib import resources
from types import MappingProxyType
from urllib.parse import urlsplit

from policycite.kinds import CONTAINER_TYPES

_TABLE = "news_outlets.tsv"


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


@functools.cache
def _outlets() -> tuple[Mapping[str, tuple[str, str]], Mapping[str, tuple[str, str]]]:
    """(folded name -> (type, name), domain -> (type, name)) from the table."""
    by_name: dict[str, tuple[str, str]] = {}
    by_domain: dict[str, tuple[str, str]] = {}
    text = (resources.files("policycite.capture") / _TABLE).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        container, name, domains = [*line.split("\t"), ""][:3]
        if container not in CONTAINER_TYPES:  # pragma: no cover - the table is tested
            raise ValueError(f"{_TABLE}:{number}: unknown container type {container!r}")
        by_name.setdefault(_fold(name), (container, name))
        for domain in domains.split():
            by_domain.setdefault(domain.casefold(), (container, name))
    return MappingProxyType(by_name), MappingProxyType(by_domain)


def container_type(sites: Iterable[str], url: str | None) -> tuple[str, str] | None:
    """(container type, how it was found) for a page's site names and URL, or None."""
    by_name, by_domain = _outlets()
    for site in sites:
        found = by_name.get(_fold(site))
        if found:
            return found[0], f"site name {site!r} (a known {_label(found[0])})"
    host = (urlsplit(url).hostname or "").casefold() if url else ""
    while host:
        found = by_domain.get(host.removeprefix("www."))
        if found:
            return found[0], f"URL host {host} ({found[1]}, a known {_label(found[0])})"
        host = host.partition(".")[2] if host.count(".") > 1 else ""
    return None


def is_known_outlet(site: str) -> bool:
    """True when the table lists the site name."""
    return _fold(site) in _outlets()[0]


def _label(container: str) -> str:
    return "news website" if container == "news-site" else "newspaper"


__all__ = ["container_type", "is_known_outlet"]
