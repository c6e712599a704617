"""The caller's budget, as GitHub's GraphQL API reports it."""

from __future__ import annotations

import strawberry

from resolvers.context import RateStatus
from schema.admission import iso_time


@strawberry.type(
    description="What this operation cost and what the caller has left. Every operation is "
    "priced before it runs, in points: about one per object or value the response may hold, "
    "times the page sizes above it, plus a weight for searches, highlights and facets. Each "
    "client (by address) may spend `limit` points per window; past it, requests get HTTP 429 "
    "with Retry-After until `resetAt`."
)
class RateLimit:
    cost: int = strawberry.field(description="What this operation cost, in points.")
    limit: int = strawberry.field(
        description="Points the caller may spend per window; 0 when this server sets no limit."
    )
    remaining: int = strawberry.field(
        description="Points left in the current window, this operation's cost deducted."
    )
    reset_at: str = strawberry.field(
        description="When the window restarts and the full limit is available again "
        "(ISO 8601, UTC)."
    )

    @classmethod
    def of(cls, status: RateStatus) -> RateLimit:
        return cls(
            cost=status.cost,
            limit=status.limit,
            remaining=status.remaining,
            reset_at=iso_time(status.reset_at),
        )
