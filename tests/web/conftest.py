"""Apps built with the settings a test needs (a queries folder, an assets folder)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import make_settings
from web import assets

OpenApp = Callable[..., TestClient]


@pytest.fixture
def open_app(tmp_path: Path) -> Iterator[OpenApp]:
    """open_app(**settings) -> a client of a new app, its lifespan run until the test ends."""
    from server import create_app

    with ExitStack() as stack:

        def open_(**overrides: Any) -> TestClient:
            overrides.setdefault("assets_dir", tmp_path / "no-assets")
            app = create_app(make_settings(tmp_path, **overrides))
            return stack.enter_context(TestClient(app))

        yield open_


@pytest.fixture
def fake_assets(tmp_path: Path) -> Path:
    """An assets folder with every file the page loads, as if `python -m server assets` ran;
    each holds a line that names it, which is all the server needs to serve it."""
    folder = tmp_path / "assets"
    for item in assets.REQUIRED:
        path = assets.modules_dir(folder) / item
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {item} */\n", encoding="utf-8")
    return folder
