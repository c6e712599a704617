"""Fields of crises (Crisis): the country, the source page, the terms of reuse."""

from __future__ import annotations

from data import records
from data.terms import Terms, terms_of
from resolvers.context import Info


def country(info: Info, crisis: records.Crisis) -> records.Place | None:
    return info.context.repository.places.get((crisis.id, crisis.country or ""))


def source(info: Info, crisis: records.Crisis) -> records.Document:
    return info.context.repository.documents[(crisis.id, crisis.source)]


def terms(info: Info, crisis: records.Crisis) -> Terms:
    return terms_of(info.context.repository, crisis.id)
