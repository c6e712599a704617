"""Bulk exports of the real Mali store: every type and format downloads, parses and
keeps its evidence; the HTTP route, the CLI and the docs agree with data/export.py."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from data.columns import QUOTE_SEPARATOR, join_list, split_list
from data.dates import PartialDate
from data.export import find_export, formats_for
from data.repository import Repository
from data.tables import RECORD_TYPES
from settings import DEFAULT_DATA_DIR
from tests.conftest import GraphQLClient
from web.exports import etag, export_routes

ROOT = Path(__file__).resolve().parents[2]
CRISIS = "mali"
CASES = [(t, f) for t in RECORD_TYPES for f in formats_for(t)]
CURATED = [t for t in RECORD_TYPES if t != "passages"]  # passages are the evidence itself
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
    "geojson": "application/geo+json",
}


@pytest.fixture(scope="module")
def exports(repo: Repository) -> Iterator[TestClient]:
    app = Starlette(routes=export_routes(lambda: repo))
    with TestClient(app) as client:
        yield client


def records(repo: Repository, type_name: str) -> tuple[Any, ...]:
    return RECORD_TYPES[type_name].records(repo, CRISIS)


def columns(type_name: str) -> list[str]:
    return [c.name for c in RECORD_TYPES[type_name].columns]


def download(client: TestClient, type_name: str, fmt: str) -> str:
    response = client.get(f"/export/{CRISIS}/{type_name}.{fmt}")
    assert response.status_code == 200, response.text
    return response.text


def parse(fmt: str, text: str) -> list[dict[str, Any]]:
    """Rows with the standard library only, as a researcher's script would."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    if fmt == "ndjson":
        return [json.loads(line) for line in text.splitlines()]
    features: list[dict[str, Any]] = json.loads(text)["features"]
    return features


def row_id(type_name: str, fmt: str, row: dict[str, Any]) -> str:
    if fmt == "geojson":
        return str(row["id"])
    return str(row["slug"])


# -- every type and format -----------------------------------------------------


@pytest.mark.parametrize(("type_name", "fmt"), CASES)
def test_every_export_downloads_and_parses_one_row_per_record(
    exports: TestClient, repo: Repository, type_name: str, fmt: str
) -> None:
    response = exports.get(f"/export/{CRISIS}/{type_name}.{fmt}")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA_TYPES[fmt]
    version = repo.histories[CRISIS].version
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="{CRISIS}-{type_name}-{version}.{fmt}"'
    )
    rows = parse(fmt, response.text)
    expected = records(repo, type_name)
    assert len(expected) > 0
    assert [row_id(type_name, fmt, r) for r in rows] == [r.id for r in expected]


def test_csv_filename_example_from_the_brief(exports: TestClient) -> None:
    response = exports.get("/export/mali/events.csv")
    assert response.headers["content-disposition"] == 'attachment; filename="mali-events-1.1.csv"'
    assert response.headers["x-crisisgraph-version"] == "1.1"


def test_row_counts_equal_what_the_graphql_api_reports(
    gql: GraphQLClient, exports: TestClient, repo: Repository
) -> None:
    data = gql.data(
        """
        query ExportCounts($crisis: String!) {
          actors(filter: {crisis: $crisis}) { totalCount }
          events(filter: {crisis: $crisis}) { totalCount }
          places(filter: {crisis: $crisis}) { totalCount }
          documents(filter: {crisis: $crisis}) { totalCount }
          figures(filter: {crisis: $crisis}) { totalCount }
          passages(filter: {crisis: $crisis}) { totalCount }
          resolutions(filter: {crisis: $crisis}) { totalCount }
          relations(filter: {crisis: $crisis}) { totalCount }
        }
        """,
        {"crisis": CRISIS},
    )
    reported = {name: connection["totalCount"] for name, connection in data.items()}
    assert set(reported) == set(RECORD_TYPES)
    for fmt in ("csv", "ndjson"):
        exported = {name: len(parse(fmt, download(exports, name, fmt))) for name in reported}
        assert exported == reported, fmt


SLUGS = """
query Slugs($crisis: String!, $after: String) {
  page: %s(filter: {crisis: $crisis}, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { slug }
  }
}
"""


@pytest.mark.parametrize(("type_name", "fmt"), CASES)
def test_every_export_has_the_api_slugs_in_the_api_order(
    gql: GraphQLClient, exports: TestClient, type_name: str, fmt: str
) -> None:
    """Exports and the API join on (crisis, slug), and list records in the same order."""
    slugs: list[str] = []
    after = None
    while True:
        page = gql.data(SLUGS % type_name, {"crisis": CRISIS, "after": after})["page"]
        slugs += [node["slug"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    rows = parse(fmt, download(exports, type_name, fmt))
    if fmt == "geojson":
        rows = [feature["properties"] for feature in rows]
    assert [row["slug"] for row in rows] == slugs
    assert len(slugs) > 1


# (type, date column) for every partial date of every table.
DATE_COLUMNS = [
    (type_name, column.name.removesuffix("_precision"))
    for type_name in RECORD_TYPES
    for column in RECORD_TYPES[type_name].columns
    if column.name.endswith("_precision")
]


@pytest.mark.parametrize(("type_name", "column"), DATE_COLUMNS)
@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_every_partial_date_has_its_first_and_last_day(
    exports: TestClient, type_name: str, column: str, fmt: str
) -> None:
    rows = parse(fmt, download(exports, type_name, fmt))
    seen = set()
    for row in rows:
        date, first, last = row[column], row[f"{column}_start"], row[f"{column}_end"]
        if not date:
            assert not first and not last, row
            continue
        partial = PartialDate.parse(date)
        seen.add(partial.precision)
        assert (first, last) == (partial.first_day.isoformat(), partial.last_day.isoformat())
        assert dt.date.fromisoformat(first) <= dt.date.fromisoformat(last)
    assert seen  # the column holds dates, not only empty cells


def test_date_ranges_read_as_documented(exports: TestClient) -> None:
    events = {row["slug"]: row for row in parse("csv", download(exports, "events", "csv"))}
    assert [events["independence-1960"][c] for c in ("date", "date_start", "date_end")] == [
        "1960",
        "1960-01-01",
        "1960-12-31",
    ]
    assert [events["coup-2012"][c] for c in ("date_start", "date_end", "end_date_start")] == [
        "2012-03-22",
        "2012-03-22",
        "",
    ]
    by_month = [row for row in events.values() if row["date_precision"] == "MONTH"]
    assert by_month
    for row in by_month:
        year, month = map(int, row["date"].split("-"))
        assert row["date_start"] == f"{row['date']}-01"
        assert row["date_end"] == f"{row['date']}-{calendar.monthrange(year, month)[1]:02d}"


def test_pandas_reads_every_date_start_and_end_as_a_date(exports: TestClient) -> None:
    pd = pytest.importorskip("pandas")
    for type_name, column in DATE_COLUMNS:
        frame = pd.read_csv(io.StringIO(download(exports, type_name, "csv")), dtype=str)
        for name in (f"{column}_start", f"{column}_end"):
            given = frame[name].dropna()
            parsed = pd.to_datetime(given, format="%Y-%m-%d")
            assert parsed.notna().all(), (type_name, name)


@pytest.mark.parametrize("type_name", list(RECORD_TYPES))
def test_csv_header_is_the_documented_column_list(exports: TestClient, type_name: str) -> None:
    text = download(exports, type_name, "csv")
    assert next(csv.reader(io.StringIO(text, newline=""))) == columns(type_name)
    assert text.endswith("\r\n")  # RFC 4180 line ends


@pytest.mark.parametrize("type_name", list(RECORD_TYPES))
def test_pandas_reads_every_csv(exports: TestClient, repo: Repository, type_name: str) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(
        io.StringIO(download(exports, type_name, "csv")), dtype=str, keep_default_na=False
    )
    assert list(frame.columns) == columns(type_name)
    assert len(frame) == len(records(repo, type_name))


@pytest.mark.parametrize("type_name", list(RECORD_TYPES))
def test_ndjson_keys_follow_the_columns_with_evidence_nested(
    exports: TestClient, type_name: str
) -> None:
    expected = [c for c in columns(type_name) if c != "evidence_quotes"]
    expected = ["evidence" if c == "evidence_passages" else c for c in expected]
    for obj in parse("ndjson", download(exports, type_name, "ndjson")):
        assert list(obj) == expected


# -- provenance ----------------------------------------------------------------


@pytest.mark.parametrize("type_name", CURATED)
def test_csv_evidence_quotes_are_in_their_passages(
    exports: TestClient, repo: Repository, type_name: str
) -> None:
    for row in parse("csv", download(exports, type_name, "csv")):
        passages = split_list(row["evidence_passages"])
        quotes = split_list(row["evidence_quotes"], QUOTE_SEPARATOR)
        assert passages, row
        assert len(passages) == len(quotes), row
        for passage_id, quote in zip(passages, quotes, strict=True):
            assert quote in repo.passage_of(CRISIS, passage_id).text, (passage_id, quote)


@pytest.mark.parametrize("type_name", CURATED)
def test_ndjson_evidence_has_passage_quote_and_offsets(
    exports: TestClient, repo: Repository, type_name: str
) -> None:
    for obj in parse("ndjson", download(exports, type_name, "ndjson")):
        items = obj["evidence"] + [e for role in obj.get("roles", []) for e in role["evidence"]]
        assert obj["evidence"], obj
        for item in items:
            assert set(item) == {"passage", "quote", "start", "end"}
            text = repo.passage_of(CRISIS, item["passage"]).text
            assert text[item["start"] : item["end"]] == item["quote"]


def test_passages_export_locates_each_passage_in_its_source(
    exports: TestClient, repo: Repository
) -> None:
    source = repo.crisis_by_slug[CRISIS].source
    file = repo.documents[(CRISIS, source)].file
    assert file is not None
    page = (DEFAULT_DATA_DIR / CRISIS / "sources" / file).read_text("utf-8")
    for row in parse("ndjson", download(exports, "passages", "ndjson")):
        assert row["source"] == source
        assert page[row["source_start"] : row["source_end"]] == row["text"]


# -- flattening rules ----------------------------------------------------------


def csv_row(client: TestClient, type_name: str, key: str) -> dict[str, Any]:
    rows = parse("csv", download(client, type_name, "csv"))
    return next(r for r in rows if r["slug"] == key)


def test_event_row_flattens_participants_dates_and_evidence(exports: TestClient) -> None:
    row = csv_row(exports, "events", "coup-2012")
    assert row["participants"] == (
        "cnrdre:PERPETRATOR;amadou-sanogo:PERPETRATOR;"
        "amadou-toumani-toure:TARGET;government-of-mali:TARGET"
    )
    assert (row["date"], row["date_precision"], row["end_date"]) == ("2012-03-22", "DAY", "")
    assert row["places"] == "bamako"
    assert row["evidence_passages"] == "mali-p04;mali-p04;mali-p01;mali-p06"
    assert split_list(row["evidence_quotes"], QUOTE_SEPARATOR)[0] == (
        "staged a successful coup on 22 March 2012"
    )


def test_actor_roles_read_title_of_start_end(exports: TestClient) -> None:
    assert csv_row(exports, "actors", "dioncounda-traore")["roles"] == (
        "interim president:mali:2012:2013"  # ends with the transition (Mali 1.1)
    )
    roles = csv_row(exports, "actors", "ibrahim-boubacar-keita")["roles"]
    parts = [item.rsplit(":", 3) for item in split_list(roles)]
    assert parts == [["president", "mali", "2013", ""], ["prime minister", "mali", "", ""]]


def test_scalars_render_as_documented(exports: TestClient) -> None:
    place = csv_row(exports, "places", "timbuktu")
    assert (place["latitude"], place["longitude"]) == ("16.77348", "-3.00742")
    assert csv_row(exports, "places", "sahel")["latitude"] == ""
    assert csv_row(exports, "resolutions", "2085")["unanimous"] == "true"
    figure = csv_row(exports, "figures", "displaced-2012-ocha")
    assert (figure["value"], figure["subject"]) == ("284000", "event:displacement-2012")


@pytest.mark.parametrize(
    "items",
    [
        [],
        ["MNLA"],
        ["a;b", "c"],
        ["back\\slash", "end\\", "\\;"],
        ["x | y", "pipe|", "semi;colon"],
        ["trailing space ", " leading"],
    ],
)
@pytest.mark.parametrize("separator", [";", QUOTE_SEPARATOR])
def test_list_cells_round_trip(items: list[str], separator: str) -> None:
    assert split_list(join_list(items, separator), separator) == items


# -- GeoJSON -------------------------------------------------------------------


def assert_position(position: Any) -> None:
    assert isinstance(position, list)
    assert len(position) == 2
    lon, lat = position
    assert isinstance(lon, float | int)
    assert isinstance(lat, float | int)
    assert -180 <= lon <= 180
    assert -90 <= lat <= 90


def assert_feature_collection(collection: Any) -> list[dict[str, Any]]:
    """The structure RFC 7946 requires of what these exports contain."""
    assert collection["type"] == "FeatureCollection"
    features: list[dict[str, Any]] = collection["features"]
    assert isinstance(features, list)
    for feature in features:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], str | int)
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]  # a member even when null (RFC 7946, 3.2)
        if geometry is None:
            continue
        assert set(geometry) == {"type", "coordinates"}
        if geometry["type"] == "Point":
            assert_position(geometry["coordinates"])
        else:
            assert geometry["type"] == "MultiPoint"
            assert len(geometry["coordinates"]) > 1
            for position in geometry["coordinates"]:
                assert_position(position)
    return features


def geojson(client: TestClient, type_name: str) -> list[dict[str, Any]]:
    return assert_feature_collection(json.loads(download(client, type_name, "geojson")))


def test_places_geojson_is_points_at_longitude_latitude(
    exports: TestClient, repo: Repository
) -> None:
    features = {f["id"]: f for f in geojson(exports, "places")}
    for place in records(repo, "places"):
        feature = features[place.id]
        if place.latitude is None:
            assert feature["geometry"] is None
        else:
            assert feature["geometry"] == {
                "type": "Point",
                "coordinates": [place.longitude, place.latitude],
            }
        assert feature["properties"]["name"] == place.name
    assert features["timbuktu"]["geometry"]["coordinates"] == [-3.00742, 16.77348]
    assert features["sahel"]["geometry"] is None


def test_events_geojson_locates_each_event_at_its_places(
    exports: TestClient, repo: Repository
) -> None:
    features = {f["id"]: f for f in geojson(exports, "events")}
    kinds = set()
    for event in records(repo, "events"):
        positions = {
            (place.longitude, place.latitude)
            for place in (repo.places[(CRISIS, slug)] for slug in event.places)
            if place.latitude is not None
        }
        geometry = features[event.id]["geometry"]
        kinds.add(geometry["type"] if geometry else None)
        if not positions:
            assert geometry is None
        elif geometry["type"] == "Point":
            assert positions == {tuple(geometry["coordinates"])}
        else:
            assert positions == {tuple(p) for p in geometry["coordinates"]}
        properties = features[event.id]["properties"]
        assert list(properties) == columns("events")
        assert properties["evidence_passages"]
    assert kinds >= {"Point", "MultiPoint"}
    assert features["coup-2012"]["geometry"] == {
        "type": "Point",
        "coordinates": [-7.97522, 12.60915],
    }


# -- HTTP caching and errors ---------------------------------------------------


def test_etag_is_strong_and_answers_304(exports: TestClient) -> None:
    first = exports.get("/export/mali/events.csv")
    tag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', tag)
    assert exports.get("/export/mali/events.csv").headers["etag"] == tag
    assert exports.get("/export/mali/events.ndjson").headers["etag"] != tag
    assert exports.get("/export/mali/places.csv").headers["etag"] != tag

    for header in (tag, f'"other", {tag}', f"W/{tag}", "*"):
        cached = exports.get("/export/mali/events.csv", headers={"If-None-Match": header})
        assert cached.status_code == 304, header
        assert cached.content == b""
        assert cached.headers["etag"] == tag

    stale = exports.get("/export/mali/events.csv", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200
    assert stale.text == first.text


def test_etag_follows_the_store_digest(repo: Repository) -> None:
    path = f"{CRISIS}/events.csv"
    assert etag(repo.digest, path) != etag("another-digest", path) != etag(repo.digest, "x")


def test_head_sends_the_headers_only(exports: TestClient) -> None:
    response = exports.head("/export/mali/places.geojson")
    assert response.status_code == 200
    assert response.content == b""
    assert "content-length" not in response.headers
    assert response.headers["content-type"] == "application/geo+json"
    assert (
        response.headers["content-disposition"] == 'attachment; filename="mali-places-1.1.geojson"'
    )


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("/export/narnia/events.csv", "exports exist for mali"),
        ("/export/mali/evnts.csv", "actors, places, events, relations"),
        ("/export/mali/events.xlsx", "events.csv or events.ndjson or events.geojson"),
        ("/export/mali/actors.geojson", "actors.csv or actors.ndjson"),
        ("/export/mali/events", "events.csv"),
    ],
)
def test_unknown_exports_are_404_saying_what_exists(
    exports: TestClient, path: str, hint: str
) -> None:
    response = exports.get(path)
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-store"
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert hint in error["message"]


def test_503_while_the_store_is_loading() -> None:
    with TestClient(Starlette(routes=export_routes(lambda: None))) as client:
        response = client.get("/export/mali/events.csv")
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "STORE_LOADING"
    assert response.headers["retry-after"]


def test_writers_stream_record_by_record(repo: Repository) -> None:
    chunks = find_export(repo, CRISIS, "events", "csv").chunks()
    assert next(chunks) == ",".join(columns("events")) + "\r\n"
    assert next(chunks).startswith("mali,")


# -- the command line ----------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "data", "export", "--data-dir", str(DEFAULT_DATA_DIR)]
    return subprocess.run([*command, *args], cwd=ROOT, capture_output=True, timeout=120)


def test_cli_writes_the_same_bytes_as_the_route(exports: TestClient) -> None:
    result = run_cli("--crisis", "mali", "--type", "events", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout == exports.get("/export/mali/events.csv").content


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("--crisis", "narnia", "--type", "events", "--format", "csv"), b"mali"),
        (("--crisis", "mali", "--type", "evnts", "--format", "csv"), b"invalid choice"),
        (("--crisis", "mali", "--type", "actors", "--format", "geojson"), b"actors.csv"),
    ],
)
def test_cli_rejects_unknown_exports_with_status_2(args: tuple[str, ...], hint: bytes) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stdout == b""
    assert hint in result.stderr


# -- the documentation ---------------------------------------------------------


def documented_columns() -> dict[str, list[str]]:
    """The column tables of the export docs, by type (in the README once folded in)."""
    readme = ROOT / "README.md"
    text = readme.read_text("utf-8") if readme.exists() else ""
    if "| `evidence_quotes` |" in text:
        text = text[text.index("Bulk exports") :]
    else:
        text = (ROOT / "web" / "EXPORTS.md").read_text("utf-8")
    tables: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if heading := re.fullmatch(r"#+ (\w+)", line):
            name = heading.group(1)
            current = tables.setdefault(name, []) if name in RECORD_TYPES else None
        elif current is not None and (cell := re.match(r"\| `(\w+)` \|", line)):
            current.append(cell.group(1))
    return tables


def test_docs_list_every_column_in_order() -> None:
    assert documented_columns() == {name: columns(name) for name in RECORD_TYPES}


def test_the_readme_lists_every_column_in_order() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    rows = dict(re.findall(r"^\| (\w+) \| (crisis, [\w, ]+) \|$", text, re.MULTILINE))
    assert {name: cells.split(", ") for name, cells in rows.items()} == {
        name: columns(name) for name in RECORD_TYPES
    }
