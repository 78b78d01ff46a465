"""The canonical JSON form of a Document (Decimals as strings, ISO dates) and its exact inverse.

The archive hashes this form (with sorted keys), so the same Document always gives the same
JSON, and reading it back gives an equal Document: "1.50" stays "1.50", never 1.5.
"""

import types
import typing
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from invoicing.document import Document, Line, Party, Reference, TaxTotal

# Bumped if a field ever changes meaning; a reader refuses a format it does not know.
FORMAT = 1
FORMAT_KEY = "format"


class DocumentJsonError(ValueError):
    """The JSON is not a document of the known format; the message names the field."""


def document_to_json(document: Document) -> dict:
    data = _dump(document)
    data[FORMAT_KEY] = FORMAT
    return data


def document_from_json(data: dict) -> Document:
    if not isinstance(data, dict):
        raise DocumentJsonError("document: expected a JSON object")
    if data.get(FORMAT_KEY, FORMAT) != FORMAT:
        raise DocumentJsonError(f"document: unknown format {data.get(FORMAT_KEY)!r}")
    body = {key: value for key, value in data.items() if key != FORMAT_KEY}
    return _load(Document, body, "document")


def _dump(value: object) -> object:
    if is_dataclass(value):
        return {field.name: _dump(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _dump(item) for key, item in value.items()}
    return value


def _load(cls: type, data: object, where: str) -> object:
    if not isinstance(data, dict):
        raise DocumentJsonError(f"{where}: expected an object")
    hints = _hints(cls)
    unknown = set(data) - set(hints)
    if unknown:
        raise DocumentJsonError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    values = {name: _value(hints[name], data[name], f"{where}.{name}") for name in data}
    try:
        return cls(**values)
    except TypeError as error:
        raise DocumentJsonError(f"{where}: {error}") from None


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict:
    return typing.get_type_hints(cls)


def _value(hint: object, raw: object, where: str) -> object:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        if raw is None:
            return None
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _value(inner, raw, where)
    if origin is tuple:
        if not isinstance(raw, list):
            raise DocumentJsonError(f"{where}: expected a list")
        item = typing.get_args(hint)[0]
        return tuple(_value(item, element, f"{where}[{index}]") for index, element in enumerate(raw))
    if hint in (Party, Line, TaxTotal, Reference):
        return _load(hint, raw, where)
    return _scalar(hint, raw, where)


def _scalar(hint: object, raw: object, where: str) -> object:
    try:
        if hint is Decimal and isinstance(raw, str):
            return Decimal(raw)
        if hint is date and isinstance(raw, str):
            return date.fromisoformat(raw)
    except (InvalidOperation, ValueError):
        raise DocumentJsonError(f"{where}: {raw!r} is not a valid {hint.__name__}") from None
    if hint in (str, bool, dict) and isinstance(raw, hint):
        return raw
    raise DocumentJsonError(f"{where}: expected {getattr(hint, '__name__', hint)}, got {raw!r}")
