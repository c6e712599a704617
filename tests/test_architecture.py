"""The import directions ARCHITECTURE.md draws, checked on the source so the map cannot drift.

An import counts wherever it runs (module level or inside a function); imports under
`if TYPE_CHECKING:` do not, since they never run.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What each package may import of the project, as ARCHITECTURE.md draws it.
ALLOWED = {
    "settings": set(),
    "data": {"settings"},
    "index": {"data", "settings"},
    "resolvers": {"index", "data", "settings"},
    "schema": {"resolvers", "data", "settings"},
    "web": {"data", "settings"},
    "server": {"web", "schema", "resolvers", "index", "data", "settings"},
}


def modules(package: str) -> Iterator[tuple[str, Path]]:
    if (ROOT / f"{package}.py").exists():
        yield package, ROOT / f"{package}.py"
        return
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(p for p in parts if p != "__init__"), path


def is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports(tree: ast.AST, *, top_level_only: bool = False) -> Iterator[str]:
    """The absolute module names imported, skipping TYPE_CHECKING blocks (and, if asked,
    function bodies, where an import runs only when the function is called)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and is_type_checking(node):
            yield from (m for n in node.orelse for m in imports(n, top_level_only=top_level_only))
            continue
        if top_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        else:
            yield from imports(node, top_level_only=top_level_only)


def test_packages_import_only_in_the_documented_direction() -> None:
    wrong = []
    for package, allowed in ALLOWED.items():
        for name, path in modules(package):
            for imported in imports(ast.parse(path.read_text(encoding="utf-8"))):
                target = imported.split(".")[0]
                if target in ALLOWED and target != package and target not in allowed:
                    wrong.append(f"{name} imports {imported}")
    assert wrong == [], "imports against ARCHITECTURE.md's direction:\n" + "\n".join(wrong)


def test_schema_modules_import_each_other_without_a_cycle() -> None:
    """Module-level imports among schema modules form a tree-like order; a type that needs
    one defined later refers to it with strawberry.lazy and imports it inside the field."""
    names = {name for name, _ in modules("schema")}
    graph = {
        name: {
            m
            for m in imports(ast.parse(path.read_text(encoding="utf-8")), top_level_only=True)
            if m in names and m != name and m != "schema"
        }
        for name, path in modules("schema")
    }
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name not in done:
            for imported in sorted(graph[name]):
                visit(imported, (*trail, name))
            done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_the_data_command_loads_neither_schema_nor_resolvers() -> None:
    """`python -m data validate` and `python -m index` need the store, not the API."""
    check = (
        "import sys, data.__main__, index.__main__, settings; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'schema', 'resolvers', 'web'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
