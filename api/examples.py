"""The example GraphQL queries the home page and GraphiQL offer (a test runs each one)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    query: str


EXAMPLES: tuple[Example, ...] = (
    Example("regulators-on-nvidia", "Which regulators acted on Nvidia, and on what evidence?", """\
{
  entity(id: "nvidia") {
    label
    relations(direction: INCOMING, predicate: ["summoned"]) {
      edges { node { predicate source { id label types } evidence { paragraph text } } }
    }
  }
}
"""),
    Example("cac-to-jensen-huang", "How is the Cyberspace Administration of China connected to Jensen Huang?", """\
{
  paths(from: "cyberspace-administration-of-china", to: "jensen-huang", maxLength: 3) {
    length
    nodes { id label }
    edges { predicate sourceId targetId }
  }
}
"""),
    Example("search-ja", "Search labels and aliases in Japanese (エヌビディア, 中国 ...)", """\
{
  search(text: "中国", first: 10) { id label(lang: "ja") types }
}
"""),
    Example("h20-neighbourhood", "The H20's neighbourhood, as nodes, edges and Turtle", """\
{
  neighborhood(id: "h20", depth: 1) {
    nodes { id label }
    edges { predicate sourceId targetId }
  }
}
"""),
    Example("h20-in-japanese", "The H20 in Japanese, its maker and the policies about it", """\
{
  entity(id: "h20") {
    label(lang: "ja")
    ... on Chip { maker { id } policies { id label } }
  }
}
"""),
)

__all__ = ["EXAMPLES", "Example"]
