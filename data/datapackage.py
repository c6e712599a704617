"""A crisis's exports described as a Frictionless Tabular Data Package (`datapackage.json`).

The licence and the credit line travel beside the data rather than inside it: a comment
line in a CSV breaks `pandas.read_csv`, and an extra line in NDJSON is a bogus row for
`read_json(lines=True)`. The Data Package is the sidecar that data tools already read
(Frictionless's libraries for Python and R among them): it names the licence
with its SPDX id, the source page, and each CSV with its columns and their types, so a
tool can load the tables typed and know on what terms it may reuse them.
Spec: https://specs.frictionlessdata.io/data-package/ (v1).
"""

from __future__ import annotations

from typing import Any

from data.columns import RecordType
from data.export import MEDIA_TYPES
from data.repository import Repository
from data.tables import RECORD_TYPES
from data.terms import CURATORS, terms_of

FILENAME = "datapackage.json"


def describe(repo: Repository, crisis: str) -> dict[str, Any]:
    """The descriptor of one crisis's CSV exports. Resource paths are relative (`events.csv`):
    beside the descriptor at /export/{crisis}/, or in a folder where the CSVs were saved
    under those names."""
    rec = repo.crisis_by_slug[crisis]
    terms = terms_of(repo, crisis)
    return {
        "profile": "tabular-data-package",
        "name": f"crisisgraph-{crisis}",
        # The release described (data/releases.py), as the spec's `version` property.
        **({"version": version} if (version := repo.histories[crisis].version) else {}),
        "title": f"{rec.name}: crisisgraph records",
        "description": rec.summary,
        "licenses": [
            {
                "name": terms.licence.spdx_id,
                "path": terms.licence.url,
                "title": terms.licence.name,
            }
        ],
        "contributors": [{"title": CURATORS, "role": "author"}],
        "sources": [
            {
                "title": f'"{terms.source_title}", {terms.source_publisher or "publisher unknown"}',
                **({"path": terms.source_url} if terms.source_url else {}),
            }
        ],
        # Not in the spec, which allows further properties: the exact words to credit.
        "attribution": terms.attribution,
        "source_rights": terms.source_rights,
        "resources": [_resource(kind) for kind in RECORD_TYPES.values()],
    }


def _resource(kind: RecordType[Any]) -> dict[str, Any]:
    return {
        "name": kind.name,
        "path": f"{kind.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": MEDIA_TYPES["csv"].split(";")[0],
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.doc} for c in kind.columns
            ],
            "primaryKey": ["crisis", kind.key],
            "missingValues": [""],
        },
    }
