"""The fast executor's code generation: one Python function per shape of selection set.

Each step of a plan (schema.execution_plan) becomes a few statements: plain leaves are read
and stored inline; objects of an exact Strawberry class are completed inline; everything
else calls the same methods execute_fields' loop would. Generated once per shape of
selection set and kept in a cache bounded by entries and by lines of code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLEnumType, GraphQLFloat, GraphQLInt, GraphQLObjectType
from graphql.pyutils import Path

from schema.execution_plan import (
    LEAF,
    MAX_INT,
    MIN_INT,
    MISSING,
    OBJECT,
    PLAIN,
    STANDARD,
    TYPENAME,
    Step,
    enum_names,
    origin,
)

# Compiled selection sets, by their shape: (parent type, and per step its response name,
# kind, field, attribute, shape and resolver). All of these live as long as the schema;
# the value keeps them, so their ids cannot be reused while an entry exists.
_COMPILED: dict[tuple[Any, ...], tuple[Any, Callable[..., None]]] = {}
MAX_COMPILED = 4096
# And by the lines of code they hold (code objects of a few hundred bytes each): distinct
# documents of 250 fields each would otherwise keep hundreds of megabytes compiled.
MAX_COMPILED_LINES = 50_000  # about 16 MB, measured at some 330 bytes a line
_lines = 0


def compiled_lines() -> int:
    """Lines of generated code the cache holds."""
    return _lines


def compiled(parent_type: GraphQLObjectType, steps: list[Step]) -> Callable[..., None]:
    """A function `run(self, source, path, S, results)` doing, for these steps, what
    execute_fields' loop would do (`self` the execution context, `S` the steps)."""
    global _lines
    key = (id(parent_type), *((s[0], s[2], id(s[3]), s[4], id(s[5]), id(s[6])) for s in steps))
    cached = _COMPILED.get(key)
    if cached is not None:
        return cached[1]
    namespace: dict[str, Any] = {
        "_MISSING": MISSING,
        "Path": Path,
        "PT": parent_type,
        "TN": parent_type.name,
    }
    lines = ["def run(self, source, path, S, results):"]
    for i, step in enumerate(steps):
        lines += _step_lines(i, step, namespace)
    if len(lines) == 1:
        lines.append("    pass")
    exec(compile("\n".join(lines), f"<selection on {parent_type.name}>", "exec"), namespace)
    function: Callable[..., None] = namespace["run"]
    if len(_COMPILED) >= MAX_COMPILED or _lines + len(lines) > MAX_COMPILED_LINES:
        _COMPILED.clear()
        _lines = 0
    _COMPILED[key] = (key, function)
    _lines += len(lines)
    return function


def _step_lines(i: int, step: Step, namespace: dict[str, Any]) -> list[str]:
    name, _, kind, field, attribute, shape, resolver = step
    namespace.update({f"F{i}": field, f"SH{i}": shape, f"R{i}": resolver})
    k, a = repr(name), repr(attribute)
    slow = f"self._slow_leaf(PT, source, path, S[{i}], v, results)"
    if kind == TYPENAME:
        return [f"    results[{k}] = TN"]
    if kind == STANDARD:
        return [
            f"    self._store({k}, self.execute_field(PT, source, S[{i}][1], "
            f"Path(path, {k}, TN), None), results)"
        ]
    if kind == LEAF:
        assert shape is not None
        read = f"    v = getattr(source, {a}, _MISSING)"
        named = shape.named
        wrapped = getattr(named, "wrapped_cls", None)
        if shape.identity is not None:
            namespace[f"I{i}"] = shape.identity
            test = f"type(v) is I{i}"
        elif named is GraphQLInt:
            test = f"type(v) is int and {MIN_INT} <= v <= {MAX_INT}"
        elif named is GraphQLFloat:
            test = "type(v) is float and v - v == 0.0"  # finite: not inf, not nan
        elif isinstance(named, GraphQLEnumType) and isinstance(wrapped, type):
            namespace.update({f"C{i}": wrapped, f"E{i}": enum_names(named)})
            return [
                read,
                f"    if type(v) is C{i} and (n := E{i}.get(v, _MISSING)) is not _MISSING:",
                f"        results[{k}] = n",
                f"    else: {slow}",
            ]
        else:
            return [read, f"    {slow}"]
        return [read, f"    if {test}: results[{k}] = v", f"    else: {slow}"]
    execute = f"self._execute(PT, source, S[{i}][1], F{i}, {a}, SH{i}, R{i}, Path(path, {k}, TN))"
    cls = origin(shape.named) if shape is not None and shape.kind == OBJECT else None
    if kind != PLAIN or cls is None:
        return [f"    results[{k}] = {execute}"]
    assert shape is not None
    namespace.update({f"O{i}": cls, f"T{i}": shape.named, f"ITO{i}": shape.named.is_type_of})
    lines = [f"    v = getattr(source, {a}, _MISSING)"]
    exact = f"type(v) is O{i} and (ITO{i} is None or ITO{i}(v, None))"
    if shape.nullable:
        lines += [f"    if v is None: results[{k}] = None", f"    elif {exact}:"]
    else:
        lines.append(f"    if {exact}:")
    return [
        *lines,
        f"        p = Path(path, {k}, TN)",
        "        try:",
        f"            results[{k}] = self._sub_object(T{i}, S[{i}][1], p, v)",
        "        except Exception as error:",
        f"            self.handle_field_error(error, F{i}.type, S[{i}][1], p)",
        f"            results[{k}] = None",
        "    else:",
        f"        results[{k}] = {execute}",
    ]
