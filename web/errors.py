"""One body for every error the server answers outside GraphQL execution (400, 404, 405,
406, 413, 415, 429, 503): the GraphQL error shape, so a client reads them all one way.

    {"errors": [{"message": "...", "extensions": {"code": "..."}}]}

No error is ever cached: each carries `Cache-Control: no-store` and no ETag.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.responses import Response

JSON = "application/json"
NO_STORE = "no-store"


def error_body(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def error_response(
    status: int,
    message: str,
    code: str,
    *,
    media_type: str = JSON,
    headers: dict[str, str] | None = None,
    retry_after: float | None = None,
    **extensions: Any,
) -> Response:
    all_headers = {"Cache-Control": NO_STORE, **(headers or {})}
    if retry_after is not None:
        all_headers["Retry-After"] = str(max(math.ceil(retry_after), 1))
    return Response(
        json.dumps(error_body(message, code, **extensions)),
        status_code=status,
        media_type=media_type,
        headers=all_headers,
    )
