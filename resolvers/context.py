"""What every resolver finds on `info.context`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.types import Info as _Info

from data.repository import Repository
from resolvers.deadline import Deadline, unlimited

if TYPE_CHECKING:
    from index.search import SearchIndex


@dataclass(frozen=True)
class RateStatus:
    """The caller's budget after this operation was charged (GitHub's rateLimit)."""

    cost: int  # what this operation costs, in points
    limit: int  # points per window; 0 when rate limiting is off
    remaining: int  # points left in the window
    reset_at: float  # when the window restarts (seconds since the epoch)


@dataclass
class Context:
    repository: Repository
    search_index: SearchIndex | None = None
    request: Any = None
    response: Any = None
    deadline: Deadline = field(default_factory=unlimited)
    client: str = "local"  # whose budget the operation is charged to (an address)
    # Set before execution (schema.CrisisSchema.execute, schema.admission):
    document: Any = None  # the operation's document, parsed and validated
    cost: int | None = None  # its price, in points (schema.cost)
    # For an operation run on the event loop: the values it may build before it is moved to
    # a worker thread (its price was too low: a plain list longer than the cost assumed).
    inline_values: int | None = None
    rate: RateStatus | None = None
    retry_after: float | None = None  # with a RATE_LIMITED or OVERLOADED refusal


Info = _Info[Context, None]
