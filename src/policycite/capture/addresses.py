"""Which network addresses a fetch may connect to: public ones, unless told otherwise.

A record's URL, and every redirect on the way to its page, comes from somewhere else (a
page, a colleague's library, a ``.bib`` file). Left alone, ``add`` and ``verify`` would
connect wherever a name resolves or a redirect points: to a cloud metadata service
(``169.254.169.254``), to a service on this machine's loopback, to the office network.
So every address a host name resolves to is checked *before* connecting (and the
connection then goes to that checked address, never to a second look-up that could
answer otherwise), and anything but a public address is refused unless allowed:

* :attr:`AddressPolicy.allow_private` allows every non-public address (an intranet
  library): the ``--allow-private`` option, or ``POLICYCITE_ALLOW_PRIVATE=1``;
* :attr:`AddressPolicy.networks` allows some networks only:
  ``POLICYCITE_ALLOW_PRIVATE="10.20.0.0/16, fd12:3456::/48"``.

Cloud metadata addresses (:data:`METADATA`) are refused whatever is allowed: no source
worth citing lives there, and reaching one from a tool that fetches URLs given by others
is the classic server-side request forgery.
"""

from __future__ import annotations

import ipaddress
import os
import re

import attrs

from policycite.errors import InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: The environment variable read when no policy is given: ``1`` (any non-public address)
#: or a list of networks (commas or spaces between them).
ALLOW_PRIVATE_VARIABLE = "POLICYCITE_ALLOW_PRIVATE"

#: Instance metadata services of cloud providers: refused even when private is allowed.
METADATA: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, Azure, Google Cloud, OpenStack, DigitalOcean …
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_YES = {"1", "true", "yes", "on", "all"}
_NO = {"", "0", "false", "no", "off"}


def _embedded(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one stands for (mapped, NAT64, 6to4, Teredo), else itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
    return address


def classify(address: IPAddress) -> str | None:
    """Why ``address`` is not public (``"loopback"``, ``"metadata"`` …), or None when it is."""
    inner = _embedded(address)
    for candidate in dict.fromkeys((inner, address)):  # the IPv4 one first: more precise
        if candidate in METADATA:
            return "cloud metadata"
        for kind, flag in (
            ("unspecified", candidate.is_unspecified),
            ("loopback", candidate.is_loopback),
            ("link-local", candidate.is_link_local),
            ("multicast", candidate.is_multicast),
            ("reserved", candidate.is_reserved),
            ("private", candidate.is_private),
        ):
            if flag:
                return kind
        if not candidate.is_global:  # shared address space (100.64/10) and the like
            return "non-public"
    return None


def _networks(text: str) -> tuple[IPNetwork, ...]:
    out = []
    for item in re.split(r"[\s,]+", text.strip()):
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise InputError(
                f"{ALLOW_PRIVATE_VARIABLE}: {item!r} is neither 1 nor a network (10.0.0.0/8)"
            ) from None
    return tuple(out)


@attrs.frozen
class AddressPolicy:
    """The non-public addresses a fetch may connect to (by default: none)."""

    allow_private: bool = False
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_environment(cls) -> AddressPolicy:
        """The policy ``$POLICYCITE_ALLOW_PRIVATE`` asks for (InputError for a bad value)."""
        value = os.environ.get(ALLOW_PRIVATE_VARIABLE, "").strip()
        if value.lower() in _NO:
            return cls()
        if value.lower() in _YES:
            return cls(allow_private=True)
        return cls(networks=_networks(value))

    def refusal(self, address: IPAddress) -> str | None:
        """Why a connection to ``address`` is refused (one phrase), or None when allowed."""
        kind = classify(address)
        if kind is None:
            return None
        inner = _embedded(address)
        shown = address if inner == address else f"{address} ({inner})"
        if kind == "cloud metadata":
            return f"{shown} is a {kind} address (always refused)"
        if self.allow_private or any(
            address.version == n.version and address in n for n in self.networks
        ):
            return None
        return (
            f"{shown} is a {kind} address (refused unless --allow-private or "
            f"{ALLOW_PRIVATE_VARIABLE} allows it, for an intranet library)"
        )


__all__ = ["ALLOW_PRIVATE_VARIABLE", "METADATA", "AddressPolicy", "classify"]
