"""The entity types come from the ontology: a class or property added to ``ontology.ttl``
shows up in the schema with no code change, with its comment as the description."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLInterfaceType, GraphQLObjectType

from chipkg import seed
from chipkg.schema import build_schema

EXTRA = """
ckg:Fab a owl:Class ;
    rdfs:subClassOf ckg:Entity ;
    rdfs:label "Fab"@en , "工場"@ja ;
    rdfs:comment "A semiconductor fabrication plant."@en .

ckg:Foundry a owl:Class ;
    rdfs:subClassOf ckg:Company ;
    rdfs:label "Foundry"@en , "ファウンドリ"@ja ;
    rdfs:comment "A company that makes chips designed by others."@en .

ckg:operates a owl:ObjectProperty ;
    rdfs:label "operates"@en , "運営する"@ja ;
    rdfs:comment "The company runs the fab."@en ;
    rdfs:domain ckg:Company ; rdfs:range ckg:Fab .

ckg:capacity a owl:DatatypeProperty ;
    rdfs:label "capacity"@en , "生産能力"@ja ;
    rdfs:comment "Wafers a month, as reported."@en ;
    rdfs:domain ckg:Fab ; rdfs:range xsd:string .
"""


def sdl_type(schema, name: str):
    return schema._schema.type_map.get(name)


def field_type(schema, type_name: str, field: str) -> str:
    return str(schema._schema.type_map[type_name].fields[field].type)


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    path: Path = tmp_path_factory.mktemp("ontology") / "ontology.ttl"
    path.write_text(seed.ONTOLOGY.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    return build_schema(ontology=path)


def test_a_new_class_and_property_need_no_code(schema, extended):
    assert sdl_type(schema, "Fab") is None
    fab = sdl_type(extended, "Fab")
    assert isinstance(fab, GraphQLObjectType) and fab.description == "A semiconductor fabrication plant."
    assert {i.name for i in fab.interfaces} == {"Entity"}
    assert field_type(extended, "Company", "operates") == "[Fab!]!"
    assert field_type(extended, "Company", "operatesConnection") == "FabConnection!"
    assert field_type(extended, "Fab", "operatesInverse") == "[Company!]!"
    assert field_type(extended, "Fab", "capacity") == "String"
    assert field_type(extended, "Query", "fabs") == "FabConnection!"
    assert "The company runs the fab." in extended._schema.type_map["Company"].fields["operates"].description


def test_a_new_subclass_makes_its_parent_an_interface(schema, extended):
    assert isinstance(sdl_type(schema, "Company"), GraphQLObjectType)
    company = sdl_type(extended, "Company")
    assert isinstance(company, GraphQLInterfaceType)
    foundry = sdl_type(extended, "Foundry")
    assert {i.name for i in foundry.interfaces} == {"Company", "Organization", "Entity"}
    assert {"products", "ceo", "operates", "makes"} <= set(foundry.fields)  # inherited
    assert isinstance(sdl_type(extended, "OtherCompany"), GraphQLObjectType)


@pytest.mark.parametrize(("type_name", "field", "expected"), [
    ("Company", "products", "[Product!]!"),
    ("Company", "ceo", "[Person!]!"),
    ("Company", "competitors", "[Organization!]!"),
    ("Chip", "maker", "Organization"),
    ("Chip", "madeBy", "[Organization!]!"),
    ("Organization", "makes", "[Product!]!"),
    ("Policy", "issuedBy", "[Regulator!]!"),
    ("Policy", "appliesTo", "[Entity!]!"),  # a union range: the common interface
    ("Regulator", "issuedByInverse", "[Policy!]!"),
    ("Quote", "speaker", "Person"),
    ("Quote", "about", "[Entity!]!"),  # no range
    ("Person", "ceoOf", "[Company!]!"),
    ("Query", "companies", "CompanyConnection!"),
    ("Query", "organizations", "OrganizationConnection!"),
    ("Query", "people", "PersonConnection!"),
    ("Query", "cities", "CityConnection!"),
])
def test_typed_fields_have_concrete_types(schema, type_name, field, expected):
    assert field_type(schema, type_name, field) == expected


def test_descriptions_are_the_ontology_comments(schema):
    types = schema._schema.type_map
    assert types["Chip"].description == "A semiconductor product, such as an AI accelerator."
    assert isinstance(types["Organization"], GraphQLInterfaceType)
    assert "The organization designs, makes or offers the product." in types["Organization"].fields["makes"].description


def test_fragments_on_a_superclass_match_its_subclasses(gql):
    data = gql('{ entity(id: "nvidia") { __typename ... on Organization { makes { __typename id } } } }')
    assert data["entity"] == {"__typename": "Company", "makes": [{"__typename": "Chip", "id": "h20"}]}


def test_inverse_of_gathers_both_properties(gql):
    data = gql('{ entity(id: "h20") { ... on Product { madeBy { id } makers { id } } } }')
    assert data["entity"] == {"madeBy": [{"id": "nvidia"}], "makers": [{"id": "nvidia"}]}


def test_a_fact_to_a_resource_without_class_has_the_resource_type(gql):
    data = gql('{ entity(id: "nvidia") { relations(first: 100) { nodes { target { __typename } } } } }')
    assert {n["target"]["__typename"] for n in data["entity"]["relations"]["nodes"]} <= {
        "Country", "Chip", "Company", "Regulator", "OtherOrganization", "Resource", "City"}


@pytest.mark.parametrize(("extra", "message"), [
    ('ckg:label a owl:ObjectProperty ; rdfs:comment "x"@en ; rdfs:domain ckg:Company ; rdfs:range ckg:Person .',
     "would hide the Entity fields"),
    ('ckg:Fact a owl:Class ; rdfs:subClassOf ckg:Entity ; rdfs:comment "A fact."@en .', "Query.facts"),
])
def test_an_ontology_term_that_would_shadow_a_field_is_refused(tmp_path, extra, message):
    path = tmp_path / "ontology.ttl"
    path.write_text(seed.ONTOLOGY.read_text(encoding="utf-8") + "\n" + extra + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        build_schema(ontology=path)
