"""The schema documents itself, and keeps every name the published contract gives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graphql import introspection_from_schema, parse, print_ast
from graphql.language import (
    DefinitionNode,
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    UnionTypeDefinitionNode,
)

from schema import build_schema

ROOT = Path(__file__).resolve().parents[2]
API_MD = ROOT.parent / "shared" / "API.md"
BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}
# What API.md writes for each kind of definition, as introspection names it.
KINDS = {
    ObjectTypeDefinitionNode: "OBJECT",
    InterfaceTypeDefinitionNode: "INTERFACE",
    InputObjectTypeDefinitionNode: "INPUT_OBJECT",
    EnumTypeDefinitionNode: "ENUM",
    UnionTypeDefinitionNode: "UNION",
}


def introspected() -> dict[str, dict[str, Any]]:
    types = introspection_from_schema(build_schema()._schema)["__schema"]["types"]
    return {t["name"]: dict(t) for t in types}


TYPES = introspected()


def undocumented() -> Iterator[str]:
    for name, t in TYPES.items():
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        if not (t["description"] or "").strip():
            yield name
        for field in t["fields"] or []:
            if not (field["description"] or "").strip():
                yield f"{name}.{field['name']}"
            for arg in field["args"]:
                if not (arg["description"] or "").strip():
                    yield f"{name}.{field['name']}({arg['name']}:)"
        for field in t["inputFields"] or []:
            if not (field["description"] or "").strip():
                yield f"{name}.{field['name']}"
        for value in t["enumValues"] or []:
            if not (value["description"] or "").strip():
                yield f"{name}.{value['name']}"


def test_every_schema_element_has_a_description() -> None:
    assert list(undocumented()) == []


def test_the_description_check_sees_every_kind_of_element() -> None:
    """Guard against a vacuous pass: the walk above reaches each kind of element."""
    assert {"OBJECT", "INTERFACE", "INPUT_OBJECT", "ENUM"} <= {t["kind"] for t in TYPES.values()}
    query = TYPES["Query"]
    assert any(field["args"] for field in query["fields"])
    assert TYPES["EventFilter"]["inputFields"]
    assert TYPES["ActorKind"]["enumValues"]


# -- the contract of API.md ------------------------------------------------------------


def contract() -> list[DefinitionNode]:
    blocks = re.findall(r"```graphql\n(.*?)```", API_MD.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 3
    return [d for block in blocks for d in parse(block).definitions]


def contract_names() -> Iterator[tuple[str, str, str | None]]:
    """(element, what API.md says it is, its type as API.md writes it) for every name."""
    for definition in contract():
        assert isinstance(definition, tuple(KINDS)), definition
        name = definition.name.value  # type: ignore[attr-defined]
        yield name, KINDS[type(definition)], None
        for interface in getattr(definition, "interfaces", None) or []:
            yield f"{name} implements {interface.name.value}", "implements", None
        for field in getattr(definition, "fields", None) or []:
            yield f"{name}.{field.name.value}", "field", print_ast(field.type)
            for arg in getattr(field, "arguments", None) or []:
                yield f"{name}.{field.name.value}({arg.name.value}:)", "arg", print_ast(arg.type)
        for value in getattr(definition, "values", None) or []:
            yield f"{name}.{value.name.value}", "value", None
        for member in getattr(definition, "types", None) or []:
            yield f"{name} = {member.name.value}", "member", None
    yield from commented_enum_values()


def commented_enum_values() -> Iterator[tuple[str, str, str | None]]:
    """Enum values API.md lists in comments: `kind: ActorKind!  # PERSON, ARMED_GROUP, ...`
    and `# RelationKind includes at least ALLIANCE, MEMBER_OF, ...`."""
    text = API_MD.read_text(encoding="utf-8")
    found = re.findall(r"\w+: (\w+)!?\s+#([^\n]*)", text)
    found += re.findall(r"#\s*(\w+) includes at least ([^\n]*)", text)
    for enum, comment in found:
        if enum not in BUILT_IN_SCALARS:
            for value in re.findall(r"\b[A-Z][A-Z_]+\b", comment):
                yield f"{enum}.{value}", "value", None


def type_string(ref: dict[str, Any]) -> str:
    if ref["kind"] == "NON_NULL":
        return type_string(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return f"[{type_string(ref['ofType'])}]"
    return str(ref["name"])


def find(element: str, what: str) -> str | None:
    """The schema's type string for a field or argument, "" for other elements; None if
    the schema does not have it."""
    if what in ("implements", "member"):
        name, _, other = element.replace(" implements ", " = ").partition(" = ")
        key = "interfaces" if what == "implements" else "possibleTypes"
        related = {t["name"] for t in TYPES.get(name, {}).get(key) or []}
        return "" if other in related else None
    if what in KINDS.values():
        return "" if TYPES.get(element, {}).get("kind") == what else None
    owner, _, rest = element.partition(".")
    t = TYPES.get(owner, {})
    if what == "value":
        return "" if rest in {v["name"] for v in t.get("enumValues") or []} else None
    field_name, _, arg = rest.partition("(")
    fields = {f["name"]: f for f in (t.get("fields") or t.get("inputFields") or [])}
    field = fields.get(field_name)
    if field is None:
        return None
    if what == "field":
        return type_string(field["type"])
    args = {a["name"]: a for a in field["args"]}
    found = args.get(arg.removesuffix(":)"))
    return type_string(found["type"]) if found else None


@pytest.mark.skipif(
    not API_MD.is_file(), reason="the written API contract is not available in this checkout"
)
def test_every_name_of_the_contract_exists_with_its_type() -> None:
    wrong = []
    for element, what, written in contract_names():
        got = find(element, what)
        if got is None:
            wrong.append(f"{element}: missing")
        elif written is not None and got != written:
            wrong.append(f"{element}: {got} where API.md has {written}")
    assert wrong == []
    names = [element for element, _, _ in contract_names()]
    for sample in (
        "Query.events(orderBy:)",
        "EventFilter.from",
        "ActorKind.PERSON",
        "RelationKind.SPLINTER_OF",
        "FigureQualifier.UP_TO",
        "DatePrecision.DAY",
        "Actor implements Node",
        "Query.search(filter:)",
        "SearchResult = Figure",
    ):
        assert sample in names  # the contract was read, not skipped


def test_every_connection_has_the_relay_shape() -> None:
    connections = [name for name in TYPES if name.endswith("Connection")]
    assert len(connections) >= 7
    for name in connections:
        fields = {f["name"] for f in TYPES[name]["fields"]}
        assert {"edges", "pageInfo", "totalCount"} <= fields, name
        if name != "SearchConnection":
            assert "nodes" in fields, name
        edge = TYPES[name.removesuffix("Connection") + "Edge"]
        assert {"cursor", "node"} <= {f["name"] for f in edge["fields"]}, name


# -- one shape (contract version 2) ----------------------------------------------------


def connection_fields() -> Iterator[tuple[str, dict[str, Any]]]:
    """(owner, field) for every field that returns a connection."""
    for name, t in TYPES.items():
        for field in t["fields"] or []:
            named = field["type"]
            while named["ofType"]:
                named = named["ofType"]
            if named["name"].endswith("Connection"):
                yield name, field


def test_every_connection_pages_both_ways() -> None:
    fields = list(connection_fields())
    assert len(fields) >= 12
    for owner, field in fields:
        args = {a["name"]: type_string(a["type"]) for a in field["args"]}
        assert {"first": "Int", "after": "String", "last": "Int", "before": "String"}.items() <= (
            args.items()
        ), f"{owner}.{field['name']}"


def test_every_root_list_is_nullable_and_filtered_by_crisis() -> None:
    roots = [field for owner, field in connection_fields() if owner == "Query"]
    assert len(roots) == 10
    for field in roots:
        assert field["type"]["kind"] != "NON_NULL", field["name"]
        if field["name"] == "changes":  # a change feed is one crisis's: it is a required argument
            args = {a["name"]: type_string(a["type"]) for a in field["args"]}
            assert args["crisis"] == "String!"
            continue
        [given] = [a for a in field["args"] if a["name"] == "filter"]
        filter_type = TYPES[given["type"]["name"]]
        assert "crisis" in {f["name"] for f in filter_type["inputFields"]}, field["name"]


def test_every_record_type_is_a_node_with_a_slug() -> None:
    nodes = {t["name"] for t in TYPES["Node"]["possibleTypes"]}
    assert nodes == {
        "Crisis",
        "Actor",
        "Place",
        "Event",
        "Relation",
        "Resolution",
        "Document",
        "Figure",
        "Passage",
    }
    for name in nodes:
        fields = {f["name"]: type_string(f["type"]) for f in TYPES[name]["fields"]}
        assert fields["slug"] == "String!", name


README = ROOT / "README.md"


def plain_lists() -> set[str]:
    """Every field returning a list of objects, but a connection's own `edges` and `nodes`."""
    found = set()
    for name, t in TYPES.items():
        if name.startswith("__"):
            continue
        for field in t["fields"] or []:
            if name.endswith("Connection") and field["name"] in ("edges", "nodes"):
                continue
            ref = field["type"]
            listed = False
            while ref["ofType"]:
                listed = listed or ref["kind"] == "LIST"
                ref = ref["ofType"]
            if listed and ref["kind"] in ("OBJECT", "INTERFACE", "UNION"):
                found.add(f"{name}.{field['name']}")
    return found


def test_the_readme_names_every_plain_list_and_why() -> None:
    text = README.read_text("utf-8")
    section = text[text.index("Small lists stay plain lists") :]
    section = section[: section.index("\n- ")]  # to the next bullet
    named = set(re.findall(r"`(\w+\.\w+)`", section))
    assert named == plain_lists()
