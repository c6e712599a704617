"""What users read from the tools (`--help`, test skip reasons) names nothing they cannot
follow: no issue numbers, no files outside the repository, no one's brief."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INTERNAL = re.compile(
    r"\bissue\s*#?\d|\.\./shared|\bshared/|\bAPI\.md\b|\bSEARCH\.md\b|\bbrief\b", re.I
)
COMMANDS = ["data.__main__", "index.__main__", "schema.__main__", "bench.__main__", "server"]


@pytest.mark.parametrize("module", COMMANDS)
def test_help_names_nothing_internal(module: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        importlib.import_module(module).main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: ")
    assert INTERNAL.findall(text) == []


def skip_reasons() -> list[tuple[str, str]]:
    """(file, text) of every literal reason given to pytest.skip, skipif or importorskip."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr not in ("skip", "skipif", "importorskip"):
                continue
            values = [k.value for k in node.keywords if k.arg == "reason"]
            if node.func.attr == "skip":
                values += node.args[:1]
            for value in values:
                text = "".join(
                    part.value
                    for part in ast.walk(value)
                    if isinstance(part, ast.Constant) and isinstance(part.value, str)
                )
                found.append((str(path.relative_to(ROOT)), text))
    return found


def test_skip_reasons_name_nothing_internal() -> None:
    reasons = skip_reasons()
    assert len(reasons) >= 8  # the walk finds them
    assert [(f, r) for f, r in reasons if INTERNAL.search(r)] == []


def test_the_check_catches_what_it_is_for() -> None:
    for text in ("see issue 17", "../shared/API.md is missing", "the brief asks", "issue #6"):
        assert INTERNAL.search(text), text
    for text in ("the written API contract is not available", "tissue 17", "shared memory"):
        assert not INTERNAL.search(text), text
