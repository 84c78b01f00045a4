"""Issue 13, item 8: fetches never reach private, loopback, link-local or metadata addresses.

A local redirector (a test server on 127.0.0.2, the one address a test allows) sends
fetches to 169.254.169.254 and to another loopback server; every connection attempt is
recorded, so the tests see that nothing connected, not only that an error came back.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policycite.capture.addresses import AddressPolicy, classify
from policycite.capture.fetch import FetchError, fetch
from policycite.cli import main

from httpserver import Server, page, redirect, serve

PAGE = (
    "<html><head><title>Harbour dredging plan | Ministry of Coastal Affairs</title></head>"
    "<body><main><h1>Harbour dredging plan</h1><p>The Ministry of Coastal Affairs will "
    "dredge the northern harbour channel in the spring, after consulting the regional "
    "councils and the fishing cooperatives of the bay.</p></main></body></html>"
)
METADATA_URL = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The IP address of every outgoing connection attempt, in order."""
    seen: list[str] = []
    real = socket.socket.connect

    def recording(self: socket.socket, address: Any) -> None:
        seen.append(str(address[0]))
        real(self, address)

    monkeypatch.setattr(socket.socket, "connect", recording)
    return seen


@pytest.fixture
def no_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a user runs it: no POLICYCITE_ALLOW_PRIVATE (conftest sets one for other tests)."""
    monkeypatch.delenv("POLICYCITE_ALLOW_PRIVATE", raising=False)


@pytest.fixture
def redirector() -> Iterator[Server]:
    """A server on 127.0.0.2 (allowed by the tests below, unlike the rest of loopback)."""
    try:
        with serve({}, host="127.0.0.2") as server:
            yield server
    except OSError:  # pragma: no cover - systems where only 127.0.0.1 is loopback
        pytest.skip("127.0.0.2 cannot be bound here")


def only_127_0_0_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYCITE_ALLOW_PRIVATE", "127.0.0.2/32")


@pytest.mark.usefixtures("no_opt_in")
def test_loopback_url_is_refused_by_default_and_nothing_connects(connects: list[str]) -> None:
    with serve({"/": page(PAGE)}) as server:
        with pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address") as caught:
            fetch(server.url("/"), timeout=2)
        assert server.requests == []
    assert connects == []
    assert "\n" not in str(caught.value)


@pytest.mark.usefixtures("no_opt_in")
def test_a_name_resolving_to_loopback_is_refused(connects: list[str]) -> None:
    with serve({"/": page(PAGE)}) as server:
        with pytest.raises(FetchError, match=r"not connecting to localhost: .* loopback"):
            fetch(f"http://localhost:{server.port}/", timeout=2)
        assert server.requests == []
    assert connects == []


def test_redirect_to_the_metadata_address_is_refused(
    redirector: Server, connects: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    only_127_0_0_2(monkeypatch)
    redirector.set("/", redirect(METADATA_URL))
    with pytest.raises(FetchError, match=r"169\.254\.169\.254 is a cloud metadata address"):
        fetch(redirector.url("/"), timeout=1)
    assert connects == ["127.0.0.2"]  # the redirector only; never the metadata service


def test_metadata_stays_refused_even_with_allow_private(
    redirector: Server, connects: list[str]
) -> None:
    redirector.set("/", redirect("http://[fd00:ec2::254]/latest/meta-data/"))
    with pytest.raises(FetchError, match=r"fd00:ec2::254 is a cloud metadata address"):
        fetch(redirector.url("/"), timeout=1, addresses=AddressPolicy(allow_private=True))
    assert connects == ["127.0.0.2"]


def test_redirect_to_another_loopback_port_is_refused(
    redirector: Server, connects: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    only_127_0_0_2(monkeypatch)
    with serve({"/admin": page("internal admin page")}) as internal:
        redirector.set("/", redirect(internal.url("/admin"), status=301))
        with pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address") as caught:
            fetch(redirector.url("/"), timeout=2)
        assert internal.requests == []
    assert connects == ["127.0.0.2"]
    assert f"(at {internal.url('/admin')})" in str(caught.value)


def test_allow_private_opt_in_follows_the_same_redirect(redirector: Server) -> None:
    with serve({"/admin": page(PAGE)}) as internal:
        redirector.set("/", redirect(internal.url("/admin")))
        response = fetch(redirector.url("/"), timeout=2, addresses=AddressPolicy(True))
        assert response.status == 200
        assert internal.paths_requested() == ["/admin"]


def test_connection_goes_to_the_checked_address_not_a_second_lookup(
    redirector: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a name that answers an allowed address first, loopback after."""
    only_127_0_0_2(monkeypatch)
    redirector.set("/", page(PAGE))
    real = socket.getaddrinfo
    answers = iter(["127.0.0.2", "127.0.0.1", "127.0.0.1"])
    asked: list[str] = []

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example":
            asked.append(host)
            host = next(answers)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with serve({"/": page("internal")}) as internal:
        response = fetch(f"http://rebind.example:{redirector.port}/", timeout=2)
        assert internal.requests == []
    assert response.status == 200
    assert asked == ["rebind.example"]  # resolved once, checked, connected to that address


@pytest.mark.usefixtures("no_opt_in")
def test_add_refuses_with_one_line_and_allow_private_lets_it_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "references"
    with serve({"/dredging": page(PAGE)}) as server:
        url = server.url("/dredging")
        assert main(["add", url, "--library", str(library)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "127.0.0.1 is a loopback address" in err and "--allow-private" in err
        assert server.requests == []
        assert not library.exists() or not list(library.glob("*.yaml"))

        # 1: a warning about the page (no date found), not an error
        assert main(["add", url, "--library", str(library), "--allow-private"]) in {0, 1}
        capsys.readouterr()
        assert len(list(library.glob("*.yaml"))) == 1

        requests = len(server.requests)
        assert main(["verify", "--library", str(library), "--no-archive"]) == 1
        out = "".join(capsys.readouterr())
        assert "PC316" in out and "loopback address" in out
        assert len(server.requests) == requests  # verify did not connect either

        code = main(["verify", "--library", str(library), "--no-archive", "--allow-private"])
        assert code == 0, capsys.readouterr()


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        ("64:ff9b::a9fe:a9fe", "cloud metadata"),
        ("::ffff:127.0.0.1", "loopback"),
        ("127.0.0.53", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("10.1.2.3", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_classes(address: str, kind: str | None) -> None:
    assert classify(ipaddress.ip_address(address)) == kind


def test_environment_networks_allow_only_those(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYCITE_ALLOW_PRIVATE", "10.20.0.0/16, fd12:3456::/48")
    policy = AddressPolicy.from_environment()
    assert policy.refusal(ipaddress.ip_address("10.20.5.5")) is None
    assert policy.refusal(ipaddress.ip_address("fd12:3456::9")) is None
    assert "private" in (policy.refusal(ipaddress.ip_address("10.21.0.1")) or "")
    assert "metadata" in (policy.refusal(ipaddress.ip_address("169.254.169.254")) or "")
    monkeypatch.setenv("POLICYCITE_ALLOW_PRIVATE", "intranet")
    with pytest.raises(Exception, match="neither 1 nor a network"):
        AddressPolicy.from_environment()
