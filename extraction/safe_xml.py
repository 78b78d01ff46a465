"""Parse untrusted XML (e-invoices from strangers) without entities, DTDs, network or huge trees."""

import re

from lxml import etree

from extraction.model import ExtractionError

# E-invoices are a few hundred kilobytes; EXTENDED ones with embedded attachments reach a few
# megabytes. Anything far beyond that is refused before the parser sees it.
MAX_XML_BYTES = 20 * 1024 * 1024

# The prolog ends where the root element starts; a DOCTYPE can only appear before it.
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )


def parse_xml(data: bytes, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """The root element of `data`, or ExtractionError saying why the bytes were refused."""
    if not isinstance(data, (bytes, bytearray)):
        raise ExtractionError(f"XML must be given as bytes, not {type(data).__name__}")
    if not data.strip():
        raise ExtractionError("empty XML document")
    if len(data) > max_bytes:
        raise ExtractionError(f"XML document too large ({len(data)} bytes, limit {max_bytes})")
    _refuse_doctype_in_prolog(bytes(data))
    try:
        root = etree.fromstring(bytes(data), _parser())
    except etree.XMLSyntaxError as error:
        raise ExtractionError(f"not well-formed XML: {error}") from None
    except ValueError as error:
        # lxml raises ValueError for, e.g., a unicode string with an encoding declaration.
        raise ExtractionError(f"unreadable XML: {error}") from None
    if root is None:
        raise ExtractionError("XML document without a root element")
    # Defence in depth: encodings the byte scan cannot see (UTF-16, UTF-32) end up here.
    if root.getroottree().docinfo.doctype or root.getroottree().docinfo.internalDTD is not None:
        raise ExtractionError("XML with a DOCTYPE declaration is refused (DTD and entity attacks)")
    return root


def _refuse_doctype_in_prolog(data: bytes) -> None:
    """Fail before parsing when the prolog declares a DOCTYPE: e-invoices never carry one."""
    root_start = _ROOT_START.search(data)
    prolog = data[: root_start.start()] if root_start else data
    if _DOCTYPE.search(prolog):
        if _ENTITY.search(data):
            raise ExtractionError("XML with entity declarations is refused (entity expansion attack)")
        raise ExtractionError("XML with a DOCTYPE declaration is refused (DTD and entity attacks)")
