"""What every resolver finds on `info.context`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strawberry.types import Info as _Info

from data.repository import Repository

if TYPE_CHECKING:
    from index.search import SearchIndex


@dataclass
class Context:
    repository: Repository
    search_index: SearchIndex | None = None
    request: Any = None
    response: Any = None


Info = _Info[Context, None]
