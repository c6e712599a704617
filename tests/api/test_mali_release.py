"""Mali 1.1, the first release after the hand-curated 1.0 (issue 14): the change feed lists
exactly the corrections of the outside check, and the release shows in the crisis, in
citations and in the records' `since` and `revision`."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import GraphQLClient

CHANGES = """
query MaliSince($since: String!, $after: String) {
  changes(crisis: "mali", since: $since, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { type slug kind release { version } record { id } }
  }
}
"""

# What the outside check asked for (issue 14, section 4), as the records it touched.
CHANGED = {
    # outside facts without sources, said only as the page says them
    ("actor", "ibrahim-boubacar-keita"),  # run-off date; the 17 May 2014 Kidal attack
    ("event", "presidential-election-2013"),  # run-off date
    ("event", "kidal-governors-office-attack-2014-05-18"),  # 17 May; and IBK's visit
    ("place", "kidal-governors-office"),  # 17 May; and the bad alias "Kidal governorate"
    ("actor", "amadou-toumani-toure"),  # resignation date
    ("actor", "dioncounda-traore"),  # swearing-in; and his role's end
    ("actor", "mohamed-ould-abdel-aziz"),  # AU chair
    ("actor", "mahamadou-djeri-maiga"),  # title
    ("actor", "aqim"),  # MUJAO's split from AQIM
    ("actor", "mujao"),
    ("relation", "aqim-splinter-of-mujao"),
    ("actor", "red-cross"),  # the ICRC
    ("actor", "coordination"),  # full names
    ("actor", "platform"),
    ("relation", "mali-member-of-icc"),  # Rome Statute ratification
    ("document", "rome-statute"),
    ("actor", "minusma-all-source-information-unit"),  # intelligence unit
    ("relation", "minusma-all-source-information-unit-part-of-minusma"),
    ("actor", "tuareg"),  # "Berber", "Niger"
    ("actor", "afisma"),  # "authorised AFISMA"
    ("actor", "un-security-council"),
    ("actor", "cmfpr"),  # "self-defence militias"
    # existing figures pointed at the events added for them
    ("figure", "tuareg-arab-civilians-fled-reprisals"),
    ("figure", "children-recruited-islamists"),
    ("figure", "unesco-sites-destroyed"),
    # missing participants
    ("event", "r2p-workshop-2012-08"),
    ("event", "msf-refusal-to-return-2013-07"),
    # the note on no ICC arrest warrants
    ("event", "icc-investigation-opened-2013-01-16"),
    # precision finer than the page
    ("event", "coup-presidential-palace-stormed-2012"),
    ("event", "constitution-suspended-2012"),
    ("relation", "femnet-mali-alliance-icrtop"),
    ("figure", "serval-troops-remaining-under-barkhane-2014-08"),
    # duplicates and inconsistencies: azawad folded into northern-mali, and the events
    # that listed both
    ("place", "northern-mali"),
    ("event", "tuareg-uprisings-since-independence"),
    ("event", "france-eu-reject-azawad-2012"),
    ("event", "azawad-independence-declared-2012-04-06"),
    ("event", "au-rejects-azawad-2012"),
    ("event", "diop-rules-out-azawad-independence-2014-07"),
    ("event", "ban-ki-moon-statement-2013-09-22"),
    ("document", "algiers-roadmap"),
    ("event", "algiers-roadmap-2014-07-24"),
    ("event", "attacks-on-un-2014"),
    ("relation", "islamist-groups-opposes-minusma"),
    # bad aliases
    ("actor", "ortm"),
    ("actor", "malian-arabs"),
}
ADDED = {
    # missing events the page states
    ("event", "tuareg-rebel-abuses-2012"),
    ("event", "army-abuses-2013"),
    ("event", "islamist-abuses-2012"),
    ("event", "un-reported-abuses-2012"),
    ("event", "timbuktu-heritage-destruction-2012"),
    ("event", "tuareg-arab-flight-2013"),
    ("event", "ansar-dine-imposes-sharia-2012"),
    ("event", "rebel-coalitions-fighting-2014"),
    ("event", "malian-forces-withdraw-north"),
    # missing other facts
    ("actor", "northern-business-elites"),
    ("relation", "government-of-mali-alliance-northern-business-elites"),
    ("document", "constitution-of-mali"),
}
REMOVED = {("place", "azawad")}


def test_mali_1_1_lists_exactly_the_corrections(gql: GraphQLClient) -> None:
    data = gql.data(CHANGES, {"since": "1.0"})["changes"]
    assert data["pageInfo"]["hasNextPage"] is False
    found = {(n["type"], n["slug"]): n for n in data["nodes"]}
    assert data["totalCount"] == len(found)
    assert {key for key, n in found.items() if n["kind"] == "CHANGED"} == CHANGED
    assert {key for key, n in found.items() if n["kind"] == "ADDED"} == ADDED
    assert {key for key, n in found.items() if n["kind"] == "REMOVED"} == REMOVED
    assert {n["release"]["version"] for n in data["nodes"]} == {"1.1"}
    assert all((n["record"] is None) == (n["kind"] == "REMOVED") for n in data["nodes"])
    assert gql.data(CHANGES, {"since": "1.1"})["changes"]["totalCount"] == 0


MALI = """
query Mali($coup: ID!, $added: ID!) {
  crisis(slug: "mali") { version releases { version } }
  coup: node(id: $coup) { ... on Released { since { version } revision { version } cite } }
  added: node(id: $added) { ... on Released { since { version } revision { version } } }
}
"""


def test_mali_is_at_1_1_and_its_records_say_since_when(gql: GraphQLClient) -> None:
    from resolvers.ids import encode_id

    data = gql.data(
        MALI,
        {
            "coup": encode_id("event", "mali", "coup-2012"),
            "added": encode_id("event", "mali", "timbuktu-heritage-destruction-2012"),
        },
    )
    assert data["crisis"] == {
        "version": "1.1",
        "releases": [{"version": "1.1"}, {"version": "1.0"}],
    }
    assert (data["coup"]["since"], data["coup"]["revision"]) == (
        {"version": "1.0"},
        {"version": "1.0"},
    )
    assert (data["added"]["since"], data["added"]["revision"]) == (
        {"version": "1.1"},
        {"version": "1.1"},
    )
    assert data["coup"]["cite"].startswith(
        '"staged a successful coup on 22 March 2012" (Kirkland Green, "Crisis in Mali", '
        "International Coalition for the Responsibility to Protect, "
        "http://www.responsibilitytoprotect.org/index.php/crises/crisis-in-mali, paragraph 4, "
        'passage mali-p04). Recorded in crisisgraph, crisis "Crisis in Mali" version 1.1, as the '
        'event "Military coup in Bamako", id RXZlbnQ6bWFsaTpjb3VwLTIwMTI: http://testserver/graphql?'
    )


def test_mali_exports_are_named_after_1_1(client: TestClient) -> None:
    response = client.get("/export/mali/figures.ndjson")
    assert response.headers["x-crisisgraph-version"] == "1.1"
    assert response.headers["content-disposition"] == (
        'attachment; filename="mali-figures-1.1.ndjson"'
    )


LISTS = ("actors", "places", "events", "relations", "resolutions", "documents", "figures")


def test_every_kind_of_record_cites_itself_with_a_working_permalink(
    gql: GraphQLClient, client: TestClient
) -> None:
    fields = " ".join(f"{name}(first: 2) {{ nodes {{ cite }} }}" for name in (*LISTS, "passages"))
    data = gql.data(f"query Cites {{ {fields} }}")
    for name, found in data.items():
        assert len(found["nodes"]) == 2, name
        for node in found["nodes"]:
            cite = node["cite"]
            assert cite.startswith('"') and ", paragraph " in cite, cite
            assert '"Crisis in Mali" version 1.1, as the ' in cite, cite
            permalink = cite.rsplit(": ", 1)[1]
            body = client.get(permalink.removeprefix("http://testserver")).json()
            assert "errors" not in body and body["data"]["node"], (name, body)
