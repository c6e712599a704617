"""Every command the documentation shows runs as written in a fresh clone, after the top
README's first command (which makes `.venv`): programs are called from the virtual
environment by path, never a bare `python`, `pytest` or `pip` that only an activated
environment would find. Blocks that are not commands say what they are (json, text, ...)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [
    "README.md",
    "data/README.md",
    "data/CORRECTIONS.md",
    "examples/README.md",
    "index/README.md",
    "web/EXPORTS.md",
    "web/README.md",
    "ARCHITECTURE.md",
    "bench/RESULTS.md",
]
SHELLS = {"sh", "bash", "console", "shell"}
# What a command line may start with: the venv's programs, making the venv, activating
# it, or curl against the running server.
ALLOWED = re.compile(r"(\.venv/bin/\S+|python3 -m venv \.venv|source \.venv/bin/activate|curl)\b")
BARE = re.compile(r"^(python3?|pytest|pip3?|uvicorn|check-jsonschema)\s")


def fences(text: str) -> list[tuple[str, list[str]]]:
    """(language, lines) of every fenced block, indented ones (in lists) included."""
    found: list[tuple[str, list[str]]] = []
    language: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        fence = re.match(r"\s*```(\w*)\s*$", line)
        if fence and language is None:
            language, lines = fence.group(1), []
        elif fence and language is not None:
            found.append((language, lines))
            language = None
        elif language is not None:
            lines.append(line.strip())
    assert language is None, "an unclosed fence"
    return found


def commands(lines: list[str]) -> list[str]:
    """The commands of a shell block: continued lines joined, comments dropped, `a && b`
    split."""
    found: list[str] = []
    for line in "\n".join(lines).replace("\\\n", " ").splitlines():
        code = re.sub(r"\s+#.*$", "", line).strip()
        if code and not code.startswith("#"):
            found.extend(part.strip() for part in code.split("&&"))
    return found


def bare(code: str) -> bool:
    """A command only an activated environment would find (making the venv is fine)."""
    return bool(BARE.match(code)) and not code.startswith("python3 -m venv")


def inline_code(text: str) -> list[str]:
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    return re.findall(r"`([^`\n]+)`", prose)


@pytest.mark.parametrize("doc", DOCS)
def test_every_block_says_what_it_is(doc: str) -> None:
    blocks = fences((ROOT / doc).read_text(encoding="utf-8"))
    assert [lines[:1] for language, lines in blocks if not language] == []


@pytest.mark.parametrize("doc", DOCS)
def test_every_command_runs_from_the_venv(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    shown = [c for language, lines in fences(text) if language in SHELLS for c in commands(lines)]
    assert [c for c in shown if not ALLOWED.match(c)] == []
    assert [code for code in inline_code(text) if bare(code)] == []


def test_the_docs_show_commands_at_all() -> None:
    """Guards the two checks above against passing on nothing."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = [c for lang, lines in fences(readme) if lang in SHELLS for c in commands(lines)]
    assert len(shown) >= 10
    assert ".venv/bin/python -m data validate" in shown
    assert not ALLOWED.match("python -m data validate")
    assert bare("pytest -q") and bare("python -m bench") and bare("pip install -e .")
    assert not bare("python3 -m venv .venv") and not bare(".venv/bin/python -m bench")
    assert inline_code("run `python -m index build` now") == ["python -m index build"]
