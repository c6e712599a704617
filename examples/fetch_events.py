"""Page through every event of a crisis with cursors and write them as CSV.

    python examples/fetch_events.py [ENDPOINT] [--output events.csv] [--crisis mali]

ENDPOINT defaults to http://127.0.0.1:8000/graphql; the CSV goes to standard output unless
--output names a file. Needs `pip install -e '.[examples]'` (gql with its httpx transport).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from gql import Client, GraphQLRequest, gql
from gql.client import SyncClientSession
from gql.transport.exceptions import TransportConnectionFailed, TransportError
from gql.transport.httpx import HTTPXTransport

EVENTS = gql(
    """
    query Events($crisis: String!, $first: Int!, $after: String) {
      events(filter: { crisis: $crisis }, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          date { iso }
          endDate { iso }
          kind
          title
          places { name }
          participants { role actor { name } }
          evidence { quote }
        }
      }
    }
    """
)
COLUMNS = ["id", "date", "end_date", "kind", "title", "places", "participants", "evidence_quotes"]


def fetch_events(
    session: SyncClientSession, crisis: str, page_size: int
) -> Iterator[dict[str, Any]]:
    """Every event, oldest first, one request per page: `after` is the last page's end."""
    after: str | None = None
    while True:
        request = GraphQLRequest(
            EVENTS, variable_values={"crisis": crisis, "first": page_size, "after": after}
        )
        page = session.execute(request)["events"]
        yield from page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def row(event: dict[str, Any]) -> dict[str, str]:
    """One CSV row: places and participants (`name:ROLE`) are joined with ';', the quotes
    that evidence the event with ' | '."""
    return {
        "id": event["id"],
        "date": event["date"]["iso"],
        "end_date": (event["endDate"] or {}).get("iso", ""),
        "kind": event["kind"],
        "title": event["title"],
        "places": ";".join(place["name"] for place in event["places"]),
        "participants": ";".join(
            f"{p['actor']['name']}:{p['role']}" for p in event["participants"]
        ),
        "evidence_quotes": " | ".join(item["quote"] for item in event["evidence"]),
    }


def write_csv(events: Iterator[dict[str, Any]], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(row(event))
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("endpoint", nargs="?", default="http://127.0.0.1:8000/graphql")
    parser.add_argument("--output", "-o", help="CSV file to write (default: standard output)")
    parser.add_argument("--crisis", default="mali", help="which crisis (default: mali)")
    parser.add_argument("--page-size", type=int, default=100, help="events per request, 1-100")
    args = parser.parse_args(argv)

    try:
        # The schema is not fetched: the server validates the query, and it saves a request.
        with Client(transport=HTTPXTransport(url=args.endpoint, timeout=30)) as session:
            events = fetch_events(session, args.crisis, args.page_size)
            # The first request, before anything is written: an unreachable server leaves
            # no half-written CSV behind.
            first = next(events, None)
            events = itertools.chain([] if first is None else [first], events)
            if args.output is None:
                count = write_csv(events, sys.stdout)
            else:
                with Path(args.output).open("w", newline="", encoding="utf-8") as out:
                    count = write_csv(events, out)
    except TransportConnectionFailed as error:
        problem = f"cannot reach {args.endpoint} ({error}); is the server running?"
        print(f"fetch_events.py: {problem}", file=sys.stderr)
        return 1
    except TransportError as error:  # an HTTP error, or errors[] in the answer
        print(f"fetch_events.py: {args.endpoint} answered with an error: {error}", file=sys.stderr)
        return 1
    print(f"{count} events from {args.endpoint}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
