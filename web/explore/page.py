"""The explorer's routes: one HTML page for the list and for a crisis, its own scripts and
styles (static/), and the pinned third-party builds when they are installed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from string import Template

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from web import assets
from web.persisted import SavedOperations

HERE = Path(__file__).resolve().parent
PAGE = Template((HERE / "explore.html").read_text(encoding="utf-8"))
ASSETS_URL = "/explore/assets"
# Pinned in web/assets/package.json with GraphiQL; what the page loads from each package.
PACKAGES = {"d3": "7.9.0", "topojson-client": "3.1.0", "world-atlas": "2.0.2"}
REQUIRED = (
    "d3/dist/d3.min.js",
    "topojson-client/dist/topojson-client.min.js",
    "world-atlas/countries-50m.json",
)
# The saved operations (queries/) the page runs, by file name.
OPERATIONS = {
    "crises": "explore-crises.graphql",
    "events": "explore-events.graphql",
    "places": "explore-places.graphql",
    "record": "explore-record.graphql",
    "search": "explore-search.graphql",
    "relations": "explore-relations.graphql",
}
# Only this server: no other host, no inline script; d3 sets styles through the CSSOM,
# which a policy without 'unsafe-inline' allows.
POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    )
)


def installed(assets_dir: Path) -> bool:
    return all((assets.modules_dir(assets_dir) / item).is_file() for item in REQUIRED)


def operations(saved: SavedOperations) -> dict[str, dict[str, str]]:
    """The id (hash) and text of each operation the page runs that the server has, so the
    script never holds an id; the page names the files of any that are missing (another
    queries folder was configured)."""
    by_file = {op.file: op for op in saved}
    return {
        role: {"id": by_file[file].hash, "text": by_file[file].source}
        for role, file in OPERATIONS.items()
        if file in by_file
    }


def render_page(config: dict[str, object], ready: bool) -> str:
    # "</" cannot appear inside the JSON script element.
    embedded = json.dumps(config).replace("</", "<\\/")
    scripts = [item for item in REQUIRED if item.endswith(".js")]
    vendor = "".join(f'<script src="{ASSETS_URL}/{item}"></script>\n' for item in scripts)
    return PAGE.substitute(
        config=embedded, vendor=vendor if ready else "", missing="hidden" if ready else ""
    )


def explore_routes(
    assets_dir: Path,
    saved: SavedOperations,
    graphql: str = "/graphql",
    known: Callable[[str], bool] = lambda slug: True,
) -> list[BaseRoute]:
    """The explorer's routes; `known(slug)` says whether a crisis exists (else a 404 page,
    which a link checker and a citation both need to see)."""
    ready = installed(assets_dir)
    config: dict[str, object] = {
        "graphql": graphql,
        "operations": operations(saved),
        "files": OPERATIONS,
        "assets": ASSETS_URL if ready else None,
    }
    page = render_page(config, ready)

    async def explore(request: Request) -> HTMLResponse:
        crisis = request.path_params.get("crisis")
        status = 404 if crisis is not None and not known(crisis) else 200
        return HTMLResponse(page, status_code=status, headers={"Content-Security-Policy": POLICY})

    packages = [
        Mount(f"{ASSETS_URL}/{name}", StaticFiles(directory=assets.modules_dir(assets_dir) / name))
        for name in PACKAGES
        if ready
    ]
    return [
        *packages,
        Mount("/explore/static", StaticFiles(directory=HERE / "static")),
        Route("/explore", explore),
        Route("/explore/{crisis}", explore),
    ]
