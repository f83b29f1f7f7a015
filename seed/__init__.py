"""The seed data shipped with chipkg: the ontology, the SHACL shapes and the articles.

This package holds files, not logic; the graph layer loads them. Paths come from
``importlib.resources`` so an installed wheel finds them as well as a checkout does.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_HERE = files(__name__)

ONTOLOGY: Path = Path(str(_HERE / "ontology.ttl"))
SHAPES: Path = Path(str(_HERE / "shapes.ttl"))


def article_graphs() -> list[Path]:
    """Every article's Turtle file, in a stable order."""
    return sorted(Path(str(_HERE)).glob("*-article.ttl"))


def article_text(file_name: str) -> str:
    """The source text an article's evidence is copied from (``ckg:sourceFile``)."""
    path = Path(str(_HERE / file_name))
    if path.parent != Path(str(_HERE)) or not path.is_file():
        raise FileNotFoundError(f"no article text named {file_name!r} ships with chipkg")
    return path.read_text(encoding="utf-8")


__all__ = ["ONTOLOGY", "SHAPES", "article_graphs", "article_text"]
