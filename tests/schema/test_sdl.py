"""The committed schema.graphql is the code's schema, to the byte."""

from __future__ import annotations

from schema.__main__ import DEFAULT_PATH, sdl


def test_committed_sdl_matches_the_code() -> None:
    committed = DEFAULT_PATH.read_text(encoding="utf-8")
    assert committed == sdl(), (
        "schema.graphql is out of date: run `python -m schema export` and commit the result"
    )
