"""The schema documents itself: every type and field has a description (GraphiQL shows them).

Built-in ``__`` introspection types are skipped; graphql-core's scalars (``String``,
``Int`` …) carry their own descriptions and are checked like the rest.
"""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType


def named_types(schema):
    return {name: t for name, t in schema._schema.type_map.items() if not name.startswith("__")}


def fields(schema):
    for name, graphql_type in sorted(named_types(schema).items()):
        if isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in graphql_type.fields.items():
                yield f"{name}.{field_name}", field


def test_the_schema_has_the_contract_types(schema):
    names = set(named_types(schema))
    assert {"Entity", "Company", "Chip", "Regulator", "Policy", "Person", "Relation", "Evidence", "Article",
            "Subgraph", "Path", "RelationConnection", "CompanyConnection", "PageInfo", "LangString",
            "Direction", "Query", "Mutation"} <= names
    assert isinstance(schema._schema.type_map["Entity"], GraphQLInterfaceType)


def test_every_type_has_a_description(schema):
    missing = sorted(name for name, t in named_types(schema).items() if not (t.description or "").strip())
    assert missing == []


def test_every_field_has_a_description(schema):
    checked = list(fields(schema))
    assert len(checked) > 150  # the walk reached the whole schema
    missing = [name for name, field in checked if not (field.description or "").strip()]
    assert missing == []


def test_descriptions_show_in_the_sdl(schema):
    sdl = schema.as_str()
    entity = sdl[:sdl.index("interface Entity {")]
    assert entity.rstrip().endswith('"""') and "Anything the graph knows about" in entity[-200:]
    assert '"""The sentence, copied verbatim from the source article."""\n  text: String!' in sdl


def test_every_argument_and_enum_value_has_a_description(schema):
    missing = [f"{name}({arg})" for name, field in fields(schema)
               for arg, argument in getattr(field, "args", {}).items()
               if not (argument.description or "").strip()]
    missing += [f"{name}.{value}" for name, t in named_types(schema).items() if isinstance(t, GraphQLEnumType)
                for value, definition in t.values.items() if not (definition.description or "").strip()]
    assert missing == []
