"""Whose budget a request spends: X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

import pytest

from web.clients import TrustedProxies


def scope(peer: str, *forwarded: str) -> dict[str, object]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"type": "http", "client": (peer, 50_000), "headers": headers}


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    proxies = TrustedProxies([])
    assert proxies.client(scope("192.0.2.9", "198.51.100.1")) == "192.0.2.9"


def test_an_untrusted_peer_cannot_name_another_client() -> None:
    proxies = TrustedProxies(["10.0.0.0/8"])
    assert proxies.client(scope("192.0.2.9", "198.51.100.1")) == "192.0.2.9"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        (["198.51.100.1"], "198.51.100.1"),
        # The client wrote the leftmost entry itself: only what proxies added is believed.
        (["203.0.113.66, 198.51.100.1"], "198.51.100.1"),
        (["198.51.100.1, 10.1.2.3"], "198.51.100.1"),  # through two proxies of ours
        (["203.0.113.66", "198.51.100.1, 10.1.2.3"], "198.51.100.1"),  # two header lines
        (["10.9.9.9"], "10.0.0.1"),  # only proxies: the request began at one of them
        ([], "10.0.0.1"),
        (["not-an-address"], "not-an-address"),
        (["x" * 500], "x" * 64),
    ],
)
def test_forwarded_addresses_are_read_from_the_right(forwarded: list[str], client: str) -> None:
    proxies = TrustedProxies(["10.0.0.0/8", "::1"])
    assert proxies.client(scope("10.0.0.1", *forwarded)) == client


def test_ipv6_proxies_and_clients() -> None:
    proxies = TrustedProxies(["::1"])
    assert proxies.client(scope("::1", "2001:db8::7")) == "2001:db8::7"


def test_a_setting_that_is_not_an_address_is_refused() -> None:
    with pytest.raises(ValueError, match=r"proxy\.example"):
        TrustedProxies(["proxy.example"])
