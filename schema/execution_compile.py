"""The fast executor's code generation: one Python function per shape of operation tree.

Each step of a plan (schema.execution_plan) becomes a few statements: plain leaves are read
and stored inline; an object or a list of objects of an exact Strawberry class, read from
an attribute or returned by a simple resolver, is completed inline too, its own selection
set's steps nested in the same function (a whole page of events, its dates, participants
and places, is one function); everything else calls the same methods execute_fields' loop
would. Inlining stops at MAX_INLINED steps per function: past it a nested selection set
gets a function of its own (large documents, fragments spread many times over).

The values a list will complete are counted, and the deadline read, once per list
(`self.count`), not once per object. Generated once per shape and kept in a cache bounded
by entries and by lines of code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from graphql import GraphQLEnumType, GraphQLFloat, GraphQLInt, GraphQLObjectType
from graphql.pyutils import Path

from schema.execution_plan import (
    CAST,
    LEAF,
    LINK,
    MAX_INT,
    MIN_INT,
    MISSING,
    OBJECT,
    PLAIN,
    STANDARD,
    TYPENAME,
    Step,
    enum_names,
)


class Selection(NamedTuple):
    """A selection set's plan for one request: its steps, and for each step whose value is
    completed inline (`inlined[i]` its class), the plan of its own selection set."""

    parent_type: GraphQLObjectType
    steps: list[Step]
    inlined: list[type | None]
    children: list[Selection | None]


# Compiled operation trees, by their shape: the parent type, and per step its response
# name, kind, field, attribute, shape and resolver, and its child's shape. All of these live
# as long as the schema; the value keeps them, so their ids cannot be reused while an entry
# exists.
_COMPILED: dict[tuple[Any, ...], tuple[Any, Callable[..., None]]] = {}
MAX_COMPILED = 4096
# And by the lines of code they hold (code objects of a few hundred bytes each): distinct
# documents of 250 fields each would otherwise keep hundreds of megabytes compiled.
MAX_COMPILED_LINES = 50_000  # about 16 MB, measured at some 330 bytes a line
MAX_INLINED = 400  # steps compiled into one function, nested selection sets included
_lines = 0


def compiled_lines() -> int:
    """Lines of generated code the cache holds."""
    return _lines


def shape_key(selection: Selection) -> tuple[Any, ...]:
    return (
        id(selection.parent_type),
        *(
            (s[0], s[2], id(s[3]), s[4], id(s[5]), id(s[6]), child and shape_key(child))
            for s, child in zip(selection.steps, selection.children, strict=True)
        ),
    )


def flat_steps(selection: Selection) -> Iterator[Step]:
    """Every step of the tree in the order the generated code numbers them."""
    for step, child in zip(selection.steps, selection.children, strict=True):
        yield step
        if child is not None:
            yield from flat_steps(child)


def compiled(selection: Selection) -> Callable[..., None]:
    """A function `run(self, source, path, S, results)` doing, for this tree of steps, what
    execute_fields' loop would do (`self` the execution context, `S` the tree's steps in
    `flat_steps` order)."""
    global _lines
    key = shape_key(selection)
    cached = _COMPILED.get(key)
    if cached is not None:
        return cached[1]
    generator = _Generator()
    body = generator.selection(selection, 0, 1, "path")
    lines = [
        "def run(self, source, path, S, results):",
        "    s0, r0, n = source, results, 0",
        *generator.prologue,
        *body,
        "    self.bytes += n",
    ]
    exec(
        compile("\n".join(lines), f"<selection on {selection.parent_type.name}>", "exec"),
        generator.namespace,
    )
    function: Callable[..., None] = generator.namespace["run"]
    if len(_COMPILED) >= MAX_COMPILED or _lines + len(lines) > MAX_COMPILED_LINES:
        _COMPILED.clear()
        _lines = 0
    _COMPILED[key] = (key, function)
    _lines += len(lines)
    return function


class _Generator:
    """Writes the statements of a tree of steps. Names in the generated code: `s<d>` and
    `r<d>` are the source and the results of the object at depth d, `i<d>` the index in
    the list at depth d; `F<j>`, `SH<j>`, `R<j>`, `PT<j>` and `TN<j>` the field, shape,
    resolver, parent type and its name of the j-th step. Paths are not built as the code
    runs: each object's path is an expression (of `path` and the indexes) evaluated only
    where a helper, an Info or an error needs it."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {
            "_MISSING": MISSING,
            "Path": Path,
            "_FAILED": FAILED,
            "_CAST": CAST,
        }
        self.next = 0
        self.prologue: list[str] = []  # statements the function starts with

    def selection(self, selection: Selection, depth: int, indent: int, path: str) -> list[str]:
        # At least what json_size_over counts for the object, beyond its strings (counted
        # as stored) and its objects and lists (which count themselves): braces, keys and
        # their quotes, colons and commas, and four bytes for each value.
        least = 2 + sum(len(step[0]) + 8 for step in selection.steps)
        least += len(selection.parent_type.name) * sum(s[2] == TYPENAME for s in selection.steps)
        lines: list[str] = ["    " * indent + f"n += {least}"]
        for step, cls, child in zip(
            selection.steps, selection.inlined, selection.children, strict=True
        ):
            j = self.next
            self.next += 1
            self.namespace.update(
                {
                    f"F{j}": step[3],
                    f"SH{j}": step[5],
                    f"R{j}": step[6],
                    f"PT{j}": selection.parent_type,
                    f"TN{j}": selection.parent_type.name,
                }
            )
            if child is not None and cls is not None:
                body = self._inlined(j, step, cls, child, depth, path)
            else:
                body = self._step(j, step, depth, path)
            lines += _indented(body, indent)
        return lines

    def _step(self, j: int, step: Step, d: int, p: str) -> list[str]:
        name, _, kind, _, attribute, shape, _ = step
        k, a = repr(name), repr(attribute)
        s, r = f"s{d}", f"r{d}"
        slow = f"self._slow_leaf(PT{j}, {s}, {p}, S[{j}], v, {r})"
        if kind == TYPENAME:
            return [f"{r}[{k}] = TN{j}"]
        if kind == STANDARD:
            return [
                f"self._store({k}, self.execute_field(PT{j}, {s}, S[{j}][1], "
                f"Path({p}, {k}, TN{j}), None), {r})"
            ]
        if kind != LEAF:
            return [
                f"{r}[{k}] = self._execute(PT{j}, {s}, S[{j}][1], F{j}, {a}, SH{j}, R{j}, "
                f"Path({p}, {k}, TN{j}))"
            ]
        assert shape is not None
        read = f"v = getattr({s}, {a}, _MISSING)"
        null = [f"elif v is None: {r}[{k}] = None"] if shape.nullable else []
        named = shape.named
        wrapped = getattr(named, "wrapped_cls", None)
        if shape.identity is not None:
            self.namespace[f"I{j}"] = shape.identity
            test = f"type(v) is I{j}"
        elif named is GraphQLInt:
            test = f"type(v) is int and {MIN_INT} <= v <= {MAX_INT}"
        elif named is GraphQLFloat:
            test = "type(v) is float and v - v == 0.0"  # finite: not inf, not nan
        elif isinstance(named, GraphQLEnumType) and isinstance(wrapped, type):
            self.namespace.update({f"C{j}": wrapped, f"E{j}": enum_names(named)})
            return [
                read,
                f"if type(v) is C{j} and (e := E{j}.get(id(v), _MISSING)) is not _MISSING:",
                f"    {r}[{k}] = e",
                "    n += len(e)",
                *null,
                f"else: {slow}",
            ]
        else:
            return [read, slow]
        stored = f"{r}[{k}] = v; n += len(v)" if shape.identity is str else f"{r}[{k}] = v"
        return [read, f"if {test}: {stored}", *null, f"else: {slow}"]

    def _inlined(
        self, j: int, step: Step, cls: type, child: Selection, d: int, p: str
    ) -> list[str]:
        """An object or a list of objects of class `cls`, from an attribute, a link or a
        resolver, with the child's steps at depth d + 1. Anything unexpected (None for a
        non-null type, another class, a rejected `is_type_of`) goes to the helpers before
        anything of the field has been recorded, as in schema.execution."""
        name, _, kind, _, attribute, shape, resolver = step
        assert shape is not None
        k, a = repr(name), repr(attribute)
        s, r = f"s{d}", f"r{d}"
        cs, cr = f"s{d + 1}", f"r{d + 1}"
        here = f"Path({p}, {k}, TN{j})"  # the field's path
        self.namespace.update({f"O{j}": cls, f"ITO{j}": shape.named.is_type_of})
        values = len(child.steps)  # what execute_fields counts per object
        if kind == PLAIN:
            head = [f"v = getattr({s}, {a}, _MISSING)"]
            slow = (
                f"{r}[{k}] = self._execute(PT{j}, {s}, S[{j}][1], F{j}, {a}, SH{j}, R{j}, {here})"
            )
        else:
            slow = f"{r}[{k}] = self._finish(PT{j}, S[{j}], {here}, v)"
            if kind == LINK:  # a read of the store's links, without an Info
                assert resolver is not None
                self.namespace[f"LF{j}"] = resolver.link
                # What the link gave for this object before, kept with the store's links.
                self.prologue.append(f"    m{j} = self.links.derived.setdefault(LF{j}, {{}})")
                head = [
                    f"e = m{j}.get(id({s}))",
                    f"if e is not None and e[0] is {s}: v = e[1]",
                    "else:",
                    "    try:",
                    f"        v = LF{j}(self.links, {s})",
                    f"        self._remember(m{j}, {s}, v)",
                    "    except Exception as error:",
                    f"        self.handle_field_error(error, F{j}.type, S[{j}][1], {here})",
                    "        v = _FAILED",
                ]
            else:  # a simple resolver, called once
                head = [f"v = self._resolve(PT{j}, {s}, S[{j}], {here})"]
        # The cases before the common one: a resolver that failed, a null.
        cases = [] if kind == PLAIN else [f"v is _FAILED: {r}[{k}] = None"]
        if shape.nullable:
            cases.append(f"v is None: {r}[{k}] = None")
        check = shape.named.is_type_of
        if shape.kind == OBJECT:
            other = f"type(v) is not O{j}" + (
                f" or (getattr(v, _CAST, None) is not None and not ITO{j}(v, None))"
                if check is not None
                else ""
            )
            cases.append(f"{other}: {slow}")
            return [
                *head,
                *_chain(cases),
                "else:",
                "    try:",
                f"        self.values += {values}",
                "        if self.values > self.limit: self.count(0)",
                f"        {cs}, {cr} = v, {{}}",
                *self.selection(child, d + 1, 2, here),
                f"        {r}[{k}] = {cr}",
                "    except Exception as error:",
                f"        self.handle_field_error(error, F{j}.type, S[{j}][1], {here})",
                f"        {r}[{k}] = None",
            ]
        # A list of objects: every item checked before any is completed.
        self.namespace[f"IT{j}"] = shape.item_type
        item = f"Path({here}, i{d}, None)"
        bad = f"type(x) is not O{j}" + (
            f" or (getattr(x, _CAST, None) is not None and not ITO{j}(x, None))"
            if check is not None
            else ""
        )
        if shape.item_nullable:
            bad = f"x is not None and ({bad})"
        cases.append(f"not ok: {slow}")
        skip_none = [
            f"        if {cs} is None:",
            f"            o{d}.append(None)",
            "            continue",
        ]
        return [
            *head,
            "ok = type(v) is list or type(v) is tuple",
            "if ok:",
            "    for x in v:",
            f"        if {bad}:",
            "            ok = False",
            "            break",
            *_chain(cases),
            "else:",
            "    try:",
            f"        self.count(len(v) * {values})",
            "        n += 2 + 5 * len(v)",
            f"        o{d} = []",
            f"        for i{d}, {cs} in enumerate(v):",
            *(skip_none if shape.item_nullable else []),
            "            try:",
            f"                {cr} = {{}}",
            *self.selection(child, d + 1, 4, item),
            "            except Exception as error:",
            f"                self.handle_field_error(error, IT{j}, S[{j}][1], {item})",
            f"                {cr} = None",
            f"            o{d}.append({cr})",
            f"        {r}[{k}] = o{d}",
            "    except Exception as error:",
            f"        self.handle_field_error(error, F{j}.type, S[{j}][1], {here})",
            f"        {r}[{k}] = None",
        ]


def _chain(cases: list[str]) -> list[str]:
    """`if a: x`, `elif b: y`, ... for cases written "condition: statement"."""
    return [("if " if i == 0 else "elif ") + case for i, case in enumerate(cases)]


FAILED = object()  # a resolver raised: its error is recorded, the field is null


def _indented(lines: list[str], indent: int) -> list[str]:
    pad = "    " * indent
    return [pad + line for line in lines]
