"""Fixtures for the search index: a tiny two-crisis store, and the real Mali one."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.loader import StoreError
from data.repository import Repository
from index.lifecycle import ensure_index
from index.search import SearchIndex
from settings import DEFAULT_DATA_DIR

FIXTURE_STORE = Path(__file__).resolve().parent.parent / "fixtures" / "store"


@pytest.fixture(scope="session")
def small_repo() -> Repository:
    return Repository.load(FIXTURE_STORE)


@pytest.fixture(scope="session")
def small_index(small_repo: Repository, tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return ensure_index(small_repo, tmp_path_factory.mktemp("small") / "index")


@pytest.fixture(scope="session")
def mali_repo() -> Repository:
    try:
        return Repository.load(DEFAULT_DATA_DIR)
    except StoreError as error:
        pytest.skip(f"the Mali store does not validate yet ({len(error.problems)} problems)")


@pytest.fixture(scope="session")
def mali_index(mali_repo: Repository, tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return ensure_index(mali_repo, tmp_path_factory.mktemp("mali") / "index")
