"""Lone surrogates: text that is a Python ``str`` but not Unicode, refused where it enters.

JSON may escape a lone surrogate (``"\\ud800"``) and Python's decoder accepts it, but no
store, RDF literal or UTF-8 response can hold one: a label carrying it reached pyoxigraph
and failed there as an internal error. Every string a request brings (the document, each
variable, each key) passes through here before anything else, so no resolver and no
graph call ever sees one. The GraphQL escape ``"\\ud800"`` inside a document never gets
this far: graphql-core's lexer refuses it as a syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError

from ..graph import InvalidInput

_SURROGATE = re.compile("[\ud800-\udfff]")


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON-like value, with where it is (``$input.aliases[0].value``)."""
    stack = [(value, where)]
    while stack:  # explicit, so a deeply nested value cannot exhaust the recursion limit
        item, at = stack.pop()
        if isinstance(item, str):
            yield item, at
        elif isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(key, str):
                    yield key, f"{at} (a key)"
                stack.append((inner, f"{at}.{key}" if isinstance(key, str) else at))
        elif isinstance(item, (list, tuple)):
            stack.extend((inner, f"{at}[{i}]") for i, inner in enumerate(item))


def surrogate_refusal(query: str | None, variables: dict[str, Any] | None,
                      operation_name: str | None) -> GraphQLError | None:
    """A ``BAD_USER_INPUT`` error naming the first lone surrogate in the request, if any."""
    places = [(query, "the query")] if isinstance(query, str) else []
    if isinstance(operation_name, str):
        places.append((operation_name, "operationName"))
    for name, value in (variables or {}).items():
        places.extend(_strings(value, f"variable ${name}"))
        if isinstance(name, str):
            places.append((name, f"variable ${ascii(name)[1:-1]} (its name)"))
    for text, where in places:
        found = _SURROGATE.search(text)
        if found:
            # The message shows the code point escaped: the raw character cannot be sent as UTF-8.
            message = (f"{ascii(where)[1:-1]} holds a lone surrogate (U+{ord(found.group()):04X}) at character "
                       f"{found.start()}: text must be valid Unicode; send a surrogate pair or the character itself")
            return GraphQLError(message, original_error=InvalidInput(message))
    return None


__all__ = ["surrogate_refusal"]
