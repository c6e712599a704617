"""CITATION.cff is valid Citation File Format 1.2.0 and agrees with the package, the store
and the README. The schema is the copy the check-jsonschema package ships: nothing is
downloaded."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from data.repository import Repository
from data.terms import terms_of

ROOT = Path(__file__).resolve().parents[1]
CFF = ROOT / "CITATION.cff"
SCHEMA = json.loads(
    files("check_jsonschema.builtin_schemas.vendor")
    .joinpath("citation-file-format.json")
    .read_text(encoding="utf-8")
)


def citation() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(CFF.read_text(encoding="utf-8"))
    return loaded


def problems(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(
        SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return [error.message for error in validator.iter_errors(document)]


def test_the_schema_is_the_cff_1_2_0_schema() -> None:
    assert SCHEMA["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    assert set(SCHEMA["required"]) == {"authors", "cff-version", "message", "title"}


def test_citation_cff_validates() -> None:
    assert problems(citation()) == []


@pytest.mark.parametrize(
    "breakage",
    [
        lambda c: c.pop("authors"),
        lambda c: c.update(license="CC-BY-4"),
        lambda c: c["references"][0].update(type="webpage"),
        lambda c: c.update(unknown_key=1),
    ],
)
def test_the_validation_catches_a_broken_citation(breakage: Any) -> None:
    broken = copy.deepcopy(citation())
    breakage(broken)
    assert problems(broken) != []


def test_the_documented_command_validates_it_too() -> None:
    """The command README.md gives: check-jsonschema with its built-in copy of the schema."""
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema",
         "vendor.citation-file-format", "CITATION.cff"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_it_agrees_with_the_package_the_store_and_the_readme(repo: Repository) -> None:
    cff = citation()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["version"] == project["version"]
    terms = terms_of(repo, "mali")
    assert cff["license"] == terms.licence.spdx_id
    [page] = cff["references"]
    assert page["url"] == terms.source_url
    assert page["publisher"]["name"] == terms.source_publisher
    assert page["title"] == terms.source_title
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert cff["title"] in " ".join(readme.replace("\n> ", " ").split())
