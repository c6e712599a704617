"""The ceiling: a plain Starlette endpoint serving the benchmark's answers as JSON built by
straightforward Python from the same Repository (and the same SearchIndex), with no
GraphQL in between. The harness checks that each answer equals the GraphQL one.

    CRISISGRAPH_DATA_DIR=... CRISISGRAPH_INDEX_DIR=... uvicorn bench.plain_app:app

POST /plain/<operation> with the GraphQL request's JSON body (its variables are used).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from data import records
from data.dates import PartialDate
from data.order import EVENTS_BY_DATE
from data.repository import Repository
from index.search import SearchIndex
from resolvers.ids import decode_id, encode_id
from resolvers.pages import position_cursor, write_cursor
from settings import Settings

Json = dict[str, Any]


def _date(date: PartialDate | None) -> Json | None:
    return None if date is None else {"iso": date.iso}


def _full_date(date: PartialDate) -> Json:
    return {
        "iso": date.iso,
        "year": date.year,
        "month": date.month,
        "day": date.day,
        "precision": date.precision.value,
    }


def events_page(repo: Repository, first: int) -> Json:
    found = repo.event_list
    page = found[:first]
    nodes = []
    actors, places = repo.actors, repo.places
    for e in page:
        crisis = e.crisis
        nodes.append(
            {
                "id": encode_id("event", crisis, e.id),
                "__typename": "Event",
                "title": e.title,
                "description": e.description,
                "kind": e.kind,
                "date": _full_date(e.date),
                "endDate": _date(e.end_date),
                "note": e.note,
                "participants": [
                    {
                        "role": p.role,
                        "actor": {
                            "id": encode_id("actor", crisis, p.actor),
                            "name": actors[(crisis, p.actor)].name,
                            "kind": actors[(crisis, p.actor)].kind,
                        },
                    }
                    for p in e.participants
                ],
                "places": [
                    {
                        "id": encode_id("place", crisis, slug),
                        "name": places[(crisis, slug)].name,
                        "kind": places[(crisis, slug)].kind,
                        "latitude": places[(crisis, slug)].latitude,
                        "longitude": places[(crisis, slug)].longitude,
                    }
                    for slug in e.places
                ],
                "evidence": [
                    {"quote": v.quote, "start": v.start, "end": v.end} for v in e.evidence
                ],
                "figures": [
                    {"value": f.value, "measure": f.measure}
                    for f in repo.figures_by_subject.get(("event", e.key), ())
                ],
            }
        )
    return {
        "events": {
            "totalCount": len(found),
            "pageInfo": {
                "hasNextPage": len(page) < len(found),
                "endCursor": write_cursor(EVENTS_BY_DATE, page[-1]) if page else None,
            },
            "nodes": nodes,
        }
    }


def _place_with_country(repo: Repository, place: records.Place) -> Json:
    country = repo.places.get((place.crisis, place.country or ""))
    country_json = None
    if country is not None:
        events = repo.events_by_place.get(country.key, ())[:3]
        country_json = {
            "name": country.name,
            "events": {"nodes": [{"title": e.title} for e in events]},
        }
    return {
        "id": encode_id("place", place.crisis, place.id),
        "name": place.name,
        "country": country_json,
    }


def actor_deep(repo: Repository, name: str) -> Json:
    actor = repo.find_by_name("actor", name)
    if actor is None:
        return {"actor": None}
    actors, places = repo.actors, repo.places

    def events_of(key: tuple[str, str]) -> Json:
        nodes = []
        for e in repo.events_by_actor.get(key, ())[:5]:
            nodes.append(
                {
                    "title": e.title,
                    "places": [
                        {
                            "name": places[(e.crisis, p)].name,
                            "country": (
                                {"name": c.name}
                                if (
                                    c := places.get((e.crisis, places[(e.crisis, p)].country or ""))
                                )
                                else None
                            ),
                        }
                        for p in e.places
                    ],
                }
            )
        return {"nodes": nodes}

    relations = []
    for r in repo.relations_by_actor.get(actor.key, ()):
        subject, obj = actors[(r.crisis, r.subject)], actors[(r.crisis, r.object)]
        relations.append(
            {
                "kind": r.kind,
                "start": _date(r.start),
                "end": _date(r.end),
                "subject": {
                    "id": encode_id("actor", r.crisis, subject.id),
                    "name": subject.name,
                    "relations": [
                        {"kind": s.kind, "object": {"name": actors[(s.crisis, s.object)].name}}
                        for s in repo.relations_by_actor.get(subject.key, ())
                    ],
                },
                "object": {
                    "id": encode_id("actor", r.crisis, obj.id),
                    "name": obj.name,
                    "events": events_of(obj.key),
                },
            }
        )
    events = repo.events_by_actor.get(actor.key, ())
    return {
        "actor": {
            "id": encode_id("actor", actor.crisis, actor.id),
            "name": actor.name,
            "kind": actor.kind,
            "aliases": list(actor.aliases),
            "relations": relations,
            "events": {
                "totalCount": len(events),
                "nodes": [
                    {
                        "id": encode_id("event", e.crisis, e.id),
                        "title": e.title,
                        "date": {"iso": e.date.iso},
                        "places": [
                            _place_with_country(repo, places[(e.crisis, p)]) for p in e.places
                        ],
                        "participants": [
                            {"role": p.role, "actor": {"name": actors[(e.crisis, p.actor)].name}}
                            for p in e.participants
                        ],
                    }
                    for e in events[:20]
                ],
            },
        }
    }


def node(repo: Repository, ident: str) -> Json:
    kind, key = decode_id(ident)
    actor = repo.get(kind, key)
    if actor is None or kind != "actor":
        return {"node": None}
    return {
        "node": {
            "__typename": "Actor",
            "id": ident,
            "name": actor.name,
            "kind": actor.kind,
            "description": actor.description,
            "aliases": list(actor.aliases),
        }
    }


def _search_node(kind: str, rec: Any) -> Json:
    ident = encode_id(kind, rec.crisis, rec.id)
    if kind == "passage":
        return {"__typename": "Passage", "id": ident, "seq": rec.seq, "section": rec.section}
    if kind == "actor":
        return {"__typename": "Actor", "id": ident, "name": rec.name, "kind": rec.kind}
    if kind == "event":
        return {
            "__typename": "Event",
            "id": ident,
            "title": rec.title,
            "date": {"iso": rec.date.iso},
        }
    if kind == "place":
        return {"__typename": "Place", "id": ident, "name": rec.name}
    if kind == "document":
        return {"__typename": "Document", "id": ident, "title": rec.title}
    if kind == "resolution":
        return {"__typename": "Resolution", "id": ident, "number": rec.number}
    return {"__typename": "Figure", "id": ident, "measure": rec.measure, "value": rec.value}


def search(repo: Repository, index: SearchIndex, text: str) -> Json:
    page = index.search(text, limit=10)
    facets = page.facets
    actors = []
    for value, count in facets.get("actor", ()):
        crisis, _, slug = value.partition("/")
        actor = repo.actors.get((crisis, slug))
        if actor is not None:
            actors.append(
                {
                    "count": count,
                    "actor": {"id": encode_id("actor", crisis, slug), "name": actor.name},
                }
            )
    return {
        "search": {
            "totalCount": page.total,
            "mode": page.mode,
            "suggestion": page.suggestion,
            "edges": [
                {
                    "cursor": position_cursor(i),
                    "score": hit.score,
                    "highlights": [{"field": f, "fragment": t} for f, t in hit.highlights],
                    "node": _search_node(hit.kind, repo.get(hit.kind, hit.key)),
                }
                for i, hit in enumerate(page.hits)
            ],
            "facets": {
                "types": [{"type": v.upper(), "count": c} for v, c in facets.get("type", ())],
                "years": [{"value": v, "count": c} for v, c in facets.get("year", ())],
                "actors": actors,
                "sections": [{"value": v, "count": c} for v, c in facets.get("section", ())],
            },
        }
    }


class State:
    repository: Repository
    index: SearchIndex


def answer(state: State, operation: str, variables: Json) -> Json:
    repo = state.repository
    builders: dict[str, Callable[[], Json]] = {
        "events100": lambda: events_page(repo, variables["first"]),
        "events10": lambda: events_page(repo, variables["first"]),
        "search": lambda: search(repo, state.index, variables["q"]),
        "actor": lambda: actor_deep(repo, variables["name"]),
        "node": lambda: node(repo, variables["id"]),
    }
    return {"data": builders[operation]()}


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    state = State()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from index.lifecycle import ensure_index

        state.repository = Repository.load(settings.data_dir)
        state.index = ensure_index(state.repository, settings.index_dir)
        yield

    async def endpoint(request: Request) -> Response:
        body = await request.json()
        data = answer(state, request.path_params["operation"], body.get("variables") or {})
        # The same encoding Strawberry uses, so both sides pay for the same bytes.
        return Response(json.dumps(data, separators=(",", ":")), media_type="application/json")

    async def healthz(request: Request) -> Response:
        return Response("ok")

    return Starlette(
        routes=[
            Route("/plain/{operation}", endpoint, methods=["POST"]),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )


app = create_app()
