"""RDF/XML input is read by expat first, so an entity bomb is refused before pyoxigraph
expands it.

pyoxigraph's RDF/XML parser expands a DTD's internal entities without a limit: 820 bytes
of nested entities ("billion laughs") made ``chipkg validate`` allocate 2.4 GB and abort.
Refusing every ``<!ENTITY`` would also refuse ordinary files (Protégé writes its
namespaces as entities), so the expansion is bounded instead, by expat's own guard
(expat 2.4+, bundled with Python 3.11): past 8 MiB of expansion, entities may not grow
the document more than 100 times. The check streams with no handlers beyond declarations,
so it holds only the DTD in memory, never the expansion. External and parameter entities
have no use in chipkg's data and are refused outright (nothing is ever fetched or read);
with an older expat that lacks the guard, so is every entity declaration.
"""

from __future__ import annotations

import pyexpat
from pathlib import Path

from .errors import InvalidInput, ParseError

AMPLIFICATION_GUARD = pyexpat.version_info >= (2, 4, 0)
_AMPLIFICATION_ERROR = 43  # XML_ERROR_AMPLIFICATION_LIMIT_BREACH
_CHUNK = 1 << 20


def check_rdfxml(source: bytes | str | Path, name: str) -> None:
    """Raise ``InvalidInput`` if the document's entities expand past the bound or are
    external, ``ParseError`` if it is not well-formed XML; return if it is safe to parse."""
    parser = pyexpat.ParserCreate()

    def declared(entity: str, is_parameter: bool, value: str | None, _base: str | None,
                 system_id: str | None, public_id: str | None, _notation: str | None) -> None:
        if is_parameter or value is None or system_id or public_id:
            raise InvalidInput(f"{name}: refused: the XML declares the external or parameter entity "
                               f"{entity!r}; chipkg reads only internal entities")
        if not AMPLIFICATION_GUARD:
            raise InvalidInput(f"{name}: refused: this Python's expat ({pyexpat.EXPAT_VERSION}) cannot bound "
                               f"entity expansion, so XML entity declarations ({entity!r}) are not accepted")

    parser.EntityDeclHandler = declared
    try:
        if isinstance(source, Path):
            with open(source, "rb") as handle:
                while chunk := handle.read(_CHUNK):
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        else:
            parser.Parse(source, True)
    except pyexpat.ExpatError as exc:
        where = f" (line {exc.lineno}, column {exc.offset + 1})"
        if exc.code == _AMPLIFICATION_ERROR:
            raise InvalidInput(f"{name}: refused: its XML entities expand more than 100 times over{where}, "
                               "an entity bomb; write the values out instead of nesting entities") from None
        raise ParseError(f"{name}: not well-formed XML: {pyexpat.errors.messages[exc.code]}",
                         line=exc.lineno, column=exc.offset + 1) from None
    except OSError as exc:
        raise InvalidInput(f"{name}: {exc.strerror}") from exc


__all__ = ["AMPLIFICATION_GUARD", "check_rdfxml"]
