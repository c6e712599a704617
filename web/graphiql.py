"""The GraphiQL page: our own HTML, the tour query as its default tab, and GraphiQL and
React loaded from a local folder when installed (`python -m server assets`), else a CDN."""

from __future__ import annotations

import json
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
CDN = "https://unpkg.com"
# Pinned versions: the CDN paths and the local install must agree.
ASSET_VERSIONS = {"react": "18.3.1", "react-dom": "18.3.1", "graphiql": "3.8.3"}

TOUR = (HERE / "tour.graphql").read_text(encoding="utf-8")
SCRIPT = (HERE / "graphiql.js").read_text(encoding="utf-8")


PAGE = Template((HERE / "graphiql.html").read_text(encoding="utf-8"))


def asset_bases(local: str | None) -> dict[str, str]:
    """Base URL of each package's build: under `local` when installed, else the CDN."""
    if local is not None:
        return {name: f"{local}/{name}" for name in ASSET_VERSIONS}
    return {name: f"{CDN}/{name}@{version}" for name, version in ASSET_VERSIONS.items()}


def page_policy(local: str | None) -> str:
    """The page's Content-Security-Policy: only what it loads, from where it loads it."""
    origin = "'self'" if local is not None else f"'self' {CDN}"
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src {origin}",
            f"style-src {origin} 'unsafe-inline'",  # GraphiQL sets inline styles
            f"font-src {origin} data:",
            "img-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )


def render_page(bases: dict[str, str], self_base: str, examples: list[str]) -> str:
    """The page; `examples` are saved operations offered as tabs after the tour."""
    # "</" cannot appear inside the JSON script element.
    tour = json.dumps({"query": TOUR, "examples": examples}).replace("</", "<\\/")
    return PAGE.substitute(
        react=bases["react"],
        reactdom=bases["react-dom"],
        graphiql=bases["graphiql"],
        tour=tour,
        self=self_base,
    )
