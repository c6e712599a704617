"""The explorer in a real browser, against a live server with the assets installed: every
event on the timeline and every located place on the map, dates drawn as precisely as they
are recorded, the brush, the search box, the evidence panel and the CSV all agreeing with
what the API itself answers; and nothing loaded from another host, no policy violation, no
console error. Screenshots of the timeline and the map are kept in the test's tmp folder."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import Visit, stays_local
from tests.live import DIRECT, live_server

if TYPE_CHECKING:
    from playwright.sync_api import Page

SERVAL = "operation-serval-launched-2013-01-11"
EVENTS = """query AllEvents($from: String, $to: String) {
  events(filter: { crisis: "mali", from: $from, to: $to }, first: 100) {
    totalCount
    pageInfo { hasNextPage }
    nodes { slug date { precision } endDate { iso } places { slug } }
  }
}"""
PLACES = """query Located {
  places(filter: { crisis: "mali" }, first: 100) { nodes { slug latitude longitude } }
}"""


@pytest.fixture(scope="module")
def server(graphiql_assets: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(
        tmp_path_factory.mktemp("explore"), CRISISGRAPH_ASSETS_DIR=str(graphiql_assets)
    ) as base:
        yield base


def api(server: str, query: str, **variables: Any) -> dict[str, Any]:
    """What the API answers, asked directly: what the page must agree with."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        f"{server}/graphql", body, {"Content-Type": "application/json"}
    )
    with DIRECT.open(request, timeout=30) as response:
        result: dict[str, Any] = json.load(response)
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data


def events(server: str, **dates: str) -> list[dict[str, Any]]:
    found = api(server, EVENTS, **dates)["events"]
    assert not found["pageInfo"]["hasNextPage"]
    nodes: list[dict[str, Any]] = found["nodes"]
    return nodes


def located(server: str) -> set[str]:
    return {
        p["slug"]
        for p in api(server, PLACES)["places"]["nodes"]
        if p["latitude"] is not None and p["longitude"] is not None
    }


def places_of(server: str, shown: list[dict[str, Any]]) -> set[str]:
    return {p["slug"] for e in shown for p in e["places"]} & located(server)


def open_explorer(visit: Visit, server: str, query: str = "") -> Page:
    visit.page.goto(f"{server}/explore/mali{query}")
    visit.page.wait_for_selector("body[data-ready]", timeout=30_000)
    return visit.page


def drawn_events(page: Page) -> list[str]:
    slugs: list[str] = page.eval_on_selector_all(
        "#timeline [data-event-slug]", "items => items.map((item) => item.dataset.eventSlug)"
    )
    return slugs


def drawn_places(page: Page) -> set[str]:
    slugs: list[str] = page.eval_on_selector_all(
        "#map [data-place-slug]", "markers => markers.map((marker) => marker.dataset.placeSlug)"
    )
    return set(slugs)


def url_state(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def assert_stayed_local_and_clean(visit: Visit) -> None:
    assert visit.blocked == []
    assert all(stays_local(url) for url in visit.requests), visit.requests
    assert visit.violations() == []
    assert [line for line in visit.console if line.startswith(("error", "pageerror"))] == []


def test_every_event_and_every_located_place_is_drawn(
    server: str, visit: Visit, tmp_path: Path
) -> None:
    page = open_explorer(visit, server)
    every = events(server)

    drawn = drawn_events(page)
    assert len(drawn) == len(every) == 92
    assert set(drawn) == {e["slug"] for e in every}
    assert drawn_places(page) == located(server)
    assert len(drawn_places(page)) > 0

    # A day is a dot; a month-precision date is a span over its month, a year one over its
    # year, so that a month looks wider than a day and narrower than a year.
    def width(slug: str) -> float:
        box = page.locator(f"#timeline [data-event-slug='{slug}']").bounding_box()
        assert box is not None
        return box["width"]

    month = next(e for e in every if e["date"]["precision"] == "MONTH" and not e["endDate"])
    year = next(e for e in every if e["date"]["precision"] == "YEAR" and not e["endDate"])
    day = next(e for e in every if e["date"]["precision"] == "DAY" and not e["endDate"])
    item = page.locator(f"#timeline [data-event-slug='{month['slug']}']")
    assert item.get_attribute("class") == "event span precision-month"
    assert item.locator("rect").count() == 1
    assert page.locator(f"#timeline [data-event-slug='{day['slug']}'] circle").count() == 1
    assert width(day["slug"]) < width(month["slug"]) < width(year["slug"])

    page.locator("#timeline").screenshot(path=tmp_path / "timeline.png")
    page.locator("#map").screenshot(path=tmp_path / "map.png")
    assert (tmp_path / "timeline.png").stat().st_size > 0
    assert (tmp_path / "map.png").stat().st_size > 0
    assert_stayed_local_and_clean(visit)


def tick_x(page: Page, label: str) -> float:
    """The page x of the axis tick with this label."""
    box = page.locator("#timeline .axis .tick", has_text=label).first.locator("line").bounding_box()
    assert box is not None
    return box["x"]


def test_a_brush_over_january_2013_leaves_its_events_and_their_places(
    server: str, visit: Visit
) -> None:
    page = open_explorer(visit, server)
    # The default view runs from 2012 to 2015 with a tick each quarter: place the drag by
    # the ticks for 1 January and 1 April 2013, a little inside January (it snaps to months).
    january = tick_x(page, "2013")
    day = (_next_tick_x(page, january) - january) / 90  # 1 January to 1 April 2013
    strip = page.locator("#timeline .brush .overlay").bounding_box()
    assert strip is not None
    y = strip["y"] + strip["height"] / 2
    page.mouse.move(january + 3 * day, y)
    page.mouse.down()
    page.mouse.move(january + 15 * day, y, steps=5)
    page.mouse.move(january + 28 * day, y, steps=5)
    page.mouse.up()
    page.wait_for_function("() => new URL(location.href).searchParams.get('to')")

    assert url_state(page)["from"] == ["2013-01-01"]
    assert url_state(page)["to"] == ["2013-01-31"]
    january_events = events(server, **{"from": "2013-01-01", "to": "2013-01-31"})
    assert 0 < len(january_events) < 92
    assert set(drawn_events(page)) == {e["slug"] for e in january_events}
    assert drawn_places(page) == places_of(server, january_events)
    assert page.locator("#filters input[name=from]").input_value() == "2013-01-01"
    assert_stayed_local_and_clean(visit)


def _next_tick_x(page: Page, after: float) -> float:
    """The page x of the first axis tick right of `after`."""
    xs = [
        box["x"]
        for tick in page.locator("#timeline .axis .tick line").all()
        if (box := tick.bounding_box()) is not None and box["x"] > after + 1
    ]
    return min(xs)


def test_clicking_the_serval_launch_shows_its_quote_inside_its_passage(
    server: str, visit: Visit
) -> None:
    page = open_explorer(visit, server)
    page.locator(f"#timeline [data-event-slug='{SERVAL}']").click()
    page.wait_for_selector("#panel .evidence mark")

    expected = api(
        server,
        """query Serval($id: ID!) { node(id: $id) { ... on Event {
             title evidence { quote passage { text } } } } }""",
        id=_id_of(server, SERVAL),
    )["node"]
    assert page.locator("#panel h2").inner_text() == expected["title"]
    figures = page.locator("#panel .evidence")
    assert figures.count() == len(expected["evidence"]) > 0
    for i, evidence in enumerate(expected["evidence"]):
        figure = figures.nth(i)
        assert figure.locator("mark").inner_text() == evidence["quote"]
        assert figure.locator("blockquote").text_content() == evidence["passage"]["text"]
    assert url_state(page)["select"] == [f"event:{SERVAL}"]

    # The same record's query, opened in GraphiQL.
    href = page.locator("#panel a.graphiql").get_attribute("href")
    assert href is not None and href.startswith("/graphql#")
    linked = parse_qs(urlsplit(href).fragment)
    assert "query ExploreRecord" in linked["query"][0]
    assert json.loads(linked["variables"][0]) == {"id": _id_of(server, SERVAL)}
    assert_stayed_local_and_clean(visit)


def _id_of(server: str, slug: str) -> str:
    nodes = api(
        server, 'query Ids { events(filter: { crisis: "mali" }, first: 100) { nodes { id slug } } }'
    )["events"]["nodes"]
    return str(next(n["id"] for n in nodes if n["slug"] == slug))


def test_the_search_box_narrows_both_views(server: str, visit: Visit) -> None:
    page = open_explorer(visit, server)
    page.locator("#filters input[name=q]").fill("Kidal")
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('q') === 'Kidal'"
        " && document.querySelectorAll('#timeline [data-event-slug]').length < 92"
    )

    hits = api(
        server,
        """query Kidal {
          search(query: "Kidal", filter: { crisis: "mali", types: [EVENT, PLACE] }, first: 100) {
            edges { node { __typename ... on Event { slug } ... on Place { slug } } }
          }
        }""",
    )["search"]["edges"]
    matched = {(h["node"]["__typename"], h["node"]["slug"]) for h in hits}
    expected = [
        e
        for e in events(server)
        if ("Event", e["slug"]) in matched
        or any(("Place", p["slug"]) in matched for p in e["places"])
    ]
    assert 0 < len(expected) < 92
    assert set(drawn_events(page)) == {e["slug"] for e in expected}
    assert drawn_places(page) == places_of(server, expected)
    assert "kidal" in drawn_places(page)
    assert page.locator("#events mark", has_text="Kidal").count() > 0  # the highlights
    assert_stayed_local_and_clean(visit)


def test_the_csv_is_exactly_the_table_and_the_filtered_events(
    server: str, visit: Visit, tmp_path: Path
) -> None:
    page = open_explorer(visit, server, "?kinds=CAPTURE,OFFENSIVE&sort=-date")
    shown = drawn_events(page)
    assert 0 < len(shown) < 92
    with page.expect_download() as download:
        page.locator("#csv").click()
    path = tmp_path / "events.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))

    assert [row["slug"] for row in rows] == [
        tr.get_attribute("data-event-slug") for tr in page.locator("#events tbody tr").all()
    ]
    assert sorted(row["slug"] for row in rows) == sorted(shown)
    assert {row["kind"] for row in rows} == {"CAPTURE", "OFFENSIVE"}
    dates = [row["date"] for row in rows]
    assert dates == sorted(dates, reverse=True)
    first = page.locator("#events tbody tr").first
    assert [c.inner_text() for c in first.locator("td").all()] == list(rows[0].values())

    # The keyboard: down a row, Enter, and its record opens in the panel.
    first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel .evidence")
    assert url_state(page)["select"] == [f"event:{rows[1]['slug']}"]
    assert_stayed_local_and_clean(visit)


def test_without_assets_the_page_says_which_command_to_run(
    tmp_path_factory: pytest.TempPathFactory, visit: Visit
) -> None:
    workdir = tmp_path_factory.mktemp("bare")
    with live_server(workdir, CRISISGRAPH_ASSETS_DIR=str(workdir / "no-assets")) as base:
        visit.page.goto(f"{base}/explore/mali")
        notice = visit.page.locator("#missing")
        assert notice.is_visible()
        assert "python -m server assets" in notice.inner_text()
        assert "/explore/assets/" not in visit.page.content()
    assert_stayed_local_and_clean(visit)


def test_the_graphiql_link_runs_the_same_record_query(server: str, visit: Visit) -> None:
    page = open_explorer(visit, server, "?select=place:kidal")
    page.wait_for_selector("#panel a.graphiql")
    assert page.locator("#panel h2").inner_text() == "Kidal"
    href = page.locator("#panel a.graphiql").get_attribute("href")
    assert href is not None

    page.goto(f"{server}{href}")
    page.locator(".graphiql-execute-button").click()
    response = "document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()"
    page.wait_for_function(f"() => {response}.length > 0", timeout=30_000)
    result = json.loads(page.evaluate(response))
    assert "errors" not in result, result["errors"]
    assert result["data"]["node"]["slug"] == "kidal"
    assert_stayed_local_and_clean(visit)


def test_the_list_leads_to_a_crisis_and_one_actor_shows_its_relations(
    server: str, visit: Visit
) -> None:
    page = visit.page
    page.goto(f"{server}/explore")
    page.wait_for_selector("body[data-ready]")
    page.locator("#crises a", has_text="Crisis in Mali").click()
    page.wait_for_selector("body[data-ready]")
    assert urlsplit(page.url).path == "/explore/mali"

    page.locator("#filters select[name=actor]").select_option("mnla")
    mnla = api(server, 'query Id { actor(name: "MNLA") { id } }')["actor"]["id"]
    expected = api(
        server,
        """query Mnla($id: ID!) {
          relations(filter: { crisis: "mali", actor: $id }, first: 100) { nodes { slug } }
        }""",
        id=mnla,
    )["relations"]["nodes"]
    assert expected
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-relation-slug]').length === {len(expected)}"
    )
    drawn = page.eval_on_selector_all(
        "[data-relation-slug]", "bands => bands.map((band) => band.dataset.relationSlug)"
    )
    assert sorted(drawn) == sorted(r["slug"] for r in expected)
    assert url_state(page)["actor"] == ["mnla"]
    # The actor filter narrows the timeline to the events it took part in, as the API does.
    mnla_events = api(
        server,
        """query MnlaEvents($id: ID!) {
          events(filter: { crisis: "mali", actor: $id }, first: 100) { nodes { slug } }
        }""",
        id=mnla,
    )["events"]["nodes"]
    assert set(drawn_events(page)) == {e["slug"] for e in mnla_events}
    assert_stayed_local_and_clean(visit)
