"""Who a request comes from: the address a client's budget is kept under.

The peer's address, unless the peer is one of the proxies named in
CRISISGRAPH_TRUSTED_PROXIES: then X-Forwarded-For is read from the right, past every
trusted proxy, and the first address no trusted proxy vouches for is the client. Entries
to its left were written by the client itself and are never believed, so a client cannot
choose whose budget it spends.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_ADDRESS = 64  # characters of an address kept as a budget's key


class TrustedProxies:
    def __init__(self, proxies: Iterable[str]) -> None:
        """`proxies`: addresses or networks ("127.0.0.1", "10.0.0.0/8", "::1"); a
        ValueError names one that is neither."""
        self.networks: tuple[Network, ...] = tuple(
            ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip()
        )

    def __contains__(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip().strip("[]"))
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client(self, scope: Scope) -> str:
        peer = scope.get("client")
        address = str(peer[0]) if peer else "unknown"
        if not self.networks or address not in self:
            return address
        forwarded = ",".join(Headers(scope=scope).getlist("x-forwarded-for"))
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            if hop not in self:
                return hop[:MAX_ADDRESS]
        return address  # only proxies: the request started at one of them
