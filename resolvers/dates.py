"""Date arguments (`at`, `from`, `to`): read at the precision the client gives, or refused
with the sentence data.dates gives."""

from __future__ import annotations

from data.dates import PartialDate
from resolvers.errors import BadUserInput


def parse_date_argument(value: str | None, argument: str) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise BadUserInput(f"{argument}: {error}", argument=argument) from None
