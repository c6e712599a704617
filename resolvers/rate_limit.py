"""The `rateLimit` root field: what this operation cost, and what its client has left."""

from __future__ import annotations

import time

from resolvers.context import Info, RateStatus


def rate_limit(info: Info) -> RateStatus:
    # Charged before execution (schema.admission); absent only when nothing priced it.
    return info.context.rate or RateStatus(0, 0, 0, time.time())
