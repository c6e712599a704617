"""`resolutions(filter:)`, the shape every root list has, and the deprecated `crisis:`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient

RESOLUTIONS = """
query Resolutions($filter: ResolutionFilter, $crisis: String) {
  resolutions(filter: $filter, crisis: $crisis) { totalCount nodes { slug number adopted { iso } } }
}
"""


def numbers(gql: GraphQLClient, **variables: Any) -> list[int]:
    data = gql.data(RESOLUTIONS, variables)["resolutions"]
    assert data["totalCount"] == len(data["nodes"])
    assert all(n["slug"] == str(n["number"]) for n in data["nodes"])
    return [n["number"] for n in data["nodes"]]


@pytest.mark.parametrize(
    ("resolution_filter", "expected"),
    [
        ({}, [2085, 2100, 2164]),
        ({"crisis": "mali"}, [2085, 2100, 2164]),
        ({"from": "2013"}, [2100, 2164]),
        ({"to": "2013-04"}, [2085, 2100]),  # 2100 was adopted on 25 April 2013
        ({"from": "2013-04-26", "to": "2014-06-23"}, []),
        ({"from": "2014-06-24", "to": "2014-06-24"}, [2164]),
    ],
)
def test_the_filter_narrows_by_crisis_and_adoption_date(
    gql: GraphQLClient, resolution_filter: dict[str, Any], expected: list[int]
) -> None:
    assert numbers(gql, filter=resolution_filter) == expected


def test_the_deprecated_crisis_argument_still_works(gql: GraphQLClient) -> None:
    assert numbers(gql, crisis="mali") == numbers(gql, filter={"crisis": "mali"})
    assert numbers(gql, crisis="mali", filter={"crisis": "mali", "from": "2014"}) == [2164]
    errors = gql.errors(RESOLUTIONS, {"crisis": "atlantis"})
    assert errors[0]["message"].startswith("crisis: no crisis 'atlantis'")


def test_the_two_crisis_arguments_must_agree(gql: GraphQLClient) -> None:
    body = gql.run(RESOLUTIONS, {"crisis": "mali", "filter": {"crisis": "atlantis"}})
    assert body["data"] == {"resolutions": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "give the crisis in `filter` only" in error["message"]


def test_the_old_argument_is_marked_deprecated_with_a_reason(gql: GraphQLClient) -> None:
    data = gql.data(
        """
        query Arguments {
          __type(name: "Query") {
            fields { name args(includeDeprecated: true) { name isDeprecated deprecationReason } }
          }
        }
        """
    )
    args = {
        (field["name"], arg["name"]): arg
        for field in data["__type"]["fields"]
        for arg in field["args"]
    }
    old = args[("resolutions", "crisis")]
    assert old["isDeprecated"] is True
    assert "filter: {crisis" in old["deprecationReason"]
    deprecated = sorted(key for key, arg in args.items() if arg["isDeprecated"])
    assert deprecated == [("resolutions", "crisis")]
