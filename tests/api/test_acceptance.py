"""A researcher's questions, answered by the API on the real Mali store.

Each expected answer was read off the page (data/crises/mali/sources/crisis-in-mali.txt)
and the store; every piece of evidence returned is checked to be its passage's text
between its offsets, and to be on the page.
"""

# The page's own words are quoted verbatim, curly apostrophes and all.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from data.dates import DateRange, PartialDate
from data.repository import Repository
from data.terms import terms_of
from settings import DEFAULT_DATA_DIR
from tests.conftest import GraphQLClient

MALI = DEFAULT_DATA_DIR / "mali"
PAGE = (MALI / "sources" / "crisis-in-mali.txt").read_text(encoding="utf-8")

# Ask for every piece of evidence with this fragment; `checked` verifies it and keeps
# only the quote and the passage's number, which is what the expected data spell out.
QUOTED = """
fragment Quoted on Evidence { quote start end passage { seq text } }
"""


def store(name: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads((MALI / name).read_text(encoding="utf-8"))
    return records


def checked(data: Any) -> Any:
    """`data` with each evidence verified, then reduced to {quote, passage: {seq}}."""
    if isinstance(data, list):
        return [checked(item) for item in data]
    if not isinstance(data, dict):
        return data
    if {"quote", "start", "end", "passage"} <= data.keys():
        quote, text = data["quote"], data["passage"]["text"]
        assert text[data["start"] : data["end"]] == quote
        assert quote in PAGE
        return {"quote": quote, "passage": {"seq": data["passage"]["seq"]}}
    return {key: checked(value) for key, value in data.items()}


def answer(gql: GraphQLClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    return checked(gql.data(query + QUOTED, variables))


def actor_id(gql: GraphQLClient, name: str) -> str:
    data = gql.data("query ActorId($name: String!) { actor(name: $name) { id } }", {"name": name})
    ident: str = data["actor"]["id"]
    return ident


def every_node(
    gql: GraphQLClient, query: str, variables: dict[str, Any], field: str
) -> list[dict[str, Any]]:
    """All nodes of the root connection `field`, following endCursor 100 at a time."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = gql.data(query, {**variables, "after": after})[field]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            assert len(nodes) == page["totalCount"]
            return nodes
        after = page["pageInfo"]["endCursor"]


def span(event: dict[str, Any]) -> DateRange:
    date = PartialDate.parse(event["date"])
    end = PartialDate.parse(event["end_date"]) if event.get("end_date") else date
    return DateRange.between(date, end)


def chronological(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The API's order: by date, a coarser date before the finer dates inside it ("2014"
    before "2014-01" before "2014-01-08"), then by end date the same way, then by id."""

    def parts(iso: str) -> tuple[int, ...]:
        return tuple(int(part) for part in iso.split("-")) + (0,) * (2 - iso.count("-"))

    def key(event: dict[str, Any]) -> tuple[Any, ...]:
        return (parts(event["date"]), parts(event.get("end_date") or event["date"]), event["id"])

    return sorted(events, key=key)


def as_listed(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "title": e["title"],
            "date": {"iso": e["date"]},
            "endDate": {"iso": e["end_date"]} if e.get("end_date") else None,
        }
        for e in events
    ]


EVENTS_BETWEEN = """
query EventsBetween($from: String, $to: String, $after: String) {
  events(filter: {from: $from, to: $to}, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { title date { iso } endDate { iso } }
  }
}
"""


# -- the researcher's questions ------------------------------------------------------


def test_who_led_the_coup_and_when(gql: GraphQLClient) -> None:
    data = answer(
        gql,
        """
        query WhoLedTheCoup($kinds: [EventKind!], $leader: String!) {
          events(filter: {kinds: $kinds}) {
            totalCount
            nodes {
              title date { iso precision } endDate { iso }
              participants { role actor { name aliases } }
              places { name }
              evidence { ...Quoted }
            }
          }
          leader: actor(name: $leader) {
            name
            relations { kind object { name aliases } evidence { ...Quoted } }
          }
        }
        """,
        {"kinds": ["COUP"], "leader": "Sanogo"},
    )
    cnrdre = {
        "name": "National Committee for the Restoration of Democracy and State",
        "aliases": [
            "CNRDRE",
            "Comité national pour le redressement de la démocratie et la restauration de l'État",
        ],
    }
    sanogo = {
        "name": "Amadou Sanogo",
        "aliases": ["Sanogo", "Captain Amadou Sanogo", "Amadou Haya Sanogo"],
    }
    led_by = (
        "a group of Malian soldiers calling themselves the National Committee for the "
        "Restoration of Democracy and State, led by Captain Amadou Sanogo"
    )
    assert data == {
        "events": {
            "totalCount": 1,
            "nodes": [
                {
                    "title": "Military coup in Bamako",
                    "date": {"iso": "2012-03-22", "precision": "DAY"},
                    "endDate": None,
                    "participants": [
                        {"role": "PERPETRATOR", "actor": cnrdre},
                        {"role": "PERPETRATOR", "actor": sanogo},
                        {
                            "role": "TARGET",
                            "actor": {
                                "name": "Amadou Toumani Toure",
                                "aliases": [
                                    "Toure",
                                    "President Toure",
                                    "Amadou Toumani Touré",
                                    "ATT",
                                ],
                            },
                        },
                        {
                            "role": "TARGET",
                            "actor": {
                                "name": "Government of Mali",
                                "aliases": ["Malian government"],
                            },
                        },
                    ],
                    "places": [{"name": "Bamako"}],
                    "evidence": [
                        {
                            "quote": "staged a successful coup on 22 March 2012",
                            "passage": {"seq": 4},
                        },
                        {"quote": led_by, "passage": {"seq": 4}},
                        {"quote": "a successful coup", "passage": {"seq": 1}},
                        {"quote": "After the 2012 coup", "passage": {"seq": 6}},
                    ],
                }
            ],
        },
        "leader": {
            "name": "Amadou Sanogo",
            "relations": [
                {
                    "kind": "LEADER_OF",
                    "object": cnrdre,
                    "evidence": [
                        {
                            "quote": led_by.removeprefix("a group of Malian soldiers "),
                            "passage": {"seq": 4},
                        }
                    ],
                }
            ],
        },
    }


def test_which_cities_the_mnla_took_and_over_which_dates(gql: GraphQLClient) -> None:
    data = answer(
        gql,
        """
        query WhatTheMnlaTook($actor: ID!, $kinds: [EventKind!]) {
          events(filter: {actor: $actor, kinds: $kinds}) {
            totalCount
            nodes {
              title date { iso precision } endDate { iso precision }
              places { name kind }
              evidence { ...Quoted }
            }
          }
        }
        """,
        {"actor": actor_id(gql, "MNLA"), "kinds": ["CAPTURE"]},
    )
    quote = (
        "between 30 March - 1 April 2012, the MNLA captured the northern cities of "
        "Kidal, Gao and Timbuktu respectively"
    )
    assert data == {
        "events": {
            "totalCount": 3,
            "nodes": [
                {
                    "title": f"MNLA captures {city}",
                    "date": {"iso": "2012-03-30", "precision": "DAY"},
                    "endDate": {"iso": "2012-04-01", "precision": "DAY"},
                    "places": [{"name": city, "kind": "CITY"}],
                    "evidence": [{"quote": quote, "passage": {"seq": 7}}],
                }
                # Same span: the stable tie-breaker (the id) puts them alphabetically.
                for city in ("Gao", "Kidal", "Timbuktu")
            ],
        }
    }


def test_what_resolution_2100_created_and_with_what_strength(gql: GraphQLClient) -> None:
    resolution = gql.data("query Resolution2100 { resolution(number: 2100) { id } }")
    data = answer(
        gql,
        """
        query WhatResolution2100Created($number: Int!, $subject: ID!) {
          resolution(number: $number) {
            number year adopted { iso } concerns { name aliases }
            evidence { ...Quoted }
          }
          figures(filter: {subject: $subject}) {
            nodes { value qualifier measure asOf { iso } evidence { ...Quoted } }
          }
        }
        """,
        {"number": 2100, "subject": resolution["resolution"]["id"]},
    )
    assert data["resolution"]["concerns"][0] == {
        "name": "United Nations Multidimensional Integrated Stabilization Mission in Mali",
        "aliases": ["MINUSMA", "UN Multidimensional Integrated Stabilization Mission in Mali"],
    }
    assert {
        "quote": "the Security Council passed Resolution 2100 (2013) on 25 April 2013, creating "
        "the UN Multidimensional Integrated Stabilization Mission in Mali (MINUSMA), "
        "composed of 11,200 military personnel and 1,440 police personnel",
        "passage": {"seq": 14},
    } in data["resolution"]["evidence"]
    assert (data["resolution"]["number"], data["resolution"]["year"]) == (2100, 2013)
    assert data["resolution"]["adopted"] == {"iso": "2013-04-25"}
    assert data["figures"] == {
        "nodes": [
            {
                "value": 11200.0,
                "qualifier": "EXACT",
                "measure": "military personnel",
                "asOf": {"iso": "2013-04-25"},
                "evidence": [
                    {"quote": "composed of 11,200 military personnel", "passage": {"seq": 14}}
                ],
            },
            {
                "value": 1440.0,
                "qualifier": "EXACT",
                "measure": "police personnel",
                "asOf": {"iso": "2013-04-25"},
                "evidence": [{"quote": "1,440 police personnel", "passage": {"seq": 14}}],
            },
        ]
    }


def test_which_actors_form_the_coordination_and_the_platform(gql: GraphQLClient) -> None:
    data = answer(
        gql,
        """
        query Coalitions($coordination: String!, $platform: String!) {
          coordination: actor(name: $coordination) { ...Coalition }
          platform: actor(name: $platform) { ...Coalition }
        }
        fragment Coalition on Actor {
          name kind
          relations { kind subject { name } object { name } evidence { ...Quoted } }
        }
        """,
        {"coordination": "Coordination", "platform": "Platform"},
    )
    coordination = "Coordination"  # the page gives no fuller name (Mali 1.1)
    coordination_quote = (
        "The “Coordination” coalition consists of the MNLA, the Haut Conseil pour l’Unité "
        "de l’Azawad and the Mouvement Arabe de l’Azawad (MAA)."
    )
    platform_quote = (
        "The “Platform” coalition consists of the Coordination des Mouvements et Fronts "
        "Patriotiques de Résistance, the Coalition du Peuple pour l’Azawad (CPA) and "
        "another MAA faction."
    )

    def members(coalition: dict[str, Any]) -> list[tuple[str, Any]]:
        return [
            (r["subject"]["name"], r["evidence"])
            for r in coalition["relations"]
            if r["kind"] == "MEMBER_OF" and r["object"]["name"] == coalition["name"]
        ]

    assert (data["coordination"]["name"], data["coordination"]["kind"]) == (
        coordination,
        "COALITION",
    )
    # Relations are listed by start date, then slug: these have the same (unknown) start.
    assert members(data["coordination"]) == [
        (name, [{"quote": coordination_quote, "passage": {"seq": 27}}])
        for name in (
            "Haut Conseil pour l’Unité de l’Azawad",
            "Mouvement Arabe de l’Azawad",
            "National Movement for the Liberation of Azawad",
        )
    ]
    assert (data["platform"]["name"], data["platform"]["kind"]) == ("Platform", "COALITION")
    assert members(data["platform"]) == [
        (name, [{"quote": platform_quote, "passage": {"seq": 27}}])
        for name in (
            "Coordination des Mouvements et Fronts Patriotiques de Résistance",
            "Coalition du Peuple pour l’Azawad",
            "MAA faction in the Platform",
        )
    ]


RELATIONS_AT = """
query RelationsAt($may: String!, $january: String!) {
  actors(first: 100) {
    totalCount
    nodes {
      slug
      may: relations(at: $may) { kind subject { slug } object { slug } }
      january: relations(at: $january) { kind subject { slug } object { slug } }
    }
  }
}
"""


def in_force(relation: dict[str, Any], day: dt.date) -> bool:
    start = relation.get("start") and PartialDate.parse(relation["start"])
    end = relation.get("end") and PartialDate.parse(relation["end"])
    return (not start or start.first_day <= day) and (not end or day <= end.last_day)


def as_relations_are_listed(relations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By start date (unknown first), then slug."""

    def start(r: dict[str, Any]) -> tuple[int, ...]:
        return PartialDate.parse(r["start"]).sort_key if r.get("start") else (0, 0, 0)

    return sorted(relations, key=lambda r: (start(r), r["id"]))


def test_which_relations_held_on_1_may_2012_and_on_1_january_2013(gql: GraphQLClient) -> None:
    data = gql.data(RELATIONS_AT, {"may": "2012-05-01", "january": "2013-01-01"})
    assert data["actors"]["totalCount"] == len(data["actors"]["nodes"])
    relations = as_relations_are_listed(store("relations.json"))

    def held(slug: str, day: dt.date) -> list[dict[str, Any]]:
        return [
            {"kind": r["kind"], "subject": {"slug": r["subject"]}, "object": {"slug": r["object"]}}
            for r in relations
            if slug in (r["subject"], r["object"]) and in_force(r, day)
        ]

    assert data["actors"]["nodes"] == [
        {
            "slug": actor["slug"],
            "may": held(actor["slug"], dt.date(2012, 5, 1)),
            "january": held(actor["slug"], dt.date(2013, 1, 1)),
        }
        for actor in data["actors"]["nodes"]
    ]
    [mnla] = [a for a in data["actors"]["nodes"] if a["slug"] == "mnla"]
    alliance = {"kind": "ALLIANCE", "subject": {"slug": "mnla"}, "object": {"slug": "ansar-dine"}}
    # "the MNLA forged an alliance with ... Ansar Dine" (2012), and Ansar Dine "removed most
    # of the MNLA forces from northern Mali by June 2012".
    assert alliance in mnla["may"]
    assert alliance not in mnla["january"]


RELATIONS_STRICT = """
query RelationsStrict($at: String) {
  actors(first: 100) {
    nodes {
      slug
      loose: relations(at: $at) { kind subject { slug } object { slug } }
      strict: relations(at: $at, includeUndated: false) { kind subject { slug } object { slug } }
    }
  }
}
"""


def undated(relation: dict[str, Any]) -> bool:
    return relation["start"] is None and relation["end"] is None


@pytest.mark.parametrize("at", ["2012-05-01", "2013-01-01", "2014-08", None])
def test_include_undated_false_leaves_out_exactly_the_relations_without_dates(
    gql: GraphQLClient, at: str | None
) -> None:
    nodes = gql.data(RELATIONS_STRICT, {"at": at})["actors"]["nodes"]
    relations = store("relations.json")
    day = PartialDate.parse(at).first_day if at else None

    def held(slug: str, strict: bool) -> list[dict[str, Any]]:
        return [
            {"kind": r["kind"], "subject": {"slug": r["subject"]}, "object": {"slug": r["object"]}}
            for r in relations
            if slug in (r["subject"], r["object"])
            and (day is None or in_force(r, day))
            and not (strict and undated(r))
        ]

    def ordered(found: list[dict[str, Any]]) -> list[str]:  # the API's order is its own
        return sorted(json.dumps(r, sort_keys=True) for r in found)

    assert [(a["slug"], ordered(a["strict"])) for a in nodes] == [
        (a["slug"], ordered(held(a["slug"], strict=True))) for a in nodes
    ]
    assert [len(a["loose"]) for a in nodes] == [len(held(a["slug"], False)) for a in nodes]
    # Both readings are exercised: some relations are undated, some dated ones held.
    assert sum(len(a["loose"]) - len(a["strict"]) for a in nodes) > 0
    assert any(a["strict"] for a in nodes)


def test_the_mnla_on_1_may_2012_is_in_no_2014_coalition(gql: GraphQLClient) -> None:
    query = """
    query MnlaMay2012($includeUndated: Boolean) {
      actor(name: "MNLA") {
        relations(at: "2012-05-01", includeUndated: $includeUndated) {
          kind object { slug kind } start { iso } end { iso }
        }
      }
    }
    """
    answers = {}
    for include_undated in (True, False, None):  # null means the default, true
        variables = {"includeUndated": include_undated}
        relations = answers[include_undated] = gql.data(query, variables)["actor"]["relations"]
        assert all(r["object"]["kind"] != "COALITION" for r in relations)
        assert all(r["start"] is None or r["start"]["iso"] <= "2012-05-01" for r in relations)
        assert "ansar-dine" in [r["object"]["slug"] for r in relations]  # the 2012 alliance
    assert answers[None] == answers[True] != answers[False]
    august_2014 = gql.data(
        'query MnlaAugust2014 { actor(name: "MNLA") { relations(at: "2014-08-01") '
        "{ object { slug } } } }"
    )["actor"]["relations"]
    assert "coordination" in [r["object"]["slug"] for r in august_2014]


def test_everything_dated_in_2014(gql: GraphQLClient) -> None:
    nodes = every_node(gql, EVENTS_BETWEEN, {"from": "2014", "to": "2014"}, "events")
    year = DateRange(dt.date(2014, 1, 1), dt.date(2014, 12, 31))
    expected = chronological([e for e in store("events.json") if span(e).overlaps(year)])
    assert nodes == as_listed(expected)
    assert len(nodes) >= 25  # the page's busiest year
    assert {"title": "France launches Operation Barkhane", "date": {"iso": "2014-08-01"}} in [
        {"title": n["title"], "date": n["date"]} for n in nodes
    ]


def test_what_the_page_says_about_displacement_with_its_sources(gql: GraphQLClient) -> None:
    data = answer(
        gql,
        """
        query Displacement($measure: String!) {
          figures(filter: {measure: $measure}) {
            totalCount
            nodes {
              value qualifier measure asOf { iso }
              source { name aliases }
              subject { __typename ... on Event { title date { iso } } }
              evidence { ...Quoted }
            }
          }
        }
        """,
        {"measure": "displaced"},
    )
    ocha = {
        "name": "United Nations Office for the Coordination of Humanitarian Affairs",
        "aliases": ["OCHA", "UN OCHA", "United Nations Office of Humanitarian Affairs"],
    }
    flight = {
        "__typename": "Event",
        "title": "Civilians flee the conflict in the north",
        "date": {"iso": "2012"},
    }
    assert data == {
        "figures": {
            "totalCount": 3,
            "nodes": [
                {
                    "value": 284000.0,
                    "qualifier": "AT_LEAST",
                    "measure": "people displaced",
                    "asOf": None,
                    "source": ocha,
                    "subject": flight,
                    "evidence": [
                        {
                            "quote": "The United Nations Office of Humanitarian Affairs estimates "
                            "at least 284,000 residents had fled their homes as a result of the "
                            "armed conflict in the North",
                            "passage": {"seq": 10},
                        }
                    ],
                },
                {
                    "value": 107000.0,
                    "qualifier": "ABOUT",
                    "measure": "internally displaced persons",
                    "asOf": None,
                    "source": ocha,
                    "subject": flight,
                    "evidence": [
                        {
                            "quote": "107,000 of which are believed to be internally displaced",
                            "passage": {"seq": 10},
                        }
                    ],
                },
                {
                    "value": 470761.0,
                    "qualifier": "AT_LEAST",
                    "measure": "refugees and internally displaced persons in situations of concern",
                    "asOf": {"iso": "2014-01"},
                    "source": {
                        "name": "Office of the United Nations High Commissioner for Refugees",
                        "aliases": [
                            "UNHCR",
                            "UN Refugee Agency",
                            "United Nations High Commissioner for Refugees",
                            "United Nations High Commissioner on Refugees",
                        ],
                    },
                    "subject": {
                        "__typename": "Event",
                        "title": "UNHCR: hundreds of thousands still displaced",
                        "date": {"iso": "2014-01"},
                    },
                    "evidence": [
                        {
                            "quote": "as of January 2014 at least 470,761 refugees and internally "
                            "displaced Malian people remain in situations of concern",
                            "passage": {"seq": 12},
                        }
                    ],
                },
            ],
        }
    }


# -- lookups and reverse links ---------------------------------------------------------


def test_may_i_reuse_it_and_whose_is_the_source(gql: GraphQLClient, repo: Repository) -> None:
    data = gql.data(
        """
        query Terms {
          crisis(slug: "mali") {
            licence { spdxId name url }
            attribution
            sourceRights
            source { url publisher { name } }
          }
        }
        """
    )
    terms = terms_of(repo, "mali")
    assert data["crisis"] == {
        "licence": {
            "spdxId": "CC-BY-4.0",
            "name": "Creative Commons Attribution 4.0 International",
            "url": "https://creativecommons.org/licenses/by/4.0/",
        },
        "attribution": terms.attribution,
        "sourceRights": terms.source_rights,
        "source": {
            "url": "http://www.responsibilitytoprotect.org/index.php/crises/crisis-in-mali",
            "publisher": {"name": "International Coalition for the Responsibility to Protect"},
        },
    }


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("IBK", "ibrahim-boubacar-keita"),
        ("ibk", "ibrahim-boubacar-keita"),
        ("Ibrahim Boubacar Keïta", "ibrahim-boubacar-keita"),
        ("Commission Verite, Justice et Reconciliation", "cvjr"),
        ("commission vérité, justice et réconciliation", "cvjr"),
        ("Barkane", "operation-barkhane"),
        ("  MNLA ", "mnla"),
        ("Haut Conseil pour l'Unité de l'Azawad", "hcua"),  # straight for curly quotes
        ("Sahel", None),  # a place, not an actor
        ("Nobody at all", None),
    ],
)
def test_actor_lookup_by_name_alias_or_acronym(
    gql: GraphQLClient, name: str, slug: str | None
) -> None:
    data = gql.data(
        "query ActorByName($name: String!) { actor(name: $name) { slug } }", {"name": name}
    )
    assert data == {"actor": {"slug": slug} if slug else None}


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("tombouctou", "timbuktu"),
        ("TIMBUKTU", "timbuktu"),
        ("Goa", "gao"),  # the page's misspelling
        ("N'Djamena", "ndjamena"),
        ("République du Mali", "mali"),
        ("Republique du Mali", "mali"),
        ("Atlantis", None),
    ],
)
def test_place_lookup_by_name_or_alias(gql: GraphQLClient, name: str, slug: str | None) -> None:
    data = gql.data(
        "query PlaceByName($name: String!) { place(name: $name) { slug } }", {"name": name}
    )
    assert data == {"place": {"slug": slug} if slug else None}


def test_resolution_lookup(gql: GraphQLClient) -> None:
    data = gql.data(
        "query ResolutionsByNumber($known: Int!, $unknown: Int!) {"
        " known: resolution(number: $known) { number year unanimous }"
        " unknown: resolution(number: $unknown) { number } }",
        {"known": 2164, "unknown": 1},
    )
    # "On 24 June 2014, the Security Council unanimously adopted resolution 2164"
    assert data == {"known": {"number": 2164, "year": 2014, "unanimous": True}, "unknown": None}


ONE_OF_EACH = """
query OneOfEach {
  crises { id }
  actors(first: 1) { nodes { id } }
  places(first: 1) { nodes { id } }
  events(first: 1) { nodes { id } }
  resolutions(first: 1) { nodes { id } }
  documents(first: 1) { nodes { id } }
  figures(first: 1) { nodes { id } }
  passages(first: 1) { nodes { id } }
  relations(first: 1) { nodes { id } }
}
"""


def test_node_round_trips_every_node_type(gql: GraphQLClient) -> None:
    data = gql.data(ONE_OF_EACH)
    ids = {"Crisis": data.pop("crises")[0]["id"]}
    for field, connection in data.items():
        ids[field[:-1].capitalize()] = connection["nodes"][0]["id"]
    assert set(ids) == {
        "Crisis",
        "Actor",
        "Place",
        "Event",
        "Resolution",
        "Document",
        "Figure",
        "Passage",
        "Relation",
    }
    for typename, ident in ids.items():
        found = gql.data("query Node($id: ID!) { node(id: $id) { __typename id } }", {"id": ident})
        assert found == {"node": {"__typename": typename, "id": ident}}
    found = gql.data(
        "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
        {"ids": list(ids.values())},
    )
    assert found == {"nodes": [{"__typename": t, "id": i} for t, i in ids.items()]}


MENTIONS = """
query Mentions($after: String) {
  passages(first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id text
      mentions {
        start end
        entity {
          __typename id
          ... on Actor { name aliases }
          ... on Place { name aliases }
        }
      }
    }
  }
}
"""

EVIDENCE_OFFSETS = """
query EvidenceOffsets {
  actors(first: 100) { totalCount nodes { ...Cited } }
  places(first: 100) { totalCount nodes { ...Cited } }
  events(first: 100) { totalCount nodes { ...Cited } }
  resolutions(first: 100) { totalCount nodes { ...Cited } }
  documents(first: 100) { totalCount nodes { ...Cited } }
  figures(first: 100) { totalCount nodes { ...Cited } }
}
fragment Cited on Node {
  id
  ... on Actor { evidence { ...Offsets } }
  ... on Place { evidence { ...Offsets } }
  ... on Event { evidence { ...Offsets } }
  ... on Resolution { evidence { ...Offsets } }
  ... on Document { evidence { ...Offsets } }
  ... on Figure { evidence { ...Offsets } }
}
fragment Offsets on Evidence { start end passage { id } }
"""


def test_passage_mentions_point_at_a_name_or_a_quote(gql: GraphQLClient) -> None:
    cited: dict[str, list[Any]] = {}
    for connection in gql.data(EVIDENCE_OFFSETS).values():
        assert connection["totalCount"] == len(connection["nodes"])
        cited.update((node["id"], node["evidence"]) for node in connection["nodes"])
    passages = every_node(gql, MENTIONS, {}, "passages")
    assert len(passages) == len(store("passages.json"))
    for passage in passages:
        mentions = passage["mentions"]
        assert mentions, passage["text"][:40]
        assert [m["start"] for m in mentions] == sorted(m["start"] for m in mentions)
        for mention in mentions:
            entity, start, end = mention["entity"], mention["start"], mention["end"]
            assert 0 <= start < end <= len(passage["text"])
            names = [entity["name"], *entity["aliases"]] if "name" in entity else []
            quoted = {"start": start, "end": end, "passage": {"id": passage["id"]}}
            assert passage["text"][start:end] in names or quoted in cited[entity["id"]], mention


def test_actor_mentions_are_the_passages_naming_it(gql: GraphQLClient) -> None:
    data = gql.data(
        "query Mentions($name: String!) {"
        " actor(name: $name) { mentions(first: 100) { totalCount nodes { seq } } } }",
        {"name": "MNLA"},
    )
    # Every paragraph of the page that says "MNLA" (or its full name), in page order.
    seqs = [
        p["seq"]
        for p in store("passages.json")
        if "MNLA" in p["text"] or "National Movement for the Liberation of Azawad" in p["text"]
    ]
    assert seqs == [3, 5, 6, 7, 8, 27, 31]
    assert data == {
        "actor": {"mentions": {"totalCount": len(seqs), "nodes": [{"seq": seq} for seq in seqs]}}
    }


def test_document_evidence_cites_the_document(gql: GraphQLClient) -> None:
    data = answer(
        gql,
        """
        query DocumentsBy($publisher: ID!) {
          documents(filter: {publisher: $publisher}) {
            totalCount
            nodes {
              title kind date { iso } publisher { name } authors { name }
              evidence { ...Quoted }
            }
          }
        }
        """,
        {"publisher": actor_id(gql, "Oxfam")},
    )
    assert data == {
        "documents": {
            "totalCount": 1,
            "nodes": [
                {
                    "title": "What’s Next for Mali: Four priorities for better governance",
                    "kind": "REPORT",
                    "date": {"iso": "2014-02-02"},
                    "publisher": {"name": "Oxfam International"},
                    "authors": [],
                    "evidence": [
                        {
                            "quote": "On 2 February 2014, Oxfam international released a report "
                            "titled “What’s Next for Mali: Four priorities for better governance”",
                            "passage": {"seq": 18},
                        },
                        {
                            "quote": "In the report, Oxfam called on the new 2013 elected "
                            "government and Malian civil society partners to ensure",
                            "passage": {"seq": 18},
                        },
                        {
                            "quote": "The report also called on MINUSMA and international donors "
                            "to fund and protect these priorities and record any results in a "
                            "transparent and accountable fashion.",
                            "passage": {"seq": 18},
                        },
                    ],
                }
            ],
        }
    }


PLACE_EVENTS = """
query PlaceEvents($name: String!) {
  place(name: $name) { events(first: 100) { totalCount nodes { id title } } }
}
"""


def test_a_countrys_events_include_those_in_its_cities(gql: GraphQLClient) -> None:
    gao = gql.data(PLACE_EVENTS, {"name": "Gao"})["place"]["events"]
    mali = gql.data(PLACE_EVENTS, {"name": "Mali"})["place"]["events"]
    events = store("events.json")
    assert [e["title"] for e in gao["nodes"]] == [
        e["title"] for e in chronological([e for e in events if "gao" in e["places"]])
    ]
    assert len(gao["nodes"]) >= 4
    assert all(node in mali["nodes"] for node in gao["nodes"])

    in_mali = {p["slug"] for p in store("places.json") if p.get("country") == "mali"} | {"mali"}
    expected = chronological([e for e in events if in_mali & set(e["places"])])
    assert mali["totalCount"] == len(expected) <= 100
    assert [n["title"] for n in mali["nodes"]] == [e["title"] for e in expected]


ORDERED = """
query Ordered($direction: OrderDirection!, $after: String) {
  events(orderBy: {field: DATE, direction: $direction}, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id title date { iso } endDate { iso } }
  }
}
"""


def test_events_newest_first_are_oldest_first_reversed(gql: GraphQLClient) -> None:
    ascending = every_node(gql, ORDERED, {"direction": "ASC"}, "events")
    descending = every_node(gql, ORDERED, {"direction": "DESC"}, "events")
    assert descending == ascending[::-1]
    expected = as_listed(chronological(store("events.json")))
    assert [{k: v for k, v in n.items() if k != "id"} for n in ascending] == expected


def test_default_order_is_by_date(gql: GraphQLClient) -> None:
    default = every_node(gql, EVENTS_BETWEEN, {"from": None, "to": None}, "events")
    assert default == as_listed(chronological(store("events.json")))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2013-03-15", "2013-12-31"),
        ("2013-03-15", None),
        (None, "2012-03-21"),
        ("2012-04-01", "2012-04-01"),
        ("2012-06-30", "2012-06"),
    ],
)
def test_date_filters_compare_by_overlap(
    gql: GraphQLClient, start: str | None, end: str | None
) -> None:
    nodes = every_node(gql, EVENTS_BETWEEN, {"from": start, "to": end}, "events")
    window = DateRange.between(
        PartialDate.parse(start) if start else None, PartialDate.parse(end) if end else None
    )
    assert nodes == as_listed(
        chronological([e for e in store("events.json") if span(e).overlaps(window)])
    )


def test_an_event_dated_by_month_is_inside_a_window_starting_mid_month(
    gql: GraphQLClient,
) -> None:
    nodes = every_node(gql, EVENTS_BETWEEN, {"from": "2013-03-15", "to": "2013-12-31"}, "events")
    listed = [(n["title"], n["date"]["iso"]) for n in nodes]
    # "in March 2013, the Malian army murdered four Tuareg shepherds"
    assert ("Malian army kills four Tuareg shepherds", "2013-03") in listed
    # "on 28 February 2013 the Kadji village in Goa ... was raided": before the window.
    assert all(iso != "2013-02-28" for _, iso in listed)
    # The three-day offensive ends on 1 April 2012: a span overlapping a one-day window.
    one_day = every_node(gql, EVENTS_BETWEEN, {"from": "2012-04-01", "to": "2012-04-01"}, "events")
    assert "Three-day offensive in the north" in [n["title"] for n in one_day]


def walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def test_every_evidence_of_every_record_is_verbatim(gql: GraphQLClient) -> None:
    data = gql.data(
        """
        query AllEvidence {
          crises { evidence { ...Quoted } }
          actors(first: 100) {
            totalCount
            nodes { evidence { ...Quoted } roles { evidence { ...Quoted } }
                    relations { evidence { ...Quoted } } }
          }
          places(first: 100) { totalCount nodes { evidence { ...Quoted } } }
          resolutions(first: 100) { totalCount nodes { evidence { ...Quoted } } }
          documents(first: 100) { totalCount nodes { evidence { ...Quoted } } }
          figures(first: 100) { totalCount nodes { evidence { ...Quoted } } }
          events(first: 100) { totalCount nodes { evidence { ...Quoted } } }
        }
        """
        + QUOTED
    )
    for field, connection in data.items():
        if field != "crises":
            assert connection["totalCount"] == len(connection["nodes"]), field
    checked(data)  # asserts each quote is passage.text[start:end] and on the page
    quotes = [v for v in walk(data) if isinstance(v, dict) and "quote" in v]
    assert len(quotes) > 300
