"""Load a bulk export into pandas: one GET, no GraphQL, no notebook.

    python examples/load_export.py [SERVER] [--crisis mali] [--type events]

SERVER defaults to http://127.0.0.1:8000. Prints the table's size, its first rows and, when
it has dates, how many records fall in each year. Needs `pip install -e '.[examples]'`.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error

import pandas as pd


def load_export(server: str, crisis: str, kind: str) -> pd.DataFrame:
    """The export `GET /export/{crisis}/{kind}.csv` as a DataFrame of text columns."""
    # Text, not numbers: dates are partial ("2012", "2012-03") and ids are labels. An empty
    # cell ("not given") stays "" rather than NaN.
    return pd.read_csv(
        f"{server.rstrip('/')}/export/{crisis}/{kind}.csv", dtype=str, keep_default_na=False
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("server", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--crisis", default="mali", help="which crisis (default: mali)")
    parser.add_argument("--type", default="events", help="which records (default: events)")
    args = parser.parse_args(argv)

    try:
        frame = load_export(args.server, args.crisis, args.type)
    except urllib.error.HTTPError as error:  # 404: no such crisis or type (the body says which)
        print(f"load_export.py: {error.url} answered {error.code} {error.reason}", file=sys.stderr)
        return 1
    except urllib.error.URLError as error:
        problem = f"cannot reach {args.server} ({error.reason}); is the server running?"
        print(f"load_export.py: {problem}", file=sys.stderr)
        return 1
    print(f"{len(frame)} {args.type}, {len(frame.columns)} columns: {', '.join(frame.columns)}")
    print(frame.iloc[:5, :6].to_string(max_colwidth=40))  # a glimpse: five rows, six columns
    if "date" in frame.columns:
        per_year = frame["date"].str[:4].value_counts().sort_index()
        print("per year:", ", ".join(f"{year}: {n}" for year, n in per_year.items()))
    if "participants" in frame.columns:
        # `actor_slug:ROLE;...`: slugs and roles never contain ";" or ":", so plain splits do.
        items = frame["participants"].str.split(";").explode()
        actors = items[items != ""].str.split(":").str[0]
        print("most involved:", ", ".join(actors.value_counts().head(5).index))
    return 0


if __name__ == "__main__":
    sys.exit(main())
